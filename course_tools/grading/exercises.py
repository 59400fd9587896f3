"""The learner versions shipped in ``exercises/``: nbgrader's release of every assignment.

``exercises/NN_name.ipynb`` is what ``nbgrader generate_assignment`` makes of
``autograded/source/NN_name/NN_name.ipynb`` (solutions replaced by stubs, hidden tests
removed, cells locked and checksummed), made in this process by the same nbgrader
preprocessors, in the same order, with the course's ``nbgrader_config.py``, minus the two
steps that need a gradebook or a header file (``SaveCells``, ``IncludeHeaderFooter``).
Two cells are put in front: how to work through the exercise on your own, and
``from course import check, hint, solution, progress``. The notebook is stored in the
course's normalized form (``course_tools.notebooks``).

``python -m course_tools.grading exercises`` (``make exercises``) writes them;
``... exercises --check`` reports the stale ones (exit status 1); the tests do the same and
also scan each for solution and hidden-test lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_tools import REPO_ROOT
from course_tools.grading.cells import checked_question_ids, secret_lines
from course_tools.notebooks import dumps_notebook, normalize_notebook

__all__ = [
    "EXERCISES_DIR",
    "SOURCE_DIR",
    "HEADER_IDS",
    "REGENERATE",
    "Staleness",
    "learner_version",
    "learner_text",
    "write_exercises",
    "stale_exercises",
    "leaked_secrets",
]

EXERCISES_DIR = REPO_ROOT / "exercises"
SOURCE_DIR = REPO_ROOT / "autograded" / "source"
#: Ids of the two cells put in front of nbgrader's release (no nbgrader metadata).
HEADER_IDS = ("self-paced-how-to", "self-paced-imports")
#: The command that regenerates every learner version.
REGENERATE = "make exercises   (or: .venv/bin/python -m course_tools.grading exercises)"

_HOW_TO = """\
**Self-paced exercise.** This is the learner version of the graded assignment
`{name}`: the questions, with a stub (`raise NotImplementedError()`) where your answer goes.
Work through it on your own, in this order, for each question:

1. Write your answer in the cell marked `# YOUR CODE HERE` and run it (Shift+Enter).
2. Run the check cell under it: `check("question-id")` says at once whether your answer passes the visible checks.
3. Stuck? `hint("question-id")` gives a hint, one level deeper each time you run it.
4. Once you have checked an answer of your own (right or wrong), `solution("question-id")` shows a worked solution.
5. `progress()` shows what you have passed, attempted and not started, across the course.

The questions of this exercise: {ids}. Run the next cell and the setup cell below first.
Graded by an instructor? Work in the copy they give you: hidden tests check more than `check` does."""

_IMPORTS = "from course import check, hint, progress, solution"

# nbgrader's GenerateAssignment preprocessors, in its order (nbgrader 0.9.6), without the two
# that need a gradebook or a header file: SaveCells, IncludeHeaderFooter.
_PREPROCESSORS = (
    "InstantiateTests",
    "LockCells",
    "ClearSolutions",
    "ClearOutput",
    "CheckCellMetadata",
    "ComputeChecksums",
    "ClearHiddenTests",
    "ClearMarkScheme",
    "ComputeChecksums",
    "CheckCellMetadata",
)


def _config(root: Path):
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def _header(name: str, source_nb) -> list:
    ids = [qid for cell in source_nb.cells if cell.cell_type == "code" for qid in checked_question_ids(cell.source)]
    listed = ", ".join(f"`{qid}`" for qid in dict.fromkeys(ids)) or "(none)"
    how_to = nbformat.v4.new_markdown_cell(_HOW_TO.format(name=name, ids=listed))
    imports = nbformat.v4.new_code_cell(_IMPORTS)
    for cell, cell_id in zip((how_to, imports), HEADER_IDS):
        cell["id"] = cell_id
    return [how_to, imports]


def learner_version(source: Path, *, root: Path | None = None):
    """The learner version of an assignment's source notebook (nbgrader's release, plus the header).

    Parameters
    ----------
    source : pathlib.Path
        ``autograded/source/NN_name/NN_name.ipynb``.
    root : pathlib.Path, optional
        The nbgrader course folder whose ``nbgrader_config.py`` configures the
        preprocessors; by default the source's ``../..`` (``autograded/``) when it has one,
        else the repository's ``autograded/``.

    Returns
    -------
    nbformat.NotebookNode
        Normalized (the stored form).

    Examples
    --------
    >>> from course_tools.grading.exercises import SOURCE_DIR, learner_version
    >>> nb = learner_version(SOURCE_DIR / "00_warm_up" / "00_warm_up.ipynb")  # doctest: +SKIP
    >>> [c.id for c in nb.cells[:2]]  # doctest: +SKIP
    ['self-paced-how-to', 'self-paced-imports']
    """
    import nbgrader.preprocessors as nbgrader_preprocessors

    source = Path(source)
    if root is None:
        root = source.parent.parent.parent
        root = root if (root / "nbgrader_config.py").is_file() else SOURCE_DIR.parent
    config = _config(Path(root))
    nb = nbformat.read(source, as_version=4)
    original = nbformat.read(source, as_version=4)
    resources = {"nbgrader": {"assignment": source.parent.name, "notebook": source.stem}}
    for name in _PREPROCESSORS:
        preprocessor = getattr(nbgrader_preprocessors, name)(config=config)
        nb, resources = preprocessor.preprocess(nb, resources)
    nb.cells = _header(source.stem, original) + list(nb.cells)
    return normalize_notebook(nb)


def learner_text(source: Path, *, root: Path | None = None) -> str:
    """The stored text of :func:`learner_version` (what ``exercises/NN_name.ipynb`` must hold).

    Parameters
    ----------
    source : pathlib.Path
    root : pathlib.Path, optional

    Returns
    -------
    str

    Examples
    --------
    >>> from course_tools.grading.exercises import SOURCE_DIR, learner_text
    >>> learner_text(SOURCE_DIR / "00_warm_up" / "00_warm_up.ipynb").startswith("{")  # doctest: +SKIP
    True
    """
    return dumps_notebook(learner_version(source, root=root))


def _sources(source_dir: Path, assignments=None) -> list[Path]:
    folders = sorted(p for p in Path(source_dir).iterdir() if p.is_dir())
    if assignments:
        known = {p.name for p in folders}
        unknown = sorted(set(assignments) - known)
        if unknown:
            raise ValueError(f"No assignment {unknown} in {source_dir}; known: {', '.join(sorted(known))}.")
        folders = [p for p in folders if p.name in assignments]
    return [path for folder in folders for path in sorted(folder.glob("*.ipynb"))]


def write_exercises(assignments=None, *, source_dir: Path = SOURCE_DIR, out: Path = EXERCISES_DIR) -> list[Path]:
    """Write ``out/NN_name.ipynb`` for every assignment (or those named); the paths written.

    Parameters
    ----------
    assignments : list of str, optional
        Folders of ``source_dir``; by default all of them.
    source_dir : pathlib.Path, default=SOURCE_DIR
    out : pathlib.Path, default=EXERCISES_DIR

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> from course_tools.grading.exercises import write_exercises
    >>> [p.name for p in write_exercises(["00_warm_up"])]  # doctest: +SKIP
    ['00_warm_up.ipynb']
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source in _sources(source_dir, assignments):
        target = out / f"{source.stem}.ipynb"
        text = learner_text(source)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


@dataclass(frozen=True)
class Staleness:
    """A shipped learner version that is missing, out of date, or without a source.

    Attributes
    ----------
    path : pathlib.Path
        The file in ``exercises/``.
    reason : str
        What is wrong and what to do.

    Examples
    --------
    >>> from pathlib import Path
    >>> from course_tools.grading.exercises import Staleness
    >>> print(Staleness(Path("exercises/09_x.ipynb"), "missing"))
    exercises/09_x.ipynb: missing
    """

    path: Path
    reason: str

    def __str__(self):
        return f"{_shown(self.path)}: {self.reason}"


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def stale_exercises(*, source_dir: Path = SOURCE_DIR, out: Path = EXERCISES_DIR) -> list[Staleness]:
    """Every learner version that differs from what its source gives now (or has no source).

    Parameters
    ----------
    source_dir : pathlib.Path, default=SOURCE_DIR
    out : pathlib.Path, default=EXERCISES_DIR

    Returns
    -------
    list of Staleness
        Empty when every shipped learner version is up to date.

    Examples
    --------
    >>> from course_tools.grading.exercises import stale_exercises
    >>> stale_exercises()  # doctest: +SKIP
    []
    """
    out = Path(out)
    found = []
    sources = _sources(source_dir)
    for source in sources:
        target = out / f"{source.stem}.ipynb"
        if not target.exists():
            found.append(Staleness(target, f"missing: the learner version of {_shown(source)}; run {REGENERATE}"))
        elif target.read_text(encoding="utf-8") != learner_text(source):
            found.append(
                Staleness(target, f"out of date: it differs from what {_shown(source)} gives now; run {REGENERATE}")
            )
    names = {source.stem for source in sources}
    for orphan in sorted(p for p in out.glob("*.ipynb") if p.stem not in names):
        found.append(Staleness(orphan, f"no assignment source {_shown(Path(source_dir) / orphan.stem)}: delete it"))
    return found


def leaked_secrets(exercise: Path, source: Path) -> list[str]:
    """Solution and hidden-test lines of ``source`` that appear in the learner version ``exercise``.

    Parameters
    ----------
    exercise : pathlib.Path
        A file of ``exercises/``.
    source : pathlib.Path
        Its assignment's source notebook.

    Returns
    -------
    list of str
        The leaked lines, sorted (empty: nothing leaked).

    Examples
    --------
    >>> from course_tools.grading.exercises import EXERCISES_DIR, SOURCE_DIR, leaked_secrets
    >>> leaked_secrets(EXERCISES_DIR / "00_warm_up.ipynb", SOURCE_DIR / "00_warm_up" / "00_warm_up.ipynb")  # doctest: +SKIP
    []
    """
    secrets = secret_lines(nbformat.read(source, as_version=4))
    released = nbformat.read(exercise, as_version=4)
    text = "\n".join(cell.source for cell in released.cells)
    return sorted(line for line in secrets if line in text)
