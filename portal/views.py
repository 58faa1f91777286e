from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from lms.accounts.models import Role
from mentoring.models import Mentor, PoolMember
from trainers.models import Trainer

from .selectors import worker_home


@login_required
def home(request):
    """The worker's home: the year's progress and what to do next. Administrators go
    to the admin, trainers to their portal, experts, mentors and pool members without
    a worker file to their mentoring page (questions routed to them, placements they
    host, pairs, support assignments)."""
    user = request.user
    worker = getattr(user, "worker", None)
    if worker is None:
        if user.is_staff:
            return redirect("wagtailadmin_home")
        if user.role == Role.TRAINER and Trainer.objects.filter(user=user).exists():
            return redirect("training:trainer_profile")
        if (
            Mentor.objects.filter(user=user).exists()
            or PoolMember.objects.filter(user=user).exists()
        ):
            return redirect("mentoring:mine")
        if user.role == Role.TRAINER:
            return redirect("training:trainer_profile")
        return render(request, "people/no_file.html")
    return render(request, "portal/home.html", worker_home(worker))
