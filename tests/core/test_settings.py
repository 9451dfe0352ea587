"""The settings file: strict, atomic, and never fatal."""

from __future__ import annotations

import os
from pathlib import Path

from coach.config.settings import DEFAULT_THEME, Settings, load, save


def test_a_missing_file_gives_the_defaults_quietly(tmp_path: Path) -> None:
    settings, problem = load(tmp_path / "settings.toml")
    assert settings == Settings() and problem is None
    assert settings.theme == DEFAULT_THEME and settings.mode == "scenario"


def test_save_then_load_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "settings.toml"
    wanted = Settings(theme="coach-paper", mode="exam", keymap={"play.leave": "ctrl+l"})
    assert save(wanted, path) is None
    assert load(path) == (wanted, None)
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]  # no temporary left behind


def test_defaults_are_not_written(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save(Settings(theme="coach-paper"), path)
    assert path.read_text("utf-8") == 'theme = "coach-paper"\n'


def test_a_broken_file_gives_defaults_and_a_sentence_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    for text, words in (
        ('theme = "coach-paper"\nthem = "x"\n', ":2: unknown key `them`"),
        ('mode = "quiz"\n', ":1: `mode` cannot be 'quiz'"),
        ('keymap = "ctrl+x"\n', ":1: `keymap` must be a table"),
        ("theme = \n", "invalid TOML"),
    ):
        path.write_text(text, "utf-8")
        settings, problem = load(path)
        assert settings == Settings()
        assert problem is not None and str(path) in problem and words in problem, problem
        assert problem.endswith("using the default settings")


def test_start_mode_follows_the_scenario_unless_the_learner_chose() -> None:
    assert Settings().start_mode("exam") == "exam"
    assert Settings(mode="coach").start_mode("exam") == "coach"


def test_saving_into_a_read_only_folder_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        problem = save(Settings(), folder / "settings.toml")
        if os.geteuid() != 0:  # root writes anyway
            assert problem is not None and "could not save settings" in problem
    finally:
        os.chmod(folder, 0o700)


def test_remembering_the_theme_keeps_the_learners_comments_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('# my settings\nmode = "exam"  # interviews\n\n[keymap]\n"play.leave" = "ctrl+l"\n', "utf-8")
    from coach.config.settings import remember

    assert remember(path, theme="coach-paper") is None
    text = path.read_text("utf-8")
    assert "# my settings" in text and "# interviews" in text and '"play.leave" = "ctrl+l"' in text
    settings, problem = load(path)
    assert problem is None
    assert (settings.theme, settings.mode, settings.keymap) == ("coach-paper", "exam", {"play.leave": "ctrl+l"})


def test_a_broken_settings_file_is_never_replaced_by_remembering(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    broken = 'them = "coach-paper"\n[keymap]\n"play.leave" = "ctrl+l"\n'
    path.write_text(broken, "utf-8")
    from coach.config.settings import remember

    problem = remember(path, theme="coach-contrast")
    assert problem is not None and "not remembered" in problem and "them" in problem
    assert path.read_text("utf-8") == broken


def test_remembering_without_a_file_writes_only_what_changed(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.toml"
    from coach.config.settings import remember

    assert remember(path, mode="exam") is None
    assert path.read_text("utf-8").strip() == 'mode = "exam"'
