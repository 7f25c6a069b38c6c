"""Languages offerings are given in: ISO 639-1 codes (ISO 639-3 where there is none), with
their names in Finnish, Swedish and English. The list covers the languages spoken by most
newcomers to Finland; others can be added here."""

from django.utils import translation

# code: (fi, sv, en)
LANGUAGES = {
    "fi": ("suomi", "finska", "Finnish"),
    "sv": ("ruotsi", "svenska", "Swedish"),
    "en": ("englanti", "engelska", "English"),
    "se": ("pohjoissaame", "nordsamiska", "Northern Sami"),
    "ar": ("arabia", "arabiska", "Arabic"),
    "ru": ("venäjä", "ryska", "Russian"),
    "uk": ("ukraina", "ukrainska", "Ukrainian"),
    "et": ("viro", "estniska", "Estonian"),
    "so": ("somali", "somaliska", "Somali"),
    "fa": ("persia", "persiska", "Persian"),
    "prs": ("dari", "dari", "Dari"),
    "ps": ("pašto", "pashto", "Pashto"),
    "ku": ("kurdi", "kurdiska", "Kurdish"),
    "ckb": ("soranî", "sorani", "Sorani"),
    "tr": ("turkki", "turkiska", "Turkish"),
    "ti": ("tigrinja", "tigrinja", "Tigrinya"),
    "am": ("amhara", "amhariska", "Amharic"),
    "sw": ("swahili", "swahili", "Swahili"),
    "fr": ("ranska", "franska", "French"),
    "es": ("espanja", "spanska", "Spanish"),
    "pt": ("portugali", "portugisiska", "Portuguese"),
    "de": ("saksa", "tyska", "German"),
    "pl": ("puola", "polska", "Polish"),
    "ro": ("romania", "rumänska", "Romanian"),
    "bg": ("bulgaria", "bulgariska", "Bulgarian"),
    "lt": ("liettua", "litauiska", "Lithuanian"),
    "lv": ("latvia", "lettiska", "Latvian"),
    "sq": ("albania", "albanska", "Albanian"),
    "bs": ("bosnia", "bosniska", "Bosnian"),
    "hr": ("kroatia", "kroatiska", "Croatian"),
    "sr": ("serbia", "serbiska", "Serbian"),
    "zh": ("kiina", "kinesiska", "Chinese"),
    "vi": ("vietnam", "vietnamesiska", "Vietnamese"),
    "th": ("thai", "thailändska", "Thai"),
    "my": ("burma", "burmesiska", "Burmese"),
    "ne": ("nepali", "nepali", "Nepali"),
    "hi": ("hindi", "hindi", "Hindi"),
    "ur": ("urdu", "urdu", "Urdu"),
    "bn": ("bengali", "bengali", "Bengali"),
    "tl": ("tagalog", "tagalog", "Tagalog"),
    "fil": ("filipino", "filippinska", "Filipino"),
    "sgn": ("viittomakieli", "teckenspråk", "sign language"),
}


def language_name(code: str, language: str | None = None) -> str:
    names = LANGUAGES.get(code)
    if names is None:
        return code
    index = {"fi": 0, "sv": 1}.get((language or translation.get_language() or "fi")[:2], 2)
    return names[index]


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) in the reader's language, Finnish, Swedish and English first."""
    first = ["fi", "sv", "en"]
    rest = sorted(
        (code for code in LANGUAGES if code not in first),
        key=lambda code: language_name(code, language),
    )
    return [(code, language_name(code, language)) for code in first + rest]
