"""Demo data: Lapland's MAKO and Ostrobothnia's POMAKO networks, their organisations and people.

Everything is written through the network services (so the audit log shows it, with the system
as the actor) and looked up by stable keys first (network slug, organisation business ID or name,
person e-mail), so loading twice changes nothing. People are generated from a seeded random
generator, so every installation gets the same names.
"""

import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import translation

from kotoverkko.accounts.models import User
from kotoverkko.accounts.services import user_create
from kotoverkko.codelists.models import Municipality
from kotoverkko.events.demo import events_demo_load
from kotoverkko.library.demo import library_demo_load
from kotoverkko.newsletter.demo import newsletter_demo_load
from kotoverkko.tray.demo import tray_demo_load

from .models import JoinRequest, Membership, Network, Organisation, Person
from .services import (
    join_request_submit,
    membership_add,
    membership_end,
    network_create,
    network_update,
    organisation_create,
    organisation_update,
    person_create,
)

DEMO_PASSWORD = "kotoverkko-demo"  # noqa: S105 - published demo password, shown on `make run`
SEED = "kotoverkko-demo-2026"

LAPLAND = "19"
OSTROBOTHNIA = "15"
CENTRAL_OSTROBOTHNIA = "16"

# Municipality codes (Statistics Finland).
ROVANIEMI, RANUA, SODANKYLA, KEMIJARVI, KITTILA = "698", "683", "758", "320", "261"
KEMI, TORNIO, KEMINMAA, SIMO, TERVOLA, YLITORNIO = "240", "851", "241", "751", "845", "976"
VAASA, KOKKOLA, JAKOBSTAD, NARPES, KORSHOLM = "905", "272", "598", "545", "499"
KRISTINESTAD = "287"
MALAX, LAIHIA, VORA, KASKO, NYKARLEBY, PEDERSORE = "475", "399", "946", "231", "893", "599"
HELSINKI, MIKKELI = "091", "491"

MERI_LAPPI = (KEMI, TORNIO, KEMINMAA, SIMO, TERVOLA, YLITORNIO)
ROVANIEMI_AREA = (ROVANIEMI, RANUA)
RURAL_LAPLAND = (KEMINMAA, SIMO, TERVOLA, YLITORNIO, RANUA, SODANKYLA, KEMIJARVI, KITTILA)


# Networks and teams -------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkSpec:
    slug: str
    parent: str | None
    kind: str
    short_name: str
    name: tuple[str, str, str]
    description: tuple[str, str, str]
    how_to_join: tuple[str, str, str]
    meeting_rhythm: tuple[str, str, str]
    languages: tuple[str, ...] = ("fi",)
    municipalities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    contact_email: str = ""


MAKO, MAKO_MERI_LAPPI, MAKO_ROVANIEMI = "lapin-mako", "meri-lapin-mako", "rovaniemen-mako"
TEAM_REFUGEES = "pakolaisten-vastaanotto"
TEAM_RURAL = "maaseutukuntien-kotouttamiskaytannot"
TEAM_EDUCATION_MERI_LAPPI = "koulutuspolut-meri-lappi"
TEAM_EDUCATION_ROVANIEMI = "koulutuspolut-rovaniemi"
POMAKO = "pomako"

_REGIONAL_JOIN = (
    "Verkosto on avoin kaikille, jotka tekevät maahanmuutto- tai kotouttamistyötä alueella. "
    "Lähetä liittymispyyntö tällä sivulla; alueellisen verkoston jäsenenä kuulut myös koko "
    "Lapin MAKO-verkostoon.",
    "Nätverket är öppet för alla som arbetar med invandring eller integration i området. "
    "Skicka en anslutningsbegäran på den här sidan; som medlem i det regionala nätverket hör "
    "du också till hela MAKO-nätverket i Lappland.",
    "The network is open to everyone working with immigration or integration in the area. "
    "Send a join request on this page; as a member of the regional network you also belong to "
    "the whole Lapland MAKO network.",
)
_TEAM_JOIN = (
    "Tiimiin voi liittyä kuka tahansa Lapin MAKO-verkoston jäsen, jota teema koskee. Lähetä "
    "pyyntö tällä sivulla, niin tiimin vetäjä tai koordinaattori hyväksyy sen.",
    "Alla medlemmar i MAKO-nätverket i Lappland som arbetar med temat kan gå med i teamet. "
    "Skicka en begäran på den här sidan; teamledaren eller samordnaren godkänner den.",
    "Any member of the Lapland MAKO network working on the theme may join the team. Send a "
    "request on this page and the team lead or the coordinator will accept it.",
)
_REGIONAL_RHYTHM = ("1–2 kertaa vuodessa", "1–2 gånger per år", "1–2 times a year")
_TEAM_RHYTHM = (
    "Tarpeen mukaan, tavallisesti 2–4 kertaa vuodessa",
    "Vid behov, vanligen 2–4 gånger per år",
    "As needed, usually 2–4 times a year",
)

NETWORKS: tuple[NetworkSpec, ...] = (
    NetworkSpec(
        slug=MAKO,
        parent=None,
        kind=Network.Kind.NETWORK,
        short_name="MAKO",
        name=("Lapin MAKO-verkosto", "MAKO-nätverket i Lappland", "Lapland MAKO network"),
        description=(
            "Lapin maahanmuutto- ja kotouttamistoimijoiden verkosto kokoaa yhteen kaikki, jotka "
            "työskentelevät maahan muuttaneiden parissa Lapissa: kuntien viranhaltijat ja "
            "luottamushenkilöt, hyvinvointialueen, työllisyysalueiden ja valtion viranomaiset, "
            "oppilaitokset ja kouluttajat, seurakunnat sekä järjestöt ja hankkeet. Verkosto "
            "rakentuu kahden alueellisen verkoston, Meri-Lapin ja Rovaniemen, varaan, ja "
            "kehittämistyötä tehdään neljässä temaattisessa tiimissä. Alueellisten verkostojen "
            "jäsenet kuuluvat samalla koko Lapin verkostoon. Jäsenet saavat joka kuukausi "
            "sähköisen tiedotteen, jossa on alueen ja koko maan ajankohtaisia uutisia, "
            "koulutuksia ja tapahtumia.",
            "Nätverket för aktörer inom invandring och integration i Lappland samlar alla som "
            "arbetar med invandrare i Lappland: kommunernas tjänstemän och förtroendevalda, "
            "myndigheter inom välfärdsområdet, sysselsättningsområdena och staten, "
            "läroanstalter och utbildare, församlingar samt organisationer och projekt. "
            "Nätverket bygger på två regionala nätverk, Meri-Lappi och Rovaniemi, och "
            "utvecklingsarbetet sker i fyra tematiska team. Medlemmarna i de regionala "
            "nätverken hör också till hela Lapplands nätverk. Medlemmarna får varje månad ett "
            "elektroniskt informationsbrev med regionala och nationella nyheter, utbildningar "
            "och evenemang.",
            "The network of immigration and integration actors in Lapland brings together "
            "everyone who works with newcomers in Lapland: municipal officials and elected "
            "members, the wellbeing services county, the employment areas and state "
            "authorities, schools and trainers, parishes, associations and projects. It rests "
            "on two regional networks, Meri-Lappi and Rovaniemi, and its development work is "
            "done in four thematic teams. Members of a regional network belong to the whole "
            "Lapland network as well. Members receive a monthly e-mail bulletin with regional "
            "and national news, trainings and events.",
        ),
        how_to_join=(
            "Verkosto on tarkoitettu ensisijaisesti maahanmuutto- ja kotouttamistyötä "
            "tekeville, mutta myös järjestöjen toimijat, kuntien luottamushenkilöt ja muut "
            "aiheesta kiinnostuneet ovat tervetulleita. Lähetä liittymispyyntö tällä sivulla, "
            "niin koordinaattori lisää sinut verkostoon ja kuukausitiedotteen postituslistalle.",
            "Nätverket är i första hand avsett för dem som arbetar med invandring och "
            "integration, men också föreningsaktiva, kommunala förtroendevalda och andra "
            "intresserade är välkomna. Skicka en anslutningsbegäran på den här sidan, så lägger "
            "samordnaren till dig i nätverket och på sändlistan för månadsbrevet.",
            "The network is meant first of all for people working with immigration and "
            "integration, but association volunteers, municipal councillors and anyone "
            "interested are welcome too. Send a join request on this page and the coordinator "
            "will add you to the network and to the mailing list of the monthly bulletin.",
        ),
        meeting_rhythm=("Kaksi kertaa vuodessa", "Två gånger per år", "Twice a year"),
        regions=(LAPLAND,),
        contact_email="mako@lappi.elinvoimakeskus.example",
    ),
    NetworkSpec(
        slug=MAKO_MERI_LAPPI,
        parent=MAKO,
        kind=Network.Kind.NETWORK,
        short_name="Meri-Lapin MAKO",
        name=(
            "Meri-Lapin MAKO-verkosto",
            "MAKO-nätverket i Meri-Lappi",
            "Sea Lapland MAKO network",
        ),
        description=(
            "Meri-Lapin alueellinen verkosto Kemin, Tornion, Keminmaan, Simon, Tervolan ja "
            "Ylitornion kotouttamistyön tekijöille. Verkostossa vaihdetaan ajankohtaiset "
            "kuulumiset, esitellään uudet hankkeet ja sovitaan yhteisistä käytännöistä.",
            "Det regionala nätverket i Meri-Lappi för dem som arbetar med integration i Kemi, "
            "Torneå, Keminmaa, Simo, Tervola och Övertorneå. I nätverket delar man aktuella "
            "nyheter, presenterar nya projekt och kommer överens om gemensamma arbetssätt.",
            "The regional network of Sea Lapland for integration workers in Kemi, Tornio, "
            "Keminmaa, Simo, Tervola and Ylitornio. Members share current news, present new "
            "projects and agree on shared practices.",
        ),
        how_to_join=_REGIONAL_JOIN,
        meeting_rhythm=_REGIONAL_RHYTHM,
        municipalities=MERI_LAPPI,
    ),
    NetworkSpec(
        slug=MAKO_ROVANIEMI,
        parent=MAKO,
        kind=Network.Kind.NETWORK,
        short_name="Rovaniemen MAKO",
        name=("Rovaniemen MAKO-verkosto", "MAKO-nätverket i Rovaniemi", "Rovaniemi MAKO network"),
        description=(
            "Rovaniemen seudun alueellinen verkosto Rovaniemen ja Ranuan kotouttamistyön "
            "tekijöille: kaupunki, hyvinvointialue, työllisyysalue, oppilaitokset, järjestöt "
            "ja seurakunnat.",
            "Det regionala nätverket i Rovaniemiregionen för dem som arbetar med integration i "
            "Rovaniemi och Ranua: staden, välfärdsområdet, sysselsättningsområdet, "
            "läroanstalter, organisationer och församlingar.",
            "The regional network of the Rovaniemi area for integration workers in Rovaniemi "
            "and Ranua: the city, the wellbeing services county, the employment area, schools, "
            "associations and parishes.",
        ),
        how_to_join=_REGIONAL_JOIN,
        meeting_rhythm=_REGIONAL_RHYTHM,
        municipalities=ROVANIEMI_AREA,
    ),
    NetworkSpec(
        slug=TEAM_REFUGEES,
        parent=MAKO,
        kind=Network.Kind.TEAM,
        short_name="",
        name=("Pakolaisten vastaanotto", "Mottagning av flyktingar", "Refugee reception"),
        description=(
            "Tiimi kokoaa kuntien, vastaanottokeskusten, hyvinvointialueen ja järjestöjen "
            "toimijat kehittämään kiintiöpakolaisten ja kuntaan muuttavien turvapaikan "
            "saaneiden vastaanottoa Lapissa.",
            "Teamet samlar kommuner, förläggningar, välfärdsområdet och organisationer för att "
            "utveckla mottagningen av kvotflyktingar och av personer som fått asyl och flyttar "
            "till en kommun i Lappland.",
            "The team brings together municipalities, reception centres, the wellbeing "
            "services county and associations to improve the reception of quota refugees and "
            "of people granted asylum who move to a municipality in Lapland.",
        ),
        how_to_join=_TEAM_JOIN,
        meeting_rhythm=_TEAM_RHYTHM,
        regions=(LAPLAND,),
    ),
    NetworkSpec(
        slug=TEAM_RURAL,
        parent=MAKO,
        kind=Network.Kind.TEAM,
        short_name="",
        name=(
            "Maaseutukuntien kotouttamiskäytännöt",
            "Integrationspraxis i landsbygdskommuner",
            "Integration practices of rural municipalities",
        ),
        description=(
            "Pienten maaseutukuntien tiimi jakaa toimivia tapoja järjestää kotoutumisen "
            "palvelut, kun asiakkaita on vähän, matkat ovat pitkiä ja osaaminen on harvojen "
            "käsissä.",
            "Teamet för små landsbygdskommuner delar fungerande sätt att ordna "
            "integrationstjänster när kunderna är få, avstånden långa och kunnandet finns hos "
            "ett fåtal.",
            "The team of small rural municipalities shares working ways to provide integration "
            "services when clients are few, distances are long and expertise rests with a "
            "handful of people.",
        ),
        how_to_join=_TEAM_JOIN,
        meeting_rhythm=_TEAM_RHYTHM,
        municipalities=RURAL_LAPLAND,
    ),
    NetworkSpec(
        slug=TEAM_EDUCATION_MERI_LAPPI,
        parent=MAKO_MERI_LAPPI,
        kind=Network.Kind.TEAM,
        short_name="",
        name=(
            "Koulutuspolut Meri-Lappi",
            "Utbildningsvägar i Meri-Lappi",
            "Education paths in Sea Lapland",
        ),
        description=(
            "Oppilaitosten, työllisyysalueen ja kuntien tiimi, joka sujuvoittaa maahan "
            "muuttaneiden siirtymiä kotoutumiskoulutuksesta ammatilliseen koulutukseen ja "
            "työhön Meri-Lapissa.",
            "Ett team av läroanstalter, sysselsättningsområdet och kommuner som gör det "
            "smidigare för invandrare att gå vidare från integrationsutbildning till "
            "yrkesutbildning och arbete i Meri-Lappi.",
            "A team of schools, the employment area and municipalities that smooths newcomers' "
            "way from integration training to vocational education and work in Sea Lapland.",
        ),
        how_to_join=_TEAM_JOIN,
        meeting_rhythm=_TEAM_RHYTHM,
        municipalities=MERI_LAPPI,
    ),
    NetworkSpec(
        slug=TEAM_EDUCATION_ROVANIEMI,
        parent=MAKO_ROVANIEMI,
        kind=Network.Kind.TEAM,
        short_name="",
        name=(
            "Koulutuspolut Rovaniemi",
            "Utbildningsvägar i Rovaniemi",
            "Education paths in Rovaniemi",
        ),
        description=(
            "Rovaniemen oppilaitosten ja ohjauspalvelujen tiimi: yhteinen kuva "
            "koulutusvaihtoehdoista, kielitaidon arvioinnista ja opinto-ohjauksesta "
            "maahan muuttaneille.",
            "Ett team för läroanstalter och vägledningstjänster i Rovaniemi: en gemensam bild "
            "av utbildningsalternativ, bedömning av språkkunskaper och studiehandledning för "
            "invandrare.",
            "A team of Rovaniemi's schools and guidance services: a shared picture of "
            "education options, language assessment and study guidance for newcomers.",
        ),
        how_to_join=_TEAM_JOIN,
        meeting_rhythm=_TEAM_RHYTHM,
        municipalities=ROVANIEMI_AREA,
    ),
    NetworkSpec(
        slug=POMAKO,
        parent=None,
        kind=Network.Kind.NETWORK,
        short_name="POMAKO",
        name=("POMAKO-verkosto", "POMAKO-nätverket", "POMAKO network"),
        description=(
            "Maahanmuutto- ja kotoutumisasioiden verkosto Pohjanmaalla ja Keski-Pohjanmaalla. "
            "Verkosto syntyi, kun kentältä nousi tarve laajalle yhteiselle foorumille, joka "
            "kokoontuu säännöllisesti ja pitää kaikki ajan tasalla. Se on avoin alueen kuntien, "
            "työllisyyspalvelujen, oppilaitosten ja järjestöjen kotoutumisen asiantuntijoille "
            "ja kaikille maahanmuuton parissa työskenteleville. Joka kuukausi on oma teemansa, "
            "jonka alustavat alan asiantuntijat, ja aiheesta keskustellaan yhdessä.",
            "Nätverket för invandrings- och integrationsärenden i Österbotten och Mellersta "
            "Österbotten. Nätverket kom till när fältet efterlyste ett brett gemensamt forum "
            "som samlas regelbundet och håller alla uppdaterade. Det är öppet för sakkunniga "
            "inom integration i områdets kommuner, sysselsättningstjänster, läroanstalter och "
            "föreningar samt för alla som arbetar med invandring. Varje månad har sitt tema "
            "som inleds av experter, och sedan diskuterar vi det tillsammans.",
            "The network for immigration and integration in Ostrobothnia and Central "
            "Ostrobothnia. It was started when people in the field asked for a broad shared "
            "forum that meets regularly and keeps everyone up to date. It is open to "
            "integration experts of the area's municipalities, employment services, schools "
            "and associations, and to everyone working with immigration. Each month has its "
            "own theme, introduced by experts and then discussed together.",
        ),
        how_to_join=(
            "Ilmoittaudu mukaan tämän sivun lomakkeella. Verkoston jäsenet saavat "
            "kuukausittaisen briiffin kalenteri- ja Teams-kutsuna.",
            "Anmäl dig med formuläret på den här sidan. Nätverkets medlemmar får varje månad "
            "en briefing som kalender- och Teamsinbjudan.",
            "Sign up with the form on this page. Members receive the monthly briefing as a "
            "calendar and Teams invitation.",
        ),
        meeting_rhythm=(
            "Kerran kuukaudessa Teamsissa (ei kesäkuukausina), noin 1,5–2 tuntia",
            "En gång i månaden på Teams (inte under sommarmånaderna), cirka 1,5–2 timmar",
            "Once a month on Teams (not in the summer months), about 1.5–2 hours",
        ),
        languages=("fi", "sv"),
        regions=(OSTROBOTHNIA, CENTRAL_OSTROBOTHNIA),
        contact_email="pomako@pohjanmaa.elinvoimakeskus.example",
    ),
)


# Organisations ------------------------------------------------------------------------------

T = Organisation.Type
L = Organisation.LanguageStatus


@dataclass(frozen=True)
class OrganisationSpec:
    name: tuple[str, str, str]
    type: str
    home: str
    domain: str
    people: int
    description: tuple[str, str, str]
    language_status: str = L.FINNISH
    serves: tuple[str, ...] = ()
    serves_regions: tuple[str, ...] = ()
    staff_in: tuple[str, ...] = ()  # where its people work; the home municipality if empty
    has_business_id: bool = True
    valid_from: date | None = None
    valid_until: date | None = None
    predecessor: str | None = None  # name_fi of the organisation it replaced

    @property
    def key(self) -> str:
        return self.name[0]


def _org(name, type, home, domain, people, description, **kwargs) -> OrganisationSpec:
    return OrganisationSpec(
        name=name,
        type=type,
        home=home,
        domain=domain,
        people=people,
        description=description,
        **kwargs,
    )


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    # Lapland: municipalities
    _org(
        ("Rovaniemen kaupunki", "Rovaniemi stad", "City of Rovaniemi"),
        T.MUNICIPALITY,
        ROVANIEMI,
        "rovaniemi.example",
        7,
        (
            "Kaupungin kotouttamispalvelut: alkukartoitukset, kotoutumissuunnitelmat, "
            "pakolaisten kuntaan osoittaminen ja neuvonta uusille asukkaille.",
            "Stadens integrationstjänster: inledande kartläggningar, integrationsplaner, "
            "anvisning av flyktingar och rådgivning för nya invånare.",
            "The city's integration services: initial assessments, integration plans, "
            "placement of refugees and advice for new residents.",
        ),
        serves=(ROVANIEMI,),
    ),
    _org(
        ("Kemin kaupunki", "Kemi stad", "City of Kemi"),
        T.MUNICIPALITY,
        KEMI,
        "kemi.example",
        5,
        (
            "Kemin maahanmuuttopalvelut ja kotoutumisen tuki; kaupunki vastaanottaa "
            "kiintiöpakolaisia.",
            "Kemi stads invandrartjänster och stöd för integration; staden tar emot "
            "kvotflyktingar.",
            "Kemi's immigrant services and integration support; the city receives quota refugees.",
        ),
        serves=(KEMI,),
    ),
    _org(
        ("Tornion kaupunki", "Torneå stad", "City of Tornio"),
        T.MUNICIPALITY,
        TORNIO,
        "tornio.example",
        4,
        (
            "Kotoutumispalvelut rajakaupungissa, jossa arkea eletään yhdessä Haaparannan kanssa.",
            "Integrationstjänster i en gränsstad där vardagen delas med Haparanda.",
            "Integration services in a border town that shares its everyday life with Haparanda.",
        ),
        serves=(TORNIO,),
    ),
    _org(
        ("Keminmaan kunta", "Keminmaa kommun", "Municipality of Keminmaa"),
        T.MUNICIPALITY,
        KEMINMAA,
        "keminmaa.example",
        2,
        (
            "Kunnan sivistys- ja vapaa-aikapalvelut tukevat uusien asukkaiden kotoutumista.",
            "Kommunens bildnings- och fritidstjänster stöder nya invånares integration.",
            "The municipality's education and leisure services support the integration of "
            "new residents.",
        ),
        serves=(KEMINMAA,),
    ),
    _org(
        ("Ranuan kunta", "Ranua kommun", "Municipality of Ranua"),
        T.MUNICIPALITY,
        RANUA,
        "ranua.example",
        2,
        (
            "Pieni maaseutukunta, joka ohjaa kotoutujat lähipalveluihin ja Rovaniemen "
            "seudun yhteisiin palveluihin.",
            "En liten landsbygdskommun som vägleder nyanlända till närservice och till "
            "gemensamma tjänster i Rovaniemiregionen.",
            "A small rural municipality that guides newcomers to local services and to the "
            "shared services of the Rovaniemi area.",
        ),
        serves=(RANUA,),
    ),
    _org(
        ("Sodankylän kunta", "Sodankylä kommun", "Municipality of Sodankylä"),
        T.MUNICIPALITY,
        SODANKYLA,
        "sodankyla.example",
        2,
        (
            "Kunnan kotoutumistyö kausityöntekijöille ja perheille Keski-Lapissa.",
            "Kommunens integrationsarbete för säsongsarbetare och familjer i mellersta Lappland.",
            "The municipality's integration work for seasonal workers and families in "
            "Central Lapland.",
        ),
        serves=(SODANKYLA,),
    ),
    # Lapland: public authorities
    _org(
        (
            "Lapin hyvinvointialue",
            "Välfärdsområdet i Lappland",
            "Lapland Wellbeing Services County",
        ),
        T.WELLBEING_COUNTY,
        ROVANIEMI,
        "lapha.example",
        7,
        (
            "Sosiaali-, terveys- ja pelastuspalvelut koko Lapissa, myös maahan muuttaneiden "
            "terveystarkastukset ja sosiaalityö.",
            "Social-, hälso- och räddningstjänster i hela Lappland, också hälsoundersökningar "
            "och socialt arbete för invandrare.",
            "Social, health and rescue services across Lapland, including health checks and "
            "social work for newcomers.",
        ),
        serves_regions=(LAPLAND,),
        staff_in=(ROVANIEMI, KEMI, TORNIO, ROVANIEMI, SODANKYLA),
    ),
    _org(
        (
            "Lapin ELY-keskus",
            "NTM-centralen i Lappland",
            "Lapland Centre for Economic Development, Transport and the Environment",
        ),
        T.ELINVOIMAKESKUS,
        ROVANIEMI,
        "ely-keskus.example",
        1,
        (
            "Vastasi maahanmuuton ja kotouttamisen alueellisesta kehittämisestä ja "
            "koordinoi Lapin MAKO-verkostoa vuoden 2025 loppuun.",
            "Ansvarade för den regionala utvecklingen av invandring och integration och "
            "samordnade MAKO-nätverket i Lappland till utgången av 2025.",
            "Responsible for the regional development of immigration and integration and "
            "coordinator of the Lapland MAKO network until the end of 2025.",
        ),
        serves_regions=(LAPLAND,),
        valid_until=date(2025, 12, 31),
    ),
    _org(
        (
            "Lapin elinvoimakeskus",
            "Livskraftscentralen i Lappland",
            "Lapland Regional Development Centre",
        ),
        T.ELINVOIMAKESKUS,
        ROVANIEMI,
        "lappi.elinvoimakeskus.example",
        3,
        (
            "Kehittää ja sovittaa yhteen maahanmuuttoa ja kotouttamista Lapissa ja koordinoi "
            "Lapin MAKO-verkostoa. Jatkaa Lapin ELY-keskuksen tehtäviä vuodesta 2026.",
            "Utvecklar och samordnar invandring och integration i Lappland och samordnar "
            "MAKO-nätverket. Fortsätter NTM-centralens uppgifter från och med 2026.",
            "Develops and coordinates immigration and integration in Lapland and runs the "
            "Lapland MAKO network. Took over the ELY centre's tasks in 2026.",
        ),
        serves_regions=(LAPLAND,),
        valid_from=date(2026, 1, 1),
        predecessor="Lapin ELY-keskus",
    ),
    _org(
        ("Lapin poliisilaitos", "Lapplands polisinrättning", "Police of Lapland"),
        T.POLICE,
        ROVANIEMI,
        "poliisi.example",
        2,
        (
            "Lupapalvelut, ennalta estävä työ ja turvapaikanhakijoiden rekisteröinti Lapissa.",
            "Tillståndstjänster, förebyggande arbete och registrering av asylsökande i Lappland.",
            "Permit services, preventive work and the registration of asylum seekers in Lapland.",
        ),
        serves_regions=(LAPLAND,),
        staff_in=(ROVANIEMI, KEMI),
    ),
    _org(
        ("Kemin vastaanottokeskus", "Kemi förläggning", "Kemi Reception Centre"),
        T.RECEPTION_CENTRE,
        KEMI,
        "vok-kemi.example",
        4,
        (
            "Turvapaikanhakijoiden majoitus, sosiaali- ja terveyspalvelut sekä työ- ja "
            "opintotoiminta.",
            "Inkvartering, social- och hälsotjänster samt arbets- och studieverksamhet för "
            "asylsökande.",
            "Housing, social and health services, and work and study activities for asylum "
            "seekers.",
        ),
        serves=(KEMI, TORNIO, KEMINMAA),
    ),
    _org(
        ("Lapin liitto", "Lapplands förbund", "Regional Council of Lapland"),
        T.REGIONAL_COUNCIL,
        ROVANIEMI,
        "lapinliitto.example",
        2,
        (
            "Maakunnan kehittäjä: aluekehitys, maakuntaohjelma ja EU-rahoituksen ohjelmointi.",
            "Landskapets utvecklare: regional utveckling, landskapsprogrammet och "
            "programmering av EU-finansiering.",
            "The region's developer: regional development, the regional programme and the "
            "programming of EU funding.",
        ),
        serves_regions=(LAPLAND,),
    ),
    _org(
        (
            "Rovaniemen työllisyysalue",
            "Rovaniemi sysselsättningsområde",
            "Rovaniemi Employment Area",
        ),
        T.EMPLOYMENT_AREA,
        ROVANIEMI,
        "tyollisyys.rovaniemi.example",
        4,
        (
            "Työvoimapalvelut Rovaniemellä ja Ranualla: työnhaku, osaamisen kartoitus ja "
            "työnhakijoiden kotoutumissuunnitelmat.",
            "Arbetskraftstjänster i Rovaniemi och Ranua: arbetssökande, kartläggning av "
            "kompetens och integrationsplaner för arbetssökande.",
            "Employment services in Rovaniemi and Ranua: job search, skills assessment and "
            "integration plans for jobseekers.",
        ),
        serves=ROVANIEMI_AREA,
        has_business_id=False,
    ),
    _org(
        (
            "Meri-Lapin työllisyysalue",
            "Meri-Lappis sysselsättningsområde",
            "Sea Lapland Employment Area",
        ),
        T.EMPLOYMENT_AREA,
        KEMI,
        "tyollisyys.kemi.example",
        3,
        (
            "Meri-Lapin kuntien yhteiset työvoimapalvelut; kotoutujien työnhaku ja "
            "kielikoulutukseen ohjaus.",
            "Gemensamma arbetskraftstjänster för kommunerna i Meri-Lappi; arbetssökande och "
            "vägledning till språkutbildning för nyanlända.",
            "Shared employment services of the Sea Lapland municipalities; job search and "
            "guidance to language training for newcomers.",
        ),
        serves=MERI_LAPPI,
        has_business_id=False,
        staff_in=(KEMI, TORNIO),
    ),
    # Lapland: education
    _org(
        (
            "Lapin ammattikorkeakoulu",
            "Lapplands yrkeshögskola",
            "Lapland University of Applied Sciences",
        ),
        T.EDUCATION,
        ROVANIEMI,
        "lapinamk.example",
        4,
        (
            "Korkeakoulutusta Rovaniemellä, Kemissä ja Torniossa; korkeakouluvalmennus ja "
            "aiemmin hankitun osaamisen tunnistaminen maahan muuttaneille.",
            "Högskoleutbildning i Rovaniemi, Kemi och Torneå; förberedande utbildning och "
            "erkännande av tidigare kunnande för invandrare.",
            "Higher education in Rovaniemi, Kemi and Tornio; preparatory studies and "
            "recognition of prior learning for newcomers.",
        ),
        serves=(ROVANIEMI, KEMI, TORNIO),
        staff_in=(ROVANIEMI, KEMI),
    ),
    _org(
        ("Lapin yliopisto", "Lapplands universitet", "University of Lapland"),
        T.EDUCATION,
        ROVANIEMI,
        "ulapland.example",
        2,
        (
            "Tutkii monikulttuurisuutta ja arktisia yhteisöjä ja tukee kansainvälisten "
            "opiskelijoiden jäämistä alueelle.",
            "Forskar i mångkultur och arktiska samhällen och hjälper internationella "
            "studerande att stanna i regionen.",
            "Researches multiculturalism and Arctic communities and helps international "
            "students stay in the region.",
        ),
        serves=(ROVANIEMI,),
    ),
    _org(
        (
            "Lapin koulutuskeskus REDU",
            "Lapplands utbildningscenter REDU",
            "Lapland Education Centre REDU",
        ),
        T.EDUCATION,
        ROVANIEMI,
        "redu.example",
        4,
        (
            "Ammatillista koulutusta, kotoutumiskoulutusta ja tutkintoon valmentavaa "
            "koulutusta Rovaniemellä, Ranualla ja Sodankylässä.",
            "Yrkesutbildning, integrationsutbildning och examensförberedande utbildning i "
            "Rovaniemi, Ranua och Sodankylä.",
            "Vocational education, integration training and preparatory education in "
            "Rovaniemi, Ranua and Sodankylä.",
        ),
        serves=(ROVANIEMI, RANUA, SODANKYLA),
    ),
    _org(
        ("Koulutuskuntayhtymä Lappia", "Samkommunen Lappia", "Lappia Education Consortium"),
        T.JOINT_AUTHORITY,
        TORNIO,
        "lappia.example",
        4,
        (
            "Kemi-Tornionlaakson ammatillinen koulutus ja kansalaisopisto: "
            "kotoutumiskoulutusta ja suomen kieltä Meri-Lapissa.",
            "Yrkesutbildning och medborgarinstitut i Kemi-Torneådalen: integrationsutbildning "
            "och finska i Meri-Lappi.",
            "Vocational education and adult education centre of the Kemi-Tornio valley: "
            "integration training and Finnish lessons in Sea Lapland.",
        ),
        serves=MERI_LAPPI,
        staff_in=(TORNIO, KEMI),
    ),
    # Lapland: associations, parishes, companies, projects
    _org(
        (
            "Suomen Punainen Risti, Lapin piiri",
            "Finlands Röda Kors, Lapplands distrikt",
            "Finnish Red Cross, Lapland District",
        ),
        T.NGO,
        ROVANIEMI,
        "punainenristi.example",
        3,
        (
            "Vapaaehtoisten ystävä- ja kotoutumistoimintaa, kielikahviloita ja "
            "turvapaikanhakijoiden tukea Lapin osastoissa.",
            "Frivilliga väns- och integrationsverksamhet, språkkaféer och stöd för asylsökande "
            "i Lapplands avdelningar.",
            "Volunteer befriending and integration activities, language cafés and support for "
            "asylum seekers in the Lapland branches.",
        ),
        serves_regions=(LAPLAND,),
        staff_in=(ROVANIEMI, KEMI),
    ),
    _org(
        (
            "Lapin Monikulttuuriset ry",
            "Mångkulturella i Lappland rf",
            "Multicultural Lapland Association",
        ),
        T.MIGRANT_ORGANISATION,
        ROVANIEMI,
        "lapinmonikulttuuriset.example",
        3,
        (
            "Maahan muuttaneiden itse perustama yhdistys: vertaistukea, omakielisiä kerhoja "
            "ja kulttuuritapahtumia Rovaniemellä.",
            "En förening grundad av invandrare: kamratstöd, klubbar på modersmålet och "
            "kulturevenemang i Rovaniemi.",
            "An association founded by immigrants themselves: peer support, clubs in their "
            "own languages and cultural events in Rovaniemi.",
        ),
        serves=ROVANIEMI_AREA,
    ),
    _org(
        (
            "Kulttuurisilta Meri-Lappi ry",
            "Kulturbron i Meri-Lappi rf",
            "Culture Bridge Sea Lapland",
        ),
        T.MIGRANT_ORGANISATION,
        KEMI,
        "kulttuurisilta.example",
        3,
        (
            "Arabian- ja somalinkielisten perheiden yhdistys Kemissä ja Torniossa: "
            "perhekerhoja, asiointiapua ja nuorten liikuntaa.",
            "En förening för arabisk- och somalisktalande familjer i Kemi och Torneå: "
            "familjeklubbar, hjälp med ärenden och idrott för unga.",
            "An association of Arabic- and Somali-speaking families in Kemi and Tornio: family "
            "clubs, help with errands and sports for young people.",
        ),
        serves=(KEMI, TORNIO),
    ),
    _org(
        ("Lapin ukrainalaiset ry", "Ukrainare i Lappland rf", "Ukrainians in Lapland"),
        T.MIGRANT_ORGANISATION,
        ROVANIEMI,
        "lapinukrainalaiset.example",
        2,
        (
            "Tilapäistä suojelua saavien ukrainalaisten vertaistukiyhdistys: tiedotusta "
            "ukrainaksi ja lasten kerhoja.",
            "En kamratstödsförening för ukrainare med tillfälligt skydd: information på "
            "ukrainska och klubbar för barn.",
            "A peer-support association for Ukrainians under temporary protection: "
            "information in Ukrainian and clubs for children.",
        ),
        serves_regions=(LAPLAND,),
        staff_in=(ROVANIEMI, TORNIO),
    ),
    _org(
        ("Rovaniemen seurakunta", "Rovaniemi församling", "Rovaniemi Parish"),
        T.PARISH,
        ROVANIEMI,
        "rovaniemenseurakunta.example",
        2,
        (
            "Diakoniatyö, kansainvälinen työ ja kohtaamispaikka maahan muuttaneille.",
            "Diakoni, internationellt arbete och en mötesplats för invandrare.",
            "Diaconal work, international work and a meeting place for newcomers.",
        ),
        serves=(ROVANIEMI,),
    ),
    _org(
        ("Kemin seurakunta", "Kemi församling", "Kemi Parish"),
        T.PARISH,
        KEMI,
        "keminseurakunta.example",
        2,
        (
            "Diakoniaa, kielikahvila ja englanninkielisiä jumalanpalveluksia Kemissä.",
            "Diakoni, språkkafé och gudstjänster på engelska i Kemi.",
            "Diaconal work, a language café and services in English in Kemi.",
        ),
        serves=(KEMI,),
    ),
    _org(
        ("Arktinen Tulkkaus Oy", "Arktisk Tolkning Ab", "Arctic Interpreting Ltd"),
        T.COMPANY,
        ROVANIEMI,
        "arktinentulkkaus.example",
        2,
        (
            "Asioimis- ja etätulkkausta yli 20 kielellä Lapin viranomaisille ja järjestöille.",
            "Service- och distanstolkning på över 20 språk för myndigheter och "
            "organisationer i Lappland.",
            "Community and remote interpreting in more than 20 languages for Lapland's "
            "authorities and associations.",
        ),
        serves_regions=(LAPLAND,),
    ),
    _org(
        (
            "Osaajat Lappiin -hanke (ESR+)",
            "Projektet Kompetens till Lappland (ESF+)",
            "Talent to Lapland project (ESF+)",
        ),
        T.PROJECT,
        ROVANIEMI,
        "osaajatlappiin.example",
        2,
        (
            "Euroopan sosiaalirahasto plussan osarahoittama hanke, joka auttaa "
            "kansainvälisiä osaajia ja heidän perheitään asettumaan Lappiin ja löytämään "
            "työtä.",
            "Ett projekt delfinansierat av Europeiska socialfonden+ som hjälper "
            "internationella experter och deras familjer att rota sig i Lappland och hitta "
            "arbete.",
            "A project co-funded by the European Social Fund Plus that helps international "
            "professionals and their families settle in Lapland and find work.",
        ),
        serves=(ROVANIEMI, KEMI, TORNIO),
        has_business_id=False,
        valid_from=date(2024, 3, 1),
        valid_until=date(2027, 8, 31),
    ),
    _org(
        (
            "Pohjoisen kotoutumissäätiö sr",
            "Stiftelsen för integration i norr sr",
            "Northern Integration Foundation",
        ),
        T.OTHER,
        ROVANIEMI,
        "kotoutumissaatio.example",
        1,
        (
            "Säätiö, joka myöntää pieniä avustuksia kotoutumista tukeviin paikallisiin "
            "hankkeisiin Lapissa.",
            "En stiftelse som beviljar små bidrag till lokala projekt som stöder integration "
            "i Lappland.",
            "A foundation that gives small grants to local projects supporting integration "
            "in Lapland.",
        ),
        serves_regions=(LAPLAND,),
    ),
    # National authorities working in both regions
    _org(
        ("KEHA-keskus", "KEHA-centret", "KEHA Centre"),
        T.KEHA,
        MIKKELI,
        "keha.example",
        2,
        (
            "Elinvoimakeskusten ja työllisyysalueiden kehittämis- ja hallintokeskus; maksaa "
            "kunnille kotoutumisen korvaukset.",
            "Utvecklings- och förvaltningscentret för livskraftscentralerna och "
            "sysselsättningsområdena; betalar ut integrationsersättningar till kommunerna.",
            "The development and administrative centre of the regional development centres and "
            "employment areas; pays integration compensation to municipalities.",
        ),
        language_status=L.BILINGUAL_FI,
        serves_regions=(LAPLAND, OSTROBOTHNIA, CENTRAL_OSTROBOTHNIA),
        staff_in=(ROVANIEMI, VAASA),
    ),
    _org(
        (
            "Kansaneläkelaitos Kela",
            "Folkpensionsanstalten FPA",
            "Social Insurance Institution of Finland Kela",
        ),
        T.KELA,
        HELSINKI,
        "kela.example",
        3,
        (
            "Sosiaaliturvan ratkaisut ja neuvonta, myös asumisperusteisen turvan piiriin "
            "pääsystä maahan muuttaessa.",
            "Beslut och rådgivning om social trygghet, också om rätten till bosättningsbaserad "
            "social trygghet vid inflyttning.",
            "Social security decisions and advice, including coverage by residence-based social "
            "security after moving to Finland.",
        ),
        language_status=L.BILINGUAL_FI,
        serves_regions=(LAPLAND, OSTROBOTHNIA, CENTRAL_OSTROBOTHNIA),
        staff_in=(ROVANIEMI, KEMI, VAASA),
    ),
    _org(
        ("Maahanmuuttovirasto", "Migrationsverket", "Finnish Immigration Service"),
        T.MIGRI,
        HELSINKI,
        "migri.example",
        2,
        (
            "Oleskelulupa- ja kansalaisuusasiat sekä vastaanottotoiminnan ohjaus.",
            "Ärenden om uppehållstillstånd och medborgarskap samt styrning av "
            "mottagningsverksamheten.",
            "Residence permits and citizenship, and the steering of reception services.",
        ),
        language_status=L.BILINGUAL_FI,
        serves_regions=(LAPLAND, OSTROBOTHNIA, CENTRAL_OSTROBOTHNIA),
        staff_in=(ROVANIEMI, VAASA),
    ),
    # Ostrobothnia and Central Ostrobothnia
    _org(
        ("Vaasan kaupunki", "Vasa stad", "City of Vaasa"),
        T.MUNICIPALITY,
        VAASA,
        "vaasa.example",
        6,
        (
            "Kaupungin maahanmuuttajapalvelut: kotoutumisen alkuvaihe, pakolaisten vastaanotto "
            "ja monikielinen neuvonta.",
            "Stadens invandrartjänster: integrationens inledande skede, flyktingmottagning och "
            "flerspråkig rådgivning.",
            "The city's immigrant services: the first phase of integration, refugee reception "
            "and multilingual advice.",
        ),
        language_status=L.BILINGUAL_FI,
        serves=(VAASA,),
    ),
    _org(
        ("Kokkolan kaupunki", "Karleby stad", "City of Kokkola"),
        T.MUNICIPALITY,
        KOKKOLA,
        "kokkola.example",
        4,
        (
            "Kotoutumispalvelut Keski-Pohjanmaan keskuskaupungissa.",
            "Integrationstjänster i Mellersta Österbottens centralstad.",
            "Integration services in the central city of Central Ostrobothnia.",
        ),
        language_status=L.BILINGUAL_FI,
        serves=(KOKKOLA,),
    ),
    _org(
        ("Pietarsaaren kaupunki", "Jakobstads stad", "City of Jakobstad"),
        T.MUNICIPALITY,
        JAKOBSTAD,
        "jakobstad.example",
        4,
        (
            "Pietarsaaren seudun maahanmuuttajapalvelut ja pakolaisten vastaanotto.",
            "Invandrarservice och flyktingmottagning i Jakobstadsregionen.",
            "Immigrant services and refugee reception in the Jakobstad region.",
        ),
        language_status=L.BILINGUAL_SV,
        serves=(JAKOBSTAD, PEDERSORE, NYKARLEBY),
    ),
    _org(
        ("Närpiön kaupunki", "Närpes stad", "City of Närpes"),
        T.MUNICIPALITY,
        NARPES,
        "narpes.example",
        3,
        (
            "Kasvihuoneiden kaupunki, jonne muuttaa työntekijöitä ja perheitä eri puolilta "
            "maailmaa.",
            "Växthusstaden dit arbetstagare och familjer flyttar från olika delar av världen.",
            "The greenhouse town where workers and families move from around the world.",
        ),
        language_status=L.SWEDISH,
        serves=(NARPES,),
    ),
    _org(
        ("Mustasaaren kunta", "Korsholms kommun", "Municipality of Korsholm"),
        T.MUNICIPALITY,
        KORSHOLM,
        "korsholm.example",
        2,
        (
            "Kunnan kotoutumistyö ja yhteistyö Vaasan seudun palvelujen kanssa.",
            "Kommunens integrationsarbete och samarbete med tjänsterna i Vasaregionen.",
            "The municipality's integration work and cooperation with the Vaasa region's services.",
        ),
        language_status=L.BILINGUAL_SV,
        serves=(KORSHOLM,),
    ),
    _org(
        (
            "Pohjanmaan hyvinvointialue",
            "Österbottens välfärdsområde",
            "Ostrobothnia Wellbeing Services County",
        ),
        T.WELLBEING_COUNTY,
        VAASA,
        "ovph.example",
        5,
        (
            "Sosiaali- ja terveyspalvelut Pohjanmaalla, myös maahanmuuttajien "
            "terveydenhuolto ja sosiaaliohjaus.",
            "Social- och hälsovård i Österbotten, också hälsovård och socialhandledning för "
            "invandrare.",
            "Social and health services in Ostrobothnia, including health care and social "
            "guidance for immigrants.",
        ),
        language_status=L.BILINGUAL_SV,
        serves_regions=(OSTROBOTHNIA,),
        staff_in=(VAASA, JAKOBSTAD, NARPES),
    ),
    _org(
        (
            "Keski-Pohjanmaan hyvinvointialue Soite",
            "Mellersta Österbottens välfärdsområde Soite",
            "Central Ostrobothnia Wellbeing Services County Soite",
        ),
        T.WELLBEING_COUNTY,
        KOKKOLA,
        "soite.example",
        3,
        (
            "Sosiaali- ja terveyspalvelut Keski-Pohjanmaalla.",
            "Social- och hälsovård i Mellersta Österbotten.",
            "Social and health services in Central Ostrobothnia.",
        ),
        language_status=L.BILINGUAL_FI,
        serves_regions=(CENTRAL_OSTROBOTHNIA,),
    ),
    _org(
        (
            "Pohjanmaan ELY-keskus",
            "NTM-centralen i Österbotten",
            "Ostrobothnia Centre for Economic Development, Transport and the Environment",
        ),
        T.ELINVOIMAKESKUS,
        VAASA,
        "ely-keskus.example",
        1,
        (
            "Käynnisti POMAKO-verkoston vuonna 2021 ja koordinoi sitä vuoden 2025 loppuun.",
            "Startade POMAKO-nätverket år 2021 och samordnade det till utgången av 2025.",
            "Started the POMAKO network in 2021 and coordinated it until the end of 2025.",
        ),
        language_status=L.BILINGUAL_FI,
        serves_regions=(OSTROBOTHNIA, CENTRAL_OSTROBOTHNIA),
        valid_until=date(2025, 12, 31),
    ),
    _org(
        (
            "Pohjanmaan elinvoimakeskus",
            "Livskraftscentralen i Österbotten",
            "Ostrobothnia Regional Development Centre",
        ),
        T.ELINVOIMAKESKUS,
        VAASA,
        "pohjanmaa.elinvoimakeskus.example",
        2,
        (
            "Kotouttamisen alueellinen kehittäminen Pohjanmaalla ja Keski-Pohjanmaalla; "
            "koordinoi POMAKO-verkostoa.",
            "Regional utveckling av integrationen i Österbotten och Mellersta Österbotten; "
            "samordnar POMAKO-nätverket.",
            "Regional development of integration in Ostrobothnia and Central Ostrobothnia; "
            "coordinates the POMAKO network.",
        ),
        language_status=L.BILINGUAL_FI,
        serves_regions=(OSTROBOTHNIA, CENTRAL_OSTROBOTHNIA),
        valid_from=date(2026, 1, 1),
        predecessor="Pohjanmaan ELY-keskus",
    ),
    _org(
        (
            "Kristiinankaupungin vastaanottokeskus",
            "Kristinestads förläggning",
            "Kristinestad Reception Centre",
        ),
        T.RECEPTION_CENTRE,
        KRISTINESTAD,
        "vok-kristinestad.example",
        2,
        (
            "Turvapaikanhakijoiden vastaanotto Etelä-Pohjanmaan rannikolla.",
            "Mottagning av asylsökande vid Sydösterbottens kust.",
            "Reception of asylum seekers on the southern Ostrobothnian coast.",
        ),
        language_status=L.BILINGUAL_SV,
        serves=(KRISTINESTAD, NARPES, KASKO),
    ),
    _org(
        (
            "Pohjanmaan poliisilaitos",
            "Österbottens polisinrättning",
            "Ostrobothnia Police Department",
        ),
        T.POLICE,
        VAASA,
        "poliisi.example",
        1,
        (
            "Lupapalvelut ja ennalta estävä työ Pohjanmaalla ja Keski-Pohjanmaalla.",
            "Tillståndstjänster och förebyggande arbete i Österbotten och Mellersta Österbotten.",
            "Permit services and preventive work in Ostrobothnia and Central Ostrobothnia.",
        ),
        language_status=L.BILINGUAL_FI,
        serves_regions=(OSTROBOTHNIA, CENTRAL_OSTROBOTHNIA),
    ),
    _org(
        ("Pohjanmaan liitto", "Österbottens förbund", "Regional Council of Ostrobothnia"),
        T.REGIONAL_COUNCIL,
        VAASA,
        "obotnia.example",
        1,
        (
            "Maakunnan liitto: aluekehitys ja väestön monimuotoisuus maakuntastrategiassa.",
            "Landskapsförbundet: regional utveckling och befolkningens mångfald i "
            "landskapsstrategin.",
            "The regional council: regional development and the diversity of the population "
            "in the regional strategy.",
        ),
        language_status=L.BILINGUAL_SV,
        serves_regions=(OSTROBOTHNIA,),
    ),
    _org(
        ("Yrkeshögskolan Novia", "Yrkeshögskolan Novia", "Novia University of Applied Sciences"),
        T.EDUCATION,
        VAASA,
        "novia.example",
        3,
        (
            "Ruotsinkielinen ammattikorkeakoulu; englanninkielisiä koulutuksia ja "
            "ohjausta kansainvälisille opiskelijoille.",
            "Svenskspråkig yrkeshögskola; utbildningar på engelska och vägledning för "
            "internationella studerande.",
            "A Swedish-language university of applied sciences; programmes in English and "
            "guidance for international students.",
        ),
        language_status=L.SWEDISH,
        serves=(VAASA, JAKOBSTAD),
        staff_in=(VAASA, JAKOBSTAD),
    ),
    _org(
        ("Optima kuntayhtymä", "Optima samkommun", "Optima Joint Municipal Authority"),
        T.JOINT_AUTHORITY,
        JAKOBSTAD,
        "optima.example",
        3,
        (
            "Ruotsinkielinen ammatillinen koulutus Pietarsaaren seudulla; "
            "kotoutumiskoulutusta ja ruotsia toisena kielenä.",
            "Svenskspråkig yrkesutbildning i Jakobstadsregionen; integrationsutbildning och "
            "svenska som andraspråk.",
            "Swedish-language vocational education in the Jakobstad region; integration "
            "training and Swedish as a second language.",
        ),
        language_status=L.SWEDISH,
        serves=(JAKOBSTAD, PEDERSORE, NYKARLEBY),
    ),
    _org(
        (
            "Vaasan seudun työllisyysalue",
            "Vasaregionens sysselsättningsområde",
            "Vaasa Region Employment Area",
        ),
        T.EMPLOYMENT_AREA,
        VAASA,
        "tyollisyys.vaasa.example",
        3,
        (
            "Työvoimapalvelut Vaasassa, Mustasaaressa, Maalahdella, Laihialla ja Vöyrillä.",
            "Arbetskraftstjänster i Vasa, Korsholm, Malax, Laihela och Vörå.",
            "Employment services in Vaasa, Korsholm, Malax, Laihia and Vörå.",
        ),
        language_status=L.BILINGUAL_FI,
        serves=(VAASA, KORSHOLM, MALAX, LAIHIA, VORA),
        has_business_id=False,
    ),
    _org(
        (
            "Pohjanmaan monikulttuuriset ry",
            "Österbottens mångkulturella rf",
            "Multicultural Ostrobothnia",
        ),
        T.MIGRANT_ORGANISATION,
        VAASA,
        "monikulttuuriset.example",
        3,
        (
            "Maahan muuttaneiden kattojärjestö Pohjanmaalla: vertaistukea, naisten ryhmiä ja "
            "yhteisiä juhlia.",
            "Paraplyorganisation för invandrare i Österbotten: kamratstöd, kvinnogrupper och "
            "gemensamma fester.",
            "An umbrella association of immigrants in Ostrobothnia: peer support, women's "
            "groups and shared celebrations.",
        ),
        language_status=L.BILINGUAL_FI,
        serves_regions=(OSTROBOTHNIA,),
    ),
    _org(
        ("Vaasan seurakuntayhtymä", "Vasa kyrkliga samfällighet", "Vaasa Parish Union"),
        T.PARISH,
        VAASA,
        "vaasanseurakunnat.example",
        2,
        (
            "Suomen- ja ruotsinkielisten seurakuntien diakonia ja kansainvälinen työ Vaasassa.",
            "Diakoni och internationellt arbete i de finsk- och svenskspråkiga församlingarna "
            "i Vasa.",
            "Diaconal and international work of the Finnish- and Swedish-speaking parishes in "
            "Vaasa.",
        ),
        language_status=L.BILINGUAL_FI,
        serves=(VAASA,),
    ),
    _org(
        (
            "Suomen Punainen Risti, Pohjanmaan piiri",
            "Finlands Röda Kors, Österbottens distrikt",
            "Finnish Red Cross, Ostrobothnia District",
        ),
        T.NGO,
        VAASA,
        "redcross.example",
        2,
        (
            "Vapaaehtoistoimintaa, läksykerhoja ja kotoutumisen tukea Pohjanmaalla.",
            "Frivilligverksamhet, läxhjälp och stöd för integration i Österbotten.",
            "Volunteer work, homework clubs and integration support in Ostrobothnia.",
        ),
        language_status=L.BILINGUAL_SV,
        serves_regions=(OSTROBOTHNIA,),
    ),
    _org(
        (
            "Kotoutumisyhdistys Bryggan ry",
            "Integrationsföreningen Bryggan rf",
            "Bryggan Integration Association",
        ),
        T.NGO,
        JAKOBSTAD,
        "bryggan.example",
        2,
        (
            "Pietarsaarelainen yhdistys: kielikahvila, ystäväperheet ja työelämäkummit.",
            "Förening i Jakobstad: språkkafé, vänfamiljer och arbetslivsfaddrar.",
            "An association in Jakobstad: a language café, host families and workplace mentors.",
        ),
        language_status=L.SWEDISH,
        serves=(JAKOBSTAD, PEDERSORE),
    ),
    _org(
        ("Botnia Rekrytointi Oy", "Botnia Rekrytering Ab", "Botnia Recruitment Ltd"),
        T.COMPANY,
        VAASA,
        "botniarekry.example",
        1,
        (
            "Rekrytoi kansainvälisiä työntekijöitä Pohjanmaan teollisuuteen ja "
            "kasvihuoneisiin ja auttaa perheitä asettumaan.",
            "Rekryterar internationella arbetstagare till industrin och växthusen i "
            "Österbotten och hjälper familjerna att rota sig.",
            "Recruits international workers for Ostrobothnia's industry and greenhouses and "
            "helps their families settle in.",
        ),
        language_status=L.BILINGUAL_SV,
        serves=(VAASA, NARPES),
    ),
    _org(
        (
            "Kotona Pohjanmaalla -hanke (ESR+)",
            "Projektet Hemma i Österbotten (ESF+)",
            "At Home in Ostrobothnia project (ESF+)",
        ),
        T.PROJECT,
        JAKOBSTAD,
        "hemmaiosterbotten.example",
        2,
        (
            "Euroopan sosiaalirahasto plussan osarahoittama hanke: kotoutumisen ohjausmalli "
            "pienille rannikkokunnille.",
            "Ett projekt delfinansierat av Europeiska socialfonden+: en vägledningsmodell för "
            "integration i små kustkommuner.",
            "A project co-funded by the European Social Fund Plus: a guidance model for "
            "integration in small coastal municipalities.",
        ),
        language_status=L.BILINGUAL_SV,
        serves=(JAKOBSTAD, NYKARLEBY, PEDERSORE, VORA),
        has_business_id=False,
        valid_from=date(2024, 9, 1),
        valid_until=date(2027, 8, 31),
    ),
)


def business_id_for(name: str) -> str:
    """A made-up business ID with a correct check digit, always the same for a name."""
    rng = random.Random(f"business-id:{name}")  # noqa: S311 - invented data, not security
    while True:
        digits = f"{rng.randrange(1_000_000, 3_500_000):07d}"
        total = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True))
        remainder = total % 11
        if remainder != 1:
            return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


def _phone(rng: random.Random, area: str) -> str:
    return f"+358 {area} {rng.randrange(100, 1000)} {rng.randrange(1000, 10000)}"


# People -------------------------------------------------------------------------------------

FINNISH_WOMEN = (
    "Aino",
    "Anu",
    "Eeva",
    "Elina",
    "Hanna",
    "Heidi",
    "Jaana",
    "Johanna",
    "Katja",
    "Kirsi",
    "Laura",
    "Leena",
    "Maarit",
    "Marja",
    "Minna",
    "Niina",
    "Outi",
    "Päivi",
    "Riikka",
    "Sanna",
    "Satu",
    "Tiina",
    "Tuula",
    "Ulla",
    "Sari",
    "Merja",
    "Pirjo",
    "Henna",
    "Emilia",
    "Noora",
)
FINNISH_MEN = (
    "Antti",
    "Ari",
    "Eero",
    "Harri",
    "Heikki",
    "Janne",
    "Jari",
    "Juha",
    "Jukka",
    "Kari",
    "Markku",
    "Matti",
    "Mikko",
    "Pekka",
    "Petri",
    "Sami",
    "Timo",
    "Tuomas",
    "Ville",
    "Jussi",
)
FINNISH_SURNAMES = (
    "Aho",
    "Alatalo",
    "Heikkilä",
    "Hietala",
    "Kangas",
    "Karvonen",
    "Keskitalo",
    "Kemppainen",
    "Kinnunen",
    "Korhonen",
    "Lehtola",
    "Lampela",
    "Mäkelä",
    "Niemelä",
    "Ojala",
    "Palosaari",
    "Peltoniemi",
    "Rauhala",
    "Ruokanen",
    "Salmela",
    "Turunen",
    "Vaara",
    "Väisänen",
    "Ylitalo",
    "Koivisto",
    "Jänkälä",
    "Ollila",
    "Kumpula",
    "Rantala",
    "Hannula",
    "Vuollo",
    "Lantto",
    "Kyrö",
    "Niskala",
    "Pietilä",
    "Autio",
    "Kallio",
    "Raappana",
    "Tervo",
    "Äijälä",
)
SWEDISH_WOMEN = (
    "Anna",
    "Camilla",
    "Elin",
    "Emma",
    "Ida",
    "Karin",
    "Linda",
    "Maria",
    "Sofia",
    "Ulrika",
    "Annika",
    "Jessica",
    "Malin",
    "Pia",
    "Frida",
)
SWEDISH_MEN = (
    "Anders",
    "Björn",
    "Fredrik",
    "Henrik",
    "Jonas",
    "Kristian",
    "Mats",
    "Niklas",
    "Patrik",
    "Stefan",
    "Tomas",
    "Mikael",
    "Johan",
    "Robert",
)
SWEDISH_SURNAMES = (
    "Björkqvist",
    "Backman",
    "Holmström",
    "Lindholm",
    "Nyman",
    "Sandvik",
    "Strandberg",
    "Söderlund",
    "Westerlund",
    "Ekholm",
    "Granholm",
    "Mattsson",
    "Nordström",
    "Forsman",
    "Sundqvist",
    "Storbacka",
    "Wikström",
    "Ahlskog",
    "Byskata",
    "Kronqvist",
    "Östman",
    "Snellman",
    "Finnäs",
    "Holm",
)
# Names that go together: (women, men, surnames) per language background.
IMMIGRANT_NAMES = (
    (
        ("Fatima", "Layla", "Noor", "Rana", "Yasmin", "Zainab"),
        ("Ahmed", "Ali", "Hassan", "Mohammed", "Omar", "Yousef"),
        ("Al-Hashimi", "Haddad", "Khalil", "Mansour", "Saleh", "Jaber"),
    ),
    (
        ("Amina", "Faadumo", "Hodan", "Sahra", "Ifrah"),
        ("Abdi", "Mohamed", "Abdirahman", "Yusuf"),
        ("Warsame", "Abdullahi", "Farah", "Hussein", "Osman"),
    ),
    (
        ("Maryam", "Parisa", "Shirin", "Mahsa"),
        ("Farid", "Reza", "Sohrab", "Javad"),
        ("Ahmadi", "Hosseini", "Karimi", "Rahimi", "Sultani"),
    ),
    (
        ("Olena", "Iryna", "Oksana", "Natalia", "Yulia"),
        ("Andrii", "Dmytro", "Taras", "Oleksandr"),
        ("Kovalenko", "Shevchenko", "Bondarenko", "Melnyk", "Tkachuk"),
    ),
    (
        ("Selam", "Helen", "Ruth"),
        ("Yonas", "Dawit", "Samuel"),
        ("Tesfaye", "Ghebremedhin", "Haile", "Berhane"),
    ),
    (
        ("Grace", "Esther", "Chantal"),
        ("Jean-Paul", "Patrick", "Emmanuel"),
        ("Mbala", "Mukendi", "Ilunga", "Kabongo"),
    ),
    (
        ("Maricel", "Joy", "Lorna"),
        ("Ramon", "Jerome"),
        ("Santos", "Reyes", "Dela Cruz", "Bautista"),
    ),
    (("Siriporn", "Kanya", "Malee"), ("Somchai", "Anan"), ("Wongsa", "Srisuk", "Chaiyaporn")),
    (("Dilan", "Rojda", "Berivan"), ("Azad", "Rebwar", "Karwan"), ("Baran", "Aziz", "Rashid")),
)

TITLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # type: (Finnish titles, Swedish titles); the first one is the organisation's key role.
    T.MUNICIPALITY: (
        (
            "maahanmuuttokoordinaattori",
            "kotoutumisohjaaja",
            "kotouttamispalvelujen päällikkö",
            "sosiaaliohjaaja",
            "vapaa-aikasihteeri",
            "monikielinen ohjaaja",
            "S2-opettaja",
        ),
        (
            "invandrarkoordinator",
            "integrationshandledare",
            "chef för integrationstjänster",
            "socialhandledare",
            "fritidssekreterare",
            "flerspråkig handledare",
        ),
    ),
    T.JOINT_AUTHORITY: (
        (
            "koulutuspäällikkö",
            "opinto-ohjaaja",
            "suomi toisena kielenä -opettaja",
            "erityisopettaja",
        ),
        ("utbildningschef", "studiehandledare", "lärare i svenska som andraspråk", "speciallärare"),
    ),
    T.EMPLOYMENT_AREA: (
        (
            "kotoutumisen asiantuntija",
            "työllisyysasiantuntija",
            "ura-asiantuntija",
            "työvalmentaja",
        ),
        ("integrationsexpert", "sysselsättningsexpert", "karriärexpert", "jobbcoach"),
    ),
    T.WELLBEING_COUNTY: (
        (
            "sosiaalityöntekijä",
            "sosiaaliohjaaja",
            "terveydenhoitaja",
            "palveluohjaaja",
            "psykiatrinen sairaanhoitaja",
            "perhetyöntekijä",
        ),
        (
            "socialarbetare",
            "socialhandledare",
            "hälsovårdare",
            "servicehandledare",
            "psykiatrisk sjuksköterska",
        ),
    ),
    T.ELINVOIMAKESKUS: (
        ("kotouttamisen erityisasiantuntija", "ylitarkastaja", "kehittämisasiantuntija"),
        ("specialsakkunnig inom integration", "överinspektör", "utvecklingsexpert"),
    ),
    T.KEHA: (("asiantuntija", "erityisasiantuntija"), ("expert", "specialsakkunnig")),
    T.KELA: (
        ("etuusasiantuntija", "palveluneuvoja", "palveluasiantuntija"),
        ("förmånsexpert", "servicerådgivare", "serviceexpert"),
    ),
    T.MIGRI: (
        ("ylitarkastaja", "vastaanoton asiantuntija"),
        ("överinspektör", "expert inom mottagning"),
    ),
    T.POLICE: (
        ("ylikonstaapeli", "lupasihteeri", "vanhempi konstaapeli"),
        ("överkonstapel", "tillståndssekreterare", "äldre konstapel"),
    ),
    T.RECEPTION_CENTRE: (
        ("vastaanottokeskuksen johtaja", "sosiaaliohjaaja", "ohjaaja", "terveydenhoitaja"),
        ("föreståndare för förläggningen", "socialhandledare", "handledare", "hälsovårdare"),
    ),
    T.REGIONAL_COUNCIL: (
        ("kehittämisasiantuntija", "aluekehityspäällikkö"),
        ("utvecklingsexpert", "chef för regionutveckling"),
    ),
    T.EDUCATION: (
        (
            "opinto-ohjaaja",
            "lehtori",
            "koulutuspäällikkö",
            "S2-opettaja",
            "kansainvälisten asioiden koordinaattori",
        ),
        (
            "studiehandledare",
            "lektor",
            "utbildningschef",
            "lärare i svenska som andraspråk",
            "koordinator för internationella ärenden",
        ),
    ),
    T.NGO: (
        (
            "järjestösuunnittelija",
            "vapaaehtoistoiminnan koordinaattori",
            "toiminnanjohtaja",
            "kotoutumistyön suunnittelija",
        ),
        (
            "organisationsplanerare",
            "koordinator för frivilligverksamhet",
            "verksamhetsledare",
            "planerare för integrationsarbete",
        ),
    ),
    T.MIGRANT_ORGANISATION: (
        ("puheenjohtaja", "toiminnanjohtaja", "yhteisötyöntekijä", "hallituksen jäsen"),
        ("ordförande", "verksamhetsledare", "gemenskapsarbetare", "styrelsemedlem"),
    ),
    T.PARISH: (
        ("diakoniatyöntekijä", "kansainvälisen työn pappi", "nuorisotyönohjaaja"),
        ("diakoniarbetare", "präst för internationellt arbete", "ungdomsarbetsledare"),
    ),
    T.COMPANY: (
        ("toimitusjohtaja", "asioimistulkki", "palvelupäällikkö"),
        ("verkställande direktör", "rekryteringskonsult", "servicechef"),
    ),
    T.PROJECT: (
        ("projektipäällikkö", "projektikoordinaattori", "projektityöntekijä"),
        ("projektledare", "projektkoordinator", "projektarbetare"),
    ),
    T.OTHER: (("asiamies", "hankeasiantuntija"), ("ombudsman", "projektexpert")),
}


@dataclass(frozen=True)
class MembershipSpec:
    network: str
    role: str = Membership.Role.MEMBER
    started_on: date = date(2019, 1, 1)
    ended_on: date | None = None


@dataclass
class PersonSpec:
    first_name: str
    last_name: str
    email: str
    phone: str
    title: str
    organisation: str | None
    municipality: str
    language: str
    memberships: list[MembershipSpec] = field(default_factory=list)


@dataclass(frozen=True)
class LoginSpec:
    role: str  # shown by `demo_logins`; English, the command translates it
    person: PersonSpec
    is_superuser: bool = False
    edits: str | None = None  # name_fi of the organisation the person edits


@dataclass(frozen=True)
class JoinRequestSpec:
    network: str
    first_name: str
    last_name: str
    email: str
    title: str
    organisation: str | None
    organisation_name: str
    municipality: str
    language: str
    message: str


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() or c == "-" else "-" if c == " " else "" for c in plain)


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _login(
    role: str,
    *,
    memberships: list[MembershipSpec],
    is_superuser: bool = False,
    edits: str | None = None,
    **person,
) -> LoginSpec:
    return LoginSpec(
        role=role,
        person=PersonSpec(memberships=memberships, **person),
        is_superuser=is_superuser,
        edits=edits,
    )


_C, _M, _LEAD = Membership.Role.COORDINATOR, Membership.Role.MEMBER, Membership.Role.LEAD

LOGINS: tuple[LoginSpec, ...] = (
    _login(
        "administrator",
        first_name="Ilkka",
        last_name="Rautio",
        email="admin@kotoverkko.example",
        phone="+358 40 555 0110",
        title="pääkäyttäjä",
        organisation=None,
        municipality=ROVANIEMI,
        language="fi",
        memberships=[],
        is_superuser=True,
    ),
    _login(
        "coordinator of Lapland MAKO",
        first_name="Kaisa",
        last_name="Rantakangas",
        email="koordinaattori@kotoverkko.example",
        phone="+358 40 555 0111",
        title="kotouttamisen erityisasiantuntija",
        organisation="Lapin elinvoimakeskus",
        municipality=ROVANIEMI,
        language="fi",
        memberships=[MembershipSpec(MAKO, _C, date(2026, 1, 1))],
    ),
    _login(
        "coordinator of POMAKO",
        first_name="Camilla",
        last_name="Häggblom",
        email="samordnare@kotoverkko.example",
        phone="+358 40 555 0112",
        title="specialsakkunnig inom integration",
        organisation="Pohjanmaan elinvoimakeskus",
        municipality=VAASA,
        language="sv",
        memberships=[MembershipSpec(POMAKO, _C, date(2026, 1, 1))],
    ),
    _login(
        "team lead of Koulutuspolut Rovaniemi",
        first_name="Riikka",
        last_name="Lampinen",
        email="tiiminvetaja@kotoverkko.example",
        phone="+358 40 555 0113",
        title="opinto-ohjaaja",
        organisation="Lapin koulutuskeskus REDU",
        municipality=ROVANIEMI,
        language="fi",
        memberships=[
            MembershipSpec(MAKO_ROVANIEMI, _M, date(2020, 2, 1)),
            MembershipSpec(TEAM_EDUCATION_ROVANIEMI, _LEAD, date(2021, 8, 16)),
        ],
    ),
    _login(
        "organisation editor",
        first_name="Hodan",
        last_name="Ismail",
        email="toimittaja@kotoverkko.example",
        phone="+358 40 555 0114",
        title="kotoutumistyön suunnittelija",
        organisation="Suomen Punainen Risti, Lapin piiri",
        municipality=ROVANIEMI,
        language="fi",
        memberships=[
            MembershipSpec(MAKO_ROVANIEMI, _M, date(2022, 3, 1)),
            MembershipSpec(TEAM_REFUGEES, _M, date(2023, 1, 9)),
        ],
        edits="Suomen Punainen Risti, Lapin piiri",
    ),
    _login(
        "member",
        first_name="Mikko",
        last_name="Keskinen",
        email="jasen@kotoverkko.example",
        phone="+358 40 555 0115",
        title="kotoutumisohjaaja",
        organisation="Kemin kaupunki",
        municipality=KEMI,
        language="fi",
        memberships=[MembershipSpec(MAKO_MERI_LAPPI, _M, date(2023, 5, 2))],
    ),
)


@dataclass(frozen=True)
class Plan:
    people: list[PersonSpec]
    join_requests: list[JoinRequestSpec]


def _name(rng: random.Random, background: str, used: set[tuple[str, str]]) -> tuple[str, str]:
    while True:
        woman = rng.random() < 0.68  # the field is mostly women
        if background == "fi":
            first = rng.choice(FINNISH_WOMEN if woman else FINNISH_MEN)
            last = rng.choice(FINNISH_SURNAMES)
        elif background == "sv":
            first = rng.choice(SWEDISH_WOMEN if woman else SWEDISH_MEN)
            last = rng.choice(SWEDISH_SURNAMES)
        else:
            women, men, surnames = rng.choice(IMMIGRANT_NAMES)
            first = rng.choice(women if woman else men)
            last = rng.choice(surnames)
        if (first, last) not in used:
            used.add((first, last))
            return first, last


def _background(rng: random.Random, spec: OrganisationSpec, region: str) -> str:
    """Which names fit the organisation: mostly local, with many of immigrant background."""
    roll = rng.random()
    if spec.type == T.MIGRANT_ORGANISATION:
        return "other" if roll < 0.85 else ("fi" if region == LAPLAND else "sv")
    if region == LAPLAND:
        return "fi" if roll < 0.72 else "other" if roll < 0.96 else "sv"
    swedish_share = {L.SWEDISH: 0.75, L.BILINGUAL_SV: 0.55, L.BILINGUAL_FI: 0.35}.get(
        spec.language_status, 0.1
    )
    if roll < swedish_share:
        return "sv"
    return "fi" if roll < 0.8 else "other"


def _team_for(spec: OrganisationSpec, municipality: str) -> str | None:
    if spec.type in {
        T.RECEPTION_CENTRE,
        T.POLICE,
        T.MIGRI,
        T.WELLBEING_COUNTY,
        T.NGO,
        T.MIGRANT_ORGANISATION,
    }:
        return TEAM_REFUGEES
    if spec.type == T.MUNICIPALITY and municipality in RURAL_LAPLAND:
        return TEAM_RURAL
    if spec.type in {T.EDUCATION, T.JOINT_AUTHORITY, T.EMPLOYMENT_AREA, T.PROJECT}:
        if municipality in MERI_LAPPI:
            return TEAM_EDUCATION_MERI_LAPPI
        if municipality in ROVANIEMI_AREA:
            return TEAM_EDUCATION_ROVANIEMI
    return None


def _lapland_network(rng: random.Random, spec: OrganisationSpec, municipality: str) -> str:
    regional = bool(spec.serves_regions)
    if municipality in MERI_LAPPI and not (regional and rng.random() < 0.4):
        return MAKO_MERI_LAPPI
    if municipality in ROVANIEMI_AREA and not (regional and rng.random() < 0.4):
        return MAKO_ROVANIEMI
    return MAKO


def _memberships(
    rng: random.Random, spec: OrganisationSpec, municipality: str, region: str
) -> list[MembershipSpec]:
    if spec.valid_until and spec.valid_until < date(2026, 1, 1):
        # Staff of a closed organisation: their membership ended with it.
        network = MAKO if region == LAPLAND else POMAKO
        started = date(2019, 1, 1) if region == LAPLAND else date(2021, 9, 1)
        return [MembershipSpec(network, Membership.Role.COORDINATOR, started, spec.valid_until)]
    if region != LAPLAND:
        if rng.random() < 0.06:
            # Left the network when the work changed.
            started = _random_date(rng, date(2021, 9, 1), date(2024, 6, 30))
            ended = _random_date(rng, started + timedelta(days=200), date(2026, 6, 30))
            return [MembershipSpec(POMAKO, started_on=started, ended_on=ended)]
        return [
            MembershipSpec(
                POMAKO, started_on=_random_date(rng, date(2021, 9, 1), date(2026, 9, 30))
            )
        ]
    home = _lapland_network(rng, spec, municipality)
    result: list[MembershipSpec] = []
    earliest = date(2019, 1, 1)
    if rng.random() < 0.12:
        # History: an earlier membership elsewhere, ended when the work changed.
        other = rng.choice(
            [n for n in (MAKO_MERI_LAPPI, MAKO_ROVANIEMI, TEAM_REFUGEES, TEAM_RURAL) if n != home]
        )
        old_start = _random_date(rng, date(2019, 1, 1), date(2022, 6, 30))
        earliest = _random_date(rng, old_start + timedelta(days=180), date(2025, 6, 30))
        result.append(MembershipSpec(other, started_on=old_start, ended_on=earliest))
    started = _random_date(rng, earliest, date(2026, 9, 30))
    result.append(MembershipSpec(home, started_on=started))
    team = _team_for(spec, municipality)
    if team and team not in {m.network for m in result} and rng.random() < 0.45:
        result.append(
            MembershipSpec(team, started_on=_random_date(rng, started, date(2026, 10, 31)))
        )
    return result


def _region_of(code: str) -> str:
    if code in {ROVANIEMI, RANUA, SODANKYLA, KEMIJARVI, KITTILA, *MERI_LAPPI}:
        return LAPLAND
    return CENTRAL_OSTROBOTHNIA if code == KOKKOLA else OSTROBOTHNIA


def demo_plan() -> Plan:
    """Every person and request of the demo, the same on every run."""
    rng = random.Random(SEED)  # noqa: S311 - invented data, not security
    used_names = {(login.person.first_name, login.person.last_name) for login in LOGINS}
    used_emails = {login.person.email for login in LOGINS}
    people: list[PersonSpec] = []
    for spec in ORGANISATIONS:
        staff_in = spec.staff_in or (spec.home,)
        titles_fi, titles_sv = TITLES[spec.type]
        for index in range(spec.people):
            municipality = staff_in[index % len(staff_in)]
            region = _region_of(municipality)
            background = _background(rng, spec, region)
            first, last = _name(rng, background, used_names)
            email = f"{_ascii(first)}.{_ascii(last)}@{spec.domain}"
            if email in used_emails:
                email = f"{_ascii(first)}.{_ascii(last)}{index + 2}@{spec.domain}"
            used_emails.add(email)
            if region == LAPLAND:
                language = "en" if background == "other" and rng.random() < 0.3 else "fi"
            elif background == "sv" or (
                background == "other"
                and spec.language_status in {L.SWEDISH, L.BILINGUAL_SV}
                and rng.random() < 0.5
            ):
                language = "sv"
            else:
                language = "fi"
            titles = titles_sv if language == "sv" else titles_fi
            title = titles[0] if index == 0 else rng.choice(titles[1:])
            people.append(
                PersonSpec(
                    first_name=first,
                    last_name=last,
                    email=email,
                    phone=_phone(rng, rng.choice(("40", "44", "50"))),
                    title=title,
                    organisation=spec.key,
                    municipality=municipality,
                    language=language,
                    memberships=_memberships(rng, spec, municipality, region),
                )
            )
    _appoint(people)
    people.extend(login.person for login in LOGINS)
    return Plan(people=people, join_requests=list(JOIN_REQUESTS))


def _appoint(people: list[PersonSpec]) -> None:
    """Regional coordinators and team leads, chosen from the people who fit."""
    appointments = (
        (MAKO_MERI_LAPPI, Membership.Role.COORDINATOR, "Kemin kaupunki"),
        (MAKO_ROVANIEMI, Membership.Role.COORDINATOR, "Rovaniemen kaupunki"),
        (TEAM_REFUGEES, Membership.Role.LEAD, "Kemin vastaanottokeskus"),
        (TEAM_RURAL, Membership.Role.LEAD, "Ranuan kunta"),
        (TEAM_EDUCATION_MERI_LAPPI, Membership.Role.LEAD, "Koulutuskuntayhtymä Lappia"),
    )
    for network, role, organisation in appointments:
        person = next(p for p in people if p.organisation == organisation)
        current = [m for m in person.memberships if m.network == network]
        if current:
            person.memberships.remove(current[0])
            started = current[0].started_on
        else:
            started = date(2019, 1, 1)
        person.memberships.append(MembershipSpec(network, role, started))


JOIN_REQUESTS: tuple[JoinRequestSpec, ...] = (
    JoinRequestSpec(
        network=MAKO_ROVANIEMI,
        first_name="Veera",
        last_name="Lohi",
        email="veera.lohi@rovaniemi.example",
        title="luokanopettaja",
        organisation="Rovaniemen kaupunki",
        organisation_name="",
        municipality=ROVANIEMI,
        language="fi",
        message="Aloitin valmistavan opetuksen ryhmän opettajana elokuussa ja haluaisin mukaan "
        "verkostoon.",
    ),
    JoinRequestSpec(
        network=TEAM_REFUGEES,
        first_name="Abdullahi",
        last_name="Jama",
        email="abdullahi.jama@vok-kemi.example",
        title="ohjaaja",
        organisation="Kemin vastaanottokeskus",
        organisation_name="",
        municipality=KEMI,
        language="fi",
        message="Työskentelen vastaanottokeskuksessa ja tulkkaan usein somaliksi.",
    ),
    JoinRequestSpec(
        network=MAKO_MERI_LAPPI,
        first_name="Tarja",
        last_name="Mourujärvi",
        email="tarja.mourujarvi@tornionopisto.example",
        title="kurssisihteeri",
        organisation=None,
        organisation_name="Tornionlaakson kansalaisopisto",
        municipality=TORNIO,
        language="fi",
        message="Järjestämme suomen kielen iltakursseja ja haluaisimme tiedottaa niistä "
        "verkostolle.",
    ),
    JoinRequestSpec(
        network=POMAKO,
        first_name="Sebastian",
        last_name="Enlund",
        email="sebastian.enlund@narpes.example",
        title="integrationshandledare",
        organisation="Närpiön kaupunki",
        organisation_name="",
        municipality=NARPES,
        language="sv",
        message="Jag är ny integrationshandledare i Närpes och vill gärna vara med i nätverket.",
    ),
)


# Loading ------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, name: str) -> None:
        self.created[name] = self.created.get(name, 0) + 1


def database_has_networks() -> bool:
    return Network.objects.exists()


def demo_load() -> DemoSummary:
    """Load the demo data, creating only what is missing."""
    with translation.override("fi"), transaction.atomic():
        summary = DemoSummary()
        municipalities = {m.code: m for m in Municipality.objects.select_related("region")}
        networks = _load_networks(municipalities, summary)
        organisations = _load_organisations(municipalities, summary)
        plan = demo_plan()
        people = _load_people(plan.people, organisations, municipalities, summary)
        _load_memberships(plan.people, people, networks, summary)
        _load_logins(people, organisations, summary)
        _set_contacts(networks, people)
        _load_join_requests(plan.join_requests, networks, organisations, municipalities, summary)
        # The events of these networks (events/demo.py), in the same transaction.
        for name, count in events_demo_load().items():
            summary.created[name] = summary.created.get(name, 0) + count
        # Their mailing lists, subscribers, news and bulletins (newsletter/demo.py).
        for name, count in newsletter_demo_load().items():
            summary.created[name] = summary.created.get(name, 0) + count
        # Their library: documents, and the materials of past meetings (library/demo.py).
        for name, count in library_demo_load().items():
            summary.created[name] = summary.created.get(name, 0) + count
        # Their offering tray: offerings, wishes, workshops, expectations (tray/demo.py).
        for name, count in tray_demo_load().items():
            summary.created[name] = summary.created.get(name, 0) + count
    return summary


def _area(
    municipalities: dict[str, Municipality], codes: Iterable[str], regions: Iterable[str]
) -> list[Municipality]:
    regions = set(regions)
    chosen = set(codes)
    chosen.update(code for code, m in municipalities.items() if m.region.code in regions)
    return [municipalities[code] for code in sorted(chosen)]


def _translated(name: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {
        f"{name}_{language}": value
        for language, value in zip(("fi", "sv", "en"), values, strict=True)
    }


def _load_networks(municipalities, summary: DemoSummary) -> dict[str, Network]:
    existing = {n.slug: n for n in Network.objects.filter(slug__in=[s.slug for s in NETWORKS])}
    for spec in NETWORKS:
        if spec.slug in existing:
            continue
        existing[spec.slug] = network_create(
            actor=None,
            data={
                "slug": spec.slug,
                "kind": spec.kind,
                "parent": existing[spec.parent] if spec.parent else None,
                "short_name": spec.short_name,
                **_translated("name", spec.name),
                **_translated("description", spec.description),
                **_translated("how_to_join", spec.how_to_join),
                **_translated("meeting_rhythm", spec.meeting_rhythm),
                "languages": list(spec.languages),
                "contact_email": spec.contact_email,
                "municipalities": _area(municipalities, spec.municipalities, spec.regions),
            },
        )
        summary.add("networks")
    return existing


def _organisation_lookup() -> dict[str, Organisation]:
    """The demo organisations already present, found by business ID or else by Finnish name."""
    ids = {business_id_for(spec.key): spec.key for spec in ORGANISATIONS if spec.has_business_id}
    names = [spec.key for spec in ORGANISATIONS]
    found: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(
        Q(business_id__in=list(ids)) | Q(name_fi__in=names)
    ).order_by("pk"):
        key = ids.get(organisation.business_id) or organisation.name_fi
        found.setdefault(key, organisation)
    return found


def _load_organisations(municipalities, summary: DemoSummary) -> dict[str, Organisation]:
    existing = _organisation_lookup()
    for spec in ORGANISATIONS:
        if spec.key in existing:
            continue
        rng = random.Random(f"contact:{spec.key}")  # noqa: S311 - invented data
        area_code = {HELSINKI: "9", MIKKELI: "15"}.get(
            spec.home, "16" if _region_of(spec.home) == LAPLAND else "6"
        )
        existing[spec.key] = organisation_create(
            actor=None,
            data={
                **_translated("name", spec.name),
                **_translated("description", spec.description),
                "type": spec.type,
                "municipality": municipalities[spec.home],
                "municipalities": _area(municipalities, spec.serves, spec.serves_regions),
                "language_status": spec.language_status,
                "business_id": business_id_for(spec.key) if spec.has_business_id else "",
                "website": f"https://www.{spec.domain}/",
                "email": f"info@{spec.domain}",
                "phone": _phone(rng, area_code),
                "valid_from": spec.valid_from,
                "valid_until": spec.valid_until,
                "predecessors": [existing[spec.predecessor]] if spec.predecessor else [],
            },
        )
        summary.add("organisations")
    return existing


def _load_people(
    specs: list[PersonSpec], organisations, municipalities, summary: DemoSummary
) -> dict[str, Person]:
    existing = {p.email: p for p in Person.objects.filter(email__in=[spec.email for spec in specs])}
    for spec in specs:
        if spec.email in existing:
            continue
        existing[spec.email] = person_create(
            actor=None,
            data={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": spec.email,
                "phone": spec.phone,
                "title": spec.title,
                "organisation": organisations[spec.organisation] if spec.organisation else None,
                "municipality": municipalities[spec.municipality],
                "language": spec.language,
            },
        )
        summary.add("people")
    return existing


def _load_memberships(
    specs: list[PersonSpec],
    people: dict[str, Person],
    networks: dict[str, Network],
    summary: DemoSummary,
) -> None:
    existing = set(
        Membership.objects.filter(person__in=list(people.values())).values_list(
            "person_id", "network_id"
        )
    )
    for spec in specs:
        person = people[spec.email]
        # Ended memberships first, so the history reads in order.
        for membership in sorted(spec.memberships, key=lambda m: m.started_on):
            network = networks[membership.network]
            if (person.pk, network.pk) in existing:
                continue
            row = membership_add(
                actor=None,
                person=person,
                network=network,
                role=membership.role,
                started_on=membership.started_on,
            )
            if membership.ended_on:
                membership_end(actor=None, membership=row, ended_on=membership.ended_on)
            existing.add((person.pk, network.pk))
            summary.add("memberships")


def _load_logins(
    people: dict[str, Person], organisations: dict[str, Organisation], summary: DemoSummary
) -> None:
    users = {
        u.email: u for u in User.objects.filter(email__in=[login.person.email for login in LOGINS])
    }
    for login in LOGINS:
        person = people[login.person.email]
        user = users.get(login.person.email)
        if user is None:
            user = user_create(
                email=login.person.email, password=DEMO_PASSWORD, is_superuser=login.is_superuser
            )
            summary.add("logins")
        if person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
        if login.edits:
            organisation = organisations[login.edits]
            editors = list(organisation.editors.all())
            if person not in editors:
                organisation_update(
                    actor=None, organisation=organisation, data={"editors": [*editors, person]}
                )


def _set_contacts(networks: dict[str, Network], people: dict[str, Person]) -> None:
    contacts = {MAKO: "koordinaattori@kotoverkko.example", POMAKO: "samordnare@kotoverkko.example"}
    for slug, email in contacts.items():
        network = networks[slug]
        if network.contact_person_id is None:
            network_update(actor=None, network=network, data={"contact_person": people[email]})


def _load_join_requests(
    specs: list[JoinRequestSpec], networks, organisations, municipalities, summary: DemoSummary
) -> None:
    for spec in specs:
        network = networks[spec.network]
        if JoinRequest.objects.filter(network=network, email=spec.email).exists():
            continue
        join_request_submit(
            network=network,
            data={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": spec.email,
                "title": spec.title,
                "organisation": organisations[spec.organisation] if spec.organisation else None,
                "organisation_name": spec.organisation_name,
                "municipality": municipalities[spec.municipality],
                "language": spec.language,
                "message": spec.message,
            },
        )
        summary.add("join requests")


def demo_login_list() -> list[tuple[str, str]]:
    """(role, e-mail) of the demo logins that exist in this database."""
    present = set(
        User.objects.filter(email__in=[login.person.email for login in LOGINS]).values_list(
            "email", flat=True
        )
    )
    return [(login.role, login.person.email) for login in LOGINS if login.person.email in present]
