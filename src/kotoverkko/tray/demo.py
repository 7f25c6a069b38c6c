"""Demo tray: who offers what in Lapland, Ostrobothnia and Juva, the organisations' wishes, the
expectations the gaps are measured against, and two Starttipaja workshops.

Loaded at the end of the network demo (`network.demo.demo_load` calls `tray_demo_load`), after
the library demo. The texts are in demo_data/:

- organisations.json: the Juva actors of seed 004's filled-in tray (adult education centre,
  library, parish, Red Cross branch), added when missing; the other organisations come from
  the network demo.
- offerings_*.json: Juva's tray as the seed has it, and Lapland's and Ostrobothnia's offerings
  across every category, in Finnish, Swedish and English texts, with realistic overlaps (two
  language cafés in Kemi for the same people) and gaps (Tornio's and Närpes's early-phase
  activities have nothing in Arabic). `age` is how many days ago an offering was last
  confirmed, so a few are stale; `workshop` marks one filled in during that workshop.
- wishes.json: the seed's wishes (pancakes at the campfire shelter, ski course, sports pass,
  interpreting, cooking together, language café, crafts, wild herbs, fishing, …) with the
  answers they got; the Juva language café came true as the library's offering.
- workshops.json: a closed Starttipaja in Tornio with used invitations and follow-up actions
  (some done, one overdue) and a planned one in Kemijärvi, dated relative to today.
- expectations.json: what every municipality of MAKO's and POMAKO's areas is expected to have.

Offerings and wishes are written through the tray services with the system as the actor, and
found again by organisation and title; workshops, invitations, follow-ups and expectations by
their natural keys. Loading twice adds nothing.
"""

import json
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from kotoverkko.codelists.models import Municipality, Region, ServiceClass
from kotoverkko.network.models import Network, Organisation, Person
from kotoverkko.network.services import organisation_create

from . import services
from .models import (
    Category,
    ClientGroup,
    Expectation,
    FollowUp,
    Offering,
    Wish,
    Workshop,
    WorkshopInvitation,
)

DATA = Path(__file__).resolve().parent / "demo_data"
LANGUAGES = ("fi", "sv", "en")
MAKO, POMAKO = "lapin-mako", "pomako"

OFFERINGS = "offerings"
WISHES = "wishes"
ANSWERS = "wish answers"
WORKSHOPS = "workshops"
INVITATIONS = "workshop invitations"
FOLLOW_UPS = "follow-up actions"
EXPECTATIONS = "expectations"
ORGANISATIONS = "organisations"


def demo_data(name: str) -> Any:
    with (DATA / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def demo_offerings() -> list[dict[str, Any]]:
    """Every offering of the demo, Juva's first."""
    result: list[dict[str, Any]] = []
    for name in ("offerings_juva.json", "offerings_lapland.json", "offerings_ostrobothnia.json"):
        result.extend(demo_data(name))
    return result


def title_key(texts: dict[str, str]) -> str:
    """The title an offering or a wish is found by: its Finnish one, else Swedish, else English."""
    return next(texts[code] for code in LANGUAGES if texts.get(code))


def tray_demo_load(*, today: date | None = None) -> dict[str, int]:
    """Create the demo tray, skipping what exists; returns how many of each were created.

    Needs the network demo loaded first.
    """
    today = today or timezone.localdate()
    counts: Counter = Counter()
    with translation.override("fi"), transaction.atomic():
        networks = {network.slug: network for network in Network.objects.all()}
        if MAKO not in networks or POMAKO not in networks:
            raise ValueError("Load the network demo first.")
        context = _Context(today=today, networks=networks)
        _organisations(context, counts)
        workshops = _workshops(context, counts)
        _offerings(context, workshops, counts)
        _wishes(context, workshops, counts)
        _expectations(context, counts)
    return {name: n for name, n in counts.items() if n}


class _Context:
    """The rows the demo refers to by code or name, read once."""

    def __init__(self, *, today: date, networks: dict[str, Network]):
        self.today = today
        self.networks = networks
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        self.regions = {r.code: r for r in Region.objects.all()}
        self.categories = {c.code: c for c in Category.objects.all()}
        self.groups = {g.code: g for g in ClientGroup.objects.all()}
        self.service_classes = {s.code: s for s in ServiceClass.objects.all()}
        self.organisations: dict[str, Organisation] = {}
        for organisation in Organisation.objects.order_by("pk"):
            self.organisations.setdefault(organisation.name_fi, organisation)
        self.offerings: dict[tuple[int, str], Offering] = {}

    def organisation(self, name: str) -> Organisation:
        try:
            return self.organisations[name]
        except KeyError:
            raise ValueError(f"The demo organisation {name!r} is missing.") from None

    def contact(self, organisation: Organisation) -> Person | None:
        """The organisation's first person, who speaks for it in the demo."""
        if not hasattr(self, "_people"):
            self._people: dict[int, Person] = {}
            for person in Person.objects.filter(organisation__isnull=False).order_by("pk"):
                self._people.setdefault(person.organisation_id, person)
        return self._people.get(organisation.pk)


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _translated(name: str, texts: dict[str, str] | None) -> dict[str, str]:
    return {f"{name}_{code}": texts[code] for code in LANGUAGES if (texts or {}).get(code)}


# Organisations ----------------------------------------------------------------------------


def _organisations(context: _Context, counts: Counter) -> None:
    # Imported here: the network demo imports this module when it loads.
    from kotoverkko.network.demo import business_id_for

    for spec in demo_data("organisations.json"):
        name = spec["name"]["fi"]
        business_id = business_id_for(name) if spec.get("business_id", True) else ""
        if name in context.organisations:
            continue
        existing = (
            Organisation.objects.filter(business_id=business_id).first() if business_id else None
        )
        if existing is not None:
            context.organisations[name] = existing
            continue
        home = context.municipalities[spec["home"]]
        context.organisations[name] = organisation_create(
            actor=None,
            data={
                **_translated("name", spec["name"]),
                **_translated("description", spec["description"]),
                "type": spec["type"],
                "municipality": home,
                "municipalities": [home],
                "language_status": spec.get("language_status", Organisation.LanguageStatus.FINNISH),
                "business_id": business_id,
                "website": f"https://www.{spec['domain']}/",
                "email": f"info@{spec['domain']}",
                "phone": spec["phone"],
            },
        )
        counts[ORGANISATIONS] += 1


# Offerings --------------------------------------------------------------------------------


def _offering_data(context: _Context, spec: dict[str, Any]) -> dict[str, Any]:
    organisation = context.organisation(spec["org"])
    contact = spec.get("contact", "")
    data: dict[str, Any] = {
        **_translated("title", spec["title"]),
        **_translated("description", spec.get("description")),
        **_translated("how_to_join", spec.get("how_to_join")),
        "category": context.categories[spec["category"]],
        "municipalities": [context.municipalities[code] for code in spec.get("where", [])],
        "regions": [context.regions[code] for code in spec.get("regions", [])],
        "languages": spec["languages"],
        "groups": [context.groups[code] for code in spec["groups"]],
        "path_stages": spec["stages"],
        "times": spec["times"],
        "cost": spec.get("cost", Offering.Cost.FREE),
        "cost_note": spec.get("cost_note", ""),
        "contact_name": contact,
        "contact_email": organisation.email,
        "contact_phone": organisation.phone,
        "url": organisation.website,
    }
    if spec.get("service_class"):
        data["service_class"] = context.service_classes[spec["service_class"]]
    return data


def _offerings(context: _Context, workshops: dict[str, Workshop], counts: Counter) -> None:
    for offering in Offering.objects.all():
        title = offering.title_fi or offering.title_sv or offering.title_en
        context.offerings.setdefault((offering.organisation_id, title), offering)
    for spec in demo_offerings():
        organisation = context.organisation(spec["org"])
        key = (organisation.pk, title_key(spec["title"]))
        if key in context.offerings:
            continue
        offering = services.offering_create(
            actor=None, organisation=organisation, data=_offering_data(context, spec)
        )
        context.offerings[key] = offering
        counts[OFFERINGS] += 1
        workshop = workshops.get(spec.get("workshop", ""))
        if workshop is not None:
            # Filled in during the workshop and not touched since.
            confirmed = workshop.date
            Offering.objects.filter(pk=offering.pk).update(
                confirmed_on=confirmed, created_at=_moment(confirmed, 13, 30)
            )
        else:
            confirmed = context.today - timedelta(days=spec.get("age", 0))
            Offering.objects.filter(pk=offering.pk).update(
                confirmed_on=confirmed,
                created_at=_moment(min(confirmed, context.today - timedelta(days=30)), 10),
            )
        offering.confirmed_on = confirmed


# Wishes -----------------------------------------------------------------------------------


def _wishes(context: _Context, workshops: dict[str, Workshop], counts: Counter) -> None:
    existing = {
        (organisation_id, title_fi or title_sv or title_en)
        for organisation_id, title_fi, title_sv, title_en in Wish.objects.values_list(
            "organisation_id", "title_fi", "title_sv", "title_en"
        )
    }
    for spec in demo_data("wishes.json"):
        organisation = context.organisation(spec["org"])
        if (organisation.pk, title_key(spec["title"])) in existing:
            continue
        workshop = workshops.get(spec.get("workshop", ""))
        wish = services.wish_create(
            actor=None,
            organisation=organisation,
            data={
                **_translated("title", spec["title"]),
                **_translated("description", spec.get("description")),
                "network": context.networks[spec["network"]] if spec.get("network") else None,
                "municipality": context.municipalities[spec["municipality"]],
                "category": context.categories[spec["category"]] if spec["category"] else None,
                "workshop": workshop,
            },
        )
        counts[WISHES] += 1
        for answer in spec.get("responses", []):
            services.wish_respond(
                actor=None,
                wish=wish,
                organisation=context.organisation(answer["org"]),
                kind=answer["kind"],
                message=answer.get("message", ""),
            )
            counts[ANSWERS] += 1
        became = spec.get("became")
        if became:
            offering = context.offerings[(context.organisation(became["org"]).pk, became["title"])]
            services.wish_status_set(
                actor=None, wish=wish, status=Wish.Status.DONE, offering=offering
            )
        day = workshop.date if workshop else context.today - timedelta(days=spec.get("age", 0))
        Wish.objects.filter(pk=wish.pk).update(created_at=_moment(day, 14))


# Workshops --------------------------------------------------------------------------------


def _workshops(context: _Context, counts: Counter) -> dict[str, Workshop]:
    result: dict[str, Workshop] = {}
    for spec in demo_data("workshops.json"):
        network = context.networks[spec["network"]]
        municipality = context.municipalities[spec["municipality"]]
        day = context.today + timedelta(days=spec["days_from_today"])
        closed = spec["status"] == Workshop.Status.CLOSED
        workshop, created = Workshop.objects.get_or_create(
            network=network,
            municipality=municipality,
            title=spec["title"],
            defaults={
                "date": day,
                "place": spec["place"],
                "status": spec["status"],
                "closed_at": _moment(day, 16) if closed else None,
            },
        )
        counts[WORKSHOPS] += int(created)
        result[spec["key"]] = workshop
        _invitations(context, workshop, spec["invite"], closed, counts)
        _follow_ups(context, workshop, spec["follow_ups"], counts)
    return result


def _invitations(
    context: _Context, workshop: Workshop, names: list[str], used: bool, counts: Counter
) -> None:
    """Invitations of a held workshop were sent two weeks before and used on the day; those of
    a planned one are not sent yet."""
    day = workshop.date
    for index, name in enumerate(names):
        organisation = context.organisation(name)
        person = context.contact(organisation)
        email = person.email if person else organisation.email
        _invitation, created = WorkshopInvitation.objects.get_or_create(
            workshop=workshop,
            email=email,
            defaults={
                "organisation": organisation,
                "name": f"{person.first_name} {person.last_name}" if person else name,
                "sent_at": _moment(day - timedelta(days=14), 9) if used else None,
                "first_used_at": _moment(day, 12, 40 + index) if used else None,
                "last_used_at": _moment(day, 15, 10 + 3 * index) if used else None,
            },
        )
        counts[INVITATIONS] += int(created)


def _follow_ups(
    context: _Context, workshop: Workshop, specs: list[dict[str, Any]], counts: Counter
) -> None:
    existing = set(FollowUp.objects.filter(workshop=workshop).values_list("what", flat=True))
    for spec in specs:
        if spec["what"] in existing:
            continue
        organisation = context.organisation(spec["org"])
        person = context.contact(organisation)
        done = spec.get("done")
        FollowUp.objects.create(
            workshop=workshop,
            what=spec["what"],
            who=f"{person.first_name} {person.last_name}" if person else organisation.name,
            who_email=person.email if person else organisation.email,
            organisation=organisation,
            due_on=workshop.date + timedelta(days=spec["due"]),
            done_at=_moment(workshop.date + timedelta(days=done), 11) if done else None,
        )
        counts[FOLLOW_UPS] += 1


# Expectations -----------------------------------------------------------------------------


def _expectations(context: _Context, counts: Counter) -> None:
    for slug, specs in demo_data("expectations.json").items():
        for spec in specs:
            _expectation, created = Expectation.objects.get_or_create(
                network=context.networks[slug],
                category=context.categories[spec["category"]],
                language=spec.get("language", ""),
                group=context.groups[spec["group"]] if spec.get("group") else None,
            )
            counts[EXPECTATIONS] += int(created)
