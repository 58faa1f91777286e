"""Writes to the people register, one module a concern: `rows` (reading an
import's cells), `workers` (the worker import, unmasking), `posts` (post history)."""
