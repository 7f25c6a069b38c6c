"""Print the demo logins that exist in this database, one per role."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotoverkko.network.demo import DEMO_PASSWORD, demo_login_list

# The role labels of network/demo.py, marked here for the catalogues.
ROLE_LABELS = (
    gettext_noop("administrator"),
    gettext_noop("coordinator of Lapland MAKO"),
    gettext_noop("coordinator of POMAKO"),
    gettext_noop("team lead of Koulutuspolut Rovaniemi"),
    gettext_noop("organisation editor"),
    gettext_noop("member"),
)


class Command(BaseCommand):
    help = "Print the demo logins (role, e-mail, password) that exist in the database."

    def handle(self, *args, **options):
        rows = [(_(role), email, DEMO_PASSWORD) for role, email in demo_login_list()]
        if not rows:
            self.stdout.write(_("There are no demo logins in this database."))
            return
        header = (_("role"), _("e-mail"), _("password"))
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
        self.stdout.write(_("Demo logins:"))
        for row in [header, tuple("-" * width for width in widths), *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
