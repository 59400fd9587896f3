"""The public functions' Examples sections run and print what they show."""

import doctest
import importlib

import pytest

import course.data

MODULES = ["simulate", "features", "labels", "drift", "split", "dataset"]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name):
    module = importlib.import_module(f"course.data.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


PUBLIC = ["simulate_transactions", "labels_as_of", "build_features", "time_split", "load_transactions", "Drift"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_api_has_examples(name):
    assert name in course.data.__all__
    assert "Examples" in (getattr(course.data, name).__doc__ or ""), f"{name} has no Examples section"
