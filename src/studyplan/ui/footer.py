"""The footer every studyplan screen shows: Textual's, rebuilt less often."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class AppFooter(Footer):
    """Textual's footer, rebuilt once per frame and only while its screen shows.

    Textual rebuilds the whole footer (a widget per key, each styled: 10-25 ms) every
    time its screen's bindings change, including while another screen covers it (a
    screen pushed over home rebuilt home's footer too) and once per change when several
    come in one frame (a screen opening moves the focus and refreshes its bindings).
    Here a change while the screen is covered waits until it shows again, and the
    changes of one frame make one rebuild.
    """

    _rebuild_pending = False
    _stale = False

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not (self.is_attached and screen is self.screen) or not screen.app.app_focus:
            return  # as Textual's own: no rebuild while the terminal has no focus
        if self.app.screen is not screen:
            self._stale = True
            return
        self._schedule_rebuild()

    def _screen_changed(self, screen: Screen) -> None:
        if self._stale and self.is_attached and screen is self.screen:
            self._schedule_rebuild()

    def _schedule_rebuild(self) -> None:
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        self._stale = False
        await self.recompose()
