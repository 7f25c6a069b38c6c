"""The Finnish and Swedish catalogues: complete, placeholders intact, compiled, and in use."""

import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from tests.factories import NetworkFactory

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED = ["fi", "sv"]

# %(name)s with its conversion (%(max)d, %(seconds).1f), {{ name }} and {name}.
PLACEHOLDER = re.compile(
    r"%\((?P<printf>\w+)\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|\{\{\s*(?P<django>[\w.]+)\s*\}\}"
    r"|\{(?P<brace>\w*)\}"
)
PRINTF_OR_ESCAPE = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%")

# Git writes django.mo and django.po of a fresh checkout a moment apart, in that order.
CHECKOUT_SLACK_SECONDS = 5


def _catalog(language: str) -> Catalog:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language, domain="django")


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def _placeholders(text: str) -> set[str]:
    return {match.group(0).replace(" ", "") for match in PLACEHOLDER.finditer(text)}


def _has_stray_percent(text: str) -> bool:
    """A % that is neither a %(name)s placeholder nor an escaped %% breaks formatting."""
    return "%" in PRINTF_OR_ESCAPE.sub("", text)


def _forms(message: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs: the plural source goes with every form past the first."""
    if not message.pluralizable:
        return [(message.id, message.string)]
    singular, plural = message.id[0], message.id[1]
    return [(singular if index == 0 else plural, text) for index, text in enumerate(message.string)]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    # given
    catalog = _catalog(language)

    # when
    untranslated = [
        message.id
        for message in _messages(catalog)
        if not all(text.strip() for _source, text in _forms(message))
    ]
    fuzzy = [message.id for message in _messages(catalog) if message.fuzzy]

    # then
    assert len(list(_messages(catalog))) > 400
    assert untranslated == []
    assert fuzzy == []
    assert not catalog.fuzzy, "the header is marked fuzzy"
    assert catalog.num_plurals == 2


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_kept_in_every_translation(language):
    # given
    catalog = _catalog(language)

    # when
    mismatched = [
        (source, text)
        for message in _messages(catalog)
        for source, text in _forms(message)
        if _placeholders(source) != _placeholders(text)
    ]
    stray = [
        text
        for message in _messages(catalog)
        if message.python_format or "python-format" in message.flags
        for _source, text in _forms(message)
        if _has_stray_percent(text)
    ]

    # then
    assert mismatched == []
    assert stray == []


def test_placeholder_check_sees_a_dropped_or_renamed_placeholder():
    # given
    source = "%(name)s is already a member of {{ network }} ({kind}, %(seconds).1f s)."

    # when / then
    assert _placeholders(source) == {"%(name)s", "{{network}}", "{kind}", "%(seconds).1f"}
    assert _placeholders("{{ network }}: %(name)s {kind} %(seconds).1f") == _placeholders(source)
    assert _placeholders("%(nimi)s {{ network }} {kind} %(seconds).1f") != _placeholders(source)
    assert _placeholders("%(name)s {{ network }} {kind} %(seconds)s") != _placeholders(source)
    assert _has_stray_percent("100 % valmis %(max)d")
    assert not _has_stray_percent("100 %% valmis %(max)d")


def test_every_language_has_the_same_messages():
    # given
    ids = {
        language: {
            message.id if isinstance(message.id, str) else tuple(message.id)
            for message in _messages(_catalog(language))
        }
        for language in ["fi", "sv", "en"]
    }

    # then
    assert ids["fi"] == ids["sv"] == ids["en"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_compiled_catalogue_is_not_older_than_its_source(language):
    # given
    folder = LOCALE_DIR / language / "LC_MESSAGES"

    # when
    po_changed = (folder / "django.po").stat().st_mtime
    mo_changed = (folder / "django.mo").stat().st_mtime

    # then
    assert mo_changed >= po_changed - CHECKOUT_SLACK_SECONDS, (
        f"{language}: django.po changed after django.mo was compiled; run compilemessages"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_holds_every_translation_of_its_source(language):
    # given
    catalog = _catalog(language)
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    # when
    stale = []
    for message in _messages(catalog):
        context = message.context
        if message.pluralizable:
            singular, plural = message.id[0], message.id[1]
            if context:
                got = [compiled.npgettext(context, singular, plural, n) for n in (1, 2)]
            else:
                got = [compiled.ngettext(singular, plural, n) for n in (1, 2)]
        elif context:
            got = [compiled.pgettext(context, message.id)]
        else:
            got = [compiled.gettext(message.id)]
        if got != list(message.string if message.pluralizable else [message.string]):
            stale.append(message.id)

    # then
    assert stale == [], f"{language}: django.mo is out of date; run compilemessages"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "navigation"),
    [
        ("fi", "Maahanmuutto- ja kotouttamistoimijoiden verkostot", "Organisaatiot"),
        ("sv", "Nätverk för invandrings- och integrationsärenden", "Organisationer"),
        ("en", "Immigration and integration networks", "Organisations"),
    ],
)
def test_home_page_speaks_the_language_of_its_address(client, language, heading, navigation):
    # given
    NetworkFactory(slug="mako", languages=["fi", "sv"])

    # when
    response = client.get(f"/{language}/")

    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert f">{navigation}</a>" in body
    assert f'<html lang="{language}">' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "our_message"),
    [
        ("sv", "Välj din organisation eller skriv dess namn."),
        ("fi", "Valitse organisaatiosi tai kirjoita sen nimi."),
    ],
)
def test_join_form_errors_are_in_the_language_of_the_page(client, language, our_message):
    # given
    network = NetworkFactory(languages=["fi", "sv"])
    with translation.override(language):
        invalid_email = translation.gettext("Enter a valid email address.")
    assert invalid_email != "Enter a valid email address."

    # when
    response = client.post(
        f"/{language}/networks/{network.slug}/join/",
        {
            "first_name": "Noora",
            "last_name": "Hakala",
            "email": "noora(at)example.fi",
            "organisation_name": "",
            "language": language,
        },
    )

    # then
    assert response.status_code == 400
    body = response.content.decode()
    assert invalid_email in body
    assert our_message in body
    assert "Enter a valid email address." not in body
    assert "Choose your organisation or write its name." not in body
