"""How long each cell of a submission may run while it is graded."""

from __future__ import annotations

from dataclasses import dataclass

from course_tools.grading.cells import cell_role

__all__ = ["CellTimeouts"]


@dataclass(frozen=True)
class CellTimeouts:
    """Seconds per cell: ``setup`` for the instructor's read-only cells, ``learner`` for the rest.

    Read-only cells (imports, data) are put back from the gradebook before grading, so a
    learner cannot slow them down; a cold import of pandas on a busy machine can take a
    few seconds. Every other cell runs the learner's code, so an endless loop there costs
    only ``learner`` seconds. Use as nbgrader's ``Execute.timeout_func``.

    Parameters
    ----------
    learner : float, default=10
        Seconds for a cell of learner code (any cell but a read-only one).
    setup : float, default=60
        Seconds for a read-only cell.

    Examples
    --------
    >>> timeouts = CellTimeouts(learner=10, setup=60)
    >>> timeouts({"cell_type": "code", "metadata": {"nbgrader": {"locked": True}}})
    60
    >>> timeouts({"cell_type": "code", "metadata": {"nbgrader": {"solution": True}}})
    10
    """

    learner: float = 10
    setup: float = 60

    def __call__(self, cell) -> float:
        return self.setup if cell_role(cell) == "readonly" else self.learner
