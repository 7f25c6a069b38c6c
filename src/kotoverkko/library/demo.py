"""Demo library: the presentation of seed 004 with its transcript, the documents of its
"similar documents" list, and slides attached to past meetings of MAKO and POMAKO.

Loaded at the end of the network demo (`network.demo.demo_load` calls `library_demo_load`),
after the events demo, and written through the library services with the system as the actor.
The texts are in demo_data/: presentation.json (the seed's title, transcript and list of
similar documents; the speaker's phone number and e-mail address are left out),
documents.json (a description and a short text, written for the demo, for each title on that
list) and materials.json (the slides of the meetings).

- Real files: the presentation and the meeting materials are built here as small PPTX, ODP,
  DOCX, ODT and PDF files, uploaded like any other and read at once with
  `services.document_extract`, so the demo needs no worker and the library offers them for
  download. The documents of the similar list are text only.
- Idempotent: a document is found by its Finnish title, a meeting's material by its event and
  file name; whatever exists is skipped, so loading twice adds nothing.
- Dated: each document is shown as added on its own date (the meeting's, for materials), so
  the library's newest-first list reads like years of use.
"""

import json
import textwrap
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from kotoverkko.common.uploads import download_name, upload_check
from kotoverkko.events.models import AgendaItem, Event
from kotoverkko.events.selectors import agenda_items
from kotoverkko.network.models import Network, Organisation

from . import services
from .models import Document

DATA = Path(__file__).resolve().parent / "demo_data"
MAKO, POMAKO = "lapin-mako", "pomako"
DOCUMENTS = "documents"

Pages = list[list[str]]  # each page (slide): its heading, then its paragraphs


def demo_data(name: str) -> Any:
    with (DATA / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def library_demo_load() -> dict[str, int]:
    """Create the demo documents, skipping those that exist; returns how many were created.

    Needs the network demo loaded first; the meeting materials need the events demo.
    """
    counts: Counter = Counter()
    with translation.override("fi"), transaction.atomic():
        networks = {network.slug: network for network in Network.objects.all()}
        if MAKO not in networks or POMAKO not in networks:
            raise ValueError("Load the network demo first.")
        organisations: dict[str, Organisation] = {}
        for organisation in Organisation.objects.order_by("pk"):
            organisations.setdefault(organisation.name_fi, organisation)
        seed = demo_data("presentation.json")
        _presentation(seed, networks, organisations, counts)
        _similar_documents(seed, networks, organisations, counts)
        _meeting_materials(counts)
    return {name: n for name, n in counts.items() if n}


def _added_on(document: Document, moment: datetime) -> None:
    Document.objects.filter(pk=document.pk).update(uploaded_at=moment)


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _upload(content: bytes, name: str, data: dict[str, Any]) -> Document:
    """Upload a built file as a person would, and read its text now rather than in a worker."""
    upload = ContentFile(content, name=name)
    checked = upload_check(upload, name=name)
    document = services.document_upload(actor=None, upload=upload, checked=checked, data=data)
    services.document_extract(document.pk)
    return document


# The presentation and its similar documents ---------------------------------------------------


def _presentation(
    seed: dict[str, Any],
    networks: dict[str, Network],
    organisations: dict[str, Organisation],
    counts: Counter,
) -> None:
    network = networks[seed["network"]]
    if Document.objects.filter(network=network, title_fi=seed["title"]).exists():
        return
    day = date.fromisoformat(seed["date"])
    # One slide for each paragraph of the transcript, so the text read back is the transcript.
    content = pptx([[paragraph] for paragraph in seed["slides"]], title=seed["title"], day=day)
    document = _upload(
        content,
        seed["file_name"],
        {
            "title_fi": seed["title"],
            "description_fi": seed["description"],
            "language": seed["language"],
            "date": day,
            "speaker": seed["speaker"],
            "organisation": organisations.get(seed["organisation"]),
            "keywords": seed["keywords"],
            "network": network,
            "visibility": Document.Visibility.PUBLIC,
        },
    )
    _added_on(document, _noon(day))
    counts[DOCUMENTS] += 1


def _similar_documents(
    seed: dict[str, Any],
    networks: dict[str, Network],
    organisations: dict[str, Organisation],
    counts: Counter,
) -> None:
    """One document for each title on the seed's list (which names some twice)."""
    written = {row["title"]: row for row in demo_data("documents.json")}
    titles = list(dict.fromkeys(seed["similar"]))
    existing = set(Document.objects.filter(title_fi__in=titles).values_list("title_fi", flat=True))
    for title in titles:
        if title in existing:
            continue
        row = written[title]
        language = row["language"]
        network = networks.get(row["network"])
        data = {
            "title_fi": title,
            f"description_{language}": row["description"],
            "language": language,
            "date": date.fromisoformat(row["date"]),
            "keywords": row["keywords"],
            "organisation": organisations.get(row.get("organisation", "")),
            "network": network,
            # Without its network (the events demo adds the national one) it can only be public.
            "visibility": row.get("visibility", "public") if network else "public",
        }
        if "title_sv" in row:
            data["title_sv"] = row["title_sv"]
        document = services.document_create_text(actor=None, text=row["text"], data=data)
        _added_on(document, _noon(data["date"]))
        counts[DOCUMENTS] += 1


# Materials of past meetings -------------------------------------------------------------------


def _event(spec: dict[str, Any]) -> Event | None:
    events = Event.objects.filter(
        network__slug=spec["network"], title_fi=spec["title"], starts_at__year=spec["year"]
    )
    if "month" in spec:
        events = events.filter(starts_at__month=spec["month"])
    return events.order_by("starts_at", "pk").first()


def _item(event: Event, title: str | None) -> AgendaItem | None:
    """The agenda item whose title has `title` in it, or the first theme talk."""
    items = agenda_items(event=event)
    for item in items:
        if title and title in item.title_fi:
            return item
    if title:
        return None
    return next((item for item in items if item.type == AgendaItem.Type.THEME_TALK), None)


def _meeting_materials(counts: Counter) -> None:
    for spec in demo_data("materials.json"):
        event = _event(spec["event"])
        if event is None:
            continue
        kind = spec["file_name"].rsplit(".", 1)[-1]
        name = download_name(spec["file_name"], kind)
        if Document.objects.filter(event=event, original_name=name).exists():
            continue
        item = _item(event, spec["item"])
        speakers = list(item.speakers.all()) if item is not None else []
        speaker = speakers[0] if speakers else None
        language = spec["language"]
        day = timezone.localdate(event.starts_at)
        data: dict[str, Any] = {
            f"title_{language}": spec["title"],
            f"description_{language}": spec["description"],
            "language": language,
            "date": day,
            "keywords": spec["keywords"],
            "event": event,
            "item": item,
        }
        if "title_fi" in spec:
            data["title_fi"] = spec["title_fi"]
        if speaker is not None:
            data["speaker"] = speaker.display_name
            data["organisation"] = speaker.organisation or (
                speaker.person.organisation if speaker.person_id else None
            )
        content = BUILDERS[kind](spec["pages"], title=spec["title"], day=day)
        document = _upload(content, name, data)
        _added_on(document, event.ends_at or event.starts_at)
        counts[DOCUMENTS] += 1


# Building small real files --------------------------------------------------------------------
#
# Each builder makes a complete file of its format that office programs open: the parts the
# format requires and nothing more. Archive entries carry the document's date, so a file comes
# out the same on every run.

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
# The relationships namespace, which also begins the names of the relationship types.
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _archive(entries: dict[str, str], day: date, *, stored_first: bool = False) -> bytes:
    buffer = BytesIO()
    stamp = (day.year, day.month, day.day, 12, 0, 0)
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, (name, text) in enumerate(entries.items()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            # OpenDocument wants its mimetype entry first and uncompressed.
            stored = stored_first and index == 0
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def _rels(relations: list[tuple[str, str]]) -> str:
    rows = "".join(
        f'<Relationship Id="rId{number}" Type="{kind}" Target="{escape(target)}"/>'
        for number, (kind, target) in enumerate(relations, start=1)
    )
    return f'{XML}<Relationships xmlns="{PACKAGE_RELS}">{rows}</Relationships>'


def _package_rels(main: str) -> str:
    """The package's relationships: its main part and its core properties."""
    return _rels([(f"{R}/officeDocument", main), (CORE_REL, "docProps/core.xml")])


def _content_types(overrides: dict[str, str]) -> str:
    rows = "".join(
        f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides.items()
    )
    return (
        f'{XML}<Types xmlns="{CONTENT_TYPES}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{rows}</Types>"
    )


def _core(title: str, day: date) -> str:
    return (
        f"{XML}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{day.isoformat()}T12:00:00Z</dcterms:created>'
        "</cp:coreProperties>"
    )


# Type sizes in hundredths of a point: a heading's, and the text's by its length, so that a
# slide's text fits the slide.
HEADING_LENGTH, HEADING_SIZE = 120, 3200
TEXT_SIZES = ((400, 2400), (900, 1800), (1600, 1400))
SMALLEST_SIZE = 1200


def _font_size(text: str) -> int:
    if len(text) <= HEADING_LENGTH:
        return HEADING_SIZE
    return next((size for limit, size in TEXT_SIZES if len(text) <= limit), SMALLEST_SIZE)


def _pptx_shape(
    number: int, y: int, height: int, paragraphs: list[str], size: int, *, bold: bool = False
) -> str:
    weight = ' b="1"' if bold else ""
    runs = "".join(
        f'<a:p><a:r><a:rPr lang="fi-FI" sz="{size}"{weight}/><a:t>{escape(text)}</a:t></a:r></a:p>'
        for text in paragraphs
    )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{number}" name="Text {number}"/><p:cNvSpPr txBox="1"/>'
        "<p:nvPr/></p:nvSpPr><p:spPr>"
        f'<a:xfrm><a:off x="609600" y="{y}"/><a:ext cx="10972800" cy="{height}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
        f'<p:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{runs}</p:txBody></p:sp>'
    )


_GROUP = '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'


def _pptx_slide(page: list[str]) -> str:
    heading, body = page[0], page[1:]
    # A slide of one long paragraph (a transcript's) gets the whole slide and plain type.
    short = len(heading) <= HEADING_LENGTH
    shapes = _pptx_shape(
        2, 457200, 1371600 if body else 5943600, [heading], _font_size(heading), bold=short
    )
    if body:
        size = min(TEXT_SIZES[0][1], _font_size(" ".join(body)))
        shapes += _pptx_shape(3, 1981200, 4419600, body, size)
    return (
        f'{XML}<p:sld xmlns:a="{A}" xmlns:r="{R}" xmlns:p="{P}"><p:cSld><p:spTree>{_GROUP}'
        f"{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    )


def _pptx_theme() -> str:
    colours = (
        ("dk1", "000000"),
        ("lt1", "FFFFFF"),
        ("dk2", "1F3A5F"),
        ("lt2", "E7EEF5"),
        ("accent1", "1F6FB2"),
        ("accent2", "C8102E"),
        ("accent3", "4C8C2B"),
        ("accent4", "E5A000"),
        ("accent5", "6B4C9A"),
        ("accent6", "00857C"),
        ("hlink", "1F6FB2"),
        ("folHlink", "6B4C9A"),
    )
    scheme = "".join(f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>' for name, rgb in colours)
    font = '<a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/>'
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="9525">{fill}</a:ln>'
    effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
    return (
        f'{XML}<a:theme xmlns:a="{A}" name="Kotoverkko"><a:themeElements>'
        f'<a:clrScheme name="Kotoverkko">{scheme}</a:clrScheme>'
        f'<a:fontScheme name="Kotoverkko"><a:majorFont>{font}</a:majorFont>'
        f"<a:minorFont>{font}</a:minorFont></a:fontScheme>"
        f'<a:fmtScheme name="Kotoverkko"><a:fillStyleLst>{fill * 3}</a:fillStyleLst>'
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        f"<a:effectStyleLst>{effect * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme>"
        "</a:themeElements></a:theme>"
    )


def pptx(pages: Pages, *, title: str, day: date) -> bytes:
    """A PowerPoint file with one slide per page: the heading on top, the paragraphs below."""
    ml = "application/vnd.openxmlformats-officedocument.presentationml"
    slide_ids = "".join(
        f'<p:sldId id="{256 + number}" r:id="rId{number + 3}"/>' for number in range(len(pages))
    )
    entries = {
        "[Content_Types].xml": _content_types(
            {
                "/ppt/presentation.xml": f"{ml}.presentation.main+xml",
                "/ppt/slideMasters/slideMaster1.xml": f"{ml}.slideMaster+xml",
                "/ppt/slideLayouts/slideLayout1.xml": f"{ml}.slideLayout+xml",
                "/ppt/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
                **{
                    f"/ppt/slides/slide{number}.xml": f"{ml}.slide+xml"
                    for number in range(1, len(pages) + 1)
                },
                "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
            }
        ),
        "_rels/.rels": _package_rels("ppt/presentation.xml"),
        "docProps/core.xml": _core(title, day),
        "ppt/presentation.xml": (
            f'{XML}<p:presentation xmlns:a="{A}" xmlns:r="{R}" xmlns:p="{P}">'
            '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>'
            f"<p:sldIdLst>{slide_ids}</p:sldIdLst>"
            '<p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>'
            "</p:presentation>"
        ),
        "ppt/_rels/presentation.xml.rels": _rels(
            [
                (f"{R}/slideMaster", "slideMasters/slideMaster1.xml"),
                (f"{R}/theme", "theme/theme1.xml"),
                *[
                    (f"{R}/slide", f"slides/slide{number}.xml")
                    for number in range(1, len(pages) + 1)
                ],
            ]
        ),
        "ppt/slideMasters/slideMaster1.xml": (
            f'{XML}<p:sldMaster xmlns:a="{A}" xmlns:r="{R}" xmlns:p="{P}">'
            f"<p:cSld><p:spTree>{_GROUP}</p:spTree></p:cSld>"
            '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" '
            'accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" '
            'accent6="accent6" hlink="hlink" folHlink="folHlink"/>'
            '<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst>'
            "</p:sldMaster>"
        ),
        "ppt/slideMasters/_rels/slideMaster1.xml.rels": _rels(
            [
                (f"{R}/slideLayout", "../slideLayouts/slideLayout1.xml"),
                (f"{R}/theme", "../theme/theme1.xml"),
            ]
        ),
        "ppt/slideLayouts/slideLayout1.xml": (
            f'{XML}<p:sldLayout xmlns:a="{A}" xmlns:r="{R}" xmlns:p="{P}" preserve="1">'
            f'<p:cSld name="Blank"><p:spTree>{_GROUP}</p:spTree></p:cSld>'
            "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
        ),
        "ppt/slideLayouts/_rels/slideLayout1.xml.rels": _rels(
            [(f"{R}/slideMaster", "../slideMasters/slideMaster1.xml")]
        ),
        "ppt/theme/theme1.xml": _pptx_theme(),
    }
    for number, page in enumerate(pages, start=1):
        entries[f"ppt/slides/slide{number}.xml"] = _pptx_slide(page)
        entries[f"ppt/slides/_rels/slide{number}.xml.rels"] = _rels(
            [(f"{R}/slideLayout", "../slideLayouts/slideLayout1.xml")]
        )
    return _archive(entries, day)


def docx(pages: Pages, *, title: str, day: date) -> bytes:
    """A Word file: each page's heading in bold, then its paragraphs."""

    def paragraph(text: str, *, heading: bool) -> str:
        style = '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>' if heading else ""
        spacing = '<w:pPr><w:spacing w:before="360" w:after="120"/></w:pPr>' if heading else ""
        return (
            f'<w:p>{spacing}<w:r>{style}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        )

    body = "".join(
        paragraph(text, heading=index == 0) for page in pages for index, text in enumerate(page)
    )
    section = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" '
        'w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
    )
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _archive(
        {
            "[Content_Types].xml": _content_types(
                {
                    "/word/document.xml": main,
                    "/docProps/core.xml": (
                        "application/vnd.openxmlformats-package.core-properties+xml"
                    ),
                }
            ),
            "_rels/.rels": _package_rels("word/document.xml"),
            "docProps/core.xml": _core(title, day),
            "word/document.xml": (
                f'{XML}<w:document xmlns:w="{W}"><w:body>{body}{section}</w:body></w:document>'
            ),
        },
        day,
    )


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'office:version="1.2"'
)


def _odf(mimetype: str, content: str, styles: str, *, title: str, day: date) -> bytes:
    manifest = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>'
        for path, kind in (
            ("/", mimetype),
            ("content.xml", "text/xml"),
            ("styles.xml", "text/xml"),
            ("meta.xml", "text/xml"),
        )
    )
    return _archive(
        {
            "mimetype": mimetype,
            "META-INF/manifest.xml": (
                f"{XML}<manifest:manifest "
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                f'manifest:version="1.2">{manifest}</manifest:manifest>'
            ),
            "content.xml": f"{XML}<office:document-content {ODF_NAMESPACES}>{content}"
            "</office:document-content>",
            "styles.xml": f"{XML}<office:document-styles {ODF_NAMESPACES}>{styles}"
            "</office:document-styles>",
            "meta.xml": (
                f"{XML}<office:document-meta {ODF_NAMESPACES}><office:meta>"
                f"<dc:title>{escape(title)}</dc:title>"
                f"<meta:creation-date>{day.isoformat()}T12:00:00</meta:creation-date>"
                "</office:meta></office:document-meta>"
            ),
        },
        day,
        stored_first=True,
    )


def _odf_paragraph_style(name: str, size: str, *, bold: bool) -> str:
    weight = ' fo:font-weight="bold"' if bold else ""
    return (
        f'<style:style style:name="{name}" style:family="paragraph">'
        '<style:paragraph-properties fo:margin-bottom="0.2cm"/>'
        f'<style:text-properties fo:font-size="{size}"{weight}/></style:style>'
    )


def _odf_page_layout(width: str, height: str) -> str:
    return (
        '<office:automatic-styles><style:page-layout style:name="PM1">'
        f'<style:page-layout-properties fo:page-width="{width}" fo:page-height="{height}" '
        'fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/>'
        "</style:page-layout></office:automatic-styles>"
    )


def odt(pages: Pages, *, title: str, day: date) -> bytes:
    """An OpenDocument text: each page's heading as a heading, then its paragraphs."""
    body = "".join(
        (
            f'<text:h text:style-name="Heading" text:outline-level="1">{escape(text)}</text:h>'
            if index == 0
            else f'<text:p text:style-name="Body">{escape(text)}</text:p>'
        )
        for page in pages
        for index, text in enumerate(page)
    )
    styles = (
        "<office:styles>"
        f"{_odf_paragraph_style('Heading', '16pt', bold=True)}"
        f"{_odf_paragraph_style('Body', '11pt', bold=False)}"
        f"</office:styles>{_odf_page_layout('21cm', '29.7cm')}"
        '<office:master-styles><style:master-page style:name="Standard" '
        'style:page-layout-name="PM1"/></office:master-styles>'
    )
    content = f"<office:body><office:text>{body}</office:text></office:body>"
    return _odf("application/vnd.oasis.opendocument.text", content, styles, title=title, day=day)


def odp(pages: Pages, *, title: str, day: date) -> bytes:
    """An OpenDocument presentation with one slide per page."""

    def frame(y: str, height: str, style: str, paragraphs: list[str]) -> str:
        lines = "".join(
            f'<text:p text:style-name="{style}">{escape(text)}</text:p>' for text in paragraphs
        )
        return (
            f'<draw:frame draw:style-name="Frame" svg:x="1.5cm" svg:y="{y}" svg:width="25cm" '
            f'svg:height="{height}">'
            f"<draw:text-box>{lines}</draw:text-box></draw:frame>"
        )

    slides = "".join(
        f'<draw:page draw:name="page{number}" draw:master-page-name="Default">'
        f"{frame('1cm', '3cm', 'Heading', page[:1])}"
        f"{frame('4.5cm', '10cm', 'Body', page[1:]) if page[1:] else ''}"
        "</draw:page>"
        for number, page in enumerate(pages, start=1)
    )
    content = (
        "<office:automatic-styles>"
        '<style:style style:name="Frame" style:family="graphic">'
        '<style:graphic-properties draw:fill="none" draw:stroke="none"/></style:style>'
        f"{_odf_paragraph_style('Heading', '28pt', bold=True)}"
        f"{_odf_paragraph_style('Body', '18pt', bold=False)}"
        "</office:automatic-styles>"
        f"<office:body><office:presentation>{slides}</office:presentation></office:body>"
    )
    styles = (
        f"{_odf_page_layout('28cm', '15.75cm')}"
        '<office:master-styles><style:master-page style:name="Default" '
        'style:page-layout-name="PM1"/></office:master-styles>'
    )
    return _odf(
        "application/vnd.oasis.opendocument.presentation", content, styles, title=title, day=day
    )


# A4 in points, its margin, and the lines of body text that fit between the margins.
PDF_WIDTH, PDF_HEIGHT, PDF_MARGIN = 595, 842, 56
PDF_LEADING = 15
PDF_LINES = (PDF_HEIGHT - 2 * PDF_MARGIN) // PDF_LEADING - 3
PDF_WRAP = 88


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi encoding (the standard fonts' Finnish and Swedish
    letters are there)."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _pdf_page(lines: list[tuple[bool, str]]) -> bytes:
    top = PDF_HEIGHT - PDF_MARGIN - 18
    out = [b"BT", b"%d %d Td" % (PDF_MARGIN, top)]
    for index, (heading, text) in enumerate(lines):
        if index:
            out.append(b"0 -%d Td" % (PDF_LEADING * 2 if heading else PDF_LEADING))
        out.append(b"/F2 16 Tf" if heading else b"/F1 11 Tf")
        out.append(_pdf_string(text) + b" Tj")
    out.append(b"ET")
    return b"\n".join(out)


def pdf(pages: Pages, *, title: str, day: date) -> bytes:
    """A PDF with each page's heading in bold and its paragraphs wrapped below; a page too
    long for A4 goes on over as many sheets as it needs."""
    sheets: list[list[tuple[bool, str]]] = []
    for page in pages:
        lines = [(True, page[0])]
        for paragraph in page[1:]:
            lines.extend((False, line) for line in textwrap.wrap(paragraph, PDF_WRAP))
        sheets.extend(lines[start : start + PDF_LINES] for start in range(0, len(lines), PDF_LINES))
    first_page = 6
    kids = " ".join(f"{first_page + 2 * n} 0 R" for n in range(len(sheets)))
    info_title = ("\ufeff" + title).encode("utf-16-be").hex().upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(sheets)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        f"<< /Title <{info_title}> /CreationDate (D:{day:%Y%m%d}120000Z) >>".encode(),
    ]
    for number, lines in enumerate(sheets):
        stream = _pdf_page(lines)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PDF_WIDTH, PDF_HEIGHT, first_page + 2 * number + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)


BUILDERS: dict[str, Callable[..., bytes]] = {
    "pptx": pptx,
    "odp": odp,
    "docx": docx,
    "odt": odt,
    "pdf": pdf,
}
