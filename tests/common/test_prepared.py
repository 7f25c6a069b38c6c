import datetime

import pytest
from django.core.paginator import Paginator
from django.db import models

from kotoverkko.common.prepared import Param, PreparedCount, PreparedQuery, PreparedRows
from kotoverkko.network.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TEXT = Param("text", models.CharField())
DAY = Param("day", models.DateField())


def _named(text) -> models.QuerySet[Organisation]:
    return Organisation.objects.filter(name_fi__icontains=text).order_by("name_fi", "pk")


@pytest.mark.parametrize("text", ["yhdistys", "YHDISTYS", "100%", "a_b", "c\\d", "x' OR '1'='1"])
def test_a_prepared_query_finds_what_the_queryset_finds(text):
    # given names with the characters LIKE treats specially
    for name in ["Kemin yhdistys", "100% yhdistys", "1000 yhdistystä", "a_b", "axb", "c\\d", "cd"]:
        OrganisationFactory(name_fi=name)
    query = PreparedQuery(_named(TEXT).values("pk", "name_fi"))
    # when it runs with the text as its value
    rows = query.rows({"text": text})
    # then it finds the same rows as the queryset with the text written in
    assert rows == list(_named(text).values("pk", "name_fi"))


def test_a_prepared_query_is_compiled_once_and_run_with_new_values():
    # given one prepared query
    OrganisationFactory(name_fi="Kemin yhdistys")
    OrganisationFactory(name_fi="Torniossa")
    query = PreparedQuery(_named(TEXT).values("name_fi"))
    sql = query.sql
    # when it runs with different values, then each run finds its own rows from the same SQL
    assert query.rows({"text": "kemi"}) == [{"name_fi": "Kemin yhdistys"}]
    assert query.rows({"text": "tornio"}) == [{"name_fi": "Torniossa"}]
    assert query.sql == sql
    assert "kemi" not in sql.lower()


def test_a_prepared_count_counts_what_the_queryset_counts():
    # given organisations discontinued on different days
    today = datetime.date(2026, 1, 15)
    for days in (-400, -1, 0, 1, 30):
        OrganisationFactory(valid_until=today + datetime.timedelta(days=days))
    OrganisationFactory(valid_until=None)
    count = PreparedCount(Organisation.objects.filter(valid_until__lt=DAY))
    # when it counts for a day, then it agrees with QuerySet.count()
    for day in (today, today + datetime.timedelta(days=2), today - datetime.timedelta(days=999)):
        assert count({"day": day}) == Organisation.objects.filter(valid_until__lt=day).count()


def test_prepared_rows_page_through_a_paginator():
    # given 7 organisations in name order
    for number in range(7):
        OrganisationFactory(name_fi=f"Yhdistys {number}")
    query = PreparedQuery(_named(TEXT).values("name_fi"))
    rows = PreparedRows(query, {"text": "yhdistys"})
    paginator = Paginator(rows, 3)
    paginator.count = 7  # prepared rows do not count themselves
    # when the third page is read
    page = paginator.get_page(3)
    # then it holds the last row, read with LIMIT and OFFSET
    assert page.object_list == [{"name_fi": "Yhdistys 6"}]
    assert [row["name_fi"] for row in paginator.page(2)] == [f"Yhdistys {n}" for n in (3, 4, 5)]


def test_querysets_that_cannot_be_prepared_are_refused():
    # given a sliced queryset and a distinct one, when prepared, then both are refused
    with pytest.raises(ValueError, match="unsliced"):
        PreparedQuery(Organisation.objects.all()[:5])
    with pytest.raises(ValueError, match="plainly filtered"):
        PreparedCount(Organisation.objects.distinct())
    with pytest.raises(ValueError, match="offset needs a limit"):
        PreparedQuery(Organisation.objects.values("pk")).rows({}, offset=5)
