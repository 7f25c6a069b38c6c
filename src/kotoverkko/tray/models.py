"""The offering tray (kotoutumistarjotin): who offers what for newcomers, where, in which
languages and for whom; organisations' wishes; Starttipaja workshops with their follow-up
actions; and what each municipality of a network's area is expected to have.

The categories and client groups are editable vocabularies; the defaults come from a data
migration (the tray of seed 004).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A compartment of the tray: a form of activity for NGOs and communities, a role for
    authorities."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("NGOs and communities")
        AUTHORITY = "authority", _("authorities")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("for"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "position", "code"]
        verbose_name = _("tray category")
        verbose_name_plural = _("tray categories")

    def __str__(self) -> str:
        return self.name


class ClientGroup(models.Model):
    """Whom an offering is for: families with children, young people, job seekers, …"""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("client group")
        verbose_name_plural = _("client groups")

    def __str__(self) -> str:
        return self.name


class PathStage(models.TextChoices):
    """Where an offering sits in the newcomer's path."""

    BEFORE_ASSESSMENT = "assessment", _("before or at the initial assessment")
    PLAN = "plan", _("integration plan")
    TRAINING = "training", _("integration training")
    AFTER_TRAINING = "after", _("after integration training")
    OUTSIDE = "outside", _("outside the path")


class TimeOfDay(models.TextChoices):
    DAYTIME = "daytime", _("weekdays in the daytime")
    EVENINGS = "evenings", _("evenings")
    WEEKENDS = "weekends", _("weekends")


class Offering(models.Model):
    class Cost(models.TextChoices):
        FREE = "free", _("free")
        FEE = "fee", _("a fee")

    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="offerings",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="offerings"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    how_to_join = models.TextField(_("how to take part"), blank=True)
    municipalities = models.ManyToManyField(
        "codelists.Municipality",
        verbose_name=_("municipalities"),
        blank=True,
        related_name="offerings",
    )
    regions = models.ManyToManyField(
        "codelists.Region",
        verbose_name=_("whole regions"),
        blank=True,
        related_name="offerings",
    )
    # ISO 639-1 codes (ISO 639-3 where there is no two-letter code), e.g. ["fi", "ar", "ru"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    groups = models.ManyToManyField(
        ClientGroup, verbose_name=_("client groups"), blank=True, related_name="offerings"
    )
    path_stages = models.JSONField(_("place in the newcomer's path"), default=list, blank=True)
    times = models.JSONField(_("when"), default=list, blank=True)
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_note = models.CharField(_("about the cost"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    url = models.URLField(_("web page"), blank=True)
    service_class = models.ForeignKey(
        "codelists.ServiceClass",
        verbose_name=_("PTV service class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_on = models.DateField(_("last confirmed"), default=timezone.localdate)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the organisation's editors were last asked to confirm it (see STALE_AFTER_DAYS).
    reminded_at = models.DateTimeField(null=True, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "category", "pk"]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        indexes = [
            models.Index(fields=["category", "archived"], name="tray_offering_category"),
            models.Index(fields=["confirmed_on"], name="tray_offering_confirmed"),
        ]

    def __str__(self) -> str:
        return self.title


class Wish(models.Model):
    """An idea or a need an organisation puts forward, for others to take up."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        TAKEN = "taken", _("taken up")
        DONE = "done", _("done")

    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="wishes",
    )
    network = models.ForeignKey(
        "network.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wishes",
    )
    municipality = models.ForeignKey(
        "codelists.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wishes",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    offering = models.ForeignKey(
        Offering,
        verbose_name=_("became the offering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wishes",
    )
    workshop = models.ForeignKey(
        "tray.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wishes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")

    def __str__(self) -> str:
        return self.title


class WishResponse(models.Model):
    """Another organisation's answer to a wish."""

    class Kind(models.TextChoices):
        CAN_DO = "can", _("we can do this")
        TOGETHER = "together", _("let's do it together")

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="wish_responses"
    )
    kind = models.CharField(_("answer"), max_length=10, choices=Kind.choices)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["wish", "organisation"], name="tray_one_response_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.wish}"


class Workshop(models.Model):
    """A Starttipaja: local actors fill in their trays together, for one locality."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPEN = "open", _("open for filling in")
        CLOSED = "closed", _("closed")

    network = models.ForeignKey(
        "network.Network",
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="workshops",
    )
    municipality = models.ForeignKey(
        "codelists.Municipality",
        verbose_name=_("locality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return self.title


def _nonce() -> str:
    return secrets.token_urlsafe(16)


class WorkshopInvitation(models.Model):
    """A named person's signed link to fill in her organisation's tray during a workshop,
    without an account."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="workshop_invitations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    # Part of the signed link: a new nonce makes the old link stop working.
    nonce = models.CharField(max_length=40, default=_nonce)
    sent_at = models.DateTimeField(null=True, blank=True)
    first_used_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "organisation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "email"], name="tray_one_invitation_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class FollowUp(models.Model):
    """An action agreed in a workshop: what, who, by when."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="follow_ups")
    what = models.CharField(_("what"), max_length=300)
    who = models.CharField(_("who"), max_length=200)
    who_email = models.EmailField(_("e-mail for reminders"), blank=True)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("by"))
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.what


class Expectation(models.Model):
    """Something each municipality of a network's area is expected to have: a category,
    optionally in a language or for a client group. Gaps are measured against these."""

    network = models.ForeignKey(
        "network.Network", on_delete=models.CASCADE, related_name="tray_expectations"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=3, blank=True)
    group = models.ForeignKey(
        ClientGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["network", "category", "language", "pk"]

    def __str__(self) -> str:
        return f"{self.network}: {self.category}"
