"""Search the index from the command line."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kotoverkko.search.selectors import SearchFilters, search


class Command(BaseCommand):
    help = (
        "Search the index as an administrator sees it (everything; --public-only: what "
        "anyone sees). Prints the results in rank order."
    )

    def add_arguments(self, parser):
        parser.add_argument("query", help="What to look for, in any form of the words.")
        parser.add_argument("--json", action="store_true", help="Print a JSON array.")
        parser.add_argument("--limit", type=int, default=10, help="Results at most (1-100).")
        parser.add_argument("--type", default="", help="Only entries of this type.")
        parser.add_argument(
            "--language",
            default=None,
            choices=["fi", "sv", "en"],
            help="Analyse the query in this language only.",
        )
        parser.add_argument("--public-only", action="store_true", help="Only what anyone may see.")

    def handle(self, *args, query: str, limit: int, type: str, **options):
        if not 1 <= limit <= 100:
            raise CommandError(_("--limit must be between 1 and 100."))
        user = None if options["public_only"] else _Operator()
        results = search(
            query,
            user=user,
            filters=SearchFilters(type=type),
            per_page=limit,
            language=options["language"],
        )
        rows = [
            {
                "id": hit.id,
                "type": hit.type,
                "title": hit.title,
                "score": round(hit.score, 6),
                "url": hit.url,
                "language": hit.language,
                "year": hit.year,
                "visibility": hit.visibility,
                "snippet": _plain(hit.snippet),
            }
            for hit in results.hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(_("Nothing found."))
            return
        for number, row in enumerate(rows, 1):
            self.stdout.write(f"{number:>3}. [{row['type']} {row['id']}] {row['title']}")
            self.stdout.write(f"     {row['score']:.4f}  {row['url']}")


class _Operator:
    """Whoever runs the command on the server sees what an administrator sees."""

    is_active = True
    is_superuser = True
    is_authenticated = True


def _plain(snippet: str) -> str:
    import html

    return html.unescape(str(snippet).replace("<mark>", "").replace("</mark>", ""))
