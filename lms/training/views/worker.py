"""The worker's portal: classes, enrolment, QR check-in, ledger, external training."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.training import qr
from lms.training.forms import ExternalTrainingForm
from lms.training.models import (
    Attendance,
    ClassSession,
    Enrolment,
    EnrolmentStatus,
    ExternalTraining,
    TrainingClass,
)
from lms.training.selectors import (
    eligible_classes,
    enrolment_completion,
    open_classes_for,
    waiting_position,
    worker_enrolments,
    worker_ledger,
)
from lms.training.services import (
    AttendanceError,
    EnrolmentError,
    attendance_check_in,
    attendance_check_out,
    enrolment_cancel,
    enrolment_create,
    external_training_submit,
)


def _worker(request):
    worker = getattr(request.user, "worker", None)
    if worker is None:
        raise Http404(_("No worker file is linked to this sign-in."))
    return worker


@login_required
def my_classes(request):
    worker = _worker(request)
    enrolments = worker_enrolments(worker)
    for e in enrolments:
        e.position = waiting_position(e)
        e.completed, e.reasons = (
            enrolment_completion(e)
            if e.status == EnrolmentStatus.ENROLLED
            else (False, [])
        )
    return render(
        request,
        "training/my_classes.html",
        {
            "worker": worker,
            "enrolments": enrolments,
            "open_classes": open_classes_for(worker),
            "today": timezone.localdate(),
        },
    )


@login_required
def class_detail(request, pk: int):
    worker = _worker(request)
    klass = get_object_or_404(
        eligible_classes(worker).select_related("organiser", "base", "institution"),
        pk=pk,
    )
    enrolment = Enrolment.objects.filter(training_class=klass, worker=worker).first()
    return render(
        request,
        "training/class_detail.html",
        {
            "klass": klass,
            "sessions": klass.sessions.all(),
            "trainers": klass.trainers.all(),
            "enrolment": enrolment,
            "position": waiting_position(enrolment) if enrolment else None,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def enrol(request, pk: int):
    worker = _worker(request)
    klass = get_object_or_404(TrainingClass, pk=pk, published=True)
    try:
        enrolment, created = enrolment_create(
            training_class=klass, worker=worker, actor=request.user
        )
    except EnrolmentError as exc:
        messages.error(request, str(exc))
        return redirect("training:class", pk)
    if enrolment.status == EnrolmentStatus.ENROLLED:
        messages.success(request, _("You are enrolled in %(t)s.") % {"t": klass.title})
    else:
        messages.info(
            request,
            _("The class is full; you are number %(n)s on the waiting list.")
            % {"n": waiting_position(enrolment)},
        )
    return redirect("training:class", pk)


@login_required
@require_POST
def cancel(request, pk: int):
    worker = _worker(request)
    enrolment = get_object_or_404(Enrolment, training_class_id=pk, worker=worker)
    try:
        enrolment_cancel(enrolment=enrolment, actor=request.user)
    except EnrolmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your enrolment is cancelled."))
    return redirect("training:class", pk)


@login_required
def check_in(request, code: str):
    """The page a scanned QR code opens: confirm check-in or check-out (a POST, so a
    link preview never checks anyone in)."""
    worker = _worker(request)
    error = None
    session = None
    try:
        session_id = qr.session_from_code(code)
    except qr.CodeExpired:
        error = _(
            "This QR code has expired. Scan the code on the trainer's screen again."
        )
    except qr.CodeInvalid:
        error = _("This is not a valid check-in code.")
    else:
        session = get_object_or_404(
            ClassSession.objects.select_related("training_class"), pk=session_id
        )
    attendance = None
    if session is not None and request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "check_out":
                attendance = attendance_check_out(session=session, worker=worker)
                if attendance.credit_id:
                    messages.success(
                        request,
                        _("Checked out. %(days)s day(s) credited to your ledger.")
                        % {"days": attendance.credit.days.normalize()},
                    )
                else:
                    messages.warning(
                        request,
                        _(
                            "Checked out. You attended too little of the session for "
                            "its credit."
                        ),
                    )
            else:
                attendance, created = attendance_check_in(
                    session=session, worker=worker
                )
                if created:
                    messages.success(request, _("Checked in. Welcome!"))
                else:
                    messages.info(request, _("You were already checked in."))
            return redirect("training:checkin", code)
        except AttendanceError as exc:
            error = str(exc)
    if session is not None:
        attendance = Attendance.objects.filter(
            session=session, enrolment__worker=worker
        ).first()
    return render(
        request,
        "training/check_in.html",
        {"session": session, "error": error, "attendance": attendance, "code": code},
        status=400 if error else 200,
    )


@login_required
def ledger(request):
    worker = _worker(request)
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    return render(
        request,
        "training/ledger.html",
        {"worker": worker, "year": year, **worker_ledger(worker, year)},
    )


@login_required
def external(request):
    worker = _worker(request)
    form = ExternalTrainingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        external_training_submit(
            worker=worker,
            title=data["title"],
            organiser_name=data["organiser_name"],
            type=data["type"],
            form=data["form"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            days=data["days"],
            hours=data["hours"],
            certificate=data["certificate"],
        )
        messages.success(request, _("Submitted for approval."))
        return redirect("training:external")
    return render(
        request,
        "training/external.html",
        {
            "form": form,
            "items": ExternalTraining.objects.filter(worker=worker).order_by(
                "-submitted_at"
            ),
        },
    )
