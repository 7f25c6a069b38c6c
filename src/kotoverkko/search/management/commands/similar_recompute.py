"""Recompute the similar entries of every entry of the types that have them."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kotoverkko.search.index import registered_sources
from kotoverkko.search.models import Entry
from kotoverkko.search.progress import ProgressBar
from kotoverkko.search.similar import similar_recompute_all


class Command(BaseCommand):
    help = "Recompute similar documents (and other similar entries) from the search index."

    def add_arguments(self, parser):
        parser.add_argument(
            "--type",
            action="append",
            dest="types",
            metavar="TYPE",
            help="Recompute only this type (default: every type with similar entries).",
        )

    def handle(self, *args, types: list[str] | None = None, **options):
        similar_types = [source.type for source in registered_sources() if source.similar]
        if types:
            unknown = sorted(set(types) - set(similar_types))
            if unknown:
                raise CommandError(
                    _("No similar entries are kept for: %(types)s.") % {"types": ", ".join(unknown)}
                )
            similar_types = types
        for type in similar_types:
            bar = ProgressBar(type, Entry.objects.filter(type=type).count(), stream=self.stderr)
            count = similar_recompute_all(type, progress=bar)
            bar.finish()
            self.stdout.write(
                _("%(type)s: similar entries of %(count)s entries recomputed.")
                % {"type": type, "count": count}
            )
