"""The learner sandbox: its command line, and (as root, with bubblewrap) what it really lets through."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from course_tools.hub.sandbox import EXCHANGE, HOME, LearnerSandbox, passwd_lines

UID = 231_000  # a learner uid no process of the machine uses


def _box(tmp_path, **kwargs) -> LearnerSandbox:
    etc = tmp_path / "etc"
    etc.mkdir(exist_ok=True)
    passwd, group = passwd_lines(UID, UID)
    (etc / "passwd").write_text(passwd)
    (etc / "group").write_text(group)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True, mode=0o700)
    exchange = tmp_path / "exchange"
    exchange.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        os.chown(home, UID, UID)
    return LearnerSandbox(uid=UID, gid=UID, home=home, etc=etc, exchange=exchange, **kwargs)


def test_the_command_mounts_only_what_it_is_given(tmp_path):
    box = _box(tmp_path, read_only=((Path("/srv/env"), "/opt/hsml/learner-env"),), mem_limit=2 * 1024**3)
    argv = box.argv(["/opt/hsml/learner-env/bin/jupyterhub-singleuser", "--debug"])
    assert argv[-2:] == ["/opt/hsml/learner-env/bin/jupyterhub-singleuser", "--debug"]
    binds = [tuple(argv[i : i + 3]) for i, a in enumerate(argv) if a in ("--bind", "--ro-bind")]
    assert ("--bind", str(tmp_path / "home"), HOME) in binds
    assert ("--bind", str(tmp_path / "exchange"), EXCHANGE) in binds
    assert ("--ro-bind", "/srv/env", "/opt/hsml/learner-env") in binds
    assert {b[2] for b in binds} == {"/usr", "/etc/passwd", "/etc/group", "/opt/hsml/learner-env", HOME, EXCHANGE}
    assert "--unshare-net" not in argv, "the proxy reaches the server on 127.0.0.1: the network stays shared"
    assert "--unshare-pid" in argv and "--die-with-parent" in argv
    assert argv[argv.index("--reuid") + 1] == str(UID) and "--bounding-set=-all" in argv
    assert "--as=2147483648" in argv


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"uid": 0}, "uid must be an unprivileged id"),
        ({"gid": 50}, "gid must be an unprivileged id"),
        ({"home": Path("relative/home")}, "sandbox paths must be absolute"),
        ({"mem_limit": 10 * 1024**2}, "below 256 MB"),
    ],
)
def test_bad_settings_are_refused(tmp_path, kwargs, message):
    fields = {"uid": UID, "gid": UID, "home": tmp_path, "etc": tmp_path, **kwargs}
    with pytest.raises(ValueError, match=message):
        LearnerSandbox(**fields)


def test_an_empty_command_is_refused(tmp_path):
    with pytest.raises(ValueError, match="command is empty"):
        _box(tmp_path).argv([])


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("bwrap"), reason="needs root and bubblewrap")
def test_inside_the_learner_is_unprivileged_and_sees_none_of_the_machine(tmp_path):
    script = (
        "id -u; id -un; grep CapEff /proc/self/status; echo $(ls -A /); ls -A /root 2>&1 | head -1; "
        "touch /home/jovyan/mine && echo home-writable; touch /usr/x 2>/dev/null || echo usr-read-only; "
        f"ls {Path(__file__).resolve().parents[2]} 2>&1 | head -1"
    )
    result = subprocess.run(_box(tmp_path).argv(["/bin/sh", "-c", script]), capture_output=True, text=True, timeout=60)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert lines[0] == str(UID) and lines[1] == "jovyan"
    assert lines[2].split() == ["CapEff:", "0000000000000000"]
    top = set(lines[3].split())
    assert top == {"bin", "dev", "etc", "home", "lib", "lib64", "proc", "sbin", "srv", "tmp", "usr"}, top
    assert "No such file or directory" in lines[4], "/root is not even there"
    assert "home-writable" in lines and "usr-read-only" in lines
    assert "No such file or directory" in lines[-1], "the repository is not in the sandbox"
    assert (tmp_path / "home" / "mine").stat().st_uid == UID


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("bwrap"), reason="needs root and bubblewrap")
def test_the_memory_limit_holds_per_process(tmp_path):
    box = _box(tmp_path, mem_limit=512 * 1024**2)
    code = "import sys; sys.argv[1:] and bytearray(int(sys.argv[1])); print('allocated')"
    small = subprocess.run(box.argv(["/usr/bin/python3", "-c", code, "100000000"]), capture_output=True, text=True)
    large = subprocess.run(box.argv(["/usr/bin/python3", "-c", code, "1000000000"]), capture_output=True, text=True)
    assert small.stdout.strip() == "allocated", small
    assert "MemoryError" in large.stderr and "allocated" not in large.stdout, large
