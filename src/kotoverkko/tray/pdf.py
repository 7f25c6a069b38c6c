"""The workshop summary as an A4 PDF: the same compiled tray, wishes and follow-up actions that
the printable summary page shows, written in the active language.

DejaVu Sans is used when it is installed, so that any script prints; without it the PDF falls
back to the core Helvetica font, which covers Latin-1 only (Finnish and Swedish letters print,
anything else becomes "?"). Fonts are never fetched from anywhere."""

from datetime import date
from pathlib import Path

from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from . import workshop as workshops
from .models import Workshop

# Where the usual Linux, BSD and macOS packages put DejaVu Sans; the first folder holding the
# regular face wins.
FONT_DIRS: list[str] = [
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts/dejavu",
    "/usr/local/share/fonts",
    "/Library/Fonts",
]
REGULAR_FONT = "DejaVuSans.ttf"
BOLD_FONT = "DejaVuSans-Bold.ttf"
UNICODE_FAMILY = "DejaVu"
CORE_FAMILY = "Helvetica"
DATE_FORMAT = "j.n.Y"

# Typographic punctuation the core font lacks but has a plain equivalent for.
_PLAIN_PUNCTUATION = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2022": "-",
        "\u2026": "...",
    }
)

_BODY = 10
_LINE = 5.0
_GREY = (90, 90, 90)
_BLACK = (0, 0, 0)


def font_files() -> tuple[Path, Path] | None:
    """The regular and bold DejaVu Sans files, or None when the regular face is not installed
    (the regular face stands in for the bold one when only it is there)."""
    for folder in FONT_DIRS:
        regular = Path(folder) / REGULAR_FONT
        if regular.is_file():
            bold = Path(folder) / BOLD_FONT
            return regular, bold if bold.is_file() else regular
    return None


def _date(value: date) -> str:
    return dateformat.format(value, DATE_FORMAT)


class _SummaryDocument(FPDF):
    """An A4 page set with headings, wrapped paragraphs and lists, a footer on every page, and
    every text passed through one place that makes it printable in the chosen font."""

    def __init__(self, *, made_on: date) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(left=18, top=18, right=18)
        self.set_auto_page_break(auto=True, margin=20)
        files = font_files()
        if files is None:
            self.family_name = CORE_FAMILY
            self.unicode = False
        else:
            self.add_font(UNICODE_FAMILY, "", files[0])
            self.add_font(UNICODE_FAMILY, "B", files[1])
            self.family_name = UNICODE_FAMILY
            self.unicode = True
        self.made_label = _("Made on %(date)s") % {"date": _date(made_on)}
        self.page_label = _("Page %(page)s of %(pages)s")
        self.alias_nb_pages()

    def clean(self, text) -> str:
        text = str(text or "")
        if self.unicode:
            return text
        text = text.translate(_PLAIN_PUNCTUATION)
        return text.encode("latin-1", errors="replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family_name, "", 8)
        self.set_text_color(*_GREY)
        self.cell(0, 5, self.clean(self.made_label), align="L")
        self.set_x(self.l_margin)
        label = self.page_label % {"page": self.page_no(), "pages": self.str_alias_nb_pages}
        self.cell(0, 5, self.clean(label), align="R")
        self.set_text_color(*_BLACK)

    def _keep_with_next(self, height: float) -> None:
        """Start a new page rather than leave a heading alone at the foot of one."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str, *, level: int) -> None:
        size = {1: 17, 2: 13, 3: 11}[level]
        space = {1: 0, 2: 5, 3: 3}[level]
        self._keep_with_next(space + size * 0.5 + 3 * _LINE)
        self.ln(space)
        self.set_font(self.family_name, "B", size)
        self.multi_cell(
            0, size * 0.5, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(1)
        self.set_font(self.family_name, "", _BODY)

    def paragraph(self, text: str, *, muted: bool = False) -> None:
        self.set_font(self.family_name, "", _BODY)
        if muted:
            self.set_text_color(*_GREY)
        self.multi_cell(0, _LINE, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*_BLACK)

    def label(self, text: str) -> None:
        self.set_font(self.family_name, "B", _BODY - 1)
        self.multi_cell(0, _LINE, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.family_name, "", _BODY)

    def item(self, text: str) -> None:
        """A list item with a hanging indent: wrapped lines start under the text, not the dash."""
        self.set_font(self.family_name, "", _BODY)
        self.set_x(self.l_margin + 2)
        self.cell(4, _LINE, "-" if not self.unicode else "\u2022")
        self.multi_cell(0, _LINE, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _named(name: str, what: str) -> str:
    return _("%(name)s: %(what)s") % {"name": name, "what": what}


def _offering_line(offering) -> str:
    line = _named(offering.organisation.name, offering.title)
    if offering.language_names:
        line = _("%(offering)s (%(languages)s)") % {
            "offering": line,
            "languages": ", ".join(offering.language_names),
        }
    return line


def _wish_line(wish) -> str:
    return _("%(wish)s (%(organisation)s)") % {
        "wish": wish.title,
        "organisation": wish.organisation.name,
    }


def _lead(workshop: Workshop) -> str:
    parts = [workshop.municipality.name, _date(workshop.date)]
    if workshop.place:
        parts.append(workshop.place)
    parts.append(workshop.network.name)
    return " \u00b7 ".join(parts)


def _follow_ups(document: _SummaryDocument, follow_ups: list) -> None:
    document.heading(_("Follow-up actions"), level=2)
    if not follow_ups:
        document.paragraph(_("No follow-up actions."), muted=True)
        return
    clean = document.clean
    document.set_font(document.family_name, "", _BODY - 1)
    with document.table(
        col_widths=(40, 29, 17, 14),
        line_height=_LINE,
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD"),
        borders_layout="HORIZONTAL_LINES",
        padding=1,
    ) as table:
        headings = table.row()
        for label in (_("What"), _("Who"), _("By when"), _("Status")):
            headings.cell(clean(label))
        for item in follow_ups:
            who = item.who
            if item.organisation:
                who = _("%(who)s (%(organisation)s)") % {
                    "who": item.who,
                    "organisation": item.organisation.name,
                }
            row = table.row()
            row.cell(clean(item.what))
            row.cell(clean(who))
            row.cell(clean(_date(item.due_on)))
            row.cell(clean(_("done") if item.done_at else _("open")))
    document.set_font(document.family_name, "", _BODY)


def workshop_summary_pdf(*, workshop: Workshop, made_on: date | None = None) -> bytes:
    """The summary the coordinator hands out after the workshop: who was invited, per category
    who offers what in which languages and what was wished, and the follow-up actions."""
    compiled = workshops.workshop_compiled(workshop=workshop)
    follow_ups = list(workshops.follow_up_list(workshop=workshop))
    invitations = list(workshops.invitation_list(workshop=workshop))
    title = _("Summary of %(title)s") % {"title": workshop.title}

    document = _SummaryDocument(made_on=made_on or timezone.localdate())
    document.set_title(title)
    document.set_lang((translation.get_language() or "fi")[:2])
    document.set_creator("Kotoverkko")
    document.add_page()

    document.heading(title, level=1)
    document.paragraph(_lead(workshop))

    document.heading(_("Invited"), level=2)
    if invitations:
        for invitation in invitations:
            document.item(
                _("%(name)s, %(organisation)s")
                % {"name": invitation.name, "organisation": invitation.organisation.name}
            )
    else:
        document.paragraph(_("Nobody was invited."), muted=True)

    document.heading(_("The tray of %(place)s") % {"place": workshop.municipality.name}, level=2)
    for row in compiled.rows:
        document.heading(row.category.name, level=3)
        if row.offerings:
            for offering in row.offerings:
                document.item(_offering_line(offering))
        else:
            document.paragraph(_("Nothing offered here yet."), muted=True)
        if row.wishes:
            document.label(_("Wishes"))
            for wish in row.wishes:
                document.item(_wish_line(wish))
    if compiled.other_wishes:
        document.heading(_("Other wishes"), level=3)
        for wish in compiled.other_wishes:
            document.item(_wish_line(wish))

    _follow_ups(document, follow_ups)
    return bytes(document.output())
