"""Textbooks (教材): 60+ books in three series, each with its attachments."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from lms.accounts.files import RandomName, private_storage
from lms.accounts.uploads import UploadValidator

from .pages import Series


class Textbook(index.Indexed, ClusterableModel):
    series = models.CharField(
        _("series"), max_length=16, choices=Series.choices, db_index=True
    )
    title = models.CharField(_("title"), max_length=200)
    authors = models.CharField(_("authors/editors"), max_length=200, blank=True)
    publisher = models.CharField(_("publisher"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    topic = models.CharField(_("topic"), max_length=32, blank=True, db_index=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="textbooks",
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("series"),
    ]

    class Meta:
        verbose_name = _("textbook")
        verbose_name_plural = _("textbooks")
        ordering = ["series", "title", "id"]

    def __str__(self):
        return self.title


class TextbookAttachment(Orderable):
    textbook = ParentalKey(
        Textbook, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=RandomName("textbooks"),
        storage=private_storage,
        max_length=300,
        validators=[UploadValidator(kinds=("pdf", "office"))],
    )
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)

    panels = [FieldPanel("title"), FieldPanel("file")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title
