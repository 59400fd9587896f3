"""How many submissions one grader machine autogrades per hour (the figure docs/COHORTS.md sizes with).

    .venv/bin/python benchmarks/cohort_grading.py [--submissions 8] [--workers 1 2]

A copy of the course folder, ``00_warm_up`` released, N submissions (the worked solutions, as a
learner would type them) collected, then graded with the instructor's command
(``python -m course_tools.grading autograde``) by W processes at once, each given its share of
the students (``--student``), all writing to the same gradebook. Several writers need a
database server: as root with PostgreSQL installed, a throwaway PostgreSQL (socket only) holds
the gradebook for every W; otherwise SQLite, and only W=1 is measured.

Printed: wall time per W, seconds per submission, submissions per hour, and the machine's load
average before and after (this machine is shared: state the load with the figure). Not part of
``make bench`` (it needs minutes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course_tools.grading import pipeline  # noqa: E402
from course_tools.grading.cells import cell_role, grade_id, without_delimiters  # noqa: E402

ASSIGNMENT = "00_warm_up"


def _solution_notebook(course: pipeline.Course):
    source = nbformat.read(course.source(ASSIGNMENT) / f"{ASSIGNMENT}.ipynb", as_version=4)
    answers = {grade_id(c): without_delimiters(c.source) for c in source.cells if cell_role(c) in ("answer", "manual")}
    nb = nbformat.read(course.folder("release", assignment=ASSIGNMENT) / f"{ASSIGNMENT}.ipynb", as_version=4)
    for cell in nb.cells:
        if grade_id(cell) in answers and cell_role(cell) in ("answer", "manual"):
            cell.source = answers[grade_id(cell)]
    return nb


def _postgres(base: Path):
    if os.geteuid() != 0:
        return None
    from tests.hub.cohort import Postgres, postgres_bin

    if postgres_bin() is None:
        return None
    return Postgres(base / "pg").start()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="hsml-bench-", dir="/tmp"))
    os.chmod(base, 0o755)
    pg = None
    try:
        pg = _postgres(base)
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        if pg:
            env["HSML_GRADEBOOK_URL"] = os.environ["HSML_GRADEBOOK_URL"] = pg.url
        else:
            env.pop("HSML_GRADEBOOK_URL", None)
            os.environ.pop("HSML_GRADEBOOK_URL", None)
        root = base / "course"
        root.mkdir()
        shutil.copy2(REPO / "autograded" / "nbgrader_config.py", root)
        shutil.copytree(REPO / "autograded" / "source" / ASSIGNMENT, root / "source" / ASSIGNMENT)
        pipeline._ask_alembic_in_process()
        course = pipeline.Course(root)
        pipeline.release(course, ASSIGNMENT)
        nb = _solution_notebook(course)
        students = [f"learner{i:03d}" for i in range(args.submissions)]
        for student in students:
            (base / "inbox" / student).mkdir(parents=True)
            nbformat.write(nb, base / "inbox" / student / f"{ASSIGNMENT}.ipynb")
        pipeline.collect(course, ASSIGNMENT, base / "inbox")
        database = "PostgreSQL (socket)" if pg else "SQLite"
        print(f"{args.submissions} submissions of {ASSIGNMENT}, gradebook on {database}, {os.cpu_count()} CPUs")
        for workers in args.workers:
            if workers > 1 and not pg:
                print(
                    f"  {workers} workers: skipped (several graders need a database server; run as root with PostgreSQL)"
                )
                continue
            shares = [students[i::workers] for i in range(workers)]
            load_before = os.getloadavg()[0]
            start = time.monotonic()
            processes = [
                subprocess.Popen(
                    [sys.executable, "-m", "course_tools.grading", "--root", str(root), "autograde", ASSIGNMENT]
                    + [arg for s in share for arg in ("--student", s)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                for share in shares
            ]
            outputs = [p.communicate()[0] for p in processes]
            wall = time.monotonic() - start
            graded = sum(out.count("6 / 6 auto-graded points") for out in outputs)
            if graded != args.submissions or any(p.returncode for p in processes):
                print("\n".join(outputs))
                raise SystemExit(f"only {graded} of {args.submissions} graded in full")
            print(
                f"  {workers} worker(s): {wall:.0f} s wall, {wall / args.submissions:.1f} s per submission, "
                f"{3600 * args.submissions / wall:.0f} submissions per hour "
                f"(load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)"
            )
    finally:
        if pg:
            pg.stop()
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
