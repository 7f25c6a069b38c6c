"""A progress bar on stderr for the index's commands."""

import sys
import time

from django.core.management.base import OutputWrapper


class ProgressBar:
    """`label  1,200/5,000 [######..............]  24%`, redrawn in place on a terminal at
    most ten times a second; elsewhere (a log) a line at every tenth of the way."""

    WIDTH = 30

    def __init__(self, label: str, total: int | None, stream=None):
        self.label = label
        self.total = None if total is None else max(total, 0)
        self.done = 0
        self.stream = stream or sys.stderr
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self._drawn_at = 0.0
        self._write = (
            (lambda text: self.stream.write(text, ending=""))
            if isinstance(self.stream, OutputWrapper)
            else self.stream.write
        )
        self._tenth = -1

    def __call__(self, count: int = 1) -> None:
        self.done += count
        if self.interactive:
            now = time.monotonic()
            if now - self._drawn_at >= 0.1 or self.done == self.total:
                self._drawn_at = now
                self._write("\r" + self.line())
                self.stream.flush()
        elif self.total is not None:
            tenth = (10 * self.done // self.total) if self.total else 10
            if tenth != self._tenth:
                self._tenth = tenth
                self._write(self.line() + "\n")

    def line(self) -> str:
        if self.total is None:
            return f"{self.label}  {self.done:,}"
        share = min(1.0, self.done / self.total) if self.total else 1.0
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        return f"{self.label}  {self.done:,}/{self.total:,} [{bar}] {share:4.0%}"

    def finish(self) -> None:
        if self.interactive:
            self._write("\r" + self.line() + "\n")
        elif self.total is None or self._tenth != 10 or not self.total:
            self._write(self.line() + "\n")
        self.stream.flush()
