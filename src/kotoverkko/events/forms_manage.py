"""Forms of the planning pages: the event form (with the repeat rule of a new series), the
next meeting's date, checklist tasks and the host rotation. The services do the writing."""

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kotoverkko.codelists.models import Municipality
from kotoverkko.common.forms import apply_service_errors
from kotoverkko.network.models import LANGUAGE_CHOICES, Network, Organisation

from .models import Audience, Event
from .recurrence import HORIZON, MAX_OCCURRENCES, Recurrence, expand, local_zone

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
TRANSLATED = ("title", "theme", "description", "accessibility", "funding_note")

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
MONTH_CHOICES = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]
NTH_CHOICES = [
    ("", _("the same as on the first date")),
    (1, _("first")),
    (2, _("second")),
    (3, _("third")),
    (4, _("fourth")),
    (-1, _("last")),
]
MAX_SKIP_DATES = 100
SEVERAL = _("Hold down Ctrl (⌘ on a Mac) to choose several.")

# The model fields the form edits whose values the services take as they are.
EVENT_FIELDS = [
    "type",
    "team",
    "parent",
    *[f"{name}_{code}" for name in TRANSLATED for code, _label in LANGUAGE_CHOICES],
    "audiences",
    "status",
    "visibility",
    "organiser",
    "hosts",
    "co_organisers",
    "funders",
    "eu_cofunded",
    "format",
    "venue_name",
    "street_address",
    "postal_code",
    "municipality",
    "online_platform",
    "online_link",
    "link_audience",
    "registration_open",
    "capacity",
    "walk_ins_welcome",
    "room_rent",
    "coffee_cost",
    "other_costs",
]


def local_datetime(day: date, at: time) -> datetime:
    """A Helsinki wall-clock time as an aware datetime; a time the clocks skip is an error."""
    zone = local_zone()
    moment = datetime.combine(day, at).replace(tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ValidationError(
            _("%(time)s does not exist on %(date)s in Finnish time (the clocks move forward).")
            % {"time": at.strftime("%H:%M"), "date": date_format(day, "SHORT_DATE_FORMAT")},
            code="nonexistent",
        )
    return moment


def _local_parts(moment: datetime | None) -> tuple[date | None, time | None]:
    if moment is None:
        return None, None
    local = moment.astimezone(local_zone())
    return local.date(), local.time().replace(second=0, microsecond=0, tzinfo=None)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def parse_dates(text: str) -> list[date]:
    """Dates written one per line or separated by commas: 14.6.2024 or 2024-06-14."""
    found: list[date] = []
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        parsed = None
        for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%Y."):
            try:
                parsed = datetime.strptime(token, pattern).date()  # noqa: DTZ007 (a date only)
                break
            except ValueError:
                continue
        if parsed is None:
            raise ValidationError(
                _("%(value)s is not a date. Write dates like 14.6.2024.") % {"value": token[:20]},
                code="invalid_date",
            )
        found.append(parsed)
    if len(found) > MAX_SKIP_DATES:
        raise ValidationError(
            _("At most %(max)s dates can be skipped.") % {"max": MAX_SKIP_DATES}, code="too_many"
        )
    return sorted(set(found))


class EventForm(forms.ModelForm):
    """An event's settings; with `allow_repeat`, also the rule of a new series, and with
    `ask_scope`, whether an edit of an occurrence reaches the later ones too."""

    # Form fields that together make one model field.
    COMBINED = {
        "starts_on": ("starts_at", "ends_at"),
        "starts_time": ("starts_at", "ends_at"),
        "ends_on": ("starts_at", "ends_at"),
        "ends_time": ("starts_at", "ends_at"),
        "languages": ("languages",),
        "link_shown_minutes": ("link_shown_before",),
        "link_sent_hours": ("link_sent_before",),
        "registration_deadline_on": ("registration_deadline",),
        "registration_deadline_time": ("registration_deadline",),
    }
    # Where a service's error about a model field is shown.
    ERROR_FIELDS = {
        "starts_at": "starts_time",
        "ends_at": "ends_time",
        "registration_deadline": "registration_deadline_on",
        "link_shown_before": "link_shown_minutes",
        "link_sent_before": "link_sent_hours",
        "frequency": "repeat",
        "title": "title_fi",
        "theme": "theme_fi",
        "description": "description_fi",
    }

    starts_on = forms.DateField(label=_("Date"), widget=_date_input())
    starts_time = forms.TimeField(label=_("Starts at"), widget=_time_input())
    ends_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=_date_input(),
        help_text=_("Only for an event that lasts several days."),
    )
    ends_time = forms.TimeField(label=_("Ends at"), widget=_time_input())
    languages = forms.MultipleChoiceField(
        label=_("Languages of the event"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    online_link = forms.URLField(
        label=_("Participation link"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("The same link can serve every event of a series."),
    )
    link_shown_minutes = forms.IntegerField(
        label=_("Link shown on the event page (minutes before the start)"),
        min_value=0,
        max_value=7 * 24 * 60,
        initial=15,
    )
    link_sent_hours = forms.IntegerField(
        label=_("Link e-mailed to the registered (hours before the start)"),
        min_value=0,
        max_value=30 * 24,
        initial=24,
    )
    registration_deadline_on = forms.DateField(
        label=_("Registration closes on"),
        required=False,
        widget=_date_input(),
        help_text=_("Without a date, registration stays open until the start."),
    )
    registration_deadline_time = forms.TimeField(
        label=_("Registration closes at"), required=False, widget=_time_input()
    )

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        widgets = {
            "audiences": forms.CheckboxSelectMultiple,
            **{
                f"description_{code}": forms.Textarea(attrs={"rows": 4})
                for code, _label in LANGUAGE_CHOICES
            },
            **{
                f"accessibility_{code}": forms.Textarea(attrs={"rows": 2})
                for code, _label in LANGUAGE_CHOICES
            },
        }

    def __init__(
        self,
        *args,
        network: Network,
        teams,
        team_required: bool = False,
        allow_repeat: bool = False,
        ask_scope: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.network = network
        self.allow_repeat = allow_repeat
        self.ask_scope = ask_scope
        self._translated_labels()
        fields = self.fields
        fields["team"].queryset = teams
        fields["team"].required = team_required
        fields["team"].empty_label = _("the whole network")
        fields["parent"].queryset = self._parent_choices()
        fields["parent"].label_from_instance = _event_choice_label
        fields["parent"].empty_label = _("no main event")
        fields["audiences"].queryset = Audience.objects.all()
        organisations = Organisation.objects.order_by("name")
        for name in ("organiser", "hosts", "co_organisers", "funders"):
            fields[name].queryset = organisations
        for name in ("co_organisers", "funders"):
            fields[name].help_text = SEVERAL
        fields["organiser"].empty_label = _("not chosen")
        fields["municipality"].queryset = Municipality.objects.order_by("name")
        fields["municipality"].empty_label = _("not chosen")
        for name in ("room_rent", "coffee_cost", "other_costs"):
            fields[name].required = False
            fields[name].widget.attrs["min"] = "0"
            fields[name].validators.append(_not_negative)
        fields["capacity"].widget.attrs["min"] = "1"
        fields["capacity"].validators.append(MinValueValidator(1))
        fields["capacity"].help_text = _("Leave empty for no limit.")
        fields["hosts"].help_text = format_lazy(
            "{} {}", _("The next host in the rotation is proposed."), SEVERAL
        )
        if allow_repeat:
            self._add_repeat_fields()
        if ask_scope:
            fields["scope"] = forms.ChoiceField(
                label=_("Change"),
                choices=[
                    ("this", _("only this event")),
                    ("following", _("this and the following events of the series")),
                ],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _(
                        "Choose whether the change is for this event only or for the "
                        "following events of the series too."
                    )
                },
            )
        if self.instance.pk:
            self._initial_from_instance()

    # Set-up -------------------------------------------------------------------------------

    def _translated_labels(self) -> None:
        labels = {
            "title": pgettext_lazy("event", "Title"),
            "theme": pgettext_lazy("event", "Theme"),
            "description": pgettext_lazy("event", "Description"),
            "accessibility": pgettext_lazy("event", "Accessibility"),
            "funding_note": pgettext_lazy("event", "About the funding"),
        }
        for name, label in labels.items():
            for code, language in LANGUAGE_CHOICES:
                self.fields[f"{name}_{code}"].label = _("%(field)s (%(language)s)") % {
                    "field": label,
                    "language": language,
                }
                self.fields[f"{name}_{code}"].required = False
        for name, field in self.fields.items():
            if name not in self.COMBINED and field.label:
                field.label = capfirst(field.label)
        # The model's choice labels are lower case for use inside sentences.
        for name in ("type", "status", "visibility", "format", "link_audience"):
            field = self.fields[name]
            field.choices = [(value, capfirst(label)) for value, label in field.choices]

    def _parent_choices(self):
        """Main events a sub-event can belong to: the network's (and those above it) of the
        past year and later."""
        ids = [self.network.pk] + ([self.network.parent_id] if self.network.parent_id else [])
        since = timezone.now() - timedelta(days=365)
        qs = (
            Event.objects.filter(network_id__in=ids, parent__isnull=True, ends_at__gte=since)
            .exclude(status=Event.Status.CANCELLED)
            .order_by("starts_at", "pk")
        )
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        return qs

    def _add_repeat_fields(self) -> None:
        self.fields.update(
            {
                "repeat": forms.ChoiceField(
                    label=_("Repeat"),
                    choices=[
                        ("", _("does not repeat")),
                        ("weekly", _("weekly")),
                        ("monthly", _("monthly")),
                    ],
                    required=False,
                ),
                "weekdays": forms.TypedMultipleChoiceField(
                    label=_("On"),
                    choices=WEEKDAY_CHOICES,
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Without a choice, on the weekday of the first date."),
                ),
                "nth": forms.TypedChoiceField(
                    label=_("Which weekday of the month"),
                    choices=NTH_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                ),
                "interval": forms.IntegerField(
                    label=_("Every how many weeks or months"),
                    min_value=1,
                    max_value=12,
                    initial=1,
                    required=False,
                ),
                "skip_months": forms.TypedMultipleChoiceField(
                    label=_("Not in these months"),
                    choices=MONTH_CHOICES,
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                ),
                "until": forms.DateField(
                    label=_("Last date"), required=False, widget=_date_input()
                ),
                "count": forms.IntegerField(
                    label=_("Or number of events"),
                    min_value=1,
                    max_value=MAX_OCCURRENCES,
                    required=False,
                ),
                "skip_dates": forms.CharField(
                    label=_("Dates to skip"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("For example holidays: 6.12.2026, 1.5.2027"),
                ),
            }
        )

    def _initial_from_instance(self) -> None:
        event = self.instance
        starts_on, starts_time = _local_parts(event.starts_at)
        ends_on, ends_time = _local_parts(event.ends_at)
        deadline_on, deadline_time = _local_parts(event.registration_deadline)
        self.initial.update(
            {
                "starts_on": starts_on,
                "starts_time": starts_time,
                "ends_on": ends_on if ends_on != starts_on else None,
                "ends_time": ends_time,
                "languages": list(event.languages or []),
                "link_shown_minutes": int(event.link_shown_before.total_seconds() // 60),
                "link_sent_hours": int(event.link_sent_before.total_seconds() // 3600),
                "registration_deadline_on": deadline_on,
                "registration_deadline_time": deadline_time,
            }
        )

    # Validation ---------------------------------------------------------------------------

    def _post_clean(self):
        # The service validates the whole model; only the form's own checks run here.
        pass

    def clean(self):
        data = super().clean()
        if not any((data.get(f"title_{code}") or "").strip() for code, _l in LANGUAGE_CHOICES):
            self.add_error("title_fi", _("Give the title in at least one language."))
        self._clean_times(data)
        self._clean_deadline(data)
        if self.allow_repeat and data.get("repeat"):
            self._clean_repeat(data)
        return data

    def _clean_times(self, data) -> None:
        starts_on, starts_time = data.get("starts_on"), data.get("starts_time")
        ends_time = data.get("ends_time")
        if not (starts_on and starts_time and ends_time):
            return
        ends_on = data.get("ends_on") or starts_on
        try:
            data["starts_at"] = local_datetime(starts_on, starts_time)
        except ValidationError as error:
            self.add_error("starts_time", error)
            return
        try:
            data["ends_at"] = local_datetime(ends_on, ends_time)
        except ValidationError as error:
            self.add_error("ends_time", error)
            return
        if data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_time", _("The event must end after it starts."))

    def _clean_deadline(self, data) -> None:
        day, at = data.get("registration_deadline_on"), data.get("registration_deadline_time")
        data["registration_deadline"] = None
        if day is None and at is None:
            return
        if day is None or at is None:
            self.add_error(
                "registration_deadline_on", _("Give both the date and the time, or neither.")
            )
            return
        try:
            data["registration_deadline"] = local_datetime(day, at)
        except ValidationError as error:
            self.add_error("registration_deadline_time", error)

    def _clean_repeat(self, data) -> None:
        starts_at = data.get("starts_at")
        if starts_at is None:
            return
        first = starts_at.astimezone(local_zone()).date()
        until, count = data.get("until"), data.get("count")
        if data.get("registration_deadline") is not None:
            # One date cannot close the registration of every event of a series.
            self.add_error(
                "registration_deadline_on",
                _("Leave the deadline empty for a series: registration closes at each start."),
            )
            return
        if until is not None and count is not None:
            self.add_error(
                "count", _("Give either the last date or the number of events, not both.")
            )
            return
        if until is not None and until < first:
            self.add_error("until", _("The last date is before the first."))
            return
        if until is not None and until > first + HORIZON:
            self.add_error(
                "until",
                _("A series can run for at most %(days)s days.") % {"days": HORIZON.days},
            )
            return
        nth = data.get("nth")
        if data["repeat"] == "monthly" and nth is None:
            nth = (first.day - 1) // 7 + 1
            nth = -1 if nth == 5 else nth
        recurrence = Recurrence(
            frequency=data["repeat"],
            weekdays=tuple(data.get("weekdays") or (first.weekday(),)),
            interval=data.get("interval") or 1,
            nth=nth if data["repeat"] == "monthly" else None,
            skip_months=tuple(data.get("skip_months") or ()),
            until=until,
            count=count,
            skip_dates=tuple(data.get("skip_dates") or ()),
        )
        try:
            recurrence.validate()
        except ValidationError as error:
            self.apply_errors(error)
            return
        starts = expand(
            rule=recurrence.rule(),
            starts_on=first,
            start_time=starts_at.astimezone(local_zone()).time().replace(tzinfo=None),
            skip_dates=recurrence.skip_dates,
            limit=MAX_OCCURRENCES + 1,
        )
        if len(starts) > MAX_OCCURRENCES:
            self.add_error(
                "until",
                _("The series would have more than %(max)s events. Choose an earlier last date.")
                % {"max": MAX_OCCURRENCES},
            )
            return
        data["recurrence"] = recurrence
        data["occurrences"] = len(starts)

    def clean_room_rent(self):
        return self.cleaned_data.get("room_rent") or Decimal("0")

    def clean_coffee_cost(self):
        return self.cleaned_data.get("coffee_cost") or Decimal("0")

    def clean_other_costs(self):
        return self.cleaned_data.get("other_costs") or Decimal("0")

    def clean_skip_dates(self):
        return parse_dates(self.cleaned_data.get("skip_dates") or "")

    def clean_online_link(self):
        return (self.cleaned_data.get("online_link") or "").strip()

    def apply_errors(self, error: ValidationError) -> None:
        """Show a service's (or the model's) validation errors on the matching fields."""
        apply_service_errors(self, error, self.ERROR_FIELDS)

    # Output -------------------------------------------------------------------------------

    def service_data(self, *, changed_only: bool = False) -> dict:
        """The model fields the services take; with `changed_only`, those the user changed."""
        data = self.cleaned_data
        values = {name: data[name] for name in EVENT_FIELDS}
        for name in ("audiences", "hosts", "co_organisers", "funders"):
            values[name] = list(values[name])
        values.update(
            {
                "starts_at": data["starts_at"],
                "ends_at": data["ends_at"],
                "languages": list(data["languages"]),
                "link_shown_before": timedelta(minutes=data["link_shown_minutes"]),
                "link_sent_before": timedelta(hours=data["link_sent_hours"]),
                "registration_deadline": data["registration_deadline"],
            }
        )
        if not changed_only:
            return values
        wanted: set[str] = set()
        for name in self.changed_data:
            wanted.update(self.COMBINED.get(name, (name,)))
        return {name: value for name, value in values.items() if name in wanted}

    @property
    def recurrence(self) -> Recurrence | None:
        return self.cleaned_data.get("recurrence")

    # Layout -------------------------------------------------------------------------------

    def groups(self) -> list[dict]:
        """The form's fieldsets in the order the page shows them."""
        languages = [
            {
                "legend": capfirst(LANGUAGE_NAMES[code]),
                "fields": [self[f"{name}_{code}"] for name in ("title", "theme", "description")],
            }
            for code, _label in LANGUAGE_CHOICES
        ]
        groups = [
            {"legend": _("Event"), "fields": self._bound("type", "team", "parent", "status")},
            *languages,
            {
                "legend": _("Time"),
                "fields": self._bound("starts_on", "starts_time", "ends_time", "ends_on"),
            },
        ]
        if self.allow_repeat:
            groups.append(
                {
                    "legend": _("Repeat"),
                    "id": "repeat",
                    "fields": self._bound(
                        "repeat",
                        "weekdays",
                        "nth",
                        "interval",
                        "skip_months",
                        "until",
                        "count",
                        "skip_dates",
                    ),
                }
            )
        groups += [
            {
                "legend": _("Audience and visibility"),
                "fields": self._bound("visibility", "languages", "audiences"),
            },
            {
                "legend": _("Organisers and funding"),
                "fields": self._bound(
                    "organiser",
                    "hosts",
                    "co_organisers",
                    "funders",
                    "eu_cofunded",
                    "funding_note_fi",
                    "funding_note_sv",
                    "funding_note_en",
                ),
            },
            {
                "legend": _("Place"),
                "fields": self._bound(
                    "format",
                    "venue_name",
                    "street_address",
                    "postal_code",
                    "municipality",
                    "accessibility_fi",
                    "accessibility_sv",
                    "accessibility_en",
                ),
            },
            {
                "legend": _("Online participation"),
                "fields": self._bound(
                    "online_platform",
                    "online_link",
                    "link_audience",
                    "link_shown_minutes",
                    "link_sent_hours",
                ),
            },
            {
                "legend": _("Registration"),
                "fields": self._bound(
                    "registration_open",
                    "registration_deadline_on",
                    "registration_deadline_time",
                    "capacity",
                    "walk_ins_welcome",
                ),
            },
            {
                "legend": _("Costs (euros)"),
                "fields": self._bound("room_rent", "coffee_cost", "other_costs"),
            },
        ]
        return groups

    def _bound(self, *names: str) -> list:
        return [self[name] for name in names if name in self.fields]


def _not_negative(value) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("A cost cannot be negative."), code="negative")


def _event_choice_label(event: Event) -> str:
    day = timezone.localtime(event.starts_at).date()
    return f"{event.title} ({date_format(day, 'SHORT_DATE_FORMAT')})"


class NextMeetingForm(forms.Form):
    """The date agreed at a meeting for the next one."""

    starts_on = forms.DateField(label=_("Date of the next meeting"), widget=_date_input())
    starts_time = forms.TimeField(label=_("Starts at"), widget=_time_input())

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("starts_time"):
            try:
                data["starts_at"] = local_datetime(data["starts_on"], data["starts_time"])
            except ValidationError as error:
                self.add_error("starts_time", error)
        return data

    def apply_errors(self, error: ValidationError) -> None:
        apply_service_errors(self, error, {"starts_at": "starts_on"})


class CancelForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, cancel the event and tell everyone invited or registered"),
        error_messages={"required": _("Confirm the cancellation.")},
    )


def people_choices(people) -> list[tuple[str, str]]:
    return [("", _("nobody yet"))] + [(str(p.pk), p.full_name) for p in people]


class ChecklistItemForm(forms.Form):
    """One task's due date, owner and state. The owner's choices are worked out once for the
    whole list (a query per row otherwise)."""

    due_on = forms.DateField(label=_("Due"), widget=_date_input())
    owner = forms.ChoiceField(label=_("Responsible"), required=False)
    done = forms.BooleanField(label=_("Done"), required=False)

    def __init__(self, *args, people: dict[int, object], choices, html_form: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["owner"].choices = choices
        if html_form:
            # The row's inputs sit in table cells outside the <form> element they belong to.
            for field in self.fields.values():
                field.widget.attrs["form"] = html_form

    def clean_owner(self):
        value = self.cleaned_data.get("owner")
        return self.people[int(value)] if value else None

    def apply_errors(self, error: ValidationError) -> None:
        apply_service_errors(self, error)


class ChecklistAddForm(ChecklistItemForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    field_order = ["title", "due_on", "owner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["done"]


class HostAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, exclude_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .exclude(pk__in=list(exclude_ids))
            .order_by("name")
        )
