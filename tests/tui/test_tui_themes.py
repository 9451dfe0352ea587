"""Themes from TOML files, the settings file, and how both fail without stopping the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.config import settings
from coach.config.configfile import ConfigError
from coach.io.paths import builtin_themes_dir, settings_path, user_themes_dir
from coach.tui.app import make_app
from coach.tui.themes import load_theme, load_themes
from tui_helpers import QUIET, app_for, screen_text, settle


def test_the_three_built_in_themes_load() -> None:
    themes, problems = load_themes([builtin_themes_dir()])
    assert problems == []
    names = {theme.name for theme in themes}
    assert names == {"coach-night", "coach-paper", "coach-contrast"}
    paper = next(t for t in themes if t.name == "coach-paper")
    assert paper.dark is False


def test_a_theme_read_before_comes_from_the_cache_and_a_changed_file_is_checked_again(tmp_path: Path,
                                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.scenario import cache
    from coach.tui import themes as themes_module

    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\nprimary = "#336699"\n', "utf-8")
    checks: list[Path] = []
    real = themes_module._checked
    monkeypatch.setattr(themes_module, "_checked", lambda text, where: checks.append(where) or real(text, where))
    first, second = load_theme(path), load_theme(path)
    assert checks == [path] and first.primary == second.primary == "#336699"
    [entry] = cache.folder().glob(f"{cache.THEME}*")
    entry.write_bytes(b"not msgpack")
    assert load_theme(path).name == "mine" and len(checks) == 2
    path.write_text('name = "mine"\nprimary = "#336699"\nsurface = "blurple"\n', "utf-8")
    for _ in range(2):  # a bad file is never kept: it says why every time
        with pytest.raises(ConfigError, match="not a colour"):
            load_theme(path)
    assert len(checks) == 4


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('name = "x"\nprimary = "#ffffff"\nsurfce = "#000000"\n', ":3: unknown key `surfce`"),
        ('name = "x"\nprimary = "#ffffff"\nsurface = "blurple"\n', ":3: `surface` is not a colour: 'blurple'"),
        ('name = "x"\nprimary = "#fff"\n[variables]\n"border" = "nope"\n', ":4: `border` is not a colour"),
        ('primary = "#ffffff"\n', "missing required key `name`"),
        ('name = "x"\nprimary = \n', "invalid TOML"),
    ],
)
def test_a_bad_theme_file_says_where_and_what(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as error:
        load_theme(path)
    assert str(path) in str(error.value)
    assert problem in str(error.value)


async def test_a_bad_user_theme_is_reported_and_skipped_and_a_good_one_is_offered() -> None:
    folder = user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text('name = "broken"\nprimary = "#ffffff"\ncolour = "red"\n', "utf-8")
    (folder / "mine.toml").write_text('name = "mine"\nprimary = "#FF00AA"\ndark = true\n', "utf-8")
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("broken.toml:3: unknown key `colour`" in m and "skipped" in m for m in messages)
        assert "mine" in app.available_themes and "broken" not in app.available_themes
        assert app.theme == "coach-night"


async def test_switching_theme_is_remembered_between_runs() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.theme = "coach-contrast"
        await settle(pilot)
    assert settings.load()[0].theme == "coach-contrast"
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == "coach-contrast"
        assert app.current_theme.background == "#000000"


async def test_a_broken_settings_file_is_reported_and_defaults_apply() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "coach-paper"\nmode = "quiz"\n', "utf-8")
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(str(path) in m and ":2:" in m and "using the default settings" in m for m in messages)
        assert app.theme == "coach-night"
        assert "◉ Coach" in screen_text(app)


async def test_settings_choose_the_start_mode_and_remap_keys() -> None:
    settings.save(settings.Settings(mode="exam", keymap={"briefing.mode": "x", "nope.nothing": "z"}))
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "◉ Exam" in screen_text(app)
        assert any("unknown binding id 'nope.nothing'" in n.message for n in app._notifications)
        await pilot.press("x")
        await settle(pilot)
        assert "◉ Coach" in screen_text(app)


async def test_an_unknown_theme_in_settings_falls_back() -> None:
    settings.save(settings.Settings(theme="gone"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == "coach-night"
        assert any("theme 'gone' was not found" in n.message for n in app._notifications)


def test_every_binding_of_every_screen_has_an_id_that_settings_can_remap() -> None:
    import importlib
    import inspect
    import pkgutil

    from textual.binding import Binding

    from coach.tui import screens, widgets
    from coach.tui.app import binding_ids

    missing = []
    for package in (screens, widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__:
                    missing += [f"{cls.__name__}: {b.key}" for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) and not b.id]
    assert missing == []
    assert {"workspace.save", "wizard.create", "replay.try", "play.leave", "preview.close"} <= binding_ids()
