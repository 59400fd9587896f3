"""course_tools.lab: what `make lab` runs. The command line, then a real server, started and stopped."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from course_tools import lab

REPO_ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"http://127\.0\.0\.1:(\d+)/lab/tree/modules/00_start_here\.ipynb\?token=([0-9a-f]+)")


def _option(command, name):
    return [part for part in command if part.startswith(f"--{name}")]


@pytest.mark.parametrize("as_root", [True, False])
def test_allow_root_only_as_root(as_root):
    command = lab.build_command(8899, as_root=as_root)
    assert ("--allow-root" in command) is as_root


def test_command_binds_localhost_and_serves_the_start_notebook_without_a_token():
    command = lab.build_command(8899, as_root=False)
    assert _option(command, "ip=") == ["--ip=127.0.0.1"]
    assert _option(command, "port=") == ["--port=8899"]
    assert not [part for part in command if "token" in part.lower()], command
    assert "--no-browser" in command
    assert any(part.endswith("/lab/tree/modules/00_start_here.ipynb") for part in command)


def test_the_token_travels_in_the_environment():
    assert lab.server_environment("s3cret", {"HOME": "/h"}) == {"HOME": "/h", "JUPYTER_TOKEN": "s3cret"}


@pytest.mark.parametrize("token", ["", "   ", None])
def test_an_empty_token_is_refused(token):
    with pytest.raises(ValueError, match="authentication off"):
        lab.server_environment(token)


def test_port_comes_from_lab_port(monkeypatch):
    monkeypatch.setenv("LAB_PORT", "9123")
    assert lab.default_port() == 9123
    monkeypatch.delenv("LAB_PORT")
    assert lab.default_port() == 8888
    monkeypatch.setenv("LAB_PORT", "http")
    with pytest.raises(SystemExit, match="LAB_PORT must be a port number"):
        lab.default_port()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, token=None):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_lab_really_starts_and_requires_its_token(tmp_path):
    port = _free_port()
    log = tmp_path / "lab.log"
    env = {key: value for key, value in os.environ.items() if key != "JUPYTER_TOKEN"}
    env.update(JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "course_tools.lab", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        match = None
        while match is None and time.monotonic() < deadline and server.poll() is None:
            match = URL.search(log.read_text())
            time.sleep(0.1)
        assert match, f"no URL with a token printed:\n{log.read_text()}"
        assert int(match.group(1)) == port
        token = match.group(2)
        notebook = f"http://127.0.0.1:{port}/api/contents/modules/00_start_here.ipynb?content=0"
        status = None
        while status != 200 and time.monotonic() < deadline and server.poll() is None:
            try:
                status = _get(notebook, token)
            except OSError:  # not listening yet
                time.sleep(0.2)
        assert status == 200, f"the start notebook is not served:\n{log.read_text()}"
        assert _get(notebook) == 403, "the server answered without its token"
        assert _get(notebook, "wrong-token") == 403
        # no process of the server shows the token in its arguments (any local user reads /proc/<pid>/cmdline)
        import psutil

        family = [psutil.Process(server.pid), *psutil.Process(server.pid).children(recursive=True)]
        assert len(family) >= 2, "expected course_tools.lab and its jupyter lab child"
        for process in family:
            cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().decode(errors="replace")
            assert token not in cmdline, f"the token is in the arguments of {process.pid}: {cmdline!r}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
