"""Event services: changes and calendar sequence, series edits, next meeting and hosts,
checklists, agenda turns, links and reminders, invitations, minutes; and who may do what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kotoverkko.common.models import AuditEntry
from kotoverkko.common.permissions import user_can
from kotoverkko.events import selectors, services
from kotoverkko.events.models import AgendaItem, ChecklistItem, Event, Minutes, Registration
from kotoverkko.events.recurrence import Recurrence
from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.network.models import Membership
from tests.events.factories import (
    AgendaItemFactory,
    EventFactory,
    OnlineEventFactory,
    helsinki,
)
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    TeamFactory,
    coordinator_of,
    member_of,
    person_with_login,
)

pytestmark = pytest.mark.django_db


def register(event, n, **extra):
    return services.registration_create(
        event=event,
        data=services.RegistrationData(name=f"Osallistuja {n}", email=f"o{n}@example.fi", **extra),
    )


def calendar_messages(email):
    return [
        (m.attachments[0]["method"], m.attachments[0]["content"])
        for m in OutboxMessage.objects.filter(to_email=email).order_by("pk")
        if m.attachments
    ]


# Creating and changing events ---------------------------------------------------------------


def test_new_event_gets_the_checklist_of_its_type_counted_back_from_the_start():
    # given
    network = NetworkFactory()
    start = helsinki(2027, 2, 10, 13)
    # when
    event = services.event_create(
        actor=None,
        network=network,
        data={
            "type": Event.Type.NETWORK_MEETING,
            "title_fi": "Verkostotapaaminen",
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "venue_name": "Lappia-talo",
        },
    )
    # then
    items = {item.key: item.due_on for item in event.checklist.all()}
    assert items["time_place"] == date(2026, 12, 12)  # 60 days before
    assert items["coffee"] == date(2027, 2, 3)
    assert items["minutes"] == date(2027, 2, 24)  # two weeks after
    assert AuditEntry.objects.filter(action="create", object_id=str(event.pk)).exists()


def test_invalid_event_is_refused_and_nothing_is_saved():
    network = NetworkFactory()
    start = helsinki(2027, 2, 10, 13)
    with pytest.raises(ValidationError) as error:
        services.event_create(
            actor=None,
            network=network,
            data={
                "type": Event.Type.NETWORK_MEETING,
                "title_fi": "X",
                "starts_at": start,
                "ends_at": start - timedelta(hours=1),
            },
        )
    assert "ends_at" in error.value.message_dict
    assert "venue_name" in error.value.message_dict
    assert not Event.objects.exists()
    assert not ChecklistItem.objects.exists()


def test_online_link_must_be_https():
    event = OnlineEventFactory()
    with pytest.raises(ValidationError) as error:
        services.event_update(actor=None, event=event, data={"online_link": "javascript:alert(1)"})
    assert "online_link" in error.value.message_dict


def test_bilingual_networks_public_event_needs_a_swedish_title():
    network = NetworkFactory(languages=["fi", "sv"])
    event = EventFactory(network=network, title_sv="Nätverksmöte")
    with pytest.raises(ValidationError) as error:
        services.event_update(actor=None, event=event, data={"title_sv": ""})
    assert "title_sv" in error.value.message_dict


def test_time_change_raises_sequence_and_sends_the_new_version_to_invited_and_registered():
    # given
    event = EventFactory(capacity=1)
    register(event, 1)
    register(event, 2)  # waiting: holds no calendar entry
    services.invitation_send(
        actor=None, event=event, recipients=[services.Recipient("kutsuttu@example.fi", "K", "sv")]
    )
    # when
    services.event_update(
        actor=None, event=event, data={"starts_at": event.starts_at + timedelta(hours=1)}
    )
    # then
    event.refresh_from_db()
    assert event.sequence == 1
    for email in ("o1@example.fi", "kutsuttu@example.fi"):
        method, ics = calendar_messages(email)[-1]
        assert method == "REQUEST"
        assert "SEQUENCE:1" in ics
        assert f"UID:{event.uid}" in ics
    assert calendar_messages("o2@example.fi") == []


def test_change_that_calendars_do_not_show_keeps_the_sequence():
    event = EventFactory()
    register(event, 1)
    services.event_update(actor=None, event=event, data={"room_rent": Decimal("80.00")})
    event.refresh_from_db()
    assert event.sequence == 0
    assert len(calendar_messages("o1@example.fi")) == 1  # only the confirmation


def test_moving_an_event_moves_its_open_tasks_but_not_the_done_ones():
    # given
    event = EventFactory()
    done = event.checklist.get(key="time_place")
    services.checklist_item_update(actor=None, item=done, due_on=done.due_on, owner=None, done=True)
    venue = event.checklist.get(key="venue")
    # when
    services.event_update(
        actor=None,
        event=event,
        data={
            "starts_at": event.starts_at + timedelta(days=7),
            "ends_at": event.ends_at + timedelta(days=7),
        },
    )
    # then
    assert event.checklist.get(key="venue").due_on == venue.due_on + timedelta(days=7)
    assert event.checklist.get(key="time_place").due_on == done.due_on


def test_cancelling_sends_cancel_to_everyone_and_cannot_happen_twice():
    # given
    event = EventFactory()
    register(event, 1)
    # when
    services.event_cancel(actor=None, event=event)
    # then
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    method, ics = calendar_messages("o1@example.fi")[-1]
    assert method == "CANCEL"
    assert "STATUS:CANCELLED" in ics
    assert "METHOD:CANCEL" in ics
    assert f"SEQUENCE:{event.sequence}" in ics
    with pytest.raises(ValidationError):
        services.event_cancel(actor=None, event=event)


# Series edits -------------------------------------------------------------------------------


def _series(count=4):
    network = NetworkFactory()
    start = helsinki(2027, 1, 8, 9)
    return services.series_create(
        actor=None,
        network=network,
        data={
            "type": Event.Type.INFO_SESSION,
            "title_fi": "Tietoisku",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
            "format": Event.Format.ONLINE,
            "online_link": "https://teams.example.com/meet/1",
            "visibility": Event.Visibility.PUBLIC,
        },
        recurrence=Recurrence("weekly", (4,), count=count),
    )


def test_editing_one_occurrence_leaves_the_others_and_detaches_it():
    # given
    events = _series()
    # when
    services.event_update(actor=None, event=events[1], data={"title_fi": "Erikoistietoisku"})
    # then
    titles = [Event.objects.get(pk=e.pk).title_fi for e in events]
    assert titles == ["Tietoisku", "Erikoistietoisku", "Tietoisku", "Tietoisku"]
    assert Event.objects.get(pk=events[1].pk).detached


def test_this_and_following_changes_later_occurrences_but_not_earlier_or_detached_ones():
    # given
    events = _series(5)
    services.event_update(actor=None, event=events[3], data={"title_fi": "Oma"})
    # when: from the second on, one link for the rest of the series and a new time 10–11
    new_start = events[1].starts_at + timedelta(hours=1)
    changed = services.event_update(
        actor=None,
        event=events[1],
        data={
            "online_link": "https://teams.example.com/meet/2",
            "starts_at": new_start,
            "ends_at": new_start + timedelta(hours=1),
        },
        scope="following",
    )
    # then
    fresh = [Event.objects.get(pk=e.pk) for e in events]
    assert [e.pk for e in changed] == [events[1].pk, events[2].pk, events[4].pk]
    assert fresh[0].online_link.endswith("/1")
    assert fresh[0].starts_at == events[0].starts_at
    assert [e.online_link[-1] for e in fresh[1:]] == ["2", "2", "1", "2"]
    local = [timezone.localtime(e.starts_at).hour for e in fresh]
    assert local == [9, 10, 10, 9, 10]
    assert fresh[3].title_fi == "Oma"
    assert fresh[1].series.start_time.hour == 10


# Next meeting and host rotation ---------------------------------------------------------------


def test_next_meeting_is_a_draft_with_the_same_settings_and_the_next_host():
    # given
    network = NetworkFactory()
    hosts = OrganisationFactory.create_batch(3)
    services.host_rotation_set(actor=None, network=network, organisations=hosts)
    meeting = services.event_create(
        actor=None,
        network=network,
        data={
            "type": Event.Type.NETWORK_MEETING,
            "title_fi": "Verkostotapaaminen",
            "starts_at": helsinki(2027, 2, 10, 13),
            "ends_at": helsinki(2027, 2, 10, 16),
            "venue_name": "Kemin kulttuurikeskus",
            "visibility": Event.Visibility.PUBLIC,
            "coffee_cost": Decimal("120"),
        },
    )
    assert list(meeting.hosts.all()) == [hosts[0]]
    # when
    following = services.event_next_create(
        actor=None, event=meeting, starts_at=helsinki(2027, 9, 15, 13)
    )
    # then
    assert following.visibility == Event.Visibility.DRAFT
    assert following.previous == meeting
    assert following.title_fi == "Verkostotapaaminen"
    assert following.ends_at - following.starts_at == timedelta(hours=3)
    assert following.coffee_cost == Decimal("120")
    assert list(following.hosts.all()) == [hosts[1]]
    assert following.checklist.count() == meeting.checklist.count()
    assert not following.checklist.filter(done_at__isnull=False).exists()
    assert following.uid != meeting.uid


def test_rotation_wraps_around_and_refuses_duplicates():
    network = NetworkFactory()
    a, b = OrganisationFactory.create_batch(2)
    services.host_rotation_set(actor=None, network=network, organisations=[a, b])
    EventFactory(network=network).hosts.set([b])
    assert services.host_next(network=network) == a
    with pytest.raises(ValidationError):
        services.host_rotation_set(actor=None, network=network, organisations=[a, a])


def test_next_meeting_must_be_later():
    meeting = EventFactory()
    with pytest.raises(ValidationError):
        services.event_next_create(actor=None, event=meeting, starts_at=meeting.starts_at)


# Checklist reminders ------------------------------------------------------------------------


def test_overdue_tasks_are_mailed_once_a_day_to_owner_or_coordinators():
    # given
    network = NetworkFactory()
    coordinator = MembershipFactory(
        network=network, role=Membership.Role.COORDINATOR, person__language="sv"
    ).person
    event = EventFactory(network=network)
    today = timezone.localdate(event.starts_at) - timedelta(days=40)  # "time_place" is overdue
    # when
    first = services.checklist_remind_overdue(today=today)
    again = services.checklist_remind_overdue(today=today)
    # then
    assert (first, again) == (1, 0)
    message = OutboxMessage.objects.get(to_email=coordinator.email)
    assert message.language == "sv"
    assert "Tid och plats" in message.body_text
    assert f"/coordination/events/{event.pk}/checklist/" in message.body_text


def test_done_tasks_and_cancelled_events_are_not_reminded():
    event = EventFactory()
    today = timezone.localdate(event.starts_at) + timedelta(days=30)
    for item in event.checklist.all():
        services.checklist_item_update(
            actor=None, item=item, due_on=item.due_on, owner=None, done=True
        )
    cancelled = EventFactory()
    services.event_cancel(actor=None, event=cancelled)
    assert services.checklist_remind_overdue(today=today) == 0


# Agenda -------------------------------------------------------------------------------------


def test_current_affairs_round_gives_each_registered_organisation_an_equal_turn():
    # given
    event = EventFactory()
    for n, organisation in enumerate(["SPR", "Kela", "Rovaniemen kaupunki", "TE-palvelut"]):
        register(event, n, organisation_name=organisation)
    register(event, 9, organisation_name="spr")  # the same organisation again
    item = AgendaItemFactory(event=event, type=AgendaItem.Type.CURRENT_AFFAIRS, duration=20)
    # when
    slots = services.agenda_round_slot(actor=None, item=item)
    # then
    assert [s.label for s in slots] == ["SPR", "Kela", "Rovaniemen kaupunki", "TE-palvelut"]
    assert [s.seconds for s in slots] == [300, 300, 300, 300]
    assert slots[-1].starts_at + timedelta(seconds=300) == item.ends_at


def test_round_turns_fill_the_item_exactly_when_minutes_do_not_divide():
    event = EventFactory()
    for n in range(7):
        register(event, n, organisation_name=f"Org {n}")
    item = AgendaItemFactory(event=event, type=AgendaItem.Type.CURRENT_AFFAIRS, duration=30)
    slots = services.agenda_round_slot(actor=None, item=item)
    assert sum(s.seconds for s in slots) == 30 * 60


def test_only_rounds_with_registrations_are_slotted():
    event = EventFactory()
    talk = AgendaItemFactory(event=event, type=AgendaItem.Type.THEME_TALK)
    with pytest.raises(ValidationError):
        services.agenda_round_slot(actor=None, item=talk)
    empty = AgendaItemFactory(event=event, type=AgendaItem.Type.CURRENT_AFFAIRS)
    with pytest.raises(ValidationError):
        services.agenda_round_slot(actor=None, item=empty)


def test_agenda_item_outside_the_event_is_refused():
    event = EventFactory()
    with pytest.raises(ValidationError):
        services.agenda_item_save(
            actor=None,
            event=event,
            data={
                "title_fi": "Myöhään",
                "starts_at": event.ends_at + timedelta(hours=1),
                "duration": 30,
            },
        )
    assert not event.agenda.exists()


# Participation links and reminders ----------------------------------------------------------


def test_link_is_mailed_to_registrants_once_a_day_before_the_start():
    # given
    event = OnlineEventFactory()
    register(event, 1)
    # when: two days before nothing is due; a day before it goes, once
    early = services.event_links_send_due(now=event.starts_at - timedelta(days=2))
    due = services.event_links_send_due(now=event.starts_at - timedelta(hours=23))
    again = services.event_links_send_due(now=event.starts_at - timedelta(hours=22))
    # then
    assert (early, due, again) == (0, 1, 0)
    registration = Registration.objects.get()
    message = OutboxMessage.objects.get(key=f"link:{event.pk}:0:{registration.pk}")
    assert event.online_link in message.body_text


def test_a_new_link_is_told_and_mailed_again():
    # given: the link went out already
    event = OnlineEventFactory()
    register(event, 1, language="en")
    services.event_links_send_due(now=event.starts_at - timedelta(hours=20))
    # when
    services.event_update(
        actor=None, event=event, data={"online_link": "https://teams.example.com/meet/new"}
    )
    resent = services.event_links_send_due(now=event.starts_at - timedelta(hours=19))
    # then
    assert resent == 1
    changed = OutboxMessage.objects.filter(subject__startswith="Changed").get()
    assert "participation link has changed" in changed.body_text
    assert OutboxMessage.objects.filter(body_text__contains="/meet/new").count() == 1


def test_link_page_visibility_follows_the_release_time_and_audience():
    event = OnlineEventFactory()
    early = event.starts_at - timedelta(minutes=16)
    on_time = event.starts_at - timedelta(minutes=14)
    assert not selectors.link_visible(event=event, registered=True, now=early)
    assert selectors.link_visible(event=event, registered=True, now=on_time)
    assert not selectors.link_visible(event=event, registered=False, now=on_time)
    event.link_audience = Event.LinkAudience.PUBLIC
    assert selectors.link_visible(event=event, registered=False, now=on_time)
    assert not selectors.link_visible(
        event=event, registered=True, now=event.ends_at + timedelta(minutes=1)
    )


def test_reminder_goes_the_day_before_once():
    event = EventFactory()
    register(event, 1)
    assert services.event_reminders_send_due(now=event.starts_at - timedelta(days=2)) == 0
    assert services.event_reminders_send_due(now=event.starts_at - timedelta(hours=20)) == 1
    assert services.event_reminders_send_due(now=event.starts_at - timedelta(hours=19)) == 0


# Invitations --------------------------------------------------------------------------------


def test_inviting_a_network_reaches_members_of_its_sub_networks_once():
    # given
    network = NetworkFactory()
    team = TeamFactory(parent=network)
    both = member_of(network)
    MembershipFactory(network=team, person=both)
    team_only = member_of(team)
    MembershipFactory(network=network, status=Membership.Status.ENDED)
    event = EventFactory(network=network)
    # when
    recipients = services.invitation_recipients(networks=[network], emails=["Ulko@Example.fi"])
    sent = services.invitation_send(actor=None, event=event, recipients=recipients)
    resent = services.invitation_send(actor=None, event=event, recipients=recipients)
    # then
    emails = sorted(r.email for r in recipients)
    assert emails == sorted([both.email, team_only.email, "ulko@example.fi"])
    assert (sent, resent) == (3, 0)
    assert event.checklist.get(key="invitations").is_done


def test_draft_cannot_be_sent_as_an_invitation():
    event = EventFactory(visibility=Event.Visibility.DRAFT)
    with pytest.raises(ValidationError):
        services.invitation_send(
            actor=None, event=event, recipients=[services.Recipient("a@example.fi", "", "fi")]
        )


# Minutes ------------------------------------------------------------------------------------


def test_minutes_lifecycle_keeps_every_version():
    # given
    event = EventFactory()
    present = register(event, 1)
    absent = register(event, 2)
    services.registration_attendance_set(actor=None, registration=absent, attendance="absent")
    minutes = services.minutes_start(actor=None, event=event, body="Muistio\n1. Avaus")
    # when
    with pytest.raises(ValidationError):
        services.minutes_send(actor=None, minutes=minutes)
    minutes = services.minutes_save(actor=None, minutes=minutes, body="Muistio\n1. Avaus\n2. Asiat")
    services.minutes_approve(actor=None, minutes=minutes)
    services.minutes_publish(actor=None, minutes=minutes, published=True)
    sent = services.minutes_send(actor=None, minutes=minutes)
    # then
    minutes.refresh_from_db()
    assert minutes.version == 2
    assert minutes.published
    assert minutes.sent_at
    assert [v.number for v in minutes.versions.all()] == [2, 1]
    assert sent == 1
    assert OutboxMessage.objects.filter(to_email=present.email, key__startswith="minutes:").exists()
    assert event.checklist.get(key="minutes").is_done
    # and editing approved minutes makes them a draft again
    minutes = services.minutes_save(actor=None, minutes=minutes, body="Korjattu")
    assert minutes.status == Minutes.Status.DRAFT


def test_unapproved_minutes_cannot_be_published_and_empty_text_is_refused():
    minutes = services.minutes_start(actor=None, event=EventFactory(), body="Luonnos")
    with pytest.raises(ValidationError):
        services.minutes_publish(actor=None, minutes=minutes, published=True)
    with pytest.raises(ValidationError):
        services.minutes_save(actor=None, minutes=minutes, body="   ")


# Permissions and visibility -----------------------------------------------------------------


def test_coordinator_manages_own_network_events_not_anothers():
    # given
    mako, pomako = NetworkFactory(), NetworkFactory()
    coordinator = coordinator_of(mako)
    own, other = EventFactory(network=mako), EventFactory(network=pomako)
    # then
    assert user_can(coordinator.user, "event.manage", own)
    assert not user_can(coordinator.user, "event.manage", other)
    assert user_can(coordinator.user, "event.create", mako)
    assert not user_can(coordinator.user, "event.create", pomako)


def test_team_lead_manages_only_her_teams_events():
    network = NetworkFactory()
    team = TeamFactory(parent=network)
    lead = person_with_login()
    MembershipFactory(network=team, person=lead, role=Membership.Role.LEAD)
    team_event = EventFactory(network=network, team=team)
    network_event = EventFactory(network=network)
    assert user_can(lead.user, "event.manage", team_event)
    assert not user_can(lead.user, "event.manage", network_event)


def test_members_only_and_drafts_are_hidden_from_outsiders():
    # given
    network = NetworkFactory()
    member = member_of(network)
    public = EventFactory(network=network)
    members = EventFactory(network=network, visibility=Event.Visibility.MEMBERS)
    draft = EventFactory(network=network, visibility=Event.Visibility.DRAFT)
    outsider = member_of(NetworkFactory())
    filters = selectors.EventFilters()
    # then
    from django.contrib.auth.models import AnonymousUser

    def seen(user):
        return set(selectors.event_list(filters=filters, user=user))

    assert seen(AnonymousUser()) == {public}
    assert seen(outsider.user) == {public}
    assert seen(member.user) == {public, members}
    assert seen(coordinator_of(network).user) == {public, members, draft}


def test_costs_per_year_add_up_and_leave_out_cancelled_events():
    network = NetworkFactory()
    EventFactory(
        network=network,
        starts_at=helsinki(2026, 3, 1),
        ends_at=helsinki(2026, 3, 1, 12),
        room_rent=Decimal("100"),
        coffee_cost=Decimal("50"),
    )
    EventFactory(
        network=network,
        starts_at=helsinki(2026, 9, 1),
        ends_at=helsinki(2026, 9, 1, 12),
        coffee_cost=Decimal("25.50"),
    )
    EventFactory(
        network=network,
        starts_at=helsinki(2026, 10, 1),
        ends_at=helsinki(2026, 10, 1, 12),
        room_rent=Decimal("999"),
        status=Event.Status.CANCELLED,
    )
    [row] = selectors.costs_per_year(network=network)
    assert row["year"] == 2026
    assert row["events"] == 2
    assert row["total"] == Decimal("175.50")


def test_overdue_reminders_take_the_same_queries_for_one_event_or_many(
    django_assert_max_num_queries,
):
    # given: ten events without task owners in one network, overdue everywhere
    network = NetworkFactory()
    MembershipFactory(network=network, role=Membership.Role.COORDINATOR)
    events = EventFactory.create_batch(10, network=network)
    today = timezone.localdate(events[0].starts_at) - timedelta(days=40)
    # when / then: the coordinators are looked up once, not per task
    with django_assert_max_num_queries(12):
        assert services.checklist_remind_overdue(today=today) == 1
