"""The stats screen's memory sections, worked out in a process of their own.

They walk the whole review log (20-40 s at 5,000,000 answers). In a thread of the
app, the walk and the screen take turns at Python's one lock, and the screen stalled
20-65 ms dozens of times while it ran; in a process of its own it runs on another
core and the screen never waits for it.

The child is ``python -m studyplan.memory_process`` on the same database, settings and
moment; it writes each result as it is ready, one pickled ``(kind, value)`` a message
(length first), and waits for the app to take each before it goes on, so that it
never runs ahead of what the screen can show and stops where it is when the app stops
reading. Kinds: ``memory`` (``Progress.memory_today``), ``cost``
(``Progress.switching_cost``), ``part`` (the verdict so far), ``models`` (the
comparison), ``error`` (one sentence). The pickles come only from a child this module
started, over its own pipe.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyplan.service import Studyplan

KINDS = ("memory", "cost", "part", "models", "error")
_TAKEN = b"."


def start(service: Studyplan, part: int | None = None) -> subprocess.Popen[bytes]:
    """The child working out ``service``'s memory sections at its clock's moment now;
    ``part``: answers per part of the comparison (``memory_models.PART`` when None)."""
    argv = [
        sys.executable,
        "-m",
        "studyplan.memory_process",
        str(service.db_path),
        str(service.config_path),
        service.clock().isoformat(),
        str(service.bundled_decks),
        str(part or 0),
    ]
    return subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )


def messages(child: subprocess.Popen[bytes]) -> Iterator[tuple[str, Any]]:
    """Each ``(kind, value)`` the child writes, in order, each taken (``take``) before
    the next is read; ends when the child ends or is stopped."""
    assert child.stdout is not None
    while True:
        head = _read(child.stdout, 4)
        if head is None:
            return
        body = _read(child.stdout, int.from_bytes(head, "big"))
        if body is None:
            return
        kind, value = pickle.loads(body)
        if kind not in KINDS:
            return
        yield kind, value


def take(child: subprocess.Popen[bytes]) -> None:
    """Let the child go on past the message just read."""
    try:
        assert child.stdin is not None
        child.stdin.write(_TAKEN)
        child.stdin.flush()
    except (BrokenPipeError, OSError):
        pass  # it has ended or been stopped: nothing waits for the word


def stop(child: subprocess.Popen[bytes]) -> None:
    """End the child now, whatever it is doing, and close its pipes."""
    if child.poll() is None:
        child.kill()
    child.wait()
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass


def _read(stream: IO[bytes], size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def main(argv: list[str]) -> int:
    """The child: work out each section, write it, wait for the app to take it."""
    from pathlib import Path

    from studyplan.progress import Progress
    from studyplan.service import Studyplan
    from studyplan.store.errors import DatabaseError

    db, config, moment, bundled, part = argv
    now = datetime.fromisoformat(moment)
    out, back = sys.stdout.buffer, sys.stdin.buffer

    def send(kind: str, value: object) -> None:
        body = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
        out.write(len(body).to_bytes(4, "big") + body)
        out.flush()
        if back.read(1) != _TAKEN:
            raise SystemExit(0)  # the app stopped reading: stop here

    try:
        if int(part):
            from studyplan.core import memory_models

            memory_models.PART = int(part)
        service = Studyplan(
            Path(db), Path(config), clock=lambda: now, bundled_decks=Path(bundled),
            reading_only=True,
        )  # fmt: skip
        try:
            progress = Progress(service)
            send("memory", progress.memory_today())
            # The cost first: it is quick, and the comparison walks the whole review log.
            send("cost", progress.switching_cost())
            send("models", progress.model_comparison(on_part=lambda so_far: send("part", so_far)))
        finally:
            service.close()
    except (BrokenPipeError, KeyboardInterrupt):
        return 0
    except DatabaseError as err:  # already one sentence naming the file
        return _say(send, str(err))
    except Exception as err:  # anything else, said on the screen, in one sentence
        return _say(send, f"{type(err).__name__}: {err}")
    return 0


def _say(send: Callable[[str, object], None], sentence: str) -> int:
    try:
        send("error", sentence)
    except (BrokenPipeError, SystemExit):
        pass
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
