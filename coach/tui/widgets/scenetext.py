"""Scenario Markdown, shown literally, drawn by one light widget.

Scenario files are shared between strangers, so their text must never act. Every character
goes into Textual `Content` as plain text with styles attached by this module; nothing is ever
parsed as console markup, so `[bold]` or `[@click=app.quit]` shows as typed, and links are
shown (label, then the address) but never followed. Control characters (an ESC that would
clear the screen, a BEL, a C1 CSI) are shown as visible escapes (`\\x1b`), never emitted.

The Markdown is the subset scenarios use: paragraphs, `#` headings, `-`/`*`/`+` and numbered
lists (nested by indentation), `>` quotes, fenced code, `---` rules, and inline `**strong**`,
`*emphasis*`, `` `code` `` and `[links](address)`, with backslash escapes. Drawing it in one
widget (instead of Textual's Markdown widget, which builds a widget per block) keeps the
first frame fast and wraps list items with a hanging indent.
"""

from __future__ import annotations

import re

import msgspec
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from ...io.sanitise import prose

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_SPECIAL = re.compile(r"[\\`\[*_]")
"""The characters `inline` acts on; the text between them is plain."""
_ESCAPABLE = set("\\`*_{}[]()#+-.!>~|")
BULLETS = ("•", "◦", "▪")


class Block(msgspec.Struct):
    kind: str
    """para | heading | item | quote | code | rule"""
    text: str = ""
    level: int = 0
    """Heading level, or list depth."""
    marker: str = ""


def parse_blocks(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    fence: str | None = None
    for raw in prose(markdown.expandtabs(4)).splitlines():
        if fence is not None:
            if raw.strip().startswith(fence):
                fence, current = None, None
            else:
                blocks[-1].text += ("\n" if blocks[-1].text else "") + raw
            continue
        stripped = raw.strip()
        if match := _FENCE.match(raw):
            fence = match.group(1)
            blocks.append(Block("code"))
            current = None
        elif not stripped:
            current = None
        elif match := _HEADING.match(raw):
            blocks.append(Block("heading", match.group(2), level=len(match.group(1))))
            current = None
        elif _RULE.match(raw):
            blocks.append(Block("rule"))
            current = None
        elif match := _ITEM.match(raw):
            indent, marker, text = match.groups()
            number = marker.rstrip(".)")
            current = Block("item", text, level=len(indent) // 2, marker=f"{number}." if number.isdigit() else "")
            blocks.append(current)
        elif match := _QUOTE.match(raw):
            if current is not None and current.kind == "quote":
                current.text = _join(current.text, match.group(1))
            else:
                current = Block("quote", match.group(1))
                blocks.append(current)
        elif current is not None:  # a continuation line of a paragraph, item or quote
            current.text = _join(current.text, raw)
        else:
            current = Block("para", stripped)
            blocks.append(current)
    return blocks


def _join(text: str, line: str) -> str:
    """Markdown line joining: a line break only after two trailing spaces or a backslash."""
    if text.endswith("  ") or text.endswith("\\"):
        return text.rstrip(" \\") + "\n" + line.strip()
    return text.rstrip() + " " + line.strip()


def inline(text: str, style: str = "") -> Content:
    """Inline Markdown to Content; anything that is not a closed delimiter stays as typed."""
    parts: list[tuple[str, str]] = []
    buffer: list[str] = []
    strong = emphasis = False

    def current() -> str:
        return " ".join(s for s in (style, "bold" if strong else "", "italic" if emphasis else "") if s)

    def flush() -> None:
        if buffer:
            parts.append(("".join(buffer), current()))
            buffer.clear()

    index, size = 0, len(text)
    while index < size:
        special = _SPECIAL.search(text, index)
        if special is None:  # plain to the end: taken in one piece, not a character at a time
            buffer.append(text[index:])
            break
        if special.start() > index:
            buffer.append(text[index : special.start()])
            index = special.start()
        char = text[index]
        if char == "\\" and index + 1 < size and text[index + 1] in _ESCAPABLE:
            buffer.append(text[index + 1])
            index += 2
            continue
        if char == "`":
            end = text.find("`", index + 1)
            if end > index + 1:
                flush()
                parts.append((text[index + 1 : end], f"{style} $text-accent".strip()))
                index = end + 1
                continue
        if char == "[" and (link := _LINK.match(text, index)):
            flush()
            parts.append((link.group(1), f"{current()} underline".strip()))
            parts.append((f" ({link.group(2)})", "$text-muted"))
            index = link.end()
            continue
        pair = text[index : index + 2]
        if pair in ("**", "__") and _delimits(text, index, 2, strong):
            flush()
            strong = not strong
            index += 2
            continue
        if char in "*_" and pair not in ("**", "__") and _delimits(text, index, 1, emphasis):
            flush()
            emphasis = not emphasis
            index += 1
            continue
        buffer.append(char)
        index += 1
    flush()
    return Content.assemble(*parts)


def _delimits(text: str, index: int, width: int, is_open: bool) -> bool:
    """Is the delimiter at `index` a real opening (with a closing later) or closing one?"""
    mark = text[index : index + width]
    before = text[index - 1] if index else " "
    after = text[index + width] if index + width < len(text) else " "
    if mark[0] == "_" and before.isalnum() and after.isalnum():
        return False  # snake_case words are not emphasis
    if is_open:
        return not before.isspace()
    return not after.isspace() and text.find(mark, index + width + 1) != -1


def render_lines(blocks: list[Block], width: int) -> list[Content]:
    width = max(width, 10)
    lines: list[Content] = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None and not (previous.kind == block.kind == "item"):
            lines.append(Content(""))
        previous = block
        if block.kind == "rule":
            lines.append(Content.styled("─" * width, "$text-muted"))
        elif block.kind == "code":
            for line in block.text.splitlines() or [""]:
                lines.extend(Content.styled("  " + line, "$text-secondary").fold(width) or [Content("")])
        elif block.kind == "heading":
            style = "bold $text-accent" if block.level <= 2 else "bold"
            lines.extend(_wrap(inline(block.text, style), width))
        elif block.kind == "quote":
            lines.extend(_hanging(inline(block.text, "italic $text-muted"), width, Content.styled("▎ ", "$text-muted")))
        elif block.kind == "item":
            marker = block.marker or BULLETS[block.level % len(BULLETS)]
            prefix = Content.assemble("  " * block.level, (marker, "$text-accent"), " ")
            lines.extend(_hanging(inline(block.text), width, prefix))
        else:
            lines.extend(_wrap(inline(block.text), width))
    return lines


def _wrap(content: Content, width: int) -> list[Content]:
    result: list[Content] = []
    for part in content.split("\n"):
        result.extend(part.wrap(width) or [Content("")])
    return result


def _hanging(content: Content, width: int, prefix: Content) -> list[Content]:
    indent = prefix.cell_length
    wrapped = _wrap(content, max(1, width - indent))
    pad = Content(" " * indent)
    if prefix.plain.startswith("▎"):
        pad = prefix
    return [(prefix if number == 0 else pad) + line for number, line in enumerate(wrapped)]


class SceneText(Widget):
    """Attributes down: `update(markdown)`.

    `lead` is a line drawn above the text with a blank line either side (the briefing's "YOU
    ARE" line): one widget fewer on a first frame than a Static of its own with a margin."""

    DEFAULT_CSS = """
    SceneText {
        height: auto;
    }
    """

    def __init__(self, markdown: str = "", *, lead: Content | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lead = lead
        self.update(markdown)

    @property
    def source(self) -> str:
        return self._source

    def update(self, markdown: str) -> None:
        self._source = markdown
        self._blocks = parse_blocks(markdown)
        self._lines_for: tuple[int, list[Content]] | None = None
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        if self._lines_for is None or self._lines_for[0] != width:
            lead = [Content(""), *_wrap(self._lead, max(width, 10)), Content("")] if self._lead is not None else []
            self._lines_for = (width, [*lead, *render_lines(self._blocks, width)])
        return self._lines_for[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_region.width or self.size.width))
