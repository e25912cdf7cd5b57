"""Writing a file a learner asked for (a calendar, a markdown plan): whole or not at all.

The data is written beside the target and then renamed over it, so a crash
never leaves half a file; a failure is one sentence naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path


class WriteError(OSError):
    """A file could not be written; ``str()`` says why in one sentence."""


def write_file(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` atomically, or raise ``WriteError``."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path).expanduser()
    if path.is_dir():
        raise WriteError(f"{path}: is a folder; give a file name, like {path / 'plan.ics'}")
    if not path.parent.is_dir():
        raise WriteError(f"{path}: the folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as err:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise WriteError(f"{path}: cannot be written ({err.strerror or err})") from None
