"""The tray's default vocabularies: its categories (seed 004's tray) and client groups."""

# (code, kind, position, (fi, sv, en))
CATEGORIES = [
    (
        "asylum-seeker-support",
        "community",
        1,
        (
            "Turvapaikanhakijoiden tukitoiminta",
            "Stödverksamhet för asylsökande",
            "Support for asylum seekers",
        ),
    ),
    (
        "early-phase",
        "community",
        2,
        (
            "Varhaisen kotoutumisen toimintamuodot",
            "Verksamhet för tidig integration",
            "Early-phase integration activities",
        ),
    ),
    (
        "immigrants-as-doers",
        "community",
        3,
        (
            "Maahan muuttaneet mukana toiminnassa tekijöinä",
            "Inflyttade med i verksamheten som aktörer",
            "Activities where immigrants take part as doers",
        ),
    ),
    (
        "open-to-all",
        "community",
        4,
        (
            "Kaikille avoin yhdenvertainen toiminta",
            "Verksamhet öppen för alla på lika villkor",
            "Activities open to everyone on equal terms",
        ),
    ),
    (
        "agreements",
        "authority",
        1,
        (
            "Sopimukset ja neuvottelut kuntien kanssa",
            "Avtal och förhandlingar med kommunerna",
            "Agreements and negotiation with municipalities",
        ),
    ),
    (
        "refugee-placement",
        "authority",
        2,
        (
            "Pakolaisten kuntaan osoittaminen",
            "Anvisning av flyktingar till kommuner",
            "Refugee placement in municipalities",
        ),
    ),
    (
        "reception-guidance",
        "authority",
        3,
        (
            "Turvapaikanhakijoiden vastaanoton ohjaus",
            "Styrning av mottagandet av asylsökande",
            "Reception guidance",
        ),
    ),
    (
        "integration-training",
        "authority",
        4,
        ("Kotoutumiskoulutus", "Integrationsutbildning", "Integration training"),
    ),
    (
        "employment",
        "authority",
        5,
        ("Työllisyyspalvelut", "Sysselsättningstjänster", "Employment services"),
    ),
    (
        "information",
        "authority",
        6,
        ("Neuvonta ja ohjaus", "Rådgivning och vägledning", "Information and guidance"),
    ),
    (
        "networking",
        "authority",
        7,
        (
            "Verkostoyhteistyö ja kehittäminen",
            "Nätverkssamarbete och utveckling",
            "Networking and development",
        ),
    ),
    (
        "statutory",
        "authority",
        8,
        ("Muut lakisääteiset palvelut", "Andra lagstadgade tjänster", "Other statutory services"),
    ),
]

# (code, position, (fi, sv, en))
CLIENT_GROUPS = [
    ("families", 1, ("Lapsiperheet", "Barnfamiljer", "Families with children")),
    ("children", 2, ("Lapset", "Barn", "Children")),
    ("young-people", 3, ("Nuoret", "Unga", "Young people")),
    ("women", 4, ("Naiset", "Kvinnor", "Women")),
    ("men", 5, ("Miehet", "Män", "Men")),
    ("seniors", 6, ("Ikääntyneet", "Äldre", "Seniors")),
    ("asylum-seekers", 7, ("Turvapaikanhakijat", "Asylsökande", "Asylum seekers")),
    ("refugees", 8, ("Pakolaiset", "Flyktingar", "Refugees")),
    ("students", 9, ("Opiskelijat", "Studerande", "Students")),
    ("job-seekers", 10, ("Työnhakijat", "Arbetssökande", "Job seekers")),
    ("everyone", 11, ("Kaikki", "Alla", "Everyone")),
]
