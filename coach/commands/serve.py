"""`coach serve`: the app in a web browser, for workshops where learners have no Python."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. 127.0.0.1 is this machine only; 0.0.0.0 lets other machines in.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one (the address is printed).")
@click.option("--public-url", default=None, metavar="URL",
              help="The address learners open, when it is not this host and port (behind a proxy or a tunnel).")
@click.option("--max-learners", type=click.IntRange(1, 500), default=20, show_default=True,
              help="Most app processes at once (each is one browser tab, about 50 MB); the next browser sees a 'full' page.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Where each learner's folder (sessions, settings) is kept. Default: a 'serve' folder in coach's data folder.")
def serve(host: str, port: int, public_url: str | None, max_learners: int, data_dir: Path | None) -> None:
    """Serve the coach app to web browsers, through textual-serve.

    It prints a join address with a random token (new at every start): give it to the learners.
    Without the token a browser gets a 403 page and no app. Each browser that joins asks for a
    name and is its own learner: its sessions, history and settings are kept in its own folder
    under --data-dir, apart from everyone else's and from yours. A second address, the
    facilitator page, lists who is connected and how far they are.

    It listens on this machine only unless you pass --host 0.0.0.0. It speaks plain http: on a
    network you do not trust, put a TLS proxy in front (docs/security.md shows how).

    \b
    Examples:
      coach serve
      coach serve --host 0.0.0.0 --port 8080 --max-learners 30
      coach serve --port 8000 --public-url https://coach.example.org
    """
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        click.echo(f"coach serve: --public-url must start with http:// or https://, not '{public_url}'", err=True)
        sys.exit(2)
    from ..web.server import ServeError
    from ..web.server import serve as run

    try:
        run(host, port, public_url, lambda text: click.echo(text), data=data_dir, max_learners=max_learners)
    except ServeError as error:
        click.echo(f"coach serve: {error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        pass
