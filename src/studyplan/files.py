"""The one way studyplan writes a file a command produces (calendar, markdown, settings,
exports): written beside its place and renamed into it, so a failure never leaves half a
file, and said in one sentence naming the file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from studyplan.core.errors import SourceError

_REASONS = {
    errno.ENOENT: "its folder does not exist",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "a part of its path is a file, not a folder",
    errno.EACCES: "permission was denied",
    errno.EPERM: "permission was denied",
    errno.EROFS: "the disk is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.ENAMETOOLONG: "its name is too long",
}


def write_file(path: Path, data: str | bytes, *, make_folder: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all.

    Raises ``SourceError`` ("PATH: cannot be written because ...; nothing was written");
    the file as it was before stays untouched.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_dir():
        raise SourceError(
            path, None, "cannot be written because it is a folder; nothing was written"
        )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        if make_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
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
        reason = _REASONS.get(err.errno or 0, err.strerror or str(err))
        raise SourceError(
            path, None, f"cannot be written because {reason}; nothing was written"
        ) from None
