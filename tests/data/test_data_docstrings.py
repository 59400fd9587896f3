"""Every public function of course.data has an Examples section (tests/test_docstring_examples.py runs them)."""

import pytest

import course.data

PUBLIC = ["simulate_transactions", "labels_as_of", "build_features", "time_split", "load_transactions", "Drift"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_api_has_examples(name):
    assert name in course.data.__all__
    assert "Examples" in (getattr(course.data, name).__doc__ or ""), f"{name} has no Examples section"
