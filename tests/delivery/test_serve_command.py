"""`coach serve` without a browser: the page it serves, its messages, and its one-line errors.

Every request goes to 127.0.0.1; binding to an address this machine does not have fails in the
kernel before anything is sent.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def coach(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, env=os.environ.copy(),
                          timeout=timeout)


@pytest.fixture
def served(coach_home: Path):
    process = subprocess.Popen([sys.executable, "-m", "coach", "serve", "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        first = process.stdout.readline()
        assert first.startswith("coach is being served at http://127.0.0.1:"), first + process.stderr.read()
        url = first.split()[-1]
        yield process, url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise


def get(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_welcome_says_how_to_expose_it_and_where_sessions_go(served, coach_home: Path) -> None:
    process, url = served
    port = url.rsplit(":", 1)[1]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    out, err = process.stdout.read(), process.stderr.read()
    assert "Only this machine can open it" in out
    assert f"coach serve --host 0.0.0.0 --port {port}" in out
    assert "?learner=" in out and str(coach_home / "data" / "sessions") in out
    assert "Stopping" in out and "Traceback" not in err


def test_page_names_the_learner_and_asks_nothing_of_other_hosts(served) -> None:
    _, url = served
    status, page = get(f"{url}/?learner=Ana%20Lima")
    assert status == 200
    port = url.rsplit(":", 1)[1]
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws/Ana%20Lima"' in page
    assert "coach · Ana Lima" in page
    external = [line for line in page.splitlines() if "://" in line and f"127.0.0.1:{port}" not in line
                and "http://www.w3.org/2000/svg" not in line]
    assert external == []


def test_page_follows_the_address_the_browser_used(served) -> None:
    _, url = served
    port = url.rsplit(":", 1)[1]
    status, page = get(url + "/", host=f"localhost:{port}")
    assert status == 200
    assert f'data-session-websocket-url="ws://localhost:{port}/ws"' in page
    assert f"http://localhost:{port}/static/js/textual.js" in page


def test_a_learner_name_that_cannot_be_used_is_refused(served) -> None:
    _, url = served
    status, text = get(f"{url}/?learner=%3Cscript%3E")
    assert status == 400 and "learner name cannot be used" in text


def test_port_in_use_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = coach("serve", "--port", str(port))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"coach serve: port {port} on 127.0.0.1 is already in use; stop what is using it, or choose another port with --port\n"


def test_an_address_this_machine_lacks_is_one_line() -> None:
    result = coach("serve", "--host", "203.0.113.7", "--port", "0")  # TEST-NET-3: never a local address
    assert result.returncode == 1
    assert result.stderr.startswith("coach serve: cannot listen on 203.0.113.7: this machine has no such address")
    assert result.stderr.count("\n") == 1


def test_public_url_must_be_an_address() -> None:
    result = coach("serve", "--public-url", "coach.example.org")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "--public-url must start with" in result.stderr


def test_learner_from_the_link_reaches_the_app_process() -> None:
    from coach.web import LearnerAppService, app_command

    def service(learner: str) -> LearnerAppService:
        async def nothing(*_args) -> None:
            return None

        return LearnerAppService(app_command(), write_bytes=nothing, write_str=nothing, close=nothing,
                                 download_manager=None, learner=learner)  # type: ignore[arg-type]

    named = service("Ana Lima")._build_environment(100, 30)
    assert named["COACH_LEARNER"] == "Ana Lima" and named["COACH_HOME"] == os.environ["COACH_HOME"]
    assert named["TEXTUAL_DRIVER"].endswith("WebDriver") and named["COLUMNS"] == "100"
    os.environ["COACH_LEARNER"] = "Server Owner"
    try:
        assert service("")._build_environment()["COACH_LEARNER"] == ""  # not the server owner's name
    finally:
        del os.environ["COACH_LEARNER"]
    assert app_command().startswith("exec ") and app_command().endswith("-m coach")
