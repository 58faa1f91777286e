"""Form fields of the register that other apps' forms use."""

from django import forms
from django.utils.translation import gettext_lazy

from .models import Post


class PostsField(forms.MultipleChoiceField):
    """Posts ticked to narrow a class or a bulk action to; none ticked: every post."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, label=None, **kwargs):
        super().__init__(
            label=label or gettext_lazy("posts"),
            choices=Post.choices,
            required=False,
            help_text=gettext_lazy("None ticked: every post."),
            **kwargs,
        )
