from celery import shared_task

from .services import job_inputs_expired_delete, job_stalled_fail


@shared_task
def job_inputs_expired_delete_task():
    return job_inputs_expired_delete()


@shared_task
def job_stalled_fail_task():
    return job_stalled_fail()
