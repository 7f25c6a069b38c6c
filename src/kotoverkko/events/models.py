"""Meetings and events: series, planning checklists, agendas, registrations, invitations and
minutes (M2), and what the public calendar shows of them (M3)."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotoverkko.network.models import LANGUAGE_CHOICES


def new_uid() -> str:
    """A calendar UID that never changes for the event (RFC 5545 3.8.4.7)."""
    return f"{uuid.uuid4()}@kotoverkko"


class Audience(models.Model):
    """Who an event is meant for (public administration, municipalities, NGOs, …).

    `yso_id` is the General Finnish Ontology concept where one is known; the Linked Events
    export uses it for the event's audience.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    yso_id = models.CharField(_("YSO concept"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class EventSeries(models.Model):
    """A recurring event: the rule its occurrences follow, kept in RFC 5545 RRULE form.

    Occurrences are stored as Event rows (so each can be registered to, moved or cancelled on
    its own); the series remembers the local start time and length, which keeps "9–10" at
    9–10 in Helsinki on both sides of a daylight-saving change.
    """

    network = models.ForeignKey(
        "network.Network", on_delete=models.CASCADE, related_name="event_series"
    )
    rule = models.CharField(_("recurrence rule"), max_length=300)
    starts_on = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"))
    duration = models.DurationField(_("duration"))
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of occurrences"), null=True, blank=True)
    excluded_dates = models.JSONField(_("exceptions"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return self.rule


class Event(models.Model):
    class Type(models.TextChoices):
        NETWORK_MEETING = "network_meeting", _("network meeting")
        TEAM_MEETING = "team_meeting", _("team meeting")
        COOPERATION_DAY = "cooperation_day", _("cooperation day")
        INFO_SESSION = "info_session", _("info session")
        TRAINING = "training", _("training")
        SEMINAR = "seminar", _("seminar")
        OTHER = "other", _("other event")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        POSTPONED = "postponed", _("postponed")
        RESCHEDULED = "rescheduled", _("rescheduled")
        CANCELLED = "cancelled", _("cancelled")

    class Visibility(models.TextChoices):
        DRAFT = "draft", _("draft")
        MEMBERS = "members", _("members only")
        PUBLIC = "public", _("public")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid")

    class LinkAudience(models.TextChoices):
        PUBLIC = "public", _("everyone")
        REGISTRANTS = "registrants", _("registered participants")

    uid = models.CharField(_("calendar UID"), max_length=100, unique=True, default=new_uid)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    network = models.ForeignKey(
        "network.Network",
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    team = models.ForeignKey(
        "network.Network",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_events",
        limit_choices_to={"kind": "team"},
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sub_events",
    )
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="occurrences",
    )
    # An occurrence edited on its own keeps its changes when the rest of its series is edited.
    detached = models.BooleanField(default=False)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("agreed at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_events",
    )

    type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    title = models.CharField(pgettext_lazy("event", "title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("target groups"), blank=True, related_name="events"
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.DRAFT
    )

    organiser = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    hosts = models.ManyToManyField(
        "network.Organisation",
        verbose_name=_("host organisations"),
        blank=True,
        related_name="hosted_events",
    )
    co_organisers = models.ManyToManyField(
        "network.Organisation",
        verbose_name=_("co-organisers"),
        blank=True,
        related_name="co_organised_events",
    )
    funders = models.ManyToManyField(
        "network.Organisation",
        verbose_name=_("funders"),
        blank=True,
        related_name="funded_events",
    )
    eu_cofunded = models.BooleanField(_("co-funded by the European Union"), default=False)
    funding_note = models.CharField(_("about the funding"), max_length=300, blank=True)

    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    municipality = models.ForeignKey(
        "codelists.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    accessibility = models.TextField(_("accessibility"), blank=True)
    online_platform = models.CharField(_("online platform"), max_length=60, blank=True)
    online_link = models.URLField(_("participation link"), max_length=1000, blank=True)
    link_audience = models.CharField(
        _("link shown to"),
        max_length=20,
        choices=LinkAudience.choices,
        default=LinkAudience.REGISTRANTS,
    )
    link_shown_before = models.DurationField(
        _("link shown on the page before the start"), default=timedelta(minutes=15)
    )
    link_sent_before = models.DurationField(
        _("link e-mailed before the start"), default=timedelta(days=1)
    )
    link_sent_at = models.DateTimeField(null=True, blank=True)

    registration_open = models.BooleanField(_("registration"), default=True)
    registration_deadline = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    walk_ins_welcome = models.BooleanField(
        _("participation without registration is welcome"), default=False
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    room_rent = models.DecimalField(
        _("room rent"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    coffee_cost = models.DecimalField(
        _("coffee"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    other_costs = models.DecimalField(
        _("other costs"), max_digits=9, decimal_places=2, default=Decimal("0")
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # Upcoming lists and the month view read start and end from the index alone.
            models.Index(
                fields=["visibility", "starts_at", "ends_at"], name="event_visibility_times"
            ),
            models.Index(fields=["network", "starts_at"], name="event_network_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(room_rent__gte=0) & Q(coffee_cost__gte=0) & Q(other_costs__gte=0),
                name="event_costs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def total_costs(self) -> Decimal:
        return self.room_rent + self.coffee_cost + self.other_costs

    @property
    def spans_days(self) -> bool:
        return timezone.localdate(self.starts_at) != timezone.localdate(self.ends_at)

    def registration_closes_at(self):
        """Registration closes at the deadline, or at the start when none was set."""
        return self.registration_deadline or self.starts_at

    def registration_refusal(self, now) -> str:
        """Why a registration would be refused at `now`; empty when it would be accepted."""
        if self.is_cancelled:
            return _("The event is cancelled.")
        if self.visibility == self.Visibility.DRAFT:
            return _("Registration has not opened yet.")
        if not self.registration_open:
            return _("This event has no registration.")
        if now >= self.registration_closes_at():
            return _("Registration has closed.")
        return ""

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if (
            self.registration_deadline
            and self.ends_at
            and self.registration_deadline > self.ends_at
        ):
            errors["registration_deadline"] = _("Registration must close before the event ends.")
        if self.team_id and self.team and self.team.parent_id != self.network_id:
            errors["team"] = _("The team must belong to the event's network.")
        if self.is_in_person and not (self.venue_name or self.street_address):
            errors["venue_name"] = _("Give the venue or street address of an in-person event.")
        if self.online_link and not self.online_link.lower().startswith("https://"):
            errors["online_link"] = _("The participation link must start with https://.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("An event cannot be part of itself.")
        unknown = set(self.languages or []) - {code for code, _label in LANGUAGE_CHOICES}
        if unknown:
            errors["languages"] = _("Choose among Finnish, Swedish and English.")
        bilingual = self.network_id and self.network.is_bilingual
        if bilingual and self.is_public and not (getattr(self, "title_sv", "") or "").strip():
            errors["title_sv"] = _("A bilingual network's public event needs a Swedish title.")
        if errors:
            raise ValidationError(errors)


class HostTurn(models.Model):
    """One organisation's place in a network's rotation of meeting hosts."""

    network = models.ForeignKey(
        "network.Network", on_delete=models.CASCADE, related_name="host_rotation"
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="host_turns",
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["network", "position"]
        verbose_name = _("host turn")
        verbose_name_plural = _("host rotation")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"], name="host_turn_once_per_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.organisation}"


class ChecklistItem(models.Model):
    """A planning task of an event with its due date counted back from the start."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checklist")
    # Items made from the template carry its key and are shown in the reader's language.
    key = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("task"), max_length=200, blank=True)
    due_on = models.DateField(_("due"))
    owner = models.ForeignKey(
        "network.Person",
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_items",
    )
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "position", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from .checklists import template_label

        return template_label(self.key) or self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today=None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())


class AgendaItem(models.Model):
    class Type(models.TextChoices):
        CURRENT_AFFAIRS = "current_affairs", _("current-affairs round")
        THEME_TALK = "theme_talk", _("theme talk")
        WORKSHOP = "workshop", _("workshop")
        DEBRIEF = "debrief", _("workshop debrief")
        BREAK = "break", _("break")
        OTHER = "other", _("other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    starts_at = models.DateTimeField(_("starts"))
    duration = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.OTHER)
    title = models.CharField(pgettext_lazy("event", "title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["starts_at", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration)


class Speaker(models.Model):
    """A speaker of an agenda item: a person in the register, or a guest named here."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(
        "network.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talks",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id else self.name

    @property
    def display_organisation(self) -> str:
        if self.organisation_id:
            return str(self.organisation)
        if self.person_id and self.person.organisation_id:
            return str(self.person.organisation)
        return self.organisation_name


class AgendaSlot(models.Model):
    """One organisation's timed turn in a current-affairs round."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="slots")
    organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    seconds = models.PositiveIntegerField()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.label


def material_path(instance, filename: str) -> str:
    """Where the events' own materials were stored before they became library documents; the
    earlier migrations still refer to it."""
    return f"events/{instance.event_id}/{uuid.uuid4().hex}"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("not marked")
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(
        "network.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    diet = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="fi")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    walk_in = models.BooleanField(_("came without registering"), default=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # The notice ("confirmed" or "waiting") still to be queued for this registration: set in
    # the transaction that saves the registration, cleared in the one that queues the message.
    notice_pending = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_address",
            )
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="registration_event_status"),
            models.Index(
                fields=["created_at"],
                condition=~Q(notice_pending=""),
                name="registration_notice_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    @property
    def display_organisation(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organisation_name


class Invitation(models.Model):
    """Someone an event's calendar invitation went to; changes and cancellation reach them."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "network.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=5, default="fi")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="invitation_once_per_address")
        ]

    def __str__(self) -> str:
        return self.email


class Minutes(models.Model):
    """The minutes (muistio) of an event: drafted, approved, then sent and/or published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    body = models.TextField(_("minutes"))
    version = models.PositiveIntegerField(default=1)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published = models.BooleanField(_("published on the event page"), default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.event)


class MinutesVersion(models.Model):
    """Every saved text of the minutes, so an approved version can always be shown again."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"


class CalendarToken(models.Model):
    """The secret of a personal calendar feed; revoking it makes a new address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed address")

    def __str__(self) -> str:
        return str(self.user)
