"""Mentor–mentee pairs (传帮带): the pair's page (monthly records by either side,
evaluation by both at the end)."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lms.accounts.scoping import scope_root

from .. import rules
from ..models import PairEvaluation, Pairing
from ..selectors import pairing_side
from ..services.pairs import PairingError, pair_evaluate, pair_record_write


class RecordForm(forms.Form):
    month = forms.TypedChoiceField(label=gettext_lazy("month"), coerce=str)
    learned = forms.CharField(
        label=gettext_lazy("what was learned"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    problems = forms.CharField(
        label=gettext_lazy("problems handled"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            (m.isoformat(), f"{m:%Y-%m}") for m in reversed(months)
        ]


class EvaluationForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("score"),
        coerce=int,
        choices=[(n, n) for n in range(5, 0, -1)],
    )
    comment = forms.CharField(
        label=gettext_lazy("evaluation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _visible_pairing(request, pk: int) -> Pairing:
    user = request.user
    visible = Q(mentor__user=user) | Q(mentee__user=user)
    root = scope_root(user)
    if root is not None:
        visible |= Q(mentee__community__path__startswith=root.path)
    return get_object_or_404(
        Pairing.objects.select_related("mentor", "mentee__community").filter(visible),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pairing_detail(request, pk: int):

    pairing = _visible_pairing(request, pk)
    side = pairing_side(pairing, request.user)
    today = timezone.localdate()
    months = rules.months_between(pairing.start, min(pairing.end, today))
    action = request.POST.get("action")
    record_form = evaluation_form = None
    if side:
        record_form = RecordForm(
            request.POST if action == "record" else None, months=months
        )
        if not PairEvaluation.objects.filter(pairing=pairing, side=side).exists():
            evaluation_form = EvaluationForm(
                request.POST if action == "evaluate" else None
            )
    if request.method == "POST":
        if side is None:
            raise PermissionDenied
        form = record_form if action == "record" else evaluation_form
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "record":
                    pair_record_write(
                        pairing=pairing,
                        user=request.user,
                        month=dt.date.fromisoformat(data["month"]),
                        learned=data["learned"],
                        problems=data["problems"],
                    )
                else:
                    pair_evaluate(
                        pairing=pairing,
                        user=request.user,
                        score=data["score"],
                        comment=data["comment"],
                    )
            except (PairingError, ValidationError) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("Saved."))
                return redirect("mentoring:pairing", pk=pairing.pk)
    return render(
        request,
        "mentoring/pairing.html",
        {
            "pairing": pairing,
            "side": side,
            "records": pairing.records.order_by("-month", "side"),
            "evaluations": pairing.evaluations.all(),
            "record_form": record_form,
            "evaluation_form": evaluation_form,
        },
    )
