"""The instructor's side of nbgrader's exchange (``exchange-release``, ``exchange-collect``, ``exchange-feedback``).

A temporary exchange folder stands for the hub's. Submission folders are made by hand, owned by
learner uids (so the owner check needs root to ``chown``); nbgrader's own collect then runs.
The whole round trip through a real hub is ``tests/hub/test_hub_e2e.py``.
"""

from __future__ import annotations

import os
import shutil

import nbformat
import pytest
from grading_batch import REPO, WORKING_FOLDERS

from course_tools.grading import exchange, pipeline
from course_tools.grading.cli import main
from course_tools.hub.learners import LearnerIds


@pytest.fixture
def course(tmp_path, monkeypatch):
    monkeypatch.setenv("HSML_EXCHANGE_ROOT", str(tmp_path / "exchange"))
    monkeypatch.delenv("HSML_GRADEBOOK_URL", raising=False)
    root = tmp_path / "autograded"
    shutil.copytree(REPO / "autograded", root, ignore=shutil.ignore_patterns(*WORKING_FOLDERS))
    pipeline._ask_alembic_in_process()
    return pipeline.Course(root)


def test_without_an_exchange_the_commands_say_how_to_get_one(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("HSML_EXCHANGE_ROOT", raising=False)
    root = tmp_path / "autograded"
    shutil.copytree(REPO / "autograded", root, ignore=shutil.ignore_patterns(*WORKING_FOLDERS))
    assert main(["--root", str(root), "exchange-collect", "00_warm_up"]) == 1
    assert "names no exchange: set HSML_EXCHANGE_ROOT" in capsys.readouterr().err


def test_publishing_needs_a_checked_release_first(course, capsys):
    assert main(["--root", str(course.root), "exchange-release", "00_warm_up"]) == 1
    assert "run `release 00_warm_up` first" in capsys.readouterr().err


@pytest.mark.grading
@pytest.mark.skipif(os.geteuid() != 0, reason="making folders owned by learner uids needs root (chown)")
def test_collect_refuses_a_submission_written_by_another_learner(course, tmp_path, capsys):
    registry = tmp_path / "learners"
    ids = LearnerIds(registry)
    ada, bob = ids.uid_for("ada"), ids.uid_for("bob")
    inbound = tmp_path / "exchange" / "high-stakes-ml" / "inbound"
    inbound.mkdir(parents=True)
    notebook = nbformat.writes(nbformat.v4.new_notebook())
    for name, owner in (("ada", ada), ("bob", ada), ("eve", ada)):  # ada also submits as bob and as eve
        folder = inbound / f"{name}+00_warm_up+2026-12-01 10:00:00.000000 UTC+abcd"
        folder.mkdir()
        (folder / "00_warm_up.ipynb").write_text(notebook, encoding="utf-8")
        (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC", encoding="utf-8")
        for path in (folder, *folder.iterdir()):
            os.chown(path, owner, owner)
    assert [s for s, _ in exchange.inbound_records(course, "00_warm_up")] == ["ada", "bob", "eve"]

    status = main(["--root", str(course.root), "exchange-collect", "00_warm_up", "--learners", str(registry)])
    out = capsys.readouterr().out
    assert status == 1, out
    assert course.students("00_warm_up") == ["ada"]
    assert f"REFUSED bob: written by uid {ada}, not by bob (uid {bob})" in out
    assert "REFUSED eve: 'eve' is not a learner of this hub" in out
    assert sorted(p.name.split("+")[0] for p in course.folder("refused", assignment="00_warm_up").iterdir()) == [
        "bob",
        "eve",
    ]
    with course.gradebook() as gb:
        assert [s.id for s in gb.students] == ["ada"]
