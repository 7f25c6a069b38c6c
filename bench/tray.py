"""Offering tray benchmark: client guidance latency over 10,000 organisations and 50,000
offerings in every municipality, and the time to analyse one region's tray (its coverage
matrix, overlaps and gaps).

    python bench/tray.py                                  # 10,000 organisations, SQLite
    python bench/tray.py --database-url "$DATABASE_URL"   # PostgreSQL (a throw-away database)
    python bench/tray.py --quick                          # 2,000 organisations, 10,000 offerings

The offerings are generated in Finnish (with Swedish and English titles for some), from a
vocabulary of the field: activities such as language cafés, homework clubs, job-seeking
clinics and berry trips, in compounds and inflected forms, for client groups, in languages,
at times of day and stages of the newcomer's path. Most are placed in one to three
municipalities, with more in the large cities, and one in ten in a whole region. They are
indexed as the site indexes them (search entries of type "offering").

Guidance latency is one call of need_build + guidance_search in-process, as the page and the
API make it, for a set of needs a front-line worker would write (free text in Finnish,
English and Swedish, with and without picks, one that finds its offerings in nearby
municipalities only, and one without a municipality). The analysis is one call each of
kotoverkko.tray.analysis.coverage_matrix, overlaps and gaps for a network whose area is a
whole region (Lapland, and Uusimaa, the region with the most offerings), with the network's
expectations. Targets (reported, not asserted): guidance p95 <= 50 ms; a region's analysis
<= 1 s. The exit code is 0 unless the benchmark itself broke.

PostgreSQL: `--database-url` must be a throw-away database; the benchmark refuses to run on
one that holds offerings it did not make, and removes what it made at the end unless --keep.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - the shared runner, environment and process helpers
from pages import BenchmarkBroke, bench_env  # noqa: E402

SEED = 20240612
PREFIX = "Bench-tray "
NETWORK_PREFIX = "bench-tray-"
BATCH_SIZE = 2000
TARGET_GUIDANCE_P95_MS = 50.0
TARGET_ANALYSIS_S = 1.0
# The regions whose tray is analysed: Lapland, and Uusimaa (the most offerings).
ANALYSED_REGIONS = ["19", "01"]
# Municipalities with more offerings than the rest (Helsinki, Espoo, Tampere, Vantaa, Oulu,
# Turku, Jyväskylä, Kuopio, Lahti, Pori, Rovaniemi, Vaasa, Kemi).
LARGE = ["091", "049", "837", "092", "564", "853", "179", "297", "398", "609", "698", "905", "240"]

ACTIVITIES = [
    ("Kielikahvila", "kielikahvilassa harjoitellaan suomea keskustellen"),
    ("Läksykerho", "läksykerhossa lapset saavat apua koulutehtäviin"),
    ("Työnhakuklinikka", "työnhakuklinikalla tehdään ansioluettelo ja harjoitellaan haastattelua"),
    ("Naisten liikuntaryhmä", "liikuntaryhmässä naiset liikkuvat yhdessä turvallisesti"),
    ("Perhekerho", "perhekerhossa vanhemmat ja lapset tapaavat toisiaan"),
    ("Ystävätoiminta", "vapaaehtoinen ystävä tukee arjessa ja asioinnissa"),
    ("Kotikuntakaveri", "kotikuntakaveri esittelee paikkakuntaa ja harrastuksia"),
    ("Marjaretki", "marjaretkellä opitaan metsässä liikkumisesta ja jokamiehenoikeuksista"),
    ("Kalastuskurssi", "kalastuskurssilla opetellaan pilkkimistä ja kalastusluvat"),
    ("Hiihtokurssi", "hiihtokurssilla opitaan hiihtämään ja lainataan välineitä"),
    ("Kokkikerho", "kokkikerhossa valmistetaan ruokaa yhdessä eri maiden resepteillä"),
    ("Käsityöpiiri", "käsityöpiirissä neulotaan ja ommellaan paikallisten kanssa"),
    ("Digiapu", "digiavussa opastetaan sähköisten palvelujen käytössä"),
    ("Asiointiapu", "asiointiapu auttaa viranomaisasioissa ja lomakkeissa"),
    ("Vertaistukiryhmä", "vertaistukiryhmässä jaetaan kokemuksia kotoutumisesta"),
    ("Tulkkauspalvelu", "tulkkaus asiakkaan omalle kielelle viranomaisasioinnissa"),
    ("Kotoutumiskoulutus", "kotoutumiskoulutuksessa opiskellaan suomen kieltä ja yhteiskuntaa"),
    ("Alkukartoitus", "alkukartoituksessa selvitetään osaaminen ja koulutustarpeet"),
    ("Neuvontapiste", "neuvontapisteessä ohjataan palveluihin ja autetaan asioinnissa"),
    ("Jalkapallokerho", "jalkapallokerhossa pelataan ja tutustutaan uusiin ystäviin"),
    ("Uimakoulu", "uimakoulussa opetellaan uimaan turvallisesti"),
    ("Lukupiiri", "lukupiirissä luetaan selkokirjoja ja keskustellaan"),
    ("Mielenterveysryhmä", "ryhmässä tuetaan jaksamista ja mielen hyvinvointia"),
    ("Opintoneuvonta", "opintoneuvonnassa suunnitellaan koulutuspolkua"),
]
MODIFIERS = [
    "",
    "Naisten ",
    "Nuorten ",
    "Perheiden ",
    "Iltapäivän ",
    "Arabiankielinen ",
    "Venäjänkielinen ",
    "Somalinkielinen ",
    "Ukrainankielinen ",
    "Avoin ",
    "Maksuton ",
]
PLACES_TEXT = [
    "Kokoonnumme kirjaston tiloissa",
    "Tapaamiset ovat seurakuntatalolla",
    "Toiminta on järjestön toimitiloissa keskustassa",
    "Kokoontumiset ovat koulun liikuntasalissa",
    "Ryhmä tapaa nuorisotalolla",
]
JOIN_TEXT = [
    "Tule paikalle, ilmoittautumista ei tarvita.",
    "Ilmoittaudu etukäteen puhelimitse tai sähköpostilla.",
    "Ota yhteyttä ohjaajaan ja sovitaan aloituksesta.",
    "Ohjaus tulee työllisyyspalveluista tai sosiaalityöntekijältä.",
]
LANGUAGE_WEIGHTS = [
    ("fi", 90), ("sv", 8), ("en", 25), ("ar", 12), ("ru", 12), ("uk", 10), ("so", 6),
    ("fa", 5), ("prs", 3), ("ku", 3), ("et", 4), ("ti", 2),
]  # fmt: skip

# The needs measured: (free text, picks).
NEEDS = [
    ("Arabiankielinen äiti Kemissä haluaa harjoitella suomea iltaisin", {}),
    ("venäjänkielinen työnhakija Rovaniemellä tarvitsee apua ansioluettelon kanssa", {}),
    ("somalinkielinen perhe muutti Vaasaan, lapsille harrastuksia viikonloppuisin", {}),
    ("nuori turvapaikanhakija Torniossa haluaisi pelata jalkapalloa", {}),
    ("Arabic-speaking mother in Oulu wants to practise Finnish in the evenings", {}),
    ("ukrainankielinen eläkeläinen Tampereella etsii kielikahvilaa", {}),
    ("darinkielinen nainen Kuopiossa, kotoutumiskoulutuksen jälkeen liikuntaa", {}),
    ("arabisktalande mamma i Vasa vill öva finska på kvällarna", {}),
    ("perhe tarvitsee asiointiapua ja tulkkausta", {"municipality": "091"}),
    ("kielikahvila", {"municipality": "837", "language": "ar", "group": "women"}),
    ("", {"municipality": "179", "group": "young-people", "stage": "after"}),
    ("läksykerho lapsille Helsingissä", {}),
    ("opiskelija Jyväskylässä etsii opintoneuvontaa englanniksi", {}),
    ("mielenterveysryhmä Pelkosenniemellä", {}),
    ("työtön mies Kajaanissa haluaa kalastuskurssille", {}),
    ("Hevosterapia lapsille Savukoskella", {}),
    ("kielikahvilaan iltaisin", {}),
]


def step(message: str) -> None:
    print("· " + message, flush=True)


# The child process: generate, index and measure in one database ------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotoverkko.conf.settings")
    import django

    django.setup()


def _wipe() -> None:
    from kotoverkko.network.models import Network, Organisation
    from kotoverkko.search.models import Entry, IndexedTerm
    from kotoverkko.tray.models import Expectation, Offering
    from kotoverkko.tray.search import OFFERING

    offerings = Offering.objects.filter(organisation__name_fi__startswith=PREFIX)
    ids = list(offerings.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        Entry.objects.filter(type=OFFERING, object_id__in=chunk).delete()
        Offering.objects.filter(pk__in=chunk).delete()
    if not Entry.objects.filter(type=OFFERING).exists():
        IndexedTerm.objects.filter(type=OFFERING).delete()
    Expectation.objects.filter(network__slug__startswith=NETWORK_PREFIX).delete()
    Network.objects.filter(slug__startswith=NETWORK_PREFIX).delete()
    Organisation.objects.filter(name_fi__startswith=PREFIX).delete()


def _refuse_foreign_rows() -> None:
    from django.db import connection

    from kotoverkko.tray.models import Offering

    foreign = Offering.objects.exclude(organisation__name_fi__startswith=PREFIX)
    if connection.vendor == "postgresql" and foreign.exists():
        raise SystemExit("The database holds offerings the benchmark did not make.")


def _weighted(rng: random.Random, pairs: list[tuple[str, int]], count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        value = rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]
        if value not in chosen:
            chosen.append(value)
    return chosen


def _generate(organisations: int, offerings: int) -> dict:
    """Organisations in every municipality and their offerings, in bulk (no signals: the
    index is rebuilt afterwards, as `kotoverkko reindex` does)."""
    from kotoverkko.codelists.models import Municipality, Region
    from kotoverkko.network.models import Organisation
    from kotoverkko.tray.models import Category, ClientGroup, Offering, PathStage, TimeOfDay

    rng = random.Random(SEED)
    municipalities = list(Municipality.objects.order_by("code"))
    large = [m for m in municipalities if m.code in LARGE]
    regions = list(Region.objects.order_by("code"))
    categories = list(Category.objects.filter(active=True))
    groups = list(ClientGroup.objects.filter(active=True))
    stages, times = PathStage.values, TimeOfDay.values

    def place():
        return rng.choice(large) if rng.random() < 0.3 else rng.choice(municipalities)

    org_rows = []
    for n in range(organisations):
        home = place()
        name = f"{PREFIX}{rng.choice(['yhdistys', 'ry', 'seurakunta', 'opisto', 'palvelut'])} {n}"
        org_rows.append(
            Organisation(
                name=name,
                name_fi=name,
                type=rng.choice(Organisation.Type.values),
                municipality=home,
            )
        )
    made = Organisation.objects.bulk_create(org_rows, batch_size=BATCH_SIZE)
    organisation_rows = [(org.pk, org.municipality_id) for org in made]
    by_pk = {m.pk: m for m in municipalities}
    by_region: dict[int, list] = {}
    for municipality in municipalities:
        by_region.setdefault(municipality.region_id, []).append(municipality)

    through_m = Offering.municipalities.through
    through_r = Offering.regions.through
    through_g = Offering.groups.through
    for start in range(0, offerings, BATCH_SIZE):
        rows, places = [], []
        for _n in range(start, min(offerings, start + BATCH_SIZE)):
            organisation_id, home_id = rng.choice(organisation_rows)
            activity, sentence = rng.choice(ACTIVITIES)
            home = by_pk[home_id]
            title = f"{rng.choice(MODIFIERS)}{activity}"
            description = (
                f"{sentence.capitalize()}. {rng.choice(PLACES_TEXT)} {home.name_fi}. "
                f"{rng.choice(ACTIVITIES)[1].capitalize()}."
            )
            how = rng.choice(JOIN_TEXT)
            language_count = rng.choice([1, 1, 2, 2, 3])
            rows.append(
                Offering(
                    organisation_id=organisation_id,
                    category=rng.choice(categories),
                    title=title,
                    title_fi=title,
                    title_en=activity if rng.random() < 0.15 else "",
                    description=description,
                    description_fi=description,
                    how_to_join=how,
                    how_to_join_fi=how,
                    languages=_weighted(rng, LANGUAGE_WEIGHTS, language_count),
                    path_stages=rng.sample(stages, rng.choice([1, 1, 2])),
                    times=rng.sample(times, rng.choice([1, 1, 2])),
                    cost=rng.choice(["free", "free", "free", "fee"]),
                    contact_email=f"tarjotin{organisation_id}@bench.invalid",
                    confirmed_on=f"{rng.choice([2023, 2024, 2025])}-0{rng.randint(1, 9)}-15",
                )
            )
            places.append(home)
        created = Offering.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        links_m, links_r, links_g = [], [], []
        for offering, home in zip(created, places, strict=True):
            if rng.random() < 0.1:
                links_r.append(through_r(offering_id=offering.pk, region_id=home.region_id))
            else:
                chosen = {home.pk}
                for _extra in range(rng.choice([0, 0, 1, 2])):
                    chosen.add(rng.choice(by_region[home.region_id]).pk)
                links_m.extend(
                    through_m(offering_id=offering.pk, municipality_id=pk) for pk in chosen
                )
            for group in rng.sample(groups, rng.choice([1, 1, 2])):
                links_g.append(through_g(offering_id=offering.pk, clientgroup_id=group.pk))
        through_m.objects.bulk_create(links_m, batch_size=BATCH_SIZE)
        through_r.objects.bulk_create(links_r, batch_size=BATCH_SIZE)
        through_g.objects.bulk_create(links_g, batch_size=BATCH_SIZE)
    return {
        "organisations": organisations,
        "offerings": offerings,
        "municipalities": len(municipalities),
        "regions": len(regions),
        "municipality_links": through_m.objects.count(),
        "region_wide": through_r.objects.count(),
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _guidance(rounds: int) -> dict:
    from kotoverkko.codelists.models import Municipality
    from kotoverkko.tray.guidance import guidance_search, known_candidates_forget, need_build

    def run(text: str, picks: dict):
        picks = dict(picks)
        if code := picks.pop("municipality", None):
            picks["municipality"] = Municipality.objects.select_related("region").get(code=code)
        return guidance_search(need_build(text=text, **picks))

    found = {}
    for text, picks in NEEDS:  # warm the caches: the analyser's, the name maps, the database's
        result = run(text, picks)
        found[text or json.dumps(picks)] = {
            "results": len(result.results),
            "nearby": result.nearby,
            "municipality": result.need.municipality.name if result.need.municipality else "",
        }
    timings: list[float] = []
    cpu: list[float] = []
    per_need: dict[str, list[float]] = {}
    for _round in range(rounds):
        for text, picks in NEEDS:
            started, cpu_started = time.perf_counter(), time.process_time()
            run(text, picks)
            elapsed = (time.perf_counter() - started) * 1000
            cpu.append((time.process_time() - cpu_started) * 1000)
            timings.append(elapsed)
            per_need.setdefault(text or json.dumps(picks), []).append(elapsed)
    # A first search in each municipality reads its candidates (later ones reuse them until
    # public content changes): measured on its own, with the kept candidates forgotten.
    first: list[float] = []
    for _round in range(rounds):
        for text, picks in NEEDS:
            known_candidates_forget()
            started = time.perf_counter()
            run(text, picks)
            first.append((time.perf_counter() - started) * 1000)
    return {
        "first_p50_ms": statistics.median(first),
        "first_p95_ms": _percentile(first, 0.95),
        "first_max_ms": max(first),
        "p50_ms": statistics.median(timings),
        "p95_ms": _percentile(timings, 0.95),
        "max_ms": max(timings),
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": _percentile(cpu, 0.95),
        "calls": len(timings),
        "found": found,
        "per_need_p50": {need: statistics.median(values) for need, values in per_need.items()},
    }


def _analysis_network(region_code: str):
    from kotoverkko.codelists.models import Municipality
    from kotoverkko.network.models import Network
    from kotoverkko.tray.models import Category, ClientGroup, Expectation

    network = Network.objects.create(
        slug=f"{NETWORK_PREFIX}{region_code}",
        name=f"Bench-tray verkosto {region_code}",
        name_fi=f"Bench-tray verkosto {region_code}",
        languages=["fi"],
    )
    network.municipalities.set(Municipality.objects.filter(region__code=region_code))
    categories = list(Category.objects.filter(active=True).order_by("code"))
    families = ClientGroup.objects.filter(code="families").first()
    expectations = [Expectation(network=network, category=c) for c in categories[:6]]
    expectations += [
        Expectation(network=network, category=categories[0], language=code)
        for code in ("ar", "ru", "uk", "so")
    ]
    if families is not None:
        expectations.append(Expectation(network=network, category=categories[1], group=families))
    Expectation.objects.bulk_create(expectations)
    return network


def _analysis() -> dict:
    try:
        from kotoverkko.tray import analysis
    except ImportError:
        return {}
    names = ("coverage_matrix", "overlaps", "gaps")
    if not all(hasattr(analysis, name) for name in names):
        return {}
    from kotoverkko.codelists.models import Region

    result = {}
    for code in ANALYSED_REGIONS:
        network = _analysis_network(code)
        region = Region.objects.get(code=code)
        figures = {}
        for name in names:
            function = getattr(analysis, name)
            function(network=network)  # the first call reads the vocabularies
            started = time.perf_counter()
            outcome = function(network=network)
            figures[name] = (time.perf_counter() - started) * 1000
            figures[f"{name}_size"] = len(getattr(outcome, "rows", outcome) or [])
        figures["total_s"] = sum(figures[name] for name in names) / 1000
        result[region.name] = figures
    return result


def child(args) -> None:
    _setup_django()
    from django.db import connection

    from kotoverkko.search.analyser import analyser_status
    from kotoverkko.search.index import index_entries_replace, source_for
    from kotoverkko.tray import search as tray_search

    if args.command == "wipe":
        _wipe()
        print(json.dumps({"wiped": True}))
        return
    _refuse_foreign_rows()
    _wipe()
    if source_for(tray_search.OFFERING) is None:
        tray_search.register()
    result: dict = {"database": connection.vendor, "analyser": analyser_status().finnish}
    started = time.perf_counter()
    result.update(_generate(args.organisations, args.offerings))
    result["generate_s"] = time.perf_counter() - started
    started = time.perf_counter()
    source = source_for(tray_search.OFFERING)
    result["indexed"] = index_entries_replace(tray_search.OFFERING, source.entries())
    result["index_s"] = time.perf_counter() - started
    result["guidance"] = _guidance(args.rounds)
    result["analysis"] = _analysis()
    print(json.dumps(result))


# The parent process ----------------------------------------------------------------------------


def _run_child(env: dict[str, str], options) -> dict:
    done = subprocess.run(
        [
            *(sys.executable, str(Path(__file__).resolve()), "measure"),
            *("--organisations", str(options.organisations)),
            *("--offerings", str(options.offerings), "--rounds", str(options.rounds)),
        ],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(options, data_dir: Path, servers: list) -> None:
    label = "PostgreSQL" if options.database_url else "SQLite"
    env = bench_env(data_dir, options.database_url)
    step(f"{label}: migrating in {data_dir}")
    pages.kotoverkko(["migrate", "--noinput", "-v", "0"], env)
    step(
        f"{label}: generating {options.organisations:,} organisations and "
        f"{options.offerings:,} offerings, indexing and measuring"
    )
    report(label, _run_child(env, options))


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(label: str, result: dict) -> None:
    print()
    print(
        f"{label} ({result['analyser']} for Finnish): {result['organisations']:,} organisations, "
        f"{result['offerings']:,} offerings over {result['municipalities']} municipalities "
        f"({result['municipality_links']:,} municipality links, {result['region_wide']:,} "
        f"region-wide), generated in {result['generate_s']:.1f} s; {result['indexed']:,} "
        f"indexed in {result['index_s']:.1f} s "
        f"({result['indexed'] / max(result['index_s'], 1e-9):,.0f}/s)"
    )
    guidance = result["guidance"]
    print(
        f"\nguidance: {guidance['calls']} calls of need_build + guidance_search over "
        f"{len(guidance['found'])} needs"
    )
    print(f"  {'':<18} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target   result")
    ok = guidance["p95_ms"] <= TARGET_GUIDANCE_P95_MS
    print(
        f"  {'wall clock':<18} {guidance['p50_ms']:>8.2f} {guidance['p95_ms']:>8.2f} "
        f"{guidance['max_ms']:>8.2f}  <= {TARGET_GUIDANCE_P95_MS:g}    {_verdict(ok)}"
    )
    print(
        f"  {'first in a place':<18} {guidance['first_p50_ms']:>8.2f} "
        f"{guidance['first_p95_ms']:>8.2f} {guidance['first_max_ms']:>8.2f}  (candidates read)"
    )
    # On a busy machine the wall clock swings; the process's CPU time hardly does (with
    # SQLite it includes the database's work, with PostgreSQL not the server's).
    print(
        f"  {'CPU of the process':<18} {guidance['cpu_p50_ms']:>8.2f} "
        f"{guidance['cpu_p95_ms']:>8.2f}"
    )
    print(f"\n  {'need':<80} {'p50 ms':>7} {'found':>6}  where")
    for need, found in guidance["found"].items():
        shown = need if len(need) <= 80 else need[:79] + "…"
        where = found["municipality"] or "anywhere"
        if found["nearby"]:
            where += " (nearby)"
        print(
            f"  {shown:<80} {guidance['per_need_p50'][need]:>7.2f} {found['results']:>6}  {where}"
        )
    analysis = result["analysis"]
    print()
    if not analysis:
        print("analysis: kotoverkko.tray.analysis has no coverage_matrix, overlaps and gaps yet")
        return
    print("analysis of a region's tray (one call each, after a first call):")
    print(
        f"  {'region':<12} {'coverage ms':>12} {'overlaps ms':>12} {'gaps ms':>9} "
        f"{'total s':>8}  target  result"
    )
    for region, figures in analysis.items():
        ok = figures["total_s"] <= TARGET_ANALYSIS_S
        print(
            f"  {region:<12} {figures['coverage_matrix']:>12.1f} {figures['overlaps']:>12.1f} "
            f"{figures['gaps']:>9.1f} {figures['total_s']:>8.2f}  <= {TARGET_ANALYSIS_S:g}  "
            f"{_verdict(ok)}   ({figures['overlaps_size']} overlap groups, "
            f"{figures['gaps_size']} gaps)"
        )


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(prog="bench/tray.py", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="2,000 organisations, 10,000 offerings"
    )
    parser.add_argument("--organisations", type=int, default=None)
    parser.add_argument("--offerings", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=20, help="rounds of the needs")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args(argv)
    options.organisations = options.organisations or (2_000 if options.quick else 10_000)
    options.offerings = options.offerings or (10_000 if options.quick else 50_000)
    if options.quick:
        options.rounds = min(options.rounds, 10)
    return options


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("measure", "wipe"):
        child_parser = argparse.ArgumentParser(prog="bench/tray.py " + argv[0])
        child_parser.add_argument("--organisations", type=int, default=10_000)
        child_parser.add_argument("--offerings", type=int, default=50_000)
        child_parser.add_argument("--rounds", type=int, default=20)
        args = child_parser.parse_args(argv[1:])
        args.command = argv[0]
        child(args)
        return 0
    options = parse_args(argv)
    try:
        return pages.run_benchmark(
            options, run, data_script="tray.py", prefix="kotoverkko-bench-tray-"
        )
    except BenchmarkBroke as error:
        print(f"The benchmark broke: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
