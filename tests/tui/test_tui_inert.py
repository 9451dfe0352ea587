"""In the app, bytes from files are inert too: escapes show as `\\x1b`, never reach the terminal;
a theme Textual's CSS cannot read and a remap onto a reserved key are refused with a notice."""

from __future__ import annotations

from pathlib import Path

from rich.segment import Segment
from textual.color import Color

from coach.config import settings
from coach.io.paths import user_themes_dir
from coach.tui.inert import InertFilter
from coach.tui.screens.briefing import BriefingScreen
from tui_helpers import QUIET, app_for, screen_text, settle

ESCAPES = Path(__file__).resolve().parent.parent / "data" / "hostile" / "escapes.toml"


async def test_a_briefing_with_a_clear_screen_sequence_shows_the_visible_escape() -> None:
    app = app_for(ESCAPES, seed=1)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        text = screen_text(app)
        assert "Briefing \\x1b[2J\\x1b]52;c;cHduZWQ=\\x07\\x9b31m" in text
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text


async def test_every_line_the_app_draws_passes_the_inert_filter() -> None:
    app = app_for(ESCAPES, seed=1)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert any(isinstance(f, InertFilter) for f in app.get_line_filters())
        await pilot.press("enter")  # into play: titles, choices, dashboard labels from the file
        await settle(pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "\x9b" not in text
        # The long hostile label wraps onto a second line at its spaces, escapes and all.
        for shown in ("Scene one \\x1b[2J", "Good choice \\x1b[2J", "Quality", "\\x1b[2J\\x1b]52;c;cHduZWQ=", "Scene text \\x1b[2J"):
            assert shown in text, shown


def test_the_filter_removes_controls_without_moving_anything() -> None:
    segments = [Segment("ab\x1b[2Jc"), Segment("\x9bd\x07")]
    out = InertFilter().apply(segments, Color(0, 0, 0))
    assert [s.text for s in out] == ["ab[2Jc", "d"]
    plain = [Segment("plain")]
    assert InertFilter().apply(plain, Color(0, 0, 0)) is plain


async def test_a_theme_variable_that_is_not_css_is_refused_and_a_built_in_theme_used() -> None:
    folder = user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "sparkly.toml").write_text(
        'name = "sparkly"\nprimary = "#ffffff"\n[variables]\n"block-cursor-text-style" = "sparkly; color: red"\n', "utf-8")
    (folder / "odd.toml").write_text('name = "odd"\nprimary = "#ffffff"\n[variables]\n"x;y" = "#ffffff"\n', "utf-8")
    settings.save(settings.Settings(theme="sparkly"))
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("sparkly.toml:4: `block-cursor-text-style` is not a text style" in m for m in messages), messages
        assert any("odd.toml:4:" in m and "not a theme variable name" in m for m in messages), messages
        assert app.is_running and app.theme == "coach-night"


async def test_a_remap_onto_a_reserved_choice_key_is_refused_with_a_notice() -> None:
    settings.save(settings.Settings(keymap={"app.quit": "1", "briefing.mode": "x"}))
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert any("'app.quit' cannot use '1' (play.choice-1)" in n.message for n in app._notifications)
        await pilot.press("enter")  # into play; 1 chooses, it does not quit
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert app.is_running


def test_check_keymap_keeps_a_bindings_own_key_and_refuses_others() -> None:
    known = {"app.quit", "play.choice-1", "play.leave"}
    kept, notices = settings.check_keymap({"play.choice-1": "1", "play.leave": "escape,q", "app.quit": "ctrl+q,enter"}, known)
    assert kept == {"play.choice-1": "1", "play.leave": "escape,q"}
    assert len(notices) == 1 and "'enter' (play.continue)" in notices[0]


def test_a_settings_file_that_is_a_fifo_gives_the_defaults_at_once(tmp_path: Path) -> None:
    import os

    path = tmp_path / "settings.toml"
    os.mkfifo(path)
    loaded, problem = settings.load(path)
    assert loaded == settings.Settings() and problem is not None and "regular file" in problem
