"""Recurrence rules: building RRULEs from a coordinator's choices and expanding them in
Helsinki time, across daylight-saving changes and exceptions."""

from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from kotoverkko.events import services
from kotoverkko.events.models import Event
from kotoverkko.events.recurrence import MAX_OCCURRENCES, Recurrence, expand
from tests.events.factories import helsinki
from tests.factories import NetworkFactory


def test_first_friday_monthly_except_summer():
    # given
    rule = Recurrence("monthly", (4,), nth=1, skip_months=(6, 7, 8), until=date(2027, 6, 30))
    # when
    starts = expand(rule=rule.rule(), starts_on=date(2026, 9, 4), start_time=time(9))
    # then
    assert rule.rule() == "FREQ=MONTHLY;BYDAY=1FR;BYMONTH=1,2,3,4,5,9,10,11,12;UNTIL=20270630"
    assert [s.date() for s in starts] == [
        date(2026, 9, 4),
        date(2026, 10, 2),
        date(2026, 11, 6),
        date(2026, 12, 4),
        date(2027, 1, 1),
        date(2027, 2, 5),
        date(2027, 3, 5),
        date(2027, 4, 2),
        date(2027, 5, 7),
    ]
    assert all(s.weekday() == 4 for s in starts)


def test_fridays_nine_to_ten_until_14_june_keep_local_time_across_dst():
    # given: the Integration 2024 info sessions; summer time began on 31 March 2024
    rule = Recurrence("weekly", (4,), until=date(2024, 6, 14))
    # when
    starts = expand(rule=rule.rule(), starts_on=date(2024, 3, 1), start_time=time(9))
    # then
    assert len(starts) == 16
    assert starts[-1].date() == date(2024, 6, 14)
    assert {s.hour for s in starts} == {9}
    before, after = starts[4], starts[5]  # 29 March and 5 April
    assert before.utcoffset() == timedelta(hours=2)
    assert after.utcoffset() == timedelta(hours=3)
    elapsed = after.astimezone(UTC) - before.astimezone(UTC)
    assert elapsed == timedelta(days=7) - timedelta(hours=1)


def test_until_date_includes_its_day():
    starts = expand(
        rule=Recurrence("weekly", (0,), until=date(2026, 12, 7)).rule(),
        starts_on=date(2026, 11, 23),
        start_time=time(13),
    )
    assert [s.date() for s in starts] == [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7)]


def test_skipped_dates_are_left_out():
    starts = expand(
        rule=Recurrence("weekly", (4,), count=4).rule(),
        starts_on=date(2026, 12, 4),
        start_time=time(9),
        skip_dates=[date(2026, 12, 25)],
    )
    assert date(2026, 12, 25) not in [s.date() for s in starts]
    assert len(starts) == 3


def test_the_chosen_first_date_is_always_an_occurrence():
    # given: a Wednesday start for a Friday rule
    starts = expand(
        rule=Recurrence("weekly", (4,), count=2).rule(),
        starts_on=date(2026, 12, 2),
        start_time=time(9),
    )
    assert starts[0].date() == date(2026, 12, 2)


def test_open_ended_counts_are_capped():
    starts = expand(rule="FREQ=DAILY;COUNT=5000", starts_on=date(2026, 1, 1), start_time=time(9))
    assert len(starts) == MAX_OCCURRENCES


@pytest.mark.parametrize(
    ("recurrence", "field"),
    [
        (Recurrence("yearly", (4,), until=date(2027, 1, 1)), "frequency"),
        (Recurrence("weekly", (), until=date(2027, 1, 1)), "weekdays"),
        (Recurrence("weekly", (7,), until=date(2027, 1, 1)), "weekdays"),
        (Recurrence("monthly", (4,), until=date(2027, 1, 1)), "nth"),
        (Recurrence("weekly", (4,)), "until"),
        (Recurrence("weekly", (4,), count=MAX_OCCURRENCES + 1), "count"),
        (Recurrence("weekly", (4,), interval=0, count=3), "interval"),
        (Recurrence("weekly", (4,), skip_months=tuple(range(1, 13)), count=3), "skip_months"),
    ],
)
def test_invalid_choices_are_refused_with_a_message_on_the_field(recurrence, field):
    with pytest.raises(ValidationError) as error:
        recurrence.validate()
    assert field in error.value.message_dict


@pytest.mark.django_db
def test_series_creates_one_event_per_occurrence_with_its_own_checklist():
    # given
    network = NetworkFactory()
    first = helsinki(2027, 3, 5, 9)
    data = {
        "type": Event.Type.INFO_SESSION,
        "title_fi": "Tietoisku",
        "starts_at": first,
        "ends_at": first + timedelta(hours=1),
        "format": Event.Format.ONLINE,
        "online_link": "https://teams.example.com/meet/sarja",
        "visibility": Event.Visibility.PUBLIC,
    }
    # when
    events = services.series_create(
        actor=None,
        network=network,
        data=data,
        recurrence=Recurrence("weekly", (4,), until=date(2027, 4, 9)),
    )
    # then: 5.3. … 9.4., summer time from 28 March, still 9–10 local
    assert len(events) == 6
    assert {e.series_id for e in events} == {events[0].series_id}
    assert len({e.uid for e in events}) == 6
    assert all(e.starts_at.astimezone(first.tzinfo).hour == 9 for e in events)
    assert all(e.ends_at - e.starts_at == timedelta(hours=1) for e in events)
    assert all(e.online_link == data["online_link"] for e in events)
    assert all(e.checklist.exists() for e in events)


@pytest.mark.django_db
def test_series_with_bad_times_saves_nothing():
    network = NetworkFactory()
    start = helsinki(2027, 3, 5, 9)
    with pytest.raises(ValidationError):
        services.series_create(
            actor=None,
            network=network,
            data={"type": "info_session", "title_fi": "X", "starts_at": start, "ends_at": start},
            recurrence=Recurrence("weekly", (4,), count=3),
        )
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_series_keeps_the_registration_deadline_at_the_same_distance_before_each_date():
    # given: registration closes two days before the first session
    start = helsinki(2027, 3, 5, 9)
    events = services.series_create(
        actor=None,
        network=NetworkFactory(),
        data={
            "type": Event.Type.INFO_SESSION,
            "title_fi": "Tietoisku",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
            "format": Event.Format.ONLINE,
            "registration_deadline": start - timedelta(days=2),
        },
        recurrence=Recurrence("weekly", (4,), count=3),
    )
    # then
    assert [e.starts_at - e.registration_deadline for e in events] == [timedelta(days=2)] * 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("recurrence", "message"),
    [
        (Recurrence("weekly", (0, 1, 2, 3, 4), until=date(2028, 12, 31)), "200"),
        (Recurrence("monthly", (4,), nth=1, until=date(2030, 1, 1)), "two years"),
    ],
)
def test_series_longer_than_the_limits_is_refused_not_cut_short(recurrence, message):
    start = helsinki(2027, 3, 5, 9)
    with pytest.raises(ValidationError, match=message):
        services.series_create(
            actor=None,
            network=NetworkFactory(),
            data={
                "type": Event.Type.INFO_SESSION,
                "title_fi": "Tietoisku",
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
                "format": Event.Format.ONLINE,
            },
            recurrence=recurrence,
        )
    assert not Event.objects.exists()


def test_last_date_and_count_together_are_refused():
    with pytest.raises(ValidationError) as error:
        Recurrence("weekly", (4,), until=date(2027, 1, 1), count=3).validate()
    assert "count" in error.value.message_dict
