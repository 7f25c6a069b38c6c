"""Small real files for the library's tests: PDF, PowerPoint, Word, and an archive bomb."""

import io
import zipfile

from tests.library.test_extraction import XML_HEAD, _docx, _pdf, _slide


def pdf_bytes(*lines: str) -> bytes:
    """A one-page PDF with each line drawn on its own row (Latin-1 letters, ä and ö too)."""
    rows = " ".join(f"0 -20 Td ({line.replace('(', '[').replace(')', ']')}) Tj" for line in lines)
    return _pdf(f"BT /F1 12 Tf 72 740 Td {rows} ET".encode("cp1252"))


def pptx_bytes(*slides: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", f"{XML_HEAD}<Types/>")
        for number, paragraphs in enumerate(slides, start=1):
            archive.writestr(f"ppt/slides/slide{number}.xml", _slide(paragraphs))
    return buffer.getvalue()


def docx_bytes(*paragraphs: str, tmp_path) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    return _docx(tmp_path / "document.docx", body).read_bytes()


def zip_bomb_bytes(expanded_mb: int = 300) -> bytes:
    """A Word file whose document part expands from a few hundred kilobytes to
    `expanded_mb` megabytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\x00" * (1024 * 1024)
            for _ in range(expanded_mb):
                part.write(block)
    return buffer.getvalue()
