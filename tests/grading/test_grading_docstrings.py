"""Every Examples section of course.grading runs as written."""

import doctest
import importlib

import pytest

MODULES = ["checks", "authoring", "timeouts", "pipeline"]  # the modules whose public API has Examples


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"course.grading.{name}")
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0
