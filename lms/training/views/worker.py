"""The worker's portal: classes, enrolment, QR check-in, ledger, external training."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from lms.training import qr
from lms.training.forms import ExternalTrainingForm, RatingForm
from lms.training.models import (
    Attendance,
    ClassSession,
    Enrolment,
    EnrolmentStatus,
    ExternalTraining,
    TrainingClass,
)
from lms.training.rules import presentation_counts
from lms.training.selectors import (
    claim_conversions,
    eligible_classes,
    enrolments_completion,
    open_classes_for,
    waiting_position,
    waiting_positions,
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
    trainer_rating_submit,
)
from lms.training.services.attendance import venue_of
from lms.training.sources import sources_label
from lms.training.trainer_selectors import rating_rows, worker_attended_class


def _worker(request):
    worker = getattr(request.user, "worker", None)
    if worker is None:
        raise Http404(_("No worker file is linked to this sign-in."))
    return worker


@login_required
def my_classes(request):
    worker = _worker(request)
    enrolments = worker_enrolments(worker)
    to_rate = rating_rows(worker, [e.training_class_id for e in enrolments])
    positions = waiting_positions(enrolments)
    completions = enrolments_completion(enrolments)
    for e in enrolments:
        e.position = positions.get(e.pk)
        e.rating_rows = to_rate.get(e.training_class_id, [])
        e.unrated = sum(1 for _trainer, rating in e.rating_rows if rating is None)
        e.completed, e.reasons = (
            completions[e.pk] if e.status == EnrolmentStatus.ENROLLED else (False, [])
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
    sessions = list(klass.sessions.all())
    today = timezone.localdate()
    if enrolment is not None and enrolment.status == EnrolmentStatus.ENROLLED:
        for s in sessions:  # the code the trainer types when scanning fails
            s.fallback = qr.fallback_code(s.pk, worker.pk) if s.date == today else ""
    return render(
        request,
        "training/class_detail.html",
        {
            "klass": klass,
            "sessions": sessions,
            "trainers": klass.trainers.all(),
            # the class's trainers once the worker attended: rate, or change a rating
            "rating_rows": rating_rows(worker, [klass.pk]).get(klass.pk, []),
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


def _expired() -> str:
    return _("This QR code has expired. Scan the code on the trainer's screen again.")


def check_in(request, code: str):
    """The page a scanned QR code opens: confirm check-in or check-out (a POST, so a
    link preview never checks anyone in).

    Scanned while signed out, a code valid at that moment is remembered in the
    browser's session as "session S presented at T" and the worker is sent to sign in.
    When the sign-in finishes within TRAINING_QR_SIGN_IN_GRACE_MINUTES of T, that scan
    counts once, as of T: a worker not yet checked in is checked in straight away; one
    already in may check out.
    """
    now = timezone.now()
    session_id, fresh, error = None, False, None
    try:
        session_id, fresh = qr.session_from_code(code), True
    except qr.CodeExpired as exc:
        session_id = exc.session_id
    except qr.CodeInvalid:
        error = _("This is not a valid check-in code.")
    grace_minutes = settings.TRAINING_QR_SIGN_IN_GRACE_MINUTES
    presented_at = (
        qr.presentation_of(request.session, session_id) if session_id else None
    )
    grace = presented_at is not None and presentation_counts(
        presented_at, now, grace_minutes=grace_minutes
    )
    if not request.user.is_authenticated:
        return _check_in_signed_out(request, code, session_id, fresh, grace, error, now)
    worker = _worker(request)
    if presented_at is not None and not grace:
        qr.presentation_forget(request.session, session_id)
    session = None
    position, device = _position(request), request.COOKIES.get(DEVICE_COOKIE, "")
    if session_id is not None and not (fresh or grace):
        error = _expired()
        if presented_at is not None:
            error = ngettext(
                "More than %(n)s minute passed between scanning the code and "
                "signing in. Scan the code on the trainer's screen again.",
                "More than %(n)s minutes passed between scanning the code and "
                "signing in. Scan the code on the trainer's screen again.",
                grace_minutes,
            ) % {"n": grace_minutes}
    elif session_id is not None:
        session = get_object_or_404(
            ClassSession.objects.select_related("training_class__base"), pk=session_id
        )
    attendance = None
    if session is not None:
        attendance = _attendance_of(session, worker)
        if request.method == "POST":
            action = request.POST.get("action")
        elif (
            grace
            and (attendance is None or attendance.checked_in_at is None)
            and venue_of(session) is None
        ):
            # the sign-in after the scan finishes the check-in (where the venue
            # checks the location, the page asks for it first)
            action = "check_in"
        else:
            action = None
        if action is not None:
            by_code = fresh and request.method == "POST"
            if grace:
                qr.presentation_forget(request.session, session.pk)  # once only
            try:
                # a fresh code counts now; a scan remembered across sign-in, at T
                _check_in_or_out(
                    request,
                    session,
                    worker,
                    action,
                    now if by_code else presented_at,
                    position=position,
                    device=device,
                )
            except AttendanceError as exc:
                error = str(exc)
            else:
                if by_code:
                    return redirect("training:checkin", code)
                attendance = _attendance_of(session, worker)
    can_rate = bool(
        attendance
        and attendance.checked_out_at
        and rating_rows(worker, [session.training_class_id])
    )
    response = render(
        request,
        "training/check_in.html",
        {
            "session": session,
            "error": error,
            "attendance": attendance,
            "code": code,
            "can_rate": can_rate,
            "needs_location": session is not None and venue_of(session) is not None,
        },
        status=400 if error else 200,
    )
    if not device:  # a long-lived random id of this browser, to spot shared phones
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(24),
            max_age=2 * 365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


DEVICE_COOKIE = "lms_device"


def _position(request) -> tuple[float, float] | None:
    """The phone's location posted with a check-in, if any and plausible."""
    try:
        lat = float(request.POST["latitude"])
        lng = float(request.POST["longitude"])
    except (KeyError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or lat != lat or lng != lng:
        return None
    return lat, lng


def _check_in_signed_out(request, code, session_id, fresh, grace, error, now):
    """A signed-out visitor: remember a valid scan and go to sign-in; an old or bad
    code is refused at once rather than after signing in."""
    if session_id is None or not (fresh or grace):
        return render(
            request,
            "training/check_in.html",
            {"session": None, "error": error or _expired(), "code": code},
            status=400,
        )
    session = get_object_or_404(ClassSession, pk=session_id)
    if fresh:  # a new scan restarts the grace
        qr.presentation_remember(request.session, session.pk, now)
    n = settings.TRAINING_QR_SIGN_IN_GRACE_MINUTES
    messages.info(
        request,
        ngettext(
            "Sign in within %(n)s minute to finish checking in.",
            "Sign in within %(n)s minutes to finish checking in.",
            n,
        )
        % {"n": n},
    )
    return redirect_to_login(request.get_full_path())


def _attendance_of(session: ClassSession, worker) -> Attendance | None:
    return Attendance.objects.filter(session=session, enrolment__worker=worker).first()


def _check_in_or_out(
    request, session, worker, action: str, at, *, position=None, device=""
) -> None:
    """Check in or out as of `at`, with the message for the person."""
    if action == "check_out":
        attendance = attendance_check_out(session=session, worker=worker, now=at)
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
        _attendance, created = attendance_check_in(
            session=session, worker=worker, now=at, position=position, device=device
        )
        if created:
            messages.success(request, _("Checked in. Welcome!"))
        else:
            messages.info(request, _("You were already checked in."))


@login_required
def ledger(request):
    worker = _worker(request)
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    data = worker_ledger(worker, year)
    sources_label(data["entries"])
    return render(
        request, "training/ledger.html", {"worker": worker, "year": year, **data}
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
            study_kind=data["study_kind"],
            papers=data["papers"],
        )
        messages.success(request, _("Submitted for approval."))
        return redirect("training:external")
    items = list(
        ExternalTraining.objects.filter(worker=worker).order_by("-submitted_at")
    )
    conversions = claim_conversions(items)
    for item in items:
        item.conversion = conversions[item.pk][1]
    return render(request, "training/external.html", {"form": form, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def rate_class(request, pk: int):
    """A participant rates the trainers of a class they attended."""
    worker = _worker(request)
    training_class = get_object_or_404(
        TrainingClass.objects.filter(enrolments__worker=worker).distinct(), pk=pk
    )
    trainers = list(training_class.trainers.order_by("name"))
    mine = {
        r.trainer_id: r
        for r in worker.trainer_ratings.filter(training_class=training_class)
    }
    form = RatingForm(request.POST or None, trainers=trainers)
    if request.method == "POST" and form.is_valid():
        try:
            trainer_rating_submit(
                worker=worker,
                trainer=form.cleaned_data["trainer"],
                training_class=training_class,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you, your rating was saved."))
            return redirect("training:rate_class", pk=training_class.pk)
    rows = [(t, mine.get(t.pk)) for t in trainers]
    return render(
        request,
        "training/rate_class.html",
        {
            "training_class": training_class,
            "rows": rows,
            "form": form,
            "attended": worker_attended_class(worker, training_class),
        },
    )
