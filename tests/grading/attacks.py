"""Hostile submissions of issue 14, graded in the batch of ONE assignment (:data:`ATTACK_ASSIGNMENT`).

Each attack is a submission built from the released notebook, as a learner could hand it in.
The attacker is told the course folder's absolute path (the strongest case: paths are easy
to guess). What each must come to (``test_grading_attacks.py``):

- ``attack-forger``: empty answers, and a detached process that rewrites its own rows of
  ``gradebook.db`` (full marks, hand-graded points included) while the batch goes on;
                                               expected: zero like the stub, no process left
- ``attack-overwrite``: empty answers; overwrites ``solution``'s submitted notebook with the
  released one and writes a file into ``source/``;
                                               expected: zero; ``solution`` keeps full marks; source unchanged
- ``attack-read-source``: empty answers; reads the source notebook, runs its solution cells,
  prints the other students' ids;              expected: zero, no other student named anywhere
- ``attack-transformer``: the first common wrong answer of every question, and an IPython
  input transformer that turns every later cell into ``pass``;
                                               expected: what ``wrong-1`` gets (zero)
- ``attack-patch``: the same wrong answers, with ``builtins.abs`` and ``numpy.allclose`` patched;
                                               expected: what ``wrong-1`` gets
- ``attack-sys-modules``: the same wrong answers, and a cell put BEFORE the setup that puts a
  fake ``numpy`` (``allclose`` always true) into ``sys.modules``;
                                               expected: what ``wrong-1`` gets
- ``attack-resources``: the solution, plus a 5 GiB allocation and a 100 MB print;
                                               expected: full marks, MemoryError, outputs cut
- ``attack-exit``: the solution with ``os._exit(0)`` after the second answer;
                                               expected: FAILED with a one-line reason naming the cell
- ``meta-*``: the solution with one kind of cell-metadata tampering each (:data:`METADATA_CASES`);
                                               expected: graded with the original cells, or FAILED with a
                                               reason that names the cell and the cause, and a log that exists
Every attack submission is FLAGGED in the autograde report; no honest one is.
"""

from __future__ import annotations

import copy

import nbformat

from course_tools.grading.cells import cell_role, grade_id

ATTACK_ASSIGNMENT = "00_warm_up"
MARKER = "HSML-ATTACK-PROCESS"  # in the command line of every process an attack starts

FORGER = '''
import sqlite3, sys, time
db, student = sys.argv[1], sys.argv[2]
sql = """UPDATE grade SET manual_score = (SELECT max_score FROM grade_cells WHERE grade_cells.id = grade.cell_id),
needs_manual_grade = 0 WHERE notebook_id IN (SELECT sn.id FROM submitted_notebook sn
JOIN submitted_assignment sa ON sn.assignment_id = sa.id WHERE sa.student_id = ?)"""
end = time.time() + 900
while time.time() < end:
    try:
        con = sqlite3.connect(db, timeout=5)
        con.execute(sql, (student,))
        con.commit()
        con.close()
    except Exception:
        pass
    time.sleep(0.3)
'''


def forger(root) -> str:
    return (
        "import subprocess, sys\n"
        f"_forger = {FORGER!r}\n"
        f"subprocess.Popen([sys.executable, '-c', _forger, {str(root / 'gradebook.db')!r}, 'attack-forger',"
        f" {MARKER!r}], start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,"
        " stderr=subprocess.DEVNULL)\n"
    )


def overwrite(root, assignment, victim="solution") -> str:
    return (
        "import pathlib\n"
        f"_root = pathlib.Path({str(root)!r})\n"
        f"_released = (_root / 'release' / {assignment!r} / {assignment + '.ipynb'!r}).read_text()\n"
        f"for _path in (_root / 'submitted' / {victim!r} / {assignment!r}).glob('*.ipynb'):\n"
        "    _path.write_text(_released)\n"
        f"(_root / 'source' / {assignment!r} / 'pwned.txt').write_text('the grading kernel could write here')\n"
    )


def read_source(root, assignment) -> str:
    return (
        "import json, pathlib\n"
        f"_root = pathlib.Path({str(root)!r})\n"
        f"_source = json.loads((_root / 'source' / {assignment!r} / {assignment + '.ipynb'!r}).read_text())\n"
        "for _cell in _source['cells']:\n"
        "    _meta = _cell.get('metadata', {}).get('nbgrader', {})\n"
        "    if _cell['cell_type'] == 'code' and _meta.get('solution'):\n"
        "        _code = ''.join(_cell['source']) if isinstance(_cell['source'], list) else _cell['source']\n"
        "        exec('\\n'.join(l for l in _code.splitlines() if '### ' not in l), globals())\n"
        "print('other students:', sorted(p.name for p in (_root / 'submitted').iterdir()))\n"
    )


TRANSFORMER = "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\n"
PATCH = "import builtins, numpy\nbuiltins.abs = lambda x: 0.0\nnumpy.allclose = lambda *a, **k: True\n"
FAKE_NUMPY = (
    "import sys, types, numpy\n"
    "_fake = types.ModuleType('numpy')\n"
    "_fake.__getattr__ = lambda name: getattr(numpy, name)\n"
    "_fake.allclose = lambda *a, **k: True\n"
    "sys.modules['numpy'] = _fake\n"
)
BIG_ALLOCATION = "_hog = bytearray(5 * 1024**3)\nprint(len(_hog))\n"
BIG_PRINT = "print('x' * (100 * 1024**2))\n"
EXIT = "import os\nos._exit(0)\n"

# name -> (what was done, how to do it to the released notebook)
METADATA_CASES = {
    "meta-test-ungraded": "a test cell marked ungraded (grade: false)",
    "meta-bogus-grade-id": "a test cell given a grade_id the assignment does not have",
    "meta-duplicated-test": "a test cell duplicated (two cells with one grade_id)",
    "meta-answer-points": "an answer cell given grade: true and points: 50",
    "meta-self-locked": "an answer cell locked by the learner",
    "meta-no-grade-id": "the grade_id of a test cell deleted",
    "meta-test-as-markdown": "a test cell turned into a markdown cell",
}


def _cells_by_role(nb, role):
    return [c for c in nb.cells if cell_role(c) == role]


def tamper_metadata(nb, case: str):
    """A copy of ``nb`` (a notebook holding answers) with the tampering ``case`` done to it."""
    nb = copy.deepcopy(nb)
    tests = _cells_by_role(nb, "tests")
    answers = _cells_by_role(nb, "answer")
    if case == "meta-test-ungraded":
        tests[0].metadata.nbgrader["grade"] = False
    elif case == "meta-bogus-grade-id":
        tests[0].metadata.nbgrader["grade_id"] = "bogus-grade-id"
    elif case == "meta-duplicated-test":
        index = nb.cells.index(tests[0])
        twin = copy.deepcopy(tests[0])
        twin["id"] = "duplicated-test-cell"
        nb.cells.insert(index + 1, twin)
    elif case == "meta-answer-points":
        answers[0].metadata.nbgrader.update(grade=True, points=50)
    elif case == "meta-self-locked":
        answers[0].metadata.nbgrader["locked"] = True
    elif case == "meta-no-grade-id":
        del tests[0].metadata.nbgrader["grade_id"]
    elif case == "meta-test-as-markdown":
        index = nb.cells.index(tests[0])
        old = tests[0]
        cell = nbformat.v4.new_markdown_cell(old.source)
        cell.metadata = old.metadata
        cell["id"] = old.get("id", "test-as-markdown")
        nb.cells[index] = cell
    else:
        raise ValueError(f"unknown metadata case {case!r}")
    return nb


def _with_extra_cell(nb, code, *, before_role=None, after_id=None):
    """A copy of ``nb`` with a plain code cell of ``code`` before the first cell of ``before_role``
    or after the cell ``after_id``."""
    nb = copy.deepcopy(nb)
    cell = nbformat.v4.new_code_cell(code)
    if before_role:
        index = next(i for i, c in enumerate(nb.cells) if cell_role(c) == before_role)
    else:
        index = next(i for i, c in enumerate(nb.cells) if grade_id(c) == after_id) + 1
    nb.cells.insert(index, cell)
    return nb


def attack_submissions(root, assignment, released, solution, wrong_1, fill) -> dict[str, dict]:
    """{student: {notebook name: notebook}} of every attack (see module doc).

    ``released``: {name: released notebook}; ``solution`` / ``wrong_1``: {answer grade_id: code};
    ``fill(notebooks, replace)``: the batch's helper that rewrites answer cells.
    """
    answer_ids = [grade_id(c) for nb in released.values() for c in nb.cells if cell_role(c) == "answer"]
    first, second = answer_ids[0], answer_ids[1]
    wrong = {**solution, **wrong_1}
    out = {
        "attack-forger": fill(released, {first: forger(root)}),
        "attack-overwrite": fill(released, {first: overwrite(root, assignment)}),
        "attack-read-source": fill(released, {first: read_source(root, assignment)}),
        "attack-transformer": fill(released, {**wrong, first: wrong[first] + "\n" + TRANSFORMER}),
        "attack-patch": fill(released, {**wrong, first: wrong[first] + "\n" + PATCH}),
    }
    fake = fill(released, wrong)
    out["attack-sys-modules"] = {n: _with_extra_cell(nb, FAKE_NUMPY, before_role="readonly") for n, nb in fake.items()}
    full = fill(released, solution)
    out["attack-resources"] = {
        n: _with_extra_cell(_with_extra_cell(nb, BIG_PRINT, after_id=first), BIG_ALLOCATION, after_id=first)
        for n, nb in full.items()
    }
    out["attack-exit"] = {n: _with_extra_cell(nb, EXIT, after_id=second) for n, nb in full.items()}
    for case in METADATA_CASES:
        out[case] = {n: tamper_metadata(nb, case) for n, nb in full.items()}
    return out


# The students above whose code the report must flag (the metadata cases hold honest code).
FLAGGED = {
    "attack-forger",
    "attack-overwrite",
    "attack-read-source",
    "attack-transformer",
    "attack-patch",
    "attack-sys-modules",
    "attack-exit",
}
