"""The planning checklist each new event starts from, by event type.

Seed 001 (the meeting model card) lists what a coordinator must see to before a meeting; the
due dates count back from the start, so a meeting moved to a later date moves its tasks too.
"""

from django.utils.translation import gettext_lazy as _

from .models import Event

LABELS = {
    "time_place": _("Time and place agreed"),
    "venue": _("Venue booked and rent agreed"),
    "coffee": _("Coffee ordered"),
    "agenda": _("Agenda or theme agreed"),
    "speakers": _("Speakers confirmed"),
    "link": _("Online meeting created and link added"),
    "invitations": _("Invitations sent"),
    "minutes": _("Minutes sent"),
}

# key -> days before the start (negative: after the event)
_IN_PERSON = [
    ("time_place", 60),
    ("venue", 45),
    ("agenda", 30),
    ("speakers", 21),
    ("invitations", 21),
    ("coffee", 7),
    ("minutes", -14),
]
_ONLINE = [
    ("time_place", 30),
    ("agenda", 21),
    ("speakers", 14),
    ("link", 14),
    ("invitations", 14),
    ("minutes", -14),
]
_LARGE = [
    ("time_place", 180),
    ("venue", 150),
    ("agenda", 90),
    ("speakers", 60),
    ("invitations", 45),
    ("coffee", 14),
    ("minutes", -21),
]


def template_for(event_type: str, event_format: str) -> list[tuple[str, int]]:
    """The (key, days before) tasks of a new event of this type and format."""
    if event_type in (Event.Type.COOPERATION_DAY, Event.Type.SEMINAR):
        items = list(_LARGE)
    elif event_format == Event.Format.ONLINE:
        items = list(_ONLINE)
    else:
        items = list(_IN_PERSON)
    if event_format == Event.Format.HYBRID and all(key != "link" for key, _days in items):
        items.insert(3, ("link", 14))
    if event_type == Event.Type.INFO_SESSION:
        items = [(key, min(days, 21)) for key, days in items if key not in ("coffee", "minutes")]
    return items


def template_label(key: str) -> str:
    label = LABELS.get(key)
    return str(label) if label is not None else ""
