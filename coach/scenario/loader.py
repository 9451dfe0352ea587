"""Read a scenario file and return a validated Scenario, or diagnostics that say what is wrong.

The fast path for a good file is `tomllib` plus one `msgspec.convert` plus the rule checks.
Only when something is wrong does the loader do the slower work: decode piece by piece to
report every structural problem instead of the first, and scan the source for line numbers.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import msgspec

from . import conditions
from .diagnostics import Diagnostic, Pending, did_you_mean, severity_of
from .model import (
    ENUMS,
    FORMAT_VERSION,
    SCORE_MAX,
    SCORE_MIN,
    SETUPS_MAX,
    WEIGHT_MAX,
    WEIGHT_MIN,
    Choice,
    Ending,
    Metric,
    Outcome,
    Route,
    Rubric,
    Scenario,
    Scene,
    Setup,
)
from .prescan import prescan
# Imported from here too: the loader is where callers have always found them.
from .result import MAX_BYTES as MAX_BYTES
from .result import LoadResult as LoadResult
from .result import Loaded as Loaded
from .result import ScenarioNotLoaded as ScenarioNotLoaded
from .result import _Unreadable, read_bounded
from .rubric import builtin_rubric as builtin_rubric
from .tomlpos import Path, locate, parse_path, scan


_TOML_ERROR_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_MSGSPEC_AT = re.compile(r" - at `(\$[^`]*)`$")
_TYPE_WORDS = {
    "object": "a table",
    "array": "an array",
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean (true or false)",
    "null": "nothing",
    "datetime": "a date-time",
    "date": "a date",
    "time": "a time",
}




# --- entry points ----------------------------------------------------------------------------


def load_scenario(
    path: str | FsPath, *, rubric: Rubric | None = None, max_bytes: int = MAX_BYTES
) -> LoadResult:
    """Load and validate one scenario file. Never raises for bad input: it returns diagnostics."""
    shown = str(path)
    try:
        data = read_bounded(path, max_bytes)
    except _Unreadable as problem:
        return _failed(shown, problem.code, problem.message)
    return load_bytes(data, shown, rubric=rubric, max_bytes=max_bytes)


def load_bytes(
    data: bytes, name: str, *, rubric: Rubric | None = None, max_bytes: int = MAX_BYTES
) -> LoadResult:
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > max_bytes:
        return _failed(name, "C002", f"file is {len(data) / 1048576:.1f} MiB; the limit is {max_bytes / 1048576:g} MiB", sha)
    if b"\x00" in data:
        return _failed(name, "C003", "this is a binary file, not a TOML scenario", sha)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        source = data.split(b"\n")[line - 1].decode("utf-8", "replace")
        message = f"byte 0x{data[error.start]:02x} is not valid UTF-8; save the file as UTF-8"
        return _failed(name, "C003", message, sha, line, col, source)
    result = load_text(text.removeprefix("\ufeff"), name, rubric=rubric)
    result.sha256 = sha
    return result


def load_text(text: str, name: str, *, rubric: Rubric | None = None) -> LoadResult:
    rubric = rubric or builtin_rubric()
    refusal = prescan(text)
    if refusal is not None:  # refused before tomllib sees it: it would cost seconds, or raise
        line, col = _line_col(text, refusal.offset)
        return _failed(name, refusal.code, refusal.message, "", line, col, _line(text, line))
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return _toml_error(name, text, str(error))
    except RecursionError:
        line = _deepest_line(text)
        return _failed(name, "C005", "values are nested too deeply to be a scenario", "", line, 1, _line(text, line))
    except ValueError as error:  # e.g. Python's limit on converting long digit strings
        return _failed(name, "C042", f"a value tomllib cannot convert: {error}", "", 1, 1, _line(text, 1))
    result = LoadResult(path=name, scenario=None, text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    if not document:
        result.diagnostics.append(
            Diagnostic(file=name, line=1, col=1, code="C006", severity="error",
                       message="the file has no content; a scenario needs at least format, id, title, scenes and endings",
                       source=_line(text, 1))
        )
        return result

    pending: list[Pending] = []
    version = document.get("format")
    if version != FORMAT_VERSION:
        if version is None:
            pending.append(Pending("C008", "missing `format = 1` (the scenario format version)", (), "table"))
        elif isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            pending.append(Pending("C027", f"format {version} is newer than this coach reads ({FORMAT_VERSION}); upgrade coach", ("format",)))
        else:
            pending.append(Pending("C027", f"format must be {FORMAT_VERSION}, found {version!r}", ("format",)))
        return _finish(result, pending)

    try:
        scenario = msgspec.convert(document, Scenario)
    except msgspec.ValidationError:
        _collect_structure(document, Scenario, (), pending)
        if not pending:  # the piecewise pass found nothing more precise; report msgspec's own
            try:
                msgspec.convert(document, Scenario)
            except msgspec.ValidationError as error:
                pending.append(_translate(error, ()))
        return _finish(result, pending)

    _check_rules(scenario, rubric, pending)
    result.scenario = scenario
    return _finish(result, pending)


# --- structure: decode piece by piece, so every problem is reported with its key ---------------

# For each Struct: the fields whose items are decoded one by one, so errors keep their path.
_PIECES: dict[type[msgspec.Struct], dict[str, tuple[str, Any]]] = {
    Scenario: {
        "scenes": ("list", Scene),
        "endings": ("list", Ending),
        "metrics": ("map", Metric),
        "criteria": ("ints", (WEIGHT_MIN, WEIGHT_MAX, "C024", "weight")),
        "setups": ("list", Setup),
    },
    Setup: {"metrics": ("numbers", "a start value")},
    Scene: {"choices": ("list", Choice), "routes": ("list", Route)},
    Choice: {
        "outcomes": ("list", Outcome),
        "score": ("ints", (SCORE_MIN, SCORE_MAX, "C025", "score")),
        "effects": ("numbers", None),
    },
    Outcome: {"effects": ("numbers", None)},
}
_STRUCT_NAMES: dict[type[msgspec.Struct], str] = {Scenario: "the scenario", Scene: "a scene", Choice: "a choice", Outcome: "an outcome",
                 Route: "a route", Ending: "an ending", Metric: "a metric",
                 Setup: "a setup"}


_MISPLACED: dict[tuple[type[msgspec.Struct], str], str] = {
    (Scenario, "choices"): " (choices belong to a scene: write `[[scenes.choices]]` after its `[[scenes]]`)",
    (Scenario, "outcomes"): " (outcomes belong to a choice: write `[[scenes.choices.outcomes]]` or `outcomes = [...]` in it)",
    (Scenario, "routes"): " (routes belong to a scene: write `[[scenes.routes]]` or `routes = [...]` in it)",
    (Scenario, "scene"): " (did you mean `[[scenes]]`?)",
    (Scenario, "ending"): " (did you mean `[[endings]]`?)",
    (Scene, "outcomes"): " (outcomes belong to a choice: write `[[scenes.choices.outcomes]]` after its `[[scenes.choices]]`)",
}
"""Keys that are right in another table: where they go, instead of a did-you-mean."""


def _collect_structure(value: Any, kind: type[msgspec.Struct], path: Path, out: list[Pending]) -> None:
    if not isinstance(value, dict):
        out.append(Pending("C009", f"expected {_STRUCT_NAMES[kind]} (a table), got {_toml_type(value)}", path))
        return
    reduced = dict(value)
    fields = kind.__struct_fields__
    for key in value:
        if key not in fields:
            hint = _MISPLACED.get((kind, key)) or did_you_mean(key, fields)
            out.append(Pending("C007", f"unknown key `{key}` in {_STRUCT_NAMES[kind]}{hint}", path + (key,), "key"))
            del reduced[key]
    for key, (how, arg) in _PIECES.get(kind, {}).items():
        child = value.get(key)
        if how == "list" and isinstance(child, list):
            for index, item in enumerate(child):
                _collect_structure(item, arg, path + (key, index), out)
            reduced[key] = []
        elif how == "map" and isinstance(child, dict):
            for name, item in child.items():
                _collect_structure(item, arg, path + (key, name), out)
            reduced[key] = {}
        elif how in ("ints", "numbers") and isinstance(child, dict):
            for name, item in child.items():
                _check_map_value(how, arg, name, item, path + (key, name), out)
            reduced[key] = {}
    try:
        msgspec.convert(reduced, kind)
    except msgspec.ValidationError as error:
        out.append(_translate(error, path))


def _check_map_value(how: str, arg: Any, name: str, item: Any, path: Path, out: list[Pending]) -> None:
    if how == "numbers":
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            out.append(Pending("C009", f"`{name}` must be a number ({arg or 'a metric delta'}), got {_toml_type(item)}", path))
        return
    low, high, code, what = arg
    if isinstance(item, bool) or not isinstance(item, int):
        got = f"{item!r}" if isinstance(item, float) else _toml_type(item)
        out.append(Pending("C009", f"`{name}`: expected an integer {low}..{high} (a {what}), got {got}", path))
    elif not low <= item <= high:
        out.append(Pending(code, f"`{name}` is {item}; a {what} must be between {low} and {high}", path))


def _translate(error: msgspec.ValidationError, base: Path) -> Pending:
    """Rewrite msgspec's message in TOML words and turn its `$.a[0].b` into a path."""
    text = str(error)
    match = _MSGSPEC_AT.search(text)
    relative = parse_path(match.group(1)) if match else ()
    message = text[: match.start()] if match else text
    path = base + relative
    key = next((p for p in reversed(path) if isinstance(p, str)), "")

    if m := re.match(r"Object missing required field `(\w+)`", message):
        return Pending("C008", f"missing required key `{m.group(1)}`", path, "table")
    if m := re.match(r"Object contains unknown field `(\w+)`", message):
        return Pending("C007", f"unknown key `{m.group(1)}`", path + (m.group(1),), "key")
    if m := re.match(r"Invalid enum value (.+)", message):
        allowed = ENUMS.get(key, ())
        value = m.group(1).strip("'\"")
        choices = " | ".join(allowed)
        return Pending("C010", f"`{key}` cannot be '{value}'; use {choices}{did_you_mean(value, allowed)}", path)
    if m := re.match(r"Expected `str` matching regex '(.+)'", message):
        return Pending("C028", f"`{key}` must be {_pattern_words(key, m.group(1))}", path)
    if m := re.match(r"Expected `(\w+)` (>=|<=|>|<) (-?[\d.]+)", message):
        return Pending("C010", f"`{key}` must be {_words(m.group(2))} {m.group(3)}", path)
    if m := re.match(r"Expected `([\w |]+)`, got `(\w+)`", message):
        return _wrong_type(m.group(1), m.group(2), key, path)
    return Pending("C009", message[0].lower() + message[1:] if message else "invalid value", path)


def _pattern_words(key: str, pattern: str) -> str:
    """What a string checked by a regex must look like, said without the regex."""
    if key in ("clock_start", "time"):
        return "a time of day HH:MM"
    if key == "currency":
        return "a three-letter ISO 4217 code in capitals, e.g. EUR"
    if key == "set" or "[a-z_]" in pattern:
        return "a name of lowercase letters, digits and underscores"
    return "an id of lowercase letters, digits and hyphens"


def _wrong_type(expected: str, found: str, key: str, path: Path) -> Pending:
    wanted = " or ".join(_TYPE_WORDS.get(t.strip(), t) for t in expected.split("|") if t.strip() != "null")
    got = _TYPE_WORDS.get(found, found)
    hint = ""
    if found == "object" and key in _ARRAY_HEADERS and isinstance(path[-1], str):
        hint = f" (a single `[{_ARRAY_HEADERS[key]}]` header makes one table; write `[[{_ARRAY_HEADERS[key]}]]`)"
    return Pending("C009", f"`{key}` must be {wanted}, got {got}{hint}" if key else f"expected {wanted}, got {got}", path)


_ARRAY_HEADERS = {"scenes": "scenes", "endings": "endings", "choices": "scenes.choices", "routes": "scenes.routes",
                  "outcomes": "scenes.choices.outcomes"}


def _words(op: str) -> str:
    return {">=": "at least", "<=": "at most", ">": "greater than", "<": "less than"}[op]


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


# --- rules beyond types ------------------------------------------------------------------------


def _check_rules(scenario: Scenario, rubric: Rubric, out: list[Pending]) -> None:
    """The rules beyond types, in a fixed order: the order diagnostics are appended is the order
    ties on one line and column keep after `_finish` sorts them."""
    rules = _Rules(scenario, rubric, out, _all_flags(scenario), list(scenario.nodes))
    _check_presence(scenario, out)
    rules.misspelt = _check_criteria(scenario, rubric, out)
    _check_metrics(scenario, rules.flags, out)
    _check_node_ids(scenario, out)
    _check_start(scenario, out)
    _check_numbers(scenario, out)
    _check_route_loops(scenario, out)
    _check_setups(scenario, out)
    for s_index, scene in enumerate(scenario.scenes):
        rules.scene(s_index, scene)

    from .text_checks import check_texts  # placeholders and passages in text (coach.engine.text)

    check_texts(scenario, rules.flags, out)


def _all_flags(scenario: Scenario) -> set[str]:
    """Every flag some choice, arrival or setup sets: a condition may name only these."""
    flags = {flag for scene in scenario.scenes for choice in scene.choices for flag in choice.set}
    flags |= {flag for scene in scenario.scenes if scene.arrive for flag in scene.arrive.set}
    flags |= {flag for setup in scenario.setups for flag in setup.set}  # a setup's flags are set from the start
    return flags


def _check_presence(scenario: Scenario, out: list[Pending]) -> None:
    if not scenario.scenes:
        out.append(Pending("C030", "the scenario has no scenes; add at least one [[scenes]]", (), "table"))
    if not scenario.endings:
        out.append(Pending("C030", "the scenario has no endings; add at least one [[endings]]", (), "table"))


def _check_criteria(scenario: Scenario, rubric: Rubric, out: list[Pending]) -> dict[str, str]:
    """C013 for unknown [criteria] keys. Returns rubric criterion -> the unknown key that is surely
    it: a typo in [criteria] would otherwise bring one C014 for every score that spells it right."""
    misspelt: dict[str, str] = {}
    scored: dict[str, int] = {}
    for scene in scenario.scenes:
        for choice in scene.choices:
            for name in choice.score:
                scored[name] = scored.get(name, 0) + 1
    for name in scenario.criteria:
        if name not in rubric.criteria:
            hint = did_you_mean(name, rubric.criteria)
            meant = hint.split("`")[1] if hint else ""
            uses = scored.get(meant, 0) if meant and meant not in scenario.criteria else 0
            if uses:
                misspelt[meant] = name
                hint += f"; {uses} choice score{'s use' if uses != 1 else ' uses'} `{meant}`"
            out.append(Pending("C013", f"'{name}' is not a rubric criterion{hint}", ("criteria", name), "key"))
    return misspelt


def _check_metrics(scenario: Scenario, flags: set[str], out: list[Pending]) -> None:
    for name, metric in scenario.metrics.items():
        path = ("metrics", name)
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            out.append(Pending("C028", f"metric name '{name}' must be lowercase letters, digits and underscores (it is used in conditions)", path, "key"))
        if metric.min >= metric.max:
            out.append(Pending("C023", f"metric '{name}': min ({metric.min:g}) must be below max ({metric.max:g})", path + ("min",)))
        elif not metric.min <= metric.start <= metric.max:
            out.append(Pending("C023", f"metric '{name}': start {metric.start:g} is outside {metric.min:g}..{metric.max:g}", path + ("start",)))
        if name in flags:
            out.append(Pending("C028", f"'{name}' is both a metric and a flag; rename one", path, "key"))


def _check_node_ids(scenario: Scenario, out: list[Pending]) -> None:
    seen: dict[str, Path] = {}
    nodes: list[tuple[str, int, Scene | Ending]] = [
        *(("scenes", index, scene) for index, scene in enumerate(scenario.scenes)),
        *(("endings", index, ending) for index, ending in enumerate(scenario.endings)),
    ]
    for kind, index, node in nodes:
        if node.id in seen:
            first = "a scene" if seen[node.id][0] == "scenes" else "an ending"
            out.append(Pending("C011", f"id '{node.id}' is already used by {first} (first used at {{first}}); "
                                       "scene and ending ids share one namespace", (kind, index, "id"),
                               first=seen[node.id] + ("id",)))
        else:
            seen[node.id] = (kind, index)


def _check_start(scenario: Scenario, out: list[Pending]) -> None:
    start = scenario.nodes.get(scenario.start)
    if start is None:
        out.append(Pending("C029", f"start scene '{scenario.start}' not found{did_you_mean(scenario.start, [s.id for s in scenario.scenes])}", ("start",)))
    elif isinstance(start, Ending):
        out.append(Pending("C029", f"start '{scenario.start}' is an ending; the start must be a scene", ("start",)))


@dataclass
class _Rules:
    """What the per-scene checks share: the names a scene may refer to, and where problems go."""

    scenario: Scenario
    rubric: Rubric
    out: list[Pending]
    flags: set[str]
    node_ids: list[str]
    misspelt: dict[str, str] = field(default_factory=dict)

    def target(self, goto: str, path: Path, what: str = "goto target") -> None:
        if goto not in self.scenario.nodes:
            self.out.append(Pending("C012", f"{what} '{goto}' not found{did_you_mean(goto, self.node_ids)}", path))

    def condition(self, source: str, path: Path) -> None:
        try:
            node = conditions.parse(source)
        except conditions.ConditionError as error:
            self.out.append(Pending(error.code, f"condition: {error.message}", path, offset=error.offset))
            return
        for ref in conditions.names(node):
            if isinstance(ref, conditions.Metric):
                self._metric_ref(ref, path)
            elif isinstance(ref, conditions.Flag):
                self._flag_ref(ref, path)

    def _metric_ref(self, ref: conditions.Metric, path: Path) -> None:
        metrics = self.scenario.metrics
        if ref.name not in metrics:
            hint = " (it is a flag; use it alone, without a comparison)" if ref.name in self.flags else did_you_mean(ref.name, metrics)
            self.out.append(Pending("C015", f"unknown metric '{ref.name}' in condition{hint}", path, offset=ref.offset))

    def _flag_ref(self, ref: conditions.Flag, path: Path) -> None:
        if ref.name in self.flags:
            return
        if ref.name in self.scenario.metrics:
            self.out.append(Pending("C017", f"'{ref.name}' is a metric; compare it, e.g. `{ref.name} < 0.5`", path, offset=ref.offset))
        else:
            hint = did_you_mean(ref.name, self.flags) or " (a flag exists only if some choice sets it)"
            self.out.append(Pending("C016", f"unknown flag '{ref.name}' in condition{hint}", path, offset=ref.offset))

    def effects(self, values: dict[str, float], path: Path) -> None:
        metrics = self.scenario.metrics
        for name in values:
            if name not in metrics:
                self.out.append(Pending("C015", f"effect on unknown metric '{name}'{did_you_mean(name, metrics)}", path + (name,), "key"))

    def scene(self, s_index: int, scene: Scene) -> None:
        s_path: Path = ("scenes", s_index)
        self._scene_shape(scene, s_path)
        if scene.on_timeout is not None:
            self.target(scene.on_timeout, s_path + ("on_timeout",), "on_timeout target")
        if scene.arrive is not None:
            self.effects(scene.arrive.effects, s_path + ("arrive", "effects"))
        self._routes(scene, s_path)
        choice_ids: dict[str, Path] = {}
        for c_index, choice in enumerate(scene.choices):
            self.choice(scene, choice, s_path + ("choices", c_index), choice_ids)

    def _scene_shape(self, scene: Scene, s_path: Path) -> None:
        if scene.choices and scene.routes:
            self.out.append(Pending("C020", f"scene '{scene.id}' has both choices and routes; use one", s_path + ("routes",), "key"))
        elif not scene.choices and not scene.routes:
            self.out.append(Pending("C020", f"scene '{scene.id}' has neither choices nor routes; the learner would be stuck", s_path, "table"))
        if (scene.time_limit is None) != (scene.on_timeout is None):
            missing = "on_timeout" if scene.on_timeout is None else "time_limit"
            present = "time_limit" if missing == "on_timeout" else "on_timeout"
            self.out.append(Pending("C022", f"scene '{scene.id}' has `{present}` but no `{missing}`", s_path + (present,), "key"))

    def _routes(self, scene: Scene, s_path: Path) -> None:
        for r_index, route in enumerate(scene.routes):
            r_path = s_path + ("routes", r_index)
            self.target(route.goto, r_path + ("goto",), "route target")
            if route.when is not None:
                self.condition(route.when, r_path + ("when",))
            elif r_index < len(scene.routes) - 1:
                self.out.append(Pending("C021", "a route without `when` always matches; the routes after it can never be taken", r_path))
        if scene.routes and scene.routes[-1].when is not None:
            self.out.append(Pending("C021", f"the last route of scene '{scene.id}' needs no `when`, so that some route always matches", s_path + ("routes", len(scene.routes) - 1, "when"), "key"))

    def choice(self, scene: Scene, choice: Choice, c_path: Path, choice_ids: dict[str, Path]) -> None:
        if choice.id is not None:
            if choice.id in choice_ids:
                self.out.append(Pending("C011", f"choice id '{choice.id}' is used twice in scene '{scene.id}' "
                                                "(first used at {first})", c_path + ("id",), first=choice_ids[choice.id]))
            else:
                choice_ids[choice.id] = c_path + ("id",)
        if (choice.goto is None) == (choice.outcomes is None):
            both = "has both `goto` and `outcomes`" if choice.goto else "has neither `goto` nor `outcomes`"
            self.out.append(Pending("C019", f"choice {both}; give exactly one", c_path, "table"))
        if choice.goto is not None:
            self.target(choice.goto, c_path + ("goto",))
        if choice.outcomes is not None:
            self._outcomes(choice.outcomes, c_path)
        self._scores(choice, c_path)
        self.effects(choice.effects, c_path + ("effects",))
        if choice.requires is not None:
            self.condition(choice.requires, c_path + ("requires",))
        reflexes = self.rubric.reflexes
        if choice.reflex is not None and choice.reflex not in reflexes:
            self.out.append(Pending("C026", f"'{choice.reflex}' is not a reflex{did_you_mean(choice.reflex, reflexes)}; use one of {', '.join(reflexes)}", c_path + ("reflex",)))

    def _outcomes(self, outcomes: list[Outcome], c_path: Path) -> None:
        total = 0.0
        for o_index, outcome in enumerate(outcomes):
            o_path = c_path + ("outcomes", o_index)
            self.target(outcome.goto, o_path + ("goto",), "outcome target")
            self.effects(outcome.effects, o_path + ("effects",))
            if not 0 < outcome.chance <= 1:
                self.out.append(Pending("C018", f"chance {outcome.chance:g} must be in (0, 1]", o_path + ("chance",)))
            total += outcome.chance
        if not outcomes:
            self.out.append(Pending("C018", "`outcomes` is empty; give at least one outcome", c_path + ("outcomes",)))
        elif abs(total - 1.0) > 1e-6:
            self.out.append(Pending("C018", f"outcome chances sum to {total:g}; they must sum to 1", c_path + ("outcomes",)))

    def _scores(self, choice: Choice, c_path: Path) -> None:
        criteria = self.rubric.criteria
        for name in choice.score:
            if name in self.scenario.criteria or name in self.misspelt:
                continue
            if name in criteria:
                message = f"'{name}' is a rubric criterion this scenario does not grade; add it to [criteria]"
            else:
                message = f"'{name}' is not a rubric criterion{did_you_mean(name, criteria)}"
            self.out.append(Pending("C014" if name in criteria else "C013", message, c_path + ("score", name), "key"))


NUMBER_LIMIT = 1e12
"""Metric values, bounds and effects beyond this are refused (C044): no dashboard needs them, and
sums of numbers this size stay exact enough to compare."""


def _check_numbers(scenario: Scenario, out: list[Pending]) -> None:
    """Every number a scenario plays with is finite and sane: TOML allows nan and inf."""

    def number(value: float, path: Path, what: str, at: str = "value") -> None:
        if not math.isfinite(value):
            out.append(Pending("C044", f"{what} is {value}; use a finite number", path, at))
        elif abs(value) > NUMBER_LIMIT:
            out.append(Pending("C044", f"{what} is {value:g}; numbers are limited to ±{NUMBER_LIMIT:g}", path, at))

    for name, metric in scenario.metrics.items():
        for key in ("start", "min", "max"):
            number(getattr(metric, key), ("metrics", name, key), f"metric '{name}' {key}")

    def effects(values: dict[str, float], path: Path) -> None:
        for name, value in values.items():
            number(value, path + (name,), f"effect on '{name}'")

    for index, setup in enumerate(scenario.setups):
        for name, value in setup.metrics.items():
            number(value, ("setups", index, "metrics", name), f"setup '{setup.id}' {name}")

    for s_index, scene in enumerate(scenario.scenes):
        for c_index, choice in enumerate(scene.choices):
            c_path: Path = ("scenes", s_index, "choices", c_index)
            effects(choice.effects, c_path + ("effects",))
            for o_index, outcome in enumerate(choice.outcomes or ()):
                o_path = c_path + ("outcomes", o_index)
                if not math.isfinite(outcome.chance):
                    out.append(Pending("C044", f"chance is {outcome.chance}; use a finite number", o_path + ("chance",)))
                effects(outcome.effects, o_path + ("effects",))


def _check_setups(scenario: Scenario, out: list[Pending]) -> None:
    """[[setups]]: 2..16 of them (C093), unique ids (C092), start values of known metrics (C090)
    within each metric's min..max (C091). Non-finite values are C044 (`_check_numbers`)."""
    count = len(scenario.setups)
    if count == 1:
        out.append(Pending("C093", "a single setup is no variation: declare 2 to 16 [[setups]], or none",
                           ("setups", 0), "table"))
    elif count > SETUPS_MAX:
        out.append(Pending("C093", f"{count} setups; a scenario declares at most {SETUPS_MAX} (each one is explored on its own)",
                           ("setups", SETUPS_MAX), "table"))
    seen: dict[str, int] = {}
    for index, setup in enumerate(scenario.setups):
        path: Path = ("setups", index)
        if setup.id in seen:
            out.append(Pending("C092", f"setup id '{setup.id}' is already used (first used at {{first}})",
                               path + ("id",), first=("setups", seen[setup.id], "id")))
        else:
            seen[setup.id] = index
        for name, value in setup.metrics.items():
            metric = scenario.metrics.get(name)
            if metric is None:
                out.append(Pending("C090", f"setup '{setup.id}' sets unknown metric '{name}'{did_you_mean(name, scenario.metrics)}",
                                   path + ("metrics", name), "key"))
            elif math.isfinite(value) and not metric.min <= value <= metric.max:
                out.append(Pending("C091", f"setup '{setup.id}': {name} = {value:g} is outside the metric's range "
                                           f"{metric.min:g}..{metric.max:g}", path + ("metrics", name)))


def _check_route_loops(scenario: Scenario, out: list[Pending]) -> None:
    """Routes are followed without a decision and change nothing, so a cycle of them never ends.

    One iterative depth-first walk over the routing scenes, in file order, with three colours:
    linear in scenes and routes (the old search from every scene was roughly cubic: 2,000
    routes took 50 s). Each back edge closes a loop, reported once at the scene it returns to."""
    routing = {scene.id: scene for scene in scenario.scenes if scene.routes and not scene.choices}
    position = {scene.id: index for index, scene in enumerate(scenario.scenes)}
    colour: dict[str, int] = {}  # absent: not seen; 1: on the current trail; 2: done
    reported: set[str] = set()
    for origin in routing:
        if origin in colour:
            continue
        trail = [origin]
        where = {origin: 0}  # index of each scene on the trail
        colour[origin] = 1
        stack = [iter(routing[origin].routes)]
        while stack:
            route = next(stack[-1], None)
            if route is None:
                stack.pop()
                done = trail.pop()
                del where[done]
                colour[done] = 2
                continue
            target = route.goto
            if target not in routing:
                continue
            state = colour.get(target)
            if state is None:
                colour[target] = 1
                where[target] = len(trail)
                trail.append(target)
                stack.append(iter(routing[target].routes))
            elif state == 1 and target not in reported:
                loop = trail[where[target]:]
                reported.update(loop)
                names = [*loop, target] if len(loop) <= 8 else [*loop[:3], f"… {len(loop) - 5} more …", *loop[-2:], target]
                shown = " -> ".join(names)
                out.append(Pending("C031", f"routes loop with no decision in between ({shown}); the learner would never get out",
                                   ("scenes", position[target], "routes")))


# --- positions and results ------------------------------------------------------------------------


def add_findings(result: LoadResult, pending: list[Pending]) -> LoadResult:
    """Give findings made after loading (the analysis layer's warnings) their line and column.

    The loader knows where every path of the TOML document sits; warnings that need the engine
    are computed above it (coach.analysis) and come back here only to be located.
    """
    return _finish(result, pending)


def _finish(result: LoadResult, pending: list[Pending]) -> LoadResult:
    if pending:
        positions = scan(result.text)
        for item in pending:
            line, col = locate(positions, item.path, at=item.at)
            source_line = positions.line_text(result.text, line)
            if item.offset is not None and item.at == "value":
                if source_line[col - 1:col + 2] in ('"""', "'''"):  # a multi-line text: find the line inside it
                    from .text_checks import position_in_string

                    line, col = position_in_string(positions, result.text, line, col, item.offset)
                    source_line = positions.line_text(result.text, line)
                elif col - 1 < len(source_line) and source_line[col - 1] in "\"'":
                    col += 1 + item.offset
            message, related = item.message, None
            if item.first is not None:
                related = locate(positions, item.first, at=item.at)
                message = message.replace("{first}", f"{related[0]}:{related[1]}")
            result.diagnostics.append(
                Diagnostic(file=result.path, line=line, col=col, code=item.code, severity=severity_of(item.code),
                           message=message, source=source_line, related=related)
            )
        result.diagnostics.sort(key=lambda d: (d.line, d.col, d.code))
    if any(d.is_error for d in result.diagnostics):
        result.scenario = None
    return result


def _failed(name: str, code: str, message: str, sha: str = "", line: int = 1, col: int = 1, source: str = "") -> LoadResult:
    diagnostic = Diagnostic(file=name, line=line, col=col, code=code, severity=severity_of(code), message=message, source=source)
    return LoadResult(path=name, scenario=None, diagnostics=[diagnostic], sha256=sha)


def _toml_error(name: str, text: str, message: str) -> LoadResult:
    match = _TOML_ERROR_AT.search(message)
    line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    reason = _TOML_ERROR_AT.sub("", message).strip().rstrip(".")
    reason = reason[0].lower() + reason[1:] if reason else "invalid TOML"
    if reason == "illegal character '\\n'":
        reason = "a string is not closed before the end of the line"
    if text.lstrip().startswith(("{", "[{", "[\n")) and '":' in text:
        reason += " (this looks like JSON; scenario files are TOML)"
    else:
        from .tomlhints import explain

        hint = explain(text, line, col, reason)
        if hint is not None:
            result = _failed(name, hint.code, hint.message, "", hint.line, hint.col, _line(text, hint.line))
            result.diagnostics[0].related = hint.first
            return result
    return _failed(name, "C004", f"invalid TOML: {reason}", "", line, col, _line(text, line))


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _deepest_line(text: str) -> int:
    """The line where bracket nesting first passes a depth no scenario needs."""
    depth = 0
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > 64:
                return line
        elif char in "]}":
            depth -= 1
    return 1
