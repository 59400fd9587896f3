"""Run each grading kernel in a bubblewrap sandbox, as an unprivileged user, with resource limits.

nbgrader runs a submission by starting a Jupyter kernel and sending it the notebook's cells
(its ``Execute`` preprocessor). Learner code therefore runs in that kernel: nbgrader's own
FAQ says it does not protect against unsafe code. :class:`SandboxedKernelManager` starts
the kernel as::

    prlimit --as --cpu --nproc --fsize --   (limits, inherited by everything it starts)
      bwrap --unshare-... --die-with-parent --new-session ...   (namespaces, mounts)
        setpriv --reuid 65534 ...           (when the grader is root: the real user "nobody",
                                             no capability left)
          python -m course_tools.grading.kernel -f <connection file>

As root, bwrap unshares every namespace but the user one (``--unshare-all`` would map
"nobody" inside to root outside); as an ordinary user it uses ``--unshare-all`` and the
kernel keeps the instructor's uid inside a user namespace.

Inside, the kernel sees: the Python installation and the virtual environment, the
``course`` package, ``course_tools`` (the guard kernel) and ``datasets/``, all read-only;
``/etc``, ``/usr`` read-only; a private scratch ``tmpfs`` as its home and working folder
(with the assignment's extra files, read-only); and the folder of its own ZeroMQ sockets.
It does not see the course folder: no ``source/``, no gradebook, no other submission,
no feedback, nor the rest of the repository. It has no network (a network namespace of
its own): the grader talks to it over Unix sockets (ZeroMQ's ``ipc`` transport) in a
folder bound into the sandbox. When the kernel ends, its PID namespace ends, and every
process the submission started dies with it; ``--die-with-parent`` ends it if the
grader dies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Instance, Unicode

from course_tools import REPO_ROOT

__all__ = ["SandboxLimits", "SandboxUnavailable", "SandboxedKernelManager", "sandbox_command", "check_sandbox"]

SANDBOX_UID = 65534  # "nobody": owns nothing on the machine
SCRATCH = "/home/learner"
WORKDIR = f"{SCRATCH}/work"
# Set HSML_GRADING_SANDBOX=off to grade WITHOUT isolation (trusted submissions only).
OPT_OUT_ENV = "HSML_GRADING_SANDBOX"


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox here; the message says what to do."""


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits of one grading kernel (``prlimit``), inherited by everything it starts.

    Parameters
    ----------
    address_space : int, default=3 GiB
        ``RLIMIT_AS`` in bytes: a larger allocation raises ``MemoryError`` in the kernel.
    cpu_seconds : int, default=300
        ``RLIMIT_CPU``: CPU seconds of the kernel process in all (cell timeouts are shorter).
    processes : int, default=256
        ``RLIMIT_NPROC`` (threads count): stops a fork bomb. Set only when the kernel
        runs as its own user (the grader is root); otherwise it would count the
        instructor's own processes.
    file_size : int, default=64 MiB
        ``RLIMIT_FSIZE``: the largest file the kernel may write.
    scratch_size : int, default=256 MiB
        Size of the private ``tmpfs`` the kernel may write into.

    Examples
    --------
    >>> SandboxLimits().address_space // 2**30
    3
    """

    address_space: int = 3 * 2**30
    cpu_seconds: int = 300
    processes: int = 256
    file_size: int = 64 * 2**20
    scratch_size: int = 256 * 2**20


def _venv_and_python() -> list[Path]:
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent.parent}
    return sorted(p for p in paths if p.is_dir())


def _course_paths() -> list[Path]:
    """What the kernel needs of the repository: the two packages and the shipped data."""
    import course  # noqa: F401  (its location)

    paths = [Path(sys.modules["course"].__file__).parent, Path(__file__).resolve().parents[1]]
    datasets = os.environ.get("HSML_DATASETS_DIR") or str(REPO_ROOT / "datasets")
    if Path(datasets).is_dir():
        paths.append(Path(datasets).resolve())
    return paths


def _kernel_environment() -> dict[str, str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": SCRATCH,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{SCRATCH}/.matplotlib",
        # one thread per library: deterministic, and far less address space per kernel
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "JPY_PARENT_PID": "",
    }
    for name in ("NBGRADER_EXECUTION", "HSML_DATASETS_DIR", "HSML_PROGRESS_FILE", "PYTHONHASHSEED"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


def sandbox_command(
    kernel_command: list[str],
    *,
    socket_dir: Path,
    extra_files: list[Path] = (),
    limits: SandboxLimits = SandboxLimits(),
    as_root: bool | None = None,
) -> list[str]:
    """The command line that runs ``kernel_command`` in the sandbox (see the module doc).

    Parameters
    ----------
    kernel_command : list of str
        The kernel's own command (``python -m ... -f <connection file>``).
    socket_dir : pathlib.Path
        Folder of the connection file and the kernel's sockets, bound read-write.
    extra_files : list of pathlib.Path, default=()
        Files and folders of the assignment the notebook may open, bound read-only into its
        working folder.
    limits : SandboxLimits, default=SandboxLimits()
    as_root : bool, optional
        Whether the grader is root (then the kernel runs as ``nobody``); asked of the OS by default.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from pathlib import Path
    >>> command = sandbox_command(["python", "-m", "k"], socket_dir=Path("/tmp/s"), as_root=False)
    >>> command[0], "--unshare-all" in command, "--die-with-parent" in command, command[-3:]
    ('prlimit', True, True, ['python', '-m', 'k'])
    >>> command = sandbox_command(["python", "-m", "k"], socket_dir=Path("/tmp/s"), as_root=True)
    >>> "--unshare-net" in command, command[-9:-3]  # as root: the real user nobody, no capability
    (True, ['--reuid=65534', '--regid=65534', '--clear-groups', '--no-new-privs', '--inh-caps=-all', '--bounding-set=-all'])
    """
    if as_root is None:
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    command = [
        "prlimit",
        f"--as={limits.address_space}",
        f"--cpu={limits.cpu_seconds}",
        f"--fsize={limits.file_size}",
        "--core=0",
    ]
    if as_root:
        command += [f"--nproc={limits.processes}"]
    command += ["--", "bwrap"]
    if as_root:
        # Every namespace but the user one: bwrap mounts as root, then setpriv (below) turns the
        # kernel into the real user "nobody" with no capability at all, which is stronger than a
        # user namespace (where "nobody" inside would still be root's uid outside).
        unshare = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        command += [*unshare, "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:  # the instructor's own uid, inside a user namespace
        command += ["--unshare-all"]
    command += [
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--hostname",
        "grading",
        "--ro-bind",
        "/usr",
        "/usr",
        "--ro-bind",
        "/etc",
        "/etc",
    ]
    for name in ("bin", "sbin", "lib", "lib32", "lib64"):
        path = Path("/") / name
        if path.is_symlink():
            command += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            command += ["--ro-bind", str(path), str(path)]
    # private scratch (writable by the kernel's user only: nobody else lives in the sandbox)
    command += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(limits.scratch_size)]
    command += ["--tmpfs", "/dev/shm", "--perms", "1777", "--size", str(limits.scratch_size)]
    command += ["--tmpfs", "/tmp", "--perms", "1777", "--size", str(limits.scratch_size), "--tmpfs", SCRATCH]
    command += ["--perms", "1777", "--dir", WORKDIR]
    bound = [*_venv_and_python(), *_course_paths()]
    # the folders above what is bound: made by bwrap, traversable by the kernel's user
    parents = sorted({str(parent) for path in bound for parent in path.parents if str(parent) not in ("/", "/usr")})
    for parent in parents:
        command += ["--perms", "0755", "--dir", parent]
    for path in bound:
        command += ["--ro-bind", str(path), str(path)]
    for path in extra_files:
        command += ["--ro-bind", str(path), f"{WORKDIR}/{Path(path).name}"]
    progress = os.environ.get("HSML_PROGRESS_FILE")  # a learner's progress file, if named: read-only
    if progress and Path(progress).is_file() and Path(progress).parent != Path("/"):
        command += ["--perms", "0755", "--dir", str(Path(progress).parent), "--ro-bind", progress, progress]
    command += ["--bind", str(socket_dir), str(socket_dir), "--chdir", WORKDIR]
    for name, value in _kernel_environment().items():
        command += ["--setenv", name, value]
    command += ["--"]
    if as_root:
        uid = str(SANDBOX_UID)
        drop = ["--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all"]
        command += ["setpriv", f"--reuid={uid}", f"--regid={uid}", *drop, "--"]
    return command + list(kernel_command)


def opted_out() -> bool:
    """True when the instructor asked to grade without the sandbox (``HSML_GRADING_SANDBOX=off``)."""
    return os.environ.get(OPT_OUT_ENV, "").strip().lower() in ("off", "0", "no", "false")


def check_sandbox() -> None:
    """Raise :class:`SandboxUnavailable` (saying what to do) unless a sandbox can be made here.

    Examples
    --------
    >>> check_sandbox()  # bubblewrap installed and working  # doctest: +SKIP
    """
    missing = [tool for tool in ("bwrap", "prlimit", "setpriv") if shutil.which(tool) is None]
    if missing:
        raise SandboxUnavailable(
            f"cannot grade safely: {', '.join(missing)} not found. Grading runs each learner's code, which "
            "must be isolated from the gradebook, the solutions and the other submissions. Install bubblewrap "
            "(sudo apt-get install bubblewrap; prlimit and setpriv come with util-linux), or, ONLY for "
            f"submissions you trust, grade without isolation: {OPT_OUT_ENV}=off (docs/INSTRUCTORS.md)."
        )
    with tempfile.TemporaryDirectory(prefix="hsml-probe-") as probe:
        if os.geteuid() == 0:
            os.chown(probe, SANDBOX_UID, SANDBOX_UID)
        command = sandbox_command(["/bin/true"], socket_dir=Path(probe))
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise SandboxUnavailable(
            f"cannot grade safely: bubblewrap is installed but could not make a sandbox here "
            f"({result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f'exit {result.returncode}'}). "
            "It needs user namespaces (sysctl kernel.unprivileged_userns_clone=1 on older kernels; inside a "
            f"container, run it with --privileged or on the host). Only for trusted submissions: {OPT_OUT_ENV}=off."
        )


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts its kernel in the sandbox (see the module doc).

    Its kernel is ``python -m course_tools.grading.kernel`` (IPython's kernel plus the guard of
    hidden tests), reached over Unix sockets in a private folder, interrupted by message.
    """

    limits = Instance(SandboxLimits, args=())
    sandboxed = Bool(True, help="False: the plain kernel, without isolation (HSML_GRADING_SANDBOX=off)").tag(
        config=True
    )
    kernel_module = Unicode("course_tools.grading.kernel").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sandboxed = self.sandboxed and not opted_out()
        self._socket_dir = None
        if self.sandboxed:
            self._socket_dir = Path(tempfile.mkdtemp(prefix="hsml-"))  # short: Unix socket paths are < 108 bytes
            if os.geteuid() == 0:
                os.chown(self._socket_dir, SANDBOX_UID, SANDBOX_UID)
            self.transport = "ipc"
            self.ip = str(self._socket_dir / "k")
            self.connection_file = str(self._socket_dir / "kernel.json")

    @property
    def socket_dir(self) -> Path | None:
        return self._socket_dir

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        if self.sandboxed and os.geteuid() == 0:
            os.chown(self.connection_file, SANDBOX_UID, SANDBOX_UID)

    def format_kernel_cmd(self, extra_arguments=None):
        command = [sys.executable, "-m", self.kernel_module, "-f", self.connection_file, *(extra_arguments or [])]
        if not self.sandboxed:
            return command
        return sandbox_command(command, socket_dir=self._socket_dir, extra_files=self._extra_files, limits=self.limits)

    async def _async_pre_start_kernel(self, **kw):
        # nbclient passes the notebook's folder as cwd: the sandbox starts in its own scratch
        # folder instead, with the folder's other files (an assignment's data) bound read-only.
        cwd = kw.pop("cwd", None)
        self._extra_files = []
        if cwd and self.sandboxed:
            self._extra_files = sorted(  # files and folders of the assignment (data), not the notebooks
                p for p in Path(cwd).iterdir() if p.suffix != ".ipynb" and not p.name.startswith(".")
            )
        elif cwd:
            kw["cwd"] = cwd
        if self.sandboxed:
            kw["env"] = {"PATH": os.environ.get("PATH", os.defpath)}  # bwrap --clearenv sets the kernel's own
        # the kernel's own stdout holds only IPython's startup notes: not the instructor's terminal
        kw.setdefault("stdout", subprocess.DEVNULL)
        command, kw = await super()._async_pre_start_kernel(**kw)
        return command, kw

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None and self.sandboxed:
            spec.interrupt_mode = "message"  # SIGINT cannot cross into the sandbox's PID namespace
        return spec

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if self._socket_dir is not None and not restart:
            shutil.rmtree(self._socket_dir, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources  # asynchronous, as in AsyncKernelManager
