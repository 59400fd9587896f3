"""Issue 14: hostile submissions are graded as what they are (``attacks.py``).

They are graded in the batch of ONE assignment (``ATTACK_ASSIGNMENT``) with everyone else:
the tests of the other assignments skip.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from attacks import ATTACK_ASSIGNMENT, FLAGGED, METADATA_CASES

pytestmark = pytest.mark.grading


@pytest.fixture
def attacked(batch):
    if batch.assignment != ATTACK_ASSIGNMENT:
        pytest.skip(f"the attacks are graded in the batch of {ATTACK_ASSIGNMENT} only")
    return batch


def _result(batch, student):
    return next(r for r in batch.reports["autograde"].results if r.student == student)


def _scores(batch, student):
    return {gid: grade.score for gid, grade in batch.grades[student].items()}


def _graded_like(batch, student, reference):
    result = _result(batch, student)
    assert result.graded, f"{student}: {result.reason}"
    mine, theirs = _scores(batch, student), _scores(batch, reference)
    assert mine == theirs, f"{student} is not graded like {reference}: {mine} vs {theirs}"


def test_a_background_process_cannot_forge_grades_and_dies_with_grading(attacked):
    _graded_like(attacked, "attack-forger", "stub")
    assert not any(g.needs_manual_grade for g in attacked.grades["attack-forger"].values())
    assert not attacked.leftover, f"processes started by a submission outlived grading: {attacked.leftover}"


def test_one_learner_cannot_overwrite_another_nor_write_into_source(attacked):
    _graded_like(attacked, "attack-overwrite", "stub")
    assert _result(attacked, "solution").score == attacked.auto_max(), "the victim lost marks"
    assert attacked.source_after == attacked.source_before, "source/ changed while grading"


def test_the_solutions_and_other_students_are_out_of_reach(attacked):
    _graded_like(attacked, "attack-read-source", "stub")
    others = {r.student for r in attacked.reports["autograde"].results} - {"attack-read-source"}
    outputs = [  # what the code printed or showed (a traceback quotes the attack's own source)
        json.dumps(output)
        for nb in attacked.autograded("attack-read-source").values()
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") != "error"
    ]
    named = sorted(s for s in others if any(f"'{s}'" in text for text in outputs))
    assert not named, f"the submission saw other students' ids: {named}"


@pytest.mark.parametrize("student", ["attack-transformer", "attack-patch", "attack-sys-modules"])
def test_hidden_tests_cannot_be_talked_out_of_their_verdict(attacked, student):
    _graded_like(attacked, student, "wrong-1")


def test_memory_and_output_are_capped(attacked):
    result = _result(attacked, "attack-resources")
    assert result.graded, result.reason
    assert result.score == attacked.auto_max(), _scores(attacked, "attack-resources")
    folder = attacked.course.folder("autograded", "attack-resources", attacked.assignment)
    [notebook] = folder.glob("*.ipynb")
    text = notebook.read_text(encoding="utf-8")
    assert "MemoryError" in text, "the 5 GiB allocation did not fail"
    assert notebook.stat().st_size < 2 * 1024**2, f"graded notebook of {notebook.stat().st_size:,} bytes"
    assert "output cut" in text
    [html] = [p for p in attacked.reports["feedback"].files if "attack-resources" in p.parts]
    assert html.stat().st_size < 3 * 1024**2, f"feedback of {html.stat().st_size:,} bytes"


def _says_why(reason: str) -> None:
    assert "\n" not in reason.strip(), f"not one line: {reason!r}"
    assert "Traceback (most recent call last)" not in reason, reason
    for path in re.findall(r"(/\S+\.log)\b", reason):
        assert Path(path).is_file(), f"the message points to {path}, which does not exist"


def test_a_kernel_that_exits_is_reported_with_its_cell_and_what_to_do(attacked):
    result = _result(attacked, "attack-exit")
    assert not result.graded
    _says_why(result.reason)
    assert "kernel" in result.reason and "os._exit" in result.reason, result.reason
    assert "cell" in result.reason, result.reason


@pytest.mark.parametrize("student", sorted(METADATA_CASES))
def test_metadata_tampering_is_graded_or_says_why(attacked, student):
    result = _result(attacked, student)
    if result.graded:  # graded with the original cells: the answers earn what they earn
        assert result.score == attacked.auto_max(), f"{student} ({METADATA_CASES[student]}): {result}"
    else:
        _says_why(result.reason)
        assert "cell" in result.reason, result.reason


def test_the_report_flags_the_attacks_and_no_honest_submission(attacked):
    report = attacked.reports["autograde"]
    flagged = {r.student for r in report.results if r.flags}
    # graded despite edited cell metadata: flagged too ("cell metadata edited: ...")
    edited = {r.student for r in report.results if r.student in METADATA_CASES and r.graded}
    assert flagged == FLAGGED | edited, f"flagged {sorted(flagged)}, expected {sorted(FLAGGED | edited)}"
    lines = "\n".join(report.lines())
    for student in flagged:
        assert f"FLAGGED {student}" in lines
    _, rows = attacked.reports["grades"]  # the same, as a column of grades.csv
    in_csv = {r["student_id"] for r in rows if r["assignment"] == attacked.assignment and r["flags"]}
    assert in_csv == flagged
