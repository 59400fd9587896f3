"""Lines the website and app tests print at the end of the run.

One list in a plain module: a test that imported it from ``conftest.py`` got a second copy of
that module (pytest loads conftest files under their own name), so its lines were never printed.
"""

TIMINGS: list[str] = []
