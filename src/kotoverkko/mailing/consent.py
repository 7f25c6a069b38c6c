"""The consent texts shown on the subscription form, by version.

A consent record stores the version of the text its subscriber saw, so that what they agreed to
can be shown to them later word for word. A published version is never edited: a changed text
is a new version, added here and made CURRENT_VERSION; the old ones stay for the records that
name them.
"""

from django.utils.translation import gettext_lazy as _

CURRENT_VERSION = "2025-1"

TEXTS = {
    "2025-1": _(
        "I want to receive the mailing list of %(list)s: the network's monthly newsletter and "
        "its announcements of meetings, trainings and events. My e-mail address and the "
        "language I chose are used only to send me these messages, and the network's "
        "coordinators can see them. Every message has a link that takes me off the list at "
        "once, and my preferences page lets me leave this list or every list. A record of "
        "this consent is kept for as long as my address is on any list."
    ),
}


def consent_text(version: str, *, list_name: str) -> str:
    """The text of a version in the active language, naming the list; "" for no version
    (consent that came with a membership or an import, not from the form)."""
    text = TEXTS.get(version)
    if text is None:
        return ""
    return str(text) % {"list": list_name}


def is_known_version(version: str) -> bool:
    return version in TEXTS
