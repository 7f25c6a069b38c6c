"""Networks and teams, organisations, people, memberships and join requests (M1)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Func, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmptyAsNull(Func):
    """NULLIF(x, '') with the empty string written into the SQL, so that an index on the
    expression and a query ordering by it read the same (a parameter would not match)."""

    template = "NULLIF(%(expressions)s, '')"
    output_field = models.CharField()


def sort_name(language: str | None, prefix: str = ""):
    """The name a row sorts and shows by: its name in the language, else its Finnish name.

    `prefix` reaches a related row's name, e.g. "municipality__".
    """
    if language in ("sv", "en"):
        return Coalesce(
            EmptyAsNull(f"{prefix}name_{language}"),
            f"{prefix}name_fi",
            output_field=models.CharField(),
        )
    return models.F(f"{prefix}name_fi")


LANGUAGE_CHOICES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


class Network(models.Model):
    """A network, a regional sub-network, or a thematic team inside a network."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("network")
        TEAM = "team", _("team")

    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NETWORK)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("abbreviation"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    how_to_join = models.TextField(_("how to join"), blank=True)
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    contact_person = models.ForeignKey(
        "Person",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    municipalities = models.ManyToManyField(
        "codelists.Municipality", verbose_name=_("area"), blank=True, related_name="networks"
    )
    is_open = models.BooleanField(_("open for join requests"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:network_home", kwargs={"slug": self.slug})

    @property
    def is_team(self) -> bool:
        return self.kind == self.Kind.TEAM

    @property
    def is_bilingual(self) -> bool:
        return "sv" in (self.languages or [])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        languages = self.languages or []
        unknown = set(languages) - {code for code, _label in LANGUAGE_CHOICES}
        if unknown or not languages:
            errors["languages"] = _("Choose at least one of Finnish, Swedish and English.")
        if self.kind == self.Kind.TEAM and self.parent_id is None:
            errors["parent"] = _("A team belongs to a network.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("A network cannot be part of itself.")
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    errors["parent"] = _("A network cannot be part of its own sub-network.")
                    break
                ancestor = ancestor.parent
        if "sv" in languages:
            if not (getattr(self, "name_sv", "") or "").strip():
                errors["name_sv"] = _("A bilingual network needs its name in Swedish.")
            if (getattr(self, "description_fi", "") or "").strip() and not (
                getattr(self, "description_sv", "") or ""
            ).strip():
                errors["description_sv"] = _(
                    "A bilingual network needs its description in Swedish."
                )
        if errors:
            raise ValidationError(errors)


class Organisation(models.Model):
    class Type(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        JOINT_AUTHORITY = "joint_authority", _("joint municipal authority")
        EMPLOYMENT_AREA = "employment_area", _("employment area")
        WELLBEING_COUNTY = "wellbeing_county", _("wellbeing services county")
        ELINVOIMAKESKUS = "elinvoimakeskus", _("elinvoimakeskus (regional development centre)")
        KEHA = "keha", _("KEHA centre")
        KELA = "kela", _("Kela")
        MIGRI = "migri", _("Finnish Immigration Service")
        POLICE = "police", _("police")
        RECEPTION_CENTRE = "reception_centre", _("reception centre")
        REGIONAL_COUNCIL = "regional_council", _("regional council")
        EDUCATION = "education", _("educational institution")
        NGO = "ngo", _("NGO or association")
        MIGRANT_ORGANISATION = "migrant_organisation", _("migrant organisation")
        PARISH = "parish", _("parish or religious community")
        COMPANY = "company", _("company")
        PROJECT = "project", _("project")
        OTHER = "other", _("other")

    class LanguageStatus(models.TextChoices):
        FINNISH = "fi", _("Finnish-speaking")
        SWEDISH = "sv", _("Swedish-speaking")
        BILINGUAL_FI = "fi-sv", _("bilingual, Finnish majority")
        BILINGUAL_SV = "sv-fi", _("bilingual, Swedish majority")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices, db_index=True)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey(
        "codelists.Municipality",
        verbose_name=_("home municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="home_organisations",
    )
    municipalities = models.ManyToManyField(
        "codelists.Municipality",
        verbose_name=_("municipalities served"),
        blank=True,
        related_name="organisations",
    )
    language_status = models.CharField(
        _("language"), max_length=10, choices=LanguageStatus.choices, default=LanguageStatus.FINNISH
    )
    business_id = models.CharField(_("business ID"), max_length=9, blank=True, db_index=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("predecessors"),
        blank=True,
        symmetrical=False,
        related_name="successors",
    )
    editors = models.ManyToManyField(
        "Person", verbose_name=_("editors"), blank=True, related_name="edited_organisations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="organisation_validity_ordered",
            ),
        ]
        # The directory's order in each language (network.selectors.organisation_sort_name).
        indexes = [
            models.Index("name_fi", "id", name="organisation_sort_fi"),
            models.Index(sort_name("sv"), "id", name="organisation_sort_sv"),
            models.Index(sort_name("en"), "id", name="organisation_sort_en"),
            # Filtering by type in the default language: rows in order without a scan.
            models.Index("type", "name_fi", "id", name="organisation_type_sort_fi"),
            # Counting the organisations discontinued reads these indexes, not the table.
            models.Index("valid_until", name="organisation_valid_until"),
            models.Index("type", "valid_until", name="organisation_type_valid_until"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:organisation_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.valid_until is None or self.valid_until >= today

    def clean(self) -> None:
        if self.business_id and not business_id_is_valid(self.business_id):
            raise ValidationError(
                {
                    "business_id": _(
                        "Enter a Finnish business ID in the form 1234567-8 "
                        "with a valid check digit."
                    )
                }
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end date is before the start date.")})


def business_id_is_valid(value: str) -> bool:
    """Y-tunnus: seven digits, a hyphen and a check digit (weights 7, 9, 10, 5, 8, 4, 2)."""
    if not re.fullmatch(r"\d{7}-\d", value or ""):
        return False
    total = sum(int(d) * w for d, w in zip(value[:7], (7, 9, 10, 5, 8, 4, 2), strict=True))
    remainder = total % 11
    if remainder == 1:
        return False
    check = 0 if remainder == 0 else 11 - remainder
    return check == int(value[8])


class Person(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    municipality = models.ForeignKey(
        "codelists.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    language = models.CharField(
        _("preferred language"), max_length=5, choices=LANGUAGE_CHOICES, default="fi"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("network:person_detail", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Membership(models.Model):
    """A person's membership of a network or team; ended rows are the history."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        COORDINATOR = "coordinator", _("coordinator")
        LEAD = "lead", _("team lead")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__name", "person__last_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network"],
                condition=Q(status__in=["requested", "active"]),
                name="membership_one_current_per_network",
            ),
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.network} ({self.get_role_display()})"


class JoinRequest(models.Model):
    """A request from the public form to join a network; the coordinator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="join_requests"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_name = models.CharField(
        _("organisation, if not in the list"), max_length=200, blank=True
    )
    municipality = models.ForeignKey(
        "codelists.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="fi")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note to the applicant"), blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="join_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "email"],
                condition=Q(status="pending"),
                name="joinrequest_one_pending_per_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} → {self.network}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
