"""Load the demo networks, organisations, people and logins (idempotent)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotoverkko.network.demo import database_has_networks, demo_load

LABELS = {
    "networks": gettext_lazy("networks and teams"),
    "organisations": gettext_lazy("organisations"),
    "people": gettext_lazy("people"),
    "memberships": gettext_lazy("memberships"),
    "logins": gettext_lazy("demo logins"),
    "join requests": gettext_lazy("join requests"),
    "host rotations": gettext_lazy("host rotations"),
    "events": gettext_lazy("events"),
    "event series": gettext_lazy("event series"),
    "agenda items": gettext_lazy("agenda items"),
    "registrations": gettext_lazy("registrations"),
    "minutes": gettext_lazy("minutes"),
    "invitations": gettext_lazy("invitations"),
    "mailing lists": gettext_lazy("mailing lists"),
    "subscribers": gettext_lazy("subscribers"),
    "subscriptions": gettext_lazy("subscriptions"),
    "consent records": gettext_lazy("consent records"),
    "news items": gettext_lazy("news items"),
    "bulletin issues": gettext_lazy("bulletin issues"),
    "unsubscribed": gettext_lazy("unsubscribed"),
    "left every list": gettext_lazy("left every list"),
    "suppressed after bounces": gettext_lazy("suppressed after bounces"),
    "documents": gettext_lazy("library documents"),
    "offerings": gettext_lazy("tray offerings"),
    "wishes": gettext_lazy("tray wishes"),
    "wish answers": gettext_lazy("answers to wishes"),
    "workshops": gettext_lazy("Starttipaja workshops"),
    "workshop invitations": gettext_lazy("workshop invitations"),
    "follow-up actions": gettext_lazy("follow-up actions"),
    "expectations": gettext_lazy("tray expectations"),
}


class Command(BaseCommand):
    help = (
        "Load the demo data: Lapland's MAKO and Ostrobothnia's POMAKO networks with their "
        "organisations, people, join requests and one login per role, their meetings since "
        "2017 with agendas, registrations and minutes, upcoming events relative to today, and "
        "their mailing lists, news and monthly bulletins; then it rebuilds the search index. "
        "Running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database has no networks yet.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and database_has_networks():
            self.stdout.write(_("The database already has networks; the demo data was not loaded."))
            return
        started = time.monotonic()
        summary = demo_load()
        if not summary.created:
            self.stdout.write(_("The demo data was already loaded; nothing was added."))
            return
        # The loaders write in bulk, past the signals that keep the search index current.
        call_command("reindex", verbosity=0)
        self.stdout.write(
            _("Demo data loaded in %(seconds).1f s.") % {"seconds": time.monotonic() - started}
        )
        for key, count in summary.created.items():
            self.stdout.write(f"  {LABELS.get(key, key)}: {count}")
