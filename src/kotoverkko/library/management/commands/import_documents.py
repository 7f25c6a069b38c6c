"""Import documents into the library from files, folders and JSON Lines files."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kotoverkko.library import importing
from kotoverkko.library.models import LANGUAGE_CHOICES, Document
from kotoverkko.search.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import documents into the library. A file is uploaded as it is (a folder: every file "
        "in it, hidden ones left out); a .jsonl file holds one document a line: "
        '{"title": ..., "text": ..., "language": "fi", "network": slug, "visibility": '
        '"public"}, optionally with "titles" by language, "description", "date", "speaker", '
        '"keywords" and "organisation" (an id). An item that cannot be imported is reported '
        "and the others are kept; the exit status is 1 when any item failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files and folders.")
        parser.add_argument(
            "--network", default="", metavar="SLUG", help="The network of the documents."
        )
        parser.add_argument(
            "--visibility",
            default=Document.Visibility.PUBLIC,
            choices=Document.Visibility.values,
            help="Who sees the documents (default: public).",
        )
        parser.add_argument(
            "--language",
            default="fi",
            choices=[code for code, _label in LANGUAGE_CHOICES],
            help="The language of the files, and of lines that do not give theirs (default: fi).",
        )
        parser.add_argument(
            "--organisation", type=int, metavar="ID", help="The organisation they came from."
        )
        parser.add_argument(
            "--event", type=int, metavar="ID", help="The event whose materials they are."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every item, save nothing."
        )
        parser.add_argument(
            "--skip-duplicates",
            action="store_true",
            help="Skip a file whose content is already in the library.",
        )
        parser.add_argument(
            "--extract-now",
            action="store_true",
            help="Read the text of each file at once rather than in the background.",
        )

    def handle(self, *args, paths: list[str], **options):
        try:
            defaults = importing.defaults_resolve(
                network=options["network"],
                visibility=options["visibility"],
                language=options["language"],
                organisation=options["organisation"],
                event=options["event"],
            )
            sources = importing.sources_collect(paths)
        except importing.ImportUsageError as error:
            raise CommandError(str(error)) from None
        bar = ProgressBar(_("Importing"), importing.items_count(sources), stream=self.stderr)
        result = importing.documents_import(
            sources,
            options=importing.ImportOptions(
                defaults=defaults,
                dry_run=options["dry_run"],
                skip_duplicates=options["skip_duplicates"],
                extract_now=options["extract_now"],
            ),
            progress=bar,
        )
        bar.finish()
        for note in result.notes:
            self.stdout.write(str(note))
        counts = {
            "added": result.added,
            "skipped": len(result.skipped),
            "failed": len(result.failed),
        }
        if options["dry_run"]:
            summary = _(
                "Dry run, nothing was saved: %(added)s to add, %(skipped)s to skip, "
                "%(failed)s failed."
            )
        else:
            summary = _("Added %(added)s, skipped %(skipped)s, failed %(failed)s.")
        self.stdout.write(summary % counts)
        if result.failed:
            raise SystemExit(1)
