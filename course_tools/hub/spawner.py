"""JupyterHub spawner of the cohort: each learner server in its own bubblewrap sandbox.

``c.JupyterHub.spawner_class = "course_tools.hub.spawner.BubblewrapSpawner"`` (see
``deploy/hub/jupyterhub_config.py``). The hub runs as root on the machine; for each learner it

1. takes the learner's uid from the registry (:class:`course_tools.hub.learners.LearnerIds`),
2. makes their home ``<homes>/<name>`` (mode 700, owned by that uid) and, the first time, copies
   the lessons and self-paced exercises into it,
3. starts ``jupyterhub-singleuser`` of the learner environment inside the sandbox of
   :class:`course_tools.hub.sandbox.LearnerSandbox` (read-only environment, the home, the
   exchange, nothing else of the machine), with ``c.Spawner.mem_limit`` as the per-process
   address-space limit.

No unix account is created: the Python of this machine lives under ``/root`` (mode 700), which an
account of its own could not even execute; inside the sandbox only the interpreter's folder is
mounted, read-only.
"""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Integer, Unicode, default

from course_tools.hub.learners import FIRST_UID, LearnerIds, check_student_id
from course_tools.hub.sandbox import EXCHANGE, HOME, LEARNER_ENV, LearnerSandbox, passwd_lines

__all__ = ["BubblewrapSpawner", "python_home", "mount_point"]

STARTER = ("modules", "exercises")


def python_home(env: Path) -> Path:
    """The installation folder of the Python a virtual environment was made from.

    Parameters
    ----------
    env : pathlib.Path
        A virtual environment (holds ``pyvenv.cfg``).

    Returns
    -------
    pathlib.Path
        E.g. ``/root/.pyenv/versions/3.11.7`` (``home`` of ``pyvenv.cfg`` without its ``bin``).

    Examples
    --------
    >>> import sys
    >>> from pathlib import Path
    >>> from course_tools.hub.spawner import python_home
    >>> python_home(Path(sys.prefix)) == Path(sys.base_prefix)
    True
    """
    for line in (Path(env) / "pyvenv.cfg").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "home":
            return Path(value.strip()).resolve().parent
    raise ValueError(f"{env}/pyvenv.cfg names no 'home': is {env} a virtual environment?")


def mount_point(env: Path) -> str:
    """Where a learner environment appears in the sandbox: ``/opt/hsml/learner-env`` if it is
    relocatable (``uv venv --relocatable``, as ``make hub-env`` builds it), else its own path.

    Parameters
    ----------
    env : pathlib.Path
        A virtual environment.

    Returns
    -------
    str

    Examples
    --------
    >>> import sys
    >>> from pathlib import Path
    >>> from course_tools.hub.spawner import mount_point
    >>> mount_point(Path(sys.prefix)) == sys.prefix  # the course's own .venv is not relocatable
    True
    """
    config = (Path(env) / "pyvenv.cfg").read_text(encoding="utf-8")
    relocatable = any(
        line.partition("=")[0].strip() == "relocatable" and line.partition("=")[2].strip() == "true"
        for line in config.splitlines()
    )
    return LEARNER_ENV if relocatable else str(Path(env))


class BubblewrapSpawner(LocalProcessSpawner):
    """Start each learner's ``jupyterhub-singleuser`` in a bubblewrap sandbox as their own uid."""

    learner_env = Unicode(help="The learner environment (course_tools.hub.learner_env), mounted read-only.").tag(
        config=True
    )
    homes = Unicode("/srv/hsml/homes", help="Folder of the learners' homes (<homes>/<name>).").tag(config=True)
    exchange_root = Unicode("", help="nbgrader's exchange on this machine ('' = none).").tag(config=True)
    state_dir = Unicode(
        "/srv/hsml/hub", help="The uid registry ('learners') and each sandbox's passwd ('etc/<name>/')."
    ).tag(config=True)
    first_uid = Integer(FIRST_UID, help="The first learner uid.").tag(config=True)
    nproc = Integer(256, help="Processes and threads per learner uid (prlimit --nproc).").tag(config=True)

    @default("env_keep")
    def _env_keep_default(self):
        return ["LANG", "LC_ALL"]  # nothing of the hub's own environment (its PATH, its virtualenv)

    @default("cmd")
    def _cmd_default(self):
        return [f"{mount_point(Path(self.learner_env))}/bin/jupyterhub-singleuser"]

    def make_preexec_fn(self, name):
        return None  # bubblewrap needs root to mount; the sandbox drops to the learner's uid

    def user_env(self, env):
        inside = mount_point(Path(self.learner_env))
        env_bin = f"{inside}/bin"
        threads = str(max(1, math.ceil(self.cpu_limit))) if self.cpu_limit else "1"
        env.update(
            HOME=HOME,
            USER="jovyan",
            LOGNAME="jovyan",
            SHELL="/bin/bash",
            PATH=f"{env_bin}:/usr/local/bin:/usr/bin:/bin",
            # the shipped dataset, read-only (course.data.datasets_dir)
            HSML_DATASETS_DIR=f"{inside}/share/high-stakes-ml/datasets",
            # numerical libraries start one thread per CPU they are allowed (not per CPU of the machine)
            OMP_NUM_THREADS=threads,
            OPENBLAS_NUM_THREADS=threads,
            MKL_NUM_THREADS=threads,
        )
        return env

    def _prepare(self) -> LearnerSandbox:
        name = check_student_id(self.user.name)
        env = Path(self.learner_env)
        if not (env / "bin" / "jupyterhub-singleuser").exists():
            raise RuntimeError(f"No learner environment at {env}: run `make hub-env` first.")
        state = Path(self.state_dir)
        state.mkdir(parents=True, exist_ok=True, mode=0o700)
        uid = LearnerIds(state / "learners", self.first_uid).uid_for(name)
        home = Path(self.homes) / name
        new = not home.exists()
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        if new:
            share = env / "share" / "high-stakes-ml"
            for folder in STARTER:
                if (share / folder).is_dir():
                    shutil.copytree(share / folder, home / folder)
        if new or home.stat().st_uid != uid:
            for root, _dirs, files in os.walk(home):
                for item in [root, *(os.path.join(root, f) for f in files)]:
                    os.lchown(item, uid, uid)
        os.chmod(home, 0o700)
        etc = state / "etc" / name
        etc.mkdir(parents=True, exist_ok=True)
        passwd, group = passwd_lines(uid, uid)
        (etc / "passwd").write_text(passwd)
        (etc / "group").write_text(group)
        exchange = None
        if self.exchange_root:
            exchange = Path(self.exchange_root)
            exchange.mkdir(parents=True, exist_ok=True)
        return LearnerSandbox(
            uid=uid,
            gid=uid,
            home=home,
            etc=etc,
            read_only=((python_home(env), str(python_home(env))), (env, mount_point(env))),
            exchange=exchange,
            mem_limit=int(self.mem_limit) if self.mem_limit else None,
            nproc=self.nproc,
        )

    async def start(self):
        box = self._prepare()
        if not hasattr(self, "_server_cmd"):  # the configured command, before it is wrapped
            self._server_cmd = list(self.cmd)
        self.cmd = box.argv(self._server_cmd)
        self.log.info(
            "Learner %s: uid %s, home %s -> %s, exchange %s -> %s, mem_limit %s",
            self.user.name,
            box.uid,
            box.home,
            HOME,
            box.exchange,
            EXCHANGE,
            box.mem_limit,
        )
        return await super().start()
