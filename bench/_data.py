"""Generated data and in-process query counts for the page benchmark.

Run by bench/pages.py in a child process whose environment selects the database:

    python bench/_data.py generate --organisations 10000 --people 100000
    python bench/_data.py queries /fi/organisations/ /fi/networks/bench-verkosto/
    python bench/_data.py wipe

Each command prints one line of JSON. Only rows made here are ever deleted: networks whose slug
starts with "bench-", organisations and people with addresses under bench.invalid.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

TOP_SLUG = "bench-verkosto"
SLUG_PREFIX = "bench-"
EMAIL_DOMAIN = "bench.invalid"
BATCH_SIZE = 2000

# Organisation types and their share of the directory; NGOs are the largest group, as in the
# regions the platform serves.
TYPE_WEIGHTS = {
    "ngo": 30,
    "municipality": 8,
    "education": 10,
    "migrant_organisation": 8,
    "parish": 6,
    "company": 8,
    "project": 10,
    "employment_area": 3,
    "wellbeing_county": 2,
    "reception_centre": 3,
    "kela": 2,
    "elinvoimakeskus": 2,
    "police": 2,
    "other": 6,
}
TYPE_WORDS = {
    "ngo": ("Yhdistys", "Förening"),
    "municipality": ("Kunta", "Kommun"),
    "education": ("Opisto", "Institut"),
    "migrant_organisation": ("Monikulttuuriyhdistys", "Mångkulturella föreningen"),
    "parish": ("Seurakunta", "Församling"),
    "company": ("Oy", "Ab"),
    "project": ("Hanke", "Projekt"),
    "employment_area": ("Työllisyysalue", "Sysselsättningsområde"),
    "wellbeing_county": ("Hyvinvointialue", "Välfärdsområde"),
    "reception_centre": ("Vastaanottokeskus", "Förläggning"),
    "kela": ("Kelan toimisto", "FPA:s byrå"),
    "elinvoimakeskus": ("Elinvoimakeskus", "Livskraftscentral"),
    "police": ("Poliisilaitos", "Polisinrättning"),
    "other": ("Toimija", "Aktör"),
}
FIRST_NAMES = [
    "Aino",
    "Mikko",
    "Leila",
    "Hassan",
    "Sanna",
    "Erik",
    "Olga",
    "Juha",
    "Amina",
    "Kaisa",
    "Ahmed",
    "Liisa",
    "Tuomas",
    "Fatima",
    "Pekka",
    "Maria",
    "Ville",
    "Nora",
]
LAST_NAMES = [
    "Korhonen",
    "Virtanen",
    "Nieminen",
    "Ali",
    "Lindqvist",
    "Mäkinen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Nyström",
    "Mohamed",
    "Ivanova",
    "Niemi",
    "Salo",
    "Turunen",
    "Rantanen",
]
REGIONS = [
    ("meri-lappi", "Meri-Lappi", "Havs-Lappland"),
    ("rovaniemi", "Rovaniemi", "Rovaniemi"),
    ("tunturi-lappi", "Tunturi-Lappi", "Fjäll-Lappland"),
    ("ita-lappi", "Itä-Lappi", "Östra Lappland"),
]
TEAMS = [
    ("vastaanotto", "Pakolaisten vastaanotto", "Flyktingmottagning"),
    ("maaseutu", "Maaseutukuntien kotoutumiskäytännöt", "Integration på landsbygden"),
    ("koulutuspolut", "Koulutuspolut", "Utbildningsstigar"),
]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotoverkko.conf.settings")
    import django

    django.setup()


def _wipe() -> None:
    """Remove what an earlier run generated (and nothing else)."""
    from kotoverkko.network.models import Membership, Network, Organisation, Person

    networks = Network.objects.filter(slug__startswith=SLUG_PREFIX)
    Membership.objects.filter(network__in=networks).delete()
    Person.objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()
    Organisation.objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()
    # Children before parents (the parent link protects).
    while networks.exists():
        networks.filter(children__isnull=True).delete()


def _networks(rng: random.Random):
    """A top network, regional sub-networks with a team each, and network-wide teams."""
    from kotoverkko.codelists.models import Municipality
    from kotoverkko.network.models import Network

    top = Network.objects.create(
        slug=TOP_SLUG,
        kind=Network.Kind.NETWORK,
        name="Lapin MAKO-verkosto",
        name_fi="Lapin MAKO-verkosto",
        name_sv="Lapplands MAKO-nätverk",
        short_name="MAKO",
        description_fi="Lapin maahanmuutto- ja kotouttamistoimijoiden verkosto.",
        description_sv="Nätverket för invandrings- och integrationsaktörer i Lappland.",
        meeting_rhythm_fi="Kaksi kertaa vuodessa",
        languages=["fi", "sv"],
        contact_email="mako@bench.invalid",
    )
    top.municipalities.set(Municipality.objects.filter(region__code="19"))
    networks = [top]
    for key, name_fi, name_sv in REGIONS:
        region = Network.objects.create(
            slug=f"{SLUG_PREFIX}{key}",
            kind=Network.Kind.NETWORK,
            parent=top,
            name=name_fi,
            name_fi=name_fi,
            name_sv=name_sv,
            meeting_rhythm_fi="1–2 kertaa vuodessa",
            languages=["fi"],
        )
        team = Network.objects.create(
            slug=f"{SLUG_PREFIX}{key}-koulutuspolut",
            kind=Network.Kind.TEAM,
            parent=region,
            name=f"Koulutuspolut {name_fi}",
            name_fi=f"Koulutuspolut {name_fi}",
            languages=["fi"],
        )
        networks += [region, team]
    for key, name_fi, name_sv in TEAMS:
        networks.append(
            Network.objects.create(
                slug=f"{SLUG_PREFIX}{key}",
                kind=Network.Kind.TEAM,
                parent=top,
                name=name_fi,
                name_fi=name_fi,
                name_sv=name_sv,
                languages=["fi"],
            )
        )
    rng.shuffle(networks)
    return top, networks


def _organisations(rng: random.Random, count: int, municipalities: list) -> list[int]:
    from kotoverkko.network.models import Organisation

    types = list(TYPE_WEIGHTS)
    weights = list(TYPE_WEIGHTS.values())
    today = date.today()  # noqa: DTZ011 - a plain calendar date is all the data needs
    rows = []
    for number in range(count):
        type_ = rng.choices(types, weights)[0]
        home = rng.choice(municipalities)
        word_fi, word_sv = TYPE_WORDS[type_]
        name_fi = f"{home.name_fi} {word_fi} {number:05d}"
        discontinued = rng.random() < 0.05
        rows.append(
            Organisation(
                name=name_fi,
                name_fi=name_fi,
                name_sv=f"{home.name_sv or home.name_fi} {word_sv} {number:05d}",
                type=type_,
                municipality=home,
                language_status=rng.choice(["fi", "fi", "fi", "fi-sv", "sv"]),
                description_fi="Palveluja ja toimintaa maahan muuttaneille.",
                email=f"info{number}@{EMAIL_DOMAIN}",
                valid_from=today - timedelta(days=3000),
                valid_until=today - timedelta(days=rng.randint(1, 900)) if discontinued else None,
            )
        )
    Organisation.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    ids = list(
        Organisation.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    through = Organisation.municipalities.through
    served = []
    for organisation_id in ids:
        for municipality in rng.sample(municipalities, rng.randint(1, 3)):
            served.append(through(organisation_id=organisation_id, municipality_id=municipality.pk))
    through.objects.bulk_create(served, batch_size=BATCH_SIZE)
    return ids


def _people(
    rng: random.Random, count: int, organisation_ids: list[int], municipalities: list
) -> list[int]:
    from kotoverkko.network.models import Person

    rows = [
        Person(
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"henkilo{number}@{EMAIL_DOMAIN}",
            title="Asiantuntija",
            organisation_id=rng.choice(organisation_ids),
            municipality_id=rng.choice(municipalities).pk,
            language=rng.choice(["fi", "fi", "fi", "sv", "en"]),
        )
        for number in range(count)
    ]
    Person.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return list(
        Person.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _memberships(rng: random.Random, count: int, person_ids: list[int], networks: list) -> int:
    """Up to `count` memberships, at most one current one per person and network."""
    from kotoverkko.network.models import Membership

    today = date.today()  # noqa: DTZ011
    rows = []
    taken: set[tuple[int, int]] = set()
    attempts = 0
    while len(rows) < count and attempts < count * 3:
        attempts += 1
        person_id = person_ids[len(rows) % len(person_ids)]
        network = rng.choice(networks)
        if (person_id, network.pk) in taken:
            continue
        taken.add((person_id, network.pk))
        roll = rng.random()
        status = "ended" if roll < 0.08 else "requested" if roll < 0.10 else "active"
        role = "coordinator" if rng.random() < 0.002 else "member"
        rows.append(
            Membership(
                person_id=person_id,
                network=network,
                role=role,
                status=status,
                started_on=today - timedelta(days=rng.randint(30, 2000)),
                ended_on=today - timedelta(days=rng.randint(1, 29)) if status == "ended" else None,
            )
        )
    Membership.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def generate(*, organisations: int, people: int, memberships: int, seed: int) -> dict:
    from django.db import connection, transaction

    from kotoverkko.codelists.models import Municipality
    from kotoverkko.network.models import Network, Organisation

    foreign = Network.objects.exclude(slug__startswith=SLUG_PREFIX).exists() or (
        Organisation.objects.exclude(email__endswith="@" + EMAIL_DOMAIN).exists()
    )
    if foreign:
        raise SystemExit(
            "The database holds networks or organisations that the benchmark did not make; "
            "use an empty database."
        )
    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        _wipe()
        municipalities = list(Municipality.objects.order_by("code"))
        if not municipalities:
            raise SystemExit("The municipality code list is empty; run migrate first.")
        top, networks = _networks(rng)
        organisation_ids = _organisations(rng, organisations, municipalities)
        person_ids = _people(rng, people, organisation_ids, municipalities)
        membership_count = _memberships(rng, memberships, person_ids, networks)
        top.contact_person_id = person_ids[0]
        top.save(update_fields=["contact_person"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a database in use would have
    return {
        "networks": len(networks),
        "organisations": len(organisation_ids),
        "people": len(person_ids),
        "memberships": membership_count,
        "seconds": round(time.perf_counter() - started, 1),
        "top": top.slug,
    }


def queries(*, paths: list[str], repeat: int) -> dict:
    """Per page: the query count of an uncached anonymous request, the time its queries take
    and the slowest of them, and the CPU time of a whole request in this process (the median
    of `repeat` requests; CPU time rather than elapsed time, so other work on the machine
    hardly changes it)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    # SQLite works inside this process, so its CPU time is the query's cost; a database
    # server's work only shows in elapsed time.
    sql_clock = time.process_time if connection.vendor == "sqlite" else time.perf_counter
    timings: list[float] = []

    def timed(execute, sql, params, many, context):
        started = sql_clock()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((sql_clock() - started) * 1000)

    results = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        client = Client(HTTP_HOST="127.0.0.1")
        for path in paths:
            client.get(path)  # first request: templates, translations, lazy imports
            timings.clear()
            with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
                response = client.get(path)
            # Copied now: the next request empties the connection's query log.
            statements = [query["sql"] for query in captured.captured_queries]
            cpu = []
            for _ in range(repeat):
                started = time.process_time()
                client.get(path)
                cpu.append((time.process_time() - started) * 1000)
            slowest = max(range(len(timings)), key=timings.__getitem__, default=None)
            results[path] = {
                "status": response.status_code,
                "queries": len(statements),
                "sql_ms": round(sum(timings), 2),
                "slowest_ms": round(timings[slowest], 2) if slowest is not None else 0.0,
                "slowest_sql": statements[slowest] if slowest is not None else "",
                "request_cpu_ms": round(statistics.median(cpu), 2),
                "sql": statements,
            }
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/_data.py")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate")
    gen.add_argument("--organisations", type=int, default=10_000)
    gen.add_argument("--people", type=int, default=100_000)
    gen.add_argument("--memberships", type=int, default=None)
    gen.add_argument("--seed", type=int, default=2024)
    count = commands.add_parser("queries")
    count.add_argument("paths", nargs="+")
    count.add_argument("--repeat", type=int, default=15)
    commands.add_parser("wipe")
    options = parser.parse_args(argv)

    _setup_django()
    if options.command == "wipe":
        from django.db import transaction

        with transaction.atomic():
            _wipe()
        result = {"wiped": True}
    elif options.command == "generate":
        result = generate(
            organisations=options.organisations,
            people=options.people,
            memberships=options.people if options.memberships is None else options.memberships,
            seed=options.seed,
        )
    else:
        result = queries(paths=options.paths, repeat=options.repeat)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
