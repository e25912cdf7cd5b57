"""Just enough protobuf to read what Anki packages store: varints, strings, bytes.

Anki writes a few small messages (package metadata, the media list, note type
and template settings); a decoder of the wire format is 40 lines, where the
protobuf runtime and generated classes would be a dependency of their own.
"""

from __future__ import annotations

from collections.abc import Iterator


class ProtobufError(ValueError):
    """The bytes are not a protobuf message."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ProtobufError("a number runs past the end of the message")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """Each (field number, value) in order: an int for varints and fixed numbers, bytes
    for strings, bytes and nested messages."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, value
        elif wire == 2:
            size, pos = _varint(data, pos)
            if pos + size > len(data):
                raise ProtobufError("a field runs past the end of the message")
            yield number, data[pos : pos + size]
            pos += size
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            if pos + width > len(data):
                raise ProtobufError("a field runs past the end of the message")
            yield number, int.from_bytes(data[pos : pos + width], "little")
            pos += width
        else:
            raise ProtobufError(f"unknown wire type {wire}")


def first(data: bytes, number: int, default: int | bytes) -> int | bytes:
    """The value of field ``number`` (its last occurrence, as protobuf says), or ``default``."""
    found = default
    for field, value in fields(data):
        if field == number:
            found = value
    return found
