"""The worker's own file in the portal."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from lms.accounts.models import Role

from .selectors import worker_file


@login_required
def home(request):
    """The worker's own file (ID masked); administrators go to the admin."""
    worker = getattr(request.user, "worker", None)
    if worker is None:
        if request.user.is_staff:
            return redirect("wagtailadmin_home")
        if request.user.role == Role.TRAINER:
            return redirect("training:trainer_profile")
        return render(request, "people/no_file.html")
    return render(request, "people/home.html", worker_file(worker))
