"""Recurrence rules of event series: build an RFC 5545 RRULE from what a coordinator chooses,
and expand it into start times.

Expansion runs on local (Europe/Helsinki) wall-clock times and only then attaches the zone, so
a series that meets "Fridays 9–10" meets at 9 both in winter (UTC+2) and in summer (UTC+3).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A series never grows past this many occurrences, whatever its rule says.
MAX_OCCURRENCES = 200
# Open-ended series are expanded this far ahead.
HORIZON = timedelta(days=2 * 365)

_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Recurrence:
    """A coordinator's choice: weekly on some weekdays, or monthly on the n-th weekday.

    `weekdays` are 0 (Monday) … 6 (Sunday). `nth` is 1…4 or -1 (last) for monthly series.
    `skip_months` are month numbers left out ("except June–August": 6, 7, 8).
    """

    frequency: str  # "weekly" or "monthly"
    weekdays: tuple[int, ...]
    interval: int = 1
    nth: int | None = None
    skip_months: tuple[int, ...] = ()
    until: date | None = None
    count: int | None = None
    skip_dates: tuple[date, ...] = field(default=())

    def validate(self) -> None:
        errors: dict[str, str] = {}
        if self.frequency not in ("weekly", "monthly"):
            errors["frequency"] = _("Choose weekly or monthly.")
        if not self.weekdays or any(day not in range(7) for day in self.weekdays):
            errors["weekdays"] = _("Choose at least one weekday.")
        if not 1 <= self.interval <= 12:
            errors["interval"] = _("The interval must be between 1 and 12.")
        if self.frequency == "monthly" and self.nth not in (1, 2, 3, 4, -1):
            errors["nth"] = _("Choose which weekday of the month.")
        if any(month not in range(1, 13) for month in self.skip_months):
            errors["skip_months"] = _("Months are numbered 1 to 12.")
        if len(set(self.skip_months)) >= 12:
            errors["skip_months"] = _("A series cannot skip every month.")
        if self.until is None and self.count is None:
            errors["until"] = _("Give the last date or the number of occurrences.")
        if self.until is not None and self.count is not None:
            # RFC 5545 allows only one of UNTIL and COUNT in a rule.
            errors["count"] = _("Give either the last date or the number of occurrences, not both.")
        if self.count is not None and not 1 <= self.count <= MAX_OCCURRENCES:
            errors["count"] = _("A series has 1 to %(max)s occurrences.") % {"max": MAX_OCCURRENCES}
        if errors:
            raise ValidationError(errors)

    def rule(self) -> str:
        """The RRULE value (without DTSTART), e.g. FREQ=MONTHLY;BYDAY=1FR;BYMONTH=1,2,…"""
        parts = [f"FREQ={self.frequency.upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        days = [_WEEKDAY_CODES[day] for day in sorted(set(self.weekdays))]
        if self.frequency == "monthly":
            days = [f"{self.nth}{code}" for code in days]
        parts.append("BYDAY=" + ",".join(days))
        if self.skip_months:
            months = [str(m) for m in range(1, 13) if m not in set(self.skip_months)]
            parts.append("BYMONTH=" + ",".join(months))
        if self.until is not None:
            parts.append("UNTIL=" + self.until.strftime("%Y%m%d"))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def expand(
    *,
    rule: str,
    starts_on: date,
    start_time: time,
    skip_dates: list[date] | tuple[date, ...] = (),
    limit: int = MAX_OCCURRENCES,
) -> list[datetime]:
    """The aware start times of a rule's occurrences from `starts_on`, at most `limit`.

    The date the coordinator chose as the first is always the first occurrence, even where the
    rule would not produce it (RFC 5545 leaves that case to the application).
    """
    zone = local_zone()
    first = datetime.combine(starts_on, start_time)
    parsed = rrule.rrulestr(_with_inclusive_until(rule), dtstart=first)
    horizon = first + HORIZON
    skipped = set(skip_dates)
    found: list[datetime] = []
    for moment in parsed:
        if moment > horizon or len(found) >= limit:
            break
        if moment.date() in skipped:
            continue
        found.append(moment)
    if starts_on not in skipped and (not found or found[0].date() != starts_on):
        found.insert(0, first)
        found = found[:limit]
    return [moment.replace(tzinfo=zone) for moment in found]


def _with_inclusive_until(rule: str) -> str:
    """UNTIL given as a date includes that whole day (the local series ends that evening)."""
    parts = []
    for part in rule.split(";"):
        if part.startswith("UNTIL=") and len(part) == len("UNTIL=YYYYMMDD"):
            part += "T235959"
        parts.append(part)
    return ";".join(parts)
