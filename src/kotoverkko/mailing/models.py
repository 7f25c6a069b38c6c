"""The outbox: every e-mail is a row here before it is sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotoverkko.network.models import LANGUAGE_CHOICES


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not sent: the recipient left the list")

    key = models.CharField(_("key"), max_length=200, unique=True)
    to_email = models.EmailField(_("recipient"))
    to_name = models.CharField(_("recipient name"), max_length=200, blank=True)
    from_email = models.CharField(_("sender"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # A message of a mass sending takes its subject and bodies from the batch and fills in
    # these per-recipient values.
    batch = models.ForeignKey(
        "MailBatch",
        verbose_name=_("mass sending"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    subscriber = models.ForeignKey(
        "Subscriber",
        verbose_name=_("subscriber"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    variables = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["batch", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"


class MailingList(models.Model):
    """The mailing list of one network or team; its name is the network's."""

    network = models.OneToOneField(
        "network.Network",
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="mailing_list",
    )
    is_open = models.BooleanField(_("anyone may subscribe"), default=True)
    members_subscribed = models.BooleanField(
        _("members are on the list unless they leave it"), default=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return str(self.network)


class Subscriber(models.Model):
    """An e-mail address that is, was or asked to be on a list.

    `left_all_at` is the subscriber's own choice to get nothing from any list; `suppressed_at`
    is the platform's decision after repeated hard bounces (or an administrator's). Either one
    stops every list message to the address.
    """

    class Suppression(models.TextChoices):
        BOUNCES = "bounces", _("the address bounced repeatedly")
        ADMINISTRATOR = "administrator", _("stopped by an administrator")

    email = models.EmailField(_("e-mail"), unique=True)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="fi")
    person = models.OneToOneField(
        "network.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriber",
    )
    left_all_at = models.DateTimeField(_("left every list"), null=True, blank=True)
    suppressed_at = models.DateTimeField(_("suppressed"), null=True, blank=True)
    suppression_reason = models.CharField(
        _("reason for suppression"), max_length=20, choices=Suppression.choices, blank=True
    )
    hard_bounces = models.PositiveIntegerField(_("hard bounces"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email

    @property
    def is_reachable(self) -> bool:
        return self.left_all_at is None and self.suppressed_at is None


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        ACTIVE = "active", _("subscribed")
        UNSUBSCRIBED = "unsubscribed", _("left the list")

    class Source(models.TextChoices):
        FORM = "form", _("subscription form")
        IMPORT = "import", _("imported list")
        MEMBERSHIP = "membership", _("network membership")
        COORDINATOR = "coordinator", _("added by a coordinator")
        API = "api", _("API")

    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("mailing list"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["mailing_list", "subscriber"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "subscriber"], name="subscription_once_per_list"
            )
        ]
        indexes = [models.Index(fields=["mailing_list", "status"])]

    def __str__(self) -> str:
        return f"{self.subscriber} – {self.mailing_list}"


class ConsentRecord(models.Model):
    """What a subscriber agreed to or withdrew, when, how, and the consent text they saw.

    Append-only: a record is never changed or deleted while its subscriber exists.
    """

    class Action(models.TextChoices):
        REQUESTED = "requested", _("asked to subscribe")
        GIVEN = "given", _("consent given")
        WITHDRAWN = "withdrawn", _("consent withdrawn")

    class Basis(models.TextChoices):
        FORM = "form", _("subscription form and confirmation link")
        IMPORT = "import", _("imported list")
        MEMBERSHIP = "membership", _("network membership")
        COORDINATOR = "coordinator", _("a coordinator")
        API = "api", _("API")
        ONE_CLICK = "one_click", _("one-click unsubscribe")
        EMAIL = "email", _("unsubscribe e-mail")
        PREFERENCES = "preferences", _("preferences page")
        BOUNCES = "bounces", _("repeated bounces")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("mailing list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
        help_text=_("Empty when the record concerns every list."),
    )
    list_name = models.CharField(_("list"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    basis = models.CharField(_("how"), max_length=15, choices=Basis.choices)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["subscriber", "at"])]

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.get_action_display()}"


class MailBatch(models.Model):
    """One mass sending (a newsletter edition): its content, rendered once, and its progress.

    The messages of a batch are outbox rows that carry only their recipient and the values that
    differ per recipient (`OutboxMessage.variables`); the subject and bodies are here, with
    placeholders such as `{{unsubscribe_url}}` that delivery fills in.
    """

    class Status(models.TextChoices):
        SENDING = "sending", _("sending")
        PAUSED = "paused", _("paused")
        DONE = "done", _("sent")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(pgettext_lazy("mass sending", "title"), max_length=300)
    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("mailing list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="batches",
    )
    language = models.CharField(_("language"), max_length=5)
    from_email = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    total = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mass sending")
        verbose_name_plural = _("mass sendings")

    def __str__(self) -> str:
        return self.title


class Bounce(models.Model):
    """A delivery status notification (or other bounce) received for a message we sent."""

    class Kind(models.TextChoices):
        HARD = "hard", _("permanent failure")
        SOFT = "soft", _("temporary failure")

    email = models.EmailField(_("e-mail"))
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bounces",
    )
    message = models.ForeignKey(
        OutboxMessage,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bounces",
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    diagnostic = models.TextField(_("diagnostic"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")

    def __str__(self) -> str:
        return f"{self.email} ({self.kind})"
