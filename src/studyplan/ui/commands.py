"""studyplan's own commands in the command palette (ctrl+p), over live data: a review for
each deck and saved search, the week, enrolling and leaving, exports, time off, a backup,
the browser and settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from studyplan.ui.app import StudyplanApp

Command = tuple[str, Callable[[], object], str]


class StudyplanCommands(Provider):
    """Commands that do things in studyplan, fuzzy-matched as Textual's own are."""

    @property
    def studyplan(self) -> StudyplanApp:
        return self.app  # type: ignore[return-value]

    def commands(self) -> list[Command]:
        """Every command, read from the database as it is now."""
        app = self.studyplan
        out: list[Command] = [
            ("Review all decks", partial(_review, app, None), "Today's due and new cards"),
            ("Browse cards", app.action_browse, "Every card: search, suspend, flag, edit"),
            ("Open this week's plan", app.action_plan, "The week, day by day"),
            ("Enrol in a plan", partial(_on_plan, app, "enrol"), "Follow a roadmap, or change it"),
            ("Take time off", partial(_on_plan, app, "time_off"), "Days with no study"),
            ("Log study time", partial(_on_plan, app, "timer"), "A timer on this week's topic (s)"),
            ("Export this week to a calendar file", partial(_export, app, False), "An .ics file"),
            (
                "Export the whole plan to a calendar file",
                partial(_export, app, True),
                "An .ics file",
            ),
            (
                "Import an Anki package or deck file…",
                partial(_import, app),
                "An .apkg, .colpkg or Anki text export, with its history; or a markdown deck",
            ),
            ("Back up now", partial(_backup, app), "A copy of the database in backups/"),
            ("Sync now", app.sync_now, "With your other machines, through the sync folder"),
            ("Statistics", app.action_stats, "Streak, heatmap, forecast, retention"),
            ("Settings", app.action_settings, "Limits, rollover, zone, theme, leeches"),
            ("More new cards today", partial(app.more_new_cards, None), "Once, all decks"),
        ]
        for deck in app.service.deck_summaries():
            out.append(
                (
                    f"Review deck: {deck.name}",
                    partial(_review, app, deck),
                    f"{deck.due} due, {deck.new} new",
                )
            )
        from studyplan.browser import Browser

        for name, query in Browser(app.service).saved():
            out.append((f"Search: {name}", partial(app.action_browse, query), query))
            out.append((f"Practise: {name}", partial(_practise, app, query), query))
        for enrolment in app.planner.repo.enrolments():
            plan_id = enrolment.plan_id
            out.append(
                (f"Leave plan: {plan_id}", partial(_leave, app, plan_id), "Progress is kept")
            )
        return out

    async def discover(self) -> Hits:
        for name, callback, help_text in self.commands()[:12]:
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def _review(app: StudyplanApp, deck) -> None:
    app.show_home()
    app.start_review(deck)


def _practise(app: StudyplanApp, query: str) -> None:
    from studyplan.browser import Browser
    from studyplan.ui.browser import start_practice

    start_practice(app, Browser(app.service).search(query), query)


def _on_plan(app: StudyplanApp, action: str) -> None:
    from studyplan.ui.plan import PlanScreen

    if not isinstance(app.screen, PlanScreen):
        app.action_plan()
    app.call_after_refresh(lambda: app.screen.run_action(action))


def _export(app: StudyplanApp, whole: bool) -> None:
    from studyplan import paths

    folder = paths.data_directory()
    path = folder / ("studyplan-plan.ics" if whole else "studyplan-week.ics")
    try:
        if whole:
            report = app.planner.calendar.export(path, time(18, 0))
            app.notify(f"Wrote {report.events} events over {report.weeks} weeks to {path}.")
            return
        from studyplan.files import write_file
        from studyplan.interop.ical import week_ics

        week = app.planner.week()
        if week is None:
            app.notify("No plan to export: enrol first (p, then e).", severity="warning")
            return
        write_file(path, week_ics(week, app.planner.plans, app.service.zone, time(18, 0)))
        app.notify(f"Wrote this week to {path}.")
    except (OSError, ValueError) as err:
        app.notify(f"The calendar was not written: {err}", severity="error")


def _import(app: StudyplanApp) -> None:
    from pathlib import Path

    from studyplan.ui.browser import NameScreen

    def chosen(typed: str | None) -> None:
        if typed:
            app.import_file(Path(typed))

    app.push_screen(
        NameScreen(
            "Import which file? An Anki .apkg, .colpkg or text export, or a deck .md or folder",
            placeholder="~/Downloads/Collection.colpkg",
        ),
        chosen,
    )


def _backup(app: StudyplanApp) -> None:
    try:
        app.notify(f"Backed up to {app.service.backup_now()}.")
    except Exception as err:
        app.notify(f"The backup failed: {err}", severity="error")


def _leave(app: StudyplanApp, plan_id: str) -> None:
    app.planner.leave(plan_id)
    app.notify(f"Left {plan_id}; your progress is kept for when you enrol again.")
    app.show_home()
