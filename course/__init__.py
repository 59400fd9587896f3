"""High-Stakes ML: the importable package behind the course notebooks.

Sub-packages, each with one job:

- ``course.data``: the transaction simulator, the shipped dataset and its loader.
- ``course.metrics``: the threshold engine, the cost model and alert-budget metrics.
- ``course.widgets``: the interactive explorers and the quiz (thin layers over ``course.metrics``).
- ``course.plots``: plotting helpers in the ``...Display.from_predictions`` style.
- ``course.grading``: ``check(...)`` self-checks, ``hint``, ``solution``, ``progress``, the visible
  questions, hidden-test helpers.
- ``course.lessons``: each module's own experiments, one file per module.
"""

__version__ = "0.1.0"


_LEARNER_HELPERS = ("check", "hint", "solution", "progress")


def __getattr__(name):  # lazy: `from course import check, hint` without importing everything up front
    if name in _LEARNER_HELPERS:
        import course.grading

        return getattr(course.grading, name)
    raise AttributeError(f"module 'course' has no attribute {name!r}")
