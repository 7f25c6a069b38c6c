"""Demo bulletins: a year of Lapland MAKO's monthly bulletins (tiedote) and of POMAKO's
briefings in Finnish and Swedish, the regional and national news they carried, and the
subscribers of both lists with their consent records.

Loaded after the network and events demos (`newsletter_demo_load`). The bulletins are compiled
by the services at the time each was due, so they carry the trainings and events of the events
demo that were coming then, and sent inside `mailing.services.mail_suppressed()`: the mass
sendings are recorded as delivered and nothing reaches a mail server. The current month's
issue is left as a draft for the coordinator to edit.

- Idempotent: news are found by network, title and date, subscribers by address, issues by
  network and month; whatever exists is left as it is.
- Deterministic: invented addresses and the choice of who left or bounced come from
  `random.Random(seed)`; dates are relative to `now`.
- Fast: subscribers, subscriptions and consent records are written in bulk.
"""

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from kotoverkko.mailing.consent import CURRENT_VERSION
from kotoverkko.mailing.models import (
    Bounce,
    ConsentRecord,
    MailBatch,
    MailingList,
    OutboxMessage,
    Subscriber,
    Subscription,
)
from kotoverkko.mailing.services import mail_suppressed
from kotoverkko.network.models import Membership, Network, Person
from kotoverkko.network.roles import NetworkTree

from . import services
from .models import Edition, Issue, NewsItem
from .selectors import month_start, previous_month

DEMO_SEED = 2021
HELSINKI = ZoneInfo("Europe/Helsinki")
MAKO, POMAKO = "lapin-mako", "pomako"
# POMAKO meets and briefs monthly except in the summer (seed 002).
SUMMER = (6, 7, 8)
BULLETIN_MONTHS = 12

Tr = tuple[str, str, str]  # fi, sv, en; "" where there is no version


@dataclass(frozen=True)
class News:
    day: int
    title: Tr
    text: tuple[str, str]  # fi, sv
    link: str = ""


NATIONAL: tuple[News, ...] = (
    News(
        12,
        (
            "Kuntien kotoutumisohjelmien päivittämiseen uusi ohje",
            "Ny anvisning om att uppdatera kommunernas integrationsprogram",
            "New guidance on updating municipal integration programmes",
        ),
        (
            "Työ- ja elinkeinoministeriö julkaisi ohjeen kotoutumisohjelmien laatimisesta ja "
            "päivittämisestä. Ohjelmassa sovitaan kunnan, hyvinvointialueen ja työllisyysalueen "
            "työnjaosta ja yhteistyöstä järjestöjen kanssa.",
            "Arbets- och näringsministeriet publicerade en anvisning om hur integrations"
            "programmen utarbetas och uppdateras.",
        ),
        "https://kotouttaminen.fi/kotoutumisohjelmat",
    ),
    News(
        8,
        (
            "Verkkokurssi alkuvaiheen ohjauksesta avautui",
            "Webbkurs om vägledning i det inledande skedet öppnad",
            "Online course on early-stage guidance opened",
        ),
        (
            "Kotouttamisen osaamiskeskuksen maksuton verkkokurssi käy läpi alkukartoituksen, "
            "kotoutumissuunnitelman ja palveluohjauksen käytännöt. Kurssin voi suorittaa omaan "
            "tahtiin.",
            "Kompetenscentret för integrations avgiftsfria webbkurs går igenom den inledande "
            "kartläggningen, integrationsplanen och servicehandledningen.",
        ),
        "https://kotouttaminen.fi/verkkokurssit",
    ),
    News(
        20,
        (
            "Oleskelulupien käsittelyajat näkyvät verkossa",
            "Handläggningstiderna för uppehållstillstånd syns på webben",
            "Processing times of residence permits shown online",
        ),
        (
            "Maahanmuuttovirasto julkaisee lupatyyppikohtaiset arviot käsittelyajoista "
            "verkkosivuillaan. Tieto auttaa ohjaamaan asiakasta oikeaan aikaan.",
            "Migrationsverket publicerar uppskattade handläggningstider per tillståndstyp.",
        ),
        "https://migri.fi/kasittelyajat",
    ),
    News(
        15,
        (
            "Kotoutumiskoulutuksen opetussuunnitelman perusteet uudistuivat",
            "Grunderna för integrationsutbildningens läroplan förnyades",
            "New core curriculum for integration training",
        ),
        (
            "Opetushallituksen uudet perusteet painottavat työelämätaitoja ja yksilöllisiä "
            "opintopolkuja. Koulutuksen järjestäjät ottavat ne käyttöön seuraavan lukuvuoden "
            "alussa.",
            "Utbildningsstyrelsens nya grunder betonar arbetslivsfärdigheter och individuella "
            "studievägar.",
        ),
        "https://www.oph.fi/kotoutumiskoulutus",
    ),
    News(
        10,
        (
            "Selkomateriaaleja palveluohjaukseen",
            "Lättläst material för servicehandledning",
            "Easy-to-read materials for service guidance",
        ),
        (
            "Selkokeskus julkaisi selkokielisiä esitteitä asumisesta, terveyspalveluista ja "
            "työnhausta. Esitteet voi tulostaa tai jakaa asiakkaalle linkkinä.",
            "Lättläst-centret publicerade broschyrer på lättläst finska och svenska om boende, "
            "hälsotjänster och jobbsökning.",
        ),
        "https://selkokeskus.fi",
    ),
    News(
        18,
        (
            "Kotoutumisen tilannekatsaus julkaistu",
            "Lägesöversikten om integration publicerad",
            "Integration review published",
        ),
        (
            "Katsaus kokoaa tiedot maahan muuttaneiden työllisyydestä, koulutuksesta ja "
            "kielitaidosta. Alueelliset luvut löytyvät liitteestä.",
            "Översikten samlar uppgifter om invandrares sysselsättning, utbildning och "
            "språkkunskaper.",
        ),
        "https://tem.fi/kotoutuminen",
    ),
    News(
        5,
        (
            "Kielitietoinen työpaikka – opas työnantajille",
            "Språkmedveten arbetsplats – guide för arbetsgivare",
            "A language-aware workplace – a guide for employers",
        ),
        (
            "Oppaassa on vinkkejä selkeään perehdytykseen ja suomen tai ruotsin kielen "
            "oppimisen tukemiseen työn lomassa.",
            "Guiden ger tips om tydlig introduktion och om hur man stöder språkinlärning i "
            "arbetet.",
        ),
        "https://kotouttaminen.fi/tyonantajat",
    ),
    News(
        22,
        (
            "Kuntapaikkoja kiintiöpakolaisille haetaan",
            "Kommunplatser för kvotflyktingar efterfrågas",
            "Municipalities asked to offer places for quota refugees",
        ),
        (
            "Elinvoimakeskukset kysyvät kunnilta halukkuutta vastaanottaa kiintiöpakolaisia "
            "ensi vuonna. Vastaukset pyydetään kuun loppuun mennessä.",
            "Livskraftscentralerna frågar kommunerna om de vill ta emot kvotflyktingar nästa år.",
        ),
    ),
    News(
        14,
        (
            "Tulkkauksen laatusuositus päivitettiin",
            "Kvalitetsrekommendationen för tolkning uppdaterades",
            "Quality recommendation for interpreting updated",
        ),
        (
            "Päivitetty suositus ohjeistaa tilaamaan ammattitulkin aina, kun asiakkaan "
            "oikeusturva tai terveys on kyseessä. Mukana on muistilista etätulkkaukseen.",
            "Den uppdaterade rekommendationen säger att en yrkestolk ska beställas alltid när "
            "klientens rättsskydd eller hälsa står på spel.",
        ),
    ),
    News(
        3,
        (
            "Kotoutumisen edistämisen valtionavustukset haettavana",
            "Statsunderstöd för främjande av integration kan sökas",
            "State grants for promoting integration open",
        ),
        (
            "Avustusta voivat hakea järjestöt ja kunnat hankkeisiin, jotka tukevat "
            "kotoutumista ja hyviä väestösuhteita. Haku päättyy kuuden viikon kuluttua.",
            "Organisationer och kommuner kan söka understöd för projekt som stöder integration "
            "och goda befolkningsrelationer.",
        ),
        "https://tem.fi/avustukset",
    ),
    News(
        25,
        (
            "Monikulttuurisuus- ja ihmisoikeusviikko lähestyy",
            "Veckan för mångkultur och mänskliga rättigheter närmar sig",
            "Multiculturalism and human rights week approaches",
        ),
        (
            "Viikon verkkosivuilta löytyy ideoita ja materiaaleja kouluille, kirjastoille ja "
            "järjestöille. Tapahtumia voi ilmoittaa yhteiseen kalenteriin.",
            "På veckans webbplats finns idéer och material för skolor, bibliotek och "
            "organisationer.",
        ),
    ),
    News(
        9,
        (
            "Neuvontapalvelujen valtakunnallinen verkosto kokoontuu",
            "Det nationella nätverket för rådgivningstjänster samlas",
            "National network of advisory services meets",
        ),
        (
            "Maahan muuttaneiden neuvontapisteiden työntekijät kokoontuvat verkossa vaihtamaan "
            "kokemuksia monikielisestä neuvonnasta.",
            "Personal vid rådgivningspunkter för invandrare träffas på webben för att utbyta "
            "erfarenheter av flerspråkig rådgivning.",
        ),
    ),
    News(
        16,
        (
            "Työperäisen maahanmuuton palvelut kootaan yhteen",
            "Tjänsterna för arbetskraftsinvandring samlas",
            "Services for work-based immigration brought together",
        ),
        (
            "Työnantajat ja työntekijät löytävät jatkossa lupa-, neuvonta- ja "
            "kotoutumispalvelut samasta palvelusta.",
            "Arbetsgivare och arbetstagare hittar i fortsättningen tillstånds-, rådgivnings- och "
            "integrationstjänster på samma ställe.",
        ),
    ),
)

MAKO_REGIONAL: tuple[News, ...] = (
    News(
        6,
        ("Rovaniemen kaupunki hakee vapaaehtoisia kielikavereiksi", "", "Language buddies wanted"),
        (
            "Kielikaveri tapaa maahan muuttanutta kerran viikossa ja juttelee arjen asioista "
            "suomeksi. Perehdytys järjestetään kirjastolla.",
            "",
        ),
        "https://www.rovaniemi.fi",
    ),
    News(
        11,
        (
            "Kemin kansainvälinen kohtaamispaikka avasi ovensa",
            "",
            "International meeting place opens in Kemi",
        ),
        (
            "Kohtaamispaikassa on avoin neuvonta tiistaisin ja torstaisin sekä kielikahvila "
            "keskiviikkoisin. Toimintaa järjestävät kaupunki ja järjestöt yhdessä.",
            "",
        ),
    ),
    News(
        4,
        ("Lapin hyvinvointialueen maahanmuuttajapalvelujen ajanvaraus uudistuu", "", ""),
        (
            "Ajan voi jatkossa varata puhelimitse tai verkossa. Tulkin tarve kannattaa kertoa "
            "varauksen yhteydessä.",
            "",
        ),
        "https://www.lapha.fi",
    ),
    News(
        19,
        ("Tornion kirjastossa alkaa kielikahvila", "", "Language café starts in Tornio"),
        (
            "Kielikahvila kokoontuu maanantaisin klo 17–18.30. Mukaan voi tulla kuka tahansa, "
            "joka haluaa harjoitella suomea tai ruotsia.",
            "",
        ),
    ),
    News(
        13,
        ("Suomen kielen ja työelämän koulutus alkaa Rovaniemellä", "", ""),
        (
            "Koulutus yhdistää kieliopinnot ja työssäoppimisen matkailu- ja palvelualoilla. "
            "Hakuaika on kuun loppuun.",
            "",
        ),
    ),
    News(
        21,
        ("Ranua valmistautuu kiintiöpakolaisten vastaanottoon", "", ""),
        (
            "Kunta on tehnyt päätöksen vastaanottaa perheitä kiintiöstä. Vastaanoton "
            "valmistelu on alkanut yhteistyössä hyvinvointialueen kanssa.",
            "",
        ),
    ),
    News(
        7,
        ("Sodankylän kotoutumisohjelma lausunnolla", "", ""),
        (
            "Ohjelmaluonnokseen voi antaa lausunnon kuukauden ajan. Järjestöjä toivotaan "
            "kertomaan omasta toiminnastaan.",
            "",
        ),
    ),
    News(
        17,
        (
            "Selvitys: maahan muuttaneiden työllistyminen Lapissa",
            "",
            "Study on employment in Lapland",
        ),
        (
            "Lapin yliopiston selvityksen mukaan kausityö on monelle ensimmäinen työpaikka. "
            "Pysyvän työn esteenä ovat usein kielitaito ja tutkintojen tunnustaminen.",
            "",
        ),
    ),
    News(
        24,
        ("Meri-Lapin MAKO-verkoston terveiset", "", ""),
        (
            "Alueellisessa tapaamisessa käytiin läpi kuntien kuulumiset ja sovittiin "
            "yhteisestä kotoutumisen infotilaisuudesta keväälle.",
            "",
        ),
    ),
    News(
        2,
        ("Kansainvälinen perhekerho jatkuu Rovaniemellä", "", ""),
        (
            "Seurakunnan perhekerhoon ovat tervetulleita kaikki lapsiperheet. Kerhossa "
            "lauletaan, leikitään ja jutellaan suomeksi ja englanniksi.",
            "",
        ),
    ),
    News(
        14,
        ("Kemijärvellä alkaa työelämään valmentava ryhmä", "", ""),
        (
            "Ryhmä on tarkoitettu työikäisille maahan muuttaneille, jotka etsivät työ- tai "
            "opiskelupaikkaa. Ryhmä kokoontuu kahdesti viikossa.",
            "",
        ),
    ),
    News(
        9,
        ("Kotoutumisen alueellinen kehittämisraha haettavana", "", ""),
        (
            "Lapin elinvoimakeskus jakaa kehittämisrahaa kuntien ja järjestöjen yhteishankkeille. "
            "Hakemukset jätetään sähköisesti.",
            "",
        ),
    ),
    News(
        23,
        ("Keminmaan ja Simon kotoutumistyö yhteen", "", ""),
        (
            "Kunnat palkkasivat yhteisen kotoutumiskoordinaattorin, joka palvelee molempien "
            "kuntien asukkaita.",
            "",
        ),
    ),
)

POMAKO_REGIONAL: tuple[News, ...] = (
    News(
        6,
        (
            "Vaasan kaupunki avaa maahanmuuttajien neuvontapisteen",
            "Vasa stad öppnar en rådgivningspunkt för invandrare",
            "",
        ),
        (
            "Neuvontapisteessä saa ohjausta suomeksi, ruotsiksi, englanniksi ja arabiaksi.",
            "Rådgivningspunkten ger handledning på finska, svenska, engelska och arabiska.",
        ),
    ),
    News(
        12,
        (
            "Tulkkauksen tilaaminen muuttuu hyvinvointialueella",
            "Beställningen av tolkning ändras i välfärdsområdet",
            "",
        ),
        (
            "Tulkit tilataan jatkossa keskitetysti sähköisellä lomakkeella.",
            "Tolkar beställs i fortsättningen centralt med en elektronisk blankett.",
        ),
    ),
    News(
        3,
        ("Kokkolassa alkaa suomen kielen iltakurssi", "Kvällskurs i finska i Karleby", ""),
        (
            "Kurssi on tarkoitettu työssäkäyville, ja se kokoontuu kahtena iltana viikossa.",
            "Kursen är avsedd för dem som arbetar och samlas två kvällar i veckan.",
        ),
    ),
    News(
        17,
        (
            "Pietarsaaren kotoutumisohjelma hyväksyttiin",
            "Jakobstads integrationsprogram godkändes",
            "",
        ),
        (
            "Ohjelma painottaa kaksikielisyyttä ja työllisyyttä.",
            "Programmet betonar tvåspråkighet och sysselsättning.",
        ),
    ),
    News(
        9,
        (
            "Närpiö järjestää ruotsin kielen kursseja työikäisille",
            "Närpes ordnar kurser i svenska för personer i arbetsför ålder",
            "",
        ),
        (
            "Kurssit järjestetään yhteistyössä paikallisten yritysten kanssa.",
            "Kurserna ordnas i samarbete med lokala företag.",
        ),
    ),
    News(
        20,
        (
            "Mustasaaren kirjastossa kielikahvila tiistaisin",
            "Språkcafé på Korsholms bibliotek på tisdagar",
            "",
        ),
        (
            "Kielikahvilassa voi harjoitella sekä suomea että ruotsia.",
            "På språkcaféet kan man öva både finska och svenska.",
        ),
    ),
    News(
        15,
        (
            "Keski-Pohjanmaalle kotoutumiskoordinaattori",
            "En integrationskoordinator till Mellersta Österbotten",
            "",
        ),
        (
            "Koordinaattori kokoaa alueen toimijat ja vastaa alkuvaiheen ohjauksen kehittämisestä.",
            "Koordinatorn samlar aktörerna i regionen och utvecklar vägledningen i det "
            "inledande skedet.",
        ),
    ),
    News(
        8,
        ("Kristiinankaupunki etsii tukiperheitä", "Kristinestad söker stödfamiljer", ""),
        (
            "Tukiperhe tutustuttaa uuden perheen paikkakunnan arkeen ja harrastuksiin.",
            "En stödfamilj hjälper en ny familj att lära känna vardagen och fritiden på orten.",
        ),
    ),
    News(
        22,
        (
            "Sairaanhoitajien pätevöitymiskoulutus alkaa Vaasassa",
            "Behörighetsutbildning för sjukskötare börjar i Vasa",
            "",
        ),
        (
            "Koulutus on tarkoitettu ulkomailla tutkinnon suorittaneille sairaanhoitajille.",
            "Utbildningen är avsedd för sjukskötare som har avlagt sin examen utomlands.",
        ),
    ),
    News(
        11,
        (
            "POMAKO-verkoston syksyn teemat päätetty",
            "POMAKO-nätverkets teman för hösten bestämda",
            "",
        ),
        (
            "Syksyn tapaamisissa käsitellään asumista, työllisyyttä ja lasten koulupolkuja.",
            "Höstens möten behandlar boende, sysselsättning och barnens skolgång.",
        ),
    ),
)

# Introductions by calendar month: (fi, sv).
INTRODUCTIONS = {
    1: (
        "Hyvää alkanutta vuotta! Tammikuun tiedotteessa on alkuvuoden koulutuksia ja "
        "ajankohtaisia uutisia alueelta ja koko maasta.",
        "Gott nytt år! Januaribrevet innehåller vårens utbildningar och aktuella nyheter.",
    ),
    2: (
        "Helmikuussa kootaan kevään suunnitelmia. Ilmoittakaa omista tapahtumistanne, niin "
        "nostamme ne seuraavaan tiedotteeseen.",
        "I februari samlar vi vårens planer. Berätta om era evenemang så tar vi med dem.",
    ),
    3: (
        "Maaliskuun tiedotteessa on tietoiskuja ja koulutuksia sekä uutisia kotoutumistyön "
        "rahoituksesta.",
        "Marsbrevet innehåller infotillfällen, utbildningar och nyheter om finansiering.",
    ),
    4: (
        "Huhtikuun terveiset! Kevään verkostotapaamiseen ehtii vielä ilmoittautua.",
        "Hälsningar i april! Det går ännu att anmäla sig till vårens nätverksmöte.",
    ),
    5: (
        "Toukokuussa kiitämme kevään yhteistyöstä. Tiedotteessa on kesän tapahtumia ja "
        "syksyn ennakkotietoja.",
        "I maj tackar vi för vårens samarbete. Brevet berättar om sommarens evenemang.",
    ),
    6: (
        "Kesäkuun tiedote on lyhyt: hyvää kesää kaikille verkoston jäsenille!",
        "Junibrevet är kort: trevlig sommar till alla i nätverket!",
    ),
    7: (
        "Heinäkuussa verkosto lepää, mutta uutisia on kertynyt muutama.",
        "I juli vilar nätverket, men några nyheter har kommit.",
    ),
    8: (
        "Tervetuloa syyskauteen! Elokuun tiedotteessa on syksyn koulutuksia ja tapaamisia.",
        "Välkommen till hösten! Augustibrevet berättar om höstens utbildningar och möten.",
    ),
    9: (
        "Syyskuussa käynnistyvät verkoston tapaamiset. Tervetuloa mukaan!",
        "I september börjar nätverkets möten igen. Välkommen med!",
    ),
    10: (
        "Lokakuun tiedotteessa on ajankohtaista kotoutumislain toimeenpanosta ja alueen "
        "uusista palveluista.",
        "Oktoberbrevet handlar om integrationslagens genomförande och nya tjänster i regionen.",
    ),
    11: (
        "Marraskuussa kootaan vuoden kokemuksia. Kiitos kaikille, jotka vastasivat "
        "palautekyselyyn!",
        "I november samlar vi årets erfarenheter. Tack till alla som svarade på enkäten!",
    ),
    12: (
        "Joulukuun tiedote päättää vuoden. Kiitos yhteistyöstä ja rauhallista joulua!",
        "Decemberbrevet avslutar året. Tack för samarbetet och en fridfull jul!",
    ),
}


def newsletter_demo_load(*, now: datetime | None = None, seed: int = DEMO_SEED) -> dict[str, int]:
    """Create the demo news, subscribers and bulletins, skipping what exists; returns how many
    of each were created. Needs the network demo (and, for events in the bulletins, the events
    demo) loaded first."""
    now = now or timezone.now()
    counts: Counter = Counter()
    with translation.override("fi"), transaction.atomic(), mail_suppressed():
        networks = {n.slug: n for n in Network.objects.filter(slug__in=[MAKO, POMAKO])}
        if len(networks) != 2:
            raise ValueError("Load the network demo first.")
        rng = random.Random(f"{seed}:newsletter")  # noqa: S311 - invented data
        mako_months = _months(now, skip_summer=False)
        pomako_months = _months(now, skip_summer=True)
        lists = {slug: _mailing_list(network, counts) for slug, network in networks.items()}
        _subscribers(networks, lists, now, rng, counts)
        _news(networks[MAKO], mako_months, MAKO_REGIONAL, bilingual=False, counts=counts)
        _news(networks[POMAKO], pomako_months, POMAKO_REGIONAL, bilingual=True, counts=counts)
        for slug, months in ((MAKO, mako_months), (POMAKO, pomako_months)):
            _bulletins(networks[slug], months, now, counts)
        _leavers(lists, now, rng, counts)
    return {name: n for name, n in counts.items() if n}


def _months(now: datetime, *, skip_summer: bool) -> list[date]:
    """The months of a year of bulletins, oldest first, ending with the current month."""
    months = [month_start(timezone.localdate(now))]
    while len(months) <= BULLETIN_MONTHS:
        months.append(previous_month(months[-1]))
    months.reverse()
    return [m for m in months if not (skip_summer and m.month in SUMMER)]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=HELSINKI)


def _day_in(month: date, day: int) -> date:
    following = (month + timedelta(days=32)).replace(day=1)
    return min(month.replace(day=1) + timedelta(days=day - 1), following - timedelta(days=1))


def _mailing_list(network: Network, counts: Counter) -> MailingList:
    mailing_list, created = MailingList.objects.get_or_create(network=network)
    counts["mailing lists"] += created
    return mailing_list


# News ---------------------------------------------------------------------------------------


def _news(
    network: Network,
    months: list[date],
    regional: tuple[News, ...],
    *,
    bilingual: bool,
    counts: Counter,
) -> None:
    """Each bulletin's news, published in the month before it: one national item and one or
    two regional ones, newest bulletin first through the lists."""
    existing = set(NewsItem.objects.filter(network=network).values_list("title_fi", "publish_on"))
    rows = []
    newest_first = list(reversed(months))
    for index, month in enumerate(newest_first):
        published_in = previous_month(month)
        picks = [("national", NATIONAL[index % len(NATIONAL)])]
        picks.append(("regional", regional[index % len(regional)]))
        if index % 3 == 0:
            picks.append(("regional", regional[(index + len(newest_first)) % len(regional)]))
        for scope, news in picks:
            publish_on = _day_in(published_in, news.day)
            if (news.title[0], publish_on) in existing:
                continue
            existing.add((news.title[0], publish_on))
            rows.append(
                NewsItem(
                    network=network,
                    scope=scope,
                    title=news.title[0],
                    title_fi=news.title[0],
                    title_sv=(news.title[1] if bilingual else "") or None,
                    title_en=news.title[2] or None,
                    text=news.text[0],
                    text_fi=news.text[0],
                    text_sv=(news.text[1] if bilingual else "") or None,
                    link=news.link,
                    publish_on=publish_on,
                )
            )
    NewsItem.objects.bulk_create(rows)
    counts["news items"] += len(rows)


# Bulletins ----------------------------------------------------------------------------------


def _send_day(month: date) -> date:
    """The first weekday from the third of the month: when the coordinator sends it."""
    day = month.replace(day=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _bulletins(network: Network, months: list[date], now: datetime, counts: Counter) -> None:
    """Compile each month's issue when it was due and send the past ones; the current
    month's stays a draft with its introduction written."""
    done = set(Issue.objects.filter(network=network, number=1).values_list("month", flat=True))
    current = months[-1]
    for month in months:
        if month in done:
            continue
        is_current = month == current
        compiled_at = now if is_current else _at(month, 8)
        issue = services.issue_compile(network=network, month=month, now=compiled_at)
        counts["bulletin issues"] += 1
        fi, sv = INTRODUCTIONS[month.month]
        issue.introduction_fi = fi
        issue.introduction_sv = sv if network.is_bilingual else None
        if network.slug == POMAKO:
            issue.title_fi = f"POMAKO-briiffi {month.month}/{month.year}"
            issue.title_sv = f"POMAKO-briefing {month.month}/{month.year}"
        else:
            issue.title_fi = f"Lapin MAKO-verkoston tiedote {month.month}/{month.year}"
        issue.save(update_fields=["introduction_fi", "introduction_sv", "title_fi", "title_sv"])
        if is_current:
            continue
        sent_at = _at(_send_day(month), 9)
        editions = services.issue_send(issue=issue, actor=None, now=sent_at)
        _backdate(editions, sent_at)


def _backdate(editions: list[Edition], sent_at: datetime) -> None:
    """History sent at its own time, not at the time of loading."""
    batches = [edition.batch_id for edition in editions if edition.batch_id]
    MailBatch.objects.filter(pk__in=batches).update(created_at=sent_at, finished_at=sent_at)
    OutboxMessage.objects.filter(batch_id__in=batches).update(
        created_at=sent_at, sent_at=sent_at + timedelta(minutes=2), next_attempt_at=sent_at
    )
    Edition.objects.filter(pk__in=[e.pk for e in editions]).update(created_at=sent_at)


# Subscribers --------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else "-" if c in " -" else "" for c in plain)


SUBSCRIBER_DOMAINS = {
    MAKO: (
        "rovaniemi.example",
        "kemi.example",
        "tornio.example",
        "lapha.example",
        "lapinamk.example",
        "redu.example",
        "posti.example",
        "gmail.example",
        "evl.example",
    ),
    POMAKO: (
        "vaasa.example",
        "vasa.example",
        "kokkola.example",
        "jakobstad.example",
        "ovph.example",
        "novia.example",
        "posti.example",
        "gmail.example",
    ),
}
# Invented subscribers of the public form and the old spreadsheet list, per network.
FORM_SUBSCRIBERS = {MAKO: 70, POMAKO: 80}
IMPORTED_SUBSCRIBERS = {MAKO: 120, POMAKO: 0}
IMPORT_DETAIL = "MAKO-postituslista (Excel, ylläpidetty sähköpostitse 2019–2025)"


def _invented(slug: str, count: int, rng: random.Random, taken: set[str]) -> list[tuple]:
    from kotoverkko.network import demo as network_demo

    domains = SUBSCRIBER_DOMAINS[slug]
    rows = []
    while len(rows) < count:
        roll = rng.random()
        if slug == POMAKO and roll < 0.45:
            first = rng.choice(network_demo.SWEDISH_WOMEN + network_demo.SWEDISH_MEN)
            last = rng.choice(network_demo.SWEDISH_SURNAMES)
            language = "sv"
        elif roll > 0.85:
            women, men, surnames = rng.choice(network_demo.IMMIGRANT_NAMES)
            first, last = rng.choice(women + men), rng.choice(surnames)
            language = "en" if rng.random() < 0.5 else "fi"
        else:
            first = rng.choice(network_demo.FINNISH_WOMEN + network_demo.FINNISH_MEN)
            last = rng.choice(network_demo.FINNISH_SURNAMES)
            language = "fi"
        email = f"{_ascii(first)}.{_ascii(last)}@{rng.choice(domains)}"
        if email in taken:
            continue
        taken.add(email)
        rows.append((email, language))
    return rows


def _subscribers(
    networks: dict[str, Network],
    lists: dict[str, MailingList],
    now: datetime,
    rng: random.Random,
    counts: Counter,
) -> None:
    """The members of each network (and of the networks below it) by their membership, the
    addresses of MAKO's old spreadsheet list by import, and people who used the form."""
    tree = NetworkTree.load()
    known = {s.email: s for s in Subscriber.objects.all()}
    # Invented addresses come out the same on every run; only people's are off limits.
    taken = set(Person.objects.values_list("email", flat=True))
    plans: list[tuple[MailingList, str, str, str, Person | None, datetime]] = []
    for slug, network in networks.items():
        mailing_list = lists[slug]
        below = tree.descendants(network.pk)
        members = (
            Person.objects.filter(
                memberships__network_id__in=below,
                memberships__status=Membership.Status.ACTIVE,
            )
            .distinct()
            .order_by("pk")
        )
        for person in members:
            joined = now - timedelta(days=rng.randrange(400, 1500))
            plans.append(
                (mailing_list, person.email, person.language, "membership", person, joined)
            )
        for email, language in _invented(slug, IMPORTED_SUBSCRIBERS[slug], rng, taken):
            plans.append((mailing_list, email, language, "import", None, now - timedelta(days=420)))
        for email, language in _invented(slug, FORM_SUBSCRIBERS[slug], rng, taken):
            joined = now - timedelta(days=rng.randrange(380, 1100), minutes=rng.randrange(600))
            plans.append((mailing_list, email, language, "form", None, joined))
    # A person has one subscriber record; an address of theirs already on a list keeps it.
    linked = {s.person_id for s in known.values() if s.person_id}
    new = []
    for _list, email, language, _source, person, _joined in plans:
        if email in known:
            continue
        if person is not None and person.pk in linked:
            person = None
        elif person is not None:
            linked.add(person.pk)
        known[email] = Subscriber(email=email, language=language, person=person)
        new.append(known[email])
    Subscriber.objects.bulk_create(new)
    counts["subscribers"] += len(new)
    known = {s.email: s for s in Subscriber.objects.filter(email__in=[p[1] for p in plans])}
    existing = set(
        Subscription.objects.filter(mailing_list__in=lists.values()).values_list(
            "mailing_list_id", "subscriber_id"
        )
    )
    subscriptions, records = [], []
    for mailing_list, email, _language, source, _person, joined in plans:
        subscriber = known[email]
        if (mailing_list.pk, subscriber.pk) in existing:
            continue
        existing.add((mailing_list.pk, subscriber.pk))
        confirmed = (
            joined + timedelta(minutes=rng.randrange(3, 240)) if source == "form" else joined
        )
        subscriptions.append(
            Subscription(
                mailing_list=mailing_list,
                subscriber=subscriber,
                status=Subscription.Status.ACTIVE,
                source=source,
                created_at=joined,
                confirmed_at=confirmed,
            )
        )
        records.extend(_consents(mailing_list, subscriber, source, joined, confirmed, rng))
    Subscription.objects.bulk_create(subscriptions, batch_size=500)
    ConsentRecord.objects.bulk_create(records, batch_size=500)
    counts["subscriptions"] += len(subscriptions)
    counts["consent records"] += len(records)


def _consents(mailing_list, subscriber, source, joined, confirmed, rng) -> list[ConsentRecord]:
    name = mailing_list.network.name_fi
    common = {
        "subscriber": subscriber,
        "mailing_list": mailing_list,
        "list_name": name,
        "language": subscriber.language,
    }
    if source == "form":
        address = f"192.0.2.{rng.randrange(1, 255)}"
        return [
            ConsentRecord(
                **common,
                action=ConsentRecord.Action.REQUESTED,
                basis=ConsentRecord.Basis.FORM,
                consent_version=CURRENT_VERSION,
                ip_address=address,
                at=joined,
            ),
            ConsentRecord(
                **common,
                action=ConsentRecord.Action.GIVEN,
                basis=ConsentRecord.Basis.FORM,
                consent_version=CURRENT_VERSION,
                ip_address=address,
                at=confirmed,
            ),
        ]
    if source == "import":
        return [
            ConsentRecord(
                **common,
                action=ConsentRecord.Action.GIVEN,
                basis=ConsentRecord.Basis.IMPORT,
                detail=IMPORT_DETAIL,
                at=joined,
            )
        ]
    return [
        ConsentRecord(
            **common,
            action=ConsentRecord.Action.GIVEN,
            basis=ConsentRecord.Basis.MEMBERSHIP,
            detail=name,
            at=joined,
        )
    ]


LEAVER_SHARE = 0.07
BOUNCER_SHARE = 0.03
BOUNCE_DIAGNOSTIC = "smtp; 550 5.1.1 <{email}>: Recipient address rejected: User unknown"


def _leavers(lists: dict[str, MailingList], now: datetime, rng: random.Random, counts: Counter):
    """After the year's bulletins: some left a list with one click or on their preferences
    page, a few left every list, and some addresses bounced three times and were suppressed."""
    own_choice = [ConsentRecord.Basis.ONE_CLICK, ConsentRecord.Basis.PREFERENCES]
    if ConsentRecord.objects.filter(
        mailing_list__in=lists.values(),
        action=ConsentRecord.Action.WITHDRAWN,
        basis__in=own_choice,
    ).exists():
        return
    records, bounces = [], []
    for mailing_list in lists.values():
        rows = list(
            Subscription.objects.filter(
                mailing_list=mailing_list, status=Subscription.Status.ACTIVE
            )
            .select_related("subscriber")
            .order_by("pk")
        )
        rng.shuffle(rows)
        # They left after the latest bulletin, which they still got.
        last_sent = Issue.objects.filter(
            network_id=mailing_list.network_id, sent_at__isnull=False
        ).aggregate(last=Max("sent_at"))["last"] or now - timedelta(days=30)
        leaving = rows[: int(len(rows) * LEAVER_SHARE)]
        bouncing = rows[len(leaving) : len(leaving) + int(len(rows) * BOUNCER_SHARE)]
        for index, row in enumerate(leaving):
            left = last_sent + (now - last_sent) * rng.random()
            row.status = Subscription.Status.UNSUBSCRIBED
            row.unsubscribed_at = left
            basis = ConsentRecord.Basis.ONE_CLICK if index % 3 else ConsentRecord.Basis.PREFERENCES
            records.append(
                ConsentRecord(
                    subscriber=row.subscriber,
                    mailing_list=mailing_list,
                    list_name=mailing_list.network.name_fi,
                    action=ConsentRecord.Action.WITHDRAWN,
                    basis=basis,
                    language=row.subscriber.language,
                    at=left,
                )
            )
            if index % 7 == 6 and row.subscriber.left_all_at is None:
                row.subscriber.left_all_at = left
                row.subscriber.save(update_fields=["left_all_at"])
                counts["left every list"] += 1
        Subscription.objects.bulk_update(leaving, ["status", "unsubscribed_at"])
        counts["unsubscribed"] += len(leaving)
        for row in bouncing:
            bounces.extend(_bounced(row.subscriber, counts))
    ConsentRecord.objects.bulk_create(records)
    Bounce.objects.bulk_create(bounces)
    counts["consent records"] += len(records)


def _bounced(subscriber: Subscriber, counts: Counter) -> list[Bounce]:
    """Three hard bounces of the latest messages sent to the address, then suppression."""
    if subscriber.suppressed_at is not None:
        return []
    messages = list(
        OutboxMessage.objects.filter(
            subscriber=subscriber, status=OutboxMessage.Status.SENT
        ).order_by("-sent_at", "-pk")[:3]
    )
    if len(messages) < 3:
        return []
    rows = [
        Bounce(
            email=subscriber.email,
            subscriber=subscriber,
            message=message,
            kind=Bounce.Kind.HARD,
            diagnostic=BOUNCE_DIAGNOSTIC.format(email=subscriber.email),
            received_at=message.sent_at + timedelta(minutes=5),
        )
        for message in messages
    ]
    subscriber.hard_bounces = len(rows)
    subscriber.suppressed_at = rows[0].received_at
    subscriber.suppression_reason = Subscriber.Suppression.BOUNCES
    subscriber.save(update_fields=["hard_bounces", "suppressed_at", "suppression_reason"])
    counts["suppressed after bounces"] += 1
    return rows
