"""The pieces of the end-to-end cohort test: PostgreSQL, JupyterHub, a learner's server, cleanup.

Everything runs on this machine: PostgreSQL 15 as the ``postgres`` user on a socket in a
temporary folder (no TCP), JupyterHub (``deploy/hub/jupyterhub_config.py``) with its proxy on
127.0.0.1, learner servers in their bubblewrap sandboxes, the instructor's commands as
subprocesses (``python -m course_tools.grading``), exactly as an instructor types them.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
LEARNER_ENV = REPO / "build" / "hub" / "learner-env"
PROXY = REPO / "build" / "hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_CONFIG = REPO / "deploy" / "hub" / "jupyterhub_config.py"
COURSE_ID = "high-stakes-ml"
TIMINGS: list[str] = []  # lines for the terminal summary (tests/hub/conftest.py)


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def missing_requirements() -> str | None:
    """Why the end-to-end test cannot run here (None: it can)."""
    import pwd

    if os.geteuid() != 0:
        return "needs root (bubblewrap mounts, learner uids, PostgreSQL as the postgres user)"
    if not shutil.which("bwrap"):
        return "no bubblewrap: apt-get install -y bubblewrap"
    for tool in ("setpriv", "prlimit"):
        if not shutil.which(tool):
            return f"no {tool} (util-linux)"
    if not shutil.which("node") or not shutil.which("npm"):
        return "no node/npm for JupyterHub's configurable-http-proxy"
    if postgres_bin() is None:
        return "no PostgreSQL server (/usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres user to run PostgreSQL as"
    if not (LEARNER_ENV / "bin" / "jupyterhub-singleuser").exists():
        return f"no learner environment in {LEARNER_ENV}: run `make hub-env` (or `make test-hub`)"
    if not PROXY.exists():
        return f"no configurable-http-proxy in {PROXY.parent}: run `make hub-env` (or `make test-hub`)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, condition, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not ready after {timeout:.0f} s")
        time.sleep(interval)


# --- processes ---------------------------------------------------------------------------------
def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children...)."""
    tree, todo, found = _children_map(), [pid], []
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def processes_of_uid(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid and alive(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def memory_of(pids: list[int]) -> dict[str, float]:
    """Resident (RSS) and proportional (PSS) memory of ``pids``, in MB (shared pages counted once in PSS)."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return {"rss_mb": rss / 1024, "pss_mb": pss / 1024, "processes": len(pids)}


def terminate(pids: list[int], timeout: float = 10.0) -> list[int]:
    """SIGTERM, then SIGKILL what is left after ``timeout``; returns the pids still alive (should be none)."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        for pid in pids:
            if alive(pid):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(alive(p) for p in pids):
            time.sleep(0.2)
    return [p for p in pids if alive(p)]


# --- PostgreSQL --------------------------------------------------------------------------------
@dataclass
class Postgres:
    """PostgreSQL in ``folder`` (owned by the postgres user): socket only, trust for local users."""

    folder: Path
    database: str = "gradebook"
    user: str = "grader"

    def _as_postgres(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["setpriv", "--reuid", "postgres", "--regid", "postgres", "--init-groups", "--", *args],
            capture_output=True,
            text=True,
            check=check,
            cwd=self.folder,
        )

    def start(self) -> Postgres:
        import pwd

        pg = postgres_bin()
        entry = pwd.getpwnam("postgres")
        self.folder.mkdir(mode=0o755)
        os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        # --no-sync and fsync=off: a throwaway database; a real one keeps PostgreSQL's defaults
        self._as_postgres(str(pg / "initdb"), "-D", str(self.folder / "db"), "-A", "trust", "-U", self.user, "-N")
        self._as_postgres(
            str(pg / "pg_ctl"),
            "-D",
            str(self.folder / "db"),
            "-o",
            f"-k {self.folder} -c listen_addresses= -c fsync=off",
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )
        self._as_postgres(str(pg / "createdb"), "-h", str(self.folder), "-U", self.user, self.database)
        return self

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{self.user}@/{self.database}?host={self.folder}"

    def query(self, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(host=str(self.folder), user=self.user, dbname=self.database) as conn:
            return conn.execute(sql).fetchall()

    def stop(self) -> None:
        if (self.folder / "db" / "postmaster.pid").exists():
            self._as_postgres(str(postgres_bin() / "pg_ctl"), "-D", str(self.folder / "db"), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        pids = [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()]
        return any(str(self.folder / "db") in cmdline(p) for p in pids if alive(p))


# --- JupyterHub --------------------------------------------------------------------------------
@dataclass
class Hub:
    """JupyterHub with deploy/hub/jupyterhub_config.py, every path and port in ``base``."""

    base: Path
    gradebook_url: str
    course_dir: Path
    admin_token: str = field(default_factory=lambda: uuid.uuid4().hex)
    learner_password: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    instructor_password: str = field(default_factory=lambda: uuid.uuid4().hex)  # 32 characters
    instructor: str = "teacher"
    process: subprocess.Popen | None = None

    def __post_init__(self):
        self.port, self.api_port, self.proxy_api_port, self.formgrader_port = (free_port() for _ in range(4))
        self.root = self.base / "hub"
        self.exchange = self.base / "exchange"
        self.url = f"http://127.0.0.1:{self.port}"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {self.admin_token}"

    def environment(self) -> dict[str, str]:
        return {
            "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": str(self.base),
            "HSML_HUB_ROOT": str(self.root),
            "HSML_EXCHANGE_ROOT": str(self.exchange),
            "HSML_LEARNER_ENV": str(LEARNER_ENV),
            "HSML_HUB_PROXY": str(PROXY),
            "HSML_HUB_BIND_URL": self.url,
            "HSML_HUB_API_URL": f"http://127.0.0.1:{self.api_port}",
            "HSML_HUB_PROXY_API": f"http://127.0.0.1:{self.proxy_api_port}",
            "HSML_FORMGRADER_URL": f"http://127.0.0.1:{self.formgrader_port}",
            "HSML_HUB_SHARED_PASSWORD": self.learner_password,
            "HSML_HUB_INSTRUCTOR_PASSWORD": self.instructor_password,
            "HSML_HUB_INSTRUCTORS": self.instructor,
            "HSML_HUB_ADMIN_TOKEN": self.admin_token,
            "HSML_COURSE_DIR": str(self.course_dir),
            "HSML_GRADEBOOK_URL": self.gradebook_url,
        }

    def start(self, timeout: float = 180) -> Hub:
        self.root.mkdir(mode=0o700)
        self.log = open(self.base / "jupyterhub.log", "w")  # closed in stop()
        self.process = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(HUB_CONFIG)],
            cwd=self.root,
            env=self.environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def up():
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited ({self.process.returncode}); see {self.base}/jupyterhub.log")
            try:
                return self.session.get(f"{self.url}/hub/api/", timeout=5).status_code == 200
            except requests.ConnectionError:
                return False

        wait_for("JupyterHub", up, timeout)
        return self

    def api(self, method: str, path: str, **kwargs):
        response = self.session.request(method, f"{self.url}/hub/api{path}", timeout=60, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} /hub/api{path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def start_servers(self, names: list[str], timeout: float = 240) -> dict[str, float]:
        """Create the learners, start their servers together; seconds until each was ready."""
        self.api("POST", "/users", json={"usernames": names})
        started = time.monotonic()
        for name in names:
            self.api("POST", f"/users/{name}/server")
        ready: dict[str, float] = {}

        def all_ready():
            for name in names:
                if name not in ready and self.api("GET", f"/users/{name}")["servers"].get("", {}).get("ready"):
                    ready[name] = time.monotonic() - started
            return len(ready) == len(names)

        wait_for("learner servers", all_ready, timeout, interval=1.0)
        return ready

    def learner(self, name: str) -> Learner:
        token = self.api("POST", f"/users/{name}/tokens", json={"note": "end-to-end test", "expires_in": 3600})
        return Learner(name, f"{self.url}/user/{name}", token["token"])

    def stop(self) -> list[str]:
        """Stop the learner servers, the formgrader, the hub and its proxy; what is left (should be empty)."""
        if self.process is None:
            return []
        left = []
        if self.process.poll() is None:
            try:
                for user in self.api("GET", "/users"):
                    if user["servers"]:
                        self.session.delete(f"{self.url}/hub/api/users/{user['name']}/server", timeout=60)
            except (RuntimeError, requests.RequestException):
                pass
            below = descendants(self.process.pid)
            # the formgrader (a jupyter server) ignores the SIGINT the hub sends first: SIGTERM it ourselves
            formgrader = [p for p in below if "jupyterhub-singleuser" in cmdline(p) and "bwrap" not in cmdline(p)]
            terminate(formgrader)
            left = terminate([self.process.pid], timeout=60)
            left += terminate([p for p in below if alive(p)])
        self.log.close()
        return [f"{pid}: {cmdline(pid)[:120]}" for pid in left]


# --- a learner, through the hub ----------------------------------------------------------------
@dataclass
class Learner:
    """One learner's server, reached through the hub's proxy with their own API token."""

    name: str
    url: str
    token: str

    def request(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=120, **kwargs)

    def call(self, method: str, path: str, **kwargs):
        response = self.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{self.name}: {method} {path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def nbgrader(self, action: str, assignment: str) -> dict:
        """nbgrader's REST handler of the learner's server: fetch, submit or fetch_feedback."""
        body = {"course_id": COURSE_ID, "assignment_id": assignment}
        return self.call("POST", f"/assignments/{action}", json=body)

    def read_notebook(self, path: str) -> dict:
        return self.call("GET", f"/api/contents/{path}", params={"content": 1, "type": "notebook"})["content"]

    def write_notebook(self, path: str, nb: dict) -> None:
        self.call("PUT", f"/api/contents/{path}", json={"type": "notebook", "format": "json", "content": nb})

    def write_text(self, path: str, text: str) -> None:
        self.call("PUT", f"/api/contents/{path}", json={"type": "file", "format": "text", "content": text})

    def listing(self, path: str) -> list[str]:
        response = self.request("GET", f"/api/contents/{path}", params={"content": 1})
        if response.status_code == 404:
            return []
        return sorted(item["path"] for item in response.json()["content"])

    def run(self, code: str, timeout: float = 120) -> tuple[str, str | None]:
        """Run ``code`` in a new kernel of the learner's server: (stdout, error or None)."""
        kernel = self.call("POST", "/api/kernels", json={"name": "python3"})
        try:
            return asyncio.run(self._execute(kernel["id"], code, timeout))
        finally:
            self.request("DELETE", f"/api/kernels/{kernel['id']}")

    async def _execute(self, kernel_id: str, code: str, timeout: float):
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        session = uuid.uuid4().hex
        ws_url = self.url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id={session}"
        connection = await asyncio.wait_for(
            websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {self.token}"})), timeout
        )
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "username": self.name,
            "session": session,
            "msg_type": "execute_request",
            "version": "5.3",
            "date": datetime.datetime.now(datetime.UTC).isoformat(),
        }
        content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}}
        content |= {"allow_stdin": False, "stop_on_error": True}
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
        await connection.write_message(json.dumps(message))
        out, error = [], None
        try:
            while True:
                raw = await asyncio.wait_for(connection.read_message(), timeout)
                if raw is None:
                    raise RuntimeError("the kernel's websocket closed")
                reply = json.loads(raw)
                if reply.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = reply["msg_type"]
                if kind == "stream":
                    out.append(reply["content"]["text"])
                elif kind == "error":
                    error = f"{reply['content']['ename']}: {reply['content']['evalue']}"
                elif kind == "status" and reply["content"]["execution_state"] == "idle":
                    break
        finally:
            connection.close()
        return "".join(out), error


def instructor(course_dir: Path, env: dict[str, str], *args: str, timeout: float = 600) -> tuple[int, str, float]:
    """``python -m course_tools.grading --root COURSE ARGS`` as the instructor types it: (exit, output, seconds)."""
    start = time.monotonic()
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "course_tools.grading", "--root", str(course_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    return result.returncode, result.stdout + result.stderr, time.monotonic() - start
