"""The bubblewrap sandbox of one learner server: what it sees, who it runs as, its limits.

A learner server on the cohort hub runs as an unprivileged uid of its own, in new mount, PID,
IPC and UTS namespaces (the network is shared, so the hub's proxy reaches it on 127.0.0.1).
Its file system is built from nothing but:

- the system's ``/usr`` (read-only; ``/bin``, ``/lib``... are its usual symlinks) and a few
  files of ``/etc`` (hosts, name service, time zone, TLS certificates), plus a generated
  ``/etc/passwd`` and ``/etc/group`` naming the learner ``jovyan`` (the student id comes from
  ``JUPYTERHUB_USER``, as on Zero to JupyterHub);
- the Python installation (read-only, at its own path) and the learner environment (read-only,
  at ``/opt/hsml/learner-env``: a relocatable virtual environment, so no path of the host's
  checkout appears inside);
- the learner's home at ``/home/jovyan`` (read-write) and nbgrader's exchange at
  ``/srv/nbgrader/exchange`` (read-write; its permissions let a learner fetch released
  assignments, submit, and read only their own feedback);
- a fresh ``/tmp``, ``/proc`` and ``/dev``.

The repository, the instructor's course folder (sources, hidden tests, gradebook), other
learners' homes and the PostgreSQL socket are not in it. bubblewrap starts as root (it
needs to mount), keeps only the capabilities to change uid, and ``setpriv`` then drops to the
learner's uid with no capability left (bounding set cleared, ``no_new_privs``). ``prlimit``
sets per-process limits: address space (the memory limit), processes of that uid, open
files. A cgroup limit on the whole server (memory and CPU) is the job of systemd or
Kubernetes: see docs/COHORTS.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["LearnerSandbox", "HOME", "EXCHANGE", "LEARNER_ENV", "passwd_lines"]

#: Where the learner's home appears inside the sandbox.
HOME = "/home/jovyan"
#: Where nbgrader's exchange appears inside the sandbox (deploy/hub/learner/nbgrader_config.py).
EXCHANGE = "/srv/nbgrader/exchange"
#: Where the learner environment appears inside the sandbox.
LEARNER_ENV = "/opt/hsml/learner-env"
USERNAME = "jovyan"
# read-only if present: enough for name resolution, time zones, TLS and file types
ETC_FILES = (
    "/etc/hosts",
    "/etc/resolv.conf",
    "/etc/nsswitch.conf",
    "/etc/host.conf",
    "/etc/localtime",
    "/etc/mime.types",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/alternatives",
)
USR_SYMLINKS = (("usr/bin", "/bin"), ("usr/sbin", "/sbin"), ("usr/lib", "/lib"), ("usr/lib64", "/lib64"))


def passwd_lines(uid: int, gid: int) -> tuple[str, str]:
    """The ``/etc/passwd`` and ``/etc/group`` of a sandbox: root, the learner (jovyan), nobody.

    Parameters
    ----------
    uid, gid : int
        The learner's numeric ids on the host.

    Returns
    -------
    (str, str)
        The two files' text.

    Examples
    --------
    >>> from course_tools.hub.sandbox import passwd_lines
    >>> print(passwd_lines(200001, 200001)[0])
    root:x:0:0:root:/root:/usr/sbin/nologin
    jovyan:x:200001:200001:learner:/home/jovyan:/bin/bash
    nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
    <BLANKLINE>
    """
    passwd = (
        "root:x:0:0:root:/root:/usr/sbin/nologin\n"
        f"{USERNAME}:x:{uid}:{gid}:learner:{HOME}:/bin/bash\n"
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    )
    group = f"root:x:0:\n{USERNAME}:x:{gid}:\nnogroup:x:65534:\n"
    return passwd, group


@dataclass(frozen=True)
class LearnerSandbox:
    """The sandbox of one learner server; :meth:`argv` wraps a command in it.

    Parameters
    ----------
    uid, gid : int
        The learner's unprivileged ids (never 0).
    home : pathlib.Path
        The learner's home on the host (mounted read-write at ``/home/jovyan``).
    etc : pathlib.Path
        A folder holding this learner's ``passwd`` and ``group`` (see :func:`passwd_lines`).
    read_only : tuple of (pathlib.Path, str)
        Folders mounted read-only: (host path, path inside), e.g. the Python installation at
        its own path and the learner environment at ``/opt/hsml/learner-env``.
    exchange : pathlib.Path or None
        nbgrader's exchange on the host (mounted read-write at ``/srv/nbgrader/exchange``).
    mem_limit : int or None
        Bytes of address space per process (``prlimit --as``); None: no limit.
    nproc : int, default=256
        Processes and threads the learner's uid may run (``prlimit --nproc``).
    nofile : int, default=4096
        Open files per process.
    die_with_parent : bool, default=True
        The server stops when the process that started it (the hub) stops.
    bwrap, setpriv, prlimit : str
        The programs (absolute paths: the spawner's PATH is the learner's).

    Examples
    --------
    >>> from pathlib import Path
    >>> from course_tools.hub.sandbox import LearnerSandbox
    >>> box = LearnerSandbox(uid=200001, gid=200001, home=Path("/srv/homes/ada"), etc=Path("/srv/hub/etc/ada"),
    ...                      read_only=((Path("/srv/build/learner-env"), "/opt/hsml/learner-env"),),
    ...                      exchange=Path("/srv/exchange"), mem_limit=2 * 1024**3)
    >>> argv = box.argv(["/opt/hsml/learner-env/bin/jupyterhub-singleuser"])
    >>> argv[0], argv[-1]
    ('/usr/bin/bwrap', '/opt/hsml/learner-env/bin/jupyterhub-singleuser')
    >>> " ".join(argv[argv.index("--ro-bind", argv.index("/etc/group")):][:3])
    '--ro-bind /srv/build/learner-env /opt/hsml/learner-env'
    >>> " ".join(argv[argv.index("--bind"):argv.index("--bind") + 3])
    '--bind /srv/homes/ada /home/jovyan'
    >>> argv[argv.index("--reuid") + 1], argv[argv.index("/usr/bin/prlimit") + 1]
    ('200001', '--as=2147483648')
    """

    uid: int
    gid: int
    home: Path
    etc: Path
    read_only: tuple[tuple[Path, str], ...] = field(default_factory=tuple)
    exchange: Path | None = None
    mem_limit: int | None = None
    nproc: int = 256
    nofile: int = 4096
    die_with_parent: bool = True
    bwrap: str = "/usr/bin/bwrap"
    setpriv: str = "/usr/bin/setpriv"
    prlimit: str = "/usr/bin/prlimit"

    def __post_init__(self):
        for name in ("uid", "gid"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1000:
                raise ValueError(f"{name} must be an unprivileged id (an int >= 1000), got {value!r}")
        inside = [Path(dest) for _, dest in self.read_only]
        hosts = [Path(src) for src, _ in self.read_only]
        for path in (self.home, self.etc, *hosts, *inside, *([self.exchange] if self.exchange else [])):
            if not Path(path).is_absolute():
                raise ValueError(f"sandbox paths must be absolute, got {path}")
        if self.mem_limit is not None and self.mem_limit < 256 * 1024**2:
            raise ValueError(f"mem_limit of {self.mem_limit} bytes is below 256 MB: a Jupyter server cannot start")

    def mounts(self) -> list[str]:
        """bubblewrap's file-system arguments (see the module doc)."""
        targets = ["/etc/passwd", HOME, *(dest for _, dest in self.read_only)] + ([EXCHANGE] if self.exchange else [])
        parents = sorted({str(parent) for t in targets for parent in Path(t).parents if str(parent) != "/"})
        # the folders that lead to a mount: readable and searchable by the learner, whatever the umask
        args = [arg for parent in parents for arg in ("--perms", "0755", "--dir", parent)]
        args += ["--ro-bind", "/usr", "/usr"]
        for target, link in USR_SYMLINKS:
            if Path("/", target).exists():
                args += ["--symlink", target, link]
        for path in ETC_FILES:
            args += ["--ro-bind-try", path, path]
        args += ["--ro-bind", str(self.etc / "passwd"), "/etc/passwd"]
        args += ["--ro-bind", str(self.etc / "group"), "/etc/group"]
        for source, dest in self.read_only:
            args += ["--ro-bind", str(source), str(dest)]
        args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm"]
        args += ["--perms", "1777", "--tmpfs", "/tmp"]
        args += ["--bind", str(self.home), HOME]
        if self.exchange is not None:
            args += ["--bind", str(self.exchange), EXCHANGE]
        return args

    def argv(self, command: list[str]) -> list[str]:
        """``command`` wrapped: bwrap (mounts, namespaces) -> setpriv (uid, no capability) -> prlimit.

        Parameters
        ----------
        command : list of str
            The program to run inside, e.g. ``[".../bin/jupyterhub-singleuser", ...]``.

        Returns
        -------
        list of str
            The full command line (no secret on it: the hub passes tokens in the environment).
        """
        if not command:
            raise ValueError("command is empty")
        limits = [f"--nproc={self.nproc}", f"--nofile={self.nofile}"]
        if self.mem_limit is not None:
            limits.insert(0, f"--as={int(self.mem_limit)}")
        return [
            self.bwrap,
            *self.mounts(),
            "--chdir",
            HOME,
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--hostname",
            "learner",
            "--new-session",
            *(["--die-with-parent"] if self.die_with_parent else []),
            "--cap-drop",
            "ALL",
            # only to change uid (setpriv) and to enter the home (mode 700, the learner's) before that;
            # setpriv's change to a non-zero uid then clears every capability, bounding set included
            *("--cap-add CAP_SETUID --cap-add CAP_SETGID --cap-add CAP_SETPCAP --cap-add CAP_DAC_READ_SEARCH".split()),
            "--",
            self.setpriv,
            "--reuid",
            str(self.uid),
            "--regid",
            str(self.gid),
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
            "--",
            self.prlimit,
            *limits,
            "--",
            *command,
        ]
