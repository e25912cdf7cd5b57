"""The Textual application; ``build_app`` is the one way to make it."""

from __future__ import annotations

import gc
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from studyplan.core.errors import SourceError
from studyplan.core.text import visible
from studyplan.service import Studyplan
from studyplan.settings import DEFAULT_THEME
from studyplan.store.card_repo import DeckSummary
from studyplan.store.errors import DatabaseError
from studyplan.ui.base import NARROW
from studyplan.ui.cardview import CardRenderer

if TYPE_CHECKING:
    from datetime import date

    from studyplan.planning import Planner
    from studyplan.progress import Progress
    from studyplan.review import Summary
    from studyplan.store.deck_sync import SyncReport


def _commands():
    """studyplan's own palette commands (imported when the palette first opens)."""
    from studyplan.ui.commands import StudyplanCommands

    return StudyplanCommands


class StudyplanApp(App[None]):
    """Flashcards, plans and streaks for self-taught ML engineers."""

    TITLE = "studyplan"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    COMMANDS = App.COMMANDS | {_commands}
    BINDINGS = [
        Binding("f1,question_mark", "toggle_help", "Keys", id="app.help"),
    ]
    # Every screen gets one class of each pair, kept up to date on resize: app.tcss
    # uses -narrow and -short to drop decoration on small terminals.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-cramped"), (80, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-medium"), (30, "-tall")]

    def __init__(
        self,
        service: Studyplan,
        *,
        start: str = "home",
        deck: str | None = None,
        query: str | None = None,
    ) -> None:
        super().__init__()
        self.start_query = query
        self.keymap_applied: dict[str, str] = {}
        self.graphics: str | None = None
        """"sixel" or "tgp" when the terminal draws card images (``ui.images.detect_graphics``,
        asked before the app starts); None: cards name their images as text."""
        self.service = service
        self.start = start
        self.start_deck = deck
        self._previewing = False
        self.sync_errors: list[str] = []
        self.last_summary: tuple[Summary, bool] | None = None
        """The last review session's summary, to read again from home (l)."""
        self.synced = False
        self.renderer = CardRenderer()
        self._planner: Planner | None = None
        self._progress: Progress | None = None
        self._review_opened = False
        self._start_up_started = False

    @property
    def progress(self) -> Progress:
        """Streaks and statistics over the app's connection (imported on first use: a
        review that starts alone shows its first card without them)."""
        if self._progress is None:
            from studyplan.progress import Progress

            self._progress = Progress(self.service)
        return self._progress

    @property
    def planner(self) -> Planner:
        """Study plans over the same database (the plan modules are imported on first use)."""
        if self._planner is None:
            from studyplan.planning import Planner

            self._planner = Planner(self.service)
        return self._planner

    def apply_keymap(self) -> None:
        """The learner's ``[keymap]``, minus what cannot be applied (named in a notice)."""
        from studyplan.ui.keymap import check_keymap

        valid, problems = check_keymap(self.service.settings.keymap)
        self.keymap_applied = valid
        self.set_keymap(valid)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.notify(
                f"config.toml [keymap]: {problems[0]}{more}; the default keys are used there.",
                severity="warning",
                timeout=12,
            )

    def load_own_themes(self) -> None:
        """Register the learner's theme files (themes/ beside config.toml)."""
        from studyplan.ui.themes import load_themes, theme_folder

        themes, problems = load_themes(theme_folder(self.service.config_path))
        for theme in themes:
            self.register_theme(theme)
        for problem in problems[:3]:
            self.notify(f"{problem}; that theme was skipped.", severity="warning", timeout=12)

    def follows_a_plan(self) -> bool:
        """True when the learner is enrolled in a plan (read without the plan modules)."""
        from studyplan.store.progress_repo import ProgressRepository

        return bool(ProgressRepository(self.service.conn).weekly_minutes())

    def on_mount(self) -> None:
        self.apply_keymap()
        self.load_own_themes()
        wanted = self.service.settings.theme
        if wanted in self.available_themes:
            self.preview_theme(wanted)
        else:  # a theme this Textual no longer has, or a typo in config.toml
            self.notify(
                f"There is no theme {wanted!r}; using {DEFAULT_THEME}. Pick one in settings (s).",
                severity="warning",
                timeout=10,
            )
        if self.start == "home":
            from studyplan.ui.home import HomeScreen

            self.push_screen(HomeScreen())
        elif not self._decks_changed():
            # Nothing for the sync to bring in: the first card comes before the sync,
            # the day's backup and the streak, which follow in the worker, started once
            # the card is painted (its imports and parsing would hold the interpreter
            # while the card is drawn), or after a second if no card comes.
            self._open_review()
            self.set_timer(1.0, self._run_start_up)
            return
        self._run_start_up()

    def on_unmount(self) -> None:
        gc.unfreeze()  # what start-up made is garbage now, in a process that goes on (tests)

    def _run_start_up(self) -> None:
        if self._start_up_started:
            return
        self._start_up_started = True
        self.call_after_refresh(self.release_collector)
        self.run_worker(self._start_up, thread=True, name="sync", exit_on_error=False)

    @staticmethod
    def release_collector() -> None:
        """Once the first screen is painted: what start-up made (modules, widgets, the
        queue) is frozen out of the garbage collector's walks (given back in
        ``on_unmount``), and collection, which the command line held off for the start,
        runs again. ``_synced`` freezes what the start-up work adds the same way."""
        gc.freeze()
        gc.enable()

    def on_review_screen_card_shown(self, _: object) -> None:
        if not self._start_up_started:  # the first card, painted once this refresh is
            self.call_after_refresh(self._run_start_up)

    def _decks_changed(self) -> bool:
        try:
            return self.service.decks_changed()
        except (OSError, DatabaseError):
            return True  # the sync will say what is wrong

    def _start_up(self) -> None:
        """Off the UI thread, on a connection of its own: the deck files, the day totals,
        then the day's backup (which may take seconds on a large collection and is never
        waited for: answers commit on the app's connection meanwhile)."""
        other = self.service.another()
        try:
            report = other.sync_decks()
            report.errors += self.planner.errors  # parses the plan files here, off the UI thread
            from studyplan.progress import Progress

            progress = Progress(other)
            frozen: frozenset[date] = frozenset()
            if self.start == "review":
                # Home is covered by the review: only the freeze notice needs the streak now.
                progress.note_today()
                frozen = progress.streak().newly_frozen
            else:
                progress.fill_day_totals()  # a cold cache is filled here, not on the UI thread
            warning = progress.clock_warning()
            self.call_from_thread(self._synced, report, warning, frozen)
            try:
                other.daily_backup()
            except (OSError, DatabaseError) as err:  # a missed backup must not stop the decks
                self.call_from_thread(
                    self.notify, f"The daily backup failed: {err}", severity="warning"
                )
        finally:
            other.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "sync" or event.state is not WorkerState.ERROR:
            return
        if self.synced:
            self.notify(f"The start-up work failed: {event.worker.error}", severity="warning")
        else:
            self._synced(None, None, frozenset(), f"deck sync failed: {event.worker.error}")

    def _synced(
        self,
        report: SyncReport | None,
        warning: str | None,
        frozen: frozenset[date],
        failure: str | None = None,
    ) -> None:
        """The decks are in: show what they hold (or open the review that waited for them)."""
        # What start-up made (modules, classes, the first screen) lives as long as the app:
        # out of the collector's sight, a full collection takes milliseconds instead of
        # 35-70 ms, which a key press that met one waited for (the browser's slowest
        # keys). Given back to the collector when the app ends (on_unmount).
        gc.freeze()
        self.synced = True
        if failure is not None:
            self.sync_errors = [failure]
        else:
            self.sync_errors = list(report.errors) if report is not None else []
        if warning:
            self.notify(warning, severity="warning", timeout=20)
        self.sync_now(quiet=True)  # with the other machines, when a sync folder is set
        if self.start == "review":
            self._tell_freezes(frozen)
            if not self._review_opened:
                self._open_review()
            return
        # Counted once here (it spends any freeze due); home's panel reuses the count.
        self.progress.note_today()
        self._tell_freezes(self.progress.streak().newly_frozen)
        from studyplan.ui.home import HomeScreen

        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_decks()

    def _open_review(self) -> None:
        """The review alone: home (its decks, heatmap and streak, a fifth of a start's
        work) is built when the learner goes there (``show_home``)."""
        self._review_opened = True
        if self.start_query is not None:
            from studyplan.browser import Browser, QueryError
            from studyplan.ui.browser import start_practice

            try:
                ids = Browser(self.service).search(self.start_query)
            except QueryError as err:
                self.notify(f"The query cannot be read: {err}.", severity="error")
                return
            start_practice(self, ids, self.start_query)
            return
        deck = None
        if self.start_deck:  # the command line checked it names one deck
            try:
                deck = self.service.find_deck(self.start_deck)
            except LookupError as err:
                self.notify(f"{err}; reviewing all decks.", severity="warning")
        self.start_review(deck)

    def _tell_freezes(self, frozen: frozenset[date]) -> None:
        if frozen:
            days = ", ".join(f"{d:%a} {d.day} {d:%b}" for d in sorted(frozen))
            count = len(frozen)
            self.notify(
                f"{'A freeze' if count == 1 else f'{count} freezes'} covered {days}: "
                "your streak goes on.",
                title="Streak kept",
                timeout=10,
            )

    def preview_theme(self, theme: str) -> None:
        """Show ``theme`` without saving it (the settings screen's preview, start-up)."""
        self._previewing = True
        try:
            self.theme = theme
        finally:
            self._previewing = False

    def watch_theme(self, theme: str) -> None:
        self.renderer.clear()
        if self._previewing or theme == self.service.settings.theme:
            return
        # Picked in the command palette: keep it, as a learner would expect.
        try:
            self.service.change_settings(theme=theme)
        except SourceError as err:
            self.notify(f"The theme was not saved: {err}", severity="warning")

    def heat_shades(self) -> tuple[str, ...]:
        """Five heatmap shades from the theme: the panel colour up to full ``success``."""
        from textual.color import Color

        variables = self.theme_variables
        base = Color.parse(variables.get("panel", "#3a3a3a"))
        top = Color.parse(variables.get("success", "#39d353"))
        return (base.hex, *(base.blend(top, f).hex for f in (0.35, 0.55, 0.78, 1.0)))

    def start_review(self, deck: DeckSummary | None) -> None:
        """Open a review of one deck, or of all decks when ``deck`` is None."""
        from studyplan.ui.review import ReviewScreen

        tags = self.planner.favoured_tags() if self.follows_a_plan() else ()
        session = self.service.start_review(deck.id if deck else None, favoured_tags=tags)
        title = deck.name if deck else "All decks"
        self.push_screen(ReviewScreen(session, self.renderer, title))

    def show_home(self) -> None:
        """Back to the deck list (a home uncovered refreshes itself on resume); after a
        review the app started with, home is built now."""
        from studyplan.ui.home import HomeScreen

        if not any(isinstance(screen, HomeScreen) for screen in self.screen_stack):
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.push_screen(HomeScreen())
            return
        if len(self.screen_stack) <= 2 and isinstance(self.screen, HomeScreen):
            self.screen.refresh_decks()
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_last_session(self) -> None:
        """The summary of the last review session, again."""
        if self.last_summary is None:
            self.notify("No review session yet since studyplan started.", timeout=3)
            return
        from studyplan.ui.summary import SummaryScreen

        self.push_screen(SummaryScreen(*self.last_summary))

    def more_new_cards(self, deck: DeckSummary | None) -> int:
        """Today only: more new cards for ``deck`` (all decks when None); how many more."""
        from studyplan.browser import Browser

        extra = max(5, self.service.settings.new_per_day // 2)
        Browser(self.service).more_new(extra, deck.key if deck else "*")
        where = deck.name if deck else "all decks"
        self.notify(
            f"{extra} more new cards today for {where} (your daily setting is unchanged); "
            "r reviews them.",
            timeout=5,
        )
        return extra

    def sync_now(self, quiet: bool = False) -> None:
        """Sync with the other machines through the sync folder, off the UI thread (on a
        connection of its own, so answers given meanwhile are not held up)."""
        folder = self.service.settings.sync_folder
        if not folder:
            if not quiet:
                self.notify(
                    "No sync folder set: choose one in settings (sync_folder) or run "
                    "studyplan sync DIR.",
                    severity="warning",
                )
            return
        self.run_worker(
            partial(self._sync_devices, Path(folder), quiet),
            thread=True,
            name="device-sync",
            exclusive=True,
            exit_on_error=False,
        )

    def _sync_devices(self, folder: Path, quiet: bool) -> None:
        from studyplan.sync import SyncError, sync_folder

        try:
            report = sync_folder(self.service.db_path, folder)
        except SyncError as err:
            self.call_from_thread(self.notify, f"Sync failed: {err}", severity="error", timeout=10)
            return
        for problem in report.problems[:2]:
            self.call_from_thread(self.notify, problem, severity="warning", timeout=12)
        if report.received or not quiet:
            self.call_from_thread(self.notify, report.sentence(), timeout=5)
        if report.cards:
            self.call_from_thread(self._after_device_sync)

    def import_file(self, path: Path) -> None:
        """Import an Anki file or a deck (palette: "Import an Anki package or deck file…"),
        off the UI thread, on a connection of its own: one transaction, as on the command
        line; then the deck list shows it."""
        self.notify(f"Importing {visible(str(path))}…", timeout=3, markup=False)
        self.run_worker(
            partial(self._import_file, path),
            thread=True,
            name="import",
            exclusive=True,
            exit_on_error=False,
        )

    def _import_file(self, path: Path) -> None:
        from studyplan.anki_import import import_file

        service = self.service
        try:
            own = Studyplan(
                service.db_path,
                service.config_path,
                clock=service.clock,
                bundled_decks=service.bundled_decks,
            )
        except DatabaseError as err:
            self.call_from_thread(
                self.notify, f"{err}.", severity="error", timeout=10, markup=False
            )
            return
        try:
            done, problems = import_file(own, path)
        except (SourceError, DatabaseError) as err:
            done, problems = [], [str(err)]
        finally:
            own.close()
        for problem in problems[:3]:
            self.call_from_thread(
                self.notify,
                visible(problem),
                severity="error",
                title="Not imported",
                timeout=12,
                markup=False,
            )
        if done:
            self.call_from_thread(
                self.notify,
                visible("\n".join(done[:6])),
                title="Imported",
                timeout=12,
                markup=False,
            )
            self.call_from_thread(self._after_device_sync)

    def _after_device_sync(self) -> None:
        from studyplan.ui.home import HomeScreen

        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_decks()

    def action_browse(self, query: str = "") -> None:
        """The card browser."""
        from studyplan.ui.browser import BrowserScreen

        self.push_screen(BrowserScreen(query))

    def action_settings(self) -> None:
        from studyplan.ui.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_stats(self) -> None:
        from studyplan.ui.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_plan(self) -> None:
        from studyplan.ui.plan import PlanScreen

        self.push_screen(PlanScreen(self.planner))

    def action_toggle_help(self) -> None:
        """Show or hide this screen's keys beside it."""
        from studyplan.ui.keys import KeysPanel

        panels = self.screen.query(KeysPanel)
        if panels:
            panels.remove()
        else:
            self.screen.mount(KeysPanel())


def build_app(
    db_path: Path,
    config_path: Path,
    *,
    start: str = "home",
    deck: str | None = None,
    query: str | None = None,
    **kwargs,
) -> StudyplanApp:
    """Open the database and make the app; the command line and the tests both call this."""
    return StudyplanApp(
        Studyplan(db_path, config_path, **kwargs), start=start, deck=deck, query=query
    )
