"""The upload form every admin import uses."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_UPLOAD_BYTES = 50 * 1024**2


class SpreadsheetForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (XLSX, XLS or CSV)"))
    sheet = forms.CharField(
        label=gettext_lazy("Sheet"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("The name of the sheet to read; empty: the first one."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".xls")):
            raise forms.ValidationError(_("Use an XLSX, XLS or CSV file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload

    def clean_sheet(self):
        return self.cleaned_data["sheet"].strip()
