"""Workshops (Starttipaja): planning, the signed links of the invited, the live compiled view,
follow-up actions and their reminders, the summary export, and who may see what."""

import io
import re
from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kotoverkko.mailing.models import OutboxMessage
from kotoverkko.tray import services
from kotoverkko.tray import workshop as workshops
from kotoverkko.tray.models import Category, ClientGroup, FollowUp, Offering, Wish, Workshop
from tests.factories import (
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    coordinator_of,
    municipality,
)

pytestmark = pytest.mark.django_db

PASSWORD = "salasana-123"


@pytest.fixture
def network():
    network = NetworkFactory(slug="lapin-mako", name_fi="Lapin MAKO")
    network.municipalities.set([municipality("240"), municipality("851")])  # Kemi, Tornio
    return network


@pytest.fixture
def coordinator(network):
    return coordinator_of(network, email="koordinaattori@example.fi", organisation=None)


@pytest.fixture
def workshop(network, coordinator):
    return workshops.workshop_create(
        actor=coordinator.user,
        network=network,
        data={
            "title": "Kemin Starttipaja",
            "date": timezone.localdate(),
            "place": "Kemin kirjasto",
            "municipality": municipality("240"),
        },
    )


@pytest.fixture
def red_cross():
    return OrganisationFactory(name_fi="Punainen Risti Kemi", municipality=municipality("240"))


@pytest.fixture
def invitation(workshop, red_cross):
    workshops.workshop_open(actor=None, workshop=workshop)
    return workshops.invitation_add(
        actor=None,
        workshop=workshop,
        organisation=red_cross,
        name="Leila Nieminen",
        email="Leila@Example.fi",
    )


def _offering(organisation, *, title, category="early-phase", where=("240",), languages=()):
    return services.offering_create(
        actor=None,
        organisation=organisation,
        data={
            "title_fi": title,
            "category": Category.objects.get(code=category),
            "municipalities": [municipality(code) for code in where],
            "languages": list(languages),
        },
    )


def _fill_url(invitation, token=None) -> str:
    token = token or workshops.invitation_token(invitation)
    return reverse("tray:workshop_fill", kwargs={"token": token})


def _login(client, person) -> None:
    client.force_login(person.user)


# Planning ------------------------------------------------------------------------------------


def test_workshop_locality_must_be_in_the_networks_area(network, coordinator):
    # when a coordinator plans a workshop in Vaasa, outside Lapland MAKO's area
    with pytest.raises(workshops.ValidationError) as caught:
        workshops.workshop_create(
            actor=coordinator.user,
            network=network,
            data={
                "title": "Vaasa",
                "date": timezone.localdate(),
                "municipality": municipality("905"),
            },
        )
    # then it is refused on the locality
    assert "municipality" in caught.value.message_dict


def test_coordinator_creates_a_workshop_through_the_form(client, network, coordinator):
    _login(client, coordinator)
    response = client.post(
        "/en/tray/workshops/new/",
        {
            "network": network.pk,
            "title": "Tornion Starttipaja",
            "municipality": municipality("851").pk,
            "date": "2026-03-12",
            "place": "Tornion kaupungintalo",
        },
    )
    workshop = Workshop.objects.get(title="Tornion Starttipaja")
    assert response.status_code == 302
    assert response["Location"] == f"/en/tray/workshops/{workshop.pk}/"
    assert workshop.status == Workshop.Status.PLANNED
    assert workshop.created_by == coordinator.user


def test_workshop_form_offers_only_the_area_and_rejects_other_localities(
    client, network, coordinator
):
    _login(client, coordinator)
    response = client.post(
        "/en/tray/workshops/new/",
        {
            "network": network.pk,
            "title": "Vaasa",
            "municipality": municipality("905").pk,
            "date": "2026-03-12",
        },
    )
    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_coordinator_cannot_plan_a_workshop_for_another_network(client, coordinator):
    other = NetworkFactory()
    other.municipalities.set([municipality("905")])
    _login(client, coordinator)
    response = client.post(
        "/en/tray/workshops/new/",
        {
            "network": other.pk,
            "title": "Vaasa",
            "municipality": municipality("905").pk,
            "date": "2026-03-12",
        },
    )
    assert response.status_code == 400
    assert not Workshop.objects.exists()


# Invitations ---------------------------------------------------------------------------------


def test_coordinator_invites_an_organisation_of_the_area_only(
    client, coordinator, workshop, red_cross
):
    far_away = OrganisationFactory(name_fi="Vaasan järjestö", municipality=municipality("905"))
    _login(client, coordinator)
    url = reverse("tray:workshop_invitations", kwargs={"pk": workshop.pk})

    refused = client.post(
        url, {"organisation": far_away.pk, "name": "Erik", "email": "erik@example.fi"}
    )
    added = client.post(
        url, {"organisation": red_cross.pk, "name": "Leila", "email": "leila@example.fi"}
    )

    assert refused.status_code == 400
    assert added.status_code == 302
    assert list(workshop.invitations.values_list("email", "organisation")) == [
        ("leila@example.fi", red_cross.pk)
    ]
    page = client.get(url).content.decode()
    assert "Vaasan järjestö" not in page
    assert "not yet" in page


def test_invitations_are_sent_in_the_persons_language_with_a_working_link(
    client, workshop, invitation, red_cross
):
    # given a second invited person who is in the register with Swedish as her language
    PersonFactory(email="karin@example.fi", language="sv", organisation=red_cross)
    workshops.invitation_add(
        actor=None,
        workshop=workshop,
        organisation=red_cross,
        name="Karin",
        email="karin@example.fi",
    )

    # when the invitations are sent (twice: the second time nothing is left to send)
    assert workshops.invitations_send(actor=None, workshop=workshop) == 2
    assert workshops.invitations_send(actor=None, workshop=workshop) == 0

    # then each got one message, in her own language, with her own link
    messages = {m.to_email: m for m in OutboxMessage.objects.all()}
    assert set(messages) == {"leila@example.fi", "karin@example.fi"}
    assert messages["karin@example.fi"].language == "sv"
    assert messages["leila@example.fi"].language == "fi"
    link = re.search(r"/fi/tray/workshops/link/[^/\s]+/", messages["leila@example.fi"].body_text)
    assert link is not None
    assert client.get(link.group(0)).status_code == 200


def test_a_resent_link_replaces_the_old_one(client, invitation):
    # given the link that was sent first
    workshops.invitations_send(actor=None, workshop=invitation.workshop)
    old_url = _fill_url(invitation)

    # when the coordinator sends a new one
    renewed = workshops.invitation_resend(actor=None, invitation=invitation)

    # then the old link is dead, the new one works, and a second message went out
    response = client.get(old_url)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert client.get(_fill_url(renewed)).status_code == 200
    assert OutboxMessage.objects.filter(to_email="leila@example.fi").count() == 2


def test_resend_through_the_page(client, coordinator, invitation):
    workshops.invitations_send(actor=None, workshop=invitation.workshop)
    old_nonce = invitation.nonce
    _login(client, coordinator)
    url = reverse(
        "tray:workshop_invitation_resend",
        kwargs={"pk": invitation.workshop_id, "invitation_id": invitation.pk},
    )
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.nonce != old_nonce


def test_same_address_cannot_be_invited_twice(workshop, invitation, red_cross):
    with pytest.raises(workshops.ValidationError) as caught:
        workshops.invitation_add(
            actor=None,
            workshop=workshop,
            organisation=red_cross,
            name="Leila",
            email="leila@example.fi",
        )
    assert "email" in caught.value.message_dict


# Signed links --------------------------------------------------------------------------------


def test_link_opens_the_organisations_tray_and_records_its_use(client, invitation, red_cross):
    # given an offering of the organisation in Kemi and one of it elsewhere
    _offering(red_cross, title="Arjen apu")
    _offering(red_cross, title="Vaasan kielikahvila", where=("905",))

    # when the invited person opens her link twice
    first = client.get(_fill_url(invitation))
    invitation.refresh_from_db()
    first_used = invitation.first_used_at
    client.get(_fill_url(invitation))
    invitation.refresh_from_db()

    # then she sees her organisation's offering in Kemi only, and both uses are recorded
    page = first.content.decode()
    assert first.status_code == 200
    assert "Arjen apu" in page
    assert "Vaasan kielikahvila" not in page
    assert first_used is not None
    assert invitation.first_used_at == first_used
    assert invitation.last_used_at >= first_used


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not-a-token",
        lambda token: signing.dumps({"i": 1, "n": "x"}, salt="another.salt"),
    ],
    ids=["tampered", "garbage", "other-salt"],
)
def test_tampered_or_foreign_link_is_refused_clearly(client, invitation, mangle):
    token = mangle(workshops.invitation_token(invitation))
    response = client.get(_fill_url(invitation, token))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_link_with_another_invitations_nonce_is_refused(client, invitation):
    token = signing.dumps({"i": invitation.pk, "n": "guessed"}, salt=workshops.LINK_SALT)
    assert client.get(_fill_url(invitation, token)).status_code == 404


def test_link_expires_some_days_after_the_workshop(client, invitation):
    workshop = invitation.workshop
    url = _fill_url(invitation)
    # on the last valid day the link still works
    Workshop.objects.filter(pk=workshop.pk).update(
        date=timezone.localdate() - timedelta(days=workshops.LINK_VALID_DAYS_AFTER)
    )
    assert client.get(url).status_code == 200
    # a day later it has ended
    Workshop.objects.filter(pk=workshop.pk).update(
        date=timezone.localdate() - timedelta(days=workshops.LINK_VALID_DAYS_AFTER + 1)
    )
    response = client.get(url)
    assert response.status_code == 410
    assert "This workshop has ended" in response.content.decode()


def test_link_used_after_the_workshop_closed_shows_that_it_has_ended(client, invitation, red_cross):
    # given the person filled in something while the workshop was open
    url = _fill_url(invitation)
    offering = _offering(red_cross, title="Arjen apu")
    edit_url = reverse(
        "tray:workshop_fill_offering",
        kwargs={"token": workshops.invitation_token(invitation), "offering_id": offering.pk},
    )

    # when the coordinator closes the workshop
    workshops.workshop_close(actor=None, workshop=invitation.workshop)

    # then neither the page nor a change goes through
    response = client.get(url)
    assert response.status_code == 410
    assert "This workshop has ended" in response.content.decode()
    posted = client.post(edit_url, {"category": offering.category_id, "title_fi": "Muutettu"})
    assert posted.status_code == 410
    offering.refresh_from_db()
    assert offering.title_fi == "Arjen apu"


def test_link_cannot_touch_another_organisations_offering(client, invitation):
    # given an offering of another organisation in the same locality
    other = _offering(OrganisationFactory(name_fi="Kemin kaupunki"), title="Neuvonta")
    token = workshops.invitation_token(invitation)

    # when the invited person tries its id in her link's pages
    edit = reverse("tray:workshop_fill_offering", kwargs={"token": token, "offering_id": other.pk})
    got = client.get(edit)
    posted = client.post(edit, {"category": other.category_id, "title_fi": "Kaapattu"})
    confirmed = client.post(_fill_url(invitation), {"action": "confirm", "offering": other.pk})

    # then each is not found, and the offering is unchanged
    assert (got.status_code, posted.status_code, confirmed.status_code) == (404, 404, 404)
    other.refresh_from_db()
    assert other.title_fi == "Neuvonta"


def test_invited_person_adds_changes_and_confirms_her_offerings_and_posts_a_wish(
    client, invitation, red_cross
):
    url = _fill_url(invitation)
    category = Category.objects.get(code="open-to-all")
    families = ClientGroup.objects.get(code="families")

    # when she adds an offering
    response = client.post(
        url,
        {
            "action": "offering",
            "category": category.pk,
            "title_fi": "Kielikahvila",
            "languages": ["fi", "ar"],
            "groups": [families.pk],
            "times": ["evenings"],
            "cost": "free",
        },
    )
    assert response.status_code == 302
    offering = Offering.objects.get(organisation=red_cross)
    assert list(offering.municipalities.values_list("code", flat=True)) == ["240"]
    assert offering.languages == ["fi", "ar"]
    assert list(offering.groups.all()) == [families]

    # and changes it
    edit = reverse(
        "tray:workshop_fill_offering",
        kwargs={"token": workshops.invitation_token(invitation), "offering_id": offering.pk},
    )
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"category": category.pk, "title_fi": "Kielikahvila Kemissä", "cost": "free"},
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.title_fi == "Kielikahvila Kemissä"
    assert list(offering.municipalities.values_list("code", flat=True)) == ["240"]

    # and confirms it as it is
    Offering.objects.filter(pk=offering.pk).update(confirmed_on="2024-01-01")
    client.post(url, {"action": "confirm", "offering": offering.pk})
    offering.refresh_from_db()
    assert offering.confirmed_on == timezone.localdate()

    # and posts a wish (on the English page: the wish is in English)
    response = client.post(url, {"action": "wish", "title": "Hiihtokurssi", "category": ""})
    assert response.status_code == 302
    wish = Wish.objects.get()
    assert (wish.workshop, wish.organisation, wish.title_en) == (
        invitation.workshop,
        red_cross,
        "Hiihtokurssi",
    )
    assert wish.network == invitation.workshop.network


def test_invalid_offering_is_shown_again_with_errors(client, invitation):
    response = client.post(_fill_url(invitation), {"action": "offering", "cost": "free"})
    assert response.status_code == 400
    assert not Offering.objects.exists()
    assert "errorlist" in response.content.decode()


# The live compiled view ----------------------------------------------------------------------


def _live_url(workshop, since: str = "") -> str:
    url = reverse("tray:workshop_live", kwargs={"pk": workshop.pk})
    return f"{url}?since={since}" if since else url


def test_live_view_shows_who_offers_what_in_which_languages_and_the_wishes(
    client, coordinator, invitation, red_cross
):
    # given offerings in Kemi (one for the whole region of Lapland) and one in Vaasa
    _offering(red_cross, title="Arjen apu", languages=["fi", "ar"])
    region_wide = _offering(OrganisationFactory(name_fi="Lapin ELY"), title="Neuvonta")
    region_wide.municipalities.clear()
    region_wide.regions.set([municipality("240").region])
    vaasa = OrganisationFactory(name_fi="Vaasan järjestö")
    _offering(vaasa, title="Pohjanmaan kurssi", where=("905",))
    services.wish_create(
        actor=None,
        organisation=red_cross,
        data={"title_fi": "Tulkkaus", "workshop": invitation.workshop},
    )
    _login(client, coordinator)

    # when the coordinator's page polls the compiled view
    response = client.get(_live_url(invitation.workshop))

    # then it lists the locality's offerings by category with languages, and the wishes
    page = response.content.decode()
    assert response.status_code == 200
    assert "Punainen Risti Kemi</strong>: Arjen apu" in page
    assert "Finnish, Arabic" in page
    assert "Lapin ELY</strong>: Neuvonta" in page
    assert "Pohjanmaan kurssi" not in page
    assert "Tulkkaus" in page
    assert 'hx-trigger="every 3s"' in page


def test_live_view_answers_no_content_while_nothing_changes(client, coordinator, invitation):
    _login(client, coordinator)
    first = client.get(_live_url(invitation.workshop)).content.decode()
    version = re.search(r"since=([0-9a-f]+)", first).group(1)

    # an unchanged tray: no content, nothing to swap
    assert client.get(_live_url(invitation.workshop, version)).status_code == 204

    # a new offering: the new view comes with a new fingerprint
    _offering(invitation.organisation, title="Arjen apu")
    changed = client.get(_live_url(invitation.workshop, version))
    assert changed.status_code == 200
    assert "Arjen apu" in changed.content.decode()
    assert f"since={version}" not in changed.content.decode()


def test_live_view_query_count_does_not_grow_with_rows(client, coordinator, invitation):
    _login(client, coordinator)
    _offering(invitation.organisation, title="Yksi")
    url = _live_url(invitation.workshop)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        organisation = OrganisationFactory()
        _offering(organisation, title=f"Tarjous {n}", category="information", languages=["fi"])
        services.wish_create(
            actor=None,
            organisation=organisation,
            data={"title_fi": f"Toive {n}", "workshop": invitation.workshop},
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Tarjous 5" in response.content.decode()
    assert len(many) == len(few)


def test_detail_page_embeds_the_polled_view_in_a_live_region(client, coordinator, invitation):
    _login(client, coordinator)
    response = client.get(reverse("tray:workshop_detail", kwargs={"pk": invitation.workshop_id}))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-live="polite"' in page
    assert f'hx-get="/en/tray/workshops/{invitation.workshop_id}/live/?since=' in page


# Follow-up actions and reminders -------------------------------------------------------------


def test_coordinator_records_a_follow_up_and_marks_it_done_and_open_again(
    client, coordinator, workshop
):
    _login(client, coordinator)
    response = client.post(
        reverse("tray:workshop_follow_up_add", kwargs={"pk": workshop.pk}),
        {"what": "Kielikahvilan aloitus", "who": "Leila", "due_on": "2026-04-30"},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.what, follow_up.who, str(follow_up.due_on)) == (
        "Kielikahvilan aloitus",
        "Leila",
        "2026-04-30",
    )
    mark = reverse(
        "tray:workshop_follow_up_mark", kwargs={"pk": workshop.pk, "follow_up_id": follow_up.pk}
    )
    client.post(mark, {"action": "done"})
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    client.post(mark, {"action": "reopen"})
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_follow_up_without_a_date_is_refused(client, coordinator, workshop):
    _login(client, coordinator)
    response = client.post(
        reverse("tray:workshop_follow_up_add", kwargs={"pk": workshop.pk}),
        {"what": "Jotain", "who": "Joku", "due_on": "ei päivä"},
    )
    assert response.status_code == 400
    assert not FollowUp.objects.exists()


def test_follow_up_of_another_workshop_is_not_found(client, coordinator, workshop, network):
    other = workshops.workshop_create(
        actor=None,
        network=network,
        data={"title": "Toinen", "date": timezone.localdate(), "municipality": municipality("851")},
    )
    follow_up = workshops.follow_up_add(
        actor=None,
        workshop=other,
        data={"what": "x", "who": "y", "due_on": timezone.localdate()},
    )
    _login(client, coordinator)
    url = reverse(
        "tray:workshop_follow_up_mark", kwargs={"pk": workshop.pk, "follow_up_id": follow_up.pk}
    )
    assert client.post(url, {"action": "done"}).status_code == 404


def test_follow_ups_due_soon_or_overdue_are_reminded_once_a_day(workshop, coordinator):
    # given actions due in two days, overdue, in ten days, done, and one without an address
    today = timezone.localdate()

    def add(what, days, email="leila@example.fi"):
        return workshops.follow_up_add(
            actor=None,
            workshop=workshop,
            data={
                "what": what,
                "who": "Leila",
                "who_email": email,
                "due_on": today + timedelta(days),
            },
        )

    add("Soon", 2)
    add("Overdue", -5)
    add("Later", 10)
    done = add("Done", 1)
    workshops.follow_up_done(actor=None, follow_up=done)
    add("Nobody's address", 0, email="")

    # when the daily job runs
    sent = workshops.follow_up_remind_due(today=today)

    # then Leila gets one message with her two actions, and the coordinator the unaddressed one
    assert sent == 2
    leila = OutboxMessage.objects.get(to_email="leila@example.fi")
    assert "Soon" in leila.body_text
    assert "Overdue" in leila.body_text
    assert "Later" not in leila.body_text
    assert "Done" not in leila.body_text
    assert "/tray/workshops/" not in leila.body_text  # not a coordinator: no page link
    boss = OutboxMessage.objects.get(to_email=coordinator.email)
    assert "Nobody's address" in boss.body_text
    assert f"/tray/workshops/{workshop.pk}/" in boss.body_text

    # and running it again the same day sends nothing more
    assert workshops.follow_up_remind_due(today=today) == 0
    assert OutboxMessage.objects.count() == 2

    # but the next day they are reminded again
    assert workshops.follow_up_remind_due(today=today + timedelta(days=1)) == 2


def test_reminder_task_calls_the_service(workshop):
    workshops.follow_up_add(
        actor=None,
        workshop=workshop,
        data={
            "what": "Soon",
            "who": "Leila",
            "who_email": "leila@example.fi",
            "due_on": timezone.localdate(),
        },
    )
    assert workshops.follow_up_reminders_send.call() == 1


# The summary ---------------------------------------------------------------------------------


def test_summary_exports_as_xlsx_with_offerings_wishes_and_follow_ups(
    client, coordinator, invitation, red_cross
):
    _offering(red_cross, title="Arjen apu", languages=["fi", "ar"])
    services.wish_create(
        actor=None,
        organisation=red_cross,
        data={"title_fi": "=Tulkkaus", "workshop": invitation.workshop},
    )
    workshops.follow_up_add(
        actor=None,
        workshop=invitation.workshop,
        data={"what": "Kielikahvila alkaa", "who": "Leila", "due_on": timezone.localdate()},
    )
    _login(client, coordinator)

    response = client.get(
        reverse("tray:workshop_summary_xlsx", kwargs={"pk": invitation.workshop_id})
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kemin-starttipaja-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["Section", "Category", "Organisation", "Title"]
    offering_row = next(row for row in rows if row[3] == "Arjen apu")
    assert offering_row[0] == "Offering"
    assert offering_row[2] == "Punainen Risti Kemi"
    assert offering_row[4] == "Finnish, Arabic"
    # a formula-like wish is stored as inert text
    assert any(row[0] == "Wish" and row[3] == "'=Tulkkaus" for row in rows)
    follow_up = next(row for row in rows if row[0] == "Follow-up action")
    assert follow_up[3] == "Kielikahvila alkaa"
    assert follow_up[5] == "Leila"


def test_summary_page_is_printable(client, coordinator, invitation, red_cross):
    _offering(red_cross, title="Arjen apu")
    _login(client, coordinator)
    response = client.get(reverse("tray:workshop_summary", kwargs={"pk": invitation.workshop_id}))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<style media="print">' in page
    assert "Arjen apu" in page
    assert "Leila Nieminen" in page


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_workshop_pages_render_in_each_language(client, coordinator, invitation, language):
    _login(client, coordinator)
    pk = invitation.workshop_id
    for url in (
        f"/{language}/tray/workshops/",
        f"/{language}/tray/workshops/new/",
        f"/{language}/tray/workshops/{pk}/",
        f"/{language}/tray/workshops/{pk}/edit/",
        f"/{language}/tray/workshops/{pk}/invitations/",
        f"/{language}/tray/workshops/{pk}/summary/",
    ):
        assert client.get(url).status_code == 200, url
    client.logout()
    token = workshops.invitation_token(invitation)
    assert client.get(f"/{language}/tray/workshops/link/{token}/").status_code == 200


# Permissions ---------------------------------------------------------------------------------


def test_coordinator_of_another_network_cannot_see_the_workshop(client, invitation):
    stranger = coordinator_of(NetworkFactory(), organisation=None)
    _login(client, stranger)
    pk = invitation.workshop_id
    for url in (
        f"/en/tray/workshops/{pk}/",
        f"/en/tray/workshops/{pk}/live/",
        f"/en/tray/workshops/{pk}/edit/",
        f"/en/tray/workshops/{pk}/invitations/",
        f"/en/tray/workshops/{pk}/summary/",
        f"/en/tray/workshops/{pk}/summary.xlsx",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/en/tray/workshops/{pk}/status/", {"action": "close"}).status_code == 403
    # and her own list does not show it
    listing = client.get("/en/tray/workshops/").content.decode()
    assert "Kemin Starttipaja" not in listing


def test_people_who_coordinate_nothing_get_no_workshop_pages(client, invitation):
    client.logout()
    response = client.get("/en/tray/workshops/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(email="nobody@example.fi"))
    assert client.get("/en/tray/workshops/").status_code == 403
    assert client.get(f"/en/tray/workshops/{invitation.workshop_id}/").status_code == 403


def test_unknown_workshop_is_not_found(client, coordinator):
    _login(client, coordinator)
    assert client.get("/en/tray/workshops/99999/").status_code == 404
