"""Build the learner environment of a cohort: what a learner's server runs, and nothing more.

``python -m course_tools.hub learner-env [--out build/hub/learner-env]`` (``make hub-env``):

1. stages the learner's package alone (``course/``, without ``course_tools/``) and builds a
   wheel of it (``build/hub/dist/``);
2. creates a (relocatable) virtual environment with the same Python as the course's ``.venv``, installs
   that wheel (NOT editable: nothing points back into the repository), ``jupyterhub`` (for
   ``jupyterhub-singleuser``) and their pinned versions (``requirements/constraints.txt``);
3. writes the learner's Jupyter configuration into the environment (``etc/jupyter``, from
   ``deploy/hub/learner/``): nbgrader's exchange and course id, the instructor's nbgrader
   extensions (formgrader, create assignment, course list) switched off;
4. copies what a learner may read: the shipped dataset, the lesson notebooks and the
   self-paced exercises (nbgrader's release: no solution, no hidden test) into
   ``share/high-stakes-ml/``;
5. checks the result holds no instructor material (:func:`instructor_material`).

It is rebuilt only when its inputs change (a stamp holds their hash).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from course_tools.grading.authoring import REPO_ROOT

__all__ = ["LearnerEnvError", "build_learner_env", "instructor_material", "DEFAULT_OUT", "SHARE"]

DEFAULT_OUT = REPO_ROOT / "build" / "hub" / "learner-env"
#: Inside the environment: the dataset, lessons and exercises a learner may read.
SHARE = Path("share") / "high-stakes-ml"
LEARNER_CONFIG = REPO_ROOT / "deploy" / "hub" / "learner"
CONSTRAINTS = REPO_ROOT / "requirements" / "constraints.txt"
STAMP = ".hsml-learner-env.json"
# The package a learner imports, and what the hub's learner server needs besides it.
EXTRA_PACKAGES = ["jupyterhub"]
#: A hidden-test line at least this long (and not a mere opening of a call or a block) is
#: distinctive enough to look for elsewhere.
DISTINCTIVE = 16


class LearnerEnvError(RuntimeError):
    """The learner environment could not be built, or holds instructor material."""


def _inputs_hash() -> str:
    digest = hashlib.sha256()
    files = sorted(
        p
        for base in (REPO_ROOT / "course", LEARNER_CONFIG, REPO_ROOT / "modules", REPO_ROOT / "exercises")
        for p in base.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    files += [CONSTRAINTS, REPO_ROOT / "pyproject.toml", REPO_ROOT / "datasets" / "SHA256SUMS", Path(__file__)]
    for path in files:
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _dependencies_hash() -> str:
    """What decides the installed packages: the pins, the declared dependencies, the layout."""
    import tomllib

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    key = json.dumps([project["dependencies"], EXTRA_PACKAGES, "relocatable"]).encode()
    return hashlib.sha256(CONSTRAINTS.read_bytes() + key).hexdigest()


def _learner_pyproject(text: str) -> str:
    """The course's pyproject.toml for the learner's package alone: no instructor scripts."""
    text = re.sub(r"(?ms)^\[project\.scripts\]\n.*?(?=^\[)", "", text)
    return text.replace('include = ["course*", "course_tools*"]', 'include = ["course", "course.*"]')


def _base_python() -> str:
    """The Python the course's virtual environment was made from (the same interpreter)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def _run(cmd: list[str], what: str) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise LearnerEnvError(f"{what} failed ({' '.join(cmd[:3])} ...):\n{tail}")


def build_wheel(work: Path) -> Path:
    """Build a wheel of ``course/`` alone (staged in ``work/src``) into ``work/dist``."""
    src, dist = work / "src", work / "dist"
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(dist, ignore_errors=True)
    src.mkdir(parents=True)
    shutil.copytree(REPO_ROOT / "course", src / "course", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("README.md", "LICENSE"):
        shutil.copy2(REPO_ROOT / name, src / name)
    (src / "pyproject.toml").write_text(
        _learner_pyproject((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")), encoding="utf-8"
    )
    uv = Path(sys.executable).parent / "uv"
    if uv.exists():
        _run([str(uv), "build", "--quiet", "--wheel", "--out-dir", str(dist), str(src)], "building the course wheel")
    else:
        _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(src)], "pip wheel")
    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1:
        raise LearnerEnvError(f"expected one wheel in {dist}, found {[w.name for w in wheels]}")
    return wheels[0]


def _site_packages(env: Path) -> Path:
    return next((env / "lib").glob("python3*/site-packages"))


def instructor_material(env: Path, secrets: set[str] = frozenset()) -> list[str]:
    """What an instructor keeps and a learner environment must not hold, found in ``env``.

    Parameters
    ----------
    env : pathlib.Path
        A learner environment (a virtual environment).
    secrets : set of str, optional
        Lines of hidden tests (e.g. from :func:`course_tools.grading.cells.secret_lines`
        with ``solutions=False``) that no file of the course or its share may contain.
        (Solution lines are ordinary code that the library may well contain.)

    Returns
    -------
    list of str
        One line per finding (empty: nothing found): the instructor's package
        ``course_tools``, an editable install pointing back at a checkout, an nbgrader
        source notebook (solution metadata), a gradebook, an answer corpus, a secret line.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from course_tools.hub.learner_env import instructor_material
    >>> env = Path(tempfile.mkdtemp())
    >>> site = env / "lib" / "python3.11" / "site-packages"
    >>> (site / "course_tools").mkdir(parents=True)
    >>> _ = (env / "gradebook.db").write_text("")
    >>> instructor_material(env)  # doctest: +NORMALIZE_WHITESPACE
    ['the instructor package course_tools in lib/python3.11/site-packages/course_tools',
     'a gradebook: gradebook.db']
    """
    env = Path(env)
    found = []
    site = _site_packages(env)
    if (site / "course_tools").exists():
        found.append(f"the instructor package course_tools in {(site / 'course_tools').relative_to(env)}")
    for pth in sorted(set(site.glob("*.pth")) | set(site.glob("__editable__*"))):
        text = pth.read_text(encoding="utf-8", errors="replace") if pth.is_file() else ""
        if str(REPO_ROOT) in text or pth.name.startswith("__editable__"):
            found.append(f"an editable install pointing at a checkout: {pth.relative_to(env)}")
    for path in sorted(env.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(env)
        if rel.parts[:1] == ("lib",) and "course" not in rel.parts:
            continue  # third-party packages (nbgrader ships test fixtures: a gradebook, configs)
        if path.name in ("gradebook.db", "nbgrader_config.py") and "etc" not in rel.parts:
            found.append(f"a gradebook: {rel}" if path.name == "gradebook.db" else f"a course config: {rel}")
        elif path.suffix == ".ipynb":
            text = path.read_text(encoding="utf-8", errors="replace")
            if "### BEGIN SOLUTION" in text or "### BEGIN HIDDEN TESTS" in text:
                found.append(f"an nbgrader source notebook (solutions or hidden tests): {rel}")
        elif path.suffix == ".py" and "answers" in rel.parts:
            found.append(f"an answer corpus: {rel}")
    if secrets:
        for path in sorted((env / SHARE).rglob("*")) + sorted((site / "course").rglob("*")):
            if path.is_file() and path.suffix in (".py", ".ipynb", ".json", ".md", ".txt"):
                text = path.read_text(encoding="utf-8", errors="replace")
                for line in sorted(secrets):
                    if line in text:
                        found.append(f"a solution or hidden-test line in {path.relative_to(env)}: {line!r}")
    return found


def _secret_lines() -> set[str]:
    import nbformat

    from course_tools.grading.cells import secret_lines

    lines = set()
    for path in sorted((REPO_ROOT / "autograded" / "source").glob("*/*.ipynb")):
        lines |= secret_lines(nbformat.read(path, as_version=4), solutions=False)
    # distinctive lines only: "except ValueError:", "_expect.close(" (the opening line of a call to
    # a public helper) or '.astype("Float64")' (a link of a method chain) are everyone's code;
    # a leaked region still shows its other lines
    return {
        line
        for line in lines
        if len(line) >= DISTINCTIVE
        and not line.endswith(("(", "[", "{", ",", ":"))
        and not line.startswith((".", ")", "]", "}"))
    }


def _write_learner_config(env: Path) -> None:
    etc = env / "etc" / "jupyter"
    (etc / "jupyter_server_config.d").mkdir(parents=True, exist_ok=True)
    (etc / "labconfig").mkdir(parents=True, exist_ok=True)
    shutil.copy2(LEARNER_CONFIG / "nbgrader_config.py", etc / "nbgrader_config.py")
    # loaded after nbgrader.json (alphabetical order): switches the instructor's extensions off
    shutil.copy2(
        LEARNER_CONFIG / "jupyter_server_config.json", etc / "jupyter_server_config.d" / "zz-high-stakes-ml.json"
    )
    shutil.copy2(LEARNER_CONFIG / "page_config.json", etc / "labconfig" / "page_config.json")


def _copy_share(env: Path) -> None:
    share = env / SHARE
    shutil.rmtree(share, ignore_errors=True)
    share.mkdir(parents=True)
    (share / "datasets").mkdir()
    for name in ("transactions.csv.gz", "SHA256SUMS", "DATASHEET.md"):
        shutil.copy2(REPO_ROOT / "datasets" / name, share / "datasets" / name)
    shutil.copytree(REPO_ROOT / "modules", share / "modules", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(REPO_ROOT / "exercises", share / "exercises", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


def build_learner_env(out: Path = DEFAULT_OUT, *, force: bool = False, log=print) -> Path:
    """Build (or reuse, when its inputs are unchanged) the learner environment at ``out``.

    Parameters
    ----------
    out : pathlib.Path, default=build/hub/learner-env
        Where the virtual environment goes. Learner servers mount it read-only at the same path.
    force : bool, default=False
        Rebuild even when the stamp says it is up to date.
    log : callable, default=print
        Receives one line per step.

    Returns
    -------
    pathlib.Path
        ``out``, holding ``bin/jupyterhub-singleuser`` and the ``course`` package.

    Raises
    ------
    LearnerEnvError
        A build step failed, or the result holds instructor material.

    Examples
    --------
    >>> from course_tools.hub.learner_env import build_learner_env
    >>> env = build_learner_env()  # about a minute the first time, then instant  # doctest: +SKIP
    >>> (env / "bin" / "jupyterhub-singleuser").exists()  # doctest: +SKIP
    True
    """
    out = Path(out).resolve()
    stamp = out / STAMP
    wanted = _inputs_hash()
    if not force and stamp.is_file() and json.loads(stamp.read_text()).get("inputs") == wanted:
        log(f"Learner environment up to date: {out}")
        return out
    work = out.parent / "learner-wheel"
    log(f"Building the course wheel (course/ only) in {work}/dist ...")
    wheel = build_wheel(work)
    uv = Path(sys.executable).parent / "uv"
    python = _base_python()
    deps = _dependencies_hash()
    previous = json.loads(stamp.read_text()) if stamp.is_file() else {}
    stamp.unlink(missing_ok=True)
    if not force and previous.get("deps") == deps and uv.exists() and (out / "bin" / "python").exists():
        log(f"Same pinned packages: reinstalling {wheel.name} alone in {out} ...")
        _run(
            [str(uv), "pip", "install", "--quiet", "--compile-bytecode", "--python", str(out / "bin" / "python")]
            + ["--reinstall-package", "high-stakes-ml", "--no-deps", str(wheel)],
            "reinstalling the course wheel",
        )
    elif uv.exists():
        shutil.rmtree(out, ignore_errors=True)
        log(f"Creating {out} with {python} and installing {wheel.name} + {', '.join(EXTRA_PACKAGES)} ...")
        # relocatable: learner servers see it at /opt/hsml/learner-env (course_tools.hub.sandbox)
        _run([str(uv), "venv", "--quiet", "--relocatable", "--python", python, str(out)], "creating the learner venv")
        _run(
            [str(uv), "pip", "install", "--quiet", "--compile-bytecode", "--python", str(out / "bin" / "python")]
            + ["-c", str(CONSTRAINTS), str(wheel), *EXTRA_PACKAGES],
            "installing the learner packages",
        )
    else:
        shutil.rmtree(out, ignore_errors=True)
        _run([python, "-m", "venv", str(out)], "creating the learner venv")
        _run(
            [str(out / "bin" / "python"), "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS), str(wheel)]
            + EXTRA_PACKAGES,
            "installing the learner packages",
        )
    # as in `make setup`: jsonschema's optional IRI checks cost 2-3 s at every import of nbformat
    if uv.exists():
        _run([str(uv), "pip", "uninstall", "--quiet", "--python", str(out / "bin" / "python"), "rfc3987-syntax"], "uv")
    else:
        _run([str(out / "bin" / "python"), "-m", "pip", "uninstall", "--quiet", "--yes", "rfc3987-syntax"], "pip")
    stamp.write_text(json.dumps({"deps": deps}))  # packages in place: a failed check below keeps them
    _write_learner_config(out)
    _copy_share(out)
    found = instructor_material(out, _secret_lines())
    if found:
        raise LearnerEnvError("The learner environment holds instructor material:\n  " + "\n  ".join(found))
    # readable (and executable where it was) by every learner uid
    for root, dirs, files in os.walk(out):
        for name in dirs + files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                mode = os.stat(path).st_mode
                os.chmod(path, mode | 0o444 | (0o111 if mode & 0o100 else 0))
    stamp.write_text(json.dumps({"inputs": wanted, "deps": deps, "wheel": wheel.name}))
    log(f"Learner environment ready: {out} (no instructor material found)")
    return out
