"""The trainer's portal: profile, classes, rosters, QR screen, hand marking, grading."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lms.accounts.scoping import org_in_scope
from lms.training import qr
from lms.training.forms import GradeForm, MarkForm
from lms.training.models import (
    ClassSession,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
)
from lms.training.selectors import (
    class_roster,
    enrolments_completion,
    flag_labels,
    session_presence,
    trainer_classes,
)
from lms.training.services import (
    AttendanceError,
    GradingError,
    attendance_code_check_in,
    attendance_mark,
    grade_record,
)
from lms.training.trainer_selectors import trainer_portal
from trainers.models import Trainer


@login_required
def profile(request):
    """A signed-in trainer's own profile, teaching figures and classes."""
    trainer = Trainer.objects.filter(user=request.user).first()
    if trainer is None:
        return render(request, "training/no_trainer_profile.html", status=404)
    return render(request, "training/trainer_profile.html", trainer_portal(trainer))


def can_teach(user, klass: TrainingClass) -> bool:
    """The class's trainers, and administrators of the organiser's subtree."""
    if klass.trainers.filter(user=user).exists():
        return True
    return user.is_staff and org_in_scope(user, klass.organiser)


def _class_for(request, pk: int) -> TrainingClass:
    klass = get_object_or_404(TrainingClass.objects.select_related("organiser"), pk=pk)
    if not can_teach(request.user, klass):
        raise PermissionDenied
    return klass


def _session_for(request, pk: int) -> ClassSession:
    session = get_object_or_404(
        ClassSession.objects.select_related("training_class__organiser"), pk=pk
    )
    if not can_teach(request.user, session.training_class):
        raise PermissionDenied
    return session


@login_required
def my_teaching(request):
    return render(
        request, "training/teaching.html", {"classes": trainer_classes(request.user)}
    )


@login_required
def roster(request, pk: int):
    klass = _class_for(request, pk)
    enrolments = class_roster(klass)
    completions = enrolments_completion(enrolments)
    for e in enrolments:
        e.completed, e.reasons = completions[e.pk]
    return render(
        request,
        "training/roster.html",
        {
            "klass": klass,
            "sessions": list(klass.sessions.all()),
            "enrolments": enrolments,
            "grade_form": GradeForm(),
            "components": _components(klass),
        },
    )


def _components(klass: TrainingClass) -> list[str]:
    return {"test": ["test"], "paper_defence": ["paper", "defence"]}.get(
        klass.extra_requirement, []
    )


@login_required
def session_attendance(request, pk: int):
    """Roster of one session with hand marking."""
    session = _session_for(request, pk)
    enrolments = list(
        Enrolment.objects.filter(
            training_class=session.training_class, status=EnrolmentStatus.ENROLLED
        )
        .select_related("worker__community")
        .order_by("worker__name")
    )
    attendance = {a.enrolment_id: a for a in session.attendances.all()}
    rows = [(e, attendance.get(e.pk)) for e in enrolments]
    present = [a for a in attendance.values() if a.checked_in_at]
    for a in attendance.values():
        a.flag_labels = flag_labels(a.flags)
    return render(
        request,
        "training/session_attendance.html",
        {
            "session": session,
            "rows": rows,
            "form": MarkForm(),
            "present_count": len(present),
            "absent_count": len(rows) - len(present),
            "flagged_count": sum(1 for a in present if a.flags),
        },
    )


@login_required
@require_POST
def code_check_in(request, pk: int):
    """The trainer types the code a worker shows when scanning fails."""
    session = _session_for(request, pk)
    try:
        attendance = attendance_code_check_in(
            session=session, code=request.POST.get("code", ""), actor=request.user
        )
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(name)s is checked in.") % {"name": attendance.enrolment.worker.name},
        )
    return redirect("training:session_attendance", pk)


@login_required
@require_POST
def mark(request, pk: int):
    session = _session_for(request, pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for marking attendance by hand."))
        return redirect("training:session_attendance", pk)
    enrolment = get_object_or_404(
        Enrolment,
        pk=form.cleaned_data["enrolment"],
        training_class=session.training_class,
    )
    try:
        attendance_mark(
            session=session,
            enrolment=enrolment,
            present=form.cleaned_data["present"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
            request=request,
        )
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect("training:session_attendance", pk)


@login_required
def qr_screen(request, pk: int):
    session = _session_for(request, pk)
    return render(
        request,
        "training/qr_screen.html",
        {
            "session": session,
            "refresh": settings.TRAINING_QR_REFRESH_SECONDS,
            "data_url": reverse("training:qr_data", args=[pk]),
        },
    )


@never_cache
@login_required
def qr_data(request, pk: int):
    """A fresh code (SVG) and who is in; the screen polls this every few seconds."""
    session = _session_for(request, pk)
    present = session_presence(session)
    data = {
        "present": present,
        "count": len(present),
        # The list as the session page shows it (flags included), escaped here.
        "list_html": render_to_string(
            "training/_qr_present.html", {"present": present}, request=request
        ),
    }
    if not request.GET.get("list"):  # `?list=1`: the live list only, no new code
        code = qr.checkin_code(session.pk)
        url = request.build_absolute_uri(reverse("training:checkin", args=[code]))
        data |= {
            "svg": qr.qr_svg(url),
            "url": url,
            "refresh": settings.TRAINING_QR_REFRESH_SECONDS,
        }
    return JsonResponse(data)


@login_required
@require_POST
def grade(request, pk: int):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("training_class__organiser"), pk=pk
    )
    klass = enrolment.training_class
    if not can_teach(request.user, klass):
        raise PermissionDenied
    form = GradeForm(request.POST)
    if form.is_valid() and form.cleaned_data["component"] in _components(klass):
        try:
            grade_record(
                enrolment=enrolment,
                component=form.cleaned_data["component"],
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except GradingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Grade saved."))
    else:
        messages.error(request, _("Give a score from 0 to 100 for a graded part."))
    return redirect("training:roster", klass.pk)
