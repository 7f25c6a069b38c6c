"""Search benchmark: indexing time and query latency on 100,000 generated Finnish documents,
and recall@10 on a judged query set over the demo library, for Kotoverkko's search and for
PostgreSQL's built-in `finnish` configuration on the same entries.

    python bench/search.py                                # 100,000 documents, SQLite
    python bench/search.py --database-url "$DATABASE_URL" # SQLite, then PostgreSQL, and recall
    python bench/search.py --quick                        # 20,000 documents

The documents are made from a vocabulary of the field (base forms with inflected forms and
compounds, shipped below), with word frequencies falling off as in real text, so that the most
common words are in more than half of the documents. Rare terms are planted in a few dozen
documents each. Latency is one call of `search()` in-process (analysis of the query, the
database's full-text query, the page's rows and their snippets), as an anonymous visitor,
20 results a page. Targets (reported, not asserted): p95 <= 30 ms for rare and for very common
terms on both databases. The exit code is 0 unless the benchmark itself broke.

Recall: every document of the demo library (src/kotoverkko/library/demo_data, read at run time:
the documents, the meeting materials and the seed presentation) is indexed with its title,
description and text, and searched as the search page searches (in no particular language);
recall@10 is the share of a query's relevant documents among its first ten results. The judged
queries below name the documents each must find by title; when the data no longer has one of
them the benchmark stops before measuring. PostgreSQL's own search is to_tsvector and
plainto_tsquery over the same entries, with `finnish` for the Finnish queries and `swedish` for
the Swedish ones.

PostgreSQL: `--database-url` must be a throw-away database; what the benchmark indexes is of
its own types ("benchdoc", "benchjudged", "benchsimilar") and is removed at the end unless
--keep.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - the shared runner, environment and process helpers
from pages import BenchmarkBroke, bench_env  # noqa: E402

HERE = Path(__file__).resolve().parent
DEMO_DATA = HERE.parent / "src" / "kotoverkko" / "library" / "demo_data"
DOC_TYPE = "benchdoc"
JUDGED_TYPE = "benchjudged"
SIMILAR_TYPE = "benchsimilar"
BENCH_TYPES = [DOC_TYPE, JUDGED_TYPE, SIMILAR_TYPE]
TARGET_P95_MS = 30.0
SEED = 20240611

# The vocabulary: a base form and inflected forms of it, as they occur in text. Most words of
# the field are compounds (kotoutumis+koulutus), which is what the analyser splits.
VOCABULARY = """
kotoutuminen kotoutumisen kotoutumista kotoutumiseen kotoutumisessa
kotouttaminen kotouttamisen kotouttamista kotouttamiseen kotouttamisessa
maahanmuuttaja maahanmuuttajan maahanmuuttajat maahanmuuttajien maahanmuuttajille
maahanmuutto maahanmuuton maahanmuuttoa maahanmuutossa
kunta kunnan kunnassa kunnat kuntien kunnissa kuntiin kuntaan
palvelu palvelun palvelut palveluiden palveluissa palveluja
kotoutumislaki kotoutumislain kotoutumislakia kotoutumislaissa
kotoutumiskoulutus kotoutumiskoulutuksen kotoutumiskoulutuksessa kotoutumiskoulutukseen
koulutus koulutuksen koulutuksessa koulutukseen koulutukset koulutuksia
työllisyys työllisyyden työllisyyttä työllisyyspalvelut työllisyyspalveluiden
verkosto verkoston verkostossa verkostot verkostojen verkostoon
yhteistyö yhteistyön yhteistyössä yhteistyötä
järjestö järjestön järjestöt järjestöjen järjestöissä järjestöille
pakolainen pakolaisen pakolaiset pakolaisten pakolaisia
vastaanottokeskus vastaanottokeskuksen vastaanottokeskukset vastaanottokeskuksessa
turvapaikanhakija turvapaikanhakijan turvapaikanhakijat turvapaikanhakijoiden
kieli kielen kielellä kielet kielten kieliä
suomen suomea suomeksi ruotsiksi
lapsi lapsen lapset lasten lapsille lapsia
nuori nuoren nuoret nuorten nuorille
perhe perheen perheet perheiden perheille
asiakas asiakkaan asiakkaat asiakkaiden asiakkaille
ohjaus ohjauksen ohjauksessa ohjaukseen
neuvonta neuvonnan neuvonnassa neuvontaa
tarjotin tarjottimen tarjottimella tarjottimelle kotoutumistarjotin kotoutumistarjottimen
hanke hankkeen hankkeessa hankkeet hankkeiden
tilaisuus tilaisuuden tilaisuudessa tilaisuuteen tilaisuudet
tapaaminen tapaamisen tapaamisessa tapaamiseen verkostotapaaminen
kokous kokouksen kokouksessa kokoukseen kokoukset
alkuvaihe alkuvaiheen alkuvaiheessa alkuvaiheeseen
arviointi arvioinnin arvioinnissa alkukartoitus alkukartoituksen
suunnitelma suunnitelman suunnitelmassa kotoutumissuunnitelma kotoutumissuunnitelman
työ työn työssä työhön työtä kotouttamistyö kotouttamistyön
työpaikka työpaikan työpaikalla työpaikat
opiskelu opiskelun opiskelussa opiskeluun
opetus opetuksen opetuksessa opetukseen
oppilaitos oppilaitoksen oppilaitoksessa oppilaitokset
terveys terveyden terveydenhuolto terveydenhuollon terveydenhuollossa
hyvinvointialue hyvinvointialueen hyvinvointialueella hyvinvointialueet
elinvoimakeskus elinvoimakeskuksen elinvoimakeskuksessa
vapaaehtoinen vapaaehtoisen vapaaehtoiset vapaaehtoisten vapaaehtoistoiminta
seurakunta seurakunnan seurakunnassa seurakunnat
kaupunki kaupungin kaupungissa kaupungit kaupunkien
alue alueen alueella alueet alueiden alueelle
asuminen asumisen asumisessa asunto asunnon asunnot
kotitalous kotitalouden arki arjen arjessa
tuki tuen tukea tuessa tukena
toiminta toiminnan toiminnassa toimintaa toimintaan
kehittäminen kehittämisen kehittämisessä kehittämistä
käytäntö käytännön käytännöt käytäntöjen käytännössä
kokemus kokemuksen kokemukset kokemuksia kokemuksista
tieto tiedon tietoa tiedot tietoja
ryhmä ryhmän ryhmässä ryhmät ryhmiä
osallisuus osallisuuden osallisuutta osallistuminen osallistumisen
syrjintä syrjinnän syrjintää yhdenvertaisuus yhdenvertaisuuden
mielenterveys mielenterveyden mielenterveyttä
kielikahvila kielikahvilan kielikahvilassa kielikahvilat
tulkkaus tulkkauksen tulkkausta tulkki tulkin tulkit
rahoitus rahoituksen rahoitusta rahoittaja rahoittajan
viranomainen viranomaisen viranomaiset viranomaisten
sosiaalityö sosiaalityön sosiaalityöntekijä sosiaalityöntekijän sosiaalityöntekijät
ammatillinen ammatillisen ammatillista ammatillisessa
kansalaisopisto kansalaisopiston kansalaisopistossa
kirjasto kirjaston kirjastossa kirjastot
liikunta liikunnan liikuntaa hiihtokurssi hiihtokurssin
harrastus harrastuksen harrastukset harrastuksia
naiset naisten naisille äiti äidin äidit äitien
vanhempi vanhemman vanhemmat vanhempien
koulu koulun koulussa kouluun koulut koulujen
päiväkoti päiväkodin päiväkodissa päiväkodit varhaiskasvatus varhaiskasvatuksen
tilasto tilaston tilastot tilastoja maahanmuuttotilasto
strategia strategian strategiassa maahanmuuttostrategia
ohjelma ohjelman ohjelmassa kotouttamisohjelma kotouttamisohjelman
laki lain lakia laissa lakiin lait
muutos muutoksen muutokset muutoksia
vuosi vuoden vuonna vuosina vuosien
kevät keväällä syksy syksyllä kesä kesällä talvi talvella
ilta illan illalla aamu aamulla päivä päivän päivällä
""".strip()

PLACES = """
Lappi Lapin Lapissa Lappiin
Rovaniemi Rovaniemen Rovaniemellä
Kemi Kemin Kemissä
Tornio Tornion Torniossa
Kemijärvi Kemijärven Kemijärvellä
Sodankylä Sodankylän Sodankylässä
Pohjanmaa Pohjanmaan Pohjanmaalla
Vaasa Vaasan Vaasassa
Kokkola Kokkolan Kokkolassa
Pietarsaari Pietarsaaren Pietarsaaressa
Oulu Oulun Oulussa
""".strip()

# Words planted in a few dozen documents each: the rare terms the latency figures look for.
RARE_WORDS = [
    "saamenkielinen",
    "poronhoito",
    "revontulet",
    "tunturikylä",
    "jäänmurtaja",
    "lohenkalastus",
    "hillasuo",
    "kaamosaika",
    "pilkkikilpailu",
    "moottorikelkka",
    "kalastusretki",
    "lumikenkäily",
]
RARE_FORMS = {
    "saamenkielinen": ["saamenkielisen", "saamenkielisille", "saamenkieliset"],
    "poronhoito": ["poronhoidon", "poronhoidossa", "poronhoitoon"],
    "revontulet": ["revontulten", "revontulia", "revontulista"],
    "tunturikylä": ["tunturikylän", "tunturikylässä", "tunturikylään"],
    "jäänmurtaja": ["jäänmurtajan", "jäänmurtajalla", "jäänmurtajaan"],
    "lohenkalastus": ["lohenkalastuksen", "lohenkalastuksessa", "lohenkalastusta"],
    "hillasuo": ["hillasuon", "hillasuolla", "hillasuolle"],
    "kaamosaika": ["kaamosajan", "kaamosaikana", "kaamosaikaan"],
    "pilkkikilpailu": ["pilkkikilpailun", "pilkkikilpailussa", "pilkkikilpailuun"],
    "moottorikelkka": ["moottorikelkan", "moottorikelkalla", "moottorikelkkoja"],
    "kalastusretki": ["kalastusretken", "kalastusretkellä", "kalastusretkelle"],
    "lumikenkäily": ["lumikenkäilyn", "lumikenkäilyssä", "lumikenkäilyä"],
}
RARE_DOCUMENTS = 40  # documents each rare word is planted in

COMMON_QUERIES = ["kotoutuminen", "maahanmuuttaja", "kunnat", "palvelu", "kotoutuminen kunta"]
RARE_QUERIES = [*RARE_WORDS[:8], "revontulet Rovaniemi", "poronhoito saamenkielinen"]
MIXED_QUERIES = ["kotoutumiskoulutus Lapissa", "pakolaisten vastaanotto", "kielikahvila Kemi"]

# The judged set: queries a coordinator or a front-line worker would type, each with the titles
# of the demo library's documents it must find (src/kotoverkko/library/demo_data, read at run
# time). A document is relevant when the query's subject is what it is about, or a part of it
# with a paragraph or a slide of its own; a passing mention is not enough. The judgements were
# made by reading the documents, not from what either search returns.
JUDGED_QUERIES: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {
        "kotoutumislain muutokset": (
            "KOTOLAKI TULEE OLETKO VALMIS? Vanhempi hallitussihteeri Juha-Pekka Suomi",
            "Uusi kotoutumislaki 1.1.2025",
            "Kotoutumisen selonteko ja kotoutumislain uudistus",
            "Uuden kotoutumislain toimeenpano",
            "MAAKUNTAUUDISTUKSEN VAIKUTUKSIA LAKIIN KOTOUTUMISEN EDISTÄMISESTÄ. "
            "Maahanmuuttojohtaja Sonja Hämäläinen Työllisyys- ja yrittäjyysosasto",
        ),
        "pakolaisten kuntaan sijoittaminen": (
            "Pakolaisten kuntiin sijoittaminen Satakunnassa vuonna Marja Karvonen Satakunnan "
            "elinkeino-, liikenneja ympäristökeskus",
            "Ajankohtaista pakolaisten kuntaanohjaamisessa. Katja Vänskä-Rajala Työ- ja "
            "elinkeinoministeriö Kuntamarkkinat",
            "ELY-keskuksen rooli laajamittaisessa maahantulossa ja pakolaisten kuntiin "
            "sijoittamisessa",
            "OSKU- hanke Täsmäohjaus kuntiin siirtymisen tueksi",
        ),
        "maahanmuuttajalasten koulutus": (
            "Maahanmuuttajalasten ja nuorten kotouttamispalveluiden kehittämishanke. Nuoret "
            "Oulun kaupungin Maahanmuuttajapalveluissa",
            "Tuumasta toimeen lasten kasvun tukemisen resurssit luovasti käyttöön hanke "
            "Maahanmuuttajalapsen kotoutumissuunnitelma",
        ),
        "alkuvaiheen ohjaus ja neuvonta": (
            "MINFO - Maahanmuuttajien alkuvaiheen neuvonnan ja ohjauksen kehittäminen",
            "Kouvolan kaupungin maahanmuuttopalvelut",
            "Kotona Suomessa-toimenpidekokonaisuuden tavoite",
        ),
        "Lapin maahanmuuttotilastot": (
            "Lapin maahanmuuttotilastoja Anne-Mari Suopajärvi Lapin ELY-keskus",
        ),
        "turvapaikanhakijat vastaanottokeskuksissa": (
            "Turvapaikanhakijamäärät ja vastaanottokeskustilanne Maahanmuuttoasian toimikunta",
            "Turvapaikanhakijoiden määrän kasvu, vastaanottokeskukset ja kuntapaikat. Pohjanmaan "
            "ELY-keskus (Lähteet ELY-keskus ja Maahanmuuttovirasto)",
            "Maahanmuutto- ja pakolaistilanne Lapissa",
        ),
        "kotoutumiskoulutuksen jatkopolut": (
            "Siirtymä kotoutumiskoulutuksesta ammatilliseen koulutukseen",
            "Maahanmuuttajat Hämeessä Kotoutuminen ja koulutus",
            "ELY-keskukset ja yhteistyö ammatillisen koulutuksen kanssa",
            "Aikuisten maahanmuuttajien kotoutumiskoulutuksen näkymiä",
            "Ohjauksen polku: alkukartoituksesta koulutukseen",
        ),
        "Punaisen Ristin vapaaehtoiset": (
            "Kotoutumisen tukena. Vinkkejä Punaisen Ristin osastoille alkuvaiheen kotoutumisen "
            "tueksi",
            "Autettavasta auttajaksi Punaisessa Ristissä",
            "Maahanmuuttajan kohtaaminen TURVAA JA SUOJAA",
            "Vapaaehtoistoiminta antaa iloa!",
        ),
        "kirjastot ja kielikahvilat": ("Monikulttuurista kirjastoa etsimässä -hanke",),
        "maahanmuuttajanuoret": (
            "Kotouttamisen ABC. Nuorten maahanmuuttajien kotoutumisen tukena Emine Ehrström "
            "kokemukset ja hyvät käytänteet Aluekoordinaattori",
            "Miina Pyylehto, Mosaiikki-projekti",
            "Monikulttuurista osaamista Ohjaamoihin -projekti",
            "Maahanmuuttajalasten ja nuorten kotouttamispalveluiden kehittämishanke. Nuoret "
            "Oulun kaupungin Maahanmuuttajapalveluissa",
            "TRUST-hankkeen havaintoja yksin tulleiden nuorten kokemuksista ja muistoista "
            "TRUST-koulutukset Anna-Kaisa Kuusisto, Tampereen yliopisto",
        ),
        "yksin tulleet alaikäiset": (
            "TRUST-hankkeen havaintoja yksin tulleiden nuorten kokemuksista ja muistoista "
            "TRUST-koulutukset Anna-Kaisa Kuusisto, Tampereen yliopisto",
            "TRUST hankeen OHRY II",
            "Maahanmuuttajalasten ja nuorten kotouttamispalveluiden kehittämishanke. Nuoret "
            "Oulun kaupungin Maahanmuuttajapalveluissa",
        ),
        "kotouttamisohjelman seuranta": (
            "Kotouttamisohjelman seurantatiedot. Teemu Haapalehto Maahanmuuttoasioiden päällikkö",
            "Valtuutettu Mika Koiviston ym. valtuutettujen aloite seudullisen "
            "kotouttamisohjelman kustannusseurannasta",
            "Ajankohtaista Päijät-Hämeen maahanmuuttoohjelman",
            "Monikulttuurisuusohjelman arviointi Tiedonantotilaisuus kaupunginvaltuustolle "
            "Pirkko Melville (ja Elina Hienola)",
        ),
        "kolmas sektori ja kotoutuminen": (
            "Alkuvaiheen kotoutumisen tukeminen kolmannen sektorin ja viranomaisten yhteistyönä",
            "Kotoutumisen järjestönäkökulmia",
            "Maahanmuuton haasteet ja kolmas sektori",
            "Kumppanuushanke Verso",
            "Järjestöjen kotouttava työ Lapissa",
        ),
        "kotoutumistarjotin": (
            "Alkuvaiheen kotoutumisen tukeminen kolmannen sektorin ja viranomaisten yhteistyönä",
            "Järjestöjen kotouttava työ Lapissa",
        ),
        "terveydenhuolto ja tulkkaus": ("Kotouttaminen terveydenhuollossa",),
        "maahanmuuttajien työllistyminen": (
            "Osaavaa työvoimaa maahanmuuttajista",
            "Pohjois-Karjalan kotoutumisen toimintamalli. Työ kotouttaa MEIJÄN ekosysteemi. "
            "Mia Sevonius-Male maahanmuuttoasiantuntija",
            "POINTTI - maahanmuuttajat työvoimaksi Etelä-Savossa",
        ),
        "Lapin kotouttamisen ajankohtaiskatsaus": (
            "Kotouttamisen ajankohtaiskatsaus Anne-Mari Suopajärvi/Lapin ELY-keskus. Rovaniemen "
            "MAKO-verkoston kokous",
            "Ajankohtaiskatsaus Lapin maahanmuutto- ja kotouttamisasioihin",
            "Katsaus maahanmuuton ja kotouttamisen ajankohtaisiin asioihin Lapissa",
        ),
        "MAKO-verkostot Lapissa": (
            "Maahanmuutto- ja kotouttamistyön (MAKO) verkoston tausta",
            "Alueellisten MAKO-verkostojen toimintasuunnitelmat 2017",
            "Sanna Hiltunen, Itä-Lapin MAKO-verkosto , Kemijärvi",
        ),
        "maakunnan maahanmuuttostrategia": (
            "Itä-Suomen maahanmuuttostrategia 2017",
            "SATAKUNNAN MAAHANMUUTTOSTRATEGIA",
        ),
        "pakolaisten vastaanotto kunnassa": (
            "Maahanmuuttajien kotoutumisen edistäminen. Pakolaiskoordinaattori Anja Sarasoja "
            "Ohjaaja Guure Huubow",
            "Maahanmuuttajapalvelut. Pakolaistaustaisten asiakkaiden vastaanotto ja palvelut "
            "Elina Hienola",
            "Kuntien välinen yhteistyö pakolaisten vastaanotossa. Maahanmuuttotyön koordinaattori "
            "Nina Herd, Iisalmi",
        ),
        "kuntakorvaukset": (
            "Kotouttamisen sopimukset ja kuntakorvaukset (Laki kotoutumisen edistämisestä "
            "1386/2010) Keski-Suomen ELY-keskus, Sari Jokinen, 12.1.",
        ),
        "kotoutumiskoulutus ruotsiksi": (
            "Språkbad och svenska som integrationsspråk",
            "Nya modeller för integrationsutbildning",
            "ELY-keskuksen aluetapaaminen Porvoossa",
        ),
        "maahanmuuttajaperheiden tukeminen": (
            "Juuret ja Siivet Kainuussa",
            "Pirkanmaan LAPE Pippuri KOHTAAMISPAIKKATOIMINNAN KEHITTÄMINEN ERI ASIAKASRYHMIEN "
            "TARPEET HUOMIOIDEN OHJELMA:",
            "Keski-Suomen SOTE hanke LAPSET, NUORET JA PERHEET VISIO KORJAAVASTA TUKEVAAN, "
            "YKSILÖSTÄ VERKOSTOON",
        ),
        "turvallisuusneuvonta": ("Maahanmuuttajien turvallisuuden edistäminen",),
        "Ukrainasta paenneet": (
            "ELY-keskuksen rooli laajamittaisessa maahantulossa ja pakolaisten kuntiin "
            "sijoittamisessa",
            "Järjestöjen kotouttava työ Lapissa",
        ),
    },
    "sv": {
        "förläggningar för asylsökande": (
            "Turvapaikanhakijoiden määrän kasvu, vastaanottokeskukset ja kuntapaikat. Pohjanmaan "
            "ELY-keskus (Lähteet ELY-keskus ja Maahanmuuttovirasto)",
        ),
        "integrationsutbildning på svenska": (
            "Språkbad och svenska som integrationsspråk",
            "Nya modeller för integrationsutbildning",
        ),
        "frivilliga i Röda Korset": ("Vapaaehtoistoiminta antaa iloa!",),
        "invandrarkvinnors delaktighet": ("Helvi Sipilä seminaari",),
        "kommunens roll i integrationen": ("Maahanmuuttajasta kuntalaiseksi",),
    },
}
# PostgreSQL's built-in configuration for the language of a judged query.
POSTGRES_CONFIGURATIONS = {"fi": "finnish", "sv": "swedish"}
MIN_RELEVANT, MAX_RELEVANT = 1, 6


def step(message: str) -> None:
    print("· " + message, flush=True)


# Generated documents -------------------------------------------------------------------------


def _lemmas() -> list[list[str]]:
    return [line.split() for line in (VOCABULARY + "\n" + PLACES).splitlines() if line.strip()]


def _documents(count: int):
    """(object id, title, body) of generated documents; word frequencies follow Zipf's law
    over the lemmas, so the first ones are in most documents."""
    rng = random.Random(SEED)
    lemmas = _lemmas()
    rng.shuffle(lemmas)
    # Put the field's own words first: they are the very common ones.
    lemmas.sort(key=lambda forms: not forms[0].startswith(("kotout", "maahanmuut", "kun", "pal")))
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(lemmas))]
    planted: dict[int, list[str]] = {}
    for word in RARE_WORDS:
        for object_id in rng.sample(range(1, count + 1), RARE_DOCUMENTS):
            planted.setdefault(object_id, []).append(word)
    places = [forms for forms in lemmas if forms[0][0].isupper()]
    for object_id in range(1, count + 1):
        length = rng.randint(60, 200)
        chosen = rng.choices(lemmas, weights=weights, k=length)
        words = [rng.choice(forms) for forms in chosen]
        for word in planted.get(object_id, []):
            words.insert(rng.randrange(len(words)), rng.choice([word, *RARE_FORMS[word]]))
        sentences, position = [], 0
        while position < len(words):
            size = rng.randint(6, 14)
            sentence = " ".join(words[position : position + size])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            position += size
        title_words = [rng.choice(forms) for forms in rng.choices(lemmas, weights=weights, k=4)]
        title_words.append(rng.choice(rng.choice(places)))
        title = " ".join(title_words)
        yield object_id, title[:1].upper() + title[1:], " ".join(sentences)


# The judged collection: the demo library -----------------------------------------------------


@dataclass(frozen=True)
class LibraryDocument:
    """One document of the demo library as the benchmark indexes it. `key` is the title the
    data files give it and the judgements name it by; `titles` holds its title in each
    language the data has (a Swedish document has a Finnish title too, as in the library)."""

    key: str
    language: str
    year: int
    body: str
    titles: dict[str, str]

    @property
    def title(self) -> str:
        return self.titles.get(self.language, self.key)

    @property
    def other_titles(self) -> dict[str, str]:
        return {language: t for language, t in self.titles.items() if t != self.title}


def _demo_data(name: str):
    with (DEMO_DATA / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def demo_library() -> list[LibraryDocument]:
    """Every document of the demo library's data files, read now: the documents of the similar
    list (whose `title` is the Finnish one), the meeting materials (their pages' text; `title`
    in the material's language) and the seed presentation (its slides)."""
    library = [
        LibraryDocument(
            key=row["title"],
            language=row["language"],
            year=int(row["date"][:4]),
            body=f"{row['description']}\n\n{row['text']}",
            titles={"fi": row["title"]} | ({"sv": row["title_sv"]} if "title_sv" in row else {}),
        )
        for row in _demo_data("documents.json")
    ]
    for row in _demo_data("materials.json"):
        pages_text = "\n\n".join("\n".join(page) for page in row["pages"])
        library.append(
            LibraryDocument(
                key=row["title"],
                language=row["language"],
                year=row["event"]["year"],
                body=f"{row['description']}\n\n{pages_text}",
                titles={row["language"]: row["title"]}
                | ({"fi": row["title_fi"]} if "title_fi" in row else {}),
            )
        )
    seed = _demo_data("presentation.json")
    library.append(
        LibraryDocument(
            key=seed["title"],
            language=seed["language"],
            year=int(seed["date"][:4]),
            body=seed["description"] + "\n\n" + "\n\n".join(seed["slides"]),
            titles={seed["language"]: seed["title"]},
        )
    )
    return library


def judged_check(library: list[LibraryDocument]) -> None:
    """Refuse to measure when the judgements no longer fit the data: a judged title that is
    not in the library, two documents with one title, a query with too few or too many."""
    titles = Counter(document.key for document in library)
    problems = [f"two documents are titled {title!r}" for title, n in titles.items() if n > 1]
    for language, queries in JUDGED_QUERIES.items():
        if language not in POSTGRES_CONFIGURATIONS:
            problems.append(f"no PostgreSQL configuration for the language {language!r}")
        for query, relevant in queries.items():
            if not MIN_RELEVANT <= len(set(relevant)) <= MAX_RELEVANT:
                problems.append(f"{query!r} has {len(set(relevant))} relevant documents")
            problems.extend(
                f"{query!r}: no document titled {title!r}"
                for title in relevant
                if not titles[title]
            )
    if problems:
        raise BenchmarkBroke(
            f"the judged query set does not fit the demo library in {DEMO_DATA}:\n  "
            + "\n  ".join(problems)
        )


# The child process: generate, index and measure in one database ------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotoverkko.conf.settings")
    import django

    django.setup()
    from django.conf import settings

    if "kotoverkko.search" not in settings.INSTALLED_APPS:
        raise SystemExit("kotoverkko.search is not in INSTALLED_APPS.")


def _wipe() -> None:
    from kotoverkko.search.models import Entry, IndexedTerm

    Entry.objects.filter(type__in=BENCH_TYPES).delete()
    IndexedTerm.objects.filter(type__in=BENCH_TYPES).delete()


def _refuse_foreign_rows() -> None:
    from django.db import connection

    from kotoverkko.search.models import Entry

    if connection.vendor == "postgresql" and Entry.objects.exclude(type__in=BENCH_TYPES).exists():
        raise SystemExit("The database holds search entries the benchmark did not make.")


def _entry_data(object_id: int, title: str, body: str, type: str):
    from kotoverkko.search.index import EntryData

    return EntryData(
        type=type,
        object_id=object_id,
        title=title,
        body=body,
        language="fi",
        url=f"/fi/bench/{object_id}/",
        year=2015 + object_id % 11,
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _latency(queries: list[str], rounds: int, filters=None) -> dict:
    from kotoverkko.search.selectors import SearchFilters, search

    filters = filters or SearchFilters(type=DOC_TYPE)
    for query in queries:  # warm the caches: the analyser's and the database's
        search(query, user=None, filters=filters)
    timings, found, capped = [], {}, {}
    for _round in range(rounds):
        for query in queries:
            started = time.perf_counter()
            results = search(query, user=None, filters=filters)
            timings.append((time.perf_counter() - started) * 1000)
            found[query] = results.total
            capped[query] = results.capped
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": _percentile(timings, 0.95),
        "max_ms": max(timings),
        "found": found,
        "capped": capped,
    }


def _judged_entries(library: list[LibraryDocument]):
    from kotoverkko.search.index import EntryData

    for object_id, document in enumerate(library, start=1):
        yield EntryData(
            type=JUDGED_TYPE,
            object_id=object_id,
            title=document.title,
            body=document.body,
            language=document.language,
            url=f"/fi/bench/judged/{object_id}/",
            year=document.year,
            titles_by_language=document.other_titles,
        )


def _recall(library: list[LibraryDocument]) -> dict:
    """recall@10 of the judged queries for Kotoverkko's search (as the search page asks, in no
    particular language) and, on PostgreSQL, for to_tsvector/plainto_tsquery with the built-in
    configuration of the query's language over the same titles and texts; with the relevant
    documents each left out of its first ten, and where it ranked them."""
    from django.db import connection

    from kotoverkko.search.selectors import MAX_PER_PAGE, SearchFilters, search

    titles = {object_id: document.key for object_id, document in enumerate(library, start=1)}
    ours: dict[str, float] = {}
    missed: dict[str, list[tuple[str, int | None]]] = {}
    theirs: dict[str, float] = {}
    for language, queries in JUDGED_QUERIES.items():
        configuration = POSTGRES_CONFIGURATIONS[language]
        for query, relevant in queries.items():
            relevant_titles = set(relevant)
            # One page of all the results (the first ten are the same as on a page of ten),
            # so that a miss shows whether it was found further down or not at all.
            results = search(
                query, user=None, filters=SearchFilters(type=JUDGED_TYPE), per_page=MAX_PER_PAGE
            )
            ranks = {titles[hit.id]: rank for rank, hit in enumerate(results.hits, start=1)}
            found = {title for title, rank in ranks.items() if rank <= 10}
            ours[query] = len(found & relevant_titles) / len(relevant_titles)
            missed[query] = [(title, ranks.get(title)) for title in relevant if title not in found]
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "WITH document AS (SELECT object_id, to_tsvector(%(configuration)s::regconfig, "
                    "concat_ws(' ', title, titles->>'fi', titles->>'sv', titles->>'en', text)) "
                    "AS vector FROM search_entry WHERE type = %(type)s) "
                    "SELECT object_id FROM document, "
                    "plainto_tsquery(%(configuration)s::regconfig, %(query)s) AS query "
                    "WHERE vector @@ query ORDER BY ts_rank_cd(vector, query) DESC, object_id "
                    "LIMIT 10",
                    {"configuration": configuration, "type": JUDGED_TYPE, "query": query},
                )
                found = {titles[row[0]] for row in cursor.fetchall()}
            theirs[query] = len(found & relevant_titles) / len(relevant_titles)
    return {"ours": ours, "missed": missed, "postgres": theirs or None}


def _similar_time(count: int) -> dict:
    """A full recompute of similar documents over the first `count` generated documents."""
    from kotoverkko.search.index import index_entries_replace
    from kotoverkko.search.models import SimilarEntry
    from kotoverkko.search.similar import similar_recompute_all

    type = SIMILAR_TYPE
    started = time.perf_counter()
    index_entries_replace(
        type, (_entry_data(i, t, b, type) for i, t, b in _documents(count)), similar=False
    )
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    similar_recompute_all(type)
    seconds = time.perf_counter() - started
    pairs = SimilarEntry.objects.filter(entry__type=type).count()
    index_entries_replace(type, [], similar=False)
    return {"documents": count, "index_s": indexed, "similar_s": seconds, "pairs": pairs}


def child(args) -> None:
    _setup_django()
    from django.db import connection

    from kotoverkko.search.analyser import analyser_status
    from kotoverkko.search.index import index_entries_replace, index_entry_save

    if args.command == "wipe":
        _wipe()
        print(json.dumps({"wiped": True}))
        return
    _refuse_foreign_rows()
    _wipe()
    result: dict = {"database": connection.vendor, "analyser": analyser_status().finnish}
    started = time.perf_counter()
    index_entries_replace(
        DOC_TYPE,
        (_entry_data(i, t, b, DOC_TYPE) for i, t, b in _documents(args.documents)),
        similar=False,
    )
    result["index_s"] = time.perf_counter() - started
    result["documents"] = args.documents
    # One document at a time, as a saved document is indexed.
    started = time.perf_counter()
    for object_id, title, body in _documents(200):
        index_entry_save(**asdict(_entry_data(args.documents + object_id, title, body, DOC_TYPE)))
    result["single_ms"] = (time.perf_counter() - started) * 1000 / 200
    library = demo_library()
    index_entries_replace(JUDGED_TYPE, _judged_entries(library), similar=False)
    result["judged_documents"] = len(library)
    result["rare"] = _latency(RARE_QUERIES, args.rounds)
    result["common"] = _latency(COMMON_QUERIES, args.rounds)
    result["mixed"] = _latency(MIXED_QUERIES, args.rounds)
    result["recall"] = _recall(library)
    if args.similar:
        result["similar"] = _similar_time(args.similar)
    print(json.dumps(result))


# The parent process ----------------------------------------------------------------------------


def _run_child(env: dict[str, str], options) -> dict:
    done = subprocess.run(
        [
            *(sys.executable, str(Path(__file__).resolve()), "measure"),
            *("--documents", str(options.documents), "--rounds", str(options.rounds)),
            *("--similar", str(options.similar)),
        ],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(options, data_dir: Path, servers: list) -> None:
    library = demo_library()
    judged_check(library)
    step(f"judged set: {_judged_count()} queries over {len(library)} demo library documents")
    figures = []
    databases = [("SQLite", None)]
    if options.database_url:
        databases.append(("PostgreSQL", options.database_url))
    for label, url in databases:
        env = bench_env(data_dir, url)
        step(f"{label}: migrating in {data_dir}")
        pages.kotoverkko(["migrate", "--noinput", "-v", "0"], env)
        step(f"{label}: indexing {options.documents:,} documents and measuring")
        figures.append((label, _run_child(env, options)))
    report(options, figures)


def _verdict(p95: float) -> str:
    return "PASS" if p95 <= TARGET_P95_MS else "FAIL"


def report(options, figures: list[tuple[str, dict]]) -> None:
    print()
    for label, result in figures:
        print(
            f"{label} ({result['analyser']} for Finnish): {result['documents']:,} documents "
            f"indexed in {result['index_s']:.1f} s "
            f"({result['documents'] / result['index_s']:,.0f}/s); "
            f"one document saved at a time: {result['single_ms']:.1f} ms each"
        )
        print(f"  {'queries':<10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target  result  found")
        for kind in ("rare", "common", "mixed"):
            figures_ = result[kind]
            found = ", ".join(
                f"{q} {n:,}{'+' if figures_['capped'][q] else ''}"
                for q, n in figures_["found"].items()
            )
            target = f"<= {TARGET_P95_MS:g}" if kind != "mixed" else ""
            verdict = _verdict(figures_["p95_ms"]) if kind != "mixed" else ""
            print(
                f"  {kind:<10} {figures_['p50_ms']:>8.2f} {figures_['p95_ms']:>8.2f} "
                f"{figures_['max_ms']:>8.2f}  {target:>6}  {verdict:>6}  {found}"
            )
        if similar := result.get("similar"):
            print(
                f"  similar documents: {similar['documents']:,} documents, full recompute "
                f"{similar['similar_s']:.1f} s ({similar['pairs']:,} pairs stored)"
            )
    print()
    _report_recall(figures)


def _judged_count() -> int:
    return sum(len(queries) for queries in JUDGED_QUERIES.values())


def _shortened(title: str, width: int = 60) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


def _report_recall(figures: list[tuple[str, dict]]) -> None:
    rows = [(label, result["recall"]) for label, result in figures]
    postgres = next((r["postgres"] for _label, r in rows if r["postgres"]), None)
    width = max(len(query) for queries in JUDGED_QUERIES.values() for query in queries) + 2
    columns = [label for label, _r in rows] + (["PG built-in"] if postgres else [])
    languages = {"fi": "Finnish", "sv": "Swedish"}
    counts = ", ".join(
        f"{len(queries)} {languages.get(language, language)}"
        for language, queries in JUDGED_QUERIES.items()
    )
    print(
        f"recall@10 over the demo library ({figures[0][1]['judged_documents']} documents), "
        f"{counts} queries; Kotoverkko's search on each database"
        + (
            ", and PostgreSQL's built-in configuration of the query's language:"
            if postgres
            else ":"
        )
    )
    print(f"{'judged query':<{width}}{'relevant':>9}" + "".join(f"{c:>13}" for c in columns))

    def line(name: str, queries: list[str], relevant: str = "") -> str:
        text = f"{name:<{width}}{relevant:>9}"
        text += "".join(
            f"{statistics.mean(r['ours'][q] for q in queries):>13.2f}" for _l, r in rows
        )
        if postgres:
            text += f"{statistics.mean(postgres[q] for q in queries):>13.2f}"
        return text

    for queries in JUDGED_QUERIES.values():
        for query, relevant in queries.items():
            print(line(query, [query], str(len(set(relevant)))))
    for language, queries in JUDGED_QUERIES.items():
        name = f"mean, {languages.get(language, language)}"
        if postgres:
            name += f" (PG {POSTGRES_CONFIGURATIONS[language]})"
        print(line(name, list(queries)))
    everything = [query for queries in JUDGED_QUERIES.values() for query in queries]
    mean = line("mean", everything)
    if not postgres:
        mean += "   (PostgreSQL's built-in configurations: needs --database-url)"
    print(mean)
    shown = None
    for label, recall in rows:
        missed = {query: titles for query, titles in recall["missed"].items() if titles}
        if missed == shown:
            continue
        shown = missed
        print(f"\nRelevant documents not in Kotoverkko's first ten ({label}):")
        for query, titles in missed.items():
            print(
                f"  {query}: "
                + "; ".join(
                    f"{_shortened(title)} ({f'ranked {rank}' if rank else 'not matched'})"
                    for title, rank in titles
                )
            )
        if not missed:
            print("  none")


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(prog="bench/search.py", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 documents")
    parser.add_argument("--documents", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=20, help="rounds of each query set")
    parser.add_argument(
        "--similar",
        type=int,
        default=10_000,
        help="documents for the similar-documents recompute (0: not measured)",
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args(argv)
    options.documents = options.documents or (20_000 if options.quick else 100_000)
    if options.quick:
        options.similar = min(options.similar, 2_000)
    return options


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("measure", "wipe"):
        child_parser = argparse.ArgumentParser(prog="bench/search.py " + argv[0])
        child_parser.add_argument("--documents", type=int, default=100_000)
        child_parser.add_argument("--rounds", type=int, default=20)
        child_parser.add_argument("--similar", type=int, default=0)
        args = child_parser.parse_args(argv[1:])
        args.command = argv[0]
        child(args)
        return 0
    options = parse_args(argv)
    try:
        return pages.run_benchmark(
            options, run, data_script="search.py", prefix="kotoverkko-bench-search-"
        )
    except BenchmarkBroke as error:
        print(f"The benchmark broke: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
