"""News items and the monthly bulletin (tiedote, briefing) compiled from them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NewsItem(models.Model):
    """A piece of regional or national news for a network's bulletin."""

    class Scope(models.TextChoices):
        REGIONAL = "regional", _("regional")
        NATIONAL = "national", _("national")

    network = models.ForeignKey(
        "network.Network",
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="news_items",
    )
    scope = models.CharField(
        _("scope"), max_length=10, choices=Scope.choices, default=Scope.REGIONAL
    )
    title = models.CharField(pgettext_lazy("news", "title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    publish_on = models.DateField(_("publish date"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publish_on", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [models.Index(fields=["network", "publish_on"])]

    def __str__(self) -> str:
        return self.title


class Issue(models.Model):
    """One bulletin of a network: compiled as a draft, edited, then sent (or scheduled)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")

    network = models.ForeignKey(
        "network.Network",
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="newsletter_issues",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the issue's month."))
    number = models.PositiveIntegerField(_("number"), default=1)
    title = models.CharField(pgettext_lazy("newsletter", "title"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    compiled_at = models.DateTimeField(_("compiled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "-number"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "month", "number"], name="issue_number_once_per_month"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.network} {self.month:%m/%Y}"


class IssueItem(models.Model):
    """One entry of an issue, in the coordinator's order: news, an event, a material, or a text."""

    class Kind(models.TextChoices):
        NEWS = "news", _("news")
        EVENT = "event", _("event")
        MATERIAL = "material", _("material")
        TEXT = "text", _("text")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    news = models.ForeignKey(
        NewsItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    material = models.ForeignKey(
        "library.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["issue", "position", "pk"]
        verbose_name = _("issue item")
        verbose_name_plural = _("issue items")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="news", news__isnull=False)
                    | models.Q(kind="event", event__isnull=False)
                    | models.Q(kind="material", material__isnull=False)
                    | models.Q(kind="text")
                ),
                name="issue_item_has_its_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue}: {self.get_kind_display()} {self.position}"


class Edition(models.Model):
    """An issue in one language, as it was sent: the subscribers whose language it is get it."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="editions")
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("subject"), max_length=300)
    body_html = models.TextField(_("HTML"))
    body_text = models.TextField(_("text"))
    batch = models.OneToOneField(
        "mailing.MailBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edition",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issue", "language"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(fields=["issue", "language"], name="edition_once_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.issue} ({self.language})"
