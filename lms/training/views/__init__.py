"""Views of the training app: the worker's and trainer's portal pages and the admin."""
