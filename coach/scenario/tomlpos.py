"""Where each key and value sits in a TOML source, so a path like `$.scenes[3].goto` gets a line.

tomllib returns plain values with no positions, and msgspec's errors name a path, not a line.
This scanner walks the source once and records, for every key path (with array-of-tables and
inline-array indices resolved), where its key, its value and its table header are. It runs only
after tomllib has accepted the text and only when there is a diagnostic to place, so it can be
forgiving and keeps the fast path (a clean file) free of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\s#]")
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")


@dataclass(slots=True)
class Positions:
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    headers: dict[Path, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


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


class _Scanner:
    def __init__(self, source: str) -> None:
        self.text = source
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.out = Positions(lines=source.splitlines())
        self.array_tables: dict[Path, int] = {}
        self.table: Path = ()

    # --- low-level movement -------------------------------------------------------------
    def here(self) -> tuple[int, int]:
        return (self.line, self.pos - self.line_start + 1)

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.pos >= len(self.text):
                return
            if self.text[self.pos] == "\n":
                self.line += 1
                self.line_start = self.pos + 1
            self.pos += 1

    def skip_blank(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.advance()
            elif char == "#":
                while self.pos < len(self.text) and self.text[self.pos] != "\n":
                    self.pos += 1
            else:
                return

    # --- grammar -------------------------------------------------------------------------
    def run(self) -> Positions:
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return self.out
            if self.peek() == "[":
                self.header()
            else:
                self.key_value(self.table)

    def header(self) -> None:
        start = self.here()
        is_array = self.peek(2) == "[["
        self.advance(2 if is_array else 1)
        names = self.key_names()
        self.advance(2 if is_array else 1)
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
            self.advance()

    def one_key(self) -> str:
        char = self.peek()
        if char in "\"'":
            start = self.pos
            self.string()
            raw = self.text[start + 1 : self.pos - 1]
            return raw if char == "'" else raw.encode("utf-8").decode("unicode_escape", "replace")
        match = _BARE_KEY.match(self.text, self.pos)
        if not match:  # not valid TOML; tomllib would have refused it
            self.advance()
            return ""
        self.advance(match.end() - self.pos)
        return match.group()

    def key_value(self, table: Path) -> None:
        key_start = self.here()
        names = self.key_names()
        path = table + tuple(names)
        self.out.keys[path] = key_start
        self.skip_blank(newlines=False)
        if self.peek() == "=":
            self.advance()
        self.skip_blank(newlines=False)
        self.value(path)

    def value(self, path: Path) -> None:
        self.out.values[path] = self.here()
        char = self.peek()
        if char in "\"'":
            self.string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            match = _SCALAR_END.search(self.text, self.pos)
            self.advance((match.start() if match else len(self.text)) - self.pos)

    def string(self) -> None:
        quote = self.peek()
        if self.peek(3) == quote * 3:
            self.advance(3)
            while self.pos < len(self.text) and self.peek(3) != quote * 3:
                self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
            self.advance(3)
            while self.peek() == quote:  # up to two quotes may close a multi-line string
                self.advance()
            return
        self.advance()
        while self.pos < len(self.text) and self.peek() not in (quote, "\n"):
            self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
        self.advance()

    def array(self, path: Path) -> None:
        self.advance()
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text) or self.peek() == "]":
                self.advance()
                return
            if self.peek() == ",":
                self.advance()
                continue
            self.value(path + (index,))
            self.out.keys.setdefault(path + (index,), self.out.values[path + (index,)])
            index += 1

    def inline_table(self, path: Path) -> None:
        self.advance()
        self.out.headers[path] = self.out.values[path]
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text) or self.peek() == "}":
                self.advance()
                return
            if self.peek() == ",":
                self.advance()
                continue
            self.key_value(path)


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
                return table[probe]
        probe = probe[:-1]
        order = tables
    return (1, 1)
