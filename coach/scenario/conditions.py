"""The condition language: metric and flag names, numbers, comparisons, and/or/not, parentheses.

Conditions come from scenario files that anyone may share, so they are parsed by this small
recursive-descent parser and evaluated by walking the tree: never by Python's `eval`. Errors
carry the column inside the condition string so the loader can put a caret under it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from collections.abc import Callable, Mapping, Set
from typing import Union

import msgspec

COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")
KEYWORDS = ("and", "or", "not")

_TOKEN = re.compile(
    r"[ \t\n\r]*(?:(?P<number>-?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|<|>)"
    r"|(?P<paren>[()])"
    r"|(?P<bad>[^ \t\n\r]))"
)


MAX_DEPTH = 32
"""Parentheses and `not`s nested deeper than this are refused (C043): no condition needs them,
and the parser is recursive."""
MAX_LENGTH = 2000
"""Characters in one condition (C043 too): a condition is a line, not a document."""
MAX_NUMBER = 24
"""Characters in one number: `1e999` is infinity and a thousand digits mean nothing."""


class ConditionError(ValueError):
    """A condition that does not parse; `offset` is the 0-based column inside the string.

    `code` is the diagnostic it becomes: C017 for a syntax error, C043 for one past a limit."""

    def __init__(self, message: str, offset: int, code: str = "C017") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.code = code


class Number(msgspec.Struct, frozen=True):
    value: float


class Metric(msgspec.Struct, frozen=True):
    name: str
    offset: int


class Flag(msgspec.Struct, frozen=True):
    name: str
    offset: int


class Compare(msgspec.Struct, frozen=True):
    op: str
    left: Number | Metric
    right: Number | Metric


class Not(msgspec.Struct, frozen=True):
    operand: Node


class BoolOp(msgspec.Struct, frozen=True):
    op: str  # "and" | "or"
    operands: tuple[Node, ...]


Node = Union[Flag, Compare, Not, BoolOp]


class _Token(msgspec.Struct, frozen=True):
    kind: str
    text: str
    offset: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:  # only trailing whitespace is left
            break
        kind = match.lastgroup or "bad"
        text = match.group(kind)
        offset = match.start(kind)
        if kind == "bad":
            hint = " (use 'and', 'or', 'not')" if text in "&|!" else ""
            if text == "=":
                following = source[offset + 1 : offset + 2]
                if following in "<>" and following:  # `=>` and `=<`, written the other way round
                    raise ConditionError(f"unexpected '={following}' (did you mean '{following}='?)", offset)
                hint = " (use '==' to compare)"
            raise ConditionError(f"unexpected character {text!r}{hint}", offset)
        if kind == "number" and (len(text) > MAX_NUMBER or not math.isfinite(float(text))):
            raise ConditionError(f"the number {text[:MAX_NUMBER]}{'…' if len(text) > MAX_NUMBER else ''} is too long or too "
                                 "large; write it with fewer digits", offset)
        if kind == "name" and text in KEYWORDS:
            kind = text
        tokens.append(_Token(kind, text, offset))
        position = match.end()
    tokens.append(_Token("end", "", len(source.rstrip()) if source.strip() else 0))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        if len(source) > MAX_LENGTH:
            raise ConditionError(f"the condition is {len(source)} characters long; conditions are limited to {MAX_LENGTH}",
                                 0, "C043")
        self.source = source
        self.tokens = _tokenize(source)
        self.index = 0
        self.depth = 0

    def deeper(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"parentheses and 'not' are nested more than {MAX_DEPTH} deep; simplify the condition",
                                 token.offset, "C043")

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise ConditionError("empty condition", 0)
        node = self.parse_or()
        if self.token.kind != "end":
            raise ConditionError(f"unexpected {self._describe(self.token)}; expected 'and', 'or' or the end", self.token.offset)
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.token.kind == "or":
            self.advance()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def parse_and(self) -> Node:
        operands = [self.parse_not()]
        while self.token.kind == "and":
            self.advance()
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def parse_not(self) -> Node:
        if self.token.kind == "not":
            self.deeper(self.advance())
            node = Not(self.parse_not())
            self.depth -= 1
            return node
        return self.parse_comparison()

    def parse_comparison(self) -> Node:
        token = self.token
        if token.kind == "paren" and token.text == "(":
            self.deeper(self.advance())
            node = self.parse_or()
            self.depth -= 1
            if not (self.token.kind == "paren" and self.token.text == ")"):
                raise ConditionError(f"expected ')' to close the '(' at column {token.offset + 1}", self.token.offset)
            self.advance()
            if self.token.kind == "op":
                raise ConditionError("a parenthesised condition cannot be compared", self.token.offset)
            return node
        left = self.parse_operand()
        if self.token.kind != "op":
            if isinstance(left, Number):
                raise ConditionError("a number alone is not a condition; compare it with a metric", token.offset)
            return Flag(left.name, left.offset)
        op = self.advance().text
        right = self.parse_operand()
        if self.token.kind == "op":
            raise ConditionError("comparisons cannot be chained; join them with 'and'", self.token.offset)
        if isinstance(left, Number) and isinstance(right, Number):
            raise ConditionError("compares two numbers; one side should be a metric", token.offset)
        return Compare(op, left, right)

    def parse_operand(self) -> Number | Metric:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Number(float(token.text))
        if token.kind == "name":
            self.advance()
            return Metric(token.text, token.offset)
        raise ConditionError(f"expected a metric, flag or number, found {self._describe(token)}", token.offset)

    @staticmethod
    def _describe(token: _Token) -> str:
        return "the end of the condition" if token.kind == "end" else repr(token.text)


@lru_cache(maxsize=8192)
def parse(source: str) -> Node:
    """Parse a condition; raises ConditionError with the column of the problem.

    Cached: scenarios repeat conditions, the engine evaluates them on every step, and parsed
    trees are immutable.
    """
    return _Parser(source).parse()


def names(node: Node) -> list[Flag | Metric]:
    """Every flag and metric the condition mentions, in source order."""
    found: list[Flag | Metric] = []

    def walk(item: Node | Number | Metric) -> None:
        if isinstance(item, (Flag, Metric)):
            found.append(item)
        elif isinstance(item, Compare):
            walk(item.left)
            walk(item.right)
        elif isinstance(item, Not):
            walk(item.operand)
        elif isinstance(item, BoolOp):
            for operand in item.operands:
                walk(operand)

    walk(node)
    return found


_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: abs(a - b) < 1e-9,
    "!=": lambda a, b: abs(a - b) >= 1e-9,
}


def evaluate(node: Node, metrics: dict[str, float], flags: frozenset[str] | set[str]) -> bool:
    """Evaluate a parsed condition against a state's metrics and flags."""
    if isinstance(node, Flag):
        return node.name in flags
    if isinstance(node, Compare):
        return _OPS[node.op](_value(node.left, metrics), _value(node.right, metrics))
    if isinstance(node, Not):
        return not evaluate(node.operand, metrics, flags)
    if node.op == "and":
        return all(evaluate(operand, metrics, flags) for operand in node.operands)
    return any(evaluate(operand, metrics, flags) for operand in node.operands)


Compiled = Callable[[Mapping[str, float], Set[str]], bool]
"""A condition ready to evaluate against a state's metrics and flags."""


@lru_cache(maxsize=8192)
def compiled(source: str) -> Compiled:
    """The condition as a function of (metrics, flags) -> bool, built once per condition text.

    The engine and exploration evaluate the same few conditions hundreds of thousands of times;
    closures built from the tree avoid re-dispatching on node types at every evaluation.
    """
    return _compile(parse(source))


def _compile(node: Node) -> Compiled:
    if isinstance(node, Flag):
        name = node.name
        return lambda metrics, flags: name in flags
    if isinstance(node, Compare):
        op = _OPS[node.op]
        left, right = node.left, node.right
        if isinstance(left, Metric) and isinstance(right, Number):
            name, value = left.name, right.value
            return lambda metrics, flags: op(metrics[name], value)
        if isinstance(left, Number) and isinstance(right, Metric):
            name, value = right.name, left.value
            return lambda metrics, flags: op(value, metrics[name])
        return lambda metrics, flags: op(_value(left, metrics), _value(right, metrics))
    if isinstance(node, Not):
        inner = _compile(node.operand)
        return lambda metrics, flags: not inner(metrics, flags)
    parts = tuple(_compile(operand) for operand in node.operands)
    if node.op == "and":
        return lambda metrics, flags: all(part(metrics, flags) for part in parts)
    return lambda metrics, flags: any(part(metrics, flags) for part in parts)


def _value(operand: Number | Metric, metrics: Mapping[str, float]) -> float:
    if isinstance(operand, Number):
        return operand.value
    return metrics[operand.name]


def describe(node: Node) -> str:
    """The condition written back in canonical form (used in 'locked: requires …' reasons)."""
    if isinstance(node, Flag):
        return node.name
    if isinstance(node, Compare):
        return f"{_operand_text(node.left)} {node.op} {_operand_text(node.right)}"
    if isinstance(node, Not):
        inner = describe(node.operand)
        return f"not {inner}" if isinstance(node.operand, (Flag, Not)) else f"not ({inner})"
    parts = [describe(op) if not isinstance(op, BoolOp) else f"({describe(op)})" for op in node.operands]
    return f" {node.op} ".join(parts)


def _operand_text(operand: Number | Metric) -> str:
    if isinstance(operand, Metric):
        return operand.name
    return f"{operand.value:g}"
