"""`coach serve`: the coach app in a web browser, through textual-serve.

Each browser that opens the page gets its own `python -m coach` process, run by textual-serve
with the web driver; it inherits this process's environment (so `COACH_HOME`, and with it the
session history, is shared), plus `COACH_LEARNER` when the page was opened as `/?learner=NAME`.

What this adds to textual-serve's own server:
- Page and websocket addresses follow the address the browser used (or `--public-url`), so a
  server bound to 0.0.0.0 works for learners who reach it by the machine's name or address.
- The page asks for nothing outside this server: textual-serve's page loads a web font from a
  font service, which a workshop machine may not reach and a learner's browser should not be
  told about; the terminal falls back to the system's monospace font.
- Binding errors are sentences (`ServeError`), and stopping the server stops every app process.
"""

from __future__ import annotations

import asyncio
import errno
import os
import shlex
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .learner import ENV as LEARNER_ENV
from .learner import clean as clean_learner

TITLE = "coach"
STOP_SECONDS = 5.0
_FONT_LINK = '<link\n      rel="stylesheet"\n      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n    />'
LOOPBACK = ("127.0.0.1", "localhost", "::1")
EVERYWHERE = ("0.0.0.0", "::", "")


class ServeError(Exception):
    """A server that cannot start; str() is the sentence to show."""


def app_command() -> str:
    """The shell command textual-serve runs for each browser: this Python, this coach.

    On POSIX the shell `exec`s it, so the process textual-serve holds is the app itself, and
    stopping it stops the app rather than only the shell around it.
    """
    argv = [sys.executable, "-m", "coach"]
    return subprocess.list2cmdline(argv) if os.name == "nt" else "exec " + shlex.join(argv)


class LearnerAppService(AppService):
    """One browser's app process, told who the learner is."""

    def __init__(self, *args, learner: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.learner = learner

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        # Always set, so a browser without a name is never credited to whoever runs the server.
        environment[LEARNER_ENV] = self.learner
        return environment

    async def finish(self) -> None:
        """Kill the app if it is still running after being asked to quit, and wait until it is gone."""
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


class CoachServer(Server):
    def __init__(self, host: str, port: int, public_url: str | None = None) -> None:
        super().__init__(app_command(), host=host, port=port, title=TITLE)
        self.fixed_url = public_url.rstrip("/") if public_url else None
        self.services: set[LearnerAppService] = set()

    def base_url(self, request: web.Request) -> str:
        """Where the browser reached us: `--public-url`, else the scheme and Host it used."""
        return self.fixed_url or f"{request.scheme}://{request.host}"

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_get("/ws/{learner}", self.handle_websocket, name="learner-websocket")
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: `serve` prints its own message once the port is bound."""

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        raw = request.query.get("learner")
        learner = ""
        if raw is not None and raw.strip():
            learner = clean_learner(raw) or ""
            if not learner:
                return web.Response(
                    status=400, content_type="text/plain",
                    text="That learner name cannot be used. Use letters and digits (spaces and . @ ' + - _ are fine "
                         "after the first), at most 64 characters, e.g. /?learner=Ana Lima\n",
                )
        base = self.base_url(request)
        socket_base = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        socket_url = f"{socket_base}/ws" + (f"/{quote(learner, safe='')}" if learner else "")
        context = {
            "font_size": _int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": socket_url,
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": f"{TITLE} · {learner}" if learner else TITLE},
        }
        page = aiohttp_jinja2.render_string("app_index.html", request, context)
        return web.Response(text=page.replace(_FONT_LINK, ""), content_type="text/html")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler, with the learner's name passed to the app process."""
        learner = clean_learner(request.match_info.get("learner", "")) or ""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width", "80"), 80)
        height = _int(request.query.get("height", "24"), 24)
        service: LearnerAppService | None = None
        try:
            await websocket.prepare(request)
            service = LearnerAppService(
                self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
                download_manager=self.download_manager, debug=self.debug, learner=learner,
            )
            self.services.add(service)
            await service.start(width, height)
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one browser's failure must not stop the server
            sys.stderr.write(f"coach serve: a browser session failed: {error}\n")
        finally:
            if service is not None:
                await service.stop()
                await service.finish()
                self.services.discard(service)
        return websocket

    async def stop_apps(self) -> None:
        """Ask every app process to quit, and kill any that has not within a few seconds."""
        services = list(self.services)

        async def stop(service: LearnerAppService) -> None:
            try:
                await asyncio.wait_for(service.stop(), STOP_SECONDS)
            except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - killed below either way
                pass
            await service.finish()

        await asyncio.gather(*(stop(s) for s in services))


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


# --- running -----------------------------------------------------------------------------------


@dataclass
class Running:
    server: CoachServer
    runner: web.AppRunner
    url: str
    """The address to open, with the port actually bound (for `--port 0`)."""
    port: int


async def start(host: str, port: int, public_url: str | None = None) -> Running:
    """Bind and start serving; raise ServeError with a sentence when the address cannot be used."""
    server = CoachServer(host, port, public_url)
    runner = web.AppRunner(await server._make_app(), shutdown_timeout=STOP_SECONDS, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port, shutdown_timeout=STOP_SECONDS).start()
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


def serve(host: str, port: int, public_url: str | None, say: Callable[[str], None]) -> None:
    """Serve until SIGINT or SIGTERM, then stop every app process. Raises ServeError if it cannot bind."""
    asyncio.run(_serve(host, port, public_url, say))


async def _serve(host: str, port: int, public_url: str | None, say: Callable[[str], None]) -> None:
    running = await start(host, port, public_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C arrives as KeyboardInterrupt
            pass
    say(welcome(host, running.url, running.port))
    try:
        await stop.wait()
    finally:
        say("Stopping: closing every learner's app (their sessions are saved as they play).")
        await running.server.stop_apps()
        await running.runner.cleanup()


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def welcome(host: str, url: str, port: int) -> str:
    from .paths import sessions_dir

    lines = [f"coach is being served at {url}"]
    if is_loopback(host):
        lines += [
            "  Only this machine can open it. To let learners on your network in, run",
            f"    coach serve --host 0.0.0.0 --port {port}",
            f"  and give them http://{socket.gethostname()}:{port} (or this machine's address).",
        ]
    else:
        lines += [
            "  Other machines can open it: there is no password, so anyone who can reach this port can play",
            "  and their sessions are saved here. Serve on a network you trust, and stop it after the workshop.",
        ]
    lines += [
        "  Give each learner a link with their name, e.g. " + url.rstrip("/") + "/?learner=Ana, so cohort",
        "  reports can tell their sessions apart.",
        f"  Sessions are saved in {sessions_dir()}. Press Ctrl+C to stop.",
    ]
    return "\n".join(lines)
