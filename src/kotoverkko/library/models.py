"""The materials library: slides, minutes and documents with the text read from them.

A document may belong to an event and one of its agenda items (the event's materials are
library documents), to a network, and to the organisation and speaker it came from. The file is
kept under a random name; the name it was uploaded with is only data.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


def document_path(instance: "Document", filename: str) -> str:
    """Stored under a random name, in a folder per month of upload."""
    return f"library/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        MEMBERS = "members", _("members of the network")

    class Extraction(models.TextChoices):
        PENDING = "pending", _("waiting to be read")
        DONE = "done", _("text read")
        FAILED = "failed", _("could not be read")
        NONE = "none", _("no file")

    network = models.ForeignKey(
        "network.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    # The event's materials: event.materials and item.materials are its documents.
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    item = models.ForeignKey(
        "events.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language of the document"), max_length=5, choices=LANGUAGE_CHOICES, default="fi"
    )
    date = models.DateField(_("date"), null=True, blank=True)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by commas.")
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    kind = models.CharField(_("file type"), max_length=10, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    extraction = models.CharField(
        _("text"), max_length=10, choices=Extraction.choices, default=Extraction.PENDING
    )
    # Why the text could not be read: a code of kotoverkko.library.extraction.REASONS.
    extraction_reason = models.CharField(max_length=20, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(_("transcript"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("added"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["network", "visibility", "-uploaded_at"], name="library_network"),
            models.Index(fields=["-uploaded_at", "-id"], name="library_newest"),
            models.Index(fields=["extraction"], name="library_extraction"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility="public") | models.Q(network__isnull=False),
                name="library_members_need_network",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return [word for word in (part.strip() for part in self.keywords.split(",")) if word]

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    @property
    def organisation_name(self) -> str:
        return self.organisation.name if self.organisation_id else ""
