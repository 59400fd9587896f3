"""nbgrader settings of the High-Stakes ML course. Every path is relative to this file,
so a copy of this folder (a cohort, a test's temporary folder) is a course on its own.

Run nbgrader through `python -m course_tools.grading ...` (or the Makefile targets): it passes
--CourseDirectory.root and puts the virtual environment's bin/ on PATH (nbgrader calls
`alembic` from PATH when it creates the gradebook).
"""

from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from course_tools.grading.execute import GradingExecute
from course_tools.grading.feedback import HideHiddenTestOutputs, LimitOutputBytes
from course_tools.grading.timeouts import CellTimeouts

HERE = Path(__file__).resolve().parent
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "high-stakes-ml"
c.CourseDirectory.root = str(HERE)
# sqlite:/// + an absolute path = four slashes: the gradebook always sits beside this file.
c.CourseDirectory.db_url = f"sqlite:///{HERE / 'gradebook.db'}"

# A cell of learner code gets 10 seconds (an endless loop is interrupted and scores 0);
# the read-only setup cells (imports, data), restored from the gradebook, get 60.
c.Execute.timeout_func = CellTimeouts(learner=10, setup=60)
# A deleted test cell is put back from the gradebook (otherwise it waits for a manual grade).
c.OverwriteCells.add_missing_cells = True
# Each submission runs in a sandboxed kernel (bubblewrap, as the user nobody, with memory,
# CPU, process and file-size limits; see course_tools/grading/sandbox.py and
# docs/INSTRUCTORS.md), whose guard restores the grading environment before each test cell;
# at most 200 kB of output per cell and 1 MB per notebook are kept. nbgrader's own list,
# with its Execute replaced.
c.Autograde.autograde_preprocessors = [
    GradingExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.GradingExecute.max_output_bytes = 200_000
c.GradingExecute.max_notebook_output_bytes = 1_000_000
# Feedback shows grades and visible checks, never hidden tests nor their failing outputs.
c.GenerateFeedback.preprocessors = [
    GetGrades,
    HideHiddenTestOutputs,
    ClearHiddenTests,
    LimitOutputBytes,
    CSSHTMLHeaderPreprocessor,
]
