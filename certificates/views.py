"""Public verification and the worker's certificates (the administrators' pages are
in viewsets.py)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lms.accounts.files import serve_file
from lms.accounts.ratelimit import ratelimit

from . import rules, selectors
from .models import Certificate

# --- Public verification -------------------------------------------------------------


class SerialForm(forms.Form):
    serial = forms.CharField(
        label=gettext_lazy("Certificate serial"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": "SQ-2026-XXXXX-XXXXX-XX"}
        ),
    )

    def clean_serial(self):
        try:
            return str(rules.parse_serial(self.cleaned_data["serial"]))
        except rules.InvalidSerial as exc:
            raise forms.ValidationError(
                _(
                    "This is not a valid serial: check it for a typo "
                    "(the last two characters are a check)."
                )
            ) from exc


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("PDF file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CERTIFICATE_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large to be a certificate."))
        return upload


@ratelimit("verify", key="ip")
def verify_form(request):
    """`/verify/`: type a serial; a typo is caught by its check characters."""
    form = SerialForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("certificates:verify", serial=form.cleaned_data["serial"])
    return render(request, "certificates/verify_form.html", {"form": form})


@ratelimit("verify", key="ip")
@require_http_methods(["GET", "POST"])
def verify(request, serial: str):
    """`/verify/<serial>/`: valid, revoked or superseded; 404 for anything else."""
    cert = selectors.certificate_by_serial(serial)
    if cert is None:
        raise Http404
    if serial != cert.serial:
        return redirect("certificates:verify", serial=cert.serial)
    upload_form, match = UploadForm(), None
    if request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            match = selectors.pdf_matches(
                cert, upload_form.cleaned_data["file"].chunks()
            )
    return render(
        request,
        "certificates/verify.html",
        {
            "cert": selectors.verification(cert),
            "kind_label": cert.get_kind_display(),
            "upload_form": upload_form,
            "match": match,
        },
    )


@ratelimit("verify", key="ip")
def verify_json(request, serial: str):
    """`/verify/<serial>.json`: the same facts for machines."""
    cert = selectors.certificate_by_serial(serial)
    if cert is None or serial.upper() != cert.serial:
        raise Http404
    data = selectors.verification(cert)
    data["sha256"] = cert.sha256
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# --- The worker's certificates --------------------------------------------------------


@login_required
def my_certificates(request):
    worker = getattr(request.user, "worker", None)
    certificates = selectors.worker_certificates(worker) if worker else []
    return render(
        request, "certificates/my_certificates.html", {"certificates": certificates}
    )


@login_required
def my_certificate_download(request, pk: int):
    worker = getattr(request.user, "worker", None)
    if worker is None:
        raise Http404
    cert = get_object_or_404(Certificate, pk=pk, worker=worker)
    return serve_file(request, cert.file, filename=f"{cert.serial}.pdf")
