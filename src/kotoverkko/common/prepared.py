"""Queries the ORM builds and compiles once per shape, then runs with each request's values.

Why: a public list page runs the same few queries on every request. On the organisation
directory, building and compiling its three querysets took about 1 ms of Python per request,
twenty times what the database needed to answer them. Their SQL depends only on which filters
are in use (the query's shape), never on the values filtered by, which are parameters. So the
ORM builds each shape once, with a `Param` where a value goes, and every later request binds
its values and runs the SQL:

    @functools.lru_cache(maxsize=32)
    def _queries(by_type: bool) -> tuple[PreparedQuery, PreparedCount]:
        qs = Organisation.objects.all()
        if by_type:
            qs = qs.filter(type=Param("type", models.CharField()))
        rows = qs.order_by("name_fi", "pk").values("pk", "name_fi")
        return PreparedQuery(rows), PreparedCount(qs)

    rows, count = _queries(bool(type_))
    found, page = count({"type": type_}), rows.rows({"type": type_}, offset=50, limit=25)

The SQL is the ORM's own for the database in use, and values always travel as parameters,
converted for the database as the field given to their `Param` converts them. Rows come as
dictionaries of what the database driver returns, without the ORM's conversions: text, numbers
and dates come back alike from SQLite and PostgreSQL, but a datetime from SQLite has no time
zone (it is UTC), and JSON or decimals need converting by hand.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Expression, Field, Func, IntegerField, QuerySet


class Param(Expression):
    """A value left open in a prepared query, by name; `field` converts it for the database.

    It stands where the ORM takes an expression: comparisons and text lookups (`type=`,
    `valid_until__lt=`, `name__icontains=`), not the list of an `__in`.
    """

    def __init__(self, name: str, field: Field):
        super().__init__(output_field=field)
        self.name = name

    def __repr__(self) -> str:
        return f"Param({self.name!r})"

    def as_sql(self, compiler, connection):
        # The placeholder stays among the compiled parameters until `bind` puts a value there.
        return "%s", [self]


class PreparedQuery:
    """A queryset's SQL, compiled once; `rows` runs it with the values given."""

    def __init__(self, queryset: QuerySet):
        if queryset.query.is_sliced:
            raise ValueError("Prepare the query unsliced; rows() takes the offset and limit.")
        self.using = queryset.db
        self.sql, params = queryset.query.get_compiler(self.using).as_sql()
        self.params = tuple(params)

    def bind(self, values: Mapping[str, Any]) -> list:
        """The query's parameters, each Param replaced by its value from `values`."""
        connection = connections[self.using]
        return [
            param.output_field.get_db_prep_value(values[param.name], connection)
            if isinstance(param, Param)
            else param
            for param in self.params
        ]

    def rows(
        self, values: Mapping[str, Any], *, offset: int = 0, limit: int | None = None
    ) -> list[dict[str, Any]]:
        sql, params = self.sql, self.bind(values)
        if limit is not None:
            # The ORM writes LIMIT and OFFSET into the SQL; as parameters, one statement serves
            # every page. SQLite, PostgreSQL and MySQL all take them this way.
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        elif offset:
            raise ValueError("An offset needs a limit.")
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class _CountAll(Func):
    # The COUNT(*) of QuerySet.count(), declared as a plain function rather than an aggregate
    # so that the ORM selects it alone, without a GROUP BY.
    template = "COUNT(*)"
    output_field = IntegerField()


class PreparedCount(PreparedQuery):
    """How many rows a queryset finds, as its count() would ask, compiled once."""

    def __init__(self, queryset: QuerySet):
        query = queryset.query
        if query.distinct or query.group_by is not None or query.combinator:
            # count() would wrap these in a subquery; they are not needed here so far.
            raise ValueError("Only a plainly filtered query can be counted this way.")
        super().__init__(queryset.order_by().annotate(counted=_CountAll()).values("counted"))

    def __call__(self, values: Mapping[str, Any]) -> int:
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            return cursor.fetchone()[0]


@dataclass(frozen=True)
class PreparedRows:
    """A prepared query's rows for the given values, which a Paginator slices page by page.

    Give the Paginator the count as well: these rows do not count themselves.
    """

    query: PreparedQuery
    values: Mapping[str, Any]

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("Prepared rows are read a page, a slice without a step, at a time.")
        start = window.start or 0
        limit = None if window.stop is None else max(window.stop - start, 0)
        return self.query.rows(self.values, offset=start, limit=limit)
