"""`coach serve` as a room of browsers sees it: real websockets against a server on 127.0.0.1.

The server runs in the test's own event loop (`coach.web.server.start` on port 0) and aiohttp's client
plays the browsers, each with its own cookie jar. Most tests run a stand-in app (a small script
that speaks textual-serve's packet protocol and echoes what it is told) so they are light on a
busy machine; the test that two learners stay apart runs the real `python -m coach`.

Every wait is for a condition, with a generous limit; nothing sleeps for a fixed time.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.web import server as served

WAIT = 60.0

STAND_IN = r'''
import json, os, sys
out = sys.stdout.buffer
def send(kind, payload):
    out.write(kind + len(payload).to_bytes(4, "big") + payload)
    out.flush()
open(os.path.join(os.environ["STAND_IN_MARKS"], str(os.getpid())), "w").close()
out.write(b"__GANGLION__\n")
out.flush()
send(b"D", json.dumps({"hello": {"columns": os.environ["COLUMNS"], "rows": os.environ["ROWS"],
                                 "home": os.environ.get("COACH_HOME"), "learner": os.environ.get("COACH_LEARNER"),
                                 "cwd": os.getcwd()}}).encode())
stdin = sys.stdin.buffer
while True:
    head = stdin.read(5)
    if len(head) < 5:
        break
    payload = stdin.read(int.from_bytes(head[1:], "big"))
    if head[:1] == b"M":
        meta = json.loads(payload)
        if meta["type"] == "quit" and not os.environ.get("STAND_IN_STUBBORN"):
            send(b"M", b'{"type": "exit"}')
            break
        send(b"D", json.dumps({"meta": meta}).encode())
    else:
        send(b"D", json.dumps({"stdin": payload.decode()}).encode())
'''


async def until(condition, what: str, seconds: float = WAIT) -> None:
    """Wait until condition() is true, checking as the event loop turns; fail after `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        await asyncio.sleep(0.05)


@pytest.fixture
def marks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder where each stand-in app that starts leaves a file named by its pid."""
    folder = tmp_path / "marks"
    folder.mkdir()
    monkeypatch.setenv("STAND_IN_MARKS", str(folder))
    return folder


@pytest.fixture
def stand_in(tmp_path: Path, marks: Path) -> str:
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN, "utf-8")
    return "exec " + shlex.join([sys.executable, str(script)])


@pytest.fixture
def options() -> dict:
    """What `start` is given beyond the stand-in app; a test changes it with parametrize."""
    return {}


@pytest.fixture
async def server(tmp_path: Path, stand_in: str, options: dict):
    options = {"command": stand_in, **options}
    running = await served.start("127.0.0.1", 0, data=tmp_path / "serve", **options)
    try:
        yield running
    finally:
        await running.server.stop_apps()
        await running.runner.cleanup()


def browser() -> aiohttp.ClientSession:
    """One browser: its own cookies (unsafe=True: cookies for an IP address, as a browser keeps them)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=aiohttp.ClientTimeout(total=WAIT))


def origin(running: served.Running) -> str:
    return f"http://127.0.0.1:{running.port}"


async def join(session: aiohttp.ClientSession, running: served.Running, name: str) -> str:
    """Open the join address, give a name, and return the app page it leads to."""
    async with session.get(running.join_url) as response:
        assert response.status == 200
        form = await response.text()
    assert 'name="name"' in form and running.server.join_token in form
    async with session.post(f"{running.url}/join", data={"token": running.server.join_token, "name": name},
                            headers={"Origin": origin(running)}) as response:
        assert response.status == 200, await response.text()
        return await response.text()


async def connect(session: aiohttp.ClientSession, running: served.Running, query: str = "width=80&height=24"):
    return await session.ws_connect(f"ws://127.0.0.1:{running.port}/ws?{query}", origin=origin(running))


async def hello(websocket) -> dict:
    """The stand-in's first message: the size, folder and learner it was started with."""
    return (await data_message(websocket))["hello"]


async def data_message(websocket) -> dict:
    while True:
        message = await websocket.receive(timeout=WAIT)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        return json.loads(message.data)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


# --- who may come in ----------------------------------------------------------------------------


async def test_without_the_token_no_page_and_no_app(server: served.Running, marks: Path) -> None:
    async with browser() as session:
        for address in (f"{server.url}/", f"{server.url}/?token=wrong", f"{server.url}/?token="):
            async with session.get(address) as response:
                assert response.status == 403
                assert "join address your facilitator gave you" in await response.text()
        async with session.post(f"{server.url}/join", data={"token": "guess", "name": "Mallory"}) as response:
            assert response.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await connect(session, server)
        assert refused.value.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await connect(session, server, f"token={server.server.facilitator_token}")
        assert refused.value.status == 403
    assert not server.server.services and list(marks.iterdir()) == []
    assert list(server.server.learners.all()) == []


async def test_the_token_is_kept_and_leaves_the_address_bar(server: served.Running) -> None:
    async with browser() as session:
        async with session.get(server.join_url) as response:
            assert response.status == 200
            assert "history.replaceState" in await response.text()
        async with session.get(f"{server.url}/") as response:  # the cookie stands in for the token
            assert response.status == 200 and 'name="name"' in await response.text()


async def test_a_foreign_origin_is_refused(server: served.Running, marks: Path) -> None:
    async with browser() as session:
        await join(session, server, "Ana")
        for foreign in ("http://evil.example", f"http://localhost.evil.example:{server.port}", "null",
                        f"https://127.0.0.1:{server.port}.evil.example"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(f"ws://127.0.0.1:{server.port}/ws", origin=foreign)
            assert refused.value.status == 403
        async with session.post(f"{server.url}/join", data={"token": server.server.join_token, "name": "Eve"},
                                headers={"Origin": "http://evil.example"}) as response:
            assert response.status == 403
        # DNS rebinding: a page on evil.example whose name now points here; Host and Origin agree, but the
        # server listens on loopback and answers only to loopback names.
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(f"ws://127.0.0.1:{server.port}/ws", origin=f"http://evil.example:{server.port}",
                                     headers={"Host": f"evil.example:{server.port}"})
        assert refused.value.status == 403
        assert list(marks.iterdir()) == []
        websocket = await connect(session, server)  # the server's own origin is let in
        assert (await hello(websocket))["learner"] == "Ana"
        await websocket.close()


async def test_plain_requests_and_bad_messages_get_4xx_not_tracebacks(server: served.Running, capfd) -> None:
    async with browser() as session:
        async with session.get(f"{server.url}/ws") as response:
            assert response.status == 403
        await join(session, server, "Ana")
        async with session.get(f"{server.url}/ws") as response:
            assert response.status == 400 and "websocket" in await response.text()
        async with session.post(f"{server.url}/join", data="x" * (served.MAX_BODY * 2),
                                headers={"Content-Type": "application/x-www-form-urlencoded"}) as response:
            assert 400 <= response.status < 500
        async with session.get(f"{server.url}/download/nothing") as response:
            assert response.status == 404
        async with session.get(f"{server.url}/static/../../../etc/passwd") as response:
            assert response.status in (403, 404)
        for bad in ("not json", "{}", "[]", '[1, 2]', '["stdin", 5]', '["resize", "big"]', '["ping", {"a": 1}]'):
            websocket = await connect(session, server)
            await hello(websocket)
            await websocket.send_str(bad)
            message = await websocket.receive(timeout=WAIT)
            assert message.type == aiohttp.WSMsgType.CLOSE and message.data == aiohttp.WSCloseCode.UNSUPPORTED_DATA, bad
            await websocket.close()
        websocket = await connect(session, server)  # and the server still serves
        await hello(websocket)
        await websocket.send_str('["ping", "x"]')
        assert (await websocket.receive_json(timeout=WAIT)) == ["pong", "x"]
        await websocket.close()
    await until(lambda: not server.server.services, "every app to end")
    captured = capfd.readouterr()
    assert "Traceback" not in captured.out + captured.err


# --- bounds ------------------------------------------------------------------------------------------


async def test_a_huge_resize_is_clamped(server: served.Running) -> None:
    async with browser() as session:
        await join(session, server, "Ana")
        websocket = await connect(session, server, "width=50000&height=50000")
        started = await hello(websocket)
        assert (started["columns"], started["rows"]) == (str(served.MAX_COLUMNS), str(served.MAX_ROWS))
        for width, height, expected in ((50000, 50000, (300, 100)), (-5, 0, (20, 10)), (10**30, 1.5e300, (300, 100)),
                                        (True, None, (80, 24)), (120, 40, (120, 40))):
            await websocket.send_str(json.dumps(["resize", {"width": width, "height": height}]))
            meta = (await data_message(websocket))["meta"]
            assert (meta["type"], meta["width"], meta["height"]) == ("resize", *expected), (width, height)
        await websocket.close()


@pytest.mark.parametrize("options", [{"max_learners": 2}])
async def test_the_cap_holds_and_a_closed_tab_frees_its_place(server: served.Running, marks: Path) -> None:
    async with browser() as ana, browser() as ben, browser() as cy:
        for session, name in ((ana, "Ana"), (ben, "Ben"), (cy, "Cy")):
            await join(session, server, name)
        first = await connect(ana, server)
        await hello(first)
        second = await connect(ben, server)
        await hello(second)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await connect(cy, server)
        assert refused.value.status == 503
        async with cy.get(f"{server.url}/") as response:
            assert response.status == 503 and "All 2 places are taken" in await response.text()
        assert len(list(marks.iterdir())) == 2
        await first.close()
        await until(lambda: len(server.server.services) == 1, "the closed tab's app to end")
        third = await connect(cy, server)
        assert (await hello(third))["learner"] == "Cy"
        await second.close()
        await third.close()


async def test_one_learner_cannot_take_every_place(server: served.Running) -> None:
    async with browser() as session:
        await join(session, server, "Ana")
        tabs = []
        for _ in range(served.APPS_PER_LEARNER):
            tabs.append(await connect(session, server))
            await hello(tabs[-1])
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await connect(session, server)
        assert refused.value.status == 503
        for tab in tabs:
            await tab.close()


async def test_an_app_is_ended_when_its_websocket_closes_even_if_it_will_not_quit(
        server: served.Running, marks: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAND_IN_STUBBORN", "1")  # ignores the quit message: the server must kill it
    async with browser() as session:
        await join(session, server, "Ana")
        websocket = await connect(session, server)
        await hello(websocket)
        [pid] = [int(mark.name) for mark in marks.iterdir()]
        assert alive(pid)
        await websocket.close()
        await until(lambda: not alive(pid), "the app process to be gone", seconds=served.STOP_SECONDS * 6)
        await until(lambda: not server.server.services, "the server to forget the app")


# --- learners ----------------------------------------------------------------------------------------


async def test_a_name_is_checked_and_a_returning_learner_keeps_theirs(server: served.Running) -> None:
    async with browser() as session:
        async with session.get(server.join_url) as response:
            assert response.status == 200
        for bad in ("<script>alert(1)</script>", "=HYPERLINK(1)", "x" * 65, "   "):
            async with session.post(f"{server.url}/join", data={"name": bad}) as response:
                assert response.status == 400
                text = await response.text()
                assert "That name cannot be used" in text and "<script>alert" not in text
        page = await join(session, server, "  Ana   Lima ")
        assert "coach · Ana Lima" in page and "data-session-websocket-url" in page
        async with session.get(f"{server.url}/") as response:  # back later: straight to the app
            assert "coach · Ana Lima" in await response.text()
        [learner] = server.server.learners.all()
        assert learner.name == "Ana Lima" and learner.home.parent == server.server.learners.root
        assert learner.home.name != "Ana Lima" and len(learner.home.name) == 24


async def test_a_forged_learner_cookie_is_no_one(server: served.Running, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "learner.json").write_text('{"name": "Host"}')
    async with browser() as session:
        async with session.get(server.join_url) as response:
            assert response.status == 200
        for forged in ("../../outside", "..%2F..%2Foutside", "A" * 24):
            session.cookie_jar.update_cookies({server.server.learner_cookie: forged})
            async with session.get(f"{server.url}/") as response:
                assert 'name="name"' in await response.text()  # asked for a name: not anybody
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await connect(session, server)
            assert refused.value.status == 403


async def test_the_page_never_repeats_the_host_header(server: served.Running) -> None:
    async with browser() as session:
        page = await join(session, server, "Ana")
        async with session.get(f"{server.url}/", headers={"Host": f"localhost:{server.port}"}) as response:
            again = await response.text()
    for text in (page, again):
        assert 'data-session-websocket-url=""' in text and 'new URL("ws",location.href)' in text
        assert 'href="static/css/xterm.css"' in text
        assert "localhost" not in text and f"127.0.0.1:{server.port}" not in text


@pytest.mark.parametrize("options", [{"public_url": "https://coach.example.org"}])
async def test_behind_a_proxy_the_public_url_is_the_one_origin(server: served.Running) -> None:
    proxied = {"Host": "coach.example.org", "Origin": "https://coach.example.org"}
    async with browser() as session:
        async with session.get(f"http://127.0.0.1:{server.port}/?token={server.server.join_token}",
                               headers={"Host": "coach.example.org"}) as response:
            assert response.status == 200
            assert "Secure" in response.headers["Set-Cookie"] and "SameSite=Strict" in response.headers["Set-Cookie"]
        async with session.post(f"http://127.0.0.1:{server.port}/join", headers=proxied,
                                data={"token": server.server.join_token, "name": "Ana"}, allow_redirects=False) as response:
            assert response.status == 303
            learner = response.cookies[server.server.learner_cookie].value
        # The cookies are Secure: a browser sends them only over the proxy's https, so they are set by hand here.
        cookies = {"Cookie": f"{server.server.join_cookie}={server.server.join_token}; "
                             f"{server.server.learner_cookie}={learner}"}
        async with session.get(f"http://127.0.0.1:{server.port}/", headers={**proxied, **cookies}) as response:
            page = await response.text()
        assert 'data-session-websocket-url="wss://coach.example.org/ws"' in page
        assert "https://coach.example.org/static/js/textual.js" in page
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(f"ws://127.0.0.1:{server.port}/ws", origin=origin(server), headers=cookies)
        assert refused.value.status == 403
        websocket = await session.ws_connect(f"ws://127.0.0.1:{server.port}/ws", headers={**proxied, **cookies})
        assert (await hello(websocket))["learner"] == "Ana"
        await websocket.close()


def coach_env(home: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k != "COACH_LEARNER"}, "COACH_HOME": home}


def coach(home: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, env=coach_env(home),
                          timeout=WAIT, check=True)


@pytest.mark.parametrize("options", [{"command": None}])  # the real app
async def test_two_learners_never_see_each_others_sessions(server: served.Running, coach_home: Path) -> None:
    async with browser() as ana, browser() as ben:
        await join(ana, server, "Ana")
        await join(ben, server, "Ben")
        sockets = [await connect(ana, server), await connect(ben, server)]
        for websocket in sockets:  # the app has drawn something: it is running
            message = await websocket.receive(timeout=WAIT * 2)
            assert message.type == aiohttp.WSMsgType.BINARY, message
        environments = {}
        for service in server.server.services:
            assert service.pid is not None
            raw = Path(f"/proc/{service.pid}/environ").read_bytes().split(b"\0")
            environment = dict(item.decode().split("=", 1) for item in raw if b"=" in item)
            environments[environment["COACH_LEARNER"]] = environment
        assert set(environments) == {"Ana", "Ben"}
        homes = {name: Path(env["COACH_HOME"]) for name, env in environments.items()}
        assert homes["Ana"] != homes["Ben"]
        for name, home in homes.items():
            assert home.parent == server.server.learners.root and str(coach_home) not in str(home.relative_to(
                server.server.learners.root))
            assert environments[name]["COACH_CONFINE"] == str(home)

        # Ana plays a session (as her app would record it); only her history lists it.
        coach(str(homes["Ana"]), "simulate", "precision-cliff", "--choices", "1", "--seed", "1")
        assert len(json.loads(coach(str(homes["Ana"]), "history", "--json").stdout)) == 1
        assert json.loads(coach(str(homes["Ben"]), "history", "--json").stdout) == []
        assert json.loads(coach(str(coach_home), "history", "--json").stdout) == []  # nor the host's

        async with ana.get(f"{server.url}/facilitator") as response:  # a learner's cookies do not open it
            assert response.status == 403
        async with browser() as facilitator:
            async with facilitator.get(server.facilitator_url) as response:
                assert response.status == 200
                board = await response.text()
            async with facilitator.get(f"{server.url}/facilitator") as response:  # kept in a cookie
                assert response.status == 200
        assert "<td>Ana</td><td>yes</td>" in board and "<td>Ben</td><td>yes</td>" in board
        assert "The Precision Cliff" in board or "precision-cliff" in board
        for websocket in sockets:
            await websocket.close()
    await until(lambda: not server.server.services, "both apps to end")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=8)


@settings(deadline=None)
@given(json_values, json_values)
def test_any_size_a_browser_sends_is_clamped(width, height) -> None:
    columns, rows = served.clamp_size(width, height)
    assert served.MIN_COLUMNS <= columns <= served.MAX_COLUMNS and served.MIN_ROWS <= rows <= served.MAX_ROWS
    assert type(columns) is int and type(rows) is int


async def test_a_prefilled_name_is_escaped(server: served.Running) -> None:
    async with browser() as session:
        async with session.get(f"{server.join_url}&name=%22%3E%3Cscript%3Ealert(1)%3C/script%3E") as response:
            form = await response.text()
    assert "<script>alert" not in form and "&quot;&gt;&lt;script&gt;" in form
