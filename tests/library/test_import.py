"""`kotoverkko import_documents`: JSON Lines of texts and folders of files, each item kept or
reported on its own, dry runs, duplicates, and the imported documents in the search."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kotoverkko.library.models import Document
from kotoverkko.search.models import Entry
from tests.events.factories import EventFactory
from tests.factories import NetworkFactory, OrganisationFactory
from tests.library.test_extraction import FINNISH_PAGE, _docx, _pdf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"


def run(*args) -> tuple[int, str, str]:
    """The exit status, stdout and stderr of the command."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_documents", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def write_lines(path, lines: list) -> str:
    """A JSON Lines file; dicts become JSON, strings are written as they are."""
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def mixed_folder(tmp_path):
    """A PDF, a DOCX and a text file, a "PDF" that is a picture, an executable, and hidden
    files that are not imported."""
    folder = tmp_path / "aineisto"
    (folder / "alikansio").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "esitys.pdf").write_bytes(_pdf(FINNISH_PAGE))
    _docx(
        folder / "alikansio" / "muistio.docx",
        "<w:p><w:r><w:t>Kielikahvila kirjastossa</w:t></w:r></w:p>",
    )
    (folder / "alikansio" / "poronhoito.txt").write_text("Poronhoito tunturissa", "utf-8")
    (folder / "kuva.pdf").write_bytes(PNG)
    (folder / "ohjelma.pdf").write_bytes(ELF)
    (folder / ".piilo.txt").write_text("Piilotettu tiedosto", "utf-8")
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main", "utf-8")
    return folder


# JSON Lines ------------------------------------------------------------------------------------


def test_json_lines_keep_the_good_lines_and_report_the_bad_ones_by_line_number(tmp_path):
    # given
    network = NetworkFactory(slug="pohjoinen")
    organisation = OrganisationFactory()
    path = write_lines(
        tmp_path / "litteroinnit.jsonl",
        [
            {
                "title": "Kotoutumislain toimeenpano",
                "text": "Puheenvuoro kotoutumislaista.",
                "language": "fi",
                "network": "pohjoinen",
                "visibility": "members",
            },
            "",
            '{"title": "Rikki", "text": ',
            {"text": "Ei otsikkoa."},
            {"title": "Tysk", "text": "Text.", "language": "de"},
            {"title": "Väärä verkosto", "text": "Teksti.", "network": "olematon"},
            {"title": "Salainen", "text": "Teksti.", "visibility": "secret"},
            {"title": "Vain jäsenille", "text": "Teksti.", "visibility": "members"},
            {
                "titles": {"fi": "Kielikahvila", "sv": "Språkcafé"},
                "text": "Keskustelua kielikahvilassa.",
                "description": "Tallenne tapaamisesta.",
                "date": "2024-05-14",
                "speaker": "Aino Korhonen",
                "keywords": ["kieli", "kahvila"],
                "organisation": organisation.pk,
            },
            {"title": "Ilman tekstiä", "text": "   "},
        ],
    )

    # when
    status, out, err = run(path)

    # then the good lines are documents
    assert status == 1
    law = Document.objects.get(title_fi="Kotoutumislain toimeenpano")
    assert law.network == network
    assert law.visibility == Document.Visibility.MEMBERS
    assert law.text == "Puheenvuoro kotoutumislaista."
    assert law.extraction == Document.Extraction.NONE
    cafe = Document.objects.get(title_fi="Kielikahvila")
    assert cafe.title_sv == "Språkcafé"
    assert cafe.description_fi == "Tallenne tapaamisesta."
    assert cafe.date == date(2024, 5, 14)
    assert cafe.speaker == "Aino Korhonen"
    assert cafe.keyword_list == ["kieli", "kahvila"]
    assert cafe.organisation == organisation
    assert cafe.visibility == Document.Visibility.PUBLIC
    assert Document.objects.count() == 2

    # and each bad one is reported with its line number
    errors = {line.split(": ", 1)[0]: line for line in out.splitlines() if line.startswith(path)}
    assert set(errors) == {f"{path}:{n}" for n in (3, 4, 5, 6, 7, 8, 10)}
    assert "not valid JSON" in errors[f"{path}:3"]
    assert "no title" in errors[f"{path}:4"]
    assert 'Unknown language "de"' in errors[f"{path}:5"]
    assert 'Unknown network "olematon"' in errors[f"{path}:6"]
    assert 'Unknown visibility "secret"' in errors[f"{path}:7"]
    assert "members only needs its network" in errors[f"{path}:8"]
    assert "no text" in errors[f"{path}:10"]
    assert out.splitlines()[-1] == "Added 2, skipped 0, failed 7."
    assert "9/9 [" in err


def test_json_lines_take_the_network_and_language_given_on_the_command_line(tmp_path):
    # given
    network = NetworkFactory(slug="etela")
    NetworkFactory(slug="pohjoinen")
    path = write_lines(
        tmp_path / "rivit.jsonl",
        [
            {"title": "Oletusverkosto", "text": "Teksti.", "visibility": "members"},
            {"title": "Oma verkosto", "text": "Teksti.", "network": "pohjoinen"},
            {"title": "På svenska", "text": "Text.", "language": "sv"},
            {"title": "Nolla\u0000merkki", "text": "Teksti\u0000."},
        ],
    )

    # when
    status, out, _err = run(path, "--network", "etela", "--language", "sv")

    # then
    assert status == 0, out
    assert Document.objects.get(title_sv="Oletusverkosto").network == network
    assert Document.objects.get(title_sv="Oma verkosto").network.slug == "pohjoinen"
    assert Document.objects.get(title_sv="På svenska").language == "sv"
    assert Document.objects.get(title_sv="Nollamerkki").text == "Teksti."
    assert out.splitlines()[-1] == "Added 4, skipped 0, failed 0."


# Files and folders -----------------------------------------------------------------------------


def test_a_folder_is_uploaded_with_its_text_read_and_bad_files_reported(tmp_path, settings):
    # given
    settings.UPLOAD_MAX_BYTES = 2000
    folder = mixed_folder(tmp_path)
    (folder / "liian_iso.txt").write_text("sana " * 1000, "utf-8")
    network = NetworkFactory()

    # when
    status, out, err = run(str(folder), "--extract-now", "--network", network.slug)

    # then the good files are documents with their text
    assert status == 1
    documents = {document.original_name: document for document in Document.objects.all()}
    assert sorted(documents) == ["esitys.pdf", "muistio.docx", "poronhoito.txt"]
    assert all(d.extraction == Document.Extraction.DONE for d in documents.values())
    assert documents["esitys.pdf"].text.startswith("Kotoutumislaki ja työllisyys")
    assert documents["esitys.pdf"].title_fi == "esitys"
    assert documents["muistio.docx"].text == "Kielikahvila kirjastossa"
    assert documents["muistio.docx"].kind == "docx"
    assert documents["poronhoito.txt"].text == "Poronhoito tunturissa"
    assert all(d.network == network for d in documents.values())

    # and the bad ones are reported, hidden files left alone
    lines = out.splitlines()
    assert any(
        line.startswith(f"{folder / 'kuva.pdf'}: This kind of file cannot be uploaded")
        for line in lines
    )
    assert any(
        line.startswith(f"{folder / 'ohjelma.pdf'}: This kind of file cannot be uploaded")
        for line in lines
    )
    assert any(line.startswith(f"{folder / 'liian_iso.txt'}: The file is ") for line in lines)
    assert "piilo" not in out
    assert "HEAD" not in out
    assert lines[-1] == "Added 3, skipped 0, failed 3."
    assert "6/6 [" in err


def test_a_file_whose_text_cannot_be_read_is_added_with_the_reason(tmp_path):
    # given a PDF that draws nothing, as a scanned page
    path = tmp_path / "skannattu.pdf"
    path.write_bytes(_pdf(b"q 1 0 0 1 0 0 cm Q"))

    # when
    status, out, _err = run(str(path), "--extract-now")

    # then
    assert status == 0
    document = Document.objects.get()
    assert document.extraction == Document.Extraction.FAILED
    assert f"{path}: Added, but its text could not be read: No text was found" in out


def test_files_take_the_event_and_organisation_given(tmp_path):
    # given
    event = EventFactory(checklist=False)
    organisation = OrganisationFactory()
    path = tmp_path / "esitys.pdf"
    path.write_bytes(_pdf(FINNISH_PAGE))

    # when
    status, _out, _err = run(
        str(path), "--event", str(event.pk), "--organisation", str(organisation.pk)
    )

    # then
    assert status == 0
    document = Document.objects.get()
    assert document.event == event
    assert document.network == event.network
    assert document.organisation == organisation


# Dry runs and duplicates -----------------------------------------------------------------------


def test_a_dry_run_checks_everything_and_saves_nothing(tmp_path, settings):
    # given
    folder = mixed_folder(tmp_path)
    lines = write_lines(
        tmp_path / "rivit.jsonl",
        [{"title": "Hyvä", "text": "Teksti."}, {"title": "Huono", "text": "Teksti.", "date": "x"}],
    )

    # when
    status, out, _err = run(str(folder), lines, "--dry-run")

    # then
    assert status == 1
    assert not Document.objects.exists()
    assert not Entry.objects.exists()
    assert not (settings.MEDIA_ROOT / "library").exists()
    assert f"{lines}:2: " in out
    assert f"{folder / 'kuva.pdf'}: " in out
    assert out.splitlines()[-1] == "Dry run, nothing was saved: 4 to add, 0 to skip, 3 failed."


def test_a_dry_run_reports_what_the_saving_would_refuse(tmp_path):
    # given files for members only, without a network to belong to
    folder = mixed_folder(tmp_path)
    (folder / "kuva.pdf").unlink()
    (folder / "ohjelma.pdf").unlink()

    # when
    status, out, _err = run(str(folder), "--dry-run", "--visibility", "members")

    # then
    assert status == 1
    assert out.count("members only needs its network") == 3
    assert not Document.objects.exists()


def test_duplicates_are_skipped_when_asked_and_added_again_otherwise(tmp_path):
    # given a file already in the library, and the same bytes under another name
    folder = tmp_path / "kansio"
    folder.mkdir()
    (folder / "esitys.pdf").write_bytes(_pdf(FINNISH_PAGE))
    run(str(folder))
    (folder / "kopio.pdf").write_bytes(_pdf(FINNISH_PAGE))
    (folder / "uusi.txt").write_text("Uusi tiedosto", "utf-8")

    # when
    status, out, _err = run(str(folder), "--skip-duplicates")

    # then
    assert status == 0
    assert Document.objects.count() == 2
    assert f"{folder / 'esitys.pdf'}: Skipped" in out
    assert f"{folder / 'kopio.pdf'}: Skipped" in out
    assert out.splitlines()[-1] == "Added 1, skipped 2, failed 0."

    # when imported again without the option
    status, _out, _err = run(str(folder / "esitys.pdf"))

    # then
    assert status == 0
    assert Document.objects.count() == 3


# Usage errors ----------------------------------------------------------------------------------


def test_an_unknown_network_or_a_missing_path_stops_before_anything_is_imported(tmp_path):
    path = write_lines(tmp_path / "rivit.jsonl", [{"title": "Hyvä", "text": "Teksti."}])

    with pytest.raises(CommandError, match='Unknown network "olematon"'):
        run(path, "--network", "olematon")
    with pytest.raises(CommandError, match="No such file or folder"):
        run(path, str(tmp_path / "puuttuu"))
    with pytest.raises(CommandError, match="Unknown event"):
        run(path, "--event", "999999")
    assert not Document.objects.exists()


# Search ----------------------------------------------------------------------------------------


def test_imported_documents_are_found_by_the_search(tmp_path, django_capture_on_commit_callbacks):
    # given
    pdf = tmp_path / "esitys.pdf"
    pdf.write_bytes(_pdf(FINNISH_PAGE))
    lines = write_lines(
        tmp_path / "rivit.jsonl",
        [{"title": "Poronhoidon tulevaisuus", "text": "Poronhoito tunturissa ja metsässä."}],
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        status, _out, _err = run(str(pdf), lines, "--extract-now")
    out = StringIO()
    call_command("search", "poronhoito", "--json", "--type", "document", stdout=out)
    reindeer = json.loads(out.getvalue())
    out = StringIO()
    call_command("search", "kotoutumislaki", "--json", "--type", "document", stdout=out)
    law = json.loads(out.getvalue())

    # then
    assert status == 0
    assert [row["id"] for row in reindeer] == [
        Document.objects.get(title_fi="Poronhoidon tulevaisuus").pk
    ]
    assert [row["id"] for row in law] == [Document.objects.get(original_name="esitys.pdf").pk]
