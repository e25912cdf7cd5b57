"""Anki's zip packages (.apkg, .colpkg): which collection they hold, and their media.

Follows Anki's own reader (rslib/src/import_export/package/): a ``meta`` entry
(protobuf ``PackageMetadata``) names the version; without one the package is
legacy, holding ``collection.anki21`` or else ``collection.anki2``. The latest
version holds ``collection.anki21b`` and media compressed with zstd, and lists
its media as a protobuf ``MediaEntries`` (entry *i* is zip member ``"i"``); the
legacy versions list them as JSON ``{"0": "name.png"}``. Newer packages also hold a
placeholder ``collection.anki2`` whose one note asks to update Anki: it is never read
when a newer collection is present.

Nothing is read whole into memory: the collection and each media file are
streamed to disk in chunks, and every size is bounded.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from studyplan.core.errors import SourceError
from studyplan.interop.anki import protobuf

MAX_PACKAGE_BYTES = 256 * 2**20
"""A package larger than this is refused whole: it is not a deck of notes."""
MAX_COLLECTION_BYTES = 512 * 2**20
"""The collection as unpacked (a zip may claim any size: this bounds what is written)."""
MAX_MEDIA_FILE_BYTES = 64 * 2**20
CHUNK = 1 << 16

LEGACY_1, LEGACY_2, LATEST = 1, 2, 3
COLLECTION_NAMES = {
    LEGACY_1: "collection.anki2",
    LEGACY_2: "collection.anki21",
    LATEST: "collection.anki21b",
}


@dataclass
class Package:
    """An open Anki package: its version, its collection's member name and its media."""

    path: Path
    archive: zipfile.ZipFile
    version: int
    media: dict[str, str] = field(default_factory=dict)
    """Media file name -> zip member holding it."""

    @property
    def compressed(self) -> bool:
        """Members of the latest version are zstd frames."""
        return self.version == LATEST

    def fail(self, message: str) -> SourceError:
        return SourceError(self.path, None, message)

    def extract_collection(self, dest: Path) -> None:
        """Unpack the collection to the file ``dest``."""
        self._extract(COLLECTION_NAMES[self.version], dest, MAX_COLLECTION_BYTES, "collection")

    def extract_media(self, name: str, dest: Path) -> None:
        """Unpack media file ``name`` to the file ``dest``."""
        self._extract(self.media[name], dest, MAX_MEDIA_FILE_BYTES, f"media file {name!r}")

    def _extract(self, member: str, dest: Path, limit: int, what: str) -> None:
        try:
            with self.archive.open(member) as raw, dest.open("wb") as out:
                source: IO[bytes] = raw
                if self.compressed:
                    import zstandard

                    source = zstandard.ZstdDecompressor().stream_reader(raw)
                written = 0
                while chunk := source.read(CHUNK):
                    written += len(chunk)
                    if written > limit:
                        raise self.fail(
                            f"its {what} unpacks to more than {limit // 2**20} MB, "
                            "more than studyplan imports"
                        )
                    out.write(chunk)
        except SourceError:
            raise
        except KeyError:
            raise self.fail(f"its {what} is listed but missing from the zip") from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as err:
            # zstandard.ZstdError and zlib.error are ValueError / Exception subclasses;
            # a damaged member (bad CRC, cut short) shows up as one of these.
            raise self.fail(f"its {what} is damaged ({err})") from None
        except Exception as err:
            if type(err).__name__ in ("ZstdError", "error"):
                raise self.fail(f"its {what} is damaged ({err})") from None
            raise

    def close(self) -> None:
        self.archive.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_zip(path: Path) -> bool:
    """True for a file that starts like a zip (what every Anki package is)."""
    try:
        with path.open("rb") as f:
            return f.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
    except OSError:
        return False


def open_package(path: Path) -> Package:
    """Open an Anki package, or raise ``SourceError`` with one sentence saying why not."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise SourceError(path, None, f"cannot be read ({err.strerror or err})") from None
    if size > MAX_PACKAGE_BYTES:
        raise SourceError(
            path,
            None,
            f"the package is {size // 2**20} MB; studyplan imports Anki packages of at most "
            f"{MAX_PACKAGE_BYTES // 2**20} MB (export fewer decks, or without media)",
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError) as err:
        raise SourceError(
            path, None, f"is not a complete Anki package: the zip is damaged or cut short ({err})"
        ) from None
    try:
        return _inspect(path, archive)
    except BaseException:
        archive.close()
        raise


def _inspect(path: Path, archive: zipfile.ZipFile) -> Package:
    infos = {info.filename: info for info in archive.infolist()}
    if any(info.flag_bits & 0x1 for info in infos.values()):
        raise SourceError(
            path,
            None,
            "the package is encrypted (password-protected); export it from Anki again "
            "without a password",
        )
    version = _version(path, archive, infos)
    if COLLECTION_NAMES[version] not in infos:
        if not any(name in infos for name in COLLECTION_NAMES.values()):
            raise SourceError(
                path,
                None,
                "this zip holds no Anki collection (no collection.anki2, collection.anki21 "
                "or collection.anki21b): it is not an Anki package",
            )
        raise SourceError(
            path, None, f"the package says it holds {COLLECTION_NAMES[version]}, but it does not"
        )
    package = Package(path, archive, version)
    package.media = _media(package, infos)
    return package


def _version(path: Path, archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> int:
    if "meta" in infos:
        if infos["meta"].file_size > 4096:
            raise SourceError(path, None, "the package's meta entry is damaged")
        try:
            data = archive.read("meta")
            found = protobuf.first(data, 1, 0)
            version = found if isinstance(found, int) else -1
        except (zipfile.BadZipFile, ValueError, EOFError) as err:
            raise SourceError(path, None, f"the package's meta entry is damaged ({err})") from None
        if version not in COLLECTION_NAMES:
            raise SourceError(
                path,
                None,
                f"the package is of a version studyplan does not know ({version}); in Anki, "
                "export it again with 'Support older Anki versions' ticked",
            )
        return int(version)
    return LEGACY_2 if "collection.anki21" in infos else LEGACY_1


def _media(package: Package, infos: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    if "media" not in infos:
        return {}
    if infos["media"].file_size > 64 * 2**20:
        raise package.fail("its media list is larger than 64 MB, which is not a real media list")
    try:
        data = package.archive.read("media")
        if package.compressed:
            import zstandard

            data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
            entries = [v for n, v in protobuf.fields(data) if n == 1 and isinstance(v, bytes)]
            names = [_text(protobuf.first(e, 1, b"")) for e in entries]
            listed = {name: str(i) for i, name in enumerate(names)}
        else:
            raw = json.loads(data.decode("utf-8") or "{}")
            if not isinstance(raw, dict):
                raise ValueError("the media list is not a JSON object")
            listed = {str(name): str(member) for member, name in raw.items()}
    except SourceError:
        raise
    except Exception as err:  # any damage to the list: zip, zstd, protobuf, JSON, UTF-8
        raise package.fail(f"its media list is damaged ({err})") from None
    return {name: member for name, member in listed.items() if _safe_name(name)}


def _text(value: int | bytes) -> str:
    if not isinstance(value, bytes):
        raise ValueError("a media entry has no name")
    return value.decode("utf-8")


def _safe_name(name: str) -> bool:
    """A plain file name: no folder, no way out of the media folder."""
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\x00")
