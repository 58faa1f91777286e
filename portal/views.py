from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from lms.accounts.models import Role

from .selectors import worker_home


@login_required
def home(request):
    """The worker's home: the year's progress and what to do next. Administrators go
    to the admin, trainers to their portal."""
    worker = getattr(request.user, "worker", None)
    if worker is None:
        if request.user.is_staff:
            return redirect("wagtailadmin_home")
        if request.user.role == Role.TRAINER:
            return redirect("training:trainer_profile")
        return render(request, "people/no_file.html")
    return render(request, "portal/home.html", worker_home(worker))
