import zipfile

import pytest
from pypdf import PdfWriter

from kotoverkko.library import extraction
from kotoverkko.library.extraction import (
    ENCRYPTED,
    NO_TEXT,
    TIMED_OUT,
    TOO_LARGE,
    UNREADABLE,
    ExtractionError,
    extract_text,
    extract_text_limited,
    normalise,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# Building small real documents ---------------------------------------------------------------


def _zip(path, entries: dict[str, str | bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


def _docx(path, body: str, *, head: str = XML_HEAD):
    document = f'{head}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    return _zip(path, {"[Content_Types].xml": "<Types/>", "word/document.xml": document})


def _slide(paragraphs: list[str]) -> str:
    runs = "".join(f"<a:p><a:r><a:t>{text}</a:t></a:r></a:p>" for text in paragraphs)
    return (
        f'{XML_HEAD}<p:sld xmlns:p="{P}" xmlns:a="{A}"><p:cSld><p:spTree><p:sp><p:txBody>'
        f"{runs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    )


def _odf(path, mimetype: str, body: str):
    content = (
        f'{XML_HEAD}<office:document-content xmlns:office="{OFFICE}" xmlns:text="{TEXT}" '
        f'xmlns:draw="{DRAW}"><office:body>{body}</office:body></office:document-content>'
    )
    return _zip(path, {"mimetype": mimetype, "content.xml": content})


def _pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws `content` with Helvetica in WinAnsi encoding."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


FINNISH_PAGE = (
    "BT /F1 12 Tf 72 720 Td (Kotoutumislaki ja työllisyys) Tj "
    "0 -20 Td (Ålands kommuner i Österbotten) Tj ET"
).encode("cp1252")


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "slides.pdf"
    path.write_bytes(_pdf(FINNISH_PAGE))
    return path


# PDF -----------------------------------------------------------------------------------------


def test_pdf_text_keeps_finnish_and_swedish_letters(pdf_file):
    # when
    text = extract_text(pdf_file, "pdf")

    # then
    assert text == "Kotoutumislaki ja työllisyys\nÅlands kommuner i Österbotten"


def test_pdf_without_text_is_reported_as_possibly_scanned(tmp_path):
    # given: a page that draws nothing, as a scanned page holds no text
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(b"q 1 0 0 1 0 0 cm Q"))

    # when
    with pytest.raises(ExtractionError) as caught:
        extract_text(path, "pdf")

    # then
    assert caught.value.code == NO_TEXT
    assert "scanned" in str(caught.value.reason)


@pytest.mark.parametrize(
    "damaged",
    [
        pytest.param(_pdf(FINNISH_PAGE)[:200], id="truncated"),
        pytest.param(
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog\nstream\x00\xff\xfe garbage", id="garbage"
        ),
    ],
)
def test_corrupt_pdf_is_unreadable(tmp_path, damaged):
    path = tmp_path / "broken.pdf"
    path.write_bytes(damaged)

    with pytest.raises(ExtractionError) as caught:
        extract_text(path, "pdf")

    assert caught.value.code == UNREADABLE


def test_password_protected_pdf_is_reported_as_encrypted(tmp_path, pdf_file):
    # given
    writer = PdfWriter(clone_from=pdf_file)
    writer.encrypt("salasana", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)

    # when
    with pytest.raises(ExtractionError) as caught:
        extract_text(path, "pdf")

    # then
    assert caught.value.code == ENCRYPTED


# Office formats ------------------------------------------------------------------------------


def test_docx_paragraphs_become_lines_without_field_codes_or_deleted_text(tmp_path):
    # given
    path = _docx(
        tmp_path / "muistio.docx",
        "<w:p><w:r><w:t>Kotoutumislaki</w:t></w:r><w:r><w:tab/>"
        '<w:t xml:space="preserve">ja   työllisyys </w:t></w:r></w:p>'
        "<w:p><w:r><w:instrText>PAGE</w:instrText></w:r>"
        "<w:del><w:r><w:delText>poistettu</w:delText></w:r></w:del>"
        "<w:r><w:t>Toinen</w:t><w:br/><w:t>kappale</w:t></w:r></w:p>",
    )

    # when
    text = extract_text(path, "docx")

    # then
    assert text == "Kotoutumislaki ja työllisyys\nToinen\nkappale"


def test_docx_with_a_document_type_declaration_is_refused(tmp_path):
    # given: entity definitions that would expand a few bytes into a great many
    head = (
        XML_HEAD + '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    path = _docx(tmp_path / "pommi.docx", "<w:p><w:r><w:t>&b;</w:t></w:r></w:p>", head=head)

    # when
    with pytest.raises(ExtractionError) as caught:
        extract_text(path, "docx")

    # then
    assert caught.value.code == UNREADABLE


def test_docx_without_its_document_part_is_unreadable(tmp_path):
    path = _zip(tmp_path / "tyhja.docx", {"[Content_Types].xml": "<Types/>"})

    with pytest.raises(ExtractionError) as caught:
        extract_text(path, "docx")

    assert caught.value.code == UNREADABLE


def test_file_that_is_not_an_archive_is_unreadable(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip archive")

    with pytest.raises(ExtractionError) as caught:
        extract_text(path, "docx")

    assert caught.value.code == UNREADABLE


def test_office_xml_beyond_the_read_cap_is_too_large(tmp_path, monkeypatch):
    # given
    monkeypatch.setattr(extraction, "MAX_XML_BYTES", 1000)
    paragraphs = "".join(f"<w:p><w:r><w:t>Kappale {n}</w:t></w:r></w:p>" for n in range(200))
    path = _docx(tmp_path / "pitka.docx", paragraphs)

    # when
    with pytest.raises(ExtractionError) as caught:
        extract_text(path, "docx")

    # then
    assert caught.value.code == TOO_LARGE


def test_pptx_slides_come_in_slide_number_order_separated_by_a_blank_line(tmp_path):
    # given: slide10 sorts before slide2 by name, not by number
    path = _zip(
        tmp_path / "esitys.pptx",
        {
            "[Content_Types].xml": "<Types/>",
            "ppt/slides/slide10.xml": _slide(["Kymmenes dia"]),
            "ppt/slides/slide1.xml": _slide(["MAKO-verkosto", "Lapin kunnissa"]),
            "ppt/slides/slide2.xml": _slide(["Toinen dia"]),
            "ppt/slides/_rels/slide1.xml.rels": "<Relationships/>",
        },
    )

    # when
    text = extract_text(path, "pptx")

    # then
    assert text == "MAKO-verkosto\nLapin kunnissa\n\nToinen dia\n\nKymmenes dia"


def test_odt_headings_and_paragraphs_with_spans_spaces_and_breaks(tmp_path):
    # given
    path = _odf(
        tmp_path / "raportti.odt",
        "application/vnd.oasis.opendocument.text",
        "<office:text><text:h>Kotoutuminen Pohjanmaalla</text:h>"
        "<text:p>Maahanmuuttajien<text:s/><text:span>työllisyys</text:span>"
        "<text:line-break/>kasvoi</text:p><text:p/></office:text>",
    )

    # when
    text = extract_text(path, "odt")

    # then
    assert text == "Kotoutuminen Pohjanmaalla\nMaahanmuuttajien työllisyys\nkasvoi"


def test_odp_pages_are_separated_by_a_blank_line(tmp_path):
    # given
    frame = "<draw:frame><draw:text-box><text:p>{}</text:p></draw:text-box></draw:frame>"
    path = _odf(
        tmp_path / "esitys.odp",
        "application/vnd.oasis.opendocument.presentation",
        "<office:presentation>"
        f"<draw:page>{frame.format('POMAKO')}{frame.format('Vaasa')}</draw:page>"
        f"<draw:page>{frame.format('Toinen sivu')}</draw:page>"
        "</office:presentation>",
    )

    # when
    text = extract_text(path, "odp")

    # then
    assert text == "POMAKO\nVaasa\n\nToinen sivu"


# Plain text and Markdown ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "kind"),
    [
        pytest.param("Kotoutumislaki ja työllisyys".encode(), "txt", id="utf-8"),
        pytest.param("Kotoutumislaki ja työllisyys".encode("utf-8-sig"), "md", id="utf-8-bom"),
        pytest.param("Kotoutumislaki ja työllisyys".encode("utf-16"), "txt", id="utf-16-bom"),
        pytest.param(
            b"\xfe\xff" + "Kotoutumislaki ja työllisyys".encode("utf-16-be"), "txt", id="utf-16-be"
        ),
        pytest.param("Kotoutumislaki ja työllisyys".encode("cp1252"), "txt", id="cp1252"),
    ],
)
def test_plain_text_encodings(tmp_path, encoded, kind):
    path = tmp_path / "teksti"
    path.write_bytes(encoded)

    assert extract_text(path, kind) == "Kotoutumislaki ja työllisyys"


def test_plain_text_is_normalised(tmp_path):
    # given
    path = tmp_path / "sotku.md"
    path.write_bytes(b"  # Otsikko \t \r\n\r\n\r\n\r\nTeksti\x00 ja\x07 lisaa\x0c\xc2\xa0loppu  ")

    # when
    text = extract_text(path, "md")

    # then
    assert text == "# Otsikko\n\nTeksti ja lisaa\nloppu"


def test_empty_text_file_has_no_text(tmp_path):
    path = tmp_path / "tyhja.txt"
    path.write_bytes(b" \n\n\t ")

    with pytest.raises(ExtractionError) as caught:
        extract_text(path, "txt")

    assert caught.value.code == NO_TEXT


def test_text_is_capped_at_a_word_boundary(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_TEXT_CHARS", 20)

    assert normalise("kotoutuminen " * 10) == "kotoutuminen"


def test_unknown_kind_is_unreadable(pdf_file):
    with pytest.raises(ExtractionError) as caught:
        extract_text(pdf_file, "exe")

    assert caught.value.code == UNREADABLE


# In a child process --------------------------------------------------------------------------


def test_limited_extraction_returns_the_text_from_the_child_process(pdf_file):
    assert extract_text_limited(pdf_file, "pdf") == (
        "Kotoutumislaki ja työllisyys\nÅlands kommuner i Österbotten"
    )


def test_limited_extraction_passes_the_reason_back_from_the_child_process(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nnot a document at all")

    with pytest.raises(ExtractionError) as caught:
        extract_text_limited(path, "pdf")

    assert caught.value.code == UNREADABLE


def test_limited_extraction_that_runs_out_of_time_is_stopped(tmp_path):
    # given
    path = tmp_path / "huge.txt"
    path.write_bytes(b"kotoutuminen ja tyollisyys\n" * 300_000)

    # when
    with pytest.raises(ExtractionError) as caught:
        extract_text_limited(path, "txt", timeout_seconds=0.001)

    # then
    assert caught.value.code == TIMED_OUT
    assert "too long" in str(caught.value.reason)


def test_limited_extraction_out_of_memory_is_too_large(tmp_path):
    # given: a text that needs more memory to read than the child is allowed
    path = tmp_path / "big.txt"
    path.write_bytes(b"kotoutuminen ja tyollisyys\n" * 200_000)

    # when
    with pytest.raises(ExtractionError) as caught:
        extract_text_limited(path, "txt", memory_mb=20)

    # then
    assert caught.value.code == TOO_LARGE
