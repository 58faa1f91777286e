from celery import shared_task

from .services import job_inputs_expired_delete


@shared_task
def job_inputs_expired_delete_task():
    return job_inputs_expired_delete()
