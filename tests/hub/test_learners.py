"""Learner uids: allocated once, kept in the registry file, read back by the instructor's collect."""

from __future__ import annotations

import pytest

from course_tools.hub.learners import FIRST_UID, LearnerIds, check_student_id


def test_uids_are_allocated_once_and_kept(tmp_path):
    ids = LearnerIds(tmp_path / "learners")
    assert [ids.uid_for(n) for n in ("ada", "bob", "ada", "cy")] == [FIRST_UID, FIRST_UID + 1, FIRST_UID, FIRST_UID + 2]
    again = LearnerIds(tmp_path / "learners")
    assert again.read() == {"ada": FIRST_UID, "bob": FIRST_UID + 1, "cy": FIRST_UID + 2}
    assert again.name_of(FIRST_UID + 1) == "bob" and again.name_of(7) is None
    assert (tmp_path / "learners").stat().st_mode & 0o777 == 0o644


def test_a_new_learner_never_reuses_a_uid_even_after_a_gap(tmp_path):
    path = tmp_path / "learners"
    path.write_text("# comment\nada:200005\n\nbob:200002\n")
    assert LearnerIds(path).uid_for("cy") == 200006


@pytest.mark.parametrize("name", ["ada+bob", "*", "", "a:b", "-x", "x" * 65, "a\nb"])
def test_names_nbgrader_or_the_registry_cannot_hold_are_refused(name):
    with pytest.raises(ValueError, match="cannot be a student id"):
        check_student_id(name)


def test_a_corrupted_registry_says_where(tmp_path):
    path = tmp_path / "learners"
    path.write_text("ada:200000\nbob\n")
    with pytest.raises(ValueError, match="line 2: expected <name>:<uid>"):
        LearnerIds(path).read()


def test_first_uid_must_be_unprivileged(tmp_path):
    with pytest.raises(ValueError, match="unprivileged"):
        LearnerIds(tmp_path / "learners", first_uid=0)
