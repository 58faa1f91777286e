from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from lms.accounts.files import serve_file

from .models import Job


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(Job, pk=pk, created_by=request.user)


@login_required
def job_detail(request, pk: int):
    return render(request, "jobs/job_detail.html", {"job": _own_job(request, pk)})


@login_required
def job_status(request, pk: int):
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.finished,
            "message": job.message,
            "errors": job.errors[:500],
            "error_count": len(job.errors),
            "has_result": bool(job.result_file),
        }
    )


@login_required
def job_result(request, pk: int):
    job = _own_job(request, pk)
    if not job.result_file:
        raise Http404
    return serve_file(request, job.result_file, filename=job.result_filename)
