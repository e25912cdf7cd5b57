"""Anki's formats: packages (.apkg, .colpkg) and text exports in, packages out."""
