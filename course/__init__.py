"""High-Stakes ML: the importable package behind the course notebooks.

Sub-packages, each with one job:

- ``course.data``: the transaction simulator, the shipped dataset and its loader.
- ``course.metrics``: the threshold engine, the cost model and alert-budget metrics.
- ``course.widgets``: the interactive explorers and the quiz (thin layers over ``course.metrics``).
- ``course.plots``: plotting helpers in the ``...Display.from_predictions`` style.
- ``course.grading``: ``check(...)`` self-checks, the visible questions, hidden-test helpers.
- ``course.lessons``: each module's own experiments, one file per module.
"""

__version__ = "0.1.0"


def __getattr__(name):  # lazy: `from course import check` without importing everything up front
    if name == "check":
        from course.grading import check

        return check
    raise AttributeError(f"module 'course' has no attribute {name!r}")
