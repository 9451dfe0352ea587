"""The coach app: wires screens, themes, settings, bindings and commands together, nothing more.

Which screen opens, and how screens replace and stack over one another, is the navigator's
(coach/tui/stack.py); the app owns it, and the screens reach it as `self.navigator`.
"""

from __future__ import annotations

import gc
from functools import partial
from typing import TYPE_CHECKING, Iterable

import msgspec
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..config import settings as settings_file
from ..io.paths import builtin_themes_dir, user_themes_dir
from .themes import load_themes
from .inert import InertFilter
from .stack import StackNavigator, StartRequest

if TYPE_CHECKING:
    from pathlib import Path

    from textual.theme import Theme
    from textual.notifications import SeverityLevel

    from ..scenario.loader import LoadResult


def resume_collector() -> None:
    """After the first frame, cyclic collection is back on: it only waited. (Not `gc.freeze()`:
    a third of what the start makes is cyclic garbage, which frozen would never be freed.)"""
    gc.enable()


class CoachApp(App[None]):
    TITLE = "coach"
    # The frame every screen shares; each screen adds its own TCSS when first opened
    # (see screens/base.py: load_styles).
    CSS_PATH = ["app.tcss", "widgets/chrome.tcss"]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        Binding("ctrl+c", "help_quit", show=False, system=True, id="app.help-quit"),
        Binding("question_mark", "keys", "Keys", id="app.keys"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.commands"),
        Binding("ctrl+t", "change_theme", "Theme", show=False, id="app.theme"),
    ]

    def __init__(self, start: StartRequest | None = None) -> None:
        super().__init__()
        self._filters.append(InertFilter())  # no control character from a file reaches the terminal
        self.navigator = StackNavigator(self, start or StartRequest())
        """Implements coach.tui.navigation.Navigator: the one place screens are opened and closed."""
        self.library_choice: str | None = None
        """The path of the scenario last highlighted in the library: a new home screen opens on it."""
        self._messages: list[str] = []
        self.settings, problem = settings_file.load()
        if problem:
            self._messages.append(problem)
        themes, problems = load_themes([builtin_themes_dir(), user_themes_dir()])
        self._messages.extend(problems)
        for theme in themes:
            self.register_theme(theme)
        wanted = self.settings.theme
        if wanted not in self.available_themes:
            self._messages.append(f"theme '{wanted}' was not found; using {settings_file.DEFAULT_THEME}")
            wanted = settings_file.DEFAULT_THEME if settings_file.DEFAULT_THEME in self.available_themes else "textual-dark"
        # Set before the app runs, without the watcher: the stylesheet is first built with this
        # theme, instead of being built for Textual's default and re-parsed at once.
        self.set_reactive(App.theme, wanted)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is plain text: scenario titles, choice reasons, file names and error
        messages reach it, and Textual would parse `[/x]` as markup (a MarkupError) or
        `[@click=app.quit]` as an action. Screens, dialogs and widgets all notify through here
        (Widget.notify calls the app's), so `markup` is ignored; nothing in coach notifies with markup."""
        super().notify(str(message), title=title, severity=severity, timeout=timeout, markup=False)

    # --- start-up -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        for message in self._messages:
            self.notify(message, title="Settings and themes", severity="warning", timeout=12)
        self._apply_keymap(self.settings.keymap)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if not gc.isenabled():  # paused by the launcher for the start
            self.navigator.after_first_frame(resume_collector)
        self.navigator.start()  # the first screen: chosen there, from the StartRequest, and nowhere else

    def get_default_screen(self) -> Screen:
        return self.navigator.first_screen() or super().get_default_screen()

    def on_ready(self) -> None:
        self.navigator.started()  # the next refresh is the first the terminal shows

    def _apply_keymap(self, keymap: dict[str, str]) -> None:
        if not keymap:
            return
        kept, notices = settings_file.check_keymap(keymap, binding_ids())
        for notice in notices:
            self.notify(notice, title="Settings", severity="warning", timeout=12, markup=False)
        self.set_keymap(kept)

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name == self.settings.theme:
            return
        self.settings = msgspec.structs.replace(self.settings, theme=theme.name)
        problem = settings_file.remember(theme=theme.name)
        if problem:
            self.notify(problem, severity="error")

    # --- actions -----------------------------------------------------------------------------------
    def action_keys(self) -> None:
        self.navigator.toggle_keys()

    async def action_quit(self) -> None:
        confirm = getattr(self.screen, "confirm_quit", None)
        if confirm is not None:
            confirm()
        else:
            self.exit()

    def set_default_mode(self, mode: str) -> None:
        self.settings = msgspec.structs.replace(self.settings, mode=mode)
        problem = settings_file.remember(mode=mode)
        if problem:
            self.notify(problem, severity="error")
        else:
            words = {"scenario": "each scenario's own mode", "coach": "coach mode", "exam": "exam mode"}[mode]
            self.notify(f"Scenarios will now start in {words}.")

    # --- the command palette knows every command ---------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.system or not binding.description or binding.action in ("command_palette", "change_theme"):
                continue
            if not (binding.id or binding.show):  # a focused widget's own navigation, as in the keys dialog
                continue
            action = binding.action.removeprefix("app.")  # a screen's q runs app.quit, the app's ctrl+q quit: one command
            if not active.enabled or action in seen:
                continue
            seen.add(action)
            key = self.get_key_display(binding)
            yield SystemCommand(binding.description, f"{binding.tooltip or binding.description} ({key})",
                                partial(self.run_action, binding.action, active.node))
        yield from self._library_commands(screen)
        yield SystemCommand("Theme", "Choose the colour theme (remembered between runs)", self.action_change_theme)
        for name in sorted(t for t in self.available_themes if t.startswith("coach-")):
            yield SystemCommand(f"Theme: {name}", "Switch to this theme", partial(setattr, self, "theme", name), discover=False)
        for mode, words in (("scenario", "each scenario's own mode"), ("coach", "coach mode"), ("exam", "exam mode")):
            yield SystemCommand(f"Start scenarios in {words}", "Default mode, remembered between runs",
                                partial(self.set_default_mode, mode), discover=False)
        if "quit" not in seen:
            yield SystemCommand("Quit", "Leave coach (an unfinished scenario stays resumable)", self.action_quit)
        yield SystemCommand("Screenshot", "Save an SVG screenshot of the current screen",
                            lambda: self.set_timer(0.1, self.deliver_screenshot), discover=False)


    def _library_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """From the library, the palette opens any scenario by its title, and the profile: what a
        learner types to get somewhere without arrowing down a list (the profile is there as the
        home screen's `p`). Only on the home screen,
        which already holds the library: elsewhere a scenario would abandon what is on screen."""
        from .screens.home import HomeScreen

        if not isinstance(screen, HomeScreen):
            return
        for entry in screen.entries:
            scenario = entry.result.scenario
            if scenario is not None:
                yield SystemCommand(f"Play: {scenario.title}", f"Open the briefing of {scenario.id}",
                                    partial(self.navigator.open_briefing, entry.result), discover=False)


def binding_ids() -> set[str]:
    """Every binding id the app defines, for checking the keymap in settings.toml.

    Found by importing every screen and widget module rather than listed by hand, so a screen
    added later can never have keys that `?` shows but settings.toml refuses to remap."""
    import importlib
    import inspect
    import pkgutil

    from . import screens, widgets

    modules = [importlib.import_module(f"{package.__name__}.{info.name}")
               for package in (screens, widgets) for info in pkgutil.iter_modules(package.__path__)]
    modules.append(importlib.import_module(f"{__package__}.preview"))
    owners = [CoachApp] + [cls for module in modules for _, cls in inspect.getmembers(module, inspect.isclass)
                           if cls.__module__ == module.__name__]
    return {b.id for owner in owners for b in getattr(owner, "BINDINGS", ()) if isinstance(b, Binding) and b.id}


def make_app(start: LoadResult | str | None = None, *, seed: int | None = None, mode: str | None = None,
             session: Path | None = None, setup: str | None = None) -> CoachApp:
    """The one factory the CLI and the tests use. `start` is a scenario to brief, or the name of a
    screen to open on: "history", or "replay" with `session` (a session file)."""
    if isinstance(start, str):
        return CoachApp(StartRequest(screen=start, session=session))
    if start is None:
        return CoachApp()
    return CoachApp(StartRequest("briefing", start, seed, mode, setup=setup))


def run_app(start: LoadResult | str | None = None, *, seed: int | None = None, mode: str | None = None,
            session: Path | None = None, setup: str | None = None) -> None:
    make_app(start, seed=seed, mode=mode, session=session, setup=setup).run()
