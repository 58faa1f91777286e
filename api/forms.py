from django import forms
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import AuditAction

from .selectors import token_owners_in_scope


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("action"),
        choices=[("", _("All actions")), *AuditAction.choices],
        required=False,
    )
    actor = forms.CharField(
        label=_("actor (user name)"), max_length=150, required=False
    )
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("name"),
        max_length=100,
        help_text=_("Which system uses it, e.g. the district HR system."),
    )
    owner = forms.ModelChoiceField(
        label=_("acts as"),
        queryset=None,
        help_text=_("The token sees and may do exactly what this user may."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = token_owners_in_scope(user).order_by("username")
        self.fields["owner"].initial = user.pk


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )
