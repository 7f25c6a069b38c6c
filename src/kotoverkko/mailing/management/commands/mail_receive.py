"""Take one incoming message from the mail server: a bounce or a mailto unsubscribe."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from kotoverkko.mailing import bounces

# sysexits.h: the mail server keeps the message and tries again later.
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = (
        "Read one message (a bounce, or a reply to a List-Unsubscribe mailto link) from "
        "standard input, as a mail server's pipe delivers it, and act on it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--envelope-to",
            default=None,
            help="The address the message was delivered to (the mail server's $RECIPIENT).",
        )
        parser.add_argument(
            "--file", default=None, help="Read the message from this file instead of stdin."
        )

    def handle(self, *args, envelope_to: str | None, file: str | None, **options):
        if file:
            with open(file, "rb") as handle:
                raw = handle.read(bounces.MAX_MESSAGE_BYTES + 1)
        else:
            raw = sys.stdin.buffer.read(bounces.MAX_MESSAGE_BYTES + 1)
        if len(raw) > bounces.MAX_MESSAGE_BYTES:
            # Accepted and dropped: returning it would only make the server bounce a bounce.
            self.stderr.write("The message is too large to be a bounce; ignored.")
            return
        try:
            result = bounces.mail_inbound(raw, envelope_to=envelope_to)
        except DatabaseError as exc:
            raise CommandError(
                f"Database error, try again later: {exc}", returncode=EX_TEMPFAIL
            ) from exc
        if result.kind == "unsubscribe":
            self.stdout.write("unsubscribed" if result.unsubscribed else "already unsubscribed")
        elif result.kind == "bounce":
            self.stdout.write(
                "; ".join(f"{bounce.kind} bounce: {bounce.email}" for bounce in result.bounces)
            )
        else:
            self.stdout.write("not a bounce; ignored")
