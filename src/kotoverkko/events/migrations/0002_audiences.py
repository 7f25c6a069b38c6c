"""The default target groups of events (from the audiences of the Integration 2024 info
sessions) in Finnish, Swedish and English; administrators may add more in the admin. The YSO
concept is given where it is certain (maahanmuuttajat, as Helsinki's Linked Events uses it)."""

from django.db import migrations

AUDIENCES = [
    (
        "public-administration",
        "julkinen hallinto",
        "offentlig förvaltning",
        "public administration",
    ),
    ("municipalities", "kunnat", "kommuner", "municipalities"),
    ("state-administration", "valtionhallinto", "statsförvaltning", "state administration"),
    (
        "universities",
        "yliopistot ja korkeakoulut",
        "universitet och högskolor",
        "universities and higher education institutions",
    ),
    ("educational-institutions", "oppilaitokset", "läroanstalter", "educational institutions"),
    ("ngos", "järjestöt ja yhteisöt", "organisationer och föreningar", "NGOs and communities"),
    ("wellbeing-counties", "hyvinvointialueet", "välfärdsområden", "wellbeing services counties"),
    ("employers", "työnantajat", "arbetsgivare", "employers"),
    ("immigrants", "maahan muuttaneet", "invandrare", "immigrants", "yso:p6165"),
    ("everyone", "kaikki kiinnostuneet", "alla intresserade", "everyone interested"),
]


def add(apps, schema_editor):
    Audience = apps.get_model("events", "Audience")
    for position, (code, fi, sv, en, *yso) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(
            code=code,
            defaults={
                "yso_id": yso[0] if yso else "",
                "name": fi,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "position": position,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("events", "Audience").objects.filter(
        code__in=[row[0] for row in AUDIENCES], events__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
