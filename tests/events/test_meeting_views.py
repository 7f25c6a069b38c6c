"""Running a meeting: agenda, materials, registrations and attendance, invitations, minutes.

Permissions, every form's bad input, the agenda's warnings and timed turns, upload checks and
download headers through the pages, and the registrations page's query count.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kotoverkko.events import agenda
from kotoverkko.events.models import (
    AgendaItem,
    AgendaSlot,
    Event,
    Invitation,
    Minutes,
    Registration,
    Speaker,
)
from kotoverkko.library.models import Document
from kotoverkko.mailing.models import OutboxMessage
from tests.events.factories import (
    HELSINKI,
    AgendaItemFactory,
    EventFactory,
    RegistrationFactory,
    helsinki,
)
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    coordinator_of,
    member_of,
    person_with_login,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def network():
    return NetworkFactory(slug="lapin-mako", name_fi="Lapin MAKO", name_en="Lapland MAKO")


@pytest.fixture
def event(network):
    return EventFactory(network=network, title_fi="Verkostotapaaminen", title_en="Network meeting")


@pytest.fixture
def coordinator_client(client, network):
    client.force_login(coordinator_of(network).user)
    return client


def url(name: str, event: Event, **kwargs) -> str:
    return "/en" + reverse(f"events:{name}", kwargs={"pk": event.pk, **kwargs})[3:]


def local_input(moment) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M")


def agenda_post(event, *, minutes_in=0, duration=30, type="other", title_fi="Asia", **extra):
    data = {
        "starts_at": local_input(event.starts_at + timedelta(minutes=minutes_in)),
        "duration": str(duration),
        "type": type,
        "title_fi": title_fi,
        "title_sv": "",
        "title_en": "",
        "description_fi": "",
        "description_sv": "",
        "description_en": "",
        "speaker-TOTAL_FORMS": "3",
        "speaker-INITIAL_FORMS": "0",
        "speaker-MIN_NUM_FORMS": "0",
        "speaker-MAX_NUM_FORMS": "3",
    }
    data.update(extra)
    return data


def manage_pages(event: Event) -> list[str]:
    item = AgendaItemFactory(event=event)
    return [
        url("manage_agenda", event),
        url("manage_agenda_item", event, item_pk=item.pk),
        url("manage_materials", event),
        url("manage_registrations", event),
        url("manage_registrations_export", event, fmt="csv"),
        url("manage_registrations_export", event, fmt="xlsx"),
        url("manage_invitations", event),
        url("manage_minutes", event),
    ]


# Permissions --------------------------------------------------------------------------------


def test_every_page_opens_for_the_coordinator(coordinator_client, event):
    # given
    pages = manage_pages(event) + [url("agenda_print", event)]

    # when
    statuses = {page: coordinator_client.get(page).status_code for page in pages}

    # then
    assert set(statuses.values()) == {200}, statuses


def test_a_coordinator_of_another_network_is_refused_everywhere(client, event):
    # given
    client.force_login(coordinator_of(NetworkFactory()).user)

    # when
    statuses = {page: client.get(page).status_code for page in manage_pages(event)}
    posts = {
        page: client.post(page, {"action": "attendance"}).status_code
        for page in manage_pages(event)[:4]
    }

    # then
    assert set(statuses.values()) == {403}, statuses
    assert set(posts.values()) == {403}, posts


def test_a_member_cannot_manage_the_meeting(client, event, network):
    # given
    client.force_login(member_of(network).user)

    # when
    statuses = {page: client.get(page).status_code for page in manage_pages(event)}

    # then
    assert set(statuses.values()) == {403}, statuses


def test_anonymous_visitors_are_sent_to_log_in(client, event):
    for page in manage_pages(event):
        response = client.get(page)
        assert response.status_code == 302, page
        assert "/accounts/login/" in response["Location"]


def test_the_lead_of_the_events_team_manages_it(client, network):
    # given
    team = TeamFactory(parent=network)
    lead = person_with_login()
    MembershipFactory(person=lead, network=team, role="lead")
    event = EventFactory(network=network, team=team)
    client.force_login(lead.user)

    # when
    response = client.get(url("manage_agenda", event))

    # then
    assert response.status_code == 200


def test_printable_agenda_of_a_public_event_is_for_everyone(client, event):
    # given
    AgendaItemFactory(event=event, title_fi="Ajankohtaiskierros", title_en="Current affairs")

    # when
    response = client.get(url("agenda_print", event))

    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "Current affairs" in body
    assert 'class="agenda-print-table"' in body
    assert 'class="meeting-nav"' not in body


def test_printable_agenda_of_a_members_event_follows_membership(client, network):
    # given
    event = EventFactory(network=network, visibility=Event.Visibility.MEMBERS)
    page = url("agenda_print", event)

    # when / then: anonymous visitors log in, members see it, others do not
    assert client.get(page).status_code == 302
    client.force_login(member_of(network).user)
    assert client.get(page).status_code == 200
    client.force_login(member_of(NetworkFactory()).user)
    assert client.get(page).status_code == 403


# Agenda -------------------------------------------------------------------------------------


def test_new_item_starts_where_the_previous_one_ends(coordinator_client, event):
    # given
    AgendaItemFactory(event=event, starts_at=event.starts_at, duration=45)

    # when
    body = coordinator_client.get(url("manage_agenda", event)).content.decode()

    # then
    expected = local_input(event.starts_at + timedelta(minutes=45))
    assert f'value="{expected}"' in body


def test_coordinator_adds_an_item_with_a_member_and_a_guest_speaking(
    coordinator_client, event, network
):
    # given
    speaker = PersonFactory(
        first_name="Leila", last_name="Nieminen", organisation=OrganisationFactory(name_fi="Kela")
    )
    MembershipFactory(person=speaker, network=network)
    data = agenda_post(
        event,
        minutes_in=10,
        duration=40,
        type="theme_talk",
        title_fi="Mielenterveyden tukeminen",
        title_en="Supporting mental health",
        **{
            "speaker-0-person": str(speaker.pk),
            "speaker-1-name": "Sanna Guest",
            "speaker-1-organisation_name": "SPR Lapin piiri",
        },
    )

    # when
    response = coordinator_client.post(url("manage_agenda", event), data)

    # then
    assert response.status_code == 302
    item = AgendaItem.objects.get(event=event)
    assert item.title_fi == "Mielenterveyden tukeminen"
    assert item.type == AgendaItem.Type.THEME_TALK
    assert item.starts_at == event.starts_at + timedelta(minutes=10)
    assert item.duration == 40
    speakers = {s.display_name: s.display_organisation for s in item.speakers.all()}
    assert speakers == {"Leila Nieminen": "Kela", "Sanna Guest": "SPR Lapin piiri"}
    page = coordinator_client.get(url("manage_agenda", event)).content.decode()
    assert "9.10–9.50" in page
    assert "Leila Nieminen" in page
    assert "SPR Lapin piiri" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title_fi": ""}, "Write the title in at least one language."),
        ({"duration": "0"}, "greater than or equal to 1"),
        ({"starts_at": "tomorrow"}, "Enter a valid date/time."),
        ({"type": "party"}, "Select a valid choice."),
        ({"speaker-0-name": "Only Name", "speaker-0-person": "999999"}, "Select a valid choice."),
        ({"speaker-0-organisation_name": "Kela"}, "Write the guest&#x27;s name."),
    ],
)
def test_bad_agenda_input_is_refused_with_a_message(coordinator_client, event, change, message):
    # when
    response = coordinator_client.post(url("manage_agenda", event), agenda_post(event, **change))

    # then
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_a_title_in_one_language_is_enough(coordinator_client, event):
    # when
    response = coordinator_client.post(
        url("manage_agenda", event), agenda_post(event, title_fi="", title_sv="Aktuellt")
    )

    # then
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.title_fi or "", item.title_sv) == ("", "Aktuellt")


def test_an_item_outside_the_event_is_refused_by_the_service(coordinator_client, event):
    # when
    response = coordinator_client.post(
        url("manage_agenda", event), agenda_post(event, minutes_in=-60)
    )

    # then
    assert response.status_code == 400
    assert "The item must start during the event." in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_a_speaker_is_a_person_or_a_guest_not_both(coordinator_client, event, network):
    # given
    person = PersonFactory()
    MembershipFactory(person=person, network=network)
    data = agenda_post(event, **{"speaker-0-person": str(person.pk), "speaker-0-name": "Guest"})

    # when
    response = coordinator_client.post(url("manage_agenda", event), data)

    # then
    assert response.status_code == 400
    assert "not both" in response.content.decode()
    assert not Speaker.objects.exists()


def test_coordinator_edits_an_item_and_its_speakers(coordinator_client, event):
    # given
    item = AgendaItemFactory(event=event, title_fi="Vanha", duration=30)
    Speaker.objects.create(item=item, name="Old Speaker")
    page = url("manage_agenda_item", event, item_pk=item.pk)
    assert 'value="Old Speaker"' in coordinator_client.get(page).content.decode()
    data = agenda_post(
        event, duration=20, title_fi="Uusi", **{"action": "save", "speaker-0-name": "New One"}
    )

    # when
    response = coordinator_client.post(page, data)

    # then
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title_fi, item.duration) == ("Uusi", 20)
    assert [s.name for s in item.speakers.all()] == ["New One"]


def test_bad_edit_changes_nothing(coordinator_client, event):
    # given
    item = AgendaItemFactory(event=event, title_fi="Vanha", duration=30)
    data = agenda_post(event, duration=20, title_fi="Uusi", minutes_in=-30, action="save")

    # when
    response = coordinator_client.post(url("manage_agenda_item", event, item_pk=item.pk), data)

    # then
    assert response.status_code == 400
    item.refresh_from_db()
    assert (item.title_fi, item.duration) == ("Vanha", 30)


def test_deleting_an_item_asks_for_confirmation_first(coordinator_client, event):
    # given
    item = AgendaItemFactory(event=event, title_fi="Poistettava")
    page = url("manage_agenda_item", event, item_pk=item.pk)

    # when the coordinator asks to remove it
    confirmation = coordinator_client.get(page + "?delete=1").content.decode()

    # then nothing is removed until she confirms
    assert "Remove “Poistettava” from the agenda?" in confirmation
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    response = coordinator_client.post(page, {"action": "delete"})
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_an_item_of_another_event_is_not_found(coordinator_client, event, network):
    # given
    other = AgendaItemFactory(event=EventFactory(network=network))

    # when
    response = coordinator_client.get(url("manage_agenda_item", event, item_pk=other.pk))

    # then
    assert response.status_code == 404


def test_page_warns_about_a_workshop_without_debrief_and_an_overrun(coordinator_client, event):
    # given a three-hour event whose agenda has a workshop with no debrief and runs 30 min long
    AgendaItemFactory(event=event, starts_at=event.starts_at, duration=60, title_fi="Avaus")
    AgendaItemFactory(
        event=event,
        starts_at=event.starts_at + timedelta(minutes=60),
        duration=150,
        type=AgendaItem.Type.WORKSHOP,
        title_fi="Työpaja",
    )

    # when
    body = coordinator_client.get(url("manage_agenda", event)).content.decode()

    # then
    assert "The workshop “Työpaja” has no debrief after it." in body
    assert "The agenda runs 30 minutes past the end of the event" in body


def test_auto_slotting_gives_four_organisations_five_minutes_each(coordinator_client, event):
    # given four organisations registered, one of them twice, and a 20-minute round at 9.10
    for name in ("SPR Lapin piiri", "Rovaniemen kaupunki", "Kela", "Lapin ELY"):
        RegistrationFactory(event=event, organisation_name=name)
    RegistrationFactory(event=event, organisation_name="Kela")
    RegistrationFactory(
        event=event, organisation_name="Peruttu ry", status=Registration.Status.CANCELLED
    )
    item = AgendaItemFactory(
        event=event,
        starts_at=event.starts_at + timedelta(minutes=10),
        duration=20,
        type=AgendaItem.Type.CURRENT_AFFAIRS,
        title_fi="Kuulumiskierros",
    )

    # when
    response = coordinator_client.post(url("manage_agenda_slots", event, item_pk=item.pk))

    # then
    assert response.status_code == 302
    slots = list(AgendaSlot.objects.filter(item=item).order_by("starts_at"))
    assert [s.seconds for s in slots] == [300, 300, 300, 300]
    assert [s.label for s in slots] == [
        "SPR Lapin piiri",
        "Rovaniemen kaupunki",
        "Kela",
        "Lapin ELY",
    ]
    body = coordinator_client.get(url("manage_agenda", event)).content.decode()
    assert "divided into 4 turns of 5 min" in body
    for turn in ("9.10–9.15", "9.15–9.20", "9.20–9.25", "9.25–9.30"):
        assert turn in body
    assert "Peruttu ry" not in body


def test_slotting_something_else_than_a_round_is_refused(coordinator_client, event):
    # given
    RegistrationFactory(event=event)
    item = AgendaItemFactory(event=event, type=AgendaItem.Type.THEME_TALK)

    # when
    response = coordinator_client.post(url("manage_agenda_slots", event, item_pk=item.pk))

    # then
    assert response.status_code == 400
    assert "Only a current-affairs round is divided into turns." in response.content.decode()
    assert not AgendaSlot.objects.exists()


def test_slotting_needs_a_post(coordinator_client, event):
    item = AgendaItemFactory(event=event, type=AgendaItem.Type.CURRENT_AFFAIRS)
    response = coordinator_client.get(url("manage_agenda_slots", event, item_pk=item.pk))
    assert response.status_code == 405


# Agenda warnings and turns (pure functions) --------------------------------------------------


def _item(event, minutes_in, duration, type=AgendaItem.Type.OTHER, title="Asia", pk=None):
    return AgendaItem(
        pk=pk,
        event=event,
        starts_at=event.starts_at + timedelta(minutes=minutes_in),
        duration=duration,
        type=type,
        title=title,
    )


def _codes(event, items) -> list[str]:
    return [w.code for w in agenda.agenda_warnings(event, items)]


def test_a_well_planned_agenda_has_no_warnings():
    event = Event(starts_at=helsinki(2025, 9, 5, 9), ends_at=helsinki(2025, 9, 5, 12))
    items = [
        _item(event, 0, 30, AgendaItem.Type.CURRENT_AFFAIRS),
        _item(event, 30, 60, AgendaItem.Type.WORKSHOP),
        _item(event, 90, 30, AgendaItem.Type.DEBRIEF),
        _item(event, 120, 60, AgendaItem.Type.THEME_TALK),
    ]
    assert _codes(event, items) == []


def test_warnings_name_each_problem():
    event = Event(starts_at=helsinki(2025, 9, 5, 9), ends_at=helsinki(2025, 9, 5, 12))
    items = [
        _item(event, -15, 30, title="Early"),
        _item(event, 0, 60, AgendaItem.Type.WORKSHOP, title="Pajat"),
        _item(event, 50, 30, AgendaItem.Type.DEBRIEF, title="Purku"),
        _item(event, 100, 30, AgendaItem.Type.WORKSHOP, title="Toinen paja"),
        _item(event, 185, 10, title="Late"),
    ]
    warnings = agenda.agenda_warnings(event, items)
    assert [w.code for w in warnings] == [
        "before_start",
        "after_end",
        "overlap",
        "overlap",
        "no_debrief",
        "overrun",
    ]
    assert "“Toinen paja”" in warnings[4].message
    assert "15 minutes past the end" in warnings[5].message


def test_a_multi_day_debrief_after_two_workshops_covers_both():
    event = Event(starts_at=helsinki(2025, 9, 5, 9), ends_at=helsinki(2025, 9, 6, 16))
    items = [
        _item(event, 0, 60, AgendaItem.Type.WORKSHOP),
        _item(event, 60, 60, AgendaItem.Type.WORKSHOP),
        _item(event, 24 * 60, 60, AgendaItem.Type.DEBRIEF),
    ]
    assert _codes(event, items) == []


def test_turns_read_as_times_and_labels():
    slot = AgendaSlot(label="SPR Lapin piiri", starts_at=helsinki(2025, 9, 5, 9, 10), seconds=200)
    (turn,) = agenda.turns([slot])
    assert str(turn) == "9.10–9.13 SPR Lapin piiri"
    assert turn.length == "3 min 20 s"


def test_minutes_html_escapes_everything():
    html = agenda.minutes_html("Title\n=====\n\n1. <script>x</script>\n- a & b\n\nText")
    assert "<h2>Title</h2>" in html
    assert "<h3>1. &lt;script&gt;x&lt;/script&gt;</h3>" in html
    assert "<ul><li>a &amp; b</li></ul>" in html
    assert "<p>Text</p>" in html
    assert "<script>" not in html


# Materials ----------------------------------------------------------------------------------


def test_coordinator_uploads_slides_to_an_agenda_item(coordinator_client, event):
    # given
    item = AgendaItemFactory(event=event, title_fi="Teema")
    file = SimpleUploadedFile("Esitys äö.pdf", PDF, content_type="application/x-anything")

    # when
    response = coordinator_client.post(
        url("manage_materials", event),
        {"action": "upload", "file": file, "title": "Kalvot", "item": str(item.pk)},
    )

    # then
    assert response.status_code == 302
    material = Document.objects.get()
    assert (material.title, material.item, material.event) == ("Kalvot", item, event)
    assert material.content_type == "application/pdf"
    assert material.original_name == "Esitys äö.pdf"
    assert material.size == len(PDF)
    assert "Esitys" not in material.file.name
    page = coordinator_client.get(url("manage_materials", event)).content.decode()
    assert "Kalvot" in page


def test_a_renamed_program_is_refused_through_the_page(coordinator_client, event):
    # given
    exe = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100)

    # when
    response = coordinator_client.post(
        url("manage_materials", event), {"action": "upload", "file": exe, "title": ""}
    )

    # then
    assert response.status_code == 400
    assert "This kind of file cannot be uploaded." in response.content.decode()
    assert not Document.objects.exists()


def test_an_upload_without_a_file_or_to_a_foreign_item_is_refused(coordinator_client, event):
    # given
    foreign = AgendaItemFactory(event=EventFactory(network=event.network))
    pdf = SimpleUploadedFile("a.pdf", PDF)

    # when
    without_file = coordinator_client.post(url("manage_materials", event), {"action": "upload"})
    foreign_item = coordinator_client.post(
        url("manage_materials", event), {"action": "upload", "file": pdf, "item": foreign.pk}
    )

    # then
    assert without_file.status_code == 400
    assert "This field is required." in without_file.content.decode()
    assert foreign_item.status_code == 400
    assert "Select a valid choice." in foreign_item.content.decode()
    assert not Document.objects.exists()


def _material(event, name='Muistio "1"\r\n.pdf', data=PDF) -> Document:
    public = event.visibility == Event.Visibility.PUBLIC
    material = Document(
        event=event,
        network=event.network,
        visibility=Document.Visibility.PUBLIC if public else Document.Visibility.MEMBERS,
        title_fi="Muistio",
        original_name=name,
        kind="pdf",
        content_type="application/pdf",
        size=len(data),
    )
    material.file.save("x", io.BytesIO(data), save=False)
    material.save()
    return material


def test_a_download_is_an_attachment_with_a_safe_name_and_the_detected_type(client, event):
    # given a public event's material whose stored name has quotes and a line break
    material = _material(event)

    # when
    response = client.get(f"/en/library/{material.pk}/download/")

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''Muistio%20%221%22.pdf" in disposition
    assert "\r" not in disposition
    assert "\n" not in disposition


def test_the_address_materials_had_before_the_library_leads_to_the_download(client, event):
    # given
    material = _material(event)

    # when
    response = client.get("/en" + reverse("events:material", args=[material.pk])[3:])

    # then
    assert response.status_code == 301
    assert response["Location"] == f"/en/library/{material.pk}/download/"


def test_materials_of_a_draft_are_for_the_networks_members_only(client, network):
    # given
    material = _material(EventFactory(network=network, visibility=Event.Visibility.DRAFT))
    address = f"/en/library/{material.pk}/download/"

    # when / then
    assert client.get(address).status_code == 302
    client.force_login(member_of(NetworkFactory()).user)
    assert client.get(address).status_code == 404
    client.force_login(coordinator_of(network).user)
    response = client.get(address)
    response.close()
    assert response.status_code == 200


def test_removing_a_material_deletes_its_file_after_confirmation(
    coordinator_client, event, django_capture_on_commit_callbacks
):
    # given
    material = _material(event)
    storage, name = material.file.storage, material.file.name
    page = url("manage_materials", event)
    confirmation = coordinator_client.get(f"{page}?delete={material.pk}").content.decode()
    assert "Remove “Muistio”?" in confirmation
    assert storage.exists(name)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(page, {"action": "delete", "material": material.pk})

    # then
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not storage.exists(name)


def test_removing_an_unknown_material_is_not_found(coordinator_client, event):
    # given
    material = _material(EventFactory(network=event.network))

    # when
    responses = [
        coordinator_client.post(
            url("manage_materials", event), {"action": "delete", "material": value}
        )
        for value in (material.pk, "abc", "")
    ]

    # then
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert Document.objects.filter(pk=material.pk).exists()


# Registrations and attendance ---------------------------------------------------------------


def test_registrations_page_shows_each_list_and_the_seats(coordinator_client, network):
    # given
    event = EventFactory(network=network, capacity=2)
    RegistrationFactory(
        event=event, name="Aino Ahola", diet="gluteeniton", organisation_name="Kela"
    )
    RegistrationFactory(event=event, name="Mikko Mäki", accessibility_needs="pyörätuoli")
    RegistrationFactory(event=event, name="Odottava", status=Registration.Status.WAITING)
    RegistrationFactory(event=event, name="Perunut", status=Registration.Status.CANCELLED)

    # when
    body = coordinator_client.get(url("manage_registrations", event)).content.decode()

    # then
    for text in ("Aino Ahola", "gluteeniton", "Kela", "pyörätuoli", "Odottava", "Perunut"):
        assert text in body
    assert "Confirmed (2)" in body
    assert "On the waiting list (1)" in body
    assert "Cancelled (1)" in body
    assert "<dt>Left</dt><dd>0</dd>" in body


def test_attendance_of_every_row_is_saved_at_once(coordinator_client, event):
    # given
    first, second, third = (RegistrationFactory(event=event) for _ in range(3))

    # when
    response = coordinator_client.post(
        url("manage_registrations", event),
        {
            "action": "attendance",
            f"attendance-{first.pk}": "present",
            f"attendance-{second.pk}": "absent",
            f"attendance-{third.pk}": "",
        },
    )

    # then
    assert response.status_code == 302
    values = dict(Registration.objects.values_list("pk", "attendance"))
    assert values == {first.pk: "present", second.pk: "absent", third.pk: ""}


def test_a_bad_attendance_value_saves_nothing(coordinator_client, event):
    # given
    first, second = RegistrationFactory(event=event), RegistrationFactory(event=event)

    # when
    response = coordinator_client.post(
        url("manage_registrations", event),
        {
            "action": "attendance",
            f"attendance-{first.pk}": "present",
            f"attendance-{second.pk}": "maybe",
        },
    )

    # then
    assert response.status_code == 400
    assert f"Choose present, absent or not marked for {second.name}." in response.content.decode()
    assert set(Registration.objects.values_list("attendance", flat=True)) == {""}


def test_a_walk_in_is_recorded_as_present(coordinator_client, event):
    # when
    response = coordinator_client.post(
        url("manage_registrations", event),
        {
            "action": "walk_in",
            "name": "Hassan Ali",
            "email": "Hassan@Example.fi",
            "organisation_name": "Monikulttuurinen yhdistys",
            "language": "fi",
        },
    )

    # then
    assert response.status_code == 302
    walk_in = Registration.objects.get()
    assert (walk_in.name, walk_in.email, walk_in.walk_in) == (
        "Hassan Ali",
        "hassan@example.fi",
        True,
    )
    assert walk_in.attendance == Registration.Attendance.PRESENT
    assert walk_in.status == Registration.Status.CONFIRMED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"name": "   "}, "This field is required."),
        ({"language": "de"}, "Select a valid choice."),
    ],
)
def test_bad_walk_in_input_is_refused(coordinator_client, event, change, message):
    data = {"action": "walk_in", "name": "Hassan Ali", "email": "h@example.fi", "language": "fi"}
    response = coordinator_client.post(url("manage_registrations", event), {**data, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_cancelling_on_behalf_promotes_the_waiting_list(coordinator_client, network):
    # given
    event = EventFactory(network=network, capacity=1)
    seated = RegistrationFactory(event=event, name="Istuja")
    waiting = RegistrationFactory(event=event, name="Jonottaja", status=Registration.Status.WAITING)
    page = url("manage_registrations", event)
    confirmation = coordinator_client.get(f"{page}?cancel={seated.pk}").content.decode()
    assert "Cancel the registration of Istuja?" in confirmation

    # when
    response = coordinator_client.post(page, {"action": "cancel", "registration": seated.pk})

    # then
    assert response.status_code == 302
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert OutboxMessage.objects.filter(to_email=seated.email).exists()
    assert OutboxMessage.objects.filter(to_email=waiting.email).exists()
    body = coordinator_client.get(page).content.decode()
    assert "Jonottaja got the place from the waiting list" in body


def test_cancelling_twice_or_a_stranger_is_refused(coordinator_client, event, network):
    # given
    cancelled = RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    stranger = RegistrationFactory(event=EventFactory(network=network))
    page = url("manage_registrations", event)

    # when
    again = coordinator_client.post(page, {"action": "cancel", "registration": cancelled.pk})
    foreign = coordinator_client.post(page, {"action": "cancel", "registration": stranger.pk})

    # then
    assert again.status_code == 400
    assert "already cancelled" in again.content.decode()
    assert foreign.status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == Registration.Status.CONFIRMED


def test_export_lists_registrations_with_formulas_neutralised(coordinator_client, event):
    # given
    RegistrationFactory(
        event=event, name='=HYPERLINK("http://evil")', organisation_name="Kela", diet="vegaani"
    )

    # when
    csv_response = coordinator_client.get(url("manage_registrations_export", event, fmt="csv"))
    xlsx_response = coordinator_client.get(url("manage_registrations_export", event, fmt="xlsx"))

    # then
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Name", "E-mail", "Organisation"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][2] == "Kela"
    assert "attachment;" in csv_response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet.cell(row=2, column=1).value == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=7).value == "vegaani"
    assert (
        coordinator_client.get(url("manage_registrations_export", event, fmt="pdf")).status_code
        == 404
    )


def _registrations_query_count(client, event, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(50) as captured:
        response = client.get(url("manage_registrations", event))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_registrations_page_query_count_does_not_grow_with_rows(
    coordinator_client, network, django_assert_max_num_queries
):
    # given two events, with 5 and 40 registrations from organisations in the directory
    small, large = EventFactory(network=network), EventFactory(network=network)
    for event, count in ((small, 5), (large, 40)):
        for index in range(count):
            RegistrationFactory(
                event=event,
                organisation=OrganisationFactory(),
                status=Registration.Status.WAITING if index % 5 == 4 else "confirmed",
                attendance="present" if index % 2 else "",
            )

    # when
    few = _registrations_query_count(coordinator_client, small, django_assert_max_num_queries)
    many = _registrations_query_count(coordinator_client, large, django_assert_max_num_queries)

    # then
    assert few == many


# Invitations --------------------------------------------------------------------------------


def test_inviting_the_network_sends_each_member_a_request(coordinator_client, network, event):
    # given members of the network and of a team below it, and one who left
    team = TeamFactory(parent=network)
    member = MembershipFactory(network=network).person
    team_member = MembershipFactory(network=team).person
    former = MembershipFactory(network=network, status="ended").person

    # when
    response = coordinator_client.post(
        url("manage_invitations", event), {"action": "group", "group": network.pk}
    )

    # then
    assert response.status_code == 302
    invited = set(Invitation.objects.filter(event=event).values_list("email", flat=True))
    assert {member.email, team_member.email} <= invited
    assert former.email not in invited
    message = OutboxMessage.objects.get(to_email=member.email)
    assert message.attachments[0]["method"] == "REQUEST"
    assert "METHOD:REQUEST" in message.attachments[0]["content"]
    page = coordinator_client.get(url("manage_invitations", event)).content.decode()
    assert member.email in page
    assert "Calendar version (SEQUENCE)" in page


def test_inviting_a_team_reaches_only_the_team(coordinator_client, network, event):
    # given
    team = TeamFactory(parent=network)
    member = MembershipFactory(network=network).person
    team_member = MembershipFactory(network=team).person

    # when
    coordinator_client.post(url("manage_invitations", event), {"action": "group", "group": team.pk})

    # then
    invited = set(Invitation.objects.values_list("email", flat=True))
    assert invited == {team_member.email}
    assert member.email not in invited


def test_pasted_addresses_are_invited(coordinator_client, event):
    # when
    response = coordinator_client.post(
        url("manage_invitations", event),
        {"action": "addresses", "addresses": "aino@example.fi\n\nErik <ERIK@example.fi>;\n"},
    )

    # then
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "aino@example.fi",
        "erik@example.fi",
    }
    assert OutboxMessage.objects.filter(to_email="erik@example.fi").count() == 1

    # when the same address is pasted again
    coordinator_client.post(
        url("manage_invitations", event), {"action": "addresses", "addresses": "erik@example.fi"}
    )

    # then it gets no second invitation
    assert OutboxMessage.objects.filter(to_email="erik@example.fi").count() == 1
    page = coordinator_client.get(url("manage_invitations", event)).content.decode()
    assert "1 person had been invited already" in page


def test_one_bad_pasted_address_sends_nothing(coordinator_client, event):
    # when
    response = coordinator_client.post(
        url("manage_invitations", event),
        {"action": "addresses", "addresses": "aino@example.fi\nnot an address\nerik@example.fi"},
    )

    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 2: “not an address” is not an e-mail address." in body
    assert "Nothing was sent." in body
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_group_outside_the_events_network_is_refused(coordinator_client, event):
    # when
    response = coordinator_client.post(
        url("manage_invitations", event), {"action": "group", "group": NetworkFactory().pk}
    )

    # then
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_draft_cannot_be_sent_out(coordinator_client, network):
    # given
    event = EventFactory(network=network, visibility=Event.Visibility.DRAFT)
    MembershipFactory(network=network)
    page = url("manage_invitations", event)
    assert "The event is a draft." in coordinator_client.get(page).content.decode()

    # when
    response = coordinator_client.post(page, {"action": "group", "group": network.pk})

    # then
    assert response.status_code == 400
    assert "Publish the event before inviting people." in response.content.decode()
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.exists()


# Minutes ------------------------------------------------------------------------------------


def test_minutes_start_from_the_agenda_and_attendance(coordinator_client, network):
    # given a Finnish meeting with two items, one present, one absent, one not marked
    event = EventFactory(
        network=network,
        title_fi="Lapin MAKO -verkostotapaaminen",
        title_en="Lapland MAKO meeting",
        starts_at=helsinki(2025, 9, 19, 9),
        ends_at=helsinki(2025, 9, 19, 12),
        languages=["fi", "sv"],
    )
    talk = AgendaItemFactory(
        event=event, starts_at=helsinki(2025, 9, 19, 9, 30), duration=45, title_fi="Teema"
    )
    Speaker.objects.create(item=talk, name="Sanna Guest", organisation_name="THL")
    AgendaItemFactory(
        event=event, starts_at=helsinki(2025, 9, 19, 9), duration=30, title_fi="Avaus"
    )
    RegistrationFactory(
        event=event, name="Paikalla", organisation_name="Kela", attendance="present"
    )
    RegistrationFactory(event=event, name="Poissa", attendance="absent")
    RegistrationFactory(event=event, name="Merkitsemätön", organisation_name="SPR")

    # when
    response = coordinator_client.post(url("manage_minutes", event), {"action": "start"})

    # then
    assert response.status_code == 302
    body = Minutes.objects.get(event=event).body
    assert "Lapin MAKO -verkostotapaaminen" in body
    assert "19.9.2025" in body
    assert "Kaupungintalo, Hallituskatu 7" in body
    assert "- Paikalla (Kela)" in body
    assert "- Merkitsemätön (SPR)" in body
    assert "Poissa" not in body
    assert body.index("1. Avaus (9.00–9.30)") < body.index("2. Teema (9.30–10.15)")
    assert "Sanna Guest (THL)" in body


def test_minutes_lifecycle_keeps_every_version(coordinator_client, event):
    # given
    page = url("manage_minutes", event)
    RegistrationFactory(event=event, email="osallistuja@example.fi", attendance="present")
    assert "Start the minutes" in coordinator_client.get(page).content.decode()
    coordinator_client.post(page, {"action": "start"})
    minutes = Minutes.objects.get(event=event)

    # when edited, approved, published and sent
    edited = coordinator_client.post(
        page, {"action": "save", "body": "Muistio\n\n1. Asia\n- <b>x</b>"}
    )
    approved = coordinator_client.post(page, {"action": "approve"})
    published = coordinator_client.post(page, {"action": "publish"})
    sent = coordinator_client.post(page, {"action": "send"})

    # then
    assert [r.status_code for r in (edited, approved, published, sent)] == [302] * 4
    minutes.refresh_from_db()
    assert (minutes.version, minutes.status, minutes.published) == (2, "approved", True)
    assert minutes.sent_at is not None
    mail = OutboxMessage.objects.get(to_email="osallistuja@example.fi", key__startswith="minutes:")
    assert "1. Asia" in mail.body_text
    text_view = coordinator_client.get(page).content.decode()
    assert "The minutes were sent to 1 participant." in text_view
    assert "&lt;b&gt;x&lt;/b&gt;" in text_view
    html_view = coordinator_client.get(page + "?view=html").content.decode()
    assert "<h3>1. Asia</h3>" in html_view
    assert "<li>&lt;b&gt;x&lt;/b&gt;</li>" in html_view

    # when the approved minutes are edited again
    coordinator_client.post(page, {"action": "save", "body": "Muistio, korjattu"})

    # then they are a draft again and every version can be read
    assert "The minutes are a draft again" in coordinator_client.get(page).content.decode()
    minutes.refresh_from_db()
    assert (minutes.version, minutes.status) == (3, "draft")
    assert list(minutes.versions.values_list("number", flat=True)) == [3, 2, 1]
    first = coordinator_client.get(page + "?version=1").content.decode()
    assert "Version 1" in first
    assert "Läsnä:" in first  # the event's language is Finnish


def test_minutes_cannot_be_published_or_sent_before_approval(coordinator_client, event):
    # given
    page = url("manage_minutes", event)
    coordinator_client.post(page, {"action": "start"})

    # when
    published = coordinator_client.post(page, {"action": "publish"})
    sent = coordinator_client.post(page, {"action": "send"})

    # then
    assert published.status_code == 400
    assert "Approve the minutes before publishing them." in published.content.decode()
    assert sent.status_code == 400
    assert "Approve the minutes before sending them." in sent.content.decode()
    minutes = Minutes.objects.get()
    assert (minutes.published, minutes.sent_at) == (False, None)


def test_empty_minutes_are_refused(coordinator_client, event):
    # given
    page = url("manage_minutes", event)
    coordinator_client.post(page, {"action": "start"})

    # when
    response = coordinator_client.post(page, {"action": "save", "body": "  \n "})

    # then
    assert response.status_code == 400
    assert "The minutes cannot be empty." in response.content.decode()
    assert Minutes.objects.get().version == 1


def test_minutes_actions_need_started_minutes(coordinator_client, event):
    response = coordinator_client.post(url("manage_minutes", event), {"action": "approve"})
    assert response.status_code == 400
    assert "Start the minutes first." in response.content.decode()
    assert not Minutes.objects.exists()


def test_an_unknown_action_is_refused(coordinator_client, event):
    for name in ("manage_registrations", "manage_invitations"):
        response = coordinator_client.post(url(name, event), {"action": "explode"})
        assert response.status_code == 400
        assert "Unknown action." in response.content.decode()
