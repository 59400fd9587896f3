"""The conda/Binder environment and the pip install agree, package by package.

pip installs ``pyproject.toml``'s dependencies at the exact versions of
``requirements/constraints.txt`` (``make setup``); ``environment.yml`` must name the
same direct dependencies at the same versions, so a course run on Binder is the
course that was tested.
"""

import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import yaml  # PyYAML: pinned in constraints.txt (a dependency of jupyter-events)
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO_ROOT = Path(__file__).resolve().parent.parent
# conda-forge names that differ from the PyPI ones.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib", "playwright-python": "playwright"}


def _pyproject():
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _direct_dependencies():
    project = _pyproject()
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in requirements}


def _constraints():
    pins, problems = {}, []
    for number, line in enumerate((REPO_ROOT / "requirements" / "constraints.txt").read_text().splitlines(), 1):
        line = line.split("#")[0].strip()
        if not line:
            continue
        name, sep, pinned = line.partition("==")
        if not sep or not pinned.strip():
            problems.append(f"constraints.txt line {number}: {line!r} is not an exact 'name==version' pin")
            continue
        key = canonicalize_name(name.strip())
        if key in pins:
            problems.append(f"constraints.txt line {number}: {name.strip()} is pinned twice")
        pins[key] = pinned.strip()
    return pins, problems


def _environment():
    return yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))


def _conda_pins(environment):
    """{pypi name: (spec as written, version or None)} for the conda packages, and the pip list."""
    pins, pip = {}, []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip += entry.get("pip", [])
            continue
        name, sep, pinned = str(entry).partition("==")
        if not sep:
            name, _, pinned = str(entry).partition("=")
            pinned = None if not pinned else f"={pinned}"
        pypi = canonicalize_name(CONDA_TO_PYPI.get(name.strip(), name.strip()))
        pins[pypi] = (str(entry), pinned)
    return pins, pip


def test_constraints_are_exact_pins():
    _, problems = _constraints()
    assert not problems, "\n".join(problems)


def test_every_direct_dependency_is_pinned_within_its_range():
    pins, _ = _constraints()
    problems = []
    for name, requirement in _direct_dependencies().items():
        if name not in pins:
            problems.append(f"{requirement} (pyproject.toml) has no pin in requirements/constraints.txt")
        elif not requirement.specifier.contains(Version(pins[name]), prereleases=True):
            problems.append(f"{name}=={pins[name]} (constraints.txt) is outside {requirement} (pyproject.toml)")
    assert not problems, "\n".join(problems)


def test_environment_yml_names_the_pip_versions():
    environment = _environment()
    assert environment.get("channels") == ["conda-forge"], "environment.yml must use the conda-forge channel only"
    conda, _ = _conda_pins(environment)
    pins, _ = _constraints()
    problems = []
    for name in sorted(_direct_dependencies()):
        written, pinned = conda.get(name, (None, None))
        if written is None:
            problems.append(f"{name}: a direct dependency missing from environment.yml (add {name}=={pins.get(name)})")
        elif pinned != pins.get(name):
            problems.append(f"{name}: environment.yml has {written!r}, constraints.txt pins {pins.get(name)}")
    for name, (written, pinned) in sorted(conda.items()):
        if name in ("python", "pip") or name in _direct_dependencies():
            continue
        if name not in pins:
            problems.append(f"{written!r} in environment.yml is not installed by pip (not in constraints.txt)")
        elif pinned != pins[name]:
            problems.append(f"{name}: environment.yml has {written!r}, constraints.txt pins {pins[name]}")
    assert not problems, "environment.yml disagrees with the pip install:\n" + "\n".join(problems)


def test_environment_yml_python_and_course_package():
    environment = _environment()
    conda, pip = _conda_pins(environment)
    written, pinned = conda.get("python", (None, None))
    assert pinned and pinned.startswith("="), f"environment.yml must pin python, e.g. python=3.11 (got {written!r})"
    python = pinned.lstrip("=")
    requires = _pyproject()["requires-python"]
    assert Requirement(f"python{requires}").specifier.contains(python + ".0"), (
        f"environment.yml's python={python} is outside requires-python {requires!r}"
    )
    assert "pip" in conda, "environment.yml needs pip to install the course package"
    assert "-e ." in pip, "environment.yml must install the course package itself: '-e .' under pip:"


def test_this_environment_has_the_pinned_versions():
    pins, _ = _constraints()
    problems = []
    for name in sorted(_direct_dependencies()):
        try:
            installed = version(name)
        except PackageNotFoundError:
            problems.append(f"{name} is not installed (run `make setup`)")
            continue
        if installed != pins.get(name):
            problems.append(f"{name} {installed} is installed, constraints.txt pins {pins.get(name)}")
    assert not problems, f"{sys.prefix} is not the tested environment:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "spec, problem",
    [
        ("  - numpy==0.0.1\n", "numpy: environment.yml has 'numpy==0.0.1'"),
        ("", "numpy: a direct dependency missing"),
        ("{numpy}  - seaborn==0.13.2\n", "'seaborn==0.13.2' in environment.yml is not installed by pip"),
    ],
)
def test_a_disagreement_is_named(monkeypatch, spec, problem):
    numpy = f"  - numpy=={_constraints()[0]['numpy']}\n"
    text = (REPO_ROOT / "environment.yml").read_text(encoding="utf-8")
    assert numpy in text
    text = text.replace(numpy, spec.format(numpy=numpy))
    monkeypatch.setattr(sys.modules[__name__], "_environment", lambda: yaml.safe_load(text))
    with pytest.raises(AssertionError, match=problem):
        test_environment_yml_names_the_pip_versions()
