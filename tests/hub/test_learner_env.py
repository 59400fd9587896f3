"""The learner environment: the wheel holds course/ alone; the built environment holds no instructor material."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from course_tools.hub import learner_env
from course_tools.hub.spawner import mount_point, python_home

REPO = Path(__file__).resolve().parents[2]


def test_the_learner_wheel_is_built_from_course_alone():
    import tomllib

    config = tomllib.loads(learner_env._learner_pyproject((REPO / "pyproject.toml").read_text(encoding="utf-8")))
    assert "scripts" not in config["project"], "no instructor command (hsml-grade) in the learner's package"
    assert config["tool"]["setuptools"]["packages"]["find"]["include"] == ["course", "course.*"]


def _fake_env(tmp_path) -> Path:
    env = tmp_path / "env"
    (env / "lib" / "python3.11" / "site-packages" / "course").mkdir(parents=True)
    (env / learner_env.SHARE / "exercises").mkdir(parents=True)
    return env


def test_instructor_material_is_found(tmp_path):
    env = _fake_env(tmp_path)
    site = env / "lib" / "python3.11" / "site-packages"
    (site / "course_tools").mkdir()
    (site / "__editable__.high_stakes_ml-0.1.0.pth").write_text(str(REPO))
    (env / learner_env.SHARE / "exercises" / "01.ipynb").write_text('{"source": "### BEGIN HIDDEN TESTS"}')
    (env / learner_env.SHARE / "answers").mkdir()
    (env / learner_env.SHARE / "answers" / "00_warm_up.py").write_text("WRONG_ANSWERS = {}")
    (site / "course" / "q.py").write_text("assert abs(rate - 0.0123) < 1e-9  # a hidden test\n")
    found = learner_env.instructor_material(env, {"assert abs(rate - 0.0123) < 1e-9"})
    assert len(found) == 5, found
    assert any("course_tools" in f for f in found) and any("editable" in f for f in found)
    assert any("nbgrader source notebook" in f for f in found) and any("answer corpus" in f for f in found)
    assert any("hidden-test line in lib/python3.11/site-packages/course/q.py" in f for f in found)


def test_a_clean_environment_has_nothing_to_report(tmp_path):
    assert learner_env.instructor_material(_fake_env(tmp_path), {"assert abs(rate - 0.0123) < 1e-9"}) == []


@pytest.mark.skipif(
    not (learner_env.DEFAULT_OUT / "pyvenv.cfg").exists(), reason="no learner environment built (make hub-env)"
)
def test_the_built_learner_environment_holds_no_instructor_material():
    env = learner_env.DEFAULT_OUT
    assert learner_env.instructor_material(env, learner_env._secret_lines()) == []
    assert mount_point(env) == "/opt/hsml/learner-env"
    assert python_home(env) == Path(sys.base_prefix)
