"""Rebuild the search index from every registered source."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kotoverkko.search.index import index_source_rebuild, registered_sources
from kotoverkko.search.progress import ProgressBar
from kotoverkko.search.similar import similar_recompute_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index: every event, organisation, news item and document (and "
        "whatever else is registered) is analysed again, and similar documents recomputed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--type",
            action="append",
            dest="types",
            metavar="TYPE",
            help="Rebuild only this kind of entry (may be given several times).",
        )

    def handle(self, *args, types: list[str] | None = None, **options):
        sources = registered_sources()
        known = {source.type for source in sources}
        if types:
            unknown = sorted(set(types) - known)
            if unknown:
                raise CommandError(
                    _("Unknown type: %(types)s. Known: %(known)s.")
                    % {"types": ", ".join(unknown), "known": ", ".join(sorted(known))}
                )
            sources = [source for source in sources if source.type in types]
        started = time.monotonic()
        total = 0
        for source in sources:
            bar = ProgressBar(
                str(source.label), source.count() if source.count else None, stream=self.stderr
            )
            count = index_source_rebuild(source, progress=bar, similar=False)
            bar.finish()
            if source.similar:
                similar_bar = ProgressBar(
                    _("Similar: %(label)s") % {"label": source.label},
                    count,
                    stream=self.stderr,
                )
                similar_recompute_all(source.type, progress=similar_bar)
                similar_bar.finish()
            total += count
        self.stdout.write(
            _("Indexed %(count)s entries in %(seconds).1f s.")
            % {"count": total, "seconds": time.monotonic() - started}
        )
