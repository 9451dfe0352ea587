"""The cache of validated scenarios: a hit gives what the loader gives without parsing, and the
file always wins (changed bytes, a corrupted entry, another coach version or rubric: a miss)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.scenario import cache, cached, loader
from coach.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "precision-cliff.toml"


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    target = tmp_path / "precision-cliff.toml"
    shutil.copy(SCENARIO, target)
    return target


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names the real loader was asked to parse: empty when the cache answered."""
    calls: list[str] = []
    real = loader.load_bytes

    def counted(data, name, **kwargs):
        calls.append(name)
        return real(data, name, **kwargs)

    monkeypatch.setattr(loader, "load_bytes", counted)
    return calls


def entries() -> list[Path]:
    """The scenarios' entries (the rubric keeps one of its own beside them)."""
    if not cache.folder().is_dir():
        return []
    return sorted(p for p in cache.folder().glob(f"*{cache.SUFFIX}") if not p.name.startswith(cache.RUBRIC))


def test_a_second_load_is_answered_from_the_cache_with_what_the_loader_gives(scenario: Path, loads: list[str]) -> None:
    expected = load_scenario(scenario)
    loads.clear()
    first = cached.load(scenario)
    assert loads == [str(scenario)] and len(entries()) == 1
    second = cached.load(scenario)
    assert loads == [str(scenario)]  # not parsed again
    for result in (first, second):
        assert result.scenario == expected.scenario
        assert (result.path, result.sha256, result.text, result.diagnostics) == \
               (expected.path, expected.sha256, expected.text, expected.diagnostics)
    assert second.scenario.nodes.keys() == expected.scenario.nodes.keys()


def test_changed_bytes_are_a_miss_and_the_file_wins(scenario: Path, loads: list[str]) -> None:
    cached.load(scenario)
    text = scenario.read_text("utf-8")
    scenario.write_text(text.replace('title = "The Precision Cliff"', 'title = "The Precision Cliff, edited"', 1), "utf-8")
    result = cached.load(scenario)
    assert result.scenario is not None and result.scenario.title == "The Precision Cliff, edited"
    assert len(loads) == 2


def test_a_corrupted_entry_is_a_miss_and_is_replaced(scenario: Path, loads: list[str]) -> None:
    good = cached.load(scenario)
    [entry] = entries()
    for garbage in (b"", b"\x00\xff not msgpack", entry.read_bytes()[:40]):
        entry.write_bytes(garbage)
        result = cached.load(scenario)
        assert result.scenario == good.scenario
    assert len(loads) == 4
    assert cached.load(scenario).scenario == good.scenario and len(loads) == 4  # rewritten whole: a hit again


def test_an_entry_that_decodes_to_another_scenario_is_never_trusted(scenario: Path, loads: list[str]) -> None:
    """An entry moved under another entry's name (or a hash clash) holds another key: a miss."""
    other = scenario.with_name("other.toml")
    other.write_text(scenario.read_text("utf-8").replace('id = "precision-cliff"', 'id = "other-cliff"', 1), "utf-8")
    cached.load(scenario)
    [mine] = entries()
    cached.load(other)
    [theirs] = [entry for entry in entries() if entry != mine]
    shutil.copy(theirs, mine)
    assert cached.load(scenario).scenario.id == "precision-cliff"
    assert loads.count(str(scenario)) == 2


def test_another_coach_version_or_rubric_is_a_miss(scenario: Path, loads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    cached.load(scenario)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    cached.load(scenario)
    assert len(loads) == 2
    monkeypatch.setattr(cache, "rubric_hash", lambda: "another rubric")
    cached.load(scenario)
    assert len(loads) == 3


def test_the_same_bytes_elsewhere_name_their_own_file(scenario: Path) -> None:
    (scenario.parent / "copy").mkdir()
    copy = shutil.copy(scenario, scenario.parent / "copy" / scenario.name)
    cached.load(scenario)
    result = cached.load(copy)
    assert result.path == str(copy)
    assert all(d.file == str(copy) for d in result.diagnostics)


def test_a_broken_file_is_not_kept_and_still_says_why(tmp_path: Path, loads: list[str]) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(SCENARIO.read_text("utf-8").replace('start = "', 'start = "nowhere-', 1), "utf-8")
    for _ in range(2):
        result = cached.load(broken)
        assert result.scenario is None and result.errors
    assert entries() == [] and len(loads) == 2
    assert cached.load(tmp_path / "missing.toml").errors[0].code == "C001"


def test_the_cache_stays_within_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    text = SCENARIO.read_text("utf-8")
    for number in range(6):
        path = tmp_path / f"s{number}.toml"
        path.write_text(text + f"\n# version {number}\n", "utf-8")
        cached.load(path)
    assert len(entries()) == 3


def test_an_unwritable_cache_only_means_loading(scenario: Path, loads: list[str]) -> None:
    cache.folder().parent.mkdir(parents=True, exist_ok=True)
    cache.folder().write_text("a file where the folder should be", "utf-8")
    for _ in range(2):
        assert cached.load(scenario).scenario is not None
    assert len(loads) == 2


# --- the top-level keys the library shows while a file loads ---------------------------------

from coach.scenario.header import preview  # noqa: E402


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "scenarios").glob("*.toml") if p.name != "rubric.toml"),
                         ids=lambda p: p.stem)
def test_the_preview_of_every_built_in_agrees_with_the_loaded_scenario(path: Path) -> None:
    scenario = load_scenario(path).scenario
    head = preview(path.read_bytes())
    assert head is not None
    assert (head["id"], head["title"], head["difficulty"], head["minutes"], head["criteria"]) == \
           (scenario.id, scenario.title, scenario.difficulty, scenario.minutes, scenario.criteria)


def test_a_head_that_does_not_read_alone_gives_no_preview() -> None:
    assert preview(b'title = "Unfinished\n') is None
    assert preview(b'id = "x"\n') is None  # no title: nothing to list it by
    assert preview(b'\xef\xbb\xbftitle = "With a BOM"\n[[scenes]]\nid = "a"\n') == {"title": "With a BOM"}
    # A table header inside a multi-line string cuts the head short: no preview, not a wrong one.
    assert preview(b'title = "T"\nbriefing = """\n[not a header]\n"""\n') is None


def test_the_rubric_is_decoded_from_the_cache_and_its_file_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tomllib

    import msgspec

    from coach.scenario import rubric as rubric_module
    from coach.scenario.model import Rubric

    source = ROOT / "scenarios" / "rubric.toml"
    copy = tmp_path / "rubric.toml"
    shutil.copy(source, copy)
    monkeypatch.setattr("coach.io.paths.rubric_path", lambda: copy)
    parses: list[int] = []
    real = tomllib.loads
    monkeypatch.setattr(rubric_module.tomllib, "loads", lambda text: parses.append(1) or real(text))
    expected = msgspec.convert(real(source.read_text("utf-8")), Rubric)
    try:
        for _ in range(2):
            rubric_module.builtin_rubric.cache_clear()
            assert rubric_module.builtin_rubric() == expected
        assert len(parses) == 1  # the second came from the cache
        [entry] = cache.folder().glob(f"{cache.RUBRIC}*")
        entry.write_bytes(b"corrupted")
        rubric_module.builtin_rubric.cache_clear()
        assert rubric_module.builtin_rubric() == expected and len(parses) == 2
        copy.write_text(source.read_text("utf-8").replace('title = "', 'title = "Edited: ', 1), "utf-8")
        rubric_module.builtin_rubric.cache_clear()
        edited = rubric_module.builtin_rubric()
        assert edited != expected and len(parses) == 3
        assert any(c.title.startswith("Edited: ") for c in edited.criteria.values())
    finally:
        rubric_module.builtin_rubric.cache_clear()  # the next test reads the real rubric again
