from .models import PostSpan, Worker


def worker_file(worker: Worker) -> dict:
    """What a worker sees of their own file."""
    spans = (
        PostSpan.objects.filter(worker=worker)
        .select_related("community")
        .order_by("-start")
    )
    return {"worker": worker, "spans": spans}
