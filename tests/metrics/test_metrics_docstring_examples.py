"""Every ``Examples`` section of course.metrics runs and gives what it shows."""

import doctest
import importlib

import pytest

MODULES = [
    "course.metrics.threshold_sweep",
    "course.metrics.costs",
    "course.metrics.ranking",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
