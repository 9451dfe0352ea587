"""Where each key and value sits in a TOML source, so a path like `$.scenes[3].goto` gets a line.

tomllib returns plain values with no positions, and msgspec's errors name a path, not a line.
This scanner walks the source once and records, for every key path (with array-of-tables and
inline-array indices resolved), where its key, its value and its table header are. It runs only
after tomllib has accepted the text and only when there is a diagnostic to place, so it can be
forgiving and keeps the fast path (a clean file) free of it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

Path = tuple[str | int, ...]

MAX_DEPTH = 64
"""Arrays and inline tables nested deeper are skipped whole, never recursed into."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\s#]")
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")


@dataclass(slots=True)
class Positions:
    """Offsets into the source of every key, value and table header, by path."""

    keys: dict[Path, int] = field(default_factory=dict)
    values: dict[Path, int] = field(default_factory=dict)
    headers: dict[Path, int] = field(default_factory=dict)
    line_starts: list[int] = field(default_factory=lambda: [0])

    def line_text(self, text: str, line: int) -> str:
        if not 0 < line <= len(self.line_starts):
            return ""
        start = self.line_starts[line - 1]
        end = text.find("\n", start)
        return text[start : end if end >= 0 else len(text)].rstrip("\r")

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1


def parse_path(text: str) -> Path:
    """`$.scenes[3].choices[1].score` -> ('scenes', 3, 'choices', 1, 'score')."""
    parts: list[str | int] = []
    for match in _PATH_PART.finditer(text.removeprefix("$")):
        name, index = match.groups()
        if name is not None:
            parts.append(name)
        elif index != "...":
            parts.append(int(index))
    return tuple(parts)


_BLANK_LINES = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")
_BLANK = re.compile(r"(?:[ \t\r]|#[^\n]*)*")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"?')
_LITERAL = re.compile(r"'[^'\n]*'?")


def _end_of(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where `pattern` stops matching at `pos`; the patterns above match the empty string (or
    are tried on their opening quote), so no match means an empty one."""
    match = pattern.match(text, pos)
    return match.end() if match else pos


class _Scanner:
    def __init__(self, source: str) -> None:
        self.text = source
        self.pos = 0
        starts = [0]
        index = source.find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = source.find("\n", index + 1)
        self.out = Positions(line_starts=starts)
        self.array_tables: dict[Path, int] = {}
        self.table: Path = ()
        self.depth = 0

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def skip_blank(self, newlines: bool) -> None:
        self.pos = _end_of(_BLANK_LINES if newlines else _BLANK, self.text, self.pos)

    # --- grammar -------------------------------------------------------------------------
    def run(self) -> Positions:
        size = len(self.text)
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= size:
                return self.out
            if self.text[self.pos] == "[":
                self.header()
            else:
                before = self.pos
                self.key_value(self.table)
                if self.pos == before:  # not TOML tomllib accepted; never loop on it
                    self.pos += 1

    def header(self) -> None:
        start = self.pos
        is_array = self.peek(2) == "[["
        self.pos += 2 if is_array else 1
        names = self.key_names()
        self.pos += 2 if is_array else 1
        parent = self.resolve(names[:-1])
        full = parent + (names[-1],)
        if is_array:
            index = self.array_tables.get(full, 0)
            self.array_tables[full] = index + 1
            self.out.keys.setdefault(full, start)
            full = full + (index,)
        self.table = full
        self.out.headers[full] = start
        self.out.keys.setdefault(full, start)

    def resolve(self, names: list[str]) -> Path:
        resolved: list[str | int] = []
        for name in names:
            resolved.append(name)
            count = self.array_tables.get(tuple(resolved))
            if count:
                resolved.append(count - 1)
        return tuple(resolved)

    def key_names(self) -> list[str]:
        names: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            names.append(self.one_key())
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return names
            self.pos += 1

    def one_key(self) -> str:
        char = self.peek()
        if char in ("\"", "'"):
            start = self.pos
            self.string()
            raw = self.text[start + 1 : self.pos - 1]
            return raw if char == "'" else raw.encode("utf-8").decode("unicode_escape", "replace")
        match = _BARE_KEY.match(self.text, self.pos)
        if not match:
            return ""
        self.pos = match.end()
        return match.group()

    def key_value(self, table: Path) -> None:
        key_start = self.pos
        names = self.key_names()
        path = table + tuple(names)
        self.out.keys[path] = key_start
        self.skip_blank(newlines=False)
        if self.peek() == "=":
            self.pos += 1
        self.skip_blank(newlines=False)
        self.value(path)

    def value(self, path: Path) -> None:
        self.out.values[path] = self.pos
        char = self.peek()
        if char in ("\"", "'"):
            self.string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            match = _SCALAR_END.search(self.text, self.pos)
            self.pos = match.start() if match else len(self.text)

    def string(self) -> None:
        quote = self.text[self.pos]
        if self.peek(3) == quote * 3:
            search = self.pos + 3
            while True:
                end = self.text.find(quote * 3, search)
                if end < 0:
                    self.pos = len(self.text)
                    return
                backslashes = 0
                while quote == '"' and self.text[end - 1 - backslashes] == "\\":
                    backslashes += 1
                if backslashes % 2 == 0:
                    break
                search = end + 1
            self.pos = end + 3
            while self.peek() == quote:  # up to two quotes may end a multi-line string
                self.pos += 1
            return
        self.pos = _end_of(_BASIC if quote == '"' else _LITERAL, self.text, self.pos)

    def array(self, path: Path) -> None:
        if self.too_deep():
            return
        index = 0

        def item() -> None:
            nonlocal index
            self.value(path + (index,))
            self.out.keys.setdefault(path + (index,), self.out.values[path + (index,)])
            index += 1

        self.sequence("]", item)

    def inline_table(self, path: Path) -> None:
        self.out.headers[path] = self.out.values[path]
        if self.too_deep():
            return
        self.sequence("}", lambda: self.key_value(path))

    def too_deep(self) -> bool:
        """Past MAX_DEPTH, skip the value without recursing: positions inside it are not needed
        (the loader's pre-scan refuses such files; themes and settings may not have had one)."""
        if self.depth < MAX_DEPTH:
            return False
        depth = 0
        size = len(self.text)
        while self.pos < size:
            char = self.text[self.pos]
            if char in "\"'":
                self.string()
                continue
            self.pos += 1
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return True
        return True

    def sequence(self, close: str, item: Callable[[], None]) -> None:
        """Items separated by commas (newlines and comments allowed) up to `close`."""
        self.depth += 1
        try:
            self._sequence(close, item)
        finally:
            self.depth -= 1

    def _sequence(self, close: str, item: Callable[[], None]) -> None:
        self.pos += 1
        size = len(self.text)
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= size or self.text[self.pos] == close:
                self.pos += 1
                return
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            before = self.pos
            item()
            if self.pos == before:  # not TOML that tomllib accepted; never loop on it
                self.pos += 1


def scan(source: str) -> Positions:
    return _Scanner(source).run()


def locate(positions: Positions, path: Path, *, at: str = "value") -> tuple[int, int]:
    """The best line and column for `path`: its value, key or table header, or its nearest parent.

    `at` chooses what to point at: "value" (a wrong value), "key" (an unknown or duplicated key)
    or "table" (a missing key: the header of the table that should hold it).
    """
    tables = (positions.headers, positions.keys, positions.values)
    order = {
        "value": (positions.values, positions.keys, positions.headers),
        "key": (positions.keys, positions.headers, positions.values),
        "table": tables,
    }[at]
    probe = path
    while probe:
        for table in order:
            if probe in table:
                return positions.line_col(table[probe])
        probe = probe[:-1]
        order = tables
    return (1, 1)
