"""The sent-journal of a delivering worker: what the mail server accepted, written down at once
in a file, and recorded in the database in bulk.

Recording every accepted message with its own database commit cost more than sending it. A
worker instead appends a line to its journal as soon as the server accepts a message (one
`write` to a file opened for appending: once it returns, the line is the operating system's
and outlives the worker), and records the lines in the database every FLUSH_EVERY messages
or FLUSH_SECONDS, at the end of every chunk and when it stops; then it empties the journal.

A worker holds an exclusive lock on its journal while it runs, and the operating system lets go
of it when the worker dies, however it dies. Before claiming messages, every worker looks for
journals whose lock it can take: those are left by dead workers, and their lines are recorded
before anything is taken over. So a worker killed at any moment leaves, as before, at most the
message it was sending unrecorded, which is sent again.

The journals live under DATA_DIR, so the guarantee holds for the workers of one machine (or of
machines sharing DATA_DIR). A crash of the machine itself can lose the last lines written (as
it can lose the last commits of a database that does not wait for the disk); their messages
are then sent again after OUTBOX_CLAIM_TIMEOUT_SECONDS.
"""

import fcntl
import logging
import os
import socket
import time
import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger("kotoverkko.mailing")

FLUSH_EVERY = 200
FLUSH_SECONDS = 0.25
_UPDATE_CHUNK = 500


def journal_dir() -> Path:
    return Path(settings.DATA_DIR) / "outbox-journal"


class SentJournal:
    """One worker's journal, open and locked from `open()` to `close()`."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.fd: int | None = None
        self.pending: list[tuple[int, datetime]] = []
        self.first_pending_at = 0.0

    def open(self) -> None:
        if self.fd is not None:
            return
        directory = journal_dir()
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        # Locked under a name the recovery does not look at, then renamed: no other worker
        # can take a journal for a dead one's before its lock is held.
        draft = directory / f"{name}.new"
        self.fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.path = directory / f"{name}.log"
        os.rename(draft, self.path)

    def record(self, message_id: int, sent_at: datetime) -> None:
        """Write down an accepted message; recorded in the database by the next flush."""
        self.open()
        os.write(self.fd, f"{message_id} {sent_at.isoformat()}\n".encode())
        if not self.pending:
            self.first_pending_at = time.monotonic()
        self.pending.append((message_id, sent_at))
        if (
            len(self.pending) >= FLUSH_EVERY
            or time.monotonic() - self.first_pending_at >= FLUSH_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        """Record the written-down messages as sent, then empty the journal."""
        if not self.pending:
            return
        record_sent(self.pending)
        self.pending = []
        os.ftruncate(self.fd, 0)

    def close(self) -> None:
        if self.fd is None:
            return
        try:
            self.flush()
        finally:
            os.close(self.fd)
            self.fd = None
            if not self.pending and self.path is not None:
                self.path.unlink(missing_ok=True)


def record_sent(entries: list[tuple[int, datetime]]) -> int:
    """Mark the messages sent, each at the second it was accepted (one UPDATE per second of
    sending); safe to repeat."""
    by_second: dict[datetime, list[int]] = {}
    for pk, moment in entries:
        by_second.setdefault(moment.replace(microsecond=0), []).append(pk)
    updated = 0
    for second, ids in by_second.items():
        for start in range(0, len(ids), _UPDATE_CHUNK):
            updated += OutboxMessage.objects.filter(
                pk__in=ids[start : start + _UPDATE_CHUNK], status=OutboxMessage.Status.SENDING
            ).update(
                status=OutboxMessage.Status.SENT, sent_at=second, last_error="", claimed_at=None
            )
    return updated


def _read(fd: int) -> list[tuple[int, datetime]]:
    entries = []
    with os.fdopen(os.dup(fd), "rb") as handle:
        handle.seek(0)
        for line in handle.read().decode(errors="replace").splitlines():
            number, _space, moment = line.partition(" ")
            try:
                sent_at = datetime.fromisoformat(moment)
                entries.append((int(number), sent_at))
            except ValueError:
                continue  # a line cut short when its worker died: its message is resent
    return [
        (pk, sent_at if sent_at.tzinfo else timezone.make_aware(sent_at)) for pk, sent_at in entries
    ]


def journals_recover(*, own: SentJournal | None = None) -> int:
    """Record the journals of dead workers and remove them; returns how many messages they
    held. A journal whose lock is held belongs to a running worker and is left alone."""
    directory = journal_dir()
    if not directory.is_dir():
        return 0
    recovered = 0
    for path in directory.glob("*.log"):
        if own is not None and path == own.path:
            continue
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            continue  # its worker stopped and removed it meanwhile
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            entries = _read(fd)
            if entries:
                record_sent(entries)
                recovered += len(entries)
                logger.info(
                    "recorded the journal of a stopped worker",
                    extra={"journal": path.name, "messages": len(entries)},
                )
            path.unlink(missing_ok=True)
        finally:
            os.close(fd)
    return recovered
