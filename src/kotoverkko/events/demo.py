"""Demo events: Lapland MAKO's meetings since 2017, POMAKO's monthly Teams meetings since
autumn 2021, the Integration 2024 info sessions, and upcoming events relative to today.

Loaded at the end of the network demo (`network.demo.demo_load` calls `events_demo_load`) and,
like it, written only through the services, with the system as the actor. Facts come from the
seeds (the Lapland meetings listed under "Oikopolut", POMAKO's rhythm and its September 2021
theme, the Integration 2024 info sessions); the rest is invented but plausible.

- Idempotent: a single event carries a UID made from a stable key (uuid5), a series is found
  by its network, rule and first date; whatever exists is skipped with everything in it, so
  loading twice adds nothing.
- Deterministic: every event, series and upcoming plan draws from its own
  `random.Random(f"{seed}:{key}")`, so adding one does not shift the others. Only the times
  the services take from the clock themselves (a walk-in's registration, a task ticked off,
  minutes approved, an invitation sent) are those of the load.
- No mail: the events are history and the people invented, so nothing they cause may reach
  the outbox (rendering it would also take most of the time). The load runs inside
  `mailing.services.mail_suppressed()`, which queues nothing and lets the events services
  skip building the messages' calendar text.
"""

import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from dateutil.easter import easter
from django.db import transaction
from django.utils import timezone, translation

from kotoverkko.codelists.models import Municipality
from kotoverkko.mailing.services import mail_suppressed
from kotoverkko.network.models import Membership, Network, Organisation, Person
from kotoverkko.network.services import membership_add, network_create, organisation_create

from .agenda import in_order, minutes_prefill
from .models import AgendaItem, Audience, Event, EventSeries, Registration
from .recurrence import Recurrence, local_zone
from .selectors import host_rotation
from .services import (
    RegistrationData,
    agenda_item_save,
    agenda_round_slot,
    checklist_item_add,
    checklist_item_update,
    event_cancel,
    event_create,
    event_next_create,
    event_update,
    host_rotation_set,
    invitation_recipients,
    invitation_send,
    minutes_approve,
    minutes_publish,
    minutes_save,
    minutes_start,
    registration_attendance_set,
    registration_cancel,
    registrations_record,
    series_create,
    walk_in_add,
)

DEMO_SEED = 2017
_UID_NAMESPACE = uuid.UUID("0b6c2f8e-1d7a-4c1e-9a55-6f3d2b8a4e10")

# Networks of the network demo, and the national one added here.
MAKO, MERI_LAPPI, ROVANIEMI_NET, POMAKO = (
    "lapin-mako",
    "meri-lapin-mako",
    "rovaniemen-mako",
    "pomako",
)
TEAM_REFUGEES = "pakolaisten-vastaanotto"
TEAM_RURAL = "maaseutukuntien-kotouttamiskaytannot"
TEAM_EDU_MERI_LAPPI = "koulutuspolut-meri-lappi"
TEAM_EDU_ROVANIEMI = "koulutuspolut-rovaniemi"
PARTNERSHIP = "kotoutumisen-kumppanuusohjelma"
EVERYONE = "*"  # a registrant pool: every person in the register

COORDINATOR_EMAIL = "koordinaattori@kotoverkko.example"

ROVANIEMI, RANUA, SODANKYLA, KITTILA = "698", "683", "758", "261"
KEMI, TORNIO, KEMINMAA = "240", "851", "241"
VAASA, TURKU, HELSINKI = "905", "853", "091"
LAPLAND, OSTROBOTHNIA, CENTRAL_OSTROBOTHNIA, SOUTHWEST_FINLAND = "19", "15", "16", "02"

ELY_LAPLAND, ELINVOIMA_LAPLAND = "Lapin ELY-keskus", "Lapin elinvoimakeskus"
ELY_OSTROBOTHNIA, ELINVOIMA_OSTROBOTHNIA = "Pohjanmaan ELY-keskus", "Pohjanmaan elinvoimakeskus"
TEM = "Työ- ja elinkeinoministeriö"
ELY_SOUTHWEST = "Varsinais-Suomen ELY-keskus"
TURKU_CITY = "Turun kaupunki"
SOUTHWEST_COUNTY = "Varsinais-Suomen hyvinvointialue"
BILDNINGSALLIANSSEN = "Bildningsallianssen rf"  # spelt as in seed 003
# When the ELY centres' work passed to the elinvoimakeskus (see network/demo.py).
REFORM_2026 = date(2026, 1, 1)

Tr = tuple[str, str, str]  # fi, sv, en

E = Event.Type
A = AgendaItem.Type


def _tr(name: str, values: Tr | None) -> dict[str, str]:
    if values is None:
        return {}
    return {f"{name}_{lang}": text for lang, text in zip(("fi", "sv", "en"), values, strict=True)}


def _uid(key: str) -> str:
    return f"{uuid.uuid5(_UID_NAMESPACE, key)}@kotoverkko"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=local_zone())


# Organisations and the national network this demo needs ---------------------------------------


@dataclass(frozen=True)
class OrganisationSpec:
    name: Tr
    type: str
    home: str
    language_status: str
    domain: str
    description: Tr
    serves: tuple[str, ...] = ()
    serves_regions: tuple[str, ...] = ()
    valid_until: date | None = None


T = Organisation.Type
L = Organisation.LanguageStatus

# The organisers and funders of Integration 2024 (seed 003). Real organisations, so no
# invented business IDs.
ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        name=(TEM, "Arbets- och näringsministeriet", "Ministry of Economic Affairs and Employment"),
        type=T.OTHER,
        home=HELSINKI,
        language_status=L.BILINGUAL_FI,
        domain="tem.example",
        description=(
            "Ministeriö vastaa kotoutumisen edistämisen valtakunnallisesta kehittämisestä ja "
            "koordinoi kotoutumisen kumppanuusohjelmaa.",
            "Ministeriet ansvarar för den nationella utvecklingen av integrationsfrämjandet och "
            "samordnar partnerskapsprogrammet för integration.",
            "The ministry develops integration policy nationally and coordinates the "
            "partnership programme for integration.",
        ),
        serves_regions=(LAPLAND, OSTROBOTHNIA, CENTRAL_OSTROBOTHNIA, SOUTHWEST_FINLAND),
    ),
    OrganisationSpec(
        name=(
            ELY_SOUTHWEST,
            "NTM-centralen i Egentliga Finland",
            "Southwest Finland Centre for Economic Development, Transport and the Environment",
        ),
        type=T.ELINVOIMAKESKUS,
        home=TURKU,
        language_status=L.BILINGUAL_FI,
        domain="ely-keskus.example",
        description=(
            "Kotouttamisen alueellinen kehittäminen Varsinais-Suomessa vuoden 2025 loppuun; "
            "järjesti Integration 2024 -tapahtuman.",
            "Regional utveckling av integrationen i Egentliga Finland till utgången av 2025; "
            "ordnade evenemanget Integration 2024.",
            "Regional development of integration in Southwest Finland until the end of 2025; "
            "organised the Integration 2024 event.",
        ),
        serves_regions=(SOUTHWEST_FINLAND,),
        valid_until=date(2025, 12, 31),
    ),
    OrganisationSpec(
        name=(TURKU_CITY, "Åbo stad", "City of Turku"),
        type=T.MUNICIPALITY,
        home=TURKU,
        language_status=L.BILINGUAL_FI,
        domain="turku.example",
        description=(
            "Kaupungin kotouttamispalvelut ja maahanmuuttajien neuvonta Turussa.",
            "Stadens integrationstjänster och rådgivning för invandrare i Åbo.",
            "The city's integration services and advice for immigrants in Turku.",
        ),
        serves=(TURKU,),
    ),
    OrganisationSpec(
        name=(
            SOUTHWEST_COUNTY,
            "Välfärdsområdet i Egentliga Finland",
            "Southwest Finland Wellbeing Services County",
        ),
        type=T.WELLBEING_COUNTY,
        home=TURKU,
        language_status=L.BILINGUAL_FI,
        domain="varha.example",
        description=(
            "Sosiaali-, terveys- ja pelastuspalvelut Varsinais-Suomessa, myös maahan "
            "muuttaneiden sosiaaliohjaus.",
            "Social-, hälso- och räddningstjänster i Egentliga Finland, också socialhandledning "
            "för invandrare.",
            "Social, health and rescue services in Southwest Finland, including social "
            "guidance for newcomers.",
        ),
        serves_regions=(SOUTHWEST_FINLAND,),
    ),
    OrganisationSpec(
        name=(BILDNINGSALLIANSSEN, BILDNINGSALLIANSSEN, BILDNINGSALLIANSSEN),
        type=T.NGO,
        home=HELSINKI,
        language_status=L.SWEDISH,
        domain="bildningsalliansen.example",
        description=(
            "Ruotsinkielisen vapaan sivistystyön kattojärjestö; kotoutumista tukevaa "
            "opintotoimintaa.",
            "Takorganisation för det fria bildningsarbetet på svenska; studieverksamhet som "
            "stöder integration.",
            "The umbrella body of Swedish-language liberal adult education; study activities "
            "supporting integration.",
        ),
        serves_regions=(SOUTHWEST_FINLAND, OSTROBOTHNIA),
    ),
)

PARTNERSHIP_NETWORK: dict[str, Any] = {
    "slug": PARTNERSHIP,
    "kind": Network.Kind.NETWORK,
    "short_name": "Kumppanuusohjelma",
    **_tr(
        "name",
        (
            "Kotoutumisen kumppanuusohjelma",
            "Partnerskapsprogrammet för integration",
            "Partnership Programme for Integration",
        ),
    ),
    **_tr(
        "description",
        (
            "Valtakunnallinen kumppanuusohjelma kokoaa viranomaiset, hyvinvointialueet, "
            "oppilaitokset, järjestöt ja yhteisöt edistämään kotoutumista, pakolaisten "
            "vastaanottoa ja yhteiskunnan vastaanottavuutta. Toiminta tutuksi -sarjan lyhyissä "
            "etätietoiskuissa toimijat esittelevät työtään, ja vuosittainen Integration-tapahtuma "
            "kokoaa kentän yhteen.",
            "Det nationella partnerskapsprogrammet samlar myndigheter, välfärdsområden, "
            "läroanstalter, organisationer och föreningar för att främja integration, "
            "mottagning av flyktingar och ett mottagande samhälle. I serien Bekanta dig med "
            "verksamheten presenterar aktörerna sitt arbete i korta distansinfon, och det årliga "
            "evenemanget Integration samlar hela fältet.",
            "The national partnership programme brings together authorities, wellbeing services "
            "counties, schools, associations and communities to promote integration, the "
            "reception of refugees and a welcoming society. In short online info sessions the "
            "partners present their work, and the yearly Integration event gathers the field.",
        ),
    ),
    **_tr(
        "how_to_join",
        (
            "Kumppaniksi voi liittyä mikä tahansa kotoutumista edistävä organisaatio. Lähetä "
            "liittymispyyntö tällä sivulla.",
            "Alla organisationer som främjar integration kan bli partner. Skicka en "
            "anslutningsbegäran på den här sidan.",
            "Any organisation promoting integration may join as a partner. Send a join request "
            "on this page.",
        ),
    ),
    **_tr(
        "meeting_rhythm",
        (
            "Etätietoiskuja keväisin ja syksyisin, Integration-tapahtuma kerran vuodessa",
            "Distansinfon på våren och hösten, evenemanget Integration en gång per år",
            "Online info sessions in spring and autumn, the Integration event once a year",
        ),
    ),
    "languages": ["fi", "sv", "en"],
    "contact_email": "kumppanuusohjelma@tem.example",
}
# Members of the national network: (organisation, people from it), and two demo logins.
PARTNERSHIP_MEMBERS = (
    ("KEHA-keskus", 1),
    ("Maahanmuuttovirasto", 1),
    ("Kansaneläkelaitos Kela", 1),
)
PARTNERSHIP_LOGINS = (COORDINATOR_EMAIL, "samordnare@kotoverkko.example")


# Places -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Venue:
    name: str
    street: str
    postal: str
    municipality: str

    def data(self) -> dict[str, Any]:
        return {
            "format": Event.Format.IN_PERSON,
            "venue_name": self.name,
            "street_address": self.street,
            "postal_code": self.postal,
            **_tr("accessibility", ACCESSIBLE),
        }


ACCESSIBLE: Tr = (
    "Esteetön sisäänkäynti ja hissi; salissa induktiosilmukka.",
    "Tillgänglig entré och hiss; induktionsslinga i salen.",
    "Step-free entrance and lift; induction loop in the hall.",
)

# Where each host organisation receives a meeting (invented addresses).
VENUES: dict[str, Venue] = {
    "Rovaniemen kaupunki": Venue(
        "Rovaniemen kaupungintalo, valtuustosali", "Hallituskatu 7", "96100", ROVANIEMI
    ),
    "Kemin kaupunki": Venue("Kemin kaupungintalo, valtuustosali", "Valtakatu 26", "94100", KEMI),
    "Tornion kaupunki": Venue("Tornion kaupungintalo", "Suensaarenkatu 4", "95400", TORNIO),
    "Keminmaan kunta": Venue("Keminmaan kunnantalo", "Kirkkotie 2", "94400", KEMINMAA),
    "Ranuan kunta": Venue("Ranuan kunnantalo", "Keskustie 10", "97700", RANUA),
    "Sodankylän kunta": Venue("Sodankylän kunnantalo", "Jäkäläntie 1", "99600", SODANKYLA),
    "Lapin ammattikorkeakoulu": Venue(
        "Lapin ammattikorkeakoulu, Rantavitikan kampus", "Jokiväylä 11", "96300", ROVANIEMI
    ),
    "Lapin yliopisto": Venue(
        "Lapin yliopisto, luentosali 2", "Yliopistonkatu 8", "96300", ROVANIEMI
    ),
    "Lapin koulutuskeskus REDU": Venue(
        "Lapin koulutuskeskus REDU, auditorio", "Toripolku 4", "96100", ROVANIEMI
    ),
    "Koulutuskuntayhtymä Lappia": Venue(
        "Lappia, Tornion kampus, auditorio", "Kauppakatu 58", "95400", TORNIO
    ),
    "Lapin hyvinvointialue": Venue(
        "Lapin hyvinvointialueen koulutustila", "Ounasrinteentie 22", "96400", ROVANIEMI
    ),
    "Suomen Punainen Risti, Lapin piiri": Venue(
        "SPR:n Lapin piirin kokoustila", "Rovakatu 17", "96200", ROVANIEMI
    ),
    "Kemin vastaanottokeskus": Venue(
        "Kemin vastaanottokeskus, kokoushuone", "Meripuistokatu 10", "94100", KEMI
    ),
    "Kemin seurakunta": Venue("Kemin seurakuntakeskus", "Kirkkopuistokatu 5", "94100", KEMI),
    "Rovaniemen seurakunta": Venue(
        "Rovaniemen seurakuntakeskus", "Rauhankatu 70", "96100", ROVANIEMI
    ),
    "Lapin Monikulttuuriset ry": Venue(
        "Monikulttuurinen kohtaamispaikka", "Koskikatu 25", "96200", ROVANIEMI
    ),
    "Vaasan kaupunki": Venue(
        "Vaasan kaupungintalo, juhlasali", "Kirkkopuistikko 26", "65100", VAASA
    ),
}
KEMI_2017 = Venue("Kemin kaupungintalo, valtuustosali", "Valtakatu 26", "94100", KEMI)
LEVI = Venue("Levin kokous- ja tapahtumakeskus", "Myllyjoentie 2", "99130", KITTILA)
ROVANIEMI_2018 = Venue(
    "Lapin ammattikorkeakoulu, Rantavitikan kampus", "Jokiväylä 11", "96300", ROVANIEMI
)
KEMI_2018 = Venue("Kemin kulttuurikeskus", "Marina Takalon katu 3", "94100", KEMI)
NAPAPIIRI = Venue("Napapiirin kokoustila", "Tähtikuja 1", "96930", ROVANIEMI)
TURKU_2024 = Venue("Logomo", "Köydenpunojankatu 14", "20100", TURKU)

# The whole network's meetings go round these hosts (seed 001: hosting should rotate).
ROTATIONS: dict[str, tuple[str, ...]] = {
    MAKO: (
        "Rovaniemen kaupunki",
        "Kemin kaupunki",
        "Lapin ammattikorkeakoulu",
        "Tornion kaupunki",
        "Lapin koulutuskeskus REDU",
        "Koulutuskuntayhtymä Lappia",
        "Suomen Punainen Risti, Lapin piiri",
    ),
    MERI_LAPPI: (
        "Kemin kaupunki",
        "Tornion kaupunki",
        "Keminmaan kunta",
        "Koulutuskuntayhtymä Lappia",
        "Kemin seurakunta",
    ),
    ROVANIEMI_NET: (
        "Rovaniemen kaupunki",
        "Lapin koulutuskeskus REDU",
        "Rovaniemen seurakunta",
        "Lapin Monikulttuuriset ry",
        "Ranuan kunta",
    ),
}

TEAMS_LINK = "https://teams.example.com/l/meetup-join/{key}"


# Texts of the agendas -----------------------------------------------------------------------

OPENING: Tr = ("Avaus ja kuulumiset", "Öppning och nyheter", "Opening and news")
ROUND: Tr = (
    "Ajankohtaiskierros: organisaatioiden kuulumiset",
    "Aktuell runda: nytt från organisationerna",
    "Current-affairs round: news from the organisations",
)
COFFEE: Tr = ("Kahvitauko", "Kaffepaus", "Coffee break")
LUNCH: Tr = ("Lounas", "Lunch", "Lunch")
DEBRIEF: Tr = ("Työpajan purku", "Genomgång av workshoppen", "Workshop debrief")
DISCUSSION: Tr = ("Keskustelu ja kysymykset", "Diskussion och frågor", "Discussion and questions")
TEAM_WORK: Tr = (
    "Yhteinen työskentely ja sovitut jatkotoimet",
    "Gemensamt arbete och överenskomna fortsatta åtgärder",
    "Working together and agreed next steps",
)
NEXT: Tr = (
    "Seuraavan kokouksen ajankohta ja lopetus",
    "Nästa möte och avslutning",
    "Next meeting and closing",
)


def _talk(theme: Tr) -> Tr:
    return (f"Teemaesitys: {theme[0]}", f"Temainledning: {theme[1]}", f"Theme talk: {theme[2]}")


def _workshop(theme: Tr) -> Tr:
    return (
        f"Työpaja: {theme[0]} – mitä se tarkoittaa meidän alueellamme?",
        f"Workshop: {theme[1]} – vad betyder det i vår region?",
        f"Workshop: {theme[2]} – what does it mean in our area?",
    )


# Lapland MAKO: the whole network ----------------------------------------------------------

# The half-yearly meetings' themes and the organisations their speakers come from.
MAKO_THEMES: tuple[tuple[Tr, tuple[str, ...]], ...] = (
    (
        (
            "Alueelliset verkostot ja uudet temaattiset tiimit",
            "De regionala nätverken och de nya tematiska teamen",
            "The regional networks and the new thematic teams",
        ),
        ("Kemin kaupunki", "Rovaniemen kaupunki"),
    ),
    (
        (
            "Työllisyys ja kotoutuminen",
            "Sysselsättning och integration",
            "Employment and integration",
        ),
        ("Lapin ammattikorkeakoulu",),
    ),
    (
        (
            "Koronapandemia ja etäpalvelut maahan muuttaneille",
            "Coronapandemin och distanstjänster för invandrare",
            "The pandemic and remote services for newcomers",
        ),
        ("Suomen Punainen Risti, Lapin piiri", "Arktinen Tulkkaus Oy"),
    ),
    (
        (
            "Maahan muuttaneiden mielenterveyden tukeminen",
            "Stöd för invandrares psykiska hälsa",
            "Supporting newcomers' mental health",
        ),
        ("Suomen Punainen Risti, Lapin piiri", "Lapin yliopisto"),
    ),
    (
        (
            "Kotoutumisen selonteko ja kotoutumislain uudistus",
            "Redogörelsen om integration och den nya integrationslagen",
            "The integration report and the reform of the Integration Act",
        ),
        (ELY_LAPLAND,),
    ),
    (
        (
            "Ukrainasta paenneiden vastaanotto ja tilapäinen suojelu",
            "Mottagning av flyktingar från Ukraina och tillfälligt skydd",
            "Receiving people fleeing Ukraine: temporary protection",
        ),
        ("Maahanmuuttovirasto", "Kemin vastaanottokeskus"),
    ),
    (
        (
            "Järjestöjen kotouttava työ",
            "Organisationernas integrationsarbete",
            "Associations' integration work",
        ),
        ("Lapin Monikulttuuriset ry", "Kulttuurisilta Meri-Lappi ry"),
    ),
    (
        (
            "Hyvinvointialueet ja kotoutumisen palvelut",
            "Välfärdsområdena och integrationstjänsterna",
            "Wellbeing services counties and integration services",
        ),
        ("Lapin hyvinvointialue",),
    ),
    (
        (
            "TE-palvelut 2024 -uudistus ja työllisyysalueet",
            "Reformen TE-tjänster 2024 och sysselsättningsområdena",
            "The 2024 employment services reform and the employment areas",
        ),
        ("KEHA-keskus", "Rovaniemen kaupunki"),
    ),
    (
        (
            "Uusi kotoutumislaki 1.1.2025",
            "Den nya integrationslagen 1.1.2025",
            "The new Integration Act of 1 January 2025",
        ),
        (ELY_LAPLAND, "Kansaneläkelaitos Kela"),
    ),
    (
        (
            "Kotoutumisohjelma ja kielikoulutus käytännössä",
            "Integrationsprogrammet och språkutbildningen i praktiken",
            "The integration programme and language training in practice",
        ),
        ("Rovaniemen kaupunki", "Lapin koulutuskeskus REDU"),
    ),
    (
        (
            "Työperäinen maahanmuutto ja osaajien juurtuminen Lappiin",
            "Arbetskraftsinvandring och att få kompetens att rota sig i Lappland",
            "Work-based immigration and helping professionals settle in Lapland",
        ),
        ("Osaajat Lappiin -hanke (ESR+)", "Lapin liitto"),
    ),
    (
        (
            "Elinvoimakeskusuudistus ja MAKO-verkoston tulevaisuus",
            "Reformen med livskraftscentraler och MAKO-nätverkets framtid",
            "The regional development centre reform and the future of the MAKO network",
        ),
        (ELY_LAPLAND,),
    ),
    (
        (
            "Kotouttamisen alueellinen kehittäminen elinvoimakeskuksessa",
            "Regional utveckling av integrationen i livskraftscentralen",
            "Developing integration regionally in the regional development centre",
        ),
        (ELINVOIMA_LAPLAND,),
    ),
    (
        (
            "Kielitaito työelämässä: selkokieli ja tulkkaus",
            "Språkkunskaper i arbetslivet: lättläst språk och tolkning",
            "Language at work: plain language and interpreting",
        ),
        ("Arktinen Tulkkaus Oy", "Meri-Lapin työllisyysalue"),
    ),
    (
        (
            "Palautekysely ja verkoston kehittämisideointi",
            "Responsenkät och idéer för att utveckla nätverket",
            "Feedback survey and ideas for developing the network",
        ),
        (ELINVOIMA_LAPLAND,),
    ),
    (
        (
            "Kotoutuminen pienissä kunnissa",
            "Integration i små kommuner",
            "Integration in small municipalities",
        ),
        ("Sodankylän kunta", "Ranuan kunta"),
    ),
    (
        (
            "Lasten ja nuorten kotoutuminen",
            "Barns och ungas integration",
            "The integration of children and young people",
        ),
        ("Rovaniemen kaupunki", "Lapin koulutuskeskus REDU"),
    ),
)

REGIONAL_THEMES: tuple[Tr, ...] = (
    (
        "Alueen uudet hankkeet ja yhteistyö",
        "Regionens nya projekt och samarbete",
        "New projects in the area",
    ),
    (
        "Alkukartoitus ja kotoutumissuunnitelma",
        "Inledande kartläggning och integrationsplan",
        "Initial assessment and integration plan",
    ),
    (
        "Kielikahvilat ja vapaaehtoistoiminta",
        "Språkkaféer och frivilligverksamhet",
        "Language cafés and volunteering",
    ),
    ("Asuminen ja arjen neuvonta", "Boende och vardagsrådgivning", "Housing and everyday advice"),
    ("Nuorten koulutuspolut", "Ungas utbildningsvägar", "Young people's education paths"),
    (
        "Työnantajayhteistyö ja kesätyöt",
        "Samarbete med arbetsgivare och sommarjobb",
        "Working with employers and summer jobs",
    ),
    ("Selkokieli asiakastyössä", "Lättläst språk i kundarbetet", "Plain language with clients"),
    (
        "Ukrainalaisten tilanne alueella",
        "Ukrainarnas situation i regionen",
        "Ukrainians in the area today",
    ),
    (
        "Perheiden kotoutuminen ja varhaiskasvatus",
        "Familjers integration och småbarnspedagogik",
        "Families' integration and early childhood education",
    ),
    (
        "Palveluohjaus: kuka tekee mitäkin?",
        "Servicehandledning: vem gör vad?",
        "Service guidance: who does what?",
    ),
)

TEAM_THEMES: dict[str, tuple[Tr, ...]] = {
    TEAM_REFUGEES: (
        (
            "Kiintiöpakolaisten saapumisen valmistelu",
            "Förberedelser inför kvotflyktingarnas ankomst",
            "Preparing for quota refugees' arrival",
        ),
        (
            "Tulkkauksen järjestäminen",
            "Att ordna tolkning",
            "Arranging interpreting",
        ),
        (
            "Kuntaan siirtyminen vastaanottokeskuksesta",
            "Flytt från förläggningen till kommunen",
            "Moving from a reception centre to a municipality",
        ),
        ("Traumatietoinen työote", "Traumamedvetet arbetssätt", "Trauma-informed work"),
    ),
    TEAM_RURAL: (
        (
            "Etäpalvelut pitkien matkojen kunnissa",
            "Distanstjänster i kommuner med långa avstånd",
            "Remote services where distances are long",
        ),
        (
            "Kuntien yhteinen maahanmuuttokoordinaattori",
            "En gemensam invandrarkoordinator för kommunerna",
            "A shared immigration coordinator",
        ),
        (
            "Kausityöntekijät ja heidän perheensä",
            "Säsongsarbetare och deras familjer",
            "Seasonal workers and their families",
        ),
    ),
    TEAM_EDU_MERI_LAPPI: (
        (
            "Siirtymä kotoutumiskoulutuksesta ammatilliseen koulutukseen",
            "Övergången från integrationsutbildning till yrkesutbildning",
            "From integration training to vocational education",
        ),
        (
            "Suomen kielen tasot ja opintojen ohjaus",
            "Nivåer i finska och studiehandledning",
            "Finnish levels and study guidance",
        ),
        (
            "Oppisopimus maahan muuttaneille",
            "Läroavtal för invandrare",
            "Apprenticeships for newcomers",
        ),
    ),
    TEAM_EDU_ROVANIEMI: (
        (
            "Korkeakouluvalmennus ja aiemman osaamisen tunnistaminen",
            "Högskoleförberedande utbildning och erkännande av tidigare kunnande",
            "Preparing for higher education and recognising prior learning",
        ),
        (
            "Kielitaidon arviointi yhteisin kriteerein",
            "Bedömning av språkkunskaper med gemensamma kriterier",
            "Assessing language skills with shared criteria",
        ),
        (
            "Opinto-ohjauksen yhteinen kalenteri",
            "En gemensam kalender för studiehandledningen",
            "A shared calendar for study guidance",
        ),
    ),
}
# The teams started in 2019 (seed 000); their meetings are hosted by the lead's organisation.
TEAM_PARENTS = {
    TEAM_REFUGEES: MAKO,
    TEAM_RURAL: MAKO,
    TEAM_EDU_MERI_LAPPI: MERI_LAPPI,
    TEAM_EDU_ROVANIEMI: ROVANIEMI_NET,
}


# POMAKO -------------------------------------------------------------------------------------

# Seed 002, word for word.
POMAKO_SEPTEMBER_2021: Tr = (
    "Kotoutumisen selonteko eduskunnalle - Millaisia uudistuksia selonteossa esitetään "
    "kotoutumispalveluihin?",
    "Redogörelsen om behoven av att reformera integrationsfrämjandet till riksdagen – "
    "Hurdana reformer föreslås det i redogörelsen angående integrationstjänsterna?",
    "The government report on integration to Parliament – what reforms does it propose for "
    "integration services?",
)
POMAKO_SEPTEMBER_2021_DESCRIPTION: Tr = (
    "Pääministeri Marinin hallitusohjelmassa linjataan, että hallitus laatii "
    "kotouttamistoimien uudistamistarpeista kokonaisvaltaisen toimenpideohjelman eduskunnan "
    "hyväksymän tarkastusvaliokunnan mietinnön (TrVM 6/2018vp) pohjalta. Mietinnössä "
    "edellytettiin, että hallitus antaa toimenpideohjelman eduskunnalle selontekona sekä "
    "uudistaa kotoutumislain kokonaisuudessaan ja tarvittavan muun lainsäädännön selonteon "
    "eduskuntakäsittelyn pohjalta.\n\nSelonteon tavoitteena on kotoutumisen edistämisen "
    "kehittäminen kokonaisvaltaisesti huomioiden maahanmuuttajien erilaiset tarpeet, "
    "palvelujärjestelmä kokonaisuutena ja väestösuhteiden edistäminen.",
    "I statsminister Marins regeringsprogram sägs att regeringen kommer att utarbeta ett "
    "övergripande åtgärdsprogram om behovet av att se över de integrationsfrämjande åtgärderna "
    "utifrån revisionsutskottets betänkande (ReUB 6/2018vp) som riksdagen godkänt. I "
    "betänkandet förutsattes det att regeringen överlämnar det operativa programmet till "
    "riksdagen i form av en redogörelse samt om arbetar integrationslagen och övrig "
    "lagstiftning vid behov utifrån riksdagsbehandlingen av redogörelsen.\n\nSyftet med "
    "redogörelsen är att utveckla integrationsfrämjandet på ett övergripande sätt med "
    "beaktande av invandrarnas olika behov, servicesystemet som helhet och främjandet av "
    "relationerna mellan befolkningsgrupperna.",
    "Prime Minister Marin's government programme states that the government will draw up a "
    "comprehensive programme of measures to reform integration, based on the Audit "
    "Committee's report (TrVM 6/2018vp) approved by Parliament. The programme is given to "
    "Parliament as a report, and the Integration Act is then reformed as a whole.\n\nThe "
    "report aims to develop integration comprehensively, taking into account immigrants' "
    "different needs, the service system as a whole and good relations between population "
    "groups.",
)
POMAKO_DESCRIPTION: Tr = (
    "POMAKO-verkoston kuukausitapaaminen Teamsissa. Kuukauden teeman alustavat alan "
    "asiantuntijat, minkä jälkeen aiheesta keskustellaan yhdessä.",
    "POMAKO-nätverkets månadsmöte på Teams. Månadens tema inleds av experter och sedan "
    "diskuterar vi det tillsammans.",
    "POMAKO's monthly meeting on Teams. Experts introduce the month's theme, then we discuss "
    "it together.",
)
# Monthly themes after September 2021, in order; (fi, sv, en) and where the speaker is from.
POMAKO_THEMES: tuple[tuple[Tr, str], ...] = (
    (
        (
            "Työperäinen maahanmuutto Pohjanmaalla",
            "Arbetskraftsinvandring i Österbotten",
            "Work-based immigration in Ostrobothnia",
        ),
        "Botnia Rekrytointi Oy",
    ),
    (
        (
            "Kotoutumiskoulutuksen uudet mallit",
            "Nya modeller för integrationsutbildning",
            "New models of integration training",
        ),
        "Optima kuntayhtymä",
    ),
    (
        (
            "Maahan muuttaneiden mielenterveys ja hyvinvointi",
            "Invandrares psykiska hälsa och välmående",
            "Newcomers' mental health and wellbeing",
        ),
        "Suomen Punainen Risti, Pohjanmaan piiri",
    ),
    (
        (
            "Hyvinvointialueet ja kotouttaminen",
            "Välfärdsområdena och integrationsfrämjandet",
            "Wellbeing services counties and integration",
        ),
        "Pohjanmaan hyvinvointialue",
    ),
    (
        (
            "Kielikylpy ja ruotsi kotoutumisen kielenä",
            "Språkbad och svenska som integrationsspråk",
            "Swedish as a language of integration",
        ),
        "Yrkeshögskolan Novia",
    ),
    (
        (
            "Ukrainasta paenneiden vastaanotto",
            "Mottagningen av flyktingar från Ukraina",
            "Receiving people fleeing Ukraine",
        ),
        "Kristiinankaupungin vastaanottokeskus",
    ),
    (
        (
            "Tilapäistä suojelua saavien kuntapaikat",
            "Kommunplatser för personer med tillfälligt skydd",
            "Municipal places for people under temporary protection",
        ),
        "Vaasan kaupunki",
    ),
    (
        (
            "Järjestöt kotouttajina",
            "Föreningarna som integrationsaktörer",
            "Associations as integrators",
        ),
        "Kotoutumisyhdistys Bryggan ry",
    ),
    (
        (
            "Maahanmuuttajanuorten koulutuspolut",
            "Unga invandrares utbildningsvägar",
            "Young immigrants' education paths",
        ),
        "Optima kuntayhtymä",
    ),
    (
        (
            "Oleskeluluvat ja kansalaisuus: mitä uutta?",
            "Uppehållstillstånd och medborgarskap: vad är nytt?",
            "Residence permits and citizenship: what's new?",
        ),
        "Maahanmuuttovirasto",
    ),
    (
        (
            "Kelan palvelut maahan muuttaneille",
            "FPA:s tjänster för invandrare",
            "Kela's services for newcomers",
        ),
        "Kansaneläkelaitos Kela",
    ),
    (
        (
            "TE-palvelut 2024: työllisyysalueet aloittavat",
            "TE-tjänster 2024: sysselsättningsområdena inleder",
            "Employment services 2024: the employment areas start",
        ),
        "Vaasan seudun työllisyysalue",
    ),
    (
        (
            "Uuden kotoutumislain toimeenpano",
            "Genomförandet av den nya integrationslagen",
            "Implementing the new Integration Act",
        ),
        ELY_OSTROBOTHNIA,
    ),
    (
        (
            "Kotoutumisohjelma kunnissa",
            "Integrationsprogrammet i kommunerna",
            "The integration programme in municipalities",
        ),
        "Kokkolan kaupunki",
    ),
    (
        (
            "Työnantajat ja monimuotoinen työyhteisö",
            "Arbetsgivarna och en mångfaldig arbetsgemenskap",
            "Employers and a diverse workplace",
        ),
        "Botnia Rekrytointi Oy",
    ),
    (
        (
            "Kotona Pohjanmaalla: ohjausmalli pienille kunnille",
            "Hemma i Österbotten: en vägledningsmodell för små kommuner",
            "At Home in Ostrobothnia: a guidance model for small municipalities",
        ),
        "Kotona Pohjanmaalla -hanke (ESR+)",
    ),
    (
        (
            "Perheiden kotoutuminen ja varhaiskasvatus",
            "Familjers integration och småbarnspedagogik",
            "Families' integration and early childhood education",
        ),
        "Pietarsaaren kaupunki",
    ),
    (
        (
            "Elinvoimakeskukset 2026: mikä muuttuu?",
            "Livskraftscentralerna 2026: vad förändras?",
            "Regional development centres 2026: what changes?",
        ),
        ELY_OSTROBOTHNIA,
    ),
    (
        (
            "Väestösuhteet ja syrjinnän ehkäisy",
            "Relationerna mellan befolkningsgrupper och förebyggande av diskriminering",
            "Good relations and preventing discrimination",
        ),
        "Pohjanmaan monikulttuuriset ry",
    ),
    (
        (
            "Asuminen ja asuntomarkkinat",
            "Boende och bostadsmarknaden",
            "Housing and the housing market",
        ),
        "Närpiön kaupunki",
    ),
    (
        (
            "Seurakunnat kohtaamispaikkoina",
            "Församlingarna som mötesplatser",
            "Parishes as meeting places",
        ),
        "Vaasan seurakuntayhtymä",
    ),
    (
        (
            "Terveyspalvelut ja tulkkaus",
            "Hälsotjänster och tolkning",
            "Health services and interpreting",
        ),
        "Keski-Pohjanmaan hyvinvointialue Soite",
    ),
)
POMAKO_OUTSIDERS = (
    ("Maria Kronqvist", "maria.kronqvist@larsmo.example", "Larsmo kommun", "sv"),
    ("Jenni Hakala", "jenni.hakala@kauhava.example", "Kauhavan kaupunki", "fi"),
    ("Anders Storbacka", "anders.storbacka@kronoby.example", "Kronoby kommun", "sv"),
)
LAPLAND_OUTSIDERS = (
    ("Jouni Alatalo", "jouni.alatalo@kemijarvi.example", "Kemijärven kaupunki", "fi"),
    ("Sari Niemelä", "sari.niemela@kittila.example", "Kittilän kunta", "fi"),
    ("Tarja Mourujärvi", "tarja.mourujarvi@tornionopisto.example", "Tornionlaakson opisto", "fi"),
)
NATIONAL_OUTSIDERS = (
    ("Liisa Virtanen", "liisa.virtanen@kaarina.example", "Kaarinan kaupunki", "fi"),
    ("Ahmed Farah", "ahmed.farah@paimio.example", "Paimio-Sauvon kotouttamispalvelut", "fi"),
    ("Johanna Lindroos", "johanna.lindroos@uusikaupunki.example", "Uudenkaupungin kaupunki", "fi"),
    ("Emma Sjöblom", "emma.sjoblom@pargas.example", "Pargas stad", "sv"),
)


# Integration 2024 (seed 003) ------------------------------------------------------------------

INTEGRATION_AUDIENCES = (
    "public-administration",
    "municipalities",
    "state-administration",
    "universities",
    "ngos",
    "wellbeing-counties",
)
INFO_FIRST, INFO_UNTIL = date(2024, 2, 2), date(2024, 6, 14)
INFO_SKIPPED = (date(2024, 3, 29),)  # Good Friday
INFO_TITLE: Tr = (
    "Integration 2024 tutuksi -tietoisku",
    "Bekanta dig med Integration 2024 – infosession",
    "Get to know Integration 2024 – info session",
)
INFO_DESCRIPTION: Tr = (
    "Integration 2024 tutuksi -tietoiskuissa kerrotaan Integration 2024 -tapahtumasta ja sen "
    "järjestelyistä ja toimijoista. Integration 2024 -tapahtuma järjestetään Turussa "
    "14.-15.11.2024. Mikä tapahtuma on, missä ja milloin se järjestetään? Ketkä järjestävät "
    "tapahtuman tänä vuonna? Mitkä ovat tapahtuman aiheet ja kenelle tapahtuma on suunnattu? "
    "Näihin ja muihin kysymyksiin kuulet vastauksia kevään mittaan Integration 2024 -tutuksi "
    "tilaisuuksissa.\n\nTietoiskuja järjestetään etänä Teams-yhteydellä 14.6.2024 asti "
    "perjantaisin klo 9-10. Osallistumislinkki on sama jokaisella alkuvuoden tapahtumakerralla. "
    "Osallistumislinkki lähetetään ilmoittautuneille sähköpostilla ennen tapahtumaa. "
    "Tietoiskuihin voi osallistua myös ilman ennakkoilmoittautumista.",
    "Infosessionerna berättar om evenemanget Integration 2024, hur det ordnas och vem som står "
    "bakom det. Integration 2024 ordnas i Åbo 14–15.11.2024. Vad är evenemanget, var och när "
    "ordnas det, vem ordnar det i år, vilka är teman och vem riktar det sig till? Svar på dessa "
    "och andra frågor får du under våren i infosessionerna.\n\nInfosessionerna hålls på distans "
    "via Teams på fredagar kl. 9–10 fram till 14.6.2024. Deltagarlänken är densamma vid alla "
    "tillfällen. Länken skickas per e-post till dem som anmält sig. Du kan också delta utan "
    "att anmäla dig.",
    "The info sessions tell about the Integration 2024 event, its arrangements and the people "
    "behind it. Integration 2024 takes place in Turku on 14–15 November 2024. What is it, where "
    "and when, who organises it this year, what are its topics and who is it for? Hear the "
    "answers in the spring's info sessions.\n\nThe sessions are held on Teams on Fridays from "
    "9 to 10 until 14 June 2024. The participation link is the same for every session and is "
    "e-mailed to those who register. You are welcome without registering, too.",
)
INFO_MAY_10: Tr = (
    "Varsinais-Suomen kuntien maahanmuuttokoordinaattorit",
    "Invandrarkoordinatorerna i kommunerna i Egentliga Finland",
    "The immigration coordinators of Southwest Finland's municipalities",
)
INFO_MAY_10_DESCRIPTION: Tr = (
    "Toukokuun tilaisuudessa 10.5.2024 mukana on Varsinais-Suomen kunnissa työskenteleviä "
    "maahanmuuttokoordinaattoreita. Viime vuoden aikana sosiaalipalveluiden siirryttyä "
    "hyvinvointialueille kunnat ovat palkanneet maahanmuutto- ja kotoutumistehtäviin "
    "maahanmuuttokoordinaattoreita. Useissa pienemmissä kunnissa maahanmuuttokoordinaattoreiden "
    "tehtävä on yhdistetty esim. työllisyys- tai hyvinvointikoordinaattorin tai -päällikön "
    "tehtävien kanssa. Toinen malli on, että maahanmuuttokoordinaattori tekee töitä kahden tai "
    "useamman kunnan alueella. Varsinais-Suomen kunnissa on käytössä monenlaisia malleja.\n\n"
    "Varsinais-Suomen kunnissa toimivat maahanmuuttokoordinaattorit ovat muodostaneet oman "
    "verkoston, jossa työntekijät voivat vaihtaa käytäntöjä, keskustella työhön liittyvistä "
    "asioista ja ennen kaikkea saada vertaistukea. Tietoiskuissa maahanmuuttokoordinaattorit "
    "kertovat omasta työstään ja yhteistyöstä muiden viranomaisten ja järjestöjen kanssa. "
    "Keskustelua käydään Salon maahanmuuttokoordinaattorin Marina Mgvdeladzen johdolla ja "
    "mukana on ainakin Kaarinan, Paimio-Sauvon, Uudenkaupungin maahanmuuttokoordinaattorit.",
    "Vid tillfället den 10 maj 2024 medverkar invandrarkoordinatorer från kommunerna i "
    "Egentliga Finland. Sedan socialtjänsterna flyttade till välfärdsområdena har kommunerna "
    "anställt invandrarkoordinatorer; i många små kommuner kombineras uppgiften med andra, "
    "eller så arbetar en koordinator för flera kommuner. Koordinatorerna har bildat ett eget "
    "nätverk för kamratstöd. Diskussionen leds av Salos invandrarkoordinator Marina "
    "Mgvdeladze, och med är åtminstone koordinatorerna från S:t Karins, Pemar-Sagu och "
    "Nystad.",
    "At the session on 10 May 2024, immigration coordinators working in Southwest Finland's "
    "municipalities talk about their work and the network they have formed. The discussion "
    "is led by Salo's immigration coordinator Marina Mgvdeladze, with at least the "
    "coordinators of Kaarina, Paimio-Sauvo and Uusikaupunki.",
)
# The other Fridays: who presents (the organisation's name_fi, or a name of our own).
INFO_TOPICS: tuple[tuple[Tr, str], ...] = (
    (("Mikä on Integration 2024?", "Vad är Integration 2024?", "What is Integration 2024?"), TEM),
    (
        (
            "Järjestäjät esittäytyvät: Varsinais-Suomen ELY-keskus",
            "Arrangörerna presenterar sig: NTM-centralen i Egentliga Finland",
            "Meet the organisers: the Southwest Finland ELY Centre",
        ),
        ELY_SOUTHWEST,
    ),
    (
        (
            "Turun kaupungin kotouttamistyö",
            "Åbo stads integrationsarbete",
            "The City of Turku's integration work",
        ),
        TURKU_CITY,
    ),
    (
        (
            "Hyvinvointialueen maahanmuuttajapalvelut",
            "Välfärdsområdets tjänster för invandrare",
            "The wellbeing county's services for immigrants",
        ),
        SOUTHWEST_COUNTY,
    ),
    (
        (
            "Vapaa sivistystyö kotoutumisen tukena",
            "Det fria bildningsarbetet som stöd för integration",
            "Liberal adult education supporting integration",
        ),
        BILDNINGSALLIANSSEN,
    ),
    (
        (
            "Tapahtuman ohjelma ja teemat",
            "Evenemangets program och teman",
            "The event's programme and themes",
        ),
        ELY_SOUTHWEST,
    ),
    (
        (
            "Kotoutumisen kumppanuusohjelma",
            "Partnerskapsprogrammet för integration",
            "The partnership programme for integration",
        ),
        TEM,
    ),
    (
        (
            "Pakolaisten vastaanotto kunnissa",
            "Mottagning av flyktingar i kommunerna",
            "Receiving refugees in municipalities",
        ),
        "Maahanmuuttovirasto",
    ),
    (
        (
            "Kelan palvelut maahan muuttaneille",
            "FPA:s tjänster för invandrare",
            "Kela's services for newcomers",
        ),
        "Kansaneläkelaitos Kela",
    ),
    (
        (
            "Kotoutumiskorvaukset kunnille",
            "Integrationsersättningar till kommunerna",
            "Integration compensation for municipalities",
        ),
        "KEHA-keskus",
    ),
    (
        (
            "Kotoutumiskoulutus ja kielikoulutus",
            "Integrationsutbildning och språkutbildning",
            "Integration training and language training",
        ),
        BILDNINGSALLIANSSEN,
    ),
    (
        (
            "Yhteiskunnan vastaanottavuus",
            "Ett mottagande samhälle",
            "A welcoming society",
        ),
        TEM,
    ),
    (
        (
            "Järjestöjen kotouttava työ Varsinais-Suomessa",
            "Organisationernas integrationsarbete i Egentliga Finland",
            "Associations' integration work in Southwest Finland",
        ),
        SOUTHWEST_COUNTY,
    ),
    (
        (
            "Työllisyysalueet valmistautuvat vuoteen 2025",
            "Sysselsättningsområdena förbereder sig för 2025",
            "The employment areas prepare for 2025",
        ),
        "KEHA-keskus",
    ),
    (
        (
            "Nuorten kotoutuminen ja koulutuspolut",
            "Ungas integration och utbildningsvägar",
            "Young people's integration and education paths",
        ),
        TURKU_CITY,
    ),
    (
        (
            "Turku kotoutumisen kaupunkina",
            "Åbo som integrationsstad",
            "Turku as a city of integration",
        ),
        TURKU_CITY,
    ),
    (
        (
            "Tapahtuman käytännön järjestelyt",
            "Evenemangets praktiska arrangemang",
            "Practical arrangements of the event",
        ),
        ELY_SOUTHWEST,
    ),
    (
        (
            "Työpajat ja ilmoittautuminen tapahtumaan",
            "Workshoppar och anmälan till evenemanget",
            "Workshops and registering for the event",
        ),
        ELY_SOUTHWEST,
    ),
)
INTEGRATION_TITLE: Tr = ("Integration 2024", "Integration 2024", "Integration 2024")
INTEGRATION_DESCRIPTION: Tr = (
    "Integration 2024 -tapahtuma kokoaa kotoutumisen parissa työskentelevät Turkuun "
    "14.-15.11.2024. Tapahtuman järjestää Varsinais-Suomen ELY-keskus yhteistyössä työ- ja "
    "elinkeinoministeriön kanssa. Tapahtumaa rahoittavat myös Turun kaupunki, "
    "Varsinais-Suomen hyvinvointialue ja Bildningsallianssen rf. Tapahtuma on osa kotoutumisen "
    "kumppanuusohjelmaa.",
    "Evenemanget Integration 2024 samlar dem som arbetar med integration i Åbo 14–15.11.2024. "
    "Det ordnas av NTM-centralen i Egentliga Finland i samarbete med arbets- och "
    "näringsministeriet och finansieras också av Åbo stad, Välfärdsområdet i Egentliga Finland "
    "och Bildningsallianssen rf. Evenemanget är en del av partnerskapsprogrammet för "
    "integration.",
    "Integration 2024 brings everyone working on integration to Turku on 14–15 November 2024. "
    "It is organised by the Southwest Finland ELY Centre with the Ministry of Economic Affairs "
    "and Employment, and also funded by the City of Turku, the Southwest Finland Wellbeing "
    "Services County and Bildningsallianssen rf. The event is part of the partnership "
    "programme for integration.",
)
INTEGRATION_FUNDING: Tr = (
    "Tapahtuma on Euroopan unionin osarahoittama.",
    "Evenemanget är delfinansierat av Europeiska unionen.",
    "The event is co-funded by the European Union.",
)


# Minutes ------------------------------------------------------------------------------------

ROUND_NOTES = (
    "uusi hanke käynnistyi, haussa yhteistyökumppaneita",
    "asiakasmäärät ovat kasvaneet syksyn aikana",
    "uusi ohjaaja aloitti, yhteystiedot jaetaan muistion liitteenä",
    "kielikahvila jatkuu tiistaisin",
    "tulkkauksen saatavuudessa on ollut haasteita",
    "uusi ryhmä alkaa, ilmoittautuminen on auki",
    "kiintiöpakolaisia saapuu kunnassa ensi vuonna",
    "yhteistyö oppilaitosten kanssa on tiivistynyt",
    "koulutuspäivä suunnitteilla, tarkempi kutsu tulee myöhemmin",
    "ei erityistä tiedotettavaa",
    "hankkeen loppuseminaari pidetään keväällä",
    "palvelupisteen aukioloajat muuttuvat",
)
TALK_NOTES = (
    "Esitys herätti vilkasta keskustelua; diat jaetaan osallistujille muistion mukana.",
    "Keskeiset viestit: tiedonkulku toimijoiden välillä ja asiakkaan ohjaaminen oikeaan "
    "paikkaan heti alussa.",
    "Todettiin, että alueen käytännöt vaihtelevat; sovittiin kokoavan yhteenvedon laatimisesta.",
    "Kysymyksiä tuli erityisesti resursseista ja aikatauluista; vastaukset koottiin muistioon.",
)
WORKSHOP_NOTES = (
    "Ryhmät tunnistivat kolme kehittämiskohdetta: yhteinen palvelukartta, selkokieliset "
    "ohjeet ja säännöllinen tiedonvaihto.",
    "Purussa nousi esiin tarve yhteiselle koulutukselle; koordinaattori selvittää toteutuksen.",
    "Työpajan tulokset kirjataan verkoston työsuunnitelmaan.",
)


# Loading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One agenda item to save."""

    starts_at: datetime
    duration: int
    type: str
    title: Tr
    speakers: tuple[dict[str, Any], ...] = ()

    def data(self) -> dict[str, Any]:
        return {
            "starts_at": self.starts_at,
            "duration": self.duration,
            "type": self.type,
            **_tr("title", self.title),
        }


@dataclass
class Plan:
    """What happens to one event once it exists: agenda, registrations and, depending on
    whether it is past or upcoming, attendance and minutes or planning and invitations."""

    key: str
    agenda: list[Item] = field(default_factory=list)
    registrants: tuple[int, int] = (0, 0)
    pool: str = ""
    walk_ins: tuple[int, int] = (0, 1)
    status: str = Event.Status.SCHEDULED
    minutes: bool = True
    next_text: str = ""
    # Upcoming events only:
    invite: bool = False
    cancellations: int = 0
    overdue_task: str = ""


@dataclass
class Demo:
    today: date
    now: datetime
    seed: int
    networks: dict[str, Network]
    organisations: dict[str, Organisation]
    staff: dict[str, list[Person]]
    pools: dict[str, list[Person]]
    leaders: dict[str, Person]
    municipalities: dict[str, Municipality]
    audiences: dict[str, Audience]
    uids: set[str]
    counts: Counter

    def rng(self, key: str) -> random.Random:
        return random.Random(f"{self.seed}:{key}")  # noqa: S311 - invented data, not security

    def speaker(
        self, organisation: str, index: int = 0, *, day: date | None = None, region: str = ""
    ) -> dict[str, Any]:
        """Someone from the organisation; the region's coordinating centre instead if the
        organisation did not exist yet (or any more) on `day`."""
        if day is not None and not _existed(self.org(organisation), day):
            organisation = _coordinator_org(day, region or LAPLAND)
        people = self.staff.get(organisation) or []
        if people:
            return {"person": people[index % len(people)]}
        return {
            "name": GUESTS.get(organisation, "Asiantuntija"),
            "organisation": self.org(organisation),
        }

    def guest(self, name: str, organisation: str) -> dict[str, Any]:
        found = self.organisations.get(organisation)
        if found is not None:
            return {"name": name, "organisation": found}
        return {"name": name, "organisation_name": organisation}

    def org(self, name: str) -> Organisation | None:
        return self.organisations.get(name)

    def past(self, event: Event) -> bool:
        return event.starts_at < self.now

    def pool(self, slug: str, day: date) -> list[Person]:
        """The people of a pool who could have taken part on `day`: their organisation
        existed then (no 2018 registrant from an elinvoimakeskus founded in 2026)."""
        return [p for p in self.pools.get(slug, []) if _existed(p.organisation, day)]


# When organisations without a recorded start began their work (the wellbeing services
# counties in 2023, the employment areas in 2025); before that their people worked elsewhere.
FOUNDED = {
    "Lapin hyvinvointialue": date(2023, 1, 1),
    "Pohjanmaan hyvinvointialue": date(2023, 1, 1),
    "Keski-Pohjanmaan hyvinvointialue Soite": date(2023, 1, 1),
    SOUTHWEST_COUNTY: date(2023, 1, 1),
    "Rovaniemen työllisyysalue": date(2025, 1, 1),
    "Meri-Lapin työllisyysalue": date(2025, 1, 1),
    "Vaasan seudun työllisyysalue": date(2025, 1, 1),
    "Lapin ukrainalaiset ry": date(2022, 4, 1),
}


def _existed(organisation: Organisation | None, day: date) -> bool:
    if organisation is None:
        return True
    start = organisation.valid_from or FOUNDED.get(organisation.name_fi)
    end = organisation.valid_until
    return (start is None or start <= day) and (end is None or day <= end)


# Invented speakers for organisations with no people in the register.
GUESTS = {
    TEM: "Anna-Maija Koskela",
    ELY_SOUTHWEST: "Petri Laaksonen",
    TURKU_CITY: "Hanna Salminen",
    SOUTHWEST_COUNTY: "Leena Aaltonen",
    BILDNINGSALLIANSSEN: "Johan Sundström",
}


def events_demo_load(*, today: date | None = None, seed: int = DEMO_SEED) -> dict[str, int]:
    """Create the demo events, skipping what exists; returns how many of each were created.

    Needs the network demo (`network.demo.demo_load`) loaded first.
    """
    today = today or timezone.localdate()
    counts: Counter = Counter()
    with translation.override("fi"), transaction.atomic(), mail_suppressed():
        if Network.objects.filter(slug__in=[MAKO, POMAKO]).count() != 2:
            raise ValueError("Load the network demo first.")
        demo = _demo(today, seed, counts)
        _rotations(demo)
        _lapland_history(demo)
        _mako_half_years(demo)
        _regional_meetings(demo)
        _team_meetings(demo)
        _pomako(demo)
        _integration_2024(demo)
        _upcoming(demo)
    return {name: n for name, n in counts.items() if n}


def _demo(today: date, seed: int, counts: Counter) -> Demo:
    municipalities = {m.code: m for m in Municipality.objects.select_related("region")}
    organisations = _organisations(municipalities, counts)
    networks = {n.slug: n for n in Network.objects.all()}
    if PARTNERSHIP not in networks:
        networks[PARTNERSHIP] = network_create(actor=None, data=dict(PARTNERSHIP_NETWORK))
        counts["networks"] += 1
    staff: dict[str, list[Person]] = {}
    people = list(Person.objects.select_related("organisation").order_by("pk"))
    for person in people:
        if person.organisation_id:
            staff.setdefault(person.organisation.name_fi, []).append(person)
    _partnership_members(networks[PARTNERSHIP], staff, people, counts)
    by_id = {n.pk: n for n in networks.values()}
    pools: dict[str, list[Person]] = {EVERYONE: [p for p in people if p.organisation_id]}
    leaders: dict[str, Person] = {}
    person_by_id = {p.pk: p for p in people}
    memberships = Membership.objects.exclude(status=Membership.Status.REQUESTED).order_by(
        "person_id", "pk"
    )
    seen: set[tuple[str, int]] = set()
    for membership in memberships:
        person = person_by_id[membership.person_id]
        network = by_id[membership.network_id]
        leads = membership.status == Membership.Status.ACTIVE and membership.role in (
            Membership.Role.COORDINATOR,
            Membership.Role.LEAD,
        )
        # The login of the role wins over an earlier appointee.
        if leads and (network.slug not in leaders or person.user_id):
            leaders[network.slug] = person
        while network is not None:
            if (network.slug, person.pk) not in seen:
                seen.add((network.slug, person.pk))
                pools.setdefault(network.slug, []).append(person)
            network = by_id.get(network.parent_id) if network.parent_id else None
    uids = set(Event.objects.filter(uid__endswith="@kotoverkko").values_list("uid", flat=True))
    return Demo(
        today=today,
        now=_at(today, 8),
        seed=seed,
        networks=networks,
        organisations=organisations,
        staff=staff,
        pools=pools,
        leaders=leaders,
        municipalities=municipalities,
        audiences={a.code: a for a in Audience.objects.all()},
        uids=uids,
        counts=counts,
    )


def _organisations(
    municipalities: dict[str, Municipality], counts: Counter
) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for organisation in Organisation.objects.order_by("pk"):
        found.setdefault(organisation.name_fi, organisation)
    for spec in ORGANISATIONS:
        if spec.name[0] in found:
            continue
        served = set(spec.serves)
        served.update(c for c, m in municipalities.items() if m.region.code in spec.serves_regions)
        found[spec.name[0]] = organisation_create(
            actor=None,
            data={
                **_tr("name", spec.name),
                **_tr("description", spec.description),
                "type": spec.type,
                "municipality": municipalities[spec.home],
                "municipalities": [municipalities[c] for c in sorted(served)],
                "language_status": spec.language_status,
                "website": f"https://www.{spec.domain}/",
                "email": f"info@{spec.domain}",
                "valid_until": spec.valid_until,
            },
        )
        counts["organisations"] += 1
    return found


def _partnership_members(
    network: Network, staff: dict[str, list[Person]], people: list[Person], counts: Counter
) -> None:
    chosen = [p for org, n in PARTNERSHIP_MEMBERS for p in (staff.get(org) or [])[:n]]
    chosen += [p for p in people if p.email in PARTNERSHIP_LOGINS]
    present = set(
        Membership.objects.filter(network=network, person__in=chosen).values_list(
            "person_id", flat=True
        )
    )
    for person in chosen:
        if person.pk not in present:
            membership_add(actor=None, person=person, network=network, started_on=date(2023, 1, 9))
            counts["memberships"] += 1


def _rotations(demo: Demo) -> None:
    for slug, hosts in ROTATIONS.items():
        network = demo.networks[slug]
        if host_rotation(network=network).exists():
            continue
        host_rotation_set(
            actor=None, network=network, organisations=[demo.organisations[h] for h in hosts]
        )
        demo.counts["host rotations"] += 1


# One event ----------------------------------------------------------------------------------


def _single(demo: Demo, network: str, data: dict[str, Any], plan: Plan) -> Event | None:
    """Create the event of `plan.key` and everything in it, unless it exists."""
    uid = _uid(plan.key)
    if uid in demo.uids:
        return None
    event = event_create(actor=None, network=demo.networks[network], data={**data, "uid": uid})
    demo.uids.add(uid)
    demo.counts["events"] += 1
    _fill(demo, event, plan)
    return event


def _fill(demo: Demo, event: Event, plan: Plan) -> None:
    rng = demo.rng(plan.key)
    items = [
        agenda_item_save(
            actor=None, event=event, data=item.data(), speakers=list(item.speakers) or None
        )
        for item in plan.agenda
    ]
    demo.counts["agenda items"] += len(items)
    registrations = _register(demo, event, plan, rng)
    if registrations:
        for item in items:
            if item.type == A.CURRENT_AFFAIRS:
                agenda_round_slot(actor=None, item=item)
    if plan.status == Event.Status.CANCELLED:
        event_cancel(actor=None, event=event)
        return
    if plan.status == Event.Status.POSTPONED:
        event_update(actor=None, event=event, data={"status": plan.status})
        _checklist_done(event, demo.today)
        return
    if demo.past(event):
        _attendance(demo, event, registrations, plan, rng)
        _checklist_done(event, demo.today)
        if plan.minutes:
            _minutes(demo, event, plan, rng)
    else:
        _planning(demo, event, plan, rng)


def _register(demo: Demo, event: Event, plan: Plan, rng: random.Random) -> list[Registration]:
    low, high = plan.registrants
    if high <= 0:
        return []
    pool = demo.pool(plan.pool or event.network.slug, timezone.localdate(event.starts_at))
    chosen: list[tuple[str, str, Organisation | None, str, str, Person | None]] = [
        (p.full_name, p.email, p.organisation, "", p.language, p)
        for p in rng.sample(pool, min(len(pool), rng.randint(low, high)))
    ]
    outsiders = _outsiders(plan.pool or event.network.slug)
    if outsiders and rng.random() < 0.35:
        name, email, organisation, language = rng.choice(outsiders)
        chosen.insert(
            rng.randrange(len(chosen) + 1), (name, email, None, organisation, language, None)
        )
    closes = event.registration_closes_at()
    latest = closes - timedelta(hours=1)
    if not demo.past(event):
        latest = min(latest, demo.now - timedelta(hours=1))
    span = 30 * 24 * 3600 if demo.past(event) else 21 * 24 * 3600
    moments = sorted(latest - timedelta(seconds=rng.randrange(span)) for _ in chosen)
    with_coffee = event.is_in_person
    entries = []
    for (name, email, organisation, organisation_name, language, person), moment in zip(
        chosen, moments, strict=True
    ):
        data = RegistrationData(
            name=name,
            email=email,
            organisation=organisation,
            organisation_name=organisation_name,
            diet=_diet(rng, language) if with_coffee and rng.random() < 0.15 else "",
            accessibility_needs=_needs(rng) if with_coffee and rng.random() < 0.03 else "",
            language=language,
        )
        entries.append((data, person, moment))
    result = registrations_record(event=event, entries=entries)
    demo.counts["registrations"] += len(result)
    return result


def _outsiders(pool: str) -> tuple[tuple[str, str, str, str], ...]:
    if pool == POMAKO:
        return POMAKO_OUTSIDERS
    if pool in (EVERYONE, PARTNERSHIP):
        return NATIONAL_OUTSIDERS
    if pool in (MAKO, MERI_LAPPI, ROVANIEMI_NET):
        return LAPLAND_OUTSIDERS
    return ()


def _diet(rng: random.Random, language: str) -> str:
    if language == "sv":
        return rng.choice(("laktosfri", "glutenfri", "vegetarisk", "vegansk", "inget fläskkött"))
    return rng.choice(
        ("laktoositon", "gluteeniton", "kasvis", "vegaaninen", "ei sianlihaa", "pähkinäallergia")
    )


def _needs(rng: random.Random) -> str:
    return rng.choice(("pyörätuoli", "induktiosilmukka", "esteetön pysäköintipaikka"))


def _attendance(
    demo: Demo, event: Event, registrations: list[Registration], plan: Plan, rng: random.Random
) -> None:
    for registration in registrations:
        if registration.status != Registration.Status.CONFIRMED:
            continue
        attendance = (
            Registration.Attendance.PRESENT
            if rng.random() < 0.88
            else Registration.Attendance.ABSENT
        )
        registration_attendance_set(actor=None, registration=registration, attendance=attendance)
    low, high = plan.walk_ins
    if high <= 0 or not registrations:
        return
    registered = {r.email for r in registrations}
    pool = demo.pool(plan.pool or event.network.slug, timezone.localdate(event.starts_at))
    others = [p for p in pool if p.email not in registered]
    for person in rng.sample(others, min(len(others), rng.randint(low, high))):
        walk_in_add(
            actor=None,
            event=event,
            data=RegistrationData(
                name=person.full_name,
                email=person.email,
                organisation=person.organisation,
                language=person.language,
            ),
        )
        demo.counts["registrations"] += 1


def _checklist_done(event: Event, today: date) -> None:
    """Everything ticked off, except minutes that are not due yet."""
    for item in event.checklist.all():
        if item.key == "minutes" and item.due_on >= today:
            continue
        checklist_item_update(
            actor=None, item=item, due_on=item.due_on, owner=item.owner, done=True
        )


def _planning(demo: Demo, event: Event, plan: Plan, rng: random.Random) -> None:
    """An upcoming event: what is due is done, a responsible person for some tasks; invitations
    and a cancellation or two where the plan says."""
    network = event.team or event.network
    owner = demo.leaders.get(network.slug) or demo.leaders.get(event.network.slug)
    for item in event.checklist.all():
        done = item.due_on < demo.today
        responsible = owner if rng.random() < 0.6 else None
        if done or responsible:
            checklist_item_update(
                actor=None, item=item, due_on=item.due_on, owner=responsible, done=done
            )
    if plan.overdue_task:
        coordinator = demo.leaders.get(MAKO)
        checklist_item_add(
            actor=None,
            event=event,
            title=plan.overdue_task,
            due_on=demo.today - timedelta(days=3),
            owner=coordinator,
        )
    if plan.invite and event.visibility != Event.Visibility.DRAFT:
        sent = invitation_send(
            actor=None, event=event, recipients=invitation_recipients(networks=[network])
        )
        demo.counts["invitations"] += sent
    confirmed = list(event.registrations.filter(status=Registration.Status.CONFIRMED))
    for registration in rng.sample(confirmed, min(plan.cancellations, len(confirmed))):
        registration_cancel(registration=registration)


def _minutes(demo: Demo, event: Event, plan: Plan, rng: random.Random) -> None:
    """Approved and published for most; for a meeting of the last two weeks a draft or none."""
    recent = demo.today - timezone.localdate(event.ends_at) < timedelta(days=14)
    if recent and rng.random() < 0.5:
        return
    items = list(
        event.agenda.prefetch_related(
            "speakers__person__organisation", "speakers__organisation", "slots"
        )
    )
    registrations = list(event.registrations.select_related("organisation"))
    draft = minutes_prefill(event, items, registrations)
    minutes = minutes_start(actor=None, event=event, body=draft)
    demo.counts["minutes"] += 1
    if recent:
        return
    minutes = minutes_save(actor=None, minutes=minutes, body=_written(draft, items, plan, rng))
    minutes = minutes_approve(actor=None, minutes=minutes)
    if rng.random() < 0.9:
        minutes_publish(actor=None, minutes=minutes, published=True)


_TURN = re.compile(r"^- (?P<label>.+): $")
_HEADING = re.compile(r"^(?P<number>\d+)\. ")


def _written(draft: str, items: list[AgendaItem], plan: Plan, rng: random.Random) -> str:
    """The prefilled draft as the secretary finishes it: notes for each turn of the round and
    each talk and workshop, and the next meeting."""
    ordered = in_order(items)
    lines: list[str] = []
    for line in draft.rstrip("\n").split("\n"):
        turn = _TURN.match(line)
        if turn:
            lines.append(f"- {turn['label']}: {rng.choice(ROUND_NOTES)}")
            continue
        lines.append(line)
        heading = _HEADING.match(line)
        if heading:
            item = ordered[int(heading["number"]) - 1]
            if item.type == A.THEME_TALK:
                lines.append(rng.choice(TALK_NOTES))
            elif item.type == A.DEBRIEF:
                lines.append(rng.choice(WORKSHOP_NOTES))
    lines.append(plan.next_text or "Sovitaan myöhemmin.")
    return "\n".join(lines) + "\n"


# Agendas ------------------------------------------------------------------------------------


def _sequence(start: datetime, rows: list[tuple[int, str, Tr, tuple[dict, ...]]]) -> list[Item]:
    """Items back to back from `start`: (minutes, type, title, speakers)."""
    items, moment = [], start
    for minutes, kind, title, speakers in rows:
        items.append(Item(moment, minutes, kind, title, speakers))
        moment += timedelta(minutes=minutes)
    return items


def _meeting_agenda(
    start: datetime,
    theme: Tr,
    opener: tuple[dict, ...],
    speakers: tuple[dict, ...],
    *,
    online: bool,
) -> list[Item]:
    """A half-day network meeting as seed 001 describes it (3.5 h, or 2.5 h online)."""
    if online:
        return _sequence(
            start,
            [
                (10, A.OTHER, OPENING, opener),
                (40, A.CURRENT_AFFAIRS, ROUND, ()),
                (45, A.THEME_TALK, _talk(theme), speakers),
                (40, A.OTHER, DISCUSSION, ()),
                (15, A.OTHER, NEXT, opener),
            ],
        )
    return _sequence(
        start,
        [
            (10, A.OTHER, OPENING, opener),
            (50, A.CURRENT_AFFAIRS, ROUND, ()),
            (15, A.BREAK, COFFEE, ()),
            (45, A.THEME_TALK, _talk(theme), speakers),
            (50, A.WORKSHOP, _workshop(theme), ()),
            (25, A.DEBRIEF, DEBRIEF, ()),
            (15, A.OTHER, NEXT, opener),
        ],
    )


def _regional_agenda(
    start: datetime, theme: Tr, opener: tuple[dict, ...], speakers, *, online: bool
):
    rows = [
        (10, A.OTHER, OPENING, opener),
        (45, A.CURRENT_AFFAIRS, ROUND, ()),
        (15, A.BREAK, COFFEE, ()),
        (40, A.THEME_TALK, _talk(theme), speakers),
        (40, A.OTHER, DISCUSSION, ()),
    ]
    if online:
        rows = [row for row in rows if row[1] != A.BREAK]
    return _sequence(start, rows)


def _team_agenda(start: datetime, theme: Tr, speakers: tuple[dict, ...]) -> list[Item]:
    return _sequence(
        start,
        [
            (20, A.CURRENT_AFFAIRS, ("Kuulumiset", "Nytt från medlemmarna", "News"), ()),
            (35, A.THEME_TALK, _talk(theme), speakers),
            (35, A.OTHER, TEAM_WORK, ()),
        ],
    )


def _coordinator_org(day: date, region: str = LAPLAND) -> str:
    if region == LAPLAND:
        return ELY_LAPLAND if day < REFORM_2026 else ELINVOIMA_LAPLAND
    return ELY_OSTROBOTHNIA if day < REFORM_2026 else ELINVOIMA_OSTROBOTHNIA


def _opener(demo: Demo, day: date, region: str = LAPLAND) -> tuple[dict, ...]:
    """The network's coordinator: the ELY centre's until 2025, the elinvoimakeskus' after."""
    if day >= REFORM_2026:
        slug = MAKO if region == LAPLAND else POMAKO
        person = demo.leaders.get(slug)
        if person is not None:
            return ({"person": person},)
    return (demo.speaker(_coordinator_org(day, region)),)


# Lapland MAKO: the meetings of the seed (000) ---------------------------------------------------


def _mako_data(
    demo: Demo,
    *,
    type: str,
    title: Tr,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue,
    host: str,
    theme: Tr | None = None,
    description: Tr | None = None,
    capacity: int | None = None,
    deadline_days: int = 7,
    costs: tuple[int, int, int] = (0, 0, 0),
) -> dict[str, Any]:
    day = timezone.localdate(starts_at)
    return {
        "type": type,
        **_tr("title", title),
        **_tr("theme", theme),
        **_tr("description", description),
        "languages": ["fi"],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "visibility": Event.Visibility.PUBLIC,
        **venue.data(),
        "municipality": demo.municipalities[venue.municipality],
        "organiser": demo.org(_coordinator_org(day)),
        "hosts": [demo.organisations[host]],
        "audiences": [
            demo.audiences[c] for c in ("public-administration", "municipalities", "ngos")
        ],
        "registration_deadline": starts_at - timedelta(days=deadline_days),
        "capacity": capacity,
        "room_rent": Decimal(costs[0]),
        "coffee_cost": Decimal(costs[1]),
        "other_costs": Decimal(costs[2]),
    }


def _lapland_history(demo: Demo) -> None:
    """The meetings listed under "Oikopolut" on the Lapland MAKO page (seed 000)."""
    d = demo
    # Koko Lapin MAKO-verkoston työkokous Kemissä 28.2.2017
    start = _at(date(2017, 2, 28), 9, 30)
    theme: Tr = (
        "Alueellisten MAKO-verkostojen toimintasuunnitelmat 2017",
        "De regionala MAKO-nätverkens verksamhetsplaner 2017",
        "The regional MAKO networks' plans for 2017",
    )
    _single(
        d,
        MAKO,
        _mako_data(
            d,
            type=E.NETWORK_MEETING,
            title=(
                "Koko Lapin MAKO-verkoston työkokous",
                "Arbetsmöte för hela MAKO-nätverket i Lappland",
                "Working meeting of the whole Lapland MAKO network",
            ),
            theme=theme,
            description=(
                "Koko Lapin MAKO-verkoston työkokous Kemissä: alueellisten verkostojen "
                "kuulumiset ja vuoden 2017 toimintasuunnitelmat.",
                "Arbetsmöte för hela MAKO-nätverket i Lappland i Kemi: nytt från de regionala "
                "nätverken och planerna för 2017.",
                "Working meeting of the whole Lapland MAKO network in Kemi: news from the "
                "regional networks and the plans for 2017.",
            ),
            starts_at=start,
            ends_at=_at(date(2017, 2, 28), 15),
            venue=KEMI_2017,
            host="Kemin kaupunki",
            capacity=60,
            costs=(0, 310, 0),
        ),
        Plan(
            key="mako-2017-02-28-kemi",
            agenda=_sequence(
                start,
                [
                    (15, A.OTHER, OPENING, (d.speaker(ELY_LAPLAND),)),
                    (75, A.CURRENT_AFFAIRS, ROUND, ()),
                    (15, A.BREAK, COFFEE, ()),
                    (45, A.THEME_TALK, _talk(theme), (d.speaker("Kemin kaupunki"),)),
                    (60, A.BREAK, LUNCH, ()),
                    (60, A.WORKSHOP, _workshop(theme), ()),
                    (30, A.DEBRIEF, DEBRIEF, ()),
                    (30, A.OTHER, NEXT, (d.speaker(ELY_LAPLAND),)),
                ],
            ),
            registrants=(18, 24),
            pool=MAKO,
            next_text="Yhteistyöpäivät Levillä 27.–28.9.2017.",
        ),
    )
    # Kotouttamisen yhteistyöpäivät Levillä 27.-28.9.2017, two days of talks.
    day1, day2 = date(2017, 9, 27), date(2017, 9, 28)
    _single(
        d,
        MAKO,
        _mako_data(
            d,
            type=E.COOPERATION_DAY,
            title=(
                "Kotouttamisen yhteistyöpäivät Levillä",
                "Samarbetsdagar om integration i Levi",
                "Integration cooperation days in Levi",
            ),
            description=(
                "Lapin MAKO-verkoston kaksipäiväiset yhteistyöpäivät Levillä. Keskiviikon "
                "27.9.2017 ja torstain 28.9.2017 puheenvuorot.",
                "MAKO-nätverkets tvådagars samarbetsdagar i Levi med anföranden onsdagen "
                "27.9.2017 och torsdagen 28.9.2017.",
                "The Lapland MAKO network's two-day cooperation days in Levi, with talks on "
                "Wednesday 27 and Thursday 28 September 2017.",
            ),
            starts_at=_at(day1, 12),
            ends_at=_at(day2, 13),
            venue=LEVI,
            host=ELY_LAPLAND,
            capacity=90,
            deadline_days=21,
            costs=(1200, 1650, 2800),
        ),
        Plan(
            key="mako-2017-09-levi",
            agenda=_two_days(
                d,
                (day1, 12, 0),
                (day2, 8, 30),
                (
                    (
                        "Kotoutumisen ajankohtaiset linjaukset",
                        "Aktuella riktlinjer för integration",
                        "Current integration policy",
                    ),
                    (d.guest("Anna-Maija Koskela", TEM),),
                ),
                (
                    (
                        "Turvapaikanhakijoiden vastaanotto Lapissa",
                        "Mottagning av asylsökande i Lappland",
                        "Receiving asylum seekers in Lapland",
                    ),
                    (d.speaker("Kemin vastaanottokeskus"), d.speaker("Lapin poliisilaitos")),
                ),
                (
                    (
                        "Myönteisen päätöksen saaneiden kuntaan siirtyminen",
                        "Flytt till en kommun efter ett positivt beslut",
                        "Moving to a municipality after a positive decision",
                    ),
                    (d.speaker("Rovaniemen kaupunki"),),
                ),
                (
                    (
                        "Vapaaehtoiset kotoutumisen tukena",
                        "Frivilliga som stöd för integration",
                        "Volunteers supporting integration",
                    ),
                    (d.speaker("Suomen Punainen Risti, Lapin piiri"),),
                ),
                (
                    (
                        "Tunturi-Lapin ja Itä-Lapin verkostojen kokemukset",
                        "Erfarenheter från nätverken i Fjäll-Lappland och Östra Lappland",
                        "Experiences of the Fell Lapland and East Lapland networks",
                    ),
                    (d.speaker("Sodankylän kunta"),),
                ),
                workshop=(
                    "Työpaja: yhteistyön askelmerkit Lapissa",
                    "Workshop: stegen för samarbetet i Lappland",
                    "Workshop: steps for cooperation in Lapland",
                ),
                second_day_label=(
                    "Torstain 28.9.2017 puheenvuorot",
                    "Anförandena torsdagen 28.9.2017",
                    "Thursday 28 September 2017: talks",
                ),
                first_day_label=(
                    "Keskiviikon 27.9.2017 puheenvuorot",
                    "Anförandena onsdagen 27.9.2017",
                    "Wednesday 27 September 2017: talks",
                ),
            ),
            registrants=(30, 38),
            pool=MAKO,
            walk_ins=(0, 2),
            next_text="Askelmerkkejä ohjauksen taipaleelle 1.3.2018, Rovaniemi.",
        ),
    )
    # Askelmerkkejä ohjauksen taipaleelle - Lapin MAKO-verkosto 1.3.2018, Rovaniemi
    start = _at(date(2018, 3, 1), 9)
    theme = (
        "Maahan muuttaneiden ohjaus ja neuvonta",
        "Vägledning och rådgivning för invandrare",
        "Guidance and advice for newcomers",
    )
    _single(
        d,
        MAKO,
        _mako_data(
            d,
            type=E.NETWORK_MEETING,
            title=(
                "Askelmerkkejä ohjauksen taipaleelle",
                "Steg på vägledningens väg",
                "Steps along the path of guidance",
            ),
            theme=theme,
            description=(
                "Lapin MAKO-verkoston teemapäivä ohjauksesta ja neuvonnasta: miten maahan "
                "muuttanut löytää oikean palvelun ensimmäisellä kerralla?",
                "MAKO-nätverkets temadag om vägledning och rådgivning: hur hittar en invandrare "
                "rätt tjänst på första försöket?",
                "The Lapland MAKO network's theme day on guidance and advice: how does a "
                "newcomer find the right service the first time?",
            ),
            starts_at=start,
            ends_at=_at(date(2018, 3, 1), 15, 30),
            venue=ROVANIEMI_2018,
            host="Lapin ammattikorkeakoulu",
            capacity=70,
            costs=(0, 420, 0),
        ),
        Plan(
            key="mako-2018-03-01-rovaniemi",
            agenda=_sequence(
                start,
                [
                    (15, A.OTHER, OPENING, (d.speaker(ELY_LAPLAND),)),
                    (60, A.CURRENT_AFFAIRS, ROUND, ()),
                    (15, A.BREAK, COFFEE, ()),
                    (
                        45,
                        A.THEME_TALK,
                        (
                            "Ohjauksen polku: alkukartoituksesta koulutukseen",
                            "Vägledningens väg: från kartläggning till utbildning",
                            "The guidance path: from initial assessment to education",
                        ),
                        (d.speaker("Lapin ammattikorkeakoulu"), d.speaker("Rovaniemen kaupunki")),
                    ),
                    (60, A.BREAK, LUNCH, ()),
                    (
                        40,
                        A.THEME_TALK,
                        (
                            "Monikielinen neuvonta käytännössä",
                            "Flerspråkig rådgivning i praktiken",
                            "Multilingual advice in practice",
                        ),
                        (d.speaker("Lapin Monikulttuuriset ry"),),
                    ),
                    (60, A.WORKSHOP, _workshop(theme), ()),
                    (35, A.DEBRIEF, DEBRIEF, ()),
                    (20, A.OTHER, NEXT, ()),
                ],
            ),
            registrants=(20, 26),
            pool=MAKO,
            next_text="Yhteistyöpäivät Kemissä 20.–21.9.2018.",
        ),
    )
    # Kotouttamisen yhteistyöpäivät - Lapin MAKO-verkosto 20.-21.9.2018 Kemissä
    day1, day2 = date(2018, 9, 20), date(2018, 9, 21)
    _single(
        d,
        MAKO,
        _mako_data(
            d,
            type=E.COOPERATION_DAY,
            title=(
                "Kotouttamisen yhteistyöpäivät Kemissä",
                "Samarbetsdagar om integration i Kemi",
                "Integration cooperation days in Kemi",
            ),
            description=(
                "Lapin MAKO-verkoston kaksipäiväiset kotouttamisen yhteistyöpäivät Kemissä. "
                "Molempina päivinä ajankohtaiskierros, teemapuheenvuoroja sekä työpaja ja sen "
                "purku.",
                "MAKO-nätverkets tvådagars samarbetsdagar om integration i Kemi. Båda dagarna "
                "en aktuell runda, temainledningar samt en workshop och dess genomgång.",
                "The Lapland MAKO network's two-day integration cooperation days in Kemi. Each "
                "day has a current-affairs round, theme talks, and a workshop with its debrief.",
            ),
            starts_at=_at(day1, 9, 30),
            ends_at=_at(day2, 13),
            venue=KEMI_2018,
            host="Kemin kaupunki",
            capacity=100,
            deadline_days=14,
            costs=(950, 1480, 2300),
        ),
        Plan(
            key="mako-2018-09-kemi",
            agenda=_kemi_2018(d, day1, day2),
            registrants=(32, 40),
            pool=MAKO,
            walk_ins=(1, 2),
            next_text="Kotouttamisen yhteistyöpäivä 11.6.2019 Napapiirillä, Rovaniemi.",
        ),
    )
    # Kotouttamisen yhteistyöpäivä 11.6.2019 Napapiiri/ Rovaniemi
    day = date(2019, 6, 11)
    start = _at(day, 9)
    theme = (
        "Kahden alueellisen verkoston malli ja temaattiset tiimit",
        "Modellen med två regionala nätverk och tematiska team",
        "Two regional networks and the thematic teams",
    )
    _single(
        d,
        MAKO,
        _mako_data(
            d,
            type=E.COOPERATION_DAY,
            title=(
                "Kotouttamisen yhteistyöpäivä Napapiirillä",
                "Samarbetsdag om integration vid Polcirkeln",
                "Integration cooperation day at the Arctic Circle",
            ),
            theme=theme,
            description=(
                "Lapin MAKO-verkoston yhteistyöpäivä Napapiirillä Rovaniemellä. Vuoden 2019 "
                "alusta verkosto on toiminut kahden alueellisen verkoston mallilla, jota "
                "täydentävät temaattiset alatiimit: Pakolaisten vastaanotto, Maaseutukuntien "
                "kotouttamiskäytännöt, Koulutuspolut Meri-Lappi ja Koulutuspolut Rovaniemi.",
                "MAKO-nätverkets samarbetsdag vid Polcirkeln i Rovaniemi. Sedan början av 2019 "
                "bygger nätverket på två regionala nätverk, kompletterade med tematiska team.",
                "The Lapland MAKO network's cooperation day at the Arctic Circle in Rovaniemi. "
                "Since the start of 2019 the network rests on two regional networks, "
                "complemented by thematic teams.",
            ),
            starts_at=start,
            ends_at=_at(day, 15, 30),
            venue=NAPAPIIRI,
            host="Rovaniemen kaupunki",
            capacity=80,
            deadline_days=14,
            costs=(650, 990, 0),
        ),
        Plan(
            key="mako-2019-06-11-napapiiri",
            agenda=_sequence(
                start,
                [
                    (15, A.OTHER, OPENING, (d.speaker(ELY_LAPLAND),)),
                    (60, A.CURRENT_AFFAIRS, ROUND, ()),
                    (15, A.BREAK, COFFEE, ()),
                    (
                        50,
                        A.THEME_TALK,
                        _talk(theme),
                        (d.speaker(ELY_LAPLAND), d.speaker("Kemin vastaanottokeskus")),
                    ),
                    (60, A.BREAK, LUNCH, ()),
                    (
                        75,
                        A.WORKSHOP,
                        (
                            "Työpaja: tiimien ensimmäisen vuoden tavoitteet",
                            "Workshop: teamens mål för det första året",
                            "Workshop: the teams' goals for their first year",
                        ),
                        (),
                    ),
                    (40, A.DEBRIEF, DEBRIEF, ()),
                    (35, A.OTHER, NEXT, (d.speaker(ELY_LAPLAND),)),
                ],
            ),
            registrants=(28, 34),
            pool=MAKO,
            walk_ins=(1, 2),
            next_text="Syyskokous lokakuussa 2019.",
        ),
    )


def _two_days(
    demo: Demo,
    first: tuple[date, int, int],
    second: tuple[date, int, int],
    *talks: tuple[Tr, tuple[dict, ...]],
    workshop: Tr,
    first_day_label: Tr,
    second_day_label: Tr,
) -> list[Item]:
    """Cooperation days: each day a current-affairs round, theme talks and a workshop with
    its debrief (Levi 2017 has its talks split over the two days)."""
    opener = (demo.speaker(ELY_LAPLAND),)
    day1 = _sequence(
        _at(first[0], first[1], first[2]),
        [
            (15, A.OTHER, first_day_label, opener),
            (45, A.CURRENT_AFFAIRS, ROUND, ()),
            (45, A.THEME_TALK, _talk(talks[0][0]), talks[0][1]),
            (15, A.BREAK, COFFEE, ()),
            (40, A.THEME_TALK, _talk(talks[1][0]), talks[1][1]),
            (40, A.THEME_TALK, _talk(talks[2][0]), talks[2][1]),
            (60, A.WORKSHOP, workshop, ()),
            (30, A.DEBRIEF, DEBRIEF, ()),
        ],
    )
    day2 = _sequence(
        _at(second[0], second[1], second[2]),
        [
            (10, A.OTHER, second_day_label, opener),
            (40, A.CURRENT_AFFAIRS, ROUND, ()),
            (40, A.THEME_TALK, _talk(talks[3][0]), talks[3][1]),
            (15, A.BREAK, COFFEE, ()),
            (40, A.THEME_TALK, _talk(talks[4][0]), talks[4][1]),
            (50, A.WORKSHOP, workshop, ()),
            (30, A.DEBRIEF, DEBRIEF, ()),
            (25, A.OTHER, NEXT, opener),
        ],
    )
    return day1 + day2


def _kemi_2018(demo: Demo, day1: date, day2: date) -> list[Item]:
    d = demo
    opener = (d.speaker(ELY_LAPLAND),)
    first = _sequence(
        _at(day1, 9, 30),
        [
            (
                15,
                A.OTHER,
                (
                    "Avaus ja tervetuloa Kemiin",
                    "Öppning och välkommen till Kemi",
                    "Welcome to Kemi",
                ),
                (d.speaker("Kemin kaupunki"), *opener),
            ),
            (60, A.CURRENT_AFFAIRS, ROUND, ()),
            (
                45,
                A.THEME_TALK,
                _talk(
                    (
                        "Kotoutumisen ajankohtaiset linjaukset",
                        "Aktuella riktlinjer för integration",
                        "Current integration policy",
                    )
                ),
                (d.guest("Anna-Maija Koskela", TEM),),
            ),
            (60, A.BREAK, LUNCH, ()),
            (
                40,
                A.THEME_TALK,
                _talk(
                    (
                        "Alkukartoitus ja kotoutumissuunnitelma Kemissä",
                        "Inledande kartläggning och integrationsplan i Kemi",
                        "Initial assessment and integration plan in Kemi",
                    )
                ),
                (d.speaker("Kemin kaupunki", 1), d.speaker("Kansaneläkelaitos Kela")),
            ),
            (
                30,
                A.THEME_TALK,
                _talk(
                    (
                        "Vastaanottokeskus kotoutumisen alkutaipaleella",
                        "Förläggningen i början av integrationen",
                        "The reception centre at the start of integration",
                    )
                ),
                (d.speaker("Kemin vastaanottokeskus"),),
            ),
            (20, A.BREAK, COFFEE, ()),
            (
                75,
                A.WORKSHOP,
                (
                    "Työpaja: ohjauksen saumakohdat Meri-Lapissa",
                    "Workshop: skarvarna i vägledningen i Meri-Lappi",
                    "Workshop: the gaps in guidance in Sea Lapland",
                ),
                (),
            ),
            (45, A.DEBRIEF, DEBRIEF, ()),
        ],
    )
    second = _sequence(
        _at(day2, 8, 30),
        [
            (10, A.OTHER, ("Aamun avaus", "Morgonens öppning", "Morning opening"), opener),
            (
                40,
                A.CURRENT_AFFAIRS,
                (
                    "Ajankohtaiskierros: järjestöt ja hankkeet",
                    "Aktuell runda: organisationer och projekt",
                    "Current-affairs round: associations and projects",
                ),
                (),
            ),
            (
                40,
                A.THEME_TALK,
                _talk(
                    (
                        "Koulutuspolut kotoutumiskoulutuksesta ammatilliseen koulutukseen",
                        "Utbildningsvägar från integrationsutbildning till yrkesutbildning",
                        "From integration training to vocational education",
                    )
                ),
                (d.speaker("Koulutuskuntayhtymä Lappia"),),
            ),
            (15, A.BREAK, COFFEE, ()),
            (
                35,
                A.THEME_TALK,
                _talk(
                    (
                        "Mielenterveyden tukeminen kotoutumisessa",
                        "Stöd för psykisk hälsa i integrationen",
                        "Supporting mental health in integration",
                    )
                ),
                (
                    d.speaker("Suomen Punainen Risti, Lapin piiri"),
                    d.speaker("Kulttuurisilta Meri-Lappi ry"),
                ),
            ),
            (
                60,
                A.WORKSHOP,
                (
                    "Työpaja: yhteiset käytännöt Meri-Lapissa",
                    "Workshop: gemensamma arbetssätt i Meri-Lappi",
                    "Workshop: shared practices in Sea Lapland",
                ),
                (),
            ),
            (
                40,
                A.DEBRIEF,
                (
                    "Työpajan purku ja yhteenveto",
                    "Genomgång och sammanfattning",
                    "Debrief and summary",
                ),
                (),
            ),
            (30, A.OTHER, NEXT, opener),
        ],
    )
    return first + second


# Lapland MAKO: the whole network twice a year -------------------------------------------------


def _half_year_day(rng: random.Random, year: int, spring: bool) -> date:
    months = (3, 4, 5) if spring else (9, 10, 11)
    while True:
        day = date(year, rng.choice(months), rng.randint(1, 28))
        if day.weekday() in (1, 2, 3) and day not in _holidays(year):
            return day


def _mako_half_years(demo: Demo) -> None:
    """From autumn 2019 the whole network meets in spring and autumn; the first meeting
    after today is published with registration open, the next one agreed as a draft."""
    rotation = ROTATIONS[MAKO]
    half_years = [(y, spring) for y in range(2019, demo.today.year + 3) for spring in (True, False)]
    half_years = half_years[1:]  # from autumn 2019
    days = [
        _half_year_day(demo.rng(f"mako-{y}-{'spring' if s else 'autumn'}"), y, s)
        for y, s in half_years
    ]
    upcoming = next(i for i, day in enumerate(days) if _at(day, 9) > demo.now)
    for index in range(upcoming + 1):
        year, spring = half_years[index]
        day = days[index]
        season = "spring" if spring else "autumn"
        key = f"mako-{year}-{season}"
        theme, speaker_orgs = MAKO_THEMES[index % len(MAKO_THEMES)]
        host = rotation[index % len(rotation)]
        online = (year, spring) in ((2020, False), (2021, True))
        status = (
            Event.Status.POSTPONED if (year, spring) == (2020, True) else Event.Status.SCHEDULED
        )
        start = _at(day, 9)
        title: Tr = (
            f"Lapin MAKO-verkoston {'kevätkokous' if spring else 'syyskokous'} {year}",
            f"MAKO-nätverket i Lappland, {'vårmöte' if spring else 'höstmöte'} {year}",
            f"Lapland MAKO network, {season} meeting {year}",
        )
        rng = demo.rng(key)
        participants = rng.randint(16, 26)
        data = _mako_data(
            demo,
            type=E.NETWORK_MEETING,
            title=title,
            theme=theme,
            description=(
                "Koko Lapin MAKO-verkoston kokous. Ajankohtaiskierroksella jokainen "
                "organisaatio kertoo kuulumisensa omalla, kellotetulla vuorollaan.",
                "Möte för hela MAKO-nätverket i Lappland. I den aktuella rundan berättar varje "
                "organisation sina nyheter under sin egen, tidtagna tur.",
                "Meeting of the whole Lapland MAKO network. In the current-affairs round each "
                "organisation gives its news in its own timed turn.",
            ),
            starts_at=start,
            ends_at=start + timedelta(minutes=150 if online else 210),
            venue=VENUES[host],
            host=host,
            capacity=50,
            costs=(0 if rng.random() < 0.6 else rng.choice((150, 220, 300)), participants * 6, 0),
        )
        if online:
            data.update(_online(f"mako-{year}-{season}"))
            data.update({"room_rent": Decimal(0), "coffee_cost": Decimal(0)})
        next_day = days[index + 1] if index + 1 < len(days) else None
        is_upcoming = index == upcoming
        speakers = tuple(demo.speaker(org, index) for org in speaker_orgs)
        event = _single(
            demo,
            MAKO,
            data,
            Plan(
                key=key,
                agenda=_meeting_agenda(start, theme, _opener(demo, day), speakers, online=online),
                registrants=(12, 20) if is_upcoming else (participants - 4, participants),
                pool=MAKO,
                status=status,
                next_text=f"{next_day.day}.{next_day.month}.{next_day.year}" if next_day else "",
                invite=is_upcoming,
            ),
        )
        if event is not None and is_upcoming and next_day is not None:
            # Agreed at the meeting: the next one, as a draft with the next host in turn.
            event_next_create(actor=None, event=event, starts_at=_at(next_day, 9))
            demo.counts["events"] += 1


def _online(key: str) -> dict[str, Any]:
    return {
        "format": Event.Format.ONLINE,
        "venue_name": "",
        "street_address": "",
        "postal_code": "",
        "municipality": None,
        **_tr("accessibility", ("", "", "")),
        "online_platform": "Teams",
        "online_link": TEAMS_LINK.format(key=key),
        "registration_deadline": None,
    }


# Regional networks and teams ----------------------------------------------------------------


def _regional_meetings(demo: Demo) -> None:
    """Meri-Lappi and Rovaniemi meet once or twice a year in their own area (seed 000)."""
    for slug, short in ((MERI_LAPPI, "Meri-Lapin"), (ROVANIEMI_NET, "Rovaniemen")):
        rotation = ROTATIONS[slug]
        turn = 0
        sv_name = "Meri-Lappi" if slug == MERI_LAPPI else "Rovaniemi"
        english = "Sea Lapland" if slug == MERI_LAPPI else "Rovaniemi"
        for year in range(2017, demo.today.year + 1):
            rng = demo.rng(f"{slug}-{year}")
            seasons = (
                (True, False) if rng.random() < 0.35 or year == 2020 else (rng.random() < 0.5,)
            )
            for spring in seasons:
                day = _half_year_day(rng, year, spring)
                if day >= demo.today - timedelta(days=60):
                    continue
                host = rotation[turn % len(rotation)]
                turn += 1
                key = f"{slug}-{year}-{'spring' if spring else 'autumn'}"
                theme = REGIONAL_THEMES[rng.randrange(len(REGIONAL_THEMES))]
                online = (year, spring) in ((2020, False), (2021, True))
                start = _at(day, 13)
                data = _mako_data(
                    demo,
                    type=E.NETWORK_MEETING,
                    title=(
                        f"{short} MAKO-verkoston kokous",
                        f"MAKO-nätverket i {sv_name}, möte",
                        f"{english} MAKO network meeting",
                    ),
                    theme=theme,
                    starts_at=start,
                    ends_at=start + timedelta(minutes=135 if online else 150),
                    venue=VENUES[host],
                    host=host,
                    capacity=35,
                    costs=(0, rng.randint(8, 16) * 5, 0),
                )
                data["organiser"] = demo.organisations[rotation[0]]
                if online:
                    data.update(_online(key))
                    data["coffee_cost"] = Decimal(0)
                status = (
                    Event.Status.CANCELLED
                    if (slug, year, spring) == (MERI_LAPPI, 2020, True)
                    else Event.Status.SCHEDULED
                )
                opener = (demo.speaker(rotation[0]),)
                speakers = (demo.speaker(rng.choice(rotation), turn),)
                _single(
                    demo,
                    slug,
                    data,
                    Plan(
                        key=key,
                        agenda=_regional_agenda(start, theme, opener, speakers, online=online),
                        registrants=(6, 10),
                        pool=slug,
                        status=status,
                    ),
                )


def _team_meetings(demo: Demo) -> None:
    """The four thematic teams (since 2019) meet as needed, two or three times a year."""
    for team_slug, parent in TEAM_PARENTS.items():
        team = demo.networks[team_slug]
        lead = demo.leaders.get(team_slug)
        host = lead.organisation.name_fi if lead and lead.organisation_id else None
        for year in range(2019, demo.today.year + 1):
            rng = demo.rng(f"{team_slug}-{year}")
            for number in range(1):
                months = rng.choice(((2, 3, 4), (9, 10, 11)))
                day = _team_day(rng, year, months)
                if day >= demo.today - timedelta(days=45):
                    continue
                key = f"{team_slug}-{year}-{number + 1}"
                themes = TEAM_THEMES[team_slug]
                theme = themes[(year + number) % len(themes)]
                online = year in (2020, 2021) or rng.random() < 0.4 or host not in VENUES
                start = _at(day, 9 if online else 13)
                data: dict[str, Any] = {
                    "type": E.TEAM_MEETING,
                    "team": team,
                    **_tr(
                        "title",
                        (
                            f"{team.name_fi}: tiimin tapaaminen",
                            f"{team.name_sv}: teammöte",
                            f"{team.name_en}: team meeting",
                        ),
                    ),
                    **_tr("theme", theme),
                    "languages": ["fi"],
                    "starts_at": start,
                    "ends_at": start + timedelta(minutes=90),
                    "visibility": Event.Visibility.MEMBERS,
                    "organiser": lead.organisation if lead else None,
                    "hosts": [lead.organisation] if lead and lead.organisation_id else [],
                }
                if online:
                    data.update(_online(key))
                else:
                    venue = VENUES[host]
                    data.update(venue.data())
                    data["municipality"] = demo.municipalities[venue.municipality]
                    data["coffee_cost"] = Decimal(rng.randint(4, 9) * 5)
                members = demo.pool(team_slug, day) or [lead]
                speakers = ({"person": members[(year + number) % len(members)]},)
                _single(
                    demo,
                    parent,
                    data,
                    Plan(
                        key=key,
                        agenda=_team_agenda(start, theme, speakers),
                        registrants=(3, 5),
                        pool=team_slug,
                        walk_ins=(0, 0),
                        next_text="Sovitaan sähköpostitse.",
                    ),
                )


def _team_day(rng: random.Random, year: int, months: tuple[int, ...]) -> date:
    while True:
        day = date(year, rng.choice(months), rng.randint(1, 28))
        if day.weekday() < 4 and day not in _holidays(year):
            return day


# POMAKO -------------------------------------------------------------------------------------


def _pomako(demo: Demo) -> None:
    """Monthly on Teams except June–August (seed 002): one series per two seasons, from the
    first Friday of September 2021, each occurrence with its month's theme."""
    pomako = demo.networks[POMAKO]
    index = 0
    year = 2021
    while date(year, 9, 1) <= demo.today + timedelta(days=180):
        first = _first_friday(year, 9)
        until = date(year + 2, 5, 31)
        recurrence = Recurrence(
            "monthly",
            (4,),
            nth=1,
            skip_months=(6, 7, 8),
            until=until,
            skip_dates=tuple(_first_friday_holidays(first, until)),
        )
        occurrences = [d for d in _first_fridays(first, until) if d not in recurrence.skip_dates]
        exists = EventSeries.objects.filter(
            network=pomako, rule=recurrence.rule(), starts_on=first
        ).exists()
        if exists:
            index += len(occurrences)
            year += 2
            continue
        start = _at(first, 9)
        minutes = 90 if year == 2021 else 120
        events = series_create(
            actor=None,
            network=pomako,
            data={
                "type": E.NETWORK_MEETING,
                **_tr(
                    "title",
                    (
                        "POMAKO-verkoston kuukausitapaaminen",
                        "POMAKO-nätverkets månadsmöte",
                        "POMAKO network monthly meeting",
                    ),
                ),
                **_tr("description", POMAKO_DESCRIPTION),
                "languages": ["fi", "sv"],
                "starts_at": start,
                "ends_at": start + timedelta(minutes=minutes),
                "visibility": Event.Visibility.PUBLIC,
                "organiser": demo.org(_coordinator_org(first, OSTROBOTHNIA)),
                **_online(f"pomako-{year}"),
                "link_audience": Event.LinkAudience.REGISTRANTS,
                "audiences": [
                    demo.audiences[c]
                    for c in (
                        "municipalities",
                        "state-administration",
                        "ngos",
                        "wellbeing-counties",
                    )
                ],
            },
            recurrence=recurrence,
        )
        demo.counts["event series"] += 1
        demo.counts["events"] += len(events)
        for event in events:
            _pomako_occurrence(demo, event, index)
            index += 1
        year += 2


def _pomako_occurrence(demo: Demo, event: Event, index: int) -> None:
    day = timezone.localdate(event.starts_at)
    key = f"pomako-{day.isoformat()}"
    if index == 0:
        theme, speaker_org = POMAKO_SEPTEMBER_2021, ELY_OSTROBOTHNIA
        description = POMAKO_SEPTEMBER_2021_DESCRIPTION
    else:
        theme, speaker_org = POMAKO_THEMES[(index - 1) % len(POMAKO_THEMES)]
        description = None
    data: dict[str, Any] = {**_tr("theme", theme), **_tr("description", description)}
    organiser = demo.org(_coordinator_org(day, OSTROBOTHNIA))
    if organiser is not None and organiser.pk != event.organiser_id:
        data["organiser"] = organiser
    event_update(actor=None, event=event, data=data)
    event.refresh_from_db()
    start = event.starts_at
    opener = _opener(demo, day, OSTROBOTHNIA)
    rows = [
        (
            15,
            A.CURRENT_AFFAIRS,
            ("Avaus ja ajankohtaista", "Öppning och aktuellt", "Opening and news"),
            opener,
        ),
        (
            45,
            A.THEME_TALK,
            (f"Alustus: {theme[0]}", f"Inledning: {theme[1]}", f"Introduction: {theme[2]}"),
            (demo.speaker(speaker_org, index, day=day, region=OSTROBOTHNIA),),
        ),
        (30, A.OTHER, DISCUSSION, ()),
    ]
    if event.ends_at - event.starts_at >= timedelta(minutes=120):
        rows.append(
            (
                30,
                A.OTHER,
                (
                    "Verkoston asiat ja seuraavan kuun teema",
                    "Nätverkets ärenden och nästa månads tema",
                    "Network matters and next month's theme",
                ),
                opener,
            )
        )
    upcoming_soon = not demo.past(event) and event.starts_at < demo.now + timedelta(days=45)
    plan = Plan(
        key=key,
        agenda=_sequence(start, rows),
        registrants=(5, 10) if demo.past(event) else ((4, 8) if upcoming_soon else (0, 0)),
        pool=POMAKO,
        walk_ins=(0, 0),
        status=Event.Status.CANCELLED if day == date(2022, 12, 2) else Event.Status.SCHEDULED,
        next_text="Seuraava tapaaminen kuukauden ensimmäisenä perjantaina.",
        invite=upcoming_soon and index % 2 == 0,
    )
    if demo.past(event) or upcoming_soon:
        _fill(demo, event, plan)
        return
    for item in plan.agenda:
        agenda_item_save(
            actor=None, event=event, data=item.data(), speakers=list(item.speakers) or None
        )
    demo.counts["agenda items"] += len(plan.agenda)


def _first_friday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(4 - day.weekday()) % 7)


def _first_fridays(first: date, until: date) -> list[date]:
    days, year, month = [], first.year, first.month
    while True:
        day = _first_friday(year, month)
        if day > until:
            return days
        if month not in (6, 7, 8):
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _first_friday_holidays(first: date, until: date) -> list[date]:
    return [day for day in _first_fridays(first, until) if day in _holidays(day.year)]


def _holidays(year: int) -> set[date]:
    """Finnish public holidays and eves on which nobody holds a meeting."""
    good_friday = easter(year) - timedelta(days=2)
    return {
        date(year, 1, 1),
        date(year, 1, 6),
        good_friday,
        good_friday + timedelta(days=3),
        date(year, 5, 1),
        easter(year) + timedelta(days=39),
        date(year, 12, 6),
        date(year, 12, 24),
        date(year, 12, 25),
        date(year, 12, 26),
        date(year, 12, 31),
    }


# Integration 2024 ---------------------------------------------------------------------------


def _integration_2024(demo: Demo) -> None:
    """The Integration 2024 event in Turku and its Friday info sessions (seed 003)."""
    d = demo
    audiences = [d.audiences[c] for c in INTEGRATION_AUDIENCES]
    partners = {
        "organiser": d.organisations[ELY_SOUTHWEST],
        "co_organisers": [d.organisations[TEM]],
        "funders": [
            d.organisations[n] for n in (TURKU_CITY, SOUTHWEST_COUNTY, BILDNINGSALLIANSSEN)
        ],
        "eu_cofunded": True,
        **_tr("funding_note", INTEGRATION_FUNDING),
    }
    day1, day2 = date(2024, 11, 14), date(2024, 11, 15)
    main_key = "integration-2024"
    _single(
        d,
        PARTNERSHIP,
        {
            "type": E.SEMINAR,
            **_tr("title", INTEGRATION_TITLE),
            **_tr("description", INTEGRATION_DESCRIPTION),
            "languages": ["fi", "sv", "en"],
            "audiences": audiences,
            "starts_at": _at(day1, 9, 30),
            "ends_at": _at(day2, 15),
            "visibility": Event.Visibility.PUBLIC,
            **TURKU_2024.data(),
            "municipality": d.municipalities[TURKU],
            **partners,
            "registration_deadline": _at(date(2024, 10, 31), 16),
            "capacity": 450,
            "room_rent": Decimal(14500),
            "coffee_cost": Decimal(9800),
            "other_costs": Decimal(16200),
        },
        Plan(
            key=main_key,
            agenda=_integration_agenda(d, day1, day2),
            registrants=(35, 45),
            pool=EVERYONE,
            walk_ins=(1, 3),
            next_text="Integration 2025 -tapahtuman paikka ja aika julkaistaan keväällä.",
        ),
    )
    main = Event.objects.get(uid=_uid(main_key))
    network = d.networks[PARTNERSHIP]
    recurrence = Recurrence("weekly", (4,), until=INFO_UNTIL, skip_dates=INFO_SKIPPED)
    if EventSeries.objects.filter(
        network=network, rule=recurrence.rule(), starts_on=INFO_FIRST
    ).exists():
        return
    start = _at(INFO_FIRST, 9)
    events = series_create(
        actor=None,
        network=network,
        data={
            "type": E.INFO_SESSION,
            "parent": main,
            **_tr("title", INFO_TITLE),
            **_tr("description", INFO_DESCRIPTION),
            "languages": ["fi"],
            "audiences": audiences,
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
            "visibility": Event.Visibility.PUBLIC,
            "organiser": d.organisations[TEM],
            **_online("integration-2024-tutuksi"),
            "link_audience": Event.LinkAudience.PUBLIC,
            "walk_ins_welcome": True,
        },
        recurrence=recurrence,
    )
    d.counts["event series"] += 1
    d.counts["events"] += len(events)
    topics = iter(INFO_TOPICS * 2)
    for index, event in enumerate(events):
        day = timezone.localdate(event.starts_at)
        if day == date(2024, 5, 10):
            theme, description = INFO_MAY_10, INFO_MAY_10_DESCRIPTION
            speakers: tuple[dict, ...] = (
                {"name": "Marina Mgvdeladze", "organisation_name": "Salon kaupunki"},
            )
        else:
            theme, presenter = next(topics)
            description = None
            speakers = (d.speaker(presenter, index),)
        event_update(
            actor=None, event=event, data={**_tr("theme", theme), **_tr("description", description)}
        )
        event.refresh_from_db()
        _fill(
            d,
            event,
            Plan(
                key=f"integration-2024-tutuksi-{day.isoformat()}",
                agenda=_sequence(
                    event.starts_at,
                    [
                        (35, A.THEME_TALK, theme, speakers),
                        (25, A.OTHER, DISCUSSION, ()),
                    ],
                ),
                registrants=(4, 9),
                pool=EVERYONE,
                walk_ins=(0, 3),
                minutes=False,
            ),
        )


def _integration_agenda(demo: Demo, day1: date, day2: date) -> list[Item]:
    d = demo
    first = _sequence(
        _at(day1, 9, 30),
        [
            (
                30,
                A.OTHER,
                ("Avaus", "Öppning", "Opening"),
                (d.speaker(ELY_SOUTHWEST), d.speaker(TURKU_CITY)),
            ),
            (
                45,
                A.THEME_TALK,
                (
                    "Kotoutumisen suunta: uusi kotoutumislaki ja kumppanuusohjelma",
                    "Integrationens riktning: den nya integrationslagen och partnerskapsprogrammet",
                    "Where integration is heading: the new Integration Act and the partnership "
                    "programme",
                ),
                (d.speaker(TEM),),
            ),
            (30, A.BREAK, COFFEE, ()),
            (
                60,
                A.THEME_TALK,
                (
                    "Paneeli: kunnat, hyvinvointialue ja järjestöt yhteistyössä",
                    "Panel: kommuner, välfärdsområde och organisationer i samarbete",
                    "Panel: municipalities, the wellbeing county and associations together",
                ),
                (
                    d.speaker(SOUTHWEST_COUNTY),
                    d.speaker(TURKU_CITY),
                    d.speaker(BILDNINGSALLIANSSEN),
                ),
            ),
            (75, A.BREAK, LUNCH, ()),
            (
                90,
                A.WORKSHOP,
                (
                    "Rinnakkaiset työpajat: kielikoulutus, työllisyys, vastaanottavuus",
                    "Parallella workshoppar: språkutbildning, sysselsättning, ett mottagande "
                    "samhälle",
                    "Parallel workshops: language training, employment, a welcoming society",
                ),
                (),
            ),
            (30, A.BREAK, COFFEE, ()),
            (
                45,
                A.DEBRIEF,
                ("Työpajojen purku", "Genomgång av workshopparna", "Workshop debrief"),
                (),
            ),
            (15, A.OTHER, ("Päivän päätös", "Dagens avslutning", "Close of the day"), ()),
        ],
    )
    second = _sequence(
        _at(day2, 9),
        [
            (
                60,
                A.CURRENT_AFFAIRS,
                (
                    "Ajankohtaista alueilta",
                    "Aktuellt från regionerna",
                    "News from the regions",
                ),
                (),
            ),
            (
                45,
                A.THEME_TALK,
                (
                    "Maahanmuuttokoordinaattorit kunnissa",
                    "Invandrarkoordinatorerna i kommunerna",
                    "Immigration coordinators in the municipalities",
                ),
                ({"name": "Marina Mgvdeladze", "organisation_name": "Salon kaupunki"},),
            ),
            (30, A.BREAK, COFFEE, ()),
            (
                60,
                A.WORKSHOP,
                (
                    "Työpaja: kumppanuusohjelman seuraavat askeleet",
                    "Workshop: partnerskapsprogrammets nästa steg",
                    "Workshop: the partnership programme's next steps",
                ),
                (),
            ),
            (60, A.BREAK, LUNCH, ()),
            (45, A.DEBRIEF, DEBRIEF, ()),
            (
                60,
                A.THEME_TALK,
                (
                    "Yhteenveto ja Integration 2025",
                    "Sammanfattning och Integration 2025",
                    "Summary and Integration 2025",
                ),
                (d.speaker(TEM), d.speaker(ELY_SOUTHWEST)),
            ),
        ],
    )
    return first + second


# Upcoming, relative to today ----------------------------------------------------------------


def _soon(today: date, days: int) -> date:
    """A Tuesday to Thursday about `days` ahead, not in the Christmas break or on a holiday."""
    day = today + timedelta(days=days)
    if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 7):
        day = date(day.year + (day.month == 12), 1, 8)
    while day.weekday() not in (1, 2, 3) or day in _holidays(day.year):
        day += timedelta(days=1)
    return day


def _upcoming(demo: Demo) -> None:
    """Meetings of the next three months across the networks, with registration open."""
    d = demo
    today = d.today

    # Meri-Lappi in Tornio: almost full.
    day = _soon(today, 16)
    theme = REGIONAL_THEMES[6]
    start = _at(day, 13)
    data = _mako_data(
        d,
        type=E.NETWORK_MEETING,
        title=(
            "Meri-Lapin MAKO-verkoston kokous",
            "MAKO-nätverket i Meri-Lappi, möte",
            "Sea Lapland MAKO network meeting",
        ),
        theme=theme,
        starts_at=start,
        ends_at=start + timedelta(minutes=150),
        venue=VENUES["Tornion kaupunki"],
        host="Tornion kaupunki",
        capacity=24,
        costs=(0, 30 * 6, 0),
    )
    data["registration_deadline"] = start - timedelta(days=5)
    data["organiser"] = d.organisations["Kemin kaupunki"]
    _single(
        d,
        MERI_LAPPI,
        data,
        Plan(
            key="upcoming-meri-lappi",
            agenda=_regional_agenda(
                start,
                theme,
                (d.speaker("Kemin kaupunki"),),
                (d.speaker("Arktinen Tulkkaus Oy"),),
                online=False,
            ),
            registrants=(22, 23),
            pool=MERI_LAPPI,
            invite=True,
        ),
    )

    # Refugee reception team on Teams, with the link.
    day = _soon(today, 9)
    team = d.networks[TEAM_REFUGEES]
    theme = TEAM_THEMES[TEAM_REFUGEES][0]
    start = _at(day, 9)
    lead = d.leaders.get(TEAM_REFUGEES)
    _single(
        d,
        MAKO,
        {
            "type": E.TEAM_MEETING,
            "team": team,
            **_tr(
                "title",
                (
                    f"{team.name_fi}: tiimin tapaaminen",
                    f"{team.name_sv}: teammöte",
                    f"{team.name_en}: team meeting",
                ),
            ),
            **_tr("theme", theme),
            "languages": ["fi"],
            "starts_at": start,
            "ends_at": start + timedelta(minutes=90),
            "visibility": Event.Visibility.MEMBERS,
            "organiser": lead.organisation if lead else None,
            "hosts": [],
            **_online("upcoming-refugee-team"),
            "link_shown_before": timedelta(minutes=30),
        },
        Plan(
            key="upcoming-refugee-team",
            agenda=_team_agenda(start, theme, (d.speaker("Kemin vastaanottokeskus"),)),
            registrants=(6, 9),
            pool=TEAM_REFUGEES,
            invite=True,
        ),
    )

    # Rovaniemi in person, over capacity: a waiting list, one cancellation promoted; and the
    # coordinator's overdue task on her dashboard.
    day = _soon(today, 37)
    theme = REGIONAL_THEMES[3]
    start = _at(day, 13)
    data = _mako_data(
        d,
        type=E.NETWORK_MEETING,
        title=(
            "Rovaniemen MAKO-verkoston kokous",
            "MAKO-nätverket i Rovaniemi, möte",
            "Rovaniemi MAKO network meeting",
        ),
        theme=theme,
        starts_at=start,
        ends_at=start + timedelta(minutes=150),
        venue=VENUES["Lapin koulutuskeskus REDU"],
        host="Lapin koulutuskeskus REDU",
        capacity=25,
        costs=(120, 25 * 6, 0),
    )
    data["organiser"] = d.organisations["Rovaniemen kaupunki"]
    data["format"] = Event.Format.HYBRID
    data.update(
        {
            "online_platform": "Teams",
            "online_link": TEAMS_LINK.format(key="upcoming-rovaniemi"),
        }
    )
    _single(
        d,
        ROVANIEMI_NET,
        data,
        Plan(
            key="upcoming-rovaniemi",
            agenda=_regional_agenda(
                start,
                theme,
                (d.speaker("Rovaniemen kaupunki"),),
                (d.speaker("Lapin hyvinvointialue"),),
                online=False,
            ),
            registrants=(28, 29),
            pool=ROVANIEMI_NET,
            invite=True,
            cancellations=1,
            overdue_task="Tilaa arabian- ja somalinkielinen tulkki",
        ),
    )

    # Education paths in Rovaniemi (the demo team lead's team), at REDU.
    day = _soon(today, 23)
    team = d.networks[TEAM_EDU_ROVANIEMI]
    theme = TEAM_THEMES[TEAM_EDU_ROVANIEMI][1]
    start = _at(day, 13)
    venue = VENUES["Lapin koulutuskeskus REDU"]
    _single(
        d,
        ROVANIEMI_NET,
        {
            "type": E.TEAM_MEETING,
            "team": team,
            **_tr(
                "title",
                (
                    f"{team.name_fi}: tiimin tapaaminen",
                    f"{team.name_sv}: teammöte",
                    f"{team.name_en}: team meeting",
                ),
            ),
            **_tr("theme", theme),
            "languages": ["fi"],
            "starts_at": start,
            "ends_at": start + timedelta(minutes=90),
            "visibility": Event.Visibility.MEMBERS,
            "organiser": d.organisations["Lapin koulutuskeskus REDU"],
            "hosts": [d.organisations["Lapin koulutuskeskus REDU"]],
            **venue.data(),
            "municipality": d.municipalities[venue.municipality],
            "coffee_cost": Decimal(40),
        },
        Plan(
            key="upcoming-education-rovaniemi",
            agenda=_team_agenda(start, theme, (d.speaker("Lapin ammattikorkeakoulu"),)),
            registrants=(4, 7),
            pool=TEAM_EDU_ROVANIEMI,
        ),
    )

    # Rural municipalities' team online.
    day = _soon(today, 51)
    team = d.networks[TEAM_RURAL]
    theme = TEAM_THEMES[TEAM_RURAL][0]
    start = _at(day, 9)
    _single(
        d,
        MAKO,
        {
            "type": E.TEAM_MEETING,
            "team": team,
            **_tr(
                "title",
                (
                    f"{team.name_fi}: tiimin tapaaminen",
                    f"{team.name_sv}: teammöte",
                    f"{team.name_en}: team meeting",
                ),
            ),
            **_tr("theme", theme),
            "languages": ["fi"],
            "starts_at": start,
            "ends_at": start + timedelta(minutes=90),
            "visibility": Event.Visibility.MEMBERS,
            "organiser": d.organisations["Ranuan kunta"],
            "hosts": [],
            **_online("upcoming-rural-team"),
        },
        Plan(
            key="upcoming-rural-team",
            agenda=_team_agenda(start, theme, (d.speaker("Ranuan kunta"),)),
            registrants=(2, 4),
            pool=TEAM_RURAL,
        ),
    )

    # A training for the whole of Lapland on Teams.
    day = _soon(today, 65)
    start = _at(day, 12, 30)
    theme = (
        "Etätulkkaus asiakastyössä",
        "Distanstolkning i kundarbetet",
        "Remote interpreting with clients",
    )
    _single(
        d,
        MAKO,
        {
            "type": E.TRAINING,
            **_tr(
                "title",
                (
                    "Koulutus: etätulkkaus asiakastyössä",
                    "Utbildning: distanstolkning i kundarbetet",
                    "Training: remote interpreting with clients",
                ),
            ),
            **_tr("theme", theme),
            **_tr(
                "description",
                (
                    "Käytännön koulutus tulkin kanssa työskentelystä etäyhteydellä: tilaaminen, "
                    "valmistautuminen, puhelu- ja videotulkkaus sekä tietosuoja.",
                    "Praktisk utbildning i att arbeta med tolk på distans: beställning, "
                    "förberedelser, telefon- och videotolkning samt dataskydd.",
                    "A practical training in working with an interpreter remotely: booking, "
                    "preparation, phone and video interpreting, and data protection.",
                ),
            ),
            "languages": ["fi"],
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "visibility": Event.Visibility.PUBLIC,
            "organiser": d.org(_coordinator_org(day)),
            "co_organisers": [d.organisations["Arktinen Tulkkaus Oy"]],
            **_online("upcoming-training"),
            "capacity": 40,
            "registration_deadline": start - timedelta(days=2),
            "audiences": [
                d.audiences[c]
                for c in ("public-administration", "municipalities", "wellbeing-counties", "ngos")
            ],
        },
        Plan(
            key="upcoming-training",
            agenda=_sequence(
                start,
                [
                    (50, A.THEME_TALK, _talk(theme), (d.speaker("Arktinen Tulkkaus Oy"),)),
                    (10, A.BREAK, ("Tauko", "Paus", "Break"), ()),
                    (
                        40,
                        A.WORKSHOP,
                        (
                            "Harjoitus: tulkattu asiakastapaaminen",
                            "Övning: ett tolkat kundmöte",
                            "Exercise: an interpreted client meeting",
                        ),
                        (),
                    ),
                    (20, A.DEBRIEF, DEBRIEF, ()),
                ],
            ),
            registrants=(36, 38),
            pool=MAKO,
            invite=True,
        ),
    )

    # Education paths in Meri-Lappi, at Lappia in Tornio.
    day = _soon(today, 79)
    team = d.networks[TEAM_EDU_MERI_LAPPI]
    theme = TEAM_THEMES[TEAM_EDU_MERI_LAPPI][2]
    start = _at(day, 13)
    venue = VENUES["Koulutuskuntayhtymä Lappia"]
    _single(
        d,
        MERI_LAPPI,
        {
            "type": E.TEAM_MEETING,
            "team": team,
            **_tr(
                "title",
                (
                    f"{team.name_fi}: tiimin tapaaminen",
                    f"{team.name_sv}: teammöte",
                    f"{team.name_en}: team meeting",
                ),
            ),
            **_tr("theme", theme),
            "languages": ["fi"],
            "starts_at": start,
            "ends_at": start + timedelta(minutes=90),
            "visibility": Event.Visibility.MEMBERS,
            "organiser": d.organisations["Koulutuskuntayhtymä Lappia"],
            "hosts": [d.organisations["Koulutuskuntayhtymä Lappia"]],
            **venue.data(),
            "municipality": d.municipalities[venue.municipality],
        },
        Plan(
            key="upcoming-education-meri-lappi",
            agenda=_team_agenda(start, theme, (d.speaker("Koulutuskuntayhtymä Lappia"),)),
            registrants=(2, 4),
            pool=TEAM_EDU_MERI_LAPPI,
        ),
    )

    # POMAKO's yearly seminar in Vaasa, bilingual, nearly full.
    day = _soon(today, 44)
    start = _at(day, 9)
    theme = (
        "Kotoutuminen Pohjanmaalla kahdella kielellä",
        "Integration på två språk i Österbotten",
        "Integration in two languages in Ostrobothnia",
    )
    venue = VENUES["Vaasan kaupunki"]
    _single(
        d,
        POMAKO,
        {
            "type": E.SEMINAR,
            **_tr(
                "title",
                (
                    "POMAKO-verkoston vuosiseminaari",
                    "POMAKO-nätverkets årsseminarium",
                    "POMAKO network annual seminar",
                ),
            ),
            **_tr("theme", theme),
            **_tr(
                "description",
                (
                    "Verkoston vuosittainen lähitapaaminen Vaasassa. Seminaari pidetään suomeksi "
                    "ja ruotsiksi.",
                    "Nätverkets årliga möte på plats i Vasa. Seminariet hålls på finska och "
                    "svenska.",
                    "The network's yearly in-person meeting in Vaasa, held in Finnish and Swedish.",
                ),
            ),
            "languages": ["fi", "sv"],
            "starts_at": start,
            "ends_at": start + timedelta(hours=6),
            "visibility": Event.Visibility.PUBLIC,
            "organiser": d.org(_coordinator_org(day, OSTROBOTHNIA)),
            "hosts": [d.organisations["Vaasan kaupunki"]],
            **venue.data(),
            "municipality": d.municipalities[venue.municipality],
            "capacity": 40,
            "registration_deadline": start - timedelta(days=10),
            "room_rent": Decimal(450),
            "coffee_cost": Decimal(40 * 14),
            "audiences": [
                d.audiences[c]
                for c in (
                    "municipalities",
                    "wellbeing-counties",
                    "ngos",
                    "educational-institutions",
                )
            ],
        },
        Plan(
            key="upcoming-pomako-seminar",
            agenda=_sequence(
                start,
                [
                    (15, A.OTHER, OPENING, _opener(d, day, OSTROBOTHNIA)),
                    (60, A.CURRENT_AFFAIRS, ROUND, ()),
                    (15, A.BREAK, COFFEE, ()),
                    (
                        60,
                        A.THEME_TALK,
                        _talk(theme),
                        (d.speaker("Yrkeshögskolan Novia"), d.speaker("Vaasan kaupunki")),
                    ),
                    (60, A.BREAK, LUNCH, ()),
                    (75, A.WORKSHOP, _workshop(theme), ()),
                    (35, A.DEBRIEF, DEBRIEF, ()),
                    (40, A.OTHER, NEXT, _opener(d, day, OSTROBOTHNIA)),
                ],
            ),
            registrants=(37, 38),
            pool=POMAKO,
            invite=True,
        ),
    )
