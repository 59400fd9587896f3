"""Open the course in JupyterLab: ``python -m course_tools.lab`` (what ``make lab`` runs).

Headless-friendly: never tries to open a browser, prints the URL with its token,
adds ``--allow-root`` when run as root, and keeps Jupyter's token authentication on.

The token is handed to the server in its environment (``JUPYTER_TOKEN``), never on its
command line: any local user can read another user's ``/proc/<pid>/cmdline``, while
``/proc/<pid>/environ`` is readable by the owner only.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys

from course_tools import REPO_ROOT

START_NOTEBOOK = "modules/00_start_here.ipynb"


def server_environment(token: str, environ=None) -> dict[str, str]:
    """The environment of the server: ``environ`` (default ``os.environ``) with ``JUPYTER_TOKEN=token``.

    Parameters
    ----------
    token : str
        Jupyter's access token. An empty token would switch authentication off, so
        it is refused.
    environ : mapping, optional
        The environment to start from.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> server_environment("s3cret", {"PATH": "/usr/bin"})
    {'PATH': '/usr/bin', 'JUPYTER_TOKEN': 's3cret'}
    """
    if not isinstance(token, str) or not token.strip():
        raise ValueError("token must be a non-empty string: an empty token switches Jupyter's authentication off.")
    return {**(os.environ if environ is None else environ), "JUPYTER_TOKEN": token}


def build_command(port: int, *, as_root: bool) -> list[str]:
    """The ``jupyter lab`` command line that serves the course from the repository root.

    It holds no token: the server reads it from ``JUPYTER_TOKEN`` (:func:`server_environment`).

    Parameters
    ----------
    port : int
        The TCP port, bound on 127.0.0.1 only.
    as_root : bool
        Add ``--allow-root`` (Jupyter refuses to run as root without it).

    Returns
    -------
    list of str

    Examples
    --------
    >>> command = build_command(8888, as_root=False)
    >>> "--ip=127.0.0.1" in command, "--allow-root" in command
    (True, False)
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ValueError(f"port must be an int between 1 and 65535, got {port!r}.")
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--ServerApp.root_dir={REPO_ROOT}",
        f"--ServerApp.default_url=/lab/tree/{START_NOTEBOOK}",
    ]
    if as_root:
        command.append("--allow-root")
    return command


def default_port() -> int:
    """The port named by the ``LAB_PORT`` environment variable, else 8888."""
    value = os.environ.get("LAB_PORT", "").strip()
    if not value:
        return 8888
    if not value.isdigit():
        raise SystemExit(f"LAB_PORT must be a port number, got {value!r}.")
    return int(value)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=None, help="default: $LAB_PORT, else 8888")
    args = parser.parse_args(argv)
    if args.port is None:
        args.port = default_port()
    token = os.environ.get("JUPYTER_TOKEN") or secrets.token_hex(24)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    print(
        "\nHigh-Stakes ML is starting. Open this address in your browser:\n\n"
        f"    http://127.0.0.1:{args.port}/lab/tree/{START_NOTEBOOK}?token={token}\n\n"
        "Stop the server with Ctrl-C.\n",
        flush=True,
    )
    return subprocess.call(build_command(args.port, as_root=as_root), env=server_environment(token))


if __name__ == "__main__":
    raise SystemExit(main())
