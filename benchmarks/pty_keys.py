"""Key -> screen in a real pseudo-terminal: from the key's byte written to the terminal to
the last byte the app writes in answer (the screen settled), as a learner's terminal sees it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time


class Terminal:
    """A program running in a pseudo-terminal of ``cols`` x ``rows``."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int = 100, rows: int = 32):
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program
            os.execvpe(argv[0], argv, {**env, "TERM": "xterm-256color", "COLUMNS": str(cols)})
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.pid, self.fd = pid, fd
        self.seen = b""

    def settle(
        self, quiet: float = 0.25, timeout: float = 30.0, first_wait: float | None = None
    ) -> tuple[float | None, float | None]:
        """Read until nothing comes for ``quiet`` seconds after the first byte (waited for up
        to ``first_wait``, default ``quiet``): the (first byte, last byte) moments."""
        first = last = None
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            wait = quiet if first is not None or first_wait is None else first_wait
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                break
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                break
            now = time.perf_counter()
            first = first or now
            last = now
            self.seen = (self.seen + data)[-200_000:]
        return first, last

    def key(self, key: bytes, quiet: float = 0.12) -> tuple[float, float]:
        """Milliseconds from writing ``key`` to the first and to the last byte of output."""
        t0 = time.perf_counter()
        os.write(self.fd, key)
        first, last = self.settle(quiet, first_wait=30)
        if first is None or last is None:
            import re

            screen = re.sub(rb"\x1b\[[0-9;?]*[a-zA-Z]", b" ", self.seen[-3000:]).decode(
                errors="replace"
            )
            raise RuntimeError(
                f"no output in 30 s after {key!r}; the screen ended: {' '.join(screen.split())[-300:]}"
            )
        return (first - t0) * 1000, (last - t0) * 1000

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def first_frame(
    argv: list[str], env: dict[str, str], marker: bytes, cols: int = 80, rows: int = 24
) -> float:
    """Seconds from spawning ``argv`` in a pseudo-terminal to the first output that holds
    ``marker`` (text of the first screen, written whole within one style run): the
    moment a learner's terminal has it to show."""
    t0 = time.perf_counter()
    term = Terminal(argv, env, cols, rows)
    try:
        deadline = t0 + 60
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([term.fd], [], [], 1.0)
            if not ready:
                continue
            try:
                data = os.read(term.fd, 65536)
            except OSError:
                break
            term.seen = (term.seen + data)[-200_000:]
            if marker in term.seen:
                return time.perf_counter() - t0
        raise RuntimeError(f"{marker!r} never reached the terminal from {argv}")
    finally:
        term.close()


def answer_and_floor(
    app_argv: list[str], bare_argv: list[str], env: dict[str, str], answers: int
) -> dict[str, list[float]]:
    """Answer ``answers`` cards in studyplan's review, alternating each answer with the floor
    key of a bare Textual app that repaints a card-sized area, both in pseudo-terminals."""
    app, bare = Terminal(app_argv, env), Terminal(bare_argv, env)
    out: dict[str, list[float]] = {"answer_last": [], "answer_first": [], "floor_last": []}
    try:
        for term in (app, bare):
            term.settle(quiet=1.0, first_wait=30)
        deadline = time.perf_counter() + 60
        while b"show the answer" not in app.seen and time.perf_counter() < deadline:
            app.settle(quiet=0.5, first_wait=5)  # the first card is on screen
        for i in range(answers):
            app.key(b" ")  # reveal; then the learner reads while the next card renders ahead
            time.sleep(0.15)
            out["floor_last"].append(bare.key(b"x")[1])
            first, last = app.key(b"4" if i % 5 else b"5")
            out["answer_first"].append(first)
            out["answer_last"].append(last)
    finally:
        app.close()
        bare.close()
    return out
