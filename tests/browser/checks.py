"""Comparing what the page shows with what the engine computes (plain Python, no browser)."""

from __future__ import annotations

import math
import time


def parse_data_value(text):
    """A ``data-value`` attribute back to a Python value (see ``course.widgets.base``)."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    return float(text)


def mismatches(shown, expected, expected_text=None, rel_tol=1e-9):
    """Differences between the numbers on the page and the engine's, as readable lines."""
    problems = []
    if set(shown) != set(expected):
        problems.append(f"names on the page {sorted(shown)} != engine's {sorted(expected)}")
    for name in sorted(set(shown) & set(expected)):
        raw, text = shown[name]
        got, want = parse_data_value(raw), expected[name]
        if isinstance(want, bool) or want is None or isinstance(got, bool) or got is None:
            same = got == want
        else:
            want = float(want)
            same = (math.isnan(got) and math.isnan(want)) or got == want or math.isclose(got, want, rel_tol=rel_tol)
        if not same:
            problems.append(f"{name}: page shows {raw!r} ({text!r}), engine computes {expected[name]!r}")
        elif expected_text is not None and text != expected_text[name]:
            problems.append(f"{name}: page text {text!r}, expected {expected_text[name]!r}")
    return problems


def wait_until(check, timeout_s, interval_s=0.2):
    """Call ``check()`` until it returns a falsy value (no problems) or time runs out; its last result."""
    deadline = time.monotonic() + timeout_s
    while True:
        problems = check()
        if not problems or time.monotonic() > deadline:
            return problems
        time.sleep(interval_s)
