from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Trainer


class RatingForm(forms.Form):
    trainer = forms.ModelChoiceField(
        label=_("trainer"), queryset=Trainer.objects.none(), widget=forms.HiddenInput
    )
    score = forms.TypedChoiceField(
        label=_("score"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, trainers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = Trainer.objects.filter(
            pk__in=[t.pk for t in trainers]
        )
