"""Versioned schema migrations, kept in ``PRAGMA user_version``.

Each migration is plain SQL frozen at the version it shipped in, so a
database made by any released studyplan can be brought forward step by step.
``store.schema`` holds the same tables as SQLModel classes; a test checks
that a migrated database matches them.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: decks, cards with their SM-2 state, the review log, imported deck folders.
    """
    CREATE TABLE deck (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        source_path TEXT NOT NULL,
        bundled INTEGER NOT NULL DEFAULT 0,
        file_mtime_ns INTEGER NOT NULL DEFAULT 0,
        file_size INTEGER NOT NULL DEFAULT 0,
        content_hash TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE card (
        id INTEGER PRIMARY KEY,
        deck_id INTEGER NOT NULL REFERENCES deck(id),
        key TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'basic',
        front TEXT NOT NULL,
        back TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0,
        line INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1,
        repetitions INTEGER NOT NULL DEFAULT 0,
        ef_permille INTEGER NOT NULL DEFAULT 2500,
        interval INTEGER NOT NULL DEFAULT 0,
        due TEXT,
        lapses INTEGER NOT NULL DEFAULT 0,
        UNIQUE (deck_id, key)
    );
    CREATE INDEX card_due ON card (active, due);
    CREATE INDEX card_deck_due ON card (deck_id, active, due);
    CREATE TABLE card_tag (
        card_id INTEGER NOT NULL REFERENCES card(id),
        tag TEXT NOT NULL,
        PRIMARY KEY (tag, card_id)
    ) WITHOUT ROWID;
    CREATE TABLE review (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES card(id),
        answered_at TEXT NOT NULL,
        zone TEXT NOT NULL,
        study_day TEXT NOT NULL,
        grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
        is_drill INTEGER NOT NULL,
        days_late INTEGER NOT NULL DEFAULT 0,
        took_ms INTEGER NOT NULL DEFAULT 0,
        before_repetitions INTEGER NOT NULL,
        before_ef_permille INTEGER NOT NULL,
        before_interval INTEGER NOT NULL,
        before_due TEXT,
        before_lapses INTEGER NOT NULL,
        after_repetitions INTEGER NOT NULL,
        after_ef_permille INTEGER NOT NULL,
        after_interval INTEGER NOT NULL,
        after_due TEXT,
        after_lapses INTEGER NOT NULL
    );
    CREATE INDEX review_day ON review (study_day);
    CREATE TABLE source (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL
    );
    CREATE INDEX review_card_day ON review (card_id, study_day);
    """,
    # 2: study plans: enrolments, completed blocks and topics.
    """
    CREATE TABLE enrolment (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL UNIQUE,
        start TEXT NOT NULL,
        starting_point TEXT NOT NULL,
        weekly_minutes TEXT NOT NULL,
        share REAL NOT NULL DEFAULT 1.0,
        enrolled_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE study_block (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        topic_id TEXT NOT NULL,
        minutes INTEGER NOT NULL CHECK (minutes > 0),
        study_day TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        zone TEXT NOT NULL
    );
    CREATE INDEX study_block_topic ON study_block (plan_id, topic_id);
    CREATE INDEX study_block_day ON study_block (study_day);
    CREATE TABLE topic_done (
        plan_id TEXT NOT NULL,
        topic_id TEXT NOT NULL,
        study_day TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (plan_id, topic_id)
    );
    """,
    # 3: streaks: the cards due when a study day was first seen, closed days'
    # answer counts (so a prompt never rescans the whole log), spent freezes.
    """
    CREATE TABLE day_due (
        study_day TEXT PRIMARY KEY,
        due INTEGER NOT NULL CHECK (due >= 0),
        noted_at TEXT NOT NULL
    );
    CREATE TABLE day_total (
        study_day TEXT PRIMARY KEY,
        answers INTEGER NOT NULL,
        reviews INTEGER NOT NULL,
        due_reviewed INTEGER NOT NULL
    );
    CREATE TABLE streak_freeze (
        study_day TEXT PRIMARY KEY,
        spent_at TEXT NOT NULL
    );
    """,
    # 4: the learner's hand on the collection: suspended, buried, flagged and leech
    # cards, each change logged for undo; practice and imported answers marked in the
    # log; saved searches; extra new cards for one day; an index that keeps the
    # new-card queue a handful of short index walks, one per deck; and one that finds
    # the newest answer by its moment (stored with its zone's offset), not its row id.
    """
    ALTER TABLE card ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE card ADD COLUMN buried_until TEXT;
    ALTER TABLE card ADD COLUMN flag INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE card ADD COLUMN leech INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE review ADD COLUMN practice INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE review ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX card_new ON card (deck_id, position) WHERE due IS NULL AND active = 1;
    CREATE INDEX review_moment ON review (julianday(answered_at));
    CREATE TABLE card_action (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES card(id),
        action TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        done_at TEXT NOT NULL,
        study_day TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX card_action_card ON card_action (card_id);
    CREATE TABLE saved_search (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE extra_new (
        study_day TEXT NOT NULL,
        deck_key TEXT NOT NULL,
        extra INTEGER NOT NULL CHECK (extra > 0),
        PRIMARY KEY (study_day, deck_key)
    );
    """,
    # 5: plans that follow real life: the target and pace choices of an enrolment, time
    # logged (timer, after the fact) told apart from blocks done as planned, time off, a
    # running timer, the learner's choices (for undo), imported plan files, the calendar
    # events already exported (for SEQUENCE and cancellations), reviews spread after time off.
    """
    ALTER TABLE enrolment ADD COLUMN target_days INTEGER;
    ALTER TABLE enrolment ADD COLUMN use_pace INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE study_block ADD COLUMN kind TEXT NOT NULL DEFAULT 'block'
        CHECK (kind IN ('block', 'timer', 'log'));
    CREATE TABLE time_off (
        id INTEGER PRIMARY KEY,
        first_day TEXT NOT NULL,
        last_day TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL,
        CHECK (last_day >= first_day)
    );
    CREATE TABLE plan_timer (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        plan_id TEXT NOT NULL,
        topic_id TEXT NOT NULL,
        running_since TEXT,
        banked_seconds INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE plan_change (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        made_at TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        undone_at TEXT
    );
    CREATE TABLE plan_source (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        plan_id TEXT NOT NULL UNIQUE,
        content TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE TABLE calendar_event (
        uid TEXT PRIMARY KEY,
        day TEXT NOT NULL,
        sequence INTEGER NOT NULL DEFAULT 0,
        fingerprint TEXT NOT NULL,
        body TEXT NOT NULL,
        cancelled INTEGER NOT NULL DEFAULT 0,
        stamp TEXT NOT NULL
    );
    CREATE TABLE review_spread (
        id INTEGER PRIMARY KEY,
        batch INTEGER NOT NULL,
        card_id INTEGER NOT NULL REFERENCES card(id),
        old_due TEXT NOT NULL,
        new_due TEXT NOT NULL
    );
    CREATE INDEX review_spread_batch ON review_spread (batch);
    """,
    # 6: the card browser: each card's front and back folded for search (case and
    # accents dropped; NULL until computed, as SQL alone cannot fold), and the learner's
    # card actions grouped, so one undo takes back a change made to many cards at once.
    """
    ALTER TABLE card ADD COLUMN search TEXT;
    ALTER TABLE card_action ADD COLUMN batch INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX card_action_batch ON card_action (batch);
    """,
    # 7: sync through a shared folder: this machine's id and event counter, every event
    # known here (made here or merged from another machine) with the row it stands for,
    # events waiting for a card whose deck has not arrived, how far each machine's file
    # has been read, and each time a topic was marked finished or not (the latest wins).
    """
    CREATE TABLE sync_machine (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        machine TEXT NOT NULL,
        seq INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE sync_event (
        event_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        origin TEXT NOT NULL,
        local_id INTEGER,
        target TEXT,
        body TEXT NOT NULL,
        applied INTEGER NOT NULL DEFAULT 1,
        written INTEGER NOT NULL DEFAULT 1,
        undone INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sync_event_local ON sync_event (kind, local_id);
    CREATE INDEX sync_event_target ON sync_event (target);
    CREATE TABLE sync_peer (
        file TEXT PRIMARY KEY,
        offset INTEGER NOT NULL,
        line INTEGER NOT NULL
    );
    CREATE TABLE topic_mark (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        topic_id TEXT NOT NULL,
        done INTEGER NOT NULL,
        at TEXT NOT NULL,
        study_day TEXT NOT NULL
    );
    """,
    # 8: FSRS as an opt-in scheduler. SM-2 keeps its own due day (sm2_due), never written by
    # FSRS; each card's FSRS state is cached beside it (derived from the log, so it can be
    # replayed at any time); card.due becomes the day the queue uses, the active scheduler's.
    # scheduler_state says which scheduler card.due follows, at which retention, and
    # whether the FSRS states have been replayed from the log yet (after this upgrade).
    """
    ALTER TABLE card ADD COLUMN sm2_due TEXT;
    UPDATE card SET sm2_due = due;
    ALTER TABLE card ADD COLUMN fsrs_stability REAL;
    ALTER TABLE card ADD COLUMN fsrs_difficulty REAL;
    ALTER TABLE card ADD COLUMN fsrs_last_review TEXT;
    ALTER TABLE card ADD COLUMN fsrs_due TEXT;
    ALTER TABLE card ADD COLUMN fsrs_reviews INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE scheduler_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        active TEXT NOT NULL DEFAULT 'sm2' CHECK (active IN ('sm2', 'fsrs')),
        desired_retention REAL NOT NULL DEFAULT 0.9,
        fsrs_replayed INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO scheduler_state (id) VALUES (1);
    """,
    # 9: a trigram index over each card's folded text, so the browser's free words are
    # found without reading every card (an instr() scan of 100,000 cards is 50-100 ms;
    # this answers a selective word in about a millisecond). Its content is card.search
    # itself (nothing stored twice); the triggers keep it in step with every write.
    """
    CREATE VIRTUAL TABLE card_text USING fts5(
        search, content = 'card', content_rowid = 'id', tokenize = 'trigram'
    );
    INSERT INTO card_text (card_text) VALUES ('rebuild');
    CREATE TRIGGER card_text_insert AFTER INSERT ON card WHEN new.search IS NOT NULL BEGIN
        INSERT INTO card_text (rowid, search) VALUES (new.id, new.search);
    END;
    CREATE TRIGGER card_text_delete AFTER DELETE ON card WHEN old.search IS NOT NULL BEGIN
        INSERT INTO card_text (card_text, rowid, search) VALUES ('delete', old.id, old.search);
    END;
    CREATE TRIGGER card_text_update AFTER UPDATE OF search ON card
    WHEN old.search IS NOT new.search BEGIN
        INSERT INTO card_text (card_text, rowid, search)
            SELECT 'delete', old.id, old.search WHERE old.search IS NOT NULL;
        INSERT INTO card_text (rowid, search)
            SELECT new.id, new.search WHERE new.search IS NOT NULL;
    END;
    """,
    # 10: each card's last study day answered, for the browser's "answered" column and
    # its sort (a correlated MAX over the log per card cost 0.3-0.4 s at 100,000 cards
    # and 1,000,000 answers on every search sorted by it). It is the log's own maximum:
    # the triggers keep it in step with every write of the review table, in the same
    # statement, so no writer (answer, undo, import, sync) can forget it.
    # card_search_missing: the browser asks on opening whether any card's text is not
    # folded yet; without it the question read every card (30 ms at 100,000 cards).
    # card_deck_order: sorted by deck, each card's deck, place and due day are read from
    # it, not from the cards out of place (every card, or -is:new, 0.16-0.18 s -> 12-16 ms).
    """
    CREATE INDEX card_search_missing ON card (id) WHERE search IS NULL;
    CREATE INDEX card_deck_order ON card (deck_id, position, active, due);
    ALTER TABLE card ADD COLUMN last_answered TEXT;
    UPDATE card SET last_answered = (
        SELECT MAX(study_day) FROM review WHERE review.card_id = card.id
    );
    CREATE INDEX card_last_answered ON card (last_answered);
    CREATE TRIGGER card_answered_insert AFTER INSERT ON review BEGIN
        UPDATE card SET last_answered = new.study_day
        WHERE id = new.card_id AND (last_answered IS NULL OR last_answered < new.study_day);
    END;
    CREATE TRIGGER card_answered_delete AFTER DELETE ON review BEGIN
        UPDATE card SET last_answered = (
            SELECT MAX(study_day) FROM review WHERE card_id = old.card_id
        ) WHERE id = old.card_id;
    END;
    CREATE TRIGGER card_answered_update AFTER UPDATE OF card_id, study_day ON review BEGIN
        UPDATE card SET last_answered = (
            SELECT MAX(study_day) FROM review WHERE card_id = card.id
        ) WHERE id IN (old.card_id, new.card_id);
    END;
    """,
    # 11: history imported from Anki ends where the import put each card, and a card
    # the import suspended is logged so, for a sync's replay (``db._migrate`` runs
    # ``import_repo.anchor_imported_history``; no table changes).
    """
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
