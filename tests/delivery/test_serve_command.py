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
import http.cookiejar
import urllib.error
import urllib.parse
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
        join = process.stdout.readline()
        facilitator = process.stdout.readline()
        assert join.split()[:3] == ["Learners", "join", "at"] and facilitator.split()[:3] == ["Facilitator", "page", "at"]
        yield process, url, join.split()[-1], facilitator.split()[-1]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise


def browser() -> urllib.request.OpenerDirector:
    """A browser's cookies, for urllib."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def get(url: str, opener: urllib.request.OpenerDirector | None = None, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with (opener or browser()).open(urllib.request.Request(url, data=body), timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_welcome_gives_the_join_and_facilitator_addresses(served, coach_home: Path) -> None:
    process, url, join, facilitator = served
    port = url.rsplit(":", 1)[1]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    out, err = process.stdout.read(), process.stderr.read()
    assert join.startswith(f"{url}/?token=") and facilitator.startswith(f"{url}/facilitator?token=")
    assert join.split("=", 1)[1] != facilitator.split("=", 1)[1] and len(join.split("=", 1)[1]) >= 32
    assert "Only this machine can open it" in out
    assert f"coach serve --host 0.0.0.0 --port {port}" in out
    assert str(coach_home / "data" / "serve" / "learners") in out
    assert "Stopping" in out and "Traceback" not in err


def test_joining_asks_a_name_then_serves_a_page_that_asks_nothing_of_other_hosts(served) -> None:
    _, url, join, _ = served
    assert get(url + "/")[0] == 403
    opener = browser()
    status, form = get(join, opener)
    assert status == 200 and 'name="name"' in form
    status, page = get(url + "/join", opener, {"name": "Ana Lima"})
    assert status == 200
    assert 'data-session-websocket-url=""' in page and "coach · Ana Lima" in page
    external = [line for line in page.splitlines() if "://" in line and "http://www.w3.org/2000/svg" not in line]
    assert external == []
    status, board = get(served[3])
    assert status == 200 and "<td>Ana Lima</td>" in board


def test_max_learners_is_a_positive_count() -> None:
    result = coach("serve", "--max-learners", "0")
    assert result.returncode == 2 and "--max-learners" in result.stderr and "Traceback" not in result.stderr


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


def test_each_learner_app_gets_its_own_folder_and_name(tmp_path: Path) -> None:
    from coach.web.server import LearnerAppService, app_command

    def service(learner: str) -> LearnerAppService:
        async def nothing(*_args) -> None:
            return None

        return LearnerAppService(app_command(), write_bytes=nothing, write_str=nothing, close=nothing,
                                 download_manager=None, learner=learner, home=tmp_path / "ana")  # type: ignore[arg-type]

    named = service("Ana Lima")._build_environment(100, 30)
    assert named["COACH_LEARNER"] == "Ana Lima" and named["COACH_HOME"] == str(tmp_path / "ana")
    assert named["COACH_CONFINE"] == str(tmp_path / "ana")
    assert named["TEXTUAL_DRIVER"].endswith("WebDriver") and named["COLUMNS"] == "100"
    assert service("x")._build_environment(99999, 99999)["COLUMNS"] == "300"
    os.environ["COACH_LEARNER"] = "Server Owner"
    try:
        assert service("")._build_environment()["COACH_LEARNER"] == ""  # not the server owner's name
    finally:
        del os.environ["COACH_LEARNER"]
    assert app_command().startswith("exec ") and app_command().endswith("-m coach")


def test_a_relative_data_dir_is_made_absolute(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "coach", "serve", "--port", "0", "--data-dir", "room"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
                               cwd=tmp_path)
    try:
        lines = [process.stdout.readline() for _ in range(9)]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    assert any(line.endswith(f"saved under {tmp_path.resolve() / 'room' / 'learners'}\n") for line in lines), lines
    assert (tmp_path / "room" / "learners").is_dir()
