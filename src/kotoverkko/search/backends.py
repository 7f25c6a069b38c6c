"""The full-text SQL of each database: SQLite FTS5 and a PostgreSQL tsvector with GIN.

Both find the same entries for the same query: the terms were made by the analyser, the
query is built from the analyser's terms (FTS5 MATCH syntax, or a tsquery taken as it is,
without PostgreSQL's own parsing), and the filters are the same SQL. Ranking is each
database's own: BM25 on FTS5 and ts_rank_cd on PostgreSQL, with the title weighted four
times the body on both, so the order can differ where scores are close.

A very common term must not make a query slow, so ranking looks at a capped set of
candidates: the newest `limit` matching entries (those with the highest ids), found by a scan
in id order that stops at the limit and ranked in the same statement. Ranking or counting
every one of 100,000 matches would take a hundred milliseconds and more; the newest are also
the likeliest to be wanted. The results say when the cap was reached.
"""

from dataclasses import dataclass

from django.db import connection

from .analyser import AnalysedQuery

TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0
# ts_rank_cd's weights for D, C, B and A: body terms are D, title terms A.
PG_WEIGHTS = "{0.25, 0.25, 0.25, 1.0}"


@dataclass(frozen=True)
class Where:
    """A condition on the entries (table alias "e") with its parameters. The SQL text is made
    of fixed fragments only (kotoverkko.search.selectors); every value is a parameter."""

    sql: str
    params: tuple

    @classmethod
    def all(cls, conditions: list[tuple[str, tuple]]) -> "Where":
        if not conditions:
            return cls("1 = 1", ())
        return cls(
            " AND ".join(f"({sql})" for sql, _params in conditions),
            tuple(p for _sql, params in conditions for p in params),
        )


@dataclass(frozen=True)
class Ranked:
    """Matching entry ids with their scores (higher is better), and whether the matches were
    more than the candidates ranked."""

    scores: dict[int, float]
    capped: bool


def _fts_term(term: str) -> str:
    # Terms hold letters and digits only; quoted, none is taken for an FTS5 operator.
    return f'"{term}"'


def fts_match(query: AnalysedQuery) -> str:
    """The FTS5 MATCH expression: every word, each in any of its forms."""
    groups = []
    for word in query.words:
        alternatives = [
            _fts_term(alt[0]) if len(alt) == 1 else "(" + " AND ".join(map(_fts_term, alt)) + ")"
            for alt in word.alternatives
        ]
        groups.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


def tsquery_text(query: AnalysedQuery) -> str:
    """The same as a tsquery literal (cast with ::tsquery, so PostgreSQL does not parse or
    normalise the terms again)."""
    groups = []
    for word in query.words:
        alternatives = [
            "(" + " & ".join(f"'{t}'" for t in alt) + ")" if len(alt) > 1 else f"'{alt[0]}'"
            for alt in word.alternatives
        ]
        groups.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(groups)


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _sql(template: str, **fragments: str) -> str:
    """A statement from a fixed template and fixed fragments (conditions of Where, lists of
    placeholders); every value goes in as a parameter."""
    return template.format(**fragments)


FTS_RANKED = (
    "SELECT search_fts.rowid, bm25(search_fts, {title_weight}, {body_weight}) "
    "FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid "
    "WHERE search_fts MATCH %s AND {where} ORDER BY search_fts.rowid DESC LIMIT %s"
)
FTS_COUNT = (
    "SELECT count(*) FROM (SELECT 1 FROM search_fts "
    "JOIN search_entry e ON e.id = search_fts.rowid "
    "WHERE search_fts MATCH %s AND {where} LIMIT %s)"
)
# The tsquery is written into the statement (not taken from a CTE) so that the planner
# estimates how many entries match from the column's statistics: a common term is then found
# by walking the primary key backwards until the limit, a rare one through the GIN index.
PG_RANKED = (
    "SELECT hits.id, ts_rank_cd('{weights}', hits.search_vector, %s::tsquery, 1) "
    "FROM (SELECT e.id, e.search_vector FROM search_entry e "
    "  WHERE e.search_vector @@ %s::tsquery AND {where} ORDER BY e.id DESC LIMIT %s) hits"
)
PG_COUNT = (
    "SELECT count(*) FROM (SELECT 1 FROM search_entry e "
    "WHERE e.search_vector @@ %s::tsquery AND {where} LIMIT %s) hits"
)


class _SQLite:
    def rank(self, query: AnalysedQuery, where: Where, limit: int) -> Ranked:
        sql = _sql(
            FTS_RANKED,
            where=where.sql,
            title_weight=str(TITLE_WEIGHT),
            body_weight=str(BODY_WEIGHT),
        )
        with connection.cursor() as cursor:
            # bm25() is computed for the rows returned only, and is lower for better matches.
            cursor.execute(sql, (fts_match(query), *where.params, limit))
            rows = cursor.fetchall()
        return Ranked({row[0]: -row[1] for row in rows}, capped=len(rows) >= limit)

    def count(self, query: AnalysedQuery, where: Where, limit: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                _sql(FTS_COUNT, where=where.sql), (fts_match(query), *where.params, limit)
            )
            return cursor.fetchone()[0]


class _PostgreSQL:
    def rank(self, query: AnalysedQuery, where: Where, limit: int) -> Ranked:
        sql = _sql(PG_RANKED, where=where.sql, weights=PG_WEIGHTS)
        tsquery = tsquery_text(query)
        with connection.cursor() as cursor:
            cursor.execute(sql, (tsquery, tsquery, *where.params, limit))
            rows = cursor.fetchall()
        return Ranked({row[0]: float(row[1]) for row in rows}, capped=len(rows) >= limit)

    def count(self, query: AnalysedQuery, where: Where, limit: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                _sql(PG_COUNT, where=where.sql), (tsquery_text(query), *where.params, limit)
            )
            return cursor.fetchone()[0]


def index_tidy() -> None:
    """After many entries changed at once: PostgreSQL's planner learns how common each term is
    now (it picks the plan for a term by that); SQLite merges the FTS5 index into one b-tree,
    which makes reading a common term's list faster."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE search_entry")
        elif connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def backend() -> _SQLite | _PostgreSQL:
    if connection.vendor == "postgresql":
        return _PostgreSQL()
    if connection.vendor == "sqlite":
        return _SQLite()
    raise NotImplementedError(f"Search has no backend for {connection.vendor}.")
