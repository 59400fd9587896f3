"""Every ``Examples`` section in ``course/`` runs and shows what it says (one test per module)."""

import doctest
import importlib
import pkgutil

import pytest

import course

# Entry points that start servers or parse the command line have no examples to run.
WITHOUT_EXAMPLES = {"course_tools.lab", "course.data.__main__", "course.grading.__main__"}


def _course_modules():
    names = ["course"]
    for info in pkgutil.walk_packages(course.__path__, prefix="course."):
        names.append(info.name)
    return sorted(set(names) - WITHOUT_EXAMPLES)


@pytest.mark.parametrize("name", _course_modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} example(s) in {name} fail: run python -m doctest -v on it"
