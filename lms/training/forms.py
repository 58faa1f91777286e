from django import forms
from django.core.exceptions import ValidationError as ModelValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from lms.org.chooser import org_chooser
from lms.org.models import OrgNode
from lms.people.forms import PostsField
from trainers.models import Trainer

from .chooser import class_chooser_viewset
from .models import ExternalTraining, GradeComponent, TrainingClass
from .services.external import certificate_check


class TrainingClassForm(WagtailAdminModelForm):
    target_posts = PostsField(label=gettext_lazy("for posts"))

    def clean_target_posts(self):
        return list(self.cleaned_data.get("target_posts") or [])


class ExternalTrainingForm(forms.ModelForm):
    class Meta:
        model = ExternalTraining
        fields = [
            "title",
            "organiser_name",
            "study_kind",
            "type",
            "form",
            "start_date",
            "end_date",
            "days",
            "hours",
            "papers",
            "certificate",
        ]
        help_texts = {
            "study_kind": gettext_lazy(
                "Days at a party school, hours taught and published papers are "
                "converted by this year's table once approved."
            ),
            "papers": gettext_lazy("Only for a published paper: how many."),
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "certificate": forms.ClearableFileInput(
                attrs={"accept": "application/pdf,image/jpeg,image/png"}
            ),
        }

    def clean_certificate(self):

        upload = self.cleaned_data["certificate"]
        try:
            certificate_check(upload)
        except ModelValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return upload


class MarkForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.TypedChoiceField(
        label=gettext_lazy("mark as"),
        choices=[("1", gettext_lazy("Present")), ("0", gettext_lazy("Absent"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=500)


class GradeForm(forms.Form):
    component = forms.ChoiceField(
        label=gettext_lazy("component"), choices=GradeComponent.choices
    )
    score = forms.DecimalField(
        label=gettext_lazy("score"), min_value=0, max_value=100, decimal_places=1
    )
    comment = forms.CharField(
        label=gettext_lazy("comment"), required=False, max_length=500
    )


class BulkEnrolForm(forms.Form):
    training_class = forms.ModelChoiceField(
        label=gettext_lazy("class"),
        queryset=TrainingClass.objects.none(),
        widget=class_chooser_viewset.widget_class(),
    )
    org = forms.ModelChoiceField(
        label=gettext_lazy("workers of"),
        queryset=OrgNode.objects.none(),
        widget=org_chooser(),
    )
    posts = PostsField()

    def __init__(self, *args, classes=None, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_class"].queryset = classes
        self.fields["org"].queryset = orgs

    def clean(self):
        data = super().clean()
        klass, org = data.get("training_class"), data.get("org")
        if klass and org and not org.path.startswith(klass.target_org.path):
            if not klass.target_org.path.startswith(org.path):
                raise forms.ValidationError(
                    _("The organisation lies outside the class's target organisation.")
                )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("reason"), max_length=1000, widget=forms.Textarea
    )


class RatingForm(forms.Form):
    trainer = forms.ModelChoiceField(
        label=gettext_lazy("trainer"),
        queryset=Trainer.objects.none(),
        widget=forms.HiddenInput,
    )
    score = forms.TypedChoiceField(
        label=gettext_lazy("score"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, trainers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = Trainer.objects.filter(
            pk__in=[t.pk for t in trainers]
        )
