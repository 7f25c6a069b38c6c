"""Upload checks by content: real (tiny) documents pass, anything else is refused."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kotoverkko.common.uploads import attachment_header, download_name, upload_check

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ODF_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def ooxml(part: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Office Open XML package: content types and one part under ppt/ or word/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(part, '<?xml version="1.0"?><root/>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    """A minimal OpenDocument package: the stored `mimetype` entry first, then the content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("slides.pdf", PDF, "pdf", "application/pdf"),
        (
            "esitys.pptx",
            ooxml("ppt/presentation.xml"),
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            "muistio.docx",
            ooxml("word/document.xml"),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("muistio.odt", odf(ODF_MIMETYPES["odt"]), "odt", ODF_MIMETYPES["odt"]),
        ("esitys.odp", odf(ODF_MIMETYPES["odp"]), "odp", ODF_MIMETYPES["odp"]),
        ("notes.txt", "Kuulumiskierros: äänestys ja åtgärder\n".encode(), "txt", "text/plain"),
        ("README.md", b"# Otsikko\n\n- kohta\n", "md", "text/markdown"),
        ("notes.txt", b"\xef\xbb\xbfUTF-8 with a byte-order mark\n", "txt", "text/plain"),
    ],
)
def test_real_documents_are_accepted_with_the_kind_of_their_content(name, data, kind, content_type):
    # given
    file = upload(name, data)

    # when
    checked = upload_check(file, name=name)

    # then
    assert checked.kind == kind
    assert checked.content_type.startswith(content_type)
    assert checked.size == len(data)
    assert file.tell() == 0


def test_kind_comes_from_the_content_not_the_name():
    # given a PDF named like a Word document
    file = upload("report.docx", PDF)

    # when
    checked = upload_check(file, name="report.docx")

    # then
    assert checked.kind == "pdf"
    assert download_name("report.docx", checked.kind) == "report.docx.pdf"


def test_a_program_renamed_slides_pdf_is_refused():
    # given a Windows program's header (MZ, then the DOS stub with NUL bytes)
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
    exe += b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 64

    # when / then
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("slides.pdf", exe), name="slides.pdf")
    assert refused.value.code == "file_type"
    assert "cannot be uploaded" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20),
        ("latin1.txt", "Hyvää päivää".encode("latin-1")),
        ("nul.txt", b"text with a \x00 NUL byte"),
        ("sheet.xlsx", ooxml("xl/workbook.xml")),
        ("plain.zip", b"PK\x03\x04" + b"not really a zip archive" * 3),
        ("other.odt", odf("application/vnd.oasis.opendocument.spreadsheet")),
        ("polyglot.pdf", b"MZ\x00\x00" + PDF),
    ],
)
def test_other_content_is_refused(name, data):
    with pytest.raises(ValidationError) as refused:
        upload_check(upload(name, data), name=name)
    assert refused.value.code == "file_type"


def test_a_presentation_with_macros_is_refused():
    # given
    data = ooxml("ppt/presentation.xml", {"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})

    # when / then
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("slides.pptx", data), name="slides.pptx")
    assert refused.value.code == "file_macros"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("empty.txt", b""), name="empty.txt")
    assert refused.value.code == "file_empty"


def test_a_file_over_the_size_limit_is_refused(settings):
    # given
    settings.UPLOAD_MAX_BYTES = 1000

    # when / then
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("big.txt", b"a" * 1001), name="big.txt")
    assert refused.value.code == "file_size"
    assert "at most 1000\xa0bytes can be uploaded" in refused.value.messages[0]


def test_the_default_size_limit_is_25_megabytes():
    # given a text just over 25 MB (read only for its size)
    file = upload("big.txt", b"a")
    file.size = 25 * 1024 * 1024 + 1

    # when / then
    with pytest.raises(ValidationError) as refused:
        upload_check(file, name="big.txt")
    assert refused.value.code == "file_size"


def test_a_zip_bomb_is_refused():
    # given a "Word document" whose one part is 20 MB of zeros, compressed to a few kilobytes
    data = ooxml("word/document.xml", {"word/media/padding.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(data) < 100 * 1024

    # when / then
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("bomb.docx", data), name="bomb.docx")
    assert refused.value.code == "file_expansion"


def test_an_archive_expanding_past_the_limit_is_refused(settings):
    # given a limit on the total size the archive declares
    settings.UPLOAD_MAX_EXPANDED_BYTES = 50_000
    data = ooxml("ppt/presentation.xml", {"ppt/media/image.bin": bytes(range(256)) * 400})

    # when / then
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("big.pptx", data), name="big.pptx")
    assert refused.value.code == "file_expansion"


def test_an_archive_with_too_many_entries_is_refused(settings):
    # given
    settings.UPLOAD_MAX_ENTRIES = 10
    data = ooxml("word/document.xml", {f"word/part{i}.xml": b"<x/>" for i in range(10)})

    # when / then
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("many.docx", data), name="many.docx")
    assert refused.value.code == "file_expansion"


@pytest.mark.parametrize(
    ("original", "kind", "expected"),
    [
        ("Esitys 2024.pptx", "pptx", "Esitys 2024.pptx"),
        ("../../etc/passwd", "txt", "passwd.txt"),
        ("C:\\Users\\aino\\muistio.DOCX", "docx", "muistio.DOCX"),
        ("evil\r\nSet-Cookie: x=1.pdf", "pdf", "evilSet-Cookie_ x=1.pdf"),
        ("", "pdf", "file.pdf"),
        ("notes.markdown", "md", "notes.markdown"),
    ],
)
def test_download_names_keep_the_name_without_paths_or_control_characters(original, kind, expected):
    assert download_name(original, kind) == expected


def test_attachment_header_cannot_be_broken_by_the_name():
    # when
    header = attachment_header('Lapin "MAKO"\r\nX-Evil: 1; äö.pdf')

    # then
    assert "\r" not in header
    assert "\n" not in header
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''Lapin%20%22MAKO%22X-Evil%3A%201%3B%20%C3%A4%C3%B6.pdf" in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert '"' not in fallback
    assert ";" not in fallback
