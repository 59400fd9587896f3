"""A cohort end to end on a real JupyterHub with a real PostgreSQL gradebook (``make test-hub``).

One scenario (the ``cohort`` fixture) runs once, stops everything it started, then the tests
read what it saw:

1. PostgreSQL 15 (a temporary folder, socket only) and JupyterHub with its proxy on 127.0.0.1,
   from ``deploy/hub/jupyterhub_config.py``; the formgrader runs as a hub service;
2. the instructor releases ``00_warm_up`` and publishes it to nbgrader's exchange;
3. three learners (``correct``, ``wrong``, ``malformed``) get their servers (each in its
   sandbox), fetch the assignment through their own server's nbgrader REST handler, through
   the hub's proxy, with their own API token; write their answers through the contents API
   (the solutions; the first common wrong answer of every question; a file that is not a
   notebook); submit;
4. the instructor collects from the exchange (owners checked against the hub's uid registry),
   autogrades, grades the hand-graded answer (as in the formgrader), writes feedback and
   returns it through the exchange; each learner fetches their feedback;
5. the gradebook's rows are read from PostgreSQL, the per-question export is written;
6. the formgrader opens in Chromium after the instructor logs into the hub (screenshot in
   ``build/screenshots/hub_formgrader.png``);
7. inside a learner's server: no instructor material is reachable, ``solution()`` says the
   instructor has it; memory of each learner server is measured (idle, then with a kernel).
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import io
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from course_tools.grading.cells import cell_role, grade_id, secret_lines, without_delimiters
from course_tools.grading.pipeline import leaked_lines
from course_tools.hub.learners import LearnerIds
from tests.hub import cohort

pytestmark = pytest.mark.hub

ASSIGNMENT = "00_warm_up"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
SOURCE = cohort.REPO / "autograded" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
ANSWERS = cohort.REPO / "tests" / "grading" / "answers" / f"{ASSIGNMENT}.py"  # its WRONG_ANSWERS
SCREENSHOT = cohort.REPO / "build" / "screenshots" / "hub_formgrader.png"
LEARNERS = ("correct", "wrong", "malformed")
NOT_A_NOTEBOOK = '{"cells": [{"cell_type": "code", "source": "x = 1"'  # a notebook cut short
# the points of each graded cell of 00_warm_up, in notebook order; the last is graded by hand
QUESTIONS = {
    "00-base-rate-tests": 1,
    "00-fraud-loss-tests": 1,
    "00-share-above-tests": 2,
    "00-rate-by-day-tests": 2,
    "00-accuracy-trap": 2,
}
MANUAL = {"correct": 2.0, "wrong": 1.0}  # what the instructor gives the hand-graded answer
TIMINGS = cohort.TIMINGS


def _answers() -> dict[str, dict[str, str]]:
    """grade id -> source, for the correct and the wrong learner."""
    spec = importlib.util.spec_from_file_location("answers_00_warm_up", ANSWERS)
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    source = nbformat.read(SOURCE, as_version=4)
    solutions = {
        grade_id(cell): without_delimiters(cell.source)
        for cell in source.cells
        if cell_role(cell) in ("answer", "manual")
    }
    wrong = {cell: next(iter(reasons.values())) for cell, reasons in corpus.WRONG_ANSWERS.items()}
    wrong["00-accuracy-trap"] = "Accuracy is high because frauds are rare."
    return {"correct": solutions, "wrong": {**solutions, **wrong}}


def _fill(nb: dict, answers: dict[str, str]) -> dict:
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        if grade_id(cell) in answers and cell_role(cell) in ("answer", "manual"):
            cell["source"] = answers[grade_id(cell)]
    return nb


def _probe_code(base: Path, hub: cohort.Hub, pg: cohort.Postgres, setup: str) -> str:
    """What a learner's kernel reports about its sandbox (printed as one JSON line)."""
    paths = {
        "repository": str(cohort.REPO),
        "assignment_sources": str(cohort.REPO / "autograded" / "source"),
        "authoring_sources": str(cohort.REPO / "autograded" / "authoring"),
        "answer_corpora": str(cohort.REPO / "tests" / "grading" / "answers"),
        "instructor_course": str(base / "course"),
        "gradebook_socket": str(pg.folder),
        "hub_state": str(hub.root),
        "other_learner_home": str(hub.root / "homes" / "wrong"),
        "exchange_inbound": f"/srv/nbgrader/exchange/{cohort.COURSE_ID}/inbound",
    }
    return f"""
import contextlib, getpass, importlib.util, io, json, os
def probe(path):
    try:
        os.listdir(path)
        return "readable"
    except FileNotFoundError:
        return "absent"
    except PermissionError:
        return "denied"
seen = {{name: probe(path) for name, path in {paths!r}.items()}}
seen["uid"] = os.getuid()
seen["user"] = getpass.getuser()
seen["capabilities"] = [line.split()[1] for line in open("/proc/self/status") if line.startswith("CapEff")][0]
seen["root_holds"] = sorted(os.listdir("/root"))
seen["course_tools_importable"] = importlib.util.find_spec("course_tools") is not None
import course
seen["course_package"] = course.__file__
from course import check, solution
buffer = io.StringIO()
with contextlib.redirect_stdout(buffer):
    try:
        check("00-base-rate", {{"base_rate": 50}})  # an attempt of their own (wrong), so solution() answers
    except AssertionError:
        pass
    solution("00-base-rate")
seen["solution_says"] = buffer.getvalue().strip().splitlines()[-1]
{setup}
seen["rows"] = len(df)
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def cohort_run(request):
    why_not = cohort.missing_requirements()
    if why_not:
        pytest.skip(f"end-to-end hub test skipped: {why_not}")
    os.environ["PATH"] = f"{cohort.VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"  # nbgrader calls alembic
    answers = _answers()  # before anything starts: a broken corpus fails fast
    started = time.monotonic()
    stages: dict[str, float] = {}
    seen: dict = {"memory": {}, "outputs": {}}

    def stage(name: str, since: float) -> float:
        now = time.monotonic()
        stages[name] = now - since
        return now

    base = Path(tempfile.mkdtemp(prefix="hsml-hub-", dir="/tmp"))  # short: a socket path has ~100 characters
    os.chmod(base, 0o755)
    course_dir = base / "course"
    course_dir.mkdir()
    shutil.copy2(cohort.REPO / "autograded" / "nbgrader_config.py", course_dir)
    shutil.copytree(cohort.REPO / "autograded" / "source" / ASSIGNMENT, course_dir / "source" / ASSIGNMENT)
    pg = cohort.Postgres(base / "pg")
    hub = None
    try:
        t = time.monotonic()
        pg.start()
        t = stage("PostgreSQL up", t)
        hub = cohort.Hub(base, pg.url, course_dir)
        env = {**hub.environment(), "HOME": str(base)}
        hub.start()
        t = stage("JupyterHub up (proxy, formgrader service)", t)

        seen["release"] = cohort.instructor(course_dir, env, "release", ASSIGNMENT)
        seen["publish"] = cohort.instructor(course_dir, env, "exchange-release", ASSIGNMENT)
        t = stage("instructor: release + exchange-release", t)

        seen["ready_after"] = hub.start_servers(list(LEARNERS))
        learners = {name: hub.learner(name) for name in LEARNERS}
        t = stage("three learner servers started", t)
        uids = LearnerIds(hub.root / "hub" / "learners").read()
        seen["uids"] = uids
        for name in LEARNERS:
            seen["memory"][f"{name} idle"] = cohort.memory_of(cohort.processes_of_uid(uids[name]))

        seen["fetch"], seen["submit"], seen["formgrader_on_learner_server"] = {}, {}, {}
        for name, learner in learners.items():
            seen["fetch"][name] = learner.nbgrader("fetch", ASSIGNMENT)
            if name == "malformed":
                learner.write_text(NOTEBOOK, NOT_A_NOTEBOOK)
            else:
                learner.write_notebook(NOTEBOOK, _fill(learner.read_notebook(NOTEBOOK), answers[name]))
            seen["submit"][name] = learner.nbgrader("submit", ASSIGNMENT)
            seen["formgrader_on_learner_server"][name] = learner.request("GET", "/formgrader").status_code
        t = stage("learners: fetch, answer, submit (REST through the hub)", t)

        learners_file = str(hub.root / "hub" / "learners")
        seen["collect"] = cohort.instructor(
            course_dir, env, "exchange-collect", ASSIGNMENT, "--learners", learners_file
        )
        seen["autograde"] = cohort.instructor(course_dir, env, "autograde", ASSIGNMENT)
        t = stage("instructor: exchange-collect + autograde", t)
        from nbgrader.api import Gradebook

        with Gradebook(pg.url, course_id=cohort.COURSE_ID) as gb:  # what the formgrader does on a manual grade
            for name, score in MANUAL.items():
                gb.find_grade("00-accuracy-trap", ASSIGNMENT, ASSIGNMENT, name).manual_score = score
            gb.db.commit()
        seen["feedback"] = cohort.instructor(course_dir, env, "feedback", ASSIGNMENT)
        seen["return_feedback"] = cohort.instructor(course_dir, env, "exchange-feedback", ASSIGNMENT)
        t = stage("instructor: manual grades, feedback, exchange-feedback", t)

        seen["feedback_files"] = {}
        for name, learner in learners.items():
            learner.nbgrader("fetch_feedback", ASSIGNMENT)
            folders = learner.listing(f"{ASSIGNMENT}/feedback")
            files = [f for folder in folders for f in learner.listing(folder) if f.endswith(".html")]
            seen["feedback_files"][name] = {
                f: learner.call("GET", f"/api/contents/{f}", params={"content": 1})["content"] for f in files
            }
        t = stage("learners: fetch feedback", t)

        seen["db"] = {
            "students": pg.query("select id from student order by id"),
            "submissions": pg.query(
                "select s.student_id, sum(g.auto_score), sum(g.manual_score), count(*) "
                "from submitted_assignment s join submitted_notebook n on n.assignment_id = s.id "
                "join grade g on g.notebook_id = n.id group by s.student_id order by s.student_id"
            ),
        }
        seen["export"] = cohort.instructor(course_dir, env, "export-questions")
        seen["export_csv"] = (course_dir / "grades_by_question.csv").read_text(encoding="utf-8")
        t = stage("gradebook read from PostgreSQL, per-question export", t)

        seen["browser"] = _formgrader_in_browser(hub)
        t = stage("formgrader in Chromium", t)

        setup = next(
            without_delimiters(cell.source)
            for cell in nbformat.read(SOURCE, as_version=4).cells
            if grade_id(cell) == "00-setup"
        )
        out, error = learners["correct"].run(_probe_code(base, hub, pg, setup))
        seen["probe"] = json.loads(out.strip().splitlines()[-1]) if not error else {"error": error, "out": out}
        # the kernel has exited: run one that stays, with the assignment's data loaded, to measure
        kernel = learners["correct"].call("POST", "/api/kernels", json={"name": "python3"})
        import asyncio

        asyncio.run(learners["correct"]._execute(kernel["id"], setup, 120))
        seen["memory"]["correct with a kernel (assignment data loaded)"] = cohort.memory_of(
            cohort.processes_of_uid(uids["correct"])
        )
        t = stage("learner sandbox probed, memory measured", t)
    finally:
        t = time.monotonic()
        seen["left_running"] = hub.stop() if hub else []
        pg.stop()
        seen["postgres_running"] = pg.running()
        seen["learner_processes"] = {name: cohort.processes_of_uid(uid) for name, uid in seen.get("uids", {}).items()}
        stage("everything stopped", t)
        shutil.rmtree(base, ignore_errors=True)
    seen["total_seconds"] = time.monotonic() - started
    seen["stages"] = stages
    TIMINGS.append(f"end-to-end cohort: {seen['total_seconds']:.0f} s in all")
    TIMINGS.extend(f"  {name}: {seconds:.1f} s" for name, seconds in stages.items())
    for what, memory in seen["memory"].items():
        TIMINGS.append(
            f"  memory of {what}: {memory['pss_mb']:.0f} MB PSS, {memory['rss_mb']:.0f} MB RSS "
            f"({memory['processes']} processes)"
        )
    for line in seen["autograde"][1].splitlines():
        if "auto-graded points" in line:
            TIMINGS.append(f"  graded {line.strip()}")
    return seen


def _formgrader_in_browser(hub: cohort.Hub) -> dict:
    """The instructor logs into the hub and opens the formgrader service in Chromium."""
    try:
        from playwright.sync_api import sync_playwright

        from tests.browser.conftest import CHROMIUM_ARGS, find_chromium
    except ImportError as exc:
        return {"skipped": f"no playwright package ({exc})"}
    chromium, why_not = find_chromium()
    if chromium is None:
        return {"skipped": why_not}
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{hub.url}/hub/login?next=/services/formgrader/formgrader", timeout=60_000)
            page.fill("input[name=username]", hub.instructor)
            page.fill("input[name=password]", hub.instructor_password)
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_url("**/services/formgrader/formgrader**", timeout=60_000)
            page.wait_for_selector(f"text={ASSIGNMENT}", timeout=60_000)
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            seen = {"url": page.url, "title": page.title(), "text": page.inner_text("body")}
            # a learner is not let in: the service's OAuth asks the hub, which refuses
            learner_page = browser.new_page()
            learner_page.goto(f"{hub.url}/hub/login?next=/services/formgrader/formgrader", timeout=60_000)
            learner_page.fill("input[name=username]", "correct")
            learner_page.fill("input[name=password]", hub.learner_password)
            learner_page.click("input[type=submit], button[type=submit]")
            learner_page.wait_for_load_state("networkidle", timeout=60_000)
            seen["learner_text"] = learner_page.inner_text("body")
            seen["learner_url"] = learner_page.url
            return seen
        finally:
            browser.close()
    finally:
        playwright.stop()


# --- what the scenario saw ------------------------------------------------------------------------
def test_instructor_release_reaches_the_exchange(cohort_run):
    code, output, _ = cohort_run["publish"]
    assert cohort_run["release"][0] == 0, cohort_run["release"][1]
    assert code == 0 and "Published 00_warm_up" in output, output


def test_each_learner_fetches_and_submits_through_their_own_server(cohort_run):
    for name in LEARNERS:
        fetched = cohort_run["fetch"][name]
        assert fetched["success"], fetched
        assert any(a["assignment_id"] == ASSIGNMENT and a["status"] == "fetched" for a in fetched["value"]), fetched
        submitted = cohort_run["submit"][name]
        assert submitted["success"], submitted
        statuses = [a for a in submitted["value"] if a["status"] == "submitted"]
        assert statuses and statuses[0]["student_id"] == name, f"{name} submitted as {statuses}"


def test_learner_servers_run_as_their_own_uid_without_the_formgrader(cohort_run):
    uids = cohort_run["uids"]
    assert sorted(uids) == sorted(LEARNERS) and len(set(uids.values())) == 3 and min(uids.values()) >= 1000
    assert cohort_run["formgrader_on_learner_server"] == {name: 404 for name in LEARNERS}


def test_collect_refuses_nothing_and_autograde_grades_two_reports_the_malformed_one(cohort_run):
    code, output, _ = cohort_run["collect"]
    assert code == 0, output
    for name in LEARNERS:
        assert f"  {name}" in output, output
    code, output, _ = cohort_run["autograde"]
    assert code == 1, f"the malformed submission must make autograde exit 1:\n{output}"
    assert "correct: 6 / 6 auto-graded points" in output, output
    assert "wrong: 0 / 6 auto-graded points" in output, output
    assert "FAILED malformed: 00_warm_up.ipynb is not valid notebook JSON" in output, output


def test_each_learner_fetches_only_their_own_feedback(cohort_run):
    files = cohort_run["feedback_files"]
    assert cohort_run["return_feedback"][0] == 0, cohort_run["return_feedback"][1]
    assert len(files["correct"]) == 1 and len(files["wrong"]) == 1, {k: list(v) for k, v in files.items()}
    assert files["malformed"] == {}, "a submission that could not be graded gets no feedback"
    hidden = secret_lines(nbformat.read(SOURCE, as_version=4), solutions=False)
    assert hidden
    for name in ("correct", "wrong"):
        (html,) = files[name].values()
        assert "00_warm_up" in html
        assert not leaked_lines(html, hidden), f"{name}'s feedback shows a hidden test"
    assert "8.0" in next(iter(files["correct"].values())), "the correct learner's feedback shows 8 / 8"


def test_the_gradebook_rows_are_in_postgresql(cohort_run):
    db = cohort_run["db"]
    assert db["students"] == [("correct",), ("malformed",), ("wrong",)]
    rows = {student: (auto, manual, cells) for student, auto, manual, cells in db["submissions"]}
    assert rows == {"correct": (6.0, 2.0, 5), "wrong": (0.0, 1.0, 5)}, rows


def test_the_per_question_export_has_a_column_per_question_and_the_expected_scores(cohort_run):
    code, output, _ = cohort_run["export"]
    assert code == 0, output
    table = list(csv.reader(io.StringIO(cohort_run["export_csv"])))
    header, points, *rows = table
    questions = [f"{ASSIGNMENT}: {q}" for q in QUESTIONS]
    assert header == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        *questions,
        f"{ASSIGNMENT}: total",
        "Total",
    ]
    assert points[0] == "Points Possible" and points[5:] == [*(str(p) for p in QUESTIONS.values()), "8", "8"]
    by_login = {row[3]: row[5:] for row in rows}
    assert by_login == {
        "correct": ["1", "1", "2", "2", "2", "8", "8"],
        "wrong": ["0", "0", "0", "0", "1", "1", "1"],
        "malformed": ["", "", "", "", "", "", "0"],
    }, by_login


def test_the_formgrader_opens_for_the_instructor_in_chromium(cohort_run):
    seen = cohort_run["browser"]
    if "skipped" in seen:
        pytest.skip(f"browser part skipped: {seen['skipped']}")
    assert "/services/formgrader/formgrader" in seen["url"]
    assert "Manage Assignments" in seen["text"] and ASSIGNMENT in seen["text"], seen["text"][:500]
    assert SCREENSHOT.is_file()
    assert "Manage Assignments" not in seen["learner_text"], "a learner reached the formgrader"
    assert "403" in seen["learner_text"] or "Forbidden" in seen["learner_text"], seen["learner_text"][:300]


def test_a_learner_server_holds_no_instructor_material(cohort_run):
    probe = cohort_run["probe"]
    assert "error" not in probe, probe
    for name in (
        "repository",
        "assignment_sources",
        "authoring_sources",
        "answer_corpora",
        "instructor_course",
        "gradebook_socket",
        "hub_state",
        "other_learner_home",
    ):
        assert probe[name] == "absent", f"{name} is {probe[name]} inside a learner server"
    assert probe["exchange_inbound"] == "denied", "a learner can list the others' submissions"
    assert probe["uid"] == cohort_run["uids"]["correct"] and probe["user"] == "jovyan"
    assert probe["capabilities"] == "0000000000000000"
    assert probe["root_holds"] == [".pyenv"]
    assert not probe["course_tools_importable"]
    assert probe["course_package"].startswith("/opt/hsml/learner-env/lib/"), probe["course_package"]
    assert "your instructor has it" in probe["solution_says"], probe["solution_says"]
    assert probe["rows"] > 0


def test_everything_started_is_stopped(cohort_run):
    assert cohort_run["left_running"] == []
    assert not cohort_run["postgres_running"]
    assert cohort_run["learner_processes"] == {name: [] for name in LEARNERS}
