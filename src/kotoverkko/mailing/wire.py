"""Messages as they go on the wire: the MIME of mass sendings, written out by hand.

A mass sending is one message sent thousands of times with a few values changed (the
recipient's address and unsubscribe links). Building each copy with the `email` package costs
more than sending it, so a `MassMessage` encodes its bodies once: each body is cut at its
placeholders, the pieces between them are quoted-printable encoded once, and only the short
per-recipient values are encoded for each copy. Quoted-printable lines end with a soft line
break (`=` CRLF) where a piece meets a value, so the decoded text is the pieces and values
joined, and no encoded line is longer than 76 octets.

What every message written here keeps to (RFC 5322, 2045-2047): CRLF line ends only; no line
over 998 octets (headers are folded, bodies quoted-printable); header values in ASCII, with
text that is not (ä, ö, å) as RFC 2047 encoded words; bodies in UTF-8; no CR or LF inside a
header value, so no value can add a header of its own.
"""

import binascii
import re
import secrets
from collections.abc import Mapping
from email.header import Header
from email.utils import parseaddr
from html import escape

CRLF = "\r\n"
# Lines of a header are folded to this length where they have a space to fold at.
HEADER_LINE = 78
# No line of a message may be longer (RFC 5322, without its CRLF).
MAX_LINE = 998
PLACEHOLDER = re.compile(r"(%%[a-z0-9_]+%%)")
_HEADER_NAME = re.compile(r"^[!-9;-~]+$")  # printable ASCII except the colon
_QUOTE_NEEDED = re.compile(r'[][\\()<>@,:;".]')
_QP_SOFT_BREAK = b"=\r\n"
_TEXT_PART_HEAD = (
    b'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n'
)
_HTML_PART_HEAD = (
    b'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n'
)


def header_check(name: str, value: str) -> None:
    """Refuse a header whose value could end the header early (header injection)."""
    if not _HEADER_NAME.match(name or ""):
        raise ValueError(f"Invalid mail header name {name!r}.")
    if "\r" in value or "\n" in value:
        raise ValueError(f"The mail header {name} may not contain a line break.")


def ascii_address(address: str) -> str:
    """The address with its domain in ASCII (IDNA); a local part beyond ASCII is refused,
    as the SMTP servers this talks to need not support SMTPUTF8."""
    address = address.strip()
    if address.isascii():
        return address
    local, _at, domain = address.rpartition("@")
    if not local.isascii() or not local:
        raise ValueError(f"The address {address!r} cannot be sent without SMTPUTF8.")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def encoded_words(text: str, header_name: str) -> str:
    """Text for a header: as it is when ASCII, else RFC 2047 encoded words (UTF-8) folded
    with CRLF."""
    if text.isascii():
        return text
    return Header(text, "utf-8", header_name=header_name).encode(linesep=CRLF)


def address_header(name: str, address: str, header_name: str = "To") -> str:
    """`Name <address>` for From and To: the name quoted if it has specials, encoded if it is
    not ASCII."""
    address = ascii_address(address)
    name = " ".join((name or "").split())
    if not name:
        return address
    if not name.isascii():
        return f"{encoded_words(name, header_name)} <{address}>"
    if _QUOTE_NEEDED.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address}>"


def sender_header(from_email: str) -> str:
    """A From value as configured ("Lapin MAKO <tiedote@example.fi>") in its wire form."""
    name, address = parseaddr(from_email)
    if not address:
        raise ValueError(f"Invalid sender {from_email!r}.")
    return address_header(name, address, "From")


def header_line(name: str, value: str, *, encoded: bool = False) -> str:
    """`Name: value` CRLF, the value encoded (RFC 2047) where it is not ASCII and folded at
    spaces so that lines stay within HEADER_LINE where the value allows.

    `encoded` values (addresses with an encoded name) are already in their wire form.
    """
    if encoded:
        header_check(name, "")
    else:
        header_check(name, value)
        value = encoded_words(value, name)
    if not value.isascii():
        raise ValueError(f"The mail header {name} must be encoded before it is written.")
    line = f"{name}: {value}"
    if len(line) > HEADER_LINE and "\r\n" not in value:
        lines, current = [], f"{name}:"
        for word in value.split(" "):
            candidate = f"{current} {word}"
            if word and len(candidate) > HEADER_LINE and current != f"{name}:":
                lines.append(current)
                current = f" {word}"
            else:
                current = candidate
        lines.append(current)
        line = CRLF.join(lines)
    if any(len(part) > MAX_LINE for part in line.split(CRLF)):
        raise ValueError(f"The mail header {name} has a word too long for one line.")
    return line + CRLF


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with its placeholders replaced by their values (unknown ones stay)."""
    return PLACEHOLDER.sub(lambda match: values.get(match[1], match[1]), text)


def crlf_text(text: str) -> str:
    """Text with every line ending (LF, CR, CRLF) as CRLF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", CRLF)


def qp_piece(text: str) -> bytes:
    """One piece of a body, quoted-printable, ending in a line break: the hard one the text
    ends with, or a soft one (`=` CRLF) that the next piece continues."""
    if not text:
        return b""
    # binascii writes CRLF line ends when the data's first line ends in CRLF; the line end
    # added here guarantees one, and is taken off again.
    encoded = binascii.b2a_qp((text + CRLF).encode("utf-8"), istext=True)[:-2]
    if encoded.endswith(b"\r\n"):
        return encoded
    return encoded + _QP_SOFT_BREAK


class Body:
    """A body cut at its placeholders: encoded pieces, and the names of the values between."""

    def __init__(self, text: str, *, html: bool):
        self.html = html
        self.parts: list[bytes | str] = []
        for index, part in enumerate(PLACEHOLDER.split(crlf_text(text))):
            if index % 2:
                self.parts.append(part)
            elif part:
                self.parts.append(qp_piece(part))

    def render(self, values: Mapping[str, str]) -> bytes:
        chunks = []
        for part in self.parts:
            if isinstance(part, bytes):
                chunks.append(part)
                continue
            value = values.get(part, part)
            chunks.append(qp_piece(escape(value) if self.html else value))
        encoded = b"".join(chunks)
        # The line break before a boundary belongs to the boundary: a soft break there
        # would leave a lone "=" at the end of the body.
        if encoded.endswith(_QP_SOFT_BREAK):
            encoded = encoded[:-3]
        elif encoded.endswith(b"\r\n"):
            encoded = encoded[:-2]
        return encoded + b"\r\n"


class MassMessage:
    """The parts of a mass sending that are the same in every copy, encoded once.

    `headers` may hold placeholders (the List-Unsubscribe links); `render` fills them and the
    bodies' placeholders from `values` for each recipient. Without an HTML body the message is
    a single text/plain part, else multipart/alternative with the text first.
    """

    def __init__(
        self,
        *,
        from_email: str,
        subject: str,
        body_text: str,
        body_html: str,
        headers: Mapping[str, str],
    ):
        fixed = [
            header_line("From", sender_header(from_email), encoded=True),
            header_line("Subject", subject),
            "MIME-Version: 1.0\r\n",
        ]
        self.header_templates: list[tuple[str, str]] = []
        for name, value in headers.items():
            if PLACEHOLDER.search(value):
                header_check(name, value)
                self.header_templates.append((name, value))
            else:
                fixed.append(header_line(name, value))
        self.text = Body(body_text, html=False)
        self.html = Body(body_html, html=True) if body_html.strip() else None
        if self.html is None:
            fixed.append(_TEXT_PART_HEAD.decode("ascii"))
            self.boundary: bytes | None = None
        else:
            # Quoted-printable never contains "=_", so no body can contain the boundary.
            boundary = "=_" + secrets.token_hex(12)
            self.boundary = boundary.encode("ascii")
            fixed.append(f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n')
        self.fixed_headers = "".join(fixed)

    def render(self, *, to: str, message_id: str, date: str, values: Mapping[str, str]) -> bytes:
        """One copy, ready for SMTP DATA; `to` is in its wire form (`address_header`)."""
        head = [
            header_line("To", to, encoded=True),
            header_line("Date", date),
            header_line("Message-ID", message_id),
        ]
        for name, template in self.header_templates:
            head.append(header_line(name, fill(template, values)))
        head.append(self.fixed_headers)
        head.append(CRLF)
        if self.html is None:
            return "".join(head).encode("ascii") + self.text.render(values)
        delimiter = b"--" + self.boundary + b"\r\n"
        return b"".join(
            [
                "".join(head).encode("ascii"),
                delimiter,
                _TEXT_PART_HEAD,
                b"\r\n",
                self.text.render(values),
                delimiter,
                _HTML_PART_HEAD,
                b"\r\n",
                self.html.render(values),
                b"--" + self.boundary + b"--\r\n",
            ]
        )
