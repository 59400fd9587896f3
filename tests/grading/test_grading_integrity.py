"""Fast tests of the grading's integrity helpers: the scan, the metadata audit, the sandbox, the log reader.

The attacks themselves are graded through real nbgrader in ``test_grading_attacks.py``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from attacks import FAKE_NUMPY, METADATA_CASES, PATCH, TRANSFORMER, forger, overwrite, read_source, tamper_metadata

from course_tools.grading.cells import cell_role
from course_tools.grading.execute import cut_outputs
from course_tools.grading.integrity import metadata_problems, protected_names, scan_notebook
from course_tools.grading.pipeline import _exception
from course_tools.grading.sandbox import SANDBOX_UID, sandbox_command

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "autograded" / "source" / "00_warm_up" / "00_warm_up.ipynb"
ANSWERS = sorted((Path(__file__).parent / "answers").glob("*.py"))


def _notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


@pytest.mark.parametrize(
    "code, flag",
    [
        (forger(Path("/srv/course")), "imports subprocess"),
        (overwrite(Path("/srv/course"), "00_warm_up"), "names the path '/srv/course'"),
        (read_source(Path("/srv/course"), "00_warm_up"), "uses exec"),
        (TRANSFORMER, "uses get_ipython"),
        (TRANSFORMER, "touches IPython's input_transformers_post"),
        (PATCH, "imports builtins"),
        (PATCH, "patches numpy.allclose"),
        ("import pandas as pd\npd.Series.mean = lambda self: 0", "patches pd.Series.mean"),
        (FAKE_NUMPY, "uses sys.modules"),
        ("import os\nos._exit(0)", "uses os._exit"),
        ("import gc, ctypes", "imports ctypes"),
        ("from os import system\nsystem('id')", "uses os.system"),
        ("!cat /etc/passwd", "a shell command (!...)"),
        ("_expect = None", "rebinds '_expect' (the hidden tests use it)"),
        ("def f():\n    global df\n    df = 1", "rebinds 'df' (the hidden tests use it)"),
        ("f = (1).__class__.__base__.__subclasses__", "reaches __subclasses__"),
    ],
)
def test_the_scan_flags_what_an_attack_touches(code, flag):
    protected = protected_names(nbformat.read(SOURCE, as_version=4))
    [flags] = scan_notebook(_notebook(code), protected)
    assert flag in flags, flags


def _answers(path):
    spec = importlib.util.spec_from_file_location(f"answers_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [
        code
        for corpus in ("WRONG_ANSWERS", "RIGHT_ANSWERS")
        for cases in getattr(module, corpus, {}).values()
        for code in cases.values()
    ]


@pytest.mark.parametrize("path", ANSWERS, ids=lambda p: p.stem)
def test_no_honest_answer_is_flagged(path):
    source = REPO / "autograded" / "source" / path.stem / f"{path.stem}.ipynb"
    nb = nbformat.read(source, as_version=4)
    protected = protected_names(nb)
    honest = [c.source for c in nb.cells if c.cell_type == "code" and cell_role(c) in ("answer", "plain")]
    flags = scan_notebook(_notebook(*honest, *_answers(path)), protected)
    assert not flags, flags


def test_protected_names_are_those_the_tests_take_from_the_setup():
    assert {"_expect", "check", "df"} <= protected_names(nbformat.read(SOURCE, as_version=4))


@pytest.mark.parametrize("case", sorted(METADATA_CASES))
def test_every_metadata_tampering_is_named_with_its_cell(case):
    source = nbformat.read(SOURCE, as_version=4)
    problems = metadata_problems(tamper_metadata(source, case), source)
    assert problems and all("cell" in p for p in problems), problems


def test_an_untouched_notebook_has_no_metadata_problem():
    source = nbformat.read(SOURCE, as_version=4)
    assert metadata_problems(source, source) == []


def test_the_log_reader_finds_the_cause_not_nbgrader_s_closing_words():
    log = (
        "[INFO] converting\n[ERROR] Traceback (most recent call last):\n"
        '      File "x.py", line 3, in f\n        raise KeyError("grade_id")\n    KeyError: \'grade_id\'\n\n'
        "[ERROR] There was an error processing assignment\n"
        'Traceback (most recent call last):\n  File "y.py", line 1, in g\n    app.start()\n'
        "nbgrader.converters.base.NbGraderException: Please see the the above traceback for details.\n"
    )
    assert _exception(log) == "KeyError: 'grade_id'"
    assert _exception("[INFO] nothing went wrong") == ""


def test_outputs_are_cut_with_a_note_and_errors_kept():
    outputs = [
        nbformat.v4.new_output("stream", text="x" * 10_000),
        nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=[]),
        nbformat.v4.new_output("stream", text="y" * 10_000),
    ]
    kept = cut_outputs(outputs, 3_000)
    assert [o.output_type for o in kept] == ["stream", "stream", "error"]
    assert kept[1].text.startswith("[output cut") and len(kept[0].text) < 3_000


needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")


@needs_bwrap
def test_the_sandbox_is_unprivileged_blind_offline_and_limited(tmp_path):
    secret = tmp_path / "gradebook.db"
    secret.write_text("scores")
    probe = (
        "import os, socket, resource, json\n"
        f"seen = os.path.exists({str(secret)!r})\n"
        "try:\n    socket.create_connection(('127.0.0.1', 22), timeout=1); net = True\n"
        "except OSError:\n    net = False\n"
        "try:\n    bytearray(5 * 1024**3); big = True\n"
        "except MemoryError:\n    big = False\n"
        "print(json.dumps([os.getuid(), seen, net, big, os.getcwd()]))\n"
    )
    with tempfile.TemporaryDirectory(prefix="hsml-") as sockets:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            os.chown(sockets, SANDBOX_UID, SANDBOX_UID)
        command = sandbox_command([sys.executable, "-c", probe], socket_dir=Path(sockets))
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    uid, seen, net, big, cwd = json.loads(result.stdout.strip().splitlines()[-1])
    if os.geteuid() == 0:
        assert uid == SANDBOX_UID
    assert (seen, net, big, cwd) == (False, False, False, "/home/learner/work")
