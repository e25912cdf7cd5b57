"""An Anki collection as studyplan deck files: one markdown file per Anki deck.

Pure: takes what ``collection`` or ``text_export`` read, returns deck texts and
which studyplan card each Anki card became. Each card's id comes from its note's
guid (``anki-`` and the guid's bytes in hex: Anki guids hold characters a card id
may not), so importing the same notes again finds the same cards.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from studyplan.core.cards.deck import ID, Deck, cloze_cards, paragraph_lines, parse_deck
from studyplan.core.cards.deck import Card as DeckCard
from studyplan.core.errors import SourceError
from studyplan.core.text import has_controls
from studyplan.interop.anki.collection import Card, Collection, Note, NoteType
from studyplan.interop.anki.convert import Converted, field_to_markdown

CLOZE_HEADING = "Fill in the blank"
_FIELD_REF = re.compile(r"\{\{([^#^/!{}][^{}]*)\}\}")
_CLOZE = re.compile(r"\{\{c(\d+)::")
# A first line that reads as a heading: not a list, code, quote, table or display formula.
_SIMPLE_HEADING = re.compile(r"^(?!\$\$)[^\s`|>\-+*\d\\!\[][^\n]*$")


def note_id(guid: str) -> str:
    """The studyplan card id of an Anki note."""
    return "anki-" + guid.encode("utf-8").hex()


def guid_of(card_key: str) -> str | None:
    """The Anki guid a card id was made from, if it was (for export back to Anki)."""
    found = re.fullmatch(r"anki-([0-9a-f]+)(?:-\d+)?(?:#c\d+)?", card_key)
    if not found or len(found.group(1)) % 2:
        return None
    try:
        return bytes.fromhex(found.group(1)).decode("utf-8")
    except UnicodeDecodeError:
        return None


def deck_slug(name: str) -> str:
    """A file name (without .md) for an Anki deck: lower case, words joined by hyphens."""
    slug = re.sub(r"[^\w]+", "-", name.replace("::", "-").lower(), flags=re.UNICODE).strip("-_")
    return slug[:80] or "deck"


def tag_of(anki_tag: str) -> str:
    """An Anki tag as a studyplan tag (lower-case words joined by hyphens), or ''."""
    return re.sub(r"[^a-z0-9]+", "-", anki_tag.lower()).strip("-")


@dataclass
class DeckDraft:
    """One deck file to write."""

    anki_name: str
    key: str
    file_name: str
    sections: list[tuple[str, str, tuple]] = field(default_factory=list)
    """(card id of the section, its markdown, what it was made of: ``("basic", heading,
    text under it, back, tags)`` or ``("cloze", text, tags)``)."""

    def head(self) -> str:
        name = self.anki_name.replace("::", " · ")
        return (
            "+++\n"
            f"id = {json.dumps(self.key, ensure_ascii=False)}\n"
            f"name = {json.dumps(name, ensure_ascii=False)}\n"
            'description = "Imported from Anki"\n'
            "+++\n"
        )

    def text(self) -> str:
        return self.head() + "".join(f"\n{section}\n" for _, section, _ in self.sections)

    def deck(self, path: str) -> Deck | None:
        """What ``parse_deck(self.text(), path)`` gives, made from the notes' parts without
        reading the text back, when every section is plain paragraphs (as most imported
        notes are); None otherwise, or when the text would not parse (a test holds the
        two to the same cards)."""
        head = self.head()
        try:
            deck = parse_deck(head, path)
        except SourceError:
            return None
        cards: list[DeckCard] = []
        seen: set[str] = set()
        line = head.count("\n") + 2  # the first heading's, after a blank line
        for key, section, parts in self.sections:
            made = _plain_cards(key, parts, line, path)
            if made is None:
                return None
            for card in made:
                if card.key in seen:
                    return None
                seen.add(card.key)
                cards.append(card)
            line += section.count("\n") + 2
        return replace(deck, cards=tuple(cards))


@dataclass
class Drafts:
    """Everything a collection becomes, before anything is written."""

    decks: dict[str, DeckDraft] = field(default_factory=dict)
    cards: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Anki card id -> (deck key, studyplan card id)."""
    notes: int = 0
    images: set[str] = field(default_factory=set)
    sounds: int = 0
    skipped: list[str] = field(default_factory=list)


def draft_decks(col: Collection) -> Drafts:
    """Turn every note of ``col`` into sections of deck files."""
    drafts = Drafts()
    cards_of: dict[int, list[Card]] = {}
    converted_of: dict[str, Converted] = {}  # the same HTML in many notes is converted once
    for card in col.cards:
        cards_of.setdefault(card.note_id, []).append(card)
    for note in col.notes:
        notetype = col.notetypes.get(note.notetype_id)
        cards = cards_of.get(note.id, [])
        if notetype is None:
            drafts.skipped.append(f"note {note.guid!r}: its note type is missing from the package")
            continue
        if not cards:
            continue
        if notetype.is_image_occlusion:
            drafts.skipped.append(
                f"note {note.guid!r}: image occlusion is not imported (studyplan cannot "
                "draw the masks over the image)"
            )
            continue
        converted = []
        for value in note.fields:
            found = converted_of.get(value)
            if found is None:
                found = converted_of[value] = field_to_markdown(value)
            converted.append(found)
            drafts.sounds += found.sounds
        if notetype.cloze:
            made = _cloze_sections(drafts, col, note, notetype, cards, converted)
        else:
            made = _card_sections(drafts, col, note, notetype, cards, converted)
        if made:
            drafts.notes += 1
            for c in converted:
                if c.images:
                    drafts.images |= c.images
    return drafts


def _deck(drafts: Drafts, col: Collection, card: Card) -> DeckDraft:
    name = col.decks.get(card.deck_id, "Default")
    found = drafts.decks.get(name)
    if found is None:
        slug = deck_slug(name)
        taken = {d.file_name for d in drafts.decks.values()}
        file_name, n = f"{slug}.md", 2
        while file_name in taken:
            file_name, n = f"{slug}-{n}.md", n + 1
        found = drafts.decks[name] = DeckDraft(name, "anki-" + file_name[:-3], file_name)
    return found


def _section(key: str, front: str, back: str, tags: tuple[str, ...]) -> tuple[str, str, tuple]:
    first, _, rest = front.partition("\n")
    if _SIMPLE_HEADING.match(first) and "{#" not in first and "{{c" not in first:
        heading, extra = first.rstrip("\\ "), rest.strip()
    else:
        heading, extra = "Question", front
    lines = [f"## {heading} {{#{key}}}"]
    ours = tuple(t for t in dict.fromkeys(tag_of(t) for t in tags) if t)
    if ours:
        lines.append("tags: " + ", ".join(ours))
    if extra:
        lines += ["", extra]
    back = back if back.strip() else "(empty)"
    lines += ["", "---", "", back]
    return key, "\n".join(lines), ("basic", heading, extra, back, ours)


def _plain_cards(key: str, parts: tuple, line: int, path: str) -> list[DeckCard] | None:
    """The cards ``parse_deck`` reads from a section (heading at ``line``) made of
    ``parts``, when its text is plain paragraphs; None when it is not."""
    if parts[0] == "basic":
        _, heading, extra, back, tags = parts
        if (
            not heading
            or heading != heading.strip()
            or "{{c" in heading
            or not ID.fullmatch(key)
            or "{{c" in back
            or has_controls(heading)
            or not paragraph_lines(f"{extra}\n{back}")
        ):
            return None
        extra = extra.strip()
        front = f"{heading}\n\n{extra}" if extra else heading
        return [DeckCard(key=key, front=front, back=back.strip(), tags=tags, line=line)]
    _, text, tags = parts
    if not ID.fullmatch(key) or not paragraph_lines(text):
        return None
    lines = text.split("\n")
    first = next((i for i, one in enumerate(lines) if one.strip()), None)
    if first is None:
        return None
    body_line = line + 2 + bool(tags) + first  # heading, tags, a blank line, the text
    body = "\n".join(lines[first:]).rstrip("\n")
    try:
        return cloze_cards(key, CLOZE_HEADING, body, tags, line, body_line, path)
    except SourceError:
        return None


def _referenced(template: str, names: tuple[str, ...]) -> list[int]:
    """The fields a card template shows, in field order."""
    wanted = set()
    for found in _FIELD_REF.finditer(template):
        name = found.group(1).split(":")[-1].strip()
        if name in names:
            wanted.add(names.index(name))
    return sorted(wanted)


def _card_sections(
    drafts: Drafts,
    col: Collection,
    note: Note,
    notetype: NoteType,
    cards: list[Card],
    fields: list[Converted],
) -> bool:
    made = False
    names = notetype.fields
    for card in cards:
        key = note_id(note.guid) + (f"-{card.ord + 1}" if card.ord else "")
        if notetype.is_basic and len(fields) >= 2:
            front_fields = [1 if card.ord == 1 else 0]
            back_fields = [0 if card.ord == 1 else 1]
            labelled = False
        else:
            template = notetype.templates[card.ord] if card.ord < len(notetype.templates) else None
            front_fields = (
                _referenced(template.front, names) if template and card.ord else []
            ) or [0]
            front_fields = [i for i in front_fields if i < len(fields)]
            back_fields = [i for i in range(len(fields)) if i not in front_fields]
            labelled = True
        front = "\n\n".join(fields[i].text for i in front_fields if fields[i].text)
        if not front:
            drafts.skipped.append(f"note {note.guid!r}: card {card.ord + 1} has an empty front")
            continue
        parts = []
        for i in back_fields:
            if i >= len(fields) or not fields[i].text:
                continue
            label = names[i] if labelled and i < len(names) else None
            parts.append(f"**{label}:** {fields[i].text}" if label else fields[i].text)
        deck = _deck(drafts, col, card)
        deck.sections.append(_section(key, front, "\n\n".join(parts), note.tags))
        drafts.cards[card.id] = (deck.key, key)
        made = True
    return made


def _cloze_sections(
    drafts: Drafts,
    col: Collection,
    note: Note,
    notetype: NoteType,
    cards: list[Card],
    fields: list[Converted],
) -> bool:
    text = fields[0].text if fields else ""
    numbers = sorted({int(n) for n in _CLOZE.findall(text)})
    if not numbers:
        drafts.skipped.append(f"note {note.guid!r}: a cloze note with no {{{{c1::...}}}} in it")
        return False
    # studyplan numbers clozes from 1 without gaps; Anki allows c1, c3: renumber.
    renumber = {old: new for new, old in enumerate(numbers, start=1)}
    text = _CLOZE.sub(lambda m: f"{{{{c{renumber[int(m.group(1))]}::", text)
    extra = "\n\n".join(f.text for f in fields[1:] if f.text)
    key = note_id(note.guid)
    body = text + (f"\n\n{extra}" if extra else "")
    deck = _deck(drafts, col, cards[0])
    lines = [f"## {CLOZE_HEADING} {{#{key}}}"]
    ours = tuple(t for t in dict.fromkeys(tag_of(t) for t in note.tags) if t)
    if ours:
        lines.append("tags: " + ", ".join(ours))
    deck.sections.append((key, "\n".join([*lines, "", body]), ("cloze", body, ours)))
    for card in cards:
        number = renumber.get(card.ord + 1)
        if number is None:
            continue  # a card whose cloze was deleted from the text: Anki shows it empty
        drafts.cards[card.id] = (deck.key, f"{key}#c{number}")
    return True
