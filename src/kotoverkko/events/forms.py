"""Forms of the public event pages: the calendar's filters and the registration form."""

import html
from collections.abc import Iterable
from datetime import date, timedelta

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kotoverkko.codelists.models import Municipality, Region
from kotoverkko.common.cache import cached_for_public_pages
from kotoverkko.common.templatetags.kotoverkko import options_html
from kotoverkko.network import selectors as network_selectors
from kotoverkko.network.models import LANGUAGE_CHOICES, Network, Organisation, Person

from .models import Audience, Event
from .selectors import EventFilters
from .services import RegistrationData

# The calendar's filters, in the order the form shows them.
FILTER_FIELDS = (
    "q",
    "network",
    "team",
    "region",
    "municipality",
    "type",
    "audience",
    "language",
    "format",
)


def _grouped_options_html(groups: Iterable[tuple[str, list[tuple[str, str]]]]) -> str:
    """<optgroup> elements of escaped <option>s, none selected (see options_html)."""
    return "".join(
        f'<optgroup label="{html.escape(label)}">{options_html(options)}</optgroup>'
        for label, options in groups
        if options
    )


def calendar_filter_options(*, language: str) -> dict[str, dict]:
    """The choices of the calendar's filters in one language, as <option> markup for the page
    and as the values the form accepts; cached until the next change of public data."""

    def compute() -> dict[str, dict]:
        with translation.override(language):
            networks = list(
                Network.objects.filter(kind=Network.Kind.NETWORK)
                .order_by("name")
                .values_list("pk", "slug", "name")
            )
            names = {pk: name for pk, _slug, name in networks}
            teams: dict[int, list[tuple[str, str]]] = {}
            for parent_id, slug, name in (
                Network.objects.filter(kind=Network.Kind.TEAM)
                .order_by("name")
                .values_list("parent_id", "slug", "name")
            ):
                teams.setdefault(parent_id, []).append((slug, name))
            team_groups = [
                (names[parent_id], options)
                for parent_id, options in sorted(teams.items(), key=lambda i: names.get(i[0], ""))
                if parent_id in names
            ]
            regions = list(Region.objects.order_by("name").values_list("code", "name"))
            used = Event.objects.filter(municipality=OuterRef("pk")).exclude(
                visibility=Event.Visibility.DRAFT
            )
            municipalities = list(
                Municipality.objects.filter(Exists(used))
                .order_by("name")
                .values_list("code", "name")
            )
            audiences = list(Audience.objects.values_list("code", "name"))
            types = [(v, capfirst(str(label))) for v, label in Event.Type.choices]
            formats = [(v, capfirst(str(label))) for v, label in Event.Format.choices]
            languages = [(v, capfirst(str(label))) for v, label in LANGUAGE_CHOICES]
            return {
                "html": {
                    "network": options_html((slug, name) for _pk, slug, name in networks),
                    "team": _grouped_options_html(team_groups),
                    "region": options_html(regions),
                    "municipality": options_html(municipalities),
                    "type": options_html(types),
                    "audience": options_html(audiences),
                    "language": options_html(languages),
                    "format": options_html(formats),
                },
                # A municipality without events yet is not offered, but is a valid filter.
                "values": {
                    "network": frozenset(slug for _pk, slug, _name in networks),
                    "team": frozenset(
                        slug for options in teams.values() for slug, _name in options
                    ),
                    "region": frozenset(code for code, _name in regions),
                    "municipality": frozenset(
                        Municipality.objects.order_by().values_list("code", flat=True)
                    ),
                    "type": frozenset(v for v, _label in types),
                    "audience": frozenset(code for code, _name in audiences),
                    "language": frozenset(v for v, _label in languages),
                    "format": frozenset(v for v, _label in formats),
                },
            }

    return cached_for_public_pages(f"event-filters:{language}", compute)


def _choice(label, unknown):
    """A filter whose value must be one of the cached choices (checked in clean())."""
    return forms.CharField(
        label=label, max_length=100, required=False, error_messages={"unknown": unknown}
    )


class CalendarFilterForm(forms.Form):
    """The calendar's GET form. Every value is checked against what exists, so a mistyped or
    stale address gets a message instead of an error page."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    network = _choice(_("Network"), _("There is no network “%(value)s”. Choose one."))
    team = _choice(_("Team"), _("There is no team “%(value)s”. Choose one."))
    region = _choice(_("Region"), _("There is no region “%(value)s”. Choose one."))
    municipality = _choice(
        _("Municipality"), _("There is no municipality “%(value)s”. Choose one.")
    )
    type = _choice(_("Type"), _("There is no event type “%(value)s”. Choose one."))
    audience = _choice(_("Target group"), _("There is no target group “%(value)s”. Choose one."))
    language = _choice(_("Language"), _("There is no language “%(value)s”. Choose one."))
    format = _choice(_("Format"), _("There is no format “%(value)s”. Choose one."))
    when = _choice(_("Events"), _("Choose upcoming or past events."))
    # A day or a month of events (the month view's links), past or coming.
    day = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give the day as 2026-11-14.")},
    )
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("Give the month as 2026-11.")},
    )

    def __init__(self, data, *, options: dict[str, dict]):
        super().__init__(data)
        # Sets rather than ChoiceFields: 309 municipalities as choices cost milliseconds.
        self.accepted = {**options["values"], "when": frozenset({"past"})}

    def clean(self):
        data = super().clean()
        for name, accepted in self.accepted.items():
            value = data.get(name)
            if value and value not in accepted:
                self._unknown(name, value)
        for name in ("network", "team"):
            if slug := self.cleaned_data.get(name):
                try:
                    self.cleaned_data[name] = network_selectors.network_get(slug=slug)
                except Network.DoesNotExist:  # removed after the choices were cached
                    self._unknown(name, slug)
        return self.cleaned_data

    def _unknown(self, name: str, value: str) -> None:
        message = self.fields[name].error_messages["unknown"]
        self.add_error(name, forms.ValidationError(message, params={"value": value}))

    @property
    def values(self) -> dict[str, str]:
        """What the form shows selected: the valid values, others left empty."""
        cleaned = getattr(self, "cleaned_data", {})
        values = {name: cleaned.get(name) or "" for name in (*FILTER_FIELDS, "when", "month")}
        for name in ("network", "team"):
            values[name] = getattr(values[name], "slug", "")
        values["day"] = cleaned["day"].isoformat() if cleaned.get("day") else ""
        return values

    def window(self) -> tuple[date | None, date | None]:
        """The first day and the day after the last of a day or month asked for."""
        data = getattr(self, "cleaned_data", {})
        if day := data.get("day"):
            return day, day + timedelta(days=1)
        if month := data.get("month"):
            first = date(int(month[:4]), int(month[5:]), 1)
            return first, (first + timedelta(days=31)).replace(day=1)
        return None, None

    def event_filters(self) -> EventFilters:
        """The filters the valid fields ask for (an invalid field filters nothing)."""
        data = getattr(self, "cleaned_data", {})
        starts_from, starts_before = self.window()
        return EventFilters(
            network=data.get("network") or None,
            team=data.get("team") or None,
            region=data.get("region") or "",
            municipality=data.get("municipality") or "",
            type=data.get("type") or "",
            audience=data.get("audience") or "",
            language=data.get("language") or "",
            format=data.get("format") or "",
            q=" ".join((data.get("q") or "").split()),
            past=data.get("when") == "past" and starts_from is None,
            starts_from=starts_from,
            starts_before=starts_before,
        )


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("The confirmation and the cancellation link are sent here."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("– not in the list –"),
    )
    organisation_name = forms.CharField(
        label=_("Organisation, if not in the list"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    diet = forms.CharField(label=_("Dietary needs"), max_length=300, required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        max_length=300,
        required=False,
        help_text=_("For example an induction loop, interpretation or a step-free route."),
    )
    language = forms.ChoiceField(label=_("Language for messages"), choices=LANGUAGE_CHOICES)
    # A field people do not see; bots fill it in.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, data=None, *, event: Event, language: str, person: Person | None = None, user=None
    ):
        super().__init__(data, initial={"language": language})
        # The organisations of the network's members; others write their organisation's name.
        organisations = network_selectors.organisation_list(
            filters=network_selectors.OrganisationFilters(network=event.network)
        )
        self.fields["organisation"].queryset = organisations
        if not event.is_in_person:
            del self.fields["diet"]
        if data is None:
            self._prefill(person, user, organisations)

    def _prefill(self, person: Person | None, user, organisations) -> None:
        """A logged-in person's own details, so that registering is one click."""
        if person is not None:
            self.initial.update(name=person.full_name, email=person.email)
            if person.organisation_id:
                if organisations.filter(pk=person.organisation_id).exists():
                    self.initial["organisation"] = person.organisation_id
                else:
                    self.initial["organisation_name"] = str(person.organisation)
        elif getattr(user, "is_authenticated", False):
            self.initial["email"] = user.email

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The registration could not be sent."))
        if data.get("organisation") is not None:
            data["organisation_name"] = ""
        return data

    def registration_data(self) -> RegistrationData:
        data = self.cleaned_data
        return RegistrationData(
            name=data["name"],
            email=data["email"],
            organisation=data.get("organisation"),
            organisation_name=data.get("organisation_name") or "",
            diet=data.get("diet") or "",
            accessibility_needs=data.get("accessibility_needs") or "",
            language=data["language"],
        )
