"""A JupyterLab server for the browser tests: started on a free port, stopped for sure.

The command line is :func:`course_tools.lab.build_command` (what ``make lab`` runs: token
authentication on with the token in the environment, ``--allow-root`` as root, the
repository as root dir), plus a few
options that keep a test run clean: temporary config, runtime, settings and workspace
folders, a temporary learner progress file (no earlier workspace restored, nothing written to the user's ``~/.jupyter``),
checkpoints outside the repository, no autosave, no news feed and no update check. The
front end exposes itself as ``window.jupyterapp`` (``--LabApp.expose_app_in_browser``): the
tests load Lab once and open each notebook in it with Lab's own ``docmanager:open`` command.

The runtime folder is ours, so the kernels' connection files are there: the tests talk
to a notebook's kernel directly (:meth:`LabServer.run_in_kernel`) to ask the course's
engine what the page should show.
"""

from __future__ import annotations

import json
import os
import queue
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
from jupyter_client import BlockingKernelClient

from course_tools.lab import build_command, server_environment

# User settings of the test server: no news popup, no update check, and no autosave (the
# notebooks served are the repository's own files: Lab must never write outputs into them).
TEST_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}
ANSI_COLOR = re.compile(r"\x1b\[[0-9;]*m")


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """One ``jupyter lab`` process serving ``root_dir``; its files live in ``workdir``."""

    def __init__(self, root_dir, workdir):
        self.root_dir = Path(root_dir)
        self.workdir = Path(workdir)
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.runtime_dir = self.workdir / "runtime"
        self.log_path = self.workdir / "lab.log"
        self.progress_path = self.workdir / "progress.json"
        self.process = None
        self._log = None
        self._closing = []  # threads shutting kernels down (close_session(..., wait=False))
        self.close_errors = []

    # -- start / stop ---------------------------------------------------------------------

    def start(self, timeout=90.0):
        """Launch the server and wait until it answers; ``self``."""
        return self.launch().wait_until_up(timeout)

    def launch(self):
        """Start the ``jupyter lab`` process without waiting for it (see :meth:`wait_until_up`)."""
        settings_dir = self.workdir / "settings"
        for name, values in TEST_SETTINGS.items():
            path = settings_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        command = build_command(self.port, as_root=hasattr(os, "geteuid") and os.geteuid() == 0)
        command += [
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            f"--LabApp.user_settings_dir={settings_dir}",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
            # an absolute checkpoint dir: opening a notebook leaves no .ipynb_checkpoints/ in the tree
            f"--FileCheckpoints.checkpoint_dir={self.workdir / 'checkpoints'}",
            "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: open and close notebooks in one Lab
        ]
        env = server_environment(self.token)  # never on the command line (/proc/<pid>/cmdline is public)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.workdir / "config"),
            JUPYTER_RUNTIME_DIR=str(self.runtime_dir),
            PYTHONDONTWRITEBYTECODE="1",
            HSML_PROGRESS_FILE=str(self.progress_path),  # the kernels' learner progress (course.grading.tracking)
        )
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command,
            cwd=self.root_dir,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() can end it whole
        )
        return self

    def wait_until_up(self, timeout=90.0):
        """Wait until the launched server answers its REST API; ``self``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with status {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "api/status")
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.25)
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self):
        """Shut the server down (it stops its kernels), then kill whatever is left."""
        if self.process is None:
            return
        deadline = time.monotonic() + 30
        for thread in self._closing:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        self._closing = []
        try:
            family = psutil.Process(self.process.pid).children(recursive=True)  # kernels have their own sessions
        except psutil.Error:
            family = []
        if self.process.poll() is None:
            try:
                self.api("POST", "api/shutdown", timeout=5)
            except (OSError, urllib.error.URLError):
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._kill_group(signal.SIGTERM)
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._kill_group(signal.SIGKILL)
                    self.process.wait(timeout=5)
        for child in family:
            try:
                child.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(family, timeout=5)
        self._log.close()
        self.process = None

    def _kill_group(self, sig):
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # -- HTTP -----------------------------------------------------------------------------

    def url(self, path, **query):
        """``http://127.0.0.1:PORT/path?token=...`` (the token in the URL, as a learner gets it)."""
        query = {"token": self.token, **query}
        return f"http://127.0.0.1:{self.port}/{path}?" + urllib.parse.urlencode(query)

    def api(self, method, path, body=None, timeout=10):
        """Call the REST API with the token; the decoded JSON answer (None when empty)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def session_for(self, notebook):
        """The server's session of ``notebook`` (path relative to the root), or None."""
        for session in self.api("GET", "api/sessions"):
            if session.get("path") == notebook:
                return session
        return None

    def close_session(self, notebook, *, wait=True):
        """Shut down the kernel of ``notebook``, if it has one (frees memory between tests).

        The server answers once the kernel process has exited: about a second for a kernel
        that ran a whole module. With ``wait=False`` that wait happens in a thread, while the
        next test starts; :meth:`stop` waits for these threads, and their errors are kept in
        ``close_errors``.
        """
        session = self.session_for(notebook)
        if session is None:
            return
        path = f"api/sessions/{session['id']}"
        if wait:
            self.api("DELETE", path)
            return
        thread = threading.Thread(target=self._delete_session, args=(notebook, path), daemon=True)
        thread.start()
        self._closing.append(thread)

    def _delete_session(self, notebook, path):
        try:
            self.api("DELETE", path, timeout=60)
        except (OSError, urllib.error.URLError) as error:
            self.close_errors.append(f"shutting down the kernel of {notebook} failed: {error}")

    # -- the notebook's kernel ------------------------------------------------------------

    def kernel_client(self, notebook):
        """A started ``BlockingKernelClient`` on the kernel of ``notebook`` (stop its channels after use)."""
        session = self.session_for(notebook)
        if session is None:
            raise RuntimeError(f"no kernel session for {notebook}")
        client = BlockingKernelClient(connection_file=str(self.runtime_dir / f"kernel-{session['kernel']['id']}.json"))
        client.load_connection_file()
        client.start_channels()
        return client

    def run_in_kernel(self, notebook, code, timeout=60.0):
        """Run ``code`` in the kernel of ``notebook`` (the same kernel as the page); its stdout.

        Raises ``RuntimeError`` with the traceback when the code fails.
        """
        client = self.kernel_client(notebook)
        stdout, errors = [], []

        def collect(message):
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and content["name"] == "stdout":
                stdout.append(content["text"])
            elif kind == "error":
                errors.append("\n".join(content["traceback"]))

        try:
            reply = client.execute_interactive(code, store_history=False, output_hook=collect, timeout=timeout)
        finally:
            client.stop_channels()
        if errors or reply["content"]["status"] != "ok":
            raise RuntimeError("code run in the notebook's kernel failed:\n" + "\n".join(errors))
        return "".join(stdout)

    def watch_kernel(self, notebook):
        """A :class:`KernelWatch` on the kernel of ``notebook``."""
        return KernelWatch(self.kernel_client(notebook))


class KernelWatch:
    """Everything a kernel publishes, from now on: catches the errors of widget callbacks.

    An exception raised in a callback (a slider's observer) is not shown in any cell:
    the kernel publishes it on its IOPub channel and JupyterLab puts it in its Log Console.
    Listening to IOPub ourselves catches it.
    """

    def __init__(self, client):
        self.client = client

    def errors(self):
        """The tracebacks (and stderr lines with one) published since the last call."""
        found = []
        while True:
            try:
                message = self.client.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                return found
            kind, content = message["msg_type"], message["content"]
            if kind == "error":
                found.append(ANSI_COLOR.sub("", "\n".join(content["traceback"])))
            elif kind == "stream" and content["name"] == "stderr" and "Traceback" in content["text"]:
                found.append(ANSI_COLOR.sub("", content["text"]))

    def close(self):
        self.client.stop_channels()
