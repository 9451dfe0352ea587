"""How a command prints: always through `echo`, so text from a file reaches the terminal inert."""

from __future__ import annotations

from typing import Any

import click

from ..io.sanitise import prose


def echo(message: object = "", **options: Any) -> None:
    """`click.echo` of inert text: the one way commands print what came from a file."""
    click.echo(prose("" if message is None else message), **options)
