"""`coach serve`: the app in a web browser, for workshops where learners have no Python."""

from __future__ import annotations

import sys

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. 127.0.0.1 is this machine only; 0.0.0.0 lets other machines in.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one (the address is printed).")
@click.option("--public-url", default=None, metavar="URL",
              help="The address learners open, when it is not this host and port (behind a proxy or a tunnel).")
def serve(host: str, port: int, public_url: str | None) -> None:
    """Serve the coach app to web browsers, through textual-serve.

    Each browser tab runs its own copy of the app. Sessions played in the browser are saved in
    this machine's history, like sessions played in the terminal. A page opened as
    /?learner=NAME records NAME in the sessions it plays, for `coach report`.

    It listens on this machine only unless you pass --host 0.0.0.0; there is no password, so
    only do that on a network you trust.

    \b
    Examples:
      coach serve
      coach serve --host 0.0.0.0 --port 8080
      coach serve --port 8000 --public-url https://coach.example.org
    """
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        click.echo(f"coach serve: --public-url must start with http:// or https://, not '{public_url}'", err=True)
        sys.exit(2)
    from ..web import ServeError
    from ..web import serve as run

    try:
        run(host, port, public_url, lambda text: click.echo(text))
    except ServeError as error:
        click.echo(f"coach serve: {error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
