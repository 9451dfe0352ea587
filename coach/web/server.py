"""`coach serve`: the coach app for a room of web browsers, through textual-serve.

Each browser that joins is its own learner, and each of its tabs gets its own `python -m coach`
process, run by textual-serve with the web driver. What this adds to textual-serve's server
(docs/security.md says the same for the person running a workshop):

- A join token. The server makes a random one at each start; the join address carries it
  (`/?token=...`) and the first visit keeps it in a cookie. Without it every page is a 403 and no
  app process starts. A second token opens the facilitator page (`/facilitator?token=...`).
- Origin checks. A websocket (or the name form) from a page of another site is refused, so a web
  page the host happens to open cannot drive the app. A request without an Origin header comes
  from a program, not a browser page; it still needs the token.
- One learner per browser. The join page asks for a name; the server gives the browser a random
  learner id in a cookie, so a returning learner keeps their name. Each learner's app runs with
  `COACH_HOME` set to `<serve data>/learners/<id>/` (the id is made here, never read from a
  request as a path): their sessions, history, replay, compare and delete are theirs alone, their
  settings start fresh, and the built-in library (inside the package) is there. The host's own
  scenarios, settings and sessions are not reachable; `COACH_CONFINE` keeps the app's export and
  new-scenario paths inside the learner's folder.
- Bounds. Terminal sizes are clamped on every message; app processes are capped (a clear page
  when full); an app is ended (killed if it does not quit) when its websocket closes; requests
  that are not what an address expects get a 4xx; a message that is not textual-serve's closes
  that websocket, never the server.
- The page asks for nothing outside this server (textual-serve's web font link is removed) and
  never repeats the request's Host header: the websocket address is made in the browser from
  its own location, or from `--public-url`.
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import html
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from ..io.atomic import write_atomic
from ..config.learner import ENV as LEARNER_ENV
from ..io.paths import CONFINE_ENV
from ..config.learner import MAX_LENGTH as NAME_LENGTH
from ..config.learner import clean as clean_learner

TITLE = "coach"
STOP_SECONDS = 5.0
_FONT_LINK = '<link\n      rel="stylesheet"\n      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n    />'
LOOPBACK = ("127.0.0.1", "localhost", "::1")
EVERYWHERE = ("0.0.0.0", "::", "")

MIN_COLUMNS, MAX_COLUMNS = 20, 300
MIN_ROWS, MAX_ROWS = 10, 100
DEFAULT_MAX_LEARNERS = 20
APPS_PER_LEARNER = 3
"""Tabs one learner may have open at once, so one browser cannot take the whole room."""
MAX_MESSAGE = 64 * 1024
"""Largest websocket message from a browser (a key press or a paste is far smaller)."""
MAX_BODY = 16 * 1024
MAX_LEARNERS_LISTED = 1000
LEARNER_COOKIE_DAYS = 30

_LEARNER_ID = re.compile(r"^[A-Za-z0-9_-]{24}$")
_NO_CACHE = {"Cache-Control": "no-store"}


class ServeError(Exception):
    """A server that cannot start; str() is the sentence to show."""


def app_command() -> str:
    """The shell command textual-serve runs for each browser: this Python, this coach.

    On POSIX the shell `exec`s it, so the process textual-serve holds is the app itself, and
    stopping it stops the app rather than only the shell around it.
    """
    # -P: the learner's folder (the app's working folder) is not put on the import path.
    argv = [sys.executable, "-P", "-m", "coach"] if sys.version_info >= (3, 11) else [sys.executable, "-m", "coach"]
    return subprocess.list2cmdline(argv) if os.name == "nt" else "exec " + shlex.join(argv)


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a browser asked for, within bounds (a non-number counts as the default)."""
    def number(value: object, default: int) -> int:
        if isinstance(value, bool):
            return default
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value == value:  # not NaN; infinities clamp like any big number
            return int(max(-1e9, min(1e9, value)))
        if isinstance(value, str) and value.isascii() and value.strip().isdigit() and len(value) < 10:
            return int(value)
        return default

    return (min(MAX_COLUMNS, max(MIN_COLUMNS, number(width, 80))),
            min(MAX_ROWS, max(MIN_ROWS, number(height, 24))))


def same_secret(given: str | None, expected: str) -> bool:
    if not given or len(given) > 256:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


# --- learners ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    home: Path
    """Their COACH_HOME: data/ (sessions) and config/ (settings, own scenarios) below it."""


class Learners:
    """The learners who joined, one folder each under `<serve data>/learners/`.

    A folder's name is the learner's id: 24 random URL-safe characters made by `create`, kept by
    the browser in a cookie. An id from a cookie is only used after it matches that shape and its
    folder exists; a name is never part of a path.
    """

    def __init__(self, root: Path) -> None:
        self.root = root / "learners"

    def create(self, name: str) -> Learner:
        self.root.mkdir(parents=True, exist_ok=True)
        while True:
            learner_id = secrets.token_urlsafe(18)
            home = self.root / learner_id
            try:
                home.mkdir()
                break
            except FileExistsError:  # pragma: no cover - 144 random bits
                continue
        write_atomic(home / "learner.json", json.dumps({"name": name}))
        return Learner(learner_id, name, home)

    def get(self, learner_id: str | None) -> Learner | None:
        if not learner_id or not _LEARNER_ID.match(learner_id):
            return None
        home = self.root / learner_id
        try:
            with open(home / "learner.json", "rb") as file:
                data = json.loads(file.read(4096))
        except (OSError, ValueError):
            return None
        name = clean_learner(data.get("name", "")) if isinstance(data, dict) and isinstance(data.get("name"), str) else None
        return Learner(learner_id, name, home) if name else None

    def all(self) -> list[Learner]:
        try:
            names = sorted(entry.name for entry in os.scandir(self.root) if entry.is_dir(follow_symlinks=False))
        except OSError:
            return []
        found = [learner for learner in map(self.get, names[:MAX_LEARNERS_LISTED]) if learner is not None]
        return sorted(found, key=lambda learner: learner.name.casefold())


@dataclass
class Progress:
    """What the facilitator page shows for one learner."""
    learner: Learner
    connected: int
    playing: str | None
    started: int
    finished: int
    problems: list[str] = field(default_factory=list)


def progress_of(learner: Learner, connected: int) -> Progress:
    """A learner's progress, read from their session logs through the core."""
    from ..sessions.store import list_sessions

    summaries = list_sessions(learner.home / "data" / "sessions")
    playing = None
    if connected and summaries and summaries[0].readable and not summaries[0].finished:
        playing = summaries[0].title or summaries[0].scenario
    return Progress(learner, connected, playing, len(summaries), sum(1 for s in summaries if s.finished),
                    [p for s in summaries if not s.readable for p in s.problems][:3])


# --- one browser's app -------------------------------------------------------------------------


class LearnerAppService(AppService):
    """One browser tab's app process: the learner's own COACH_HOME, name and working folder."""

    def __init__(self, *args, learner: str = "", home: Path | None = None, learner_id: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.learner = learner
        self.home = home
        self.learner_id = learner_id

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        width, height = clamp_size(width, height)
        environment = super()._build_environment(width, height)
        # Always set, so a browser without a name is never credited to whoever runs the server.
        environment[LEARNER_ENV] = self.learner
        if self.home is not None:
            environment["COACH_HOME"] = str(self.home)
            environment[CONFINE_ENV] = str(self.home)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):
        if self.home is None:
            return await super()._open_app_process(width, height)
        self.home.mkdir(parents=True, exist_ok=True)
        self._process = process = await asyncio.create_subprocess_shell(
            self.command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width=width, height=height), cwd=self.home,
        )
        self._stdin = process.stdin
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        width, height = clamp_size(width, height)
        await super().set_terminal_size(width, height)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def end(self) -> None:
        """Ask the app to quit; kill it if it has not within a few seconds; wait until it is gone."""
        try:
            await asyncio.wait_for(self.stop(), STOP_SECONDS)
        except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - killed below either way
            pass
        await self.finish()

    async def finish(self) -> None:
        """Kill the app if it is still running, and wait until it is gone."""
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            try:
                process.kill()
            except ProcessLookupError:
                pass
        try:
            await asyncio.wait_for(process.wait(), STOP_SECONDS)
        except asyncio.TimeoutError:
            pass
        if self._task is not None and not self._task.done():
            self._task.cancel()


# --- pages -------------------------------------------------------------------------------------

_STYLE = """body{background:#0c181f;color:#eef;font:16px/1.5 system-ui,sans-serif;margin:0;display:flex;
justify-content:center}main{max-width:46rem;margin:3rem 1rem}h1{font-size:1.6rem}a{color:#9cf}
input{font:inherit;padding:.4rem;width:20rem;max-width:90%}button{font:inherit;padding:.4rem 1.2rem;margin-left:.4rem}
.error{color:#f99}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #345;padding:.3rem .6rem;
text-align:left}code{background:#12232d;padding:0 .3rem;word-break:break-all}"""


def page(title: str, body: str, status: int = 200, *, refresh: int | None = None, headers: dict | None = None,
         forget_query: bool = False) -> web.Response:
    """A small page of our own; `title` is escaped here, `body` must already be."""
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    # The address bar keeps no token once it has been taken into a cookie.
    script = '<script>history.replaceState(null, "", location.pathname);</script>' if forget_query else ""
    text = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width"><title>{html.escape(title)}</title>{meta}<style>{_STYLE}</style></head>'
            f"<body><main>{body}</main>{script}</body></html>")
    return web.Response(text=text, status=status, content_type="text/html", headers={**_NO_CACHE, **(headers or {})})


def _text(status: int, message: str) -> web.Response:
    return web.Response(status=status, text=message + "\n", content_type="text/plain", headers=_NO_CACHE)


NO_TOKEN = ("This coach needs the join address your facilitator gave you",
            "<p>The link you followed has no join token, or the token is not this server's (it changes "
            "each time the server starts). Ask your facilitator for the current join address.</p>")


@web.middleware
async def _guard(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    """Safe headers on every answer, and an unexpected error is a 500 with one line, not a traceback."""
    try:
        response = await handler(request)
    except web.HTTPException:
        raise
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - one bad request must not show a traceback
        sys.stderr.write(f"coach serve: {request.method} {request.path[:80]!r} failed: {type(error).__name__}\n")
        response = _text(500, "Something went wrong on the server; it has been noted in the server's output.")
    if not isinstance(response, web.WebSocketResponse):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")  # "no-referrer" makes a form's Origin "null"
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
    return response


# --- the server --------------------------------------------------------------------------------


class CoachServer(Server):
    def __init__(self, host: str, port: int, public_url: str | None = None, *, data: Path,
                 max_learners: int = DEFAULT_MAX_LEARNERS, command: str | None = None) -> None:
        super().__init__(command or app_command(), host=host, port=port, title=TITLE)
        self.bind_host = host
        self.fixed_url = public_url.rstrip("/") if public_url else None
        self.services: set[LearnerAppService] = set()
        self.learners = Learners(data)
        self.data = data
        self.max_learners = max_learners
        self.join_token = secrets.token_urlsafe(24)
        self.facilitator_token = secrets.token_urlsafe(24)
        self.cookie_suffix = str(port)

    # names of cookies: per port, so two servers on one machine do not take each other's
    @property
    def join_cookie(self) -> str:
        return f"coach_join_{self.cookie_suffix}"

    @property
    def learner_cookie(self) -> str:
        return f"coach_learner_{self.cookie_suffix}"

    @property
    def facilitator_cookie(self) -> str:
        return f"coach_facilitator_{self.cookie_suffix}"

    async def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[_guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.post("/join", self.handle_join, name="join"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/facilitator", self.handle_facilitator, name="facilitator"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.get("/favicon.ico", _no_icon),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        return app

    # --- who may come in ---

    def _cookie_options(self, request: web.Request) -> dict:
        secure = request.secure or (self.fixed_url or "").startswith("https:")
        return {"httponly": True, "samesite": "Strict", "secure": secure, "path": "/"}

    def has_join_token(self, request: web.Request, given: str | None = None) -> bool:
        return same_secret(given if given is not None else request.cookies.get(self.join_cookie), self.join_token)

    def origin_allowed(self, request: web.Request) -> bool:
        """Whether the page that made this request is one of ours.

        No Origin header: not a browser page (browsers send one with every websocket and form post);
        the token decides. Otherwise the Origin must be `--public-url`'s, or the address the request
        was made to; a server on loopback only answers to loopback names (against DNS rebinding).
        """
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        if self.fixed_url:
            wanted = urlsplit(self.fixed_url)
            return origin.rstrip("/") == f"{wanted.scheme}://{wanted.netloc}"
        host = request.headers.get("Host", "")
        if not host or not self.host_allowed(host):
            return False
        return origin in (f"http://{host}", f"https://{host}")

    def host_allowed(self, host: str) -> bool:
        """Behind `--public-url` (a proxy) or on every network, any Host; on loopback, loopback names only."""
        if self.fixed_url or not is_loopback(self.bind_host):
            return True
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.strip("[]") in LOOPBACK or name.startswith("127.")

    def learner_of(self, request: web.Request) -> Learner | None:
        return self.learners.get(request.cookies.get(self.learner_cookie))

    def apps_of(self, learner_id: str) -> int:
        return sum(1 for service in self.services if service.learner_id == learner_id)

    def full(self) -> bool:
        return len(self.services) >= self.max_learners

    # --- pages ---

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self.host_allowed(request.headers.get("Host", "")):
            return _text(403, "This server answers only to this machine's own names (127.0.0.1, localhost).")
        given = request.query.get("token")
        set_cookie = False
        if given is not None:
            if not self.has_join_token(request, given):
                return page(*NO_TOKEN, status=403)
            set_cookie = True
        elif not self.has_join_token(request):
            return page(*NO_TOKEN, status=403)
        learner = self.learner_of(request)
        if learner is None:
            response = self.name_form(request.query.get("name", ""), forget_query=set_cookie)
        elif self.full() or self.apps_of(learner.id) >= APPS_PER_LEARNER:
            response = self.full_page(learner)
        else:
            response = self.app_page(request, learner, forget_query=set_cookie)
        if set_cookie:
            response.set_cookie(self.join_cookie, self.join_token, **self._cookie_options(request))
        return response

    def name_form(self, name: str = "", error: str = "", status: int = 200, forget_query: bool = False) -> web.Response:
        shown = html.escape(" ".join(name.split())[:NAME_LENGTH])
        problem = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
        body = (f"<h1>Welcome to coach</h1><p>What name should your sessions carry? Your facilitator sees it "
                f"beside your progress.</p>{problem}"
                f'<form method="post" action="join"><input type="hidden" name="token" value="{html.escape(self.join_token)}">'
                f'<label>Your name <input name="name" value="{shown}" maxlength="{NAME_LENGTH}" required autofocus '
                f'autocomplete="name"></label><button type="submit">Start</button></form>'
                "<p>Letters and digits, and spaces or . @ ' + - _ after the first; at most "
                f"{NAME_LENGTH} characters.</p>")
        return page("coach: your name", body, status=status, forget_query=forget_query)

    def full_page(self, learner: Learner) -> web.Response:
        if self.full():
            why = (f"All {self.max_learners} places are taken. The page tries again every 15 seconds; a place "
                   "frees up when someone closes their tab.")
        else:
            why = (f"You already have {APPS_PER_LEARNER} coach tabs open. Close one, and this page tries again "
                   "every 15 seconds.")
        return page("coach is full", f"<h1>coach is full, {html.escape(learner.name)}</h1><p>{html.escape(why)}</p>",
                    status=503, refresh=15)

    def app_page(self, request: web.Request, learner: Learner, forget_query: bool = False) -> web.Response:
        if self.fixed_url:
            base = self.fixed_url
            socket_url = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1] + "/ws"
            static = f"{base}/static/"
        else:
            socket_url, static = "", "static/"
        context = {
            "font_size": _int(request.query.get("fontsize", "16"), 16, 8, 40),
            "app_websocket_url": socket_url,
            "config": {"static": {"url": static}},
            "application": {"name": f"{TITLE} · {learner.name}"},
        }
        text = aiohttp_jinja2.render_string("app_index.html", request, context).replace(_FONT_LINK, "")
        scripts = ""
        if not socket_url:
            # The websocket address from the browser's own location: the Host header never reaches the page.
            scripts += ('<script>(function(){var t=document.getElementById("terminal");var u=new URL("ws",location.href);'
                        'u.protocol=location.protocol==="https:"?"wss:":"ws:";u.search="";u.hash="";'
                        't.dataset.sessionWebsocketUrl=u.href;})();</script>')
        if forget_query:
            scripts += '<script>history.replaceState(null, "", location.pathname);</script>'
        text = text.replace("</body>", scripts + "\n  </body>", 1)
        return web.Response(text=text, content_type="text/html", headers=_NO_CACHE)

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        if not self.origin_allowed(request):
            return _text(403, "Refused: the form was sent from a page that is not this server's.")
        try:
            form = await request.post()
        except (ValueError, web.HTTPException):
            return _text(400, "That form could not be read.")
        token = form.get("token")
        token = token if isinstance(token, str) else None
        if not (self.has_join_token(request, token) or self.has_join_token(request)):
            return page(*NO_TOKEN, status=403)
        raw = form.get("name")
        raw = raw if isinstance(raw, str) else ""
        name = clean_learner(raw[:4 * NAME_LENGTH])
        if not name:
            return self.name_form(raw[:NAME_LENGTH], "That name cannot be used: start with a letter or a digit, "
                                  f"use letters, digits, spaces and . @ ' + - _, at most {NAME_LENGTH} characters.",
                                  status=400)
        learner = self.learner_of(request)
        if learner is None:
            learner = await asyncio.to_thread(self.learners.create, name)
        response = web.Response(status=303, text="Joined: open ./\n", headers={**_NO_CACHE, "Location": "./"})
        options = self._cookie_options(request)
        response.set_cookie(self.learner_cookie, learner.id, max_age=LEARNER_COOKIE_DAYS * 86400, **options)
        response.set_cookie(self.join_cookie, self.join_token, **options)
        return response

    async def handle_facilitator(self, request: web.Request) -> web.StreamResponse:
        given = request.query.get("token")
        cookie = request.cookies.get(self.facilitator_cookie)
        if not same_secret(given if given is not None else cookie, self.facilitator_token):
            return page("The facilitator page needs its own address",
                        "<p>Open the facilitator address that <code>coach serve</code> printed when it started "
                        "(it changes each time the server starts).</p>", status=403)
        connected: dict[str, int] = {}
        for service in self.services:
            connected[service.learner_id] = connected.get(service.learner_id, 0) + 1
        learners = await asyncio.to_thread(self.learners.all)
        rows = await asyncio.to_thread(lambda: [progress_of(learner, connected.get(learner.id, 0)) for learner in learners])
        response = page("coach: who is here", self.facilitator_body(rows), refresh=10, forget_query=given is not None)
        if given is not None:
            response.set_cookie(self.facilitator_cookie, self.facilitator_token,
                                **{**self._cookie_options(request), "path": "/facilitator"})
        return response

    def facilitator_body(self, rows: list[Progress]) -> str:
        here = sum(1 for row in rows if row.connected)
        table = "".join(
            f"<tr><td>{html.escape(row.learner.name)}</td><td>{'yes' if row.connected else 'no'}"
            f"{f' ({row.connected} tabs)' if row.connected > 1 else ''}</td>"
            f"<td>{html.escape(row.playing) if row.playing else '—'}</td><td>{row.finished}</td><td>{row.started}</td></tr>"
            for row in rows
        ) or '<tr><td colspan="5">Nobody has joined yet.</td></tr>'
        return (f"<h1>Who is here</h1><p>{here} of {len(rows)} learners connected; {len(self.services)} of "
                f"{self.max_learners} places in use. This page refreshes every 10 seconds.</p>"
                "<table><tr><th>Learner</th><th>Connected</th><th>Playing now</th><th>Sessions finished</th>"
                f"<th>Sessions started</th></tr>{table}</table>"
                f"<p>Sessions are saved under <code>{html.escape(str(self.learners.root))}</code>; "
                f"<code>coach report {html.escape(str(self.learners.root))}</code> gives the cohort's summary.</p>")

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        if not self.has_join_token(request) or self.learner_of(request) is None:
            return page(*NO_TOKEN, status=403)
        return await super().handle_download(request)

    # --- the app's websocket ---

    # The base handler always upgrades; this one refuses with a plain 403 before upgrading, which
    # aiohttp serves like any response, so the return type is wider than the base's on purpose.
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """textual-serve's handler, behind the checks, with the learner's own folder and name."""
        if not self.origin_allowed(request):
            return _text(403, "Refused: this websocket was opened by a page that is not this server's.")
        if not (self.has_join_token(request) or self.has_join_token(request, request.query.get("token", ""))):
            return _text(403, "Refused: no join token. Open the join address the facilitator gave you.")
        learner = self.learner_of(request)
        if learner is None:
            return _text(403, "Refused: join with a name first (open the join address).")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        if not websocket.can_prepare(request).ok:
            return _text(400, "This address is the app's websocket; open the join address in a browser instead.")
        if self.full() or self.apps_of(learner.id) >= APPS_PER_LEARNER:
            return _text(503, "coach is full: every place is taken. Try again when someone leaves.")
        width, height = clamp_size(request.query.get("width", "80"), request.query.get("height", "24"))
        service = LearnerAppService(
            self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
            download_manager=self.download_manager, debug=self.debug, learner=learner.name, home=learner.home,
            learner_id=learner.id,
        )
        self.services.add(service)  # before any await: the cap counts this one at once
        try:
            await websocket.prepare(request)
            await service.start(width, height)
            assert service._task is not None
            # An app that ends by itself (the learner quit, or it failed) closes the browser's websocket.
            service._task.add_done_callback(lambda _task: asyncio.ensure_future(websocket.close()))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one browser's failure must not stop the server
            sys.stderr.write(f"coach serve: a browser session failed: {type(error).__name__}: {error}\n")
        finally:
            await service.end()
            self.services.discard(service)
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """textual-serve's messages from the browser, checked: anything else closes this websocket."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                envelope = None
            if not (isinstance(envelope, list) and 1 <= len(envelope) <= 2 and isinstance(envelope[0], str)):
                await websocket.close(code=WSCloseCode.UNSUPPORTED_DATA, message=b"not a textual-serve message")
                return
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(*clamp_size(data.get("width"), data.get("height")))
            elif kind == "ping" and isinstance(data, (str, int)) and len(str(data)) <= 64:
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()
            elif kind in ("stdin", "resize", "ping"):
                await websocket.close(code=WSCloseCode.UNSUPPORTED_DATA, message=b"malformed message")
                return

    async def stop_apps(self) -> None:
        """Ask every app process to quit, and kill any that has not within a few seconds."""
        await asyncio.gather(*(service.end() for service in list(self.services)))


async def _no_icon(_request: web.Request) -> web.Response:
    return web.Response(status=204)


def _int(value: str, default: int, low: int, high: int) -> int:
    try:
        number = int(value) if len(value) < 10 else default
    except ValueError:
        number = default
    return min(high, max(low, number))


# --- running -----------------------------------------------------------------------------------


@dataclass
class Running:
    server: CoachServer
    runner: web.AppRunner
    url: str
    """The address of the server, with the port actually bound (for `--port 0`)."""
    port: int

    @property
    def join_url(self) -> str:
        return f"{self.url}/?token={self.server.join_token}"

    @property
    def facilitator_url(self) -> str:
        return f"{self.url}/facilitator?token={self.server.facilitator_token}"


def default_data_dir() -> Path:
    from ..io.paths import data_dir

    return data_dir() / "serve"


async def start(host: str, port: int, public_url: str | None = None, *, data: Path | None = None,
                max_learners: int = DEFAULT_MAX_LEARNERS, command: str | None = None) -> Running:
    """Bind and start serving; raise ServeError with a sentence when the address cannot be used."""
    # Absolute: each learner's app runs in its own folder, where a relative COACH_HOME would mean another place.
    data = Path(data or default_data_dir()).expanduser().resolve()
    try:
        (data / "learners").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ServeError(f"cannot use {data} for the learners' folders: {error.strerror or error}") from None
    server = CoachServer(host, port, public_url, data=data, max_learners=max_learners, command=command)
    runner = web.AppRunner(await server._make_app(), shutdown_timeout=STOP_SECONDS, access_log=None,
                           handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except socket.gaierror:
        await runner.cleanup()
        raise ServeError(f"cannot find the host '{host}'; use 127.0.0.1 (this machine only) or 0.0.0.0 (every network)") from None
    except OSError as error:
        await runner.cleanup()
        raise ServeError(_bind_problem(error, host, port)) from None
    bound = port
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            bound = address[1]
            break
    server.cookie_suffix = str(bound)
    if public_url:
        return Running(server, runner, public_url.rstrip("/"), bound)
    shown = socket.gethostname() if host in EVERYWHERE else host
    shown = f"[{shown}]" if ":" in shown else shown
    return Running(server, runner, f"http://{shown}:{bound}", bound)


def _bind_problem(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use; stop what is using it, or choose another port with --port"
    if error.errno == errno.EADDRNOTAVAIL:
        return (f"cannot listen on {host}: this machine has no such address; use 127.0.0.1 (this machine only) "
                "or 0.0.0.0 (every network)")
    if error.errno == errno.EACCES:
        return f"not allowed to listen on port {port} (ports below 1024 need administrator rights); choose a port above 1023"
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


def serve(host: str, port: int, public_url: str | None, say: Callable[[str], None], *, data: Path | None = None,
          max_learners: int = DEFAULT_MAX_LEARNERS) -> None:
    """Serve until SIGINT or SIGTERM, then stop every app process. Raises ServeError if it cannot bind."""
    asyncio.run(_serve(host, port, public_url, say, data, max_learners))


async def _serve(host: str, port: int, public_url: str | None, say: Callable[[str], None], data: Path | None,
                 max_learners: int) -> None:
    running = await start(host, port, public_url, data=data, max_learners=max_learners)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C arrives as KeyboardInterrupt
            pass
    say(welcome(host, running))
    try:
        await stop.wait()
    finally:
        say("Stopping: closing every learner's app (their sessions are saved as they play).")
        await running.server.stop_apps()
        await running.runner.cleanup()


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def welcome(host: str, running: Running) -> str:
    server = running.server
    lines = [
        f"coach is being served at {running.url}",
        f"  Learners join at     {running.join_url}",
        f"  Facilitator page at  {running.facilitator_url}",
        "  Each browser that joins asks for a name and is its own learner, with its own sessions and settings;",
        f"  at most {server.max_learners} apps run at once (--max-learners). The tokens change at every start.",
    ]
    if is_loopback(host):
        lines += [
            "  Only this machine can open it. To let learners on your network in, run",
            f"    coach serve --host 0.0.0.0 --port {running.port}",
            "  and give them the join address with this machine's name or address.",
        ]
    else:
        lines += [
            "  Other machines can open it: anyone with the join address can play. It is plain http, so anyone on",
            "  the network can read the traffic; docs/security.md says how to put TLS in front.",
        ]
    lines += [
        f"  Learners' sessions are saved under {server.learners.root}",
        f"  (coach report {server.learners.root} for the cohort). Press Ctrl+C to stop.",
    ]
    return "\n".join(lines)
