"""Loading the code-list snapshots shipped in data/ (idempotent: update or create by code)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# (model name, file, has parent column)
HIERARCHIES = [
    ("ServiceClass", "ptv_service_classes.csv"),
    ("TargetGroup", "ptv_target_groups.csv"),
]


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _names(row: dict[str, str]) -> dict[str, str]:
    return {
        "name": row["name_fi"],
        "name_fi": row["name_fi"],
        "name_sv": row["name_sv"] or row["name_fi"],
        "name_en": row["name_en"] or row["name_fi"],
    }


def load_code_lists(apps) -> dict[str, int]:
    """Load every list; `apps` is the migration app registry or django.apps.apps."""
    counts: dict[str, int] = {}
    region_model = apps.get_model("codelists", "Region")
    county_model = apps.get_model("codelists", "WellbeingCounty")
    municipality_model = apps.get_model("codelists", "Municipality")

    for model, file in [(region_model, "regions.csv"), (county_model, "wellbeing_counties.csv")]:
        rows = _rows(file)
        for row in rows:
            model.objects.update_or_create(code=row["code"], defaults=_names(row))
        counts[model.__name__] = len(rows)

    regions = {r.code: r for r in region_model.objects.all()}
    counties = {c.code: c for c in county_model.objects.all()}
    rows = _rows("municipalities.csv")
    for row in rows:
        municipality_model.objects.update_or_create(
            code=row["code"],
            defaults={
                **_names(row),
                "region": regions[row["region_code"]],
                "wellbeing_county": counties[row["wellbeing_county_code"]],
            },
        )
    counts["Municipality"] = len(rows)

    for model_name, file in HIERARCHIES:
        model = apps.get_model("codelists", model_name)
        rows = _rows(file)
        for row in rows:  # parents come before children in the files
            parent = model.objects.filter(code=row["parent_code"]).first()
            model.objects.update_or_create(
                code=row["code"], defaults={**_names(row), "parent": parent}
            )
        counts[model_name] = len(rows)
    return counts
