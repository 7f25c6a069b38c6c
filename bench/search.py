"""Search benchmark: indexing time and query latency on 100,000 generated Finnish documents,
and recall@10 on a judged query set over demo-like library content, for Kotoverkko's search
and for PostgreSQL's built-in `finnish` configuration on the same data.

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
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - the shared runner, environment and process helpers
from pages import BenchmarkBroke, bench_env  # noqa: E402

HERE = Path(__file__).resolve().parent
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

# The judged set: demo-like library documents (titles of a network's materials, with a line
# of description) and queries with the documents each must find.
JUDGED_DOCUMENTS = {
    1: ("Uusi kotoutumislaki ja kotiäidit", "Mitä uusi laki tarkoittaa kotona oleville äideille."),
    2: (
        "Kotoutumislaki uudistuu. Kotoutumislain toimeenpano Lahdessa",
        "Kunnan tehtävät ja palvelut uuden lain mukaan.",
    ),
    3: (
        "Kotoutumislaki – tavoitteet, keskeisimmät uudistukset ja toimeenpano",
        "Esitys lain tavoitteista ja siirtymäajasta.",
    ),
    4: (
        "Maahanmuuttajakoulutus työkenttänä: kotoutumislain näkökulma",
        "Verkostoyhteistyön onnistumisen edellytykset oppilaitoksissa.",
    ),
    5: (
        "Aikuisten maahanmuuttajien kotoutumiskoulutuksen näkymiä",
        "Koulutuksen järjestäjien kokemuksia ja tulevat hankinnat.",
    ),
    6: (
        "Maahanmuuttajat Hämeessä: kotoutuminen ja koulutus",
        "Alueen tilanne ja oppilaitosten yhteistyö.",
    ),
    7: (
        "ELY-keskukset ja yhteistyö ammatillisen koulutuksen kanssa",
        "Työvoimakoulutus ja ammatillinen opetus maahanmuuttajille.",
    ),
    8: (
        "Maahanmuuttajalasten ja nuorten kotouttamispalveluiden kehittämishanke",
        "Nuoret Oulun kaupungin maahanmuuttajapalveluissa.",
    ),
    9: (
        "Maahanmuuttajalapsen kotoutumissuunnitelma",
        "Tuumasta toimeen: lasten kasvun tukemisen resurssit luovasti käyttöön.",
    ),
    10: (
        "Lapin maahanmuuttotilastoja",
        "Ulkomaan kansalaisten määrä maakunnan kunnissa vuosittain.",
    ),
    11: ("Maahanmuutto- ja pakolaistilanne Lapissa", "Katsaus vastaanottoon ja kuntapaikkoihin."),
    12: (
        "Katsaus maahanmuuton ja kotouttamisen ajankohtaisiin asioihin Lapissa",
        "MAKO-verkoston kokouksen alustus.",
    ),
    13: (
        "Ajankohtaiskatsaus Lapin maahanmuutto- ja kotouttamisasioihin",
        "Elinvoimakeskuksen katsaus verkostolle.",
    ),
    14: (
        "Vieraskielinen ja venäjänkielinen väestö Eksoten alueen kunnissa",
        "Väestötietoja ja palvelutarpeita.",
    ),
    15: (
        "Kunnan rooli alkuvaiheen kotouttamisessa",
        "Johtava sosiaalityöntekijä kertoo kunnan maahanmuuttajapalveluista.",
    ),
    16: (
        "Pakolaisten kuntiin sijoittaminen Satakunnassa",
        "Kuntapaikkojen sopiminen ja kuntakorvaukset.",
    ),
    17: (
        "Kotoutuja kunnassa – mitä teen, minne ohjaan, mistä tietoa?",
        "Opas työntekijöille asiakkaan ohjaamiseen.",
    ),
    18: ("Maahanmuuttopalvelut – selkoesite", "Selkokielinen esite palveluista."),
    19: ("Kouvolan kaupungin maahanmuuttopalvelut", "Palvelut ja yhteystiedot."),
    20: (
        "Ajankohtaista pakolaisten kuntaanohjaamisessa",
        "Työ- ja elinkeinoministeriön katsaus kuntamarkkinoilla.",
    ),
    21: (
        "Turvapaikanhakijoiden määrän kasvu, vastaanottokeskukset ja kuntapaikat",
        "Pohjanmaan tilanne; lähteinä ELY-keskus ja Maahanmuuttovirasto.",
    ),
    22: (
        "Turvapaikanhakijamäärät ja vastaanottokeskustilanne",
        "Maahanmuuttoasian toimikunnan katsaus.",
    ),
    23: ("Itä-Suomen maahanmuuttostrategia 2017", "Strategian tavoitteet ja toimenpiteet."),
    24: ("Satakunnan maahanmuuttostrategia", "Maakunnan yhteinen strategia."),
    25: ("Osaavaa työvoimaa maahanmuuttajista", "Rekrytointi ja työllistyminen."),
    26: ("POINTTI – maahanmuuttajat työvoimaksi Etelä-Savossa", "Hankkeen tulokset."),
    27: (
        "Kotoutumisen tukena. Vinkkejä Punaisen Ristin osastoille alkuvaiheen kotoutumisen tueksi",
        "Vapaaehtoisten toimintaa osastoissa.",
    ),
    28: ("Autettavasta auttajaksi Punaisessa Ristissä", "Maahanmuuttajat vapaaehtoisina."),
    29: (
        "Valtion kotouttamisohjelma. Kotouttamisen kumppanuusohjelma",
        "Ohjelman painopisteet.",
    ),
    30: ("Kotouttamisohjelman seurantatiedot", "Seurannan mittarit ja tulokset."),
    31: (
        "Aloite seudullisen kotouttamisohjelman kustannusseurannasta",
        "Valtuutettujen aloite kaupunginvaltuustossa.",
    ),
    32: ("Valtion I kotouttamisohjelma", "Ensimmäinen valtakunnallinen ohjelma."),
    33: (
        "Kotouttamisen ABC. Nuorten maahanmuuttajien kotoutumisen tukena",
        "Kokemukset ja hyvät käytänteet.",
    ),
    34: (
        "TRUST-hankkeen havaintoja yksin tulleiden nuorten kokemuksista",
        "Tampereen yliopiston tutkimus.",
    ),
    35: (
        "Lapset, nuoret ja perheet – visio korjaavasta tukevaan",
        "Keski-Suomen sote-hanke.",
    ),
    36: (
        "Alkuvaiheen kotoutumisen tukeminen kolmannen sektorin ja viranomaisten yhteistyönä",
        "Punaisen Ristin esitys kotoutumistarjottimesta.",
    ),
    37: (
        "MINFO – maahanmuuttajien alkuvaiheen neuvonnan ja ohjauksen kehittäminen",
        "Neuvontapisteiden yhteistyö.",
    ),
    38: ("Kotoutumisen järjestönäkökulmia", "Järjestöjen rooli kotoutumisessa."),
    39: (
        "Sosiaaliturvayhdistykset maakuntien järjestöyhteistyötä rakentamassa",
        "Järjestöjen ja maakuntien kumppanuus.",
    ),
    40: ("Kotouttaminen terveydenhuollossa", "Terveyspalvelut ja tulkkaus."),
    41: (
        "Vapaaehtoistoiminnan tilannekatsaus",
        "Vapaaehtoiset turvaa ja suojaa hakevien tukena.",
    ),
    42: ("Maahanmuutto Pirkanmaalla", "Kansalaisopiston yleisluento."),
    43: ("Kouvolan kaupungin kirjastopalvelut", "Kirjaston kielikahvilat ja lukupiirit."),
    44: ("Helvi Sipilä -seminaari", "Naisten asema ja yhdenvertaisuus."),
    45: ("Energiaa huippuosaamisesta ja monikulttuurisuudesta", "Kaupungin elinvoimaohjelma."),
}
JUDGED_QUERIES = {
    "kotoutumislaki": [1, 2, 3, 4],
    "laki": [1, 2, 3, 4],
    "koulutus": [5, 6, 7],
    "kotoutumiskoulutus": [5],
    "lapsi": [8, 9, 35],
    "Lappi": [10, 11, 12, 13],
    "kunta": [14, 15, 16, 17],
    "maahanmuuttopalvelut": [18, 19],
    "pakolainen": [11, 16, 20],
    "vastaanottokeskus": [21, 22],
    "turvapaikanhakija": [21, 22],
    "strategia": [23, 24],
    "työvoima": [25, 26],
    "Punainen Risti": [27, 28],
    "kotouttamisohjelma": [29, 30, 31, 32],
    "nuoret": [8, 33, 34, 35],
    "alkuvaihe": [15, 27, 36, 37],
    "järjestö": [38, 39],
    "terveydenhuolto": [40],
    "vapaaehtoinen": [27, 28, 41],
    "kotoutumistarjotin": [36],
    "neuvonta": [37],
    "ohjelma": [29, 30, 31, 32, 45],
    "kielikahvila": [43],
    "tilasto": [10],
    "seminaari": [44],
}


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


def _recall() -> dict:
    """recall@10 of the judged queries for Kotoverkko's search and, on PostgreSQL, for
    to_tsvector('finnish', …) with plainto_tsquery over the same titles and texts."""
    from django.db import connection

    from kotoverkko.search.selectors import SearchFilters, search

    ours: dict[str, float] = {}
    theirs: dict[str, float] = {}
    for query, relevant in JUDGED_QUERIES.items():
        results = search(query, user=None, filters=SearchFilters(type=JUDGED_TYPE), per_page=10)
        found = {hit.id for hit in results.hits}
        ours[query] = len(found & set(relevant)) / len(relevant)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT object_id FROM search_entry, plainto_tsquery('finnish', %s) q "
                    "WHERE type = %s AND to_tsvector('finnish', title || ' ' || text) @@ q "
                    "ORDER BY ts_rank_cd(to_tsvector('finnish', title || ' ' || text), q) DESC, "
                    "object_id LIMIT 10",
                    (query, JUDGED_TYPE),
                )
                found = {row[0] for row in cursor.fetchall()}
            theirs[query] = len(found & set(relevant)) / len(relevant)
    return {"ours": ours, "finnish": theirs or None}


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
    index_entries_replace(
        JUDGED_TYPE,
        (_entry_data(i, t, b, JUDGED_TYPE) for i, (t, b) in JUDGED_DOCUMENTS.items()),
        similar=False,
    )
    result["rare"] = _latency(RARE_QUERIES, args.rounds)
    result["common"] = _latency(COMMON_QUERIES, args.rounds)
    result["mixed"] = _latency(MIXED_QUERIES, args.rounds)
    result["recall"] = _recall()
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
    recall_rows = [(label, r["recall"]) for label, r in figures]
    queries = list(JUDGED_QUERIES)
    header = f"{'judged query':<22}" + "".join(f"{label:>12}" for label, _r in recall_rows)
    finnish = next((r["finnish"] for _label, r in recall_rows if r["finnish"]), None)
    if finnish:
        header += f"{'PG finnish':>12}"
    print(f"recall@10 over {len(JUDGED_DOCUMENTS)} demo-like documents:")
    print(header)
    for query in queries:
        line = f"{query:<22}" + "".join(f"{r['ours'][query]:>12.2f}" for _label, r in recall_rows)
        if finnish:
            line += f"{finnish[query]:>12.2f}"
        print(line)
    mean = f"{'mean':<22}" + "".join(
        f"{statistics.mean(r['ours'].values()):>12.2f}" for _label, r in recall_rows
    )
    if finnish:
        mean += f"{statistics.mean(finnish.values()):>12.2f}"
    else:
        mean += "   (PostgreSQL's finnish configuration: needs --database-url)"
    print(mean)


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
