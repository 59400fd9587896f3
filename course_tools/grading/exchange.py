"""The instructor's side of nbgrader's exchange on a hub: publish, collect, return feedback.

On a hub (docs/COHORTS.md) learners fetch and submit through nbgrader's exchange, a folder
shared with every learner server; the course's ``nbgrader_config.py`` names it
(``HSML_EXCHANGE_ROOT``). The steps, between the pipeline's own (:mod:`course_tools.grading.pipeline`):

    release A  ->  exchange-release A  ->  (learners fetch, answer, submit)  ->  exchange-collect A
    ->  autograde A  ->  feedback A  ->  exchange-feedback A  ->  (learners fetch their feedback)

``exchange-collect`` checks who wrote each submission before nbgrader copies it: a submission
folder in the exchange is named after a student id, which a learner's own configuration can
set to someone else's. With the hub's registry of learner uids (``--learners``, the file the
hub's spawner writes), a folder whose owner is not the learner it names is refused (moved to
``refused/`` in the course folder and reported), never graded. nbgrader itself only logs a
warning. Every learner collected is added to the gradebook (so one whose file cannot be
graded still has a row in the exports).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from course_tools.grading.pipeline import Course, GradingError, _log_errors, _quiet_nbgrader

__all__ = ["publish", "collect_submissions", "return_feedback", "inbound_records"]


def _exchange_root(course: Course) -> Path:
    root = course.config().Exchange.get("root")
    if not root:
        raise GradingError(
            f"{course.root}/nbgrader_config.py names no exchange: set HSML_EXCHANGE_ROOT to the hub's exchange "
            "folder (docs/COHORTS.md), or hand files out and in by hand (docs/INSTRUCTORS.md)."
        )
    return Path(root)


def _course_id(course: Course) -> str:
    return course.config().CourseDirectory.get("course_id") or "high-stakes-ml"


@dataclass
class ExchangeReport:
    action: str
    assignment: str
    where: Path
    students: list[str] = field(default_factory=list)
    refused: list[tuple[str, Path, str]] = field(default_factory=list)  # student, kept at, why
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.action} {self.assignment}: {self.where}"]
        out += [f"  {s}" for s in self.students]
        out += [f"  REFUSED {s}: {why}; kept in {kept}, not graded" for s, kept, why in self.refused]
        out += [f"  {note}" for note in self.notes]
        return out


def publish(course: Course, assignment: str, *, force: bool = False) -> ExchangeReport:
    """Copy ``release/<assignment>/`` into the exchange, where learners fetch it.

    Parameters
    ----------
    course : Course
    assignment : str
        Already released by :func:`course_tools.grading.pipeline.release` (checked, no secret).
    force : bool, default=False
        Replace an earlier copy in the exchange (learners who fetched it keep theirs).

    Returns
    -------
    ExchangeReport

    Raises
    ------
    GradingError
        No exchange configured, nothing released yet, or nbgrader refused (e.g. already published).

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course
    >>> from course_tools.grading.exchange import publish
    >>> print("\\n".join(publish(Course(), "00_warm_up").lines()))  # needs an exchange  # doctest: +SKIP
    Published 00_warm_up: /srv/nbgrader/exchange/high-stakes-ml/outbound/00_warm_up
    """
    root = _exchange_root(course)
    if not course.folder("release", assignment=assignment).is_dir():
        raise GradingError(f"Nothing to publish: run `release {assignment}` first (it checks that nothing leaks).")
    api = course.api()
    api.config.ExchangeReleaseAssignment.force = force
    with _quiet_nbgrader():
        result = api.release_assignment(assignment)
    if not result["success"]:
        raise GradingError(f"nbgrader release_assignment failed:\n{_log_errors(result)}")
    return ExchangeReport("Published", assignment, root / _course_id(course) / "outbound" / assignment)


def inbound_records(course: Course, assignment: str) -> list[tuple[str, Path]]:
    """``(student id, folder)`` of every submission of ``assignment`` waiting in the exchange.

    Parameters
    ----------
    course : Course
    assignment : str

    Returns
    -------
    list of (str, pathlib.Path)
        Sorted by folder name (student id, then time).

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course
    >>> from course_tools.grading.exchange import inbound_records
    >>> inbound_records(Course(), "00_warm_up")[:1]  # needs an exchange  # doctest: +SKIP
    [('ada', PosixPath('/srv/nbgrader/exchange/high-stakes-ml/inbound/ada+00_warm_up+2026-12-01 13:28:32.625280 UTC+ggBV'))]
    """
    inbound = _exchange_root(course) / _course_id(course) / "inbound"
    if not inbound.is_dir():
        return []
    found = []
    for path in sorted(inbound.iterdir()):
        parts = path.name.split("+")
        if path.is_dir() and len(parts) >= 3 and parts[1] == assignment:
            found.append((parts[0], path))
    return found


def _learner_uids(path: Path) -> dict[str, int]:
    from course_tools.hub.learners import LearnerIds  # plain file reading; no JupyterHub import

    return LearnerIds(path).read()


def collect_submissions(course: Course, assignment: str, *, learners: Path | None = None) -> ExchangeReport:
    """Collect the latest submission of each learner from the exchange into ``submitted/``.

    Parameters
    ----------
    course : Course
    assignment : str
    learners : pathlib.Path, optional
        The hub's registry of learner uids (``<state>/hub/learners``). When given, a submission
        folder not owned by the uid of the learner it names is refused (see the module doc).

    Returns
    -------
    ExchangeReport
        ``students`` collected (or updated) and ``refused`` ones.

    Raises
    ------
    GradingError
        No exchange configured, or nbgrader's collect failed.

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course
    >>> from course_tools.grading.exchange import collect_submissions
    >>> collect_submissions(Course(), "00_warm_up", learners="/srv/hsml/hub/learners")  # doctest: +SKIP
    """
    report = ExchangeReport("Collected", assignment, course.folder("submitted"))
    records = inbound_records(course, assignment)
    if learners is not None:
        uids = _learner_uids(Path(learners))
        for student, path in records:
            owner = path.stat().st_uid
            if uids.get(student) == owner:
                continue
            why = (
                f"{student!r} is not a learner of this hub"
                if student not in uids
                else f"written by uid {owner}, not by {student} (uid {uids[student]})"
            )
            kept = course.folder("refused", assignment=assignment) / path.name
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), kept)
            report.refused.append((student, kept, why))
    else:
        report.notes.append("owners not checked (no --learners registry given)")
    api = course.api()
    with _quiet_nbgrader():
        result = api.collect(assignment, update=True)
    if not result["success"]:
        raise GradingError(f"nbgrader collect failed:\n{_log_errors(result)}")
    collected = sorted(set(re.findall(r"(?:Collecting|Updating) submission: (\S+) ", result["log"])))
    if collected:
        with course.gradebook() as gb:
            for student in collected:
                gb.update_or_create_student(student)
    report.students = collected or ["nothing new to collect"]
    return report


def return_feedback(course: Course, assignment: str) -> ExchangeReport:
    """Put each learner's feedback (``feedback/<student>/<assignment>/``) into the exchange.

    Learners then fetch it from their server (nbgrader's Assignments tab, or its REST call
    ``assignments/fetch_feedback``); each can read only their own.

    Parameters
    ----------
    course : Course
    assignment : str
        Its feedback generated by :func:`course_tools.grading.pipeline.feedback`.

    Returns
    -------
    ExchangeReport

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course
    >>> from course_tools.grading.exchange import return_feedback
    >>> return_feedback(Course(), "00_warm_up")  # needs an exchange  # doctest: +SKIP
    """
    root = _exchange_root(course)
    students = sorted(p.parent.name for p in course.folder("feedback").glob(f"*/{assignment}") if p.is_dir())
    if not students:
        raise GradingError(f"No feedback for {assignment} in {course.folder('feedback')}: run `feedback` first.")
    with _quiet_nbgrader():
        result = course.api().release_feedback(assignment)
    if not result["success"]:
        raise GradingError(f"nbgrader release_feedback failed:\n{_log_errors(result)}")
    return ExchangeReport("Feedback returned for", assignment, root / _course_id(course) / "feedback", students)
