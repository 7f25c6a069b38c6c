"""Importing a member list into a network; exporting members and the organisation directory."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from kotoverkko.common.models import AuditEntry
from kotoverkko.mailing.subscriptions import mailing_list_for
from kotoverkko.network.models import Membership, Organisation, Person
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    coordinator_of,
    member_of,
    municipality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Pages under /en/, so that the messages checked here are the English source strings."""
    with translation.override("en"):
        yield


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _csv(
    lines: list[str], *, delimiter: str = ";", bom: bool = True, encoding: str = "utf-8"
) -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in (line.split("|") for line in lines))
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, network, data: bytes, name: str = "members.csv", **fields):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(
        reverse("network:member_import", args=[network.slug]), {"file": upload, **fields}
    )


def _confirm(client, network, token: str):
    return client.post(
        reverse("network:member_import_confirm", args=[network.slug]), {"token": token}
    )


def _outcomes(response) -> dict[int, str]:
    return {row.number: row.outcome for row in response.context["plan"].rows}


@pytest.fixture
def network():
    return NetworkFactory()


@pytest.fixture
def coordinator_client(client, network):
    client.force_login(coordinator_of(network).user)
    return client


@pytest.fixture
def kela():
    return OrganisationFactory(
        name_fi="Kela Rovaniemi",
        name_sv="FPA Rovaniemi",
        business_id="0246246-0",
        type=Organisation.Type.KELA,
    )


# Import: reading and previewing ---------------------------------------------------------------


def test_semicolon_csv_with_bom_is_previewed_row_by_row_without_saving(
    coordinator_client, network, kela
):
    # given
    listed = PersonFactory(email="aino.korhonen@example.fi")
    already = PersonFactory(email="mikko@example.fi")
    MembershipFactory(person=already, network=network)
    data = _csv(
        [
            "Etunimi|Sukunimi|Sähköposti|Puhelin|Nimike|Organisaatio|Kieli|Rooli|Muistiinpano",
            "Leila|Nieminen|Leila.Nieminen@Example.fi|040 123 4567|Ohjaaja|FPA Rovaniemi|sv||x",
            "Aino|Korhonen|aino.korhonen@example.fi||||||",
            "Mikko|Virtanen|mikko@example.fi||||||",
        ]
    )
    people_before = Person.objects.count()

    # when
    response = _upload(coordinator_client, network, data)

    # then
    assert response.status_code == 200
    assert _outcomes(response) == {2: "new", 3: "existing", 4: "skipped"}
    plan = response.context["plan"]
    assert plan.rows[0].organisation == kela
    assert plan.rows[0].language == "sv"
    assert plan.rows[0].values["email"] == "leila.nieminen@example.fi"
    assert plan.rows[1].person == listed
    assert plan.ignored == ["muistiinpano"]
    assert not plan.has_errors
    content = response.content.decode()
    assert "Leila Nieminen" in content
    assert reverse("network:member_import_confirm", args=[network.slug]) in content
    assert Person.objects.count() == people_before
    assert not Membership.objects.filter(network=network, person=listed).exists()


def test_clean_file_is_saved_in_one_go_with_audit_entries(coordinator_client, network, kela):
    # given
    listed = PersonFactory(email="aino@example.fi")
    already = PersonFactory(email="mikko@example.fi")
    MembershipFactory(person=already, network=network)
    data = _csv(
        [
            "first name|last name|e-mail|phone|title|organisation|language|role",
            "Leila|Nieminen|leila@example.fi|040 1|Advisor|0246246-0|en|coordinator",
            "Hassan|Ali|hassan@example.fi|||Kela Rovaniemi||",
            "Aino|Korhonen|aino@example.fi|||||",
            "Mikko|Virtanen|mikko@example.fi|||||",
        ],
        delimiter=",",
    )
    preview = _upload(coordinator_client, network, data)
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # when
    response = _confirm(coordinator_client, network, preview.context["token"])

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("network:network_members", args=[network.slug])
    leila = Person.objects.get(email="leila@example.fi")
    assert (leila.first_name, leila.last_name, leila.phone, leila.title, leila.language) == (
        "Leila",
        "Nieminen",
        "040 1",
        "Advisor",
        "en",
    )
    assert leila.organisation == kela
    assert Person.objects.get(email="hassan@example.fi").organisation == kela
    current = Membership.objects.filter(network=network, status=Membership.Status.ACTIVE).exclude(
        person__user=response.wsgi_request.user
    )
    assert set(current.values_list("person__email", "role")) == {
        ("leila@example.fi", "coordinator"),
        ("hassan@example.fi", "member"),
        ("aino@example.fi", "member"),
        ("mikko@example.fi", "member"),
    }
    assert listed.memberships.count() == 1
    assert already.memberships.count() == 1
    new_entries = list(AuditEntry.objects.filter(pk__gt=last_entry).select_related("actor"))
    kinds = sorted((entry.model, entry.action) for entry in new_entries)
    assert kinds == [
        ("network.membership", "create"),
        ("network.membership", "create"),
        ("network.membership", "create"),
        ("network.person", "create"),
        ("network.person", "create"),
    ]
    assert {entry.actor for entry in new_entries} == {response.wsgi_request.user}


def test_xlsx_made_with_openpyxl_is_imported(coordinator_client, network):
    # given
    data = _xlsx(
        [
            ["Förnamn", "Efternamn", "E-post", "Telefon", "Språk"],
            ["Erik", "Lindqvist", "erik@example.fi", 401234567, "svenska"],
            [None, None, None, None, None],
            ["Sanna", "Ali", "sanna@example.fi", None, None],
        ]
    )
    preview = _upload(coordinator_client, network, data, name="medlemmar.xlsx")
    assert preview.status_code == 200
    assert _outcomes(preview) == {2: "new", 4: "new"}

    # when
    response = _confirm(coordinator_client, network, preview.context["token"])

    # then
    assert response.status_code == 302
    erik = Person.objects.get(email="erik@example.fi")
    assert (erik.phone, erik.language) == ("401234567", "sv")
    assert Person.objects.get(email="sanna@example.fi").language == "fi"
    assert network.memberships.filter(status="active").count() == 3  # with the coordinator


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom"),
    [(",", "utf-8", False), ("\t", "utf-8", True), (";", "cp1252", False)],
)
def test_comma_tab_and_cp1252_files_are_read(coordinator_client, network, delimiter, encoding, bom):
    # given
    data = _csv(
        ["Etunimi|Sukunimi|Sähköposti", "Jääskeläinen|Öhman|jaa@example.fi"],
        delimiter=delimiter,
        encoding=encoding,
        bom=bom,
    )

    # when
    response = _upload(coordinator_client, network, data)

    # then
    assert response.status_code == 200
    row = response.context["plan"].rows[0]
    assert (row.values["first_name"], row.values["last_name"]) == ("Jääskeläinen", "Öhman")
    assert row.outcome == "new"


def test_malformed_rows_get_their_own_errors_and_nothing_is_saved(coordinator_client, network):
    # given
    data = _csv(
        [
            "etunimi|sukunimi|sähköposti|organisaatio|kieli|rooli",
            "Aino|Korhonen||||",
            "Mikko|Virtanen|mikko(at)example.fi|||",
            "Leila|Nieminen|leila@example.fi|||",
            "Leila|Nieminen|LEILA@example.fi|||",
            "Hassan|Ali|hassan@example.fi|Tuntematon ry||",
            "Sanna|Lindqvist|sanna@example.fi||saksa|",
            "Erik|Öhman|erik@example.fi|||pomo",
            "Noora|Hakala|noora@example.fi|||vetäjä",
            "|Hakala|hakala@example.fi|||",
            "Oona|Ok|oona@example.fi|||",
        ]
    )
    people_before = Person.objects.count()
    audit_before = AuditEntry.objects.count()

    # when
    preview = _upload(coordinator_client, network, data)

    # then
    assert preview.status_code == 200
    errors = {row.number: " ".join(row.errors) for row in preview.context["plan"].rows}
    assert "e-mail address is missing" in errors[2]
    assert "not a valid e-mail address" in errors[3]
    assert errors[4] == ""
    assert "already on row 4" in errors[5]
    assert "Unknown organisation “Tuntematon ry”" in errors[6]
    assert "Unknown language “saksa”" in errors[7]
    assert "Unknown role “pomo”" in errors[8]
    assert "Only a team has a team lead" in errors[9]
    assert "first name is missing" in errors[10]
    assert errors[11] == ""
    content = preview.content.decode()
    assert "Unknown organisation" in content
    assert 'name="token"' not in content  # no confirm form while rows have errors

    # when
    refused = _confirm(coordinator_client, network, preview.context["token"])

    # then
    assert refused.status_code == 400
    assert "Nothing was saved" in refused.content.decode()
    assert Person.objects.count() == people_before
    assert AuditEntry.objects.count() == audit_before
    assert not Person.objects.filter(email="oona@example.fi").exists()


def test_unknown_organisation_is_added_when_asked(coordinator_client, network):
    # given
    data = _csv(
        [
            "etunimi|sukunimi|sähköposti|organisaatio",
            "Aino|Korhonen|aino@example.fi|Kielikahvila ry",
            "Mikko|Virtanen|mikko@example.fi|kielikahvila  RY",
        ]
    )

    # when
    preview = _upload(coordinator_client, network, data, create_organisations="on")
    response = _confirm(coordinator_client, network, preview.context["token"])

    # then
    assert preview.context["plan"].new_organisations == ["Kielikahvila ry"]
    assert response.status_code == 302
    added = Organisation.objects.get(name_fi="Kielikahvila ry")
    assert added.type == Organisation.Type.OTHER
    assert set(added.people.values_list("email", flat=True)) == {
        "aino@example.fi",
        "mikko@example.fi",
    }
    assert AuditEntry.objects.filter(
        model="network.organisation", object_id=str(added.pk), action="create"
    ).exists()


def test_confirm_refuses_when_the_data_changed_meanwhile(coordinator_client, network):
    # given
    organisation = OrganisationFactory(name_fi="Lapin ammattiopisto")
    data = _csv(
        [
            "etunimi|sukunimi|sähköposti|organisaatio",
            "Aino|Korhonen|aino@example.fi|Lapin ammattiopisto",
        ]
    )
    preview = _upload(coordinator_client, network, data)
    organisation.delete()

    # when
    response = _confirm(coordinator_client, network, preview.context["token"])

    # then
    assert response.status_code == 400
    assert "Unknown organisation" in response.content.decode()
    assert not Person.objects.filter(email="aino@example.fi").exists()


def test_confirm_without_a_valid_token_saves_nothing(coordinator_client, network):
    # given
    data = _csv(["etunimi|sukunimi|sähköposti", "Aino|Korhonen|aino@example.fi"])
    _upload(coordinator_client, network, data)

    # when
    forged = _confirm(coordinator_client, network, "not-the-token")
    missing = coordinator_client.post(
        reverse("network:member_import_confirm", args=[network.slug]),
        {"rows": "aino@example.fi"},
    )

    # then
    assert forged.status_code == 400
    assert missing.status_code == 400
    assert "no longer available" in forged.content.decode()
    assert not Person.objects.filter(email="aino@example.fi").exists()


def test_token_is_used_once(coordinator_client, network):
    # given
    data = _csv(["etunimi|sukunimi|sähköposti", "Aino|Korhonen|aino@example.fi"])
    token = _upload(coordinator_client, network, data).context["token"]
    assert _confirm(coordinator_client, network, token).status_code == 302

    # when
    again = _confirm(coordinator_client, network, token)

    # then
    assert again.status_code == 400
    assert Person.objects.filter(email="aino@example.fi").count() == 1


def test_png_file_is_refused_with_a_clear_message(coordinator_client, network):
    # when
    response = _upload(coordinator_client, network, PNG_BYTES, name="members.csv")

    # then
    assert response.status_code == 400
    assert "The file is neither CSV nor XLSX." in response.content.decode()


def test_oversized_file_is_refused(coordinator_client, network, settings):
    # given
    settings.IMPORT_MAX_BYTES = 1000
    data = _csv(
        ["etunimi|sukunimi|sähköposti"] + [f"Aino|Korhonen|aino{n}@example.fi" for n in range(100)]
    )

    # when
    response = _upload(coordinator_client, network, data)

    # then
    assert response.status_code == 400
    assert "at most 1000" in response.content.decode()


def test_too_many_rows_are_refused(coordinator_client, network, settings):
    # given
    settings.IMPORT_MAX_ROWS = 3
    data = _csv(
        ["etunimi|sukunimi|sähköposti"] + [f"Aino|Korhonen|aino{n}@example.fi" for n in range(4)]
    )

    # when
    response = _upload(coordinator_client, network, data)

    # then
    assert response.status_code == 400
    assert "more than 3 rows" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"nimi;puhelin\r\nAino;040\r\n", "The file has no e-mail column."),
        (b"email\r\n", "The file has no rows to import."),
        (b"PK\x03\x04broken", "The XLSX file cannot be read."),
        (b"email;e-mail\r\na@example.fi;b@example.fi\r\n", "Two columns give the E-mail"),
    ],
)
def test_unusable_files_get_a_clear_message(coordinator_client, network, data, message):
    # when
    response = _upload(coordinator_client, network, data)

    # then
    assert response.status_code == 400
    assert message in response.content.decode()


def test_upload_page_is_shown_to_the_coordinator(coordinator_client, network):
    # when
    response = coordinator_client.get(reverse("network:member_import", args=[network.slug]))

    # then
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_member_of_another_network_gets_403_on_import_and_export(client, network):
    # given
    outsider = member_of(NetworkFactory())
    client.force_login(outsider.user)
    data = _csv(["etunimi|sukunimi|sähköposti", "Aino|Korhonen|aino@example.fi"])

    # when
    responses = [
        client.get(reverse("network:member_import", args=[network.slug])),
        _upload(client, network, data),
        _confirm(client, network, "x"),
        client.get(reverse("network:member_export", args=[network.slug, "csv"])),
        client.get(reverse("network:member_export", args=[network.slug, "xlsx"])),
    ]

    # then
    assert [r.status_code for r in responses] == [403, 403, 403, 403, 403]
    assert not Person.objects.filter(email="aino@example.fi").exists()


def test_plain_member_of_the_same_network_gets_403(client, network):
    # given
    client.force_login(member_of(network).user)

    # when
    response = client.get(reverse("network:member_export", args=[network.slug, "csv"]))

    # then
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client, network):
    # when
    response = client.get(reverse("network:member_import", args=[network.slug]))

    # then
    assert response.status_code == 302
    assert "login" in response["Location"]


# Exports --------------------------------------------------------------------------------------


@pytest.fixture
def hostile_member(network):
    organisation = OrganisationFactory(name_fi="@SUM(1)")
    person = PersonFactory(
        first_name='=HYPERLINK("http://evil.example","x")',
        last_name="+Virtanen",
        title="-1+2",
        email="evil@example.fi",
        phone="\t040",
        organisation=organisation,
    )
    return MembershipFactory(person=person, network=network)


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_member_csv_export_neutralises_formulas(coordinator_client, network, hostile_member):
    # when
    response = coordinator_client.get(reverse("network:member_export", args=[network.slug, "csv"]))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{network.slug}-members-'
    )
    assert response["Content-Disposition"].endswith('.csv"')
    assert "no-store" in response["Cache-Control"]
    rows = _csv_rows(response)
    assert rows[0][:3] == ["First name", "Last name", "E-mail"]
    evil = next(row for row in rows if row[2] == "evil@example.fi")
    assert evil[0] == '\'=HYPERLINK("http://evil.example","x")'
    assert evil[1] == "'+Virtanen"
    assert evil[3] == "'\t040"
    assert evil[4] == "'-1+2"
    assert evil[5] == "'@SUM(1)"
    assert evil[6:8] == ["member", "active"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_member_xlsx_export_neutralises_formulas(coordinator_client, network, hostile_member):
    # when
    response = coordinator_client.get(reverse("network:member_export", args=[network.slug, "xlsx"]))

    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    evil = next(row for row in rows if row[2] == "evil@example.fi")
    assert evil[0] == '\'=HYPERLINK("http://evil.example","x")'
    assert evil[5] == "'@SUM(1)"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert evil[8].date() == hostile_member.started_on


def test_member_export_leaves_out_ended_memberships_unless_asked(coordinator_client, network):
    # given
    ended = MembershipFactory(
        network=network, status=Membership.Status.ENDED, ended_on="2025-01-31"
    )
    url = reverse("network:member_export", args=[network.slug, "csv"])

    # when
    current = _csv_rows(coordinator_client.get(url))
    everything = _csv_rows(coordinator_client.get(url + "?ended=1"))

    # then
    assert ended.person.email not in {row[2] for row in current}
    ended_row = next(row for row in everything if row[2] == ended.person.email)
    assert (ended_row[7], ended_row[9]) == ("ended", "2025-01-31")


def _export_queries(client, network) -> int:
    url = reverse("network:member_export", args=[network.slug, "xlsx"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_member_export_query_count_does_not_grow_with_members(client):
    # given
    small, large = NetworkFactory(), NetworkFactory()
    MembershipFactory.create_batch(5, network=small)
    MembershipFactory.create_batch(50, network=large)
    coordinator = coordinator_of(small)
    MembershipFactory(person=coordinator, network=large, role=Membership.Role.COORDINATOR)
    client.force_login(coordinator.user)

    # when
    few = _export_queries(client, small)
    many = _export_queries(client, large)

    # then
    assert few == many


def test_organisation_export_is_public_filtered_and_neutralised(client):
    # given
    hostile = OrganisationFactory(
        name_fi="@SUM(1)",
        name_sv="=1+1",
        business_id="0246246-0",
        website="https://example.fi",
        type=Organisation.Type.MIGRANT_ORGANISATION,
    )
    OrganisationFactory(name_fi="Toinen ry", type=Organisation.Type.NGO)

    # when
    response = client.get(
        reverse("network:organisation_export", args=["csv"]), {"type": "migrant_organisation"}
    )

    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="organisations-')
    rows = _csv_rows(response)
    assert len(rows) == 2
    assert rows[0][0] == "Name in Finnish"
    assert rows[1][:6] == [
        "'@SUM(1)",
        "'=1+1",
        "",
        "migrant organisation",
        "Rovaniemi",
        "0246246-0",
    ]
    assert rows[1][6] == "https://example.fi"
    assert hostile.email == ""  # contact details are not in the columns at all


def test_organisation_xlsx_export_follows_the_search_and_reads_back(client):
    # given
    OrganisationFactory(name_fi="@SUM(1)")
    OrganisationFactory(name_fi="Rovaniemen kaupunki")

    # when
    response = client.get(reverse("network:organisation_export", args=["xlsx"]), {"q": "SUM"})

    # then
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [row[0] for row in rows[1:]] == ["'@SUM(1)"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_organisation_export_ignores_nonsense_filters(client):
    # given
    OrganisationFactory(name_fi="Järjestö")

    # when
    response = client.get(
        reverse("network:organisation_export", args=["csv"]),
        {"municipality": "99999999999999999999", "type": "nope", "network": "missing"},
    )

    # then
    assert response.status_code == 200
    assert len(_csv_rows(response)) == 2


def test_organisation_export_query_count_does_not_grow(client, django_assert_max_num_queries):
    # given
    OrganisationFactory.create_batch(30)

    # when / then
    with django_assert_max_num_queries(3):
        response = client.get(reverse("network:organisation_export", args=["xlsx"]))
    assert response.status_code == 200


def test_failure_while_saving_rolls_back_every_row(coordinator_client, network, monkeypatch):
    # given
    from kotoverkko.network import services

    data = _csv(
        [
            "etunimi|sukunimi|sähköposti",
            "Aino|Korhonen|aino@example.fi",
            "Mikko|Virtanen|mikko@example.fi",
        ]
    )
    preview = _upload(coordinator_client, network, data)

    def audit_failing(**kwargs):
        # the people are written by now; the failure must take them back too
        raise IntegrityError("simulated clash with a concurrent change")

    monkeypatch.setattr(services, "audit_record_many", audit_failing)
    audit_before = AuditEntry.objects.count()

    # when
    response = _confirm(coordinator_client, network, preview.context["token"])

    # then
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Person.objects.filter(email__in=["aino@example.fi", "mikko@example.fi"]).exists()
    assert AuditEntry.objects.count() == audit_before


def test_organisation_export_follows_the_network_and_municipality_filters(client, network):
    # given
    inside = MembershipFactory(network=network).person.organisation
    OrganisationFactory(name_fi="Ulkopuolinen ry")
    elsewhere = OrganisationFactory(name_fi="Kemin järjestö", municipality=municipality("240"))
    url = reverse("network:organisation_export", args=["csv"])

    # when
    by_network = _csv_rows(client.get(url, {"network": network.slug}))
    by_municipality = _csv_rows(client.get(url, {"municipality": elsewhere.municipality_id}))

    # then
    assert [row[0] for row in by_network[1:]] == [inside.name_fi]
    assert [row[0] for row in by_municipality[1:]] == ["Kemin järjestö"]


def test_confirm_query_count_does_not_grow_with_rows(
    coordinator_client, network, kela, django_assert_max_num_queries
):
    # given two clean files, of 5 and of 60 new people, and the network's mailing list (made
    # on first use, which costs a few queries once)
    mailing_list_for(network)

    def confirm_queries(count: int, prefix: str) -> int:
        lines = ["etunimi|sukunimi|sähköposti|organisaatio"] + [
            f"Etu{n}|Suku{n}|{prefix}{n}@example.fi|{kela.name_fi}" for n in range(count)
        ]
        preview = _upload(coordinator_client, network, _csv(lines))
        with django_assert_max_num_queries(200) as captured:
            response = _confirm(coordinator_client, network, preview.context["token"])
        assert response.status_code == 302
        return len(captured.captured_queries)

    # when
    few = confirm_queries(5, "few")
    many = confirm_queries(60, "many")

    # then every person is saved, in the same number of queries
    assert Person.objects.filter(email__startswith="many").count() == 60
    assert few == many
