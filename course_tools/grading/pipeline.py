"""The instructor's pipeline on a course folder: release, collect, autograde, feedback, grades.

Each step calls nbgrader's Python API in this process (nbgrader takes seconds to import:
one import serves a whole batch), with the course root set explicitly, the virtual
environment's ``bin/`` on PATH, and the gradebook's schema revision asked of alembic in
this process (see :func:`_ask_alembic_in_process`). Each step returns a small report whose
``lines()`` say what was done and where.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course_tools.grading.authoring import REPO_ROOT, lint_notebook
from course_tools.grading.cells import grade_id, secret_lines
from course_tools.grading.integrity import metadata_problems, protected_names, scan_notebook
from course_tools.grading.timeouts import CellTimeouts

__all__ = [
    "GradingError",
    "Course",
    "release",
    "collect",
    "autograde",
    "feedback",
    "export_grades",
    "cell_grades",
    "leaked_lines",
    "read_notebook",
]

DEFAULT_ROOT = REPO_ROOT / "autograded"


class GradingError(RuntimeError):
    """A pipeline step could not do its job; the message says why and what to do."""


def read_notebook(path: Path):
    """Read a submitted notebook; ``ValueError`` with a plain reason if it is not one.

    Parameters
    ----------
    path : pathlib.Path
        The file a learner handed in.

    Returns
    -------
    nbformat.NotebookNode
        The notebook, as nbformat 4.

    Raises
    ------
    ValueError
        Not text, not JSON, or JSON that is not a notebook; the message says which.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import nbformat
    >>> from course_tools.grading.pipeline import read_notebook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp, "00_warm_up.ipynb")
    ...     _ = path.write_text(nbformat.writes(nbformat.v4.new_notebook()))
    ...     print(read_notebook(path).nbformat)
    ...     _ = path.write_text("{oops")
    ...     try:
    ...         read_notebook(path)
    ...     except ValueError as exc:
    ...         print(exc)
    4
    not valid notebook JSON (Expecting property name enclosed in double quotes at line 1, column 2)
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError("not a text file (is it a notebook at all?)") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid notebook JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as exc:  # valid JSON, but not a notebook nbformat can read
        raise ValueError(f"JSON, but not a Jupyter notebook ({type(exc).__name__}: {str(exc)[:200]})") from None


@dataclass
class Course:
    """A course folder: ``nbgrader_config.py``, ``source/``, ``release/``, ``submitted/``...

    Parameters
    ----------
    root : pathlib.Path, default=DEFAULT_ROOT
        The folder that holds ``nbgrader_config.py`` (by default the repository's
        ``autograded/``); a ``GradingError`` if it has none.

    Examples
    --------
    >>> course = Course()
    >>> course.source("00_warm_up").name
    '00_warm_up'
    """

    root: Path = DEFAULT_ROOT

    def __post_init__(self):
        self.root = Path(self.root).resolve()
        if not (self.root / "nbgrader_config.py").is_file():
            raise GradingError(f"{self.root} is not a course folder: it has no nbgrader_config.py.")
        self._apis = {}

    def __getstate__(self):  # picklable: nbgrader's API objects stay in the process that made them
        return {**self.__dict__, "_apis": {}}

    def folder(self, kind: str, student: str | None = None, assignment: str | None = None) -> Path:
        """``root/kind[/student]/assignment``, e.g. ``folder("submitted", "ada", "00_warm_up")``."""
        parts = [p for p in (student, assignment) if p]
        return self.root.joinpath(kind, *parts)

    def source(self, assignment: str) -> Path:
        path = self.folder("source", assignment=assignment)
        if not path.is_dir():
            known = sorted(p.name for p in self.folder("source").iterdir() if p.is_dir())
            raise GradingError(f"No assignment {assignment!r} in {self.folder('source')}; known: {', '.join(known)}.")
        return path

    def notebook_names(self, assignment: str) -> list[str]:
        return sorted(p.stem for p in self.source(assignment).glob("*.ipynb"))

    def students(self, assignment: str) -> list[str]:
        """Students with a folder for ``assignment`` in ``submitted/``."""
        base = self.folder("submitted")
        return sorted(p.parent.name for p in base.glob(f"*/{assignment}") if p.is_dir()) if base.is_dir() else []

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def api(self, *, timeout: float | None = None):
        """nbgrader's ``NbGraderAPI`` configured from this folder's ``nbgrader_config.py``."""
        if timeout not in self._apis:
            from nbgrader.apps import NbGraderAPI
            from traitlets.config.loader import PyFileConfigLoader

            _ask_alembic_in_process()

            bin_dir = str(Path(sys.executable).parent)
            if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
                os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
            config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
            config.CourseDirectory.root = str(self.root)
            config.CourseDirectory.db_url = self.db_url
            config.Exchange.root = str(self.root / ".exchange")  # unused; keeps nbgrader away from /srv
            if timeout is not None:  # seconds for learner cells; setup cells keep their allowance
                setup = getattr(config.Execute.get("timeout_func"), "setup", 60)
                config.Execute.timeout_func = CellTimeouts(learner=timeout, setup=max(setup, timeout))
            self._apis[timeout] = NbGraderAPI(config=config)
        return self._apis[timeout]

    def gradebook(self):
        from nbgrader.api import Gradebook

        return Gradebook(self.db_url, course_id="high-stakes-ml")


@contextmanager
def _quiet_nbgrader():
    """Harmless noise of nbgrader 0.9.6: SQLAlchemy 'not in session' warnings while grading, and
    'missing id' warnings for a deleted test cell that nbgrader puts back without a cell id."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not in session.*")
        warnings.filterwarnings("ignore", message="Cell is missing an id field")
        yield


def _alembic_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = Config()
    config.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


def _ask_alembic_in_process() -> None:
    """When nbgrader creates a gradebook it runs the ``alembic`` command in a new process
    to learn the schema revision: about 10 s on a busy 2-core machine. alembic's Python
    API gives the same answer from the same migration scripts in this process in 0.3 s."""
    import nbgrader.api

    nbgrader.api.get_alembic_version = _alembic_head


def _log_errors(result: dict) -> str:
    """The cause of a failed nbgrader step, in one line: the last exception's own message."""
    cause = _exception(result.get("log", "") + "\n" + result.get("error", ""))
    if cause:
        return cause
    lines = [line for line in result.get("log", "").splitlines() if line.startswith(("[ERROR]", "[CRITICAL]"))]
    return lines[-1].removeprefix("[ERROR] ") if lines else "nbgrader gave no reason"


def _exception(log: str) -> str:
    """The exception that ended the last telling traceback in ``log`` (``KeyError: 'grade_id'``), else ''.

    nbgrader's own closing ``NbGraderException: Please see the above traceback`` tells nothing: skipped.
    """
    lines = [line.removeprefix("[ERROR] ").rstrip() for line in log.splitlines()]
    found = []
    for i, line in enumerate(lines):
        if line.strip() != "Traceback (most recent call last):":
            continue
        frames = [x for x in lines[i + 1 :] if x.lstrip().startswith("File ")]
        if not frames:
            continue
        base = len(frames[0]) - len(frames[0].lstrip()) - 2  # frames are indented 2 more than the exception
        last = ""
        for later in lines[i + 1 :]:
            indent = len(later) - len(later.lstrip())
            if later.startswith("[") or (later.strip() and indent < base):
                break
            text = later.strip()
            if text.startswith("File "):
                last = ""  # the exception's first line follows the last frame
            elif indent == base and text and not last and not text.startswith(("Traceback", "During handling")):
                last = text
        if last:
            found.append(last)
    telling = [f for f in found if "Please see the" not in f]
    return telling[-1] if telling else ""


def leaked_lines(text: str, secrets: set[str]) -> list[str]:
    """The secret lines found in ``text`` (HTML tags, entities and ANSI colours removed first).

    Parameters
    ----------
    text : str
        A released notebook's JSON or a feedback file's HTML.
    secrets : set of str
        Lines that must not appear (see :func:`course_tools.grading.cells.secret_lines`).

    Returns
    -------
    list of str
        The secrets found, sorted (empty: nothing leaked).

    Examples
    --------
    >>> from course_tools.grading.pipeline import leaked_lines
    >>> leaked_lines("<pre><span>assert</span> rate &lt; 0.1</pre>", {"assert rate < 0.1", "rate = 0.02"})
    ['assert rate < 0.1']
    """
    plain = html.unescape(re.sub(r"<[^>]+>", "", text))
    plain = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", plain)
    return sorted(line for line in secrets if line in plain)


def _secrets(course: Course, assignment: str, *, solutions: bool = True) -> dict[str, set[str]]:
    return {
        name: secret_lines(
            nbformat.read(course.source(assignment) / f"{name}.ipynb", as_version=4), solutions=solutions
        )
        for name in course.notebook_names(assignment)
    }


# --- release --------------------------------------------------------------------------------
@dataclass
class ReleaseReport:
    assignment: str
    folder: Path
    notebooks: list[Path]

    def lines(self) -> list[str]:
        return [
            f"Released {self.assignment}: {len(self.notebooks)} notebook(s) without solutions nor hidden tests in",
            f"  {self.folder}",
            "Give this folder to the learners (e.g. zip it).",
        ]


def release(course: Course, assignment: str) -> ReleaseReport:
    """Check the authoring rules, run ``generate_assignment``, verify nothing secret leaked.

    Parameters
    ----------
    course : Course
    assignment : str
        A folder of ``source/``, e.g. ``"00_warm_up"``.

    Returns
    -------
    ReleaseReport
        ``lines()`` say where the released notebooks are.

    Raises
    ------
    GradingError
        An authoring rule is broken, nbgrader failed, or a released notebook showed a
        secret line (the release folder is then deleted).

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course, release
    >>> report = release(Course(), "00_warm_up")  # runs nbgrader  # doctest: +SKIP
    >>> print("\\n".join(report.lines()))  # doctest: +SKIP
    Released 00_warm_up: 1 notebook(s) without solutions nor hidden tests in
      .../autograded/release/00_warm_up
    Give this folder to the learners (e.g. zip it).
    """
    problems = []
    for name in course.notebook_names(assignment):
        nb = nbformat.read(course.source(assignment) / f"{name}.ipynb", as_version=4)
        problems += [f"{name}.ipynb: {p}" for p in lint_notebook(nb, assignment)]
    if problems:
        raise GradingError(
            "Not released: fix these authoring problems first (docs/AUTHORING.md):\n  " + "\n  ".join(problems)
        )
    result = course.api().generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise GradingError(f"nbgrader generate_assignment failed:\n{_log_errors(result)}")
    folder = course.folder("release", assignment=assignment)
    notebooks = sorted(folder.glob("*.ipynb"))
    for name, secrets in _secrets(course, assignment).items():
        leaks = leaked_lines((folder / f"{name}.ipynb").read_text(encoding="utf-8"), secrets)
        if leaks:
            shutil.rmtree(folder)
            raise GradingError(f"Release withdrawn: {name}.ipynb showed solution or hidden-test lines: {leaks[:3]}")
    return ReleaseReport(assignment, folder, notebooks)


# --- collect --------------------------------------------------------------------------------
@dataclass
class CollectReport:
    assignment: str
    inbox: Path
    collected: dict[str, list[Path]] = field(default_factory=dict)
    malformed: list[tuple[str, Path, str, Path]] = field(default_factory=list)  # student, file, reason, kept at
    missing: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Collected {self.assignment} from {self.inbox}: {len(self.collected)} submission(s) "
            f"into submitted/<student>/{self.assignment}/"
        ]
        out += [
            f"  {s}: {', '.join(p.name for p in files)}" + (" (replaced an earlier copy)" if s in self.replaced else "")
            for s, files in self.collected.items()
        ]
        for student, path, reason, kept in self.malformed:
            out.append(
                f"  MALFORMED {student}: {path.name} is {reason}. Not graded; kept in {kept}. "
                "Ask the student for a new copy."
            )
        out += [f"  nothing from {s}: no {self.assignment} notebook in their folder" for s in self.missing]
        return out


def _submission_files(student_dir: Path, assignment: str, names: list[str]) -> list[Path]:
    nested = student_dir / assignment
    if nested.is_dir():
        return sorted(nested.glob("*.ipynb"))
    return sorted(p for p in student_dir.glob("*.ipynb") if p.stem in names or p.stem == assignment)


def collect(course: Course, assignment: str, inbox: Path) -> CollectReport:
    """Copy ``inbox/<student>/<assignment>.ipynb`` (or ``inbox/<student>/<assignment>/*.ipynb``)
    into ``submitted/<student>/<assignment>/``.

    A file that is not a readable notebook is reported by student and file, copied to
    ``malformed/<student>/<assignment>/`` and left out; the other students proceed.

    Parameters
    ----------
    course : Course
    assignment : str
        A folder of ``source/``, e.g. ``"00_warm_up"``.
    inbox : pathlib.Path
        One folder per student, holding the notebook(s) they handed in.

    Returns
    -------
    CollectReport
        ``collected`` (student -> copied files), ``malformed``, ``missing``, ``replaced``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import nbformat
    >>> from course_tools.grading.pipeline import Course, collect
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp, "course")
    ...     (root / "source" / "09_demo").mkdir(parents=True)
    ...     _ = (root / "nbgrader_config.py").write_text("")
    ...     empty = nbformat.writes(nbformat.v4.new_notebook())
    ...     _ = (root / "source" / "09_demo" / "09_demo.ipynb").write_text(empty)
    ...     for student, text in [("ada", empty), ("bob", "not a notebook")]:
    ...         Path(tmp, "inbox", student).mkdir(parents=True)
    ...         _ = Path(tmp, "inbox", student, "09_demo.ipynb").write_text(text)
    ...     report = collect(Course(root), "09_demo", Path(tmp, "inbox"))
    ...     print("\\n".join(report.lines()[1:]))
      ada: 09_demo.ipynb
      MALFORMED bob: 09_demo.ipynb is not valid notebook JSON (...). Not graded; kept in .../malformed/bob/09_demo/09_demo.ipynb. Ask the student for a new copy.
    """
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise GradingError(f"{inbox} is not a folder of student folders (<folder>/<student>/{assignment}.ipynb).")
    names = course.notebook_names(assignment)
    report = CollectReport(assignment, inbox)
    for student_dir in sorted(p for p in inbox.iterdir() if p.is_dir() and not p.name.startswith(".")):
        student = student_dir.name
        files = _submission_files(student_dir, assignment, names)
        if not files:
            report.missing.append(student)
            continue
        good = {}
        for path in files:
            try:
                read_notebook(path)
            except ValueError as exc:
                kept = course.folder("malformed", student, assignment)
                kept.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, kept / path.name)
                report.malformed.append((student, path, str(exc), kept / path.name))
                continue
            # a single-notebook assignment may arrive as <assignment>.ipynb: give it the notebook's name
            good[path.stem if path.stem in names or len(names) != 1 else names[0]] = path
        if not good:
            continue
        target = course.folder("submitted", student, assignment)
        if target.exists():
            shutil.rmtree(target)
            report.replaced.append(student)
        target.mkdir(parents=True)
        for name, path in good.items():
            shutil.copy2(path, target / f"{name}.ipynb")
        report.collected[student] = [target / f"{name}.ipynb" for name in good]
    return report


# --- autograde ------------------------------------------------------------------------------
@dataclass
class StudentResult:
    student: str
    graded: bool
    reason: str = ""
    score: float = 0.0
    max_score: float = 0.0
    manual_pending: float = 0.0  # points of answers waiting for a human grader
    timed_out: list[str] = field(default_factory=list)
    seconds: float = 0.0
    flags: list[str] = field(default_factory=list)  # code or events an instructor should look at


@dataclass
class AutogradeReport:
    assignment: str
    results: list[StudentResult]
    isolation: str = "sandbox"  # or "NONE (HSML_GRADING_SANDBOX=off)"

    @property
    def failed(self) -> list[StudentResult]:
        return [r for r in self.results if not r.graded]

    def lines(self) -> list[str]:
        out = [
            f"Autograded {self.assignment}: {len(self.results) - len(self.failed)} of {len(self.results)} "
            "submission(s) graded; notebooks with outputs in autograded/<student>/, scores in gradebook.db"
        ]
        if self.isolation != "sandbox":
            out.append(f"  WARNING: graded WITHOUT isolation: {self.isolation}; learner code could reach your files.")
        for r in self.results:
            if r.graded:
                extra = f"; {r.manual_pending:g} point(s) to grade by hand" if r.manual_pending else ""
                extra += f"; timed out in {', '.join(r.timed_out)}" if r.timed_out else ""
                out.append(
                    f"  {r.student}: {r.score:g} / {r.max_score:g} auto-graded points ({r.seconds:.1f} s){extra}"
                )
            else:
                out.append(f"  FAILED {r.student}: {r.reason}")
        for r in self.results:
            if r.flags:
                shown = "; ".join(r.flags[:4]) + (f"; and {len(r.flags) - 4} more" if len(r.flags) > 4 else "")
                out.append(f"  FLAGGED {r.student}: read this code before trusting the grade: {shown}")
        return out


def _timed_out_cells(path: Path) -> list[str]:
    with _quiet_nbgrader():
        nb = nbformat.read(path, as_version=4)
    return [
        grade_id(cell) or f"cell {i}"
        for i, cell in enumerate(nb.cells)
        if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))
    ]


def autograde(
    course: Course, assignment: str, students: list[str] | None = None, *, timeout: float | None = None
) -> AutogradeReport:
    """Autograde each submission in turn; one that cannot be graded does not stop the others.

    Parameters
    ----------
    course : Course
    assignment : str
        A folder of ``source/``, e.g. ``"00_warm_up"``.
    students : list of str, optional
        Whom to grade; by default every student with a folder in ``submitted/``.
    timeout : float, optional
        Seconds per cell of learner code; by default that of ``nbgrader_config.py``.

    Returns
    -------
    AutogradeReport
        One ``StudentResult`` per student: graded or not (and why), scores, timeouts.

    Raises
    ------
    GradingError
        Nothing was submitted (run :func:`collect` first).

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course, autograde
    >>> report = autograde(Course(), "00_warm_up")  # runs nbgrader  # doctest: +SKIP
    >>> print("\\n".join(report.lines()))  # doctest: +SKIP
    Autograded 00_warm_up: 1 of 1 submission(s) graded; notebooks with outputs in autograded/<student>/, scores in gradebook.db
      ada: 6 / 6 auto-graded points (... s); 2 point(s) to grade by hand
    """
    from course_tools.grading import sandbox
    from course_tools.grading.execute import GUARD_REPORTS

    students = students or course.students(assignment)
    if not students:
        raise GradingError(f"No submissions of {assignment} in {course.folder('submitted')}: run collect first.")
    if sandbox.opted_out():
        isolation = f"NONE ({sandbox.OPT_OUT_ENV}=off)"
    else:
        try:
            sandbox.check_sandbox()
        except sandbox.SandboxUnavailable as exc:
            raise GradingError(str(exc)) from None
        isolation = "sandbox"
    api = course.api(timeout=timeout)
    sources = {
        n: nbformat.read(course.source(assignment) / f"{n}.ipynb", as_version=4)
        for n in course.notebook_names(assignment)
    }
    protected = set().union(*(protected_names(nb) for nb in sources.values()))
    results = []
    for student in students:
        folder = course.folder("submitted", student, assignment)
        unreadable, submitted = [], {}
        for path in sorted(folder.glob("*.ipynb")):
            try:
                submitted[path.stem] = read_notebook(path)
            except ValueError as exc:
                unreadable.append(f"{path.name} is {exc}")
        if unreadable:
            results.append(StudentResult(student, False, "; ".join(unreadable) + ". Ask the student for a new copy."))
            continue
        flags = [
            f"{name}: {flag}" if len(submitted) > 1 else flag
            for name, nb in submitted.items()
            for flag in scan_notebook(nb, protected)
        ]
        edited = [p for name, nb in submitted.items() if name in sources for p in metadata_problems(nb, sources[name])]
        GUARD_REPORTS.pop((assignment, student), None)
        start = time.perf_counter()
        with _quiet_nbgrader():
            outcome = api.autograde(assignment, student, force=True, create=True)
        seconds = time.perf_counter() - start
        flags += [f"at grading, {event}" for event in GUARD_REPORTS.pop((assignment, student), [])]
        if not outcome["success"] or not course.folder("autograded", student, assignment).is_dir():
            reason = _failure_reason(course, assignment, student, outcome, edited)
            results.append(StudentResult(student, False, reason, seconds=seconds, flags=flags))
            continue
        flags += [f"cell metadata edited: {p}" for p in edited]
        timed_out = [
            f"{nb.stem}:{cell}"
            for nb in sorted(course.folder("autograded", student, assignment).glob("*.ipynb"))
            for cell in _timed_out_cells(nb)
        ]
        results.append(StudentResult(student, True, timed_out=timed_out, seconds=seconds, flags=flags))
    with course.gradebook() as gb:
        for r in results:
            if r.graded:
                submission = gb.find_submission(assignment, r.student)
                r.score, r.max_score = submission.code_score, submission.max_code_score
                r.manual_pending = sum(
                    g.max_score for nb in submission.notebooks for g in nb.grades if g.needs_manual_grade
                )
    _save_flags(course, assignment, {r.student: r.flags for r in results})
    return AutogradeReport(assignment, results, isolation)


FLAGS_FILE = "flags.json"  # {assignment: {student: [flag, ...]}}, beside the gradebook


def _save_flags(course: Course, assignment: str, flags: dict[str, list[str]]) -> None:
    path = course.root / FLAGS_FILE
    table = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    mine = table.setdefault(assignment, {})
    for student, found in flags.items():
        if found:
            mine[student] = found
        else:
            mine.pop(student, None)
    path.write_text(json.dumps(table, indent=1, sort_keys=True), encoding="utf-8")


def _failure_reason(course: Course, assignment: str, student: str, outcome: dict, edited: list[str]) -> str:
    """One line: what went wrong (the exception's own message, the cell), what to do, where the log is."""
    log = course.folder("logs", student, assignment) / "autograde.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(outcome.get("log", "") + "\n" + outcome.get("error", ""), encoding="utf-8")
    cause = _log_errors(outcome)
    name, _, message = cause.partition(": ")
    regrade = f"grade again with --student {student}"
    if name.endswith("KernelDied"):
        return f"{message.replace('--student,', f'--student {student},')} Full log: {log}"
    if name.endswith("UnresponsiveKernelError") or "could not interrupt" in cause or "unresponsive" in cause:
        return (
            f"the kernel could not be interrupted (code that ignores interrupts, e.g. catching KeyboardInterrupt "
            f"in a loop): replace that loop with raise RuntimeError('endless loop') in the submitted notebook, "
            f"{regrade}, and note the change. Full log: {log}"
        )
    if edited:
        more = f" (and {len(edited) - 1} more)" if len(edited) > 1 else ""
        return (
            f"{edited[0]}{more}; nbgrader stopped with {cause}. Put the released cell back in "
            f"submitted/{student}/{assignment}/ (copy it from release/{assignment}/), {regrade}, and note the change. "
            f"Full log: {log}"
        )
    return f"nbgrader stopped with {cause}. Read the full log, fix the submission or ask the learner, {regrade}: {log}"


@dataclass(frozen=True)
class CellGrade:
    score: float
    max_score: float
    needs_manual_grade: bool
    cell_type: str


def cell_grades(course: Course, assignment: str) -> dict[str, dict[str, CellGrade]]:
    """``{student: {grade_id: CellGrade}}`` of every graded submission of ``assignment``.

    Parameters
    ----------
    course : Course
    assignment : str
        An assignment already autograded (its scores are read from the gradebook).

    Returns
    -------
    dict of str -> dict of str -> CellGrade
        ``score``, ``max_score``, ``needs_manual_grade`` and ``cell_type`` of each graded cell.

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course, cell_grades
    >>> cell_grades(Course(), "00_warm_up")["ada"]["00-base-rate-tests"]  # needs a gradebook  # doctest: +SKIP
    CellGrade(score=1.0, max_score=1.0, needs_manual_grade=False, cell_type='code')
    """
    table = {}
    with course.gradebook() as gb:
        for submission in gb.find_assignment(assignment).submissions:
            table[submission.student.id] = {
                grade.name: CellGrade(grade.score, grade.max_score, grade.needs_manual_grade, grade.cell.cell_type)
                for notebook in submission.notebooks
                for grade in notebook.grades
            }
    return table


# --- feedback -------------------------------------------------------------------------------
@dataclass
class FeedbackReport:
    assignment: str
    files: list[Path]
    withheld: list[tuple[Path, list[str]]]

    def lines(self) -> list[str]:
        out = [
            f"Feedback for {self.assignment}: {len(self.files)} HTML file(s) in feedback/<student>/{self.assignment}/"
        ]
        out += [f"  {p.parent.parent.name}: {p}" for p in self.files]
        out += [
            f"  WITHHELD {p}: it showed hidden text {leaks[:2]}; file deleted, report this bug"
            for p, leaks in self.withheld
        ]
        return out


def feedback(course: Course, assignment: str) -> FeedbackReport:
    """Generate feedback HTML for every autograded submission; withhold any file that leaks.

    Parameters
    ----------
    course : Course
    assignment : str
        An assignment already autograded.

    Returns
    -------
    FeedbackReport
        ``files`` written and ``withheld`` (file, leaked lines): a withheld file is deleted.

    Raises
    ------
    GradingError
        nbgrader's ``generate_feedback`` failed.

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course, feedback
    >>> report = feedback(Course(), "00_warm_up")  # runs nbgrader  # doctest: +SKIP
    >>> print("\\n".join(report.lines()))  # doctest: +SKIP
    Feedback for 00_warm_up: 1 HTML file(s) in feedback/<student>/00_warm_up/
      ada: .../autograded/feedback/ada/00_warm_up/00_warm_up.html
    """
    with _quiet_nbgrader():
        result = course.api().generate_feedback(assignment, force=True)
    if not result["success"]:
        raise GradingError(f"nbgrader generate_feedback failed:\n{_log_errors(result)}")
    secrets = _secrets(course, assignment, solutions=False)  # a learner's feedback shows their own answers
    files, withheld = [], []
    for path in sorted(course.folder("feedback").glob(f"*/{assignment}/*.html")):
        leaks = leaked_lines(path.read_text(encoding="utf-8"), secrets.get(path.stem, set()))
        if leaks:
            path.unlink()
            withheld.append((path, leaks))
        else:
            files.append(path)
    return FeedbackReport(assignment, files, withheld)


# --- grades ---------------------------------------------------------------------------------
def export_grades(course: Course, to: Path | None = None) -> tuple[Path, list[dict]]:
    """Write nbgrader's grade export (one row per student and assignment) as CSV.

    Parameters
    ----------
    course : Course
    to : pathlib.Path, optional
        The CSV file to write; by default ``grades.csv`` in the course folder.

    Returns
    -------
    (pathlib.Path, list of dict)
        The file written and its rows (``assignment``, ``student_id``, ``score``,
        ``max_score``... as strings), with a last column ``flags``: what ``autograde``
        flagged in that submission for the instructor to read (empty when nothing).

    Examples
    --------
    >>> from course_tools.grading.pipeline import Course, export_grades
    >>> path, rows = export_grades(Course())  # needs a gradebook  # doctest: +SKIP
    >>> path.name, rows[0]["assignment"], rows[0]["student_id"], float(rows[0]["score"])  # doctest: +SKIP
    ('grades.csv', '00_warm_up', 'ada', 6.0)
    """
    import csv

    from nbgrader.plugins import CsvExportPlugin

    to = Path(to) if to else course.root / "grades.csv"
    with course.gradebook() as gb:
        CsvExportPlugin(to=str(to), parent=course.api()).export(gb)
    with open(to, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # one more column: what autograde flagged for the instructor to read (empty: nothing)
    path = course.root / FLAGS_FILE
    flags = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for row in rows:
        row["flags"] = "; ".join(flags.get(row.get("assignment", ""), {}).get(row.get("student_id", ""), []))
    if rows:
        with open(to, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return to, rows
