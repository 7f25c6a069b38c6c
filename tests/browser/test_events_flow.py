"""Events in a real browser: a visitor finds a public event, registers and cancels; a
coordinator plans a meeting (checklist, agenda with a current-affairs round divided into
turns, invitations) and publishes its minutes. axe-core on every page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kotoverkko.events.models import AgendaItem, Event, Invitation, Registration
from kotoverkko.mailing.models import OutboxMessage
from tests.browser.helpers import assert_accessible, tab_to
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import NetworkFactory, OrganisationFactory, coordinator_of, member_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "salasana-123"


def meeting(network) -> Event:
    start = (timezone.localtime() + timedelta(days=21)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return EventFactory(
        network=network,
        title_fi="Lapin MAKO -verkostotapaaminen",
        title_sv="Lapplands MAKO-nätverksmöte",
        title_en="Lapland MAKO network meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=30,
    )


def log_in(page, email: str) -> None:
    page.goto("/en/accounts/login/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/my/")


def test_visitor_finds_a_public_event_registers_and_cancels(page, screenshot_dir):
    # given a public meeting in the calendar
    network = NetworkFactory(slug="lapin-mako", name_en="Lapland MAKO")
    event = meeting(network)

    # when the visitor opens the calendar and follows the event's link
    page.goto("/en/events/")
    assert_accessible(page)
    page.get_by_role("link", name="Lapland MAKO network meeting").click()
    page.wait_for_url(f"**/en/events/{event.pk}/")

    # then the event page shows it, with its structured data
    assert "Lapland MAKO network meeting" in page.locator("h1").inner_text()
    data = page.locator('script[type="application/ld+json"]').inner_text()
    assert '"@type": "Event"' in data or '"@type":"Event"' in data
    page.screenshot(path=screenshot_dir / "event-page.png", full_page=True)
    assert_accessible(page)

    # when she registers with the keyboard
    page.get_by_role("link", name=re.compile("Register")).first.click()
    page.wait_for_url(f"**/en/events/{event.pk}/register/")
    assert_accessible(page)
    page.fill("#id_name", "Noora Hakala")
    page.fill("#id_email", "noora.hakala@example.fi")
    page.fill("#id_diet", "vegaaninen")
    tab_to(page, 'form button[type="submit"]')
    page.keyboard.press("Enter")

    # then she is back on the event page with a confirmation, and the mail has its invitation
    page.wait_for_url(f"**/en/events/{event.pk}/")
    assert page.locator(".messages").count() == 1
    assert_accessible(page)
    registration = Registration.objects.get(email="noora.hakala@example.fi")
    assert registration.status == Registration.Status.CONFIRMED
    confirmation = OutboxMessage.objects.get(key=f"registration:{registration.pk}:confirmed")
    assert confirmation.attachments[0]["method"] == "REQUEST"

    # when she follows the cancel link of the e-mail
    path = re.search(r"https?://[^/\s]+(/\S+/cancel/)", confirmation.body_text).group(1)
    page.goto(path.replace("/fi/", "/en/", 1))
    assert_accessible(page)
    page.get_by_role("button", name="Cancel my registration").click()

    # then the place is cancelled and her calendar is told
    page.wait_for_load_state()
    assert_accessible(page)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert OutboxMessage.objects.filter(key=f"registration:{registration.pk}:cancelled").exists()


def test_coordinator_plans_a_meeting_and_publishes_its_minutes(page, screenshot_dir):
    # given a meeting with three organisations registered and a member to invite
    network = NetworkFactory(slug="lapin-mako", name_en="Lapland MAKO")
    coordinator = coordinator_of(network, first_name="Aino", last_name="Korhonen")
    invited = member_of(network)
    event = meeting(network)
    for name in ("SPR Lapin piiri", "Kela", "Rovaniemen kaupunki"):
        RegistrationFactory(event=event, organisation=OrganisationFactory(name_fi=name))
    log_in(page, coordinator.email)

    # when she opens the planning overview and the checklist, and ticks off the first task
    page.goto(f"/en/coordination/events/{event.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Checklist").first.click()
    page.wait_for_url(f"**/coordination/events/{event.pk}/checklist/")
    assert_accessible(page)
    first = event.checklist.order_by("due_on", "position").first()
    row = page.locator(f"#task-row-{first.pk}")
    row.get_by_role("checkbox").check()
    row.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_load_state()
    first.refresh_from_db()
    assert first.is_done

    # when she adds a 15-minute current-affairs round and divides it into turns
    page.goto(f"/en/coordination/events/{event.pk}/agenda/")
    assert_accessible(page)
    page.fill("#id_duration", "15")
    page.select_option("#id_type", AgendaItem.Type.CURRENT_AFFAIRS)
    page.fill("#id_title_en", "Current affairs")
    page.get_by_role("button", name="Add to the agenda").click()
    page.wait_for_load_state()
    page.get_by_role("button", name=re.compile("Divide into turns")).click()
    page.wait_for_load_state()

    # then each organisation has a five-minute turn
    round_ = AgendaItem.objects.get(event=event, type=AgendaItem.Type.CURRENT_AFFAIRS)
    assert [slot.seconds for slot in round_.slots.all()] == [300, 300, 300]
    assert "SPR Lapin piiri" in page.content()
    page.screenshot(path=screenshot_dir / "agenda-turns.png", full_page=True)
    assert_accessible(page)

    # when she invites the network
    page.goto(f"/en/coordination/events/{event.pk}/invitations/")
    assert_accessible(page)
    page.select_option("#id_group", str(network.pk))
    page.get_by_role("button", name="Send invitations").first.click()
    page.wait_for_load_state()

    # then its members are invited with a calendar request
    assert Invitation.objects.filter(event=event, email=invited.email).exists()
    invitation_mail = OutboxMessage.objects.filter(to_email=invited.email).latest("pk")
    assert invitation_mail.attachments[0]["method"] == "REQUEST"
    assert_accessible(page)

    # when she starts the minutes, approves them and shows them on the event page
    page.goto(f"/en/coordination/events/{event.pk}/minutes/")
    assert_accessible(page)
    page.get_by_role("button", name="Start the minutes").click()
    page.wait_for_load_state()
    page.get_by_role("button", name=re.compile("Approve version")).click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Show on the event page").click()
    page.wait_for_load_state()
    assert_accessible(page)

    # then the public event page shows the approved minutes with the agenda's round
    page.goto(f"/en/events/{event.pk}/")
    assert "Current affairs" in page.locator("main").inner_text()
    event.minutes.refresh_from_db()
    assert event.minutes.published
    assert_accessible(page)
