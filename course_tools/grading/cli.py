"""``hsml-grade`` / ``python -m course_tools.grading``: the instructor's and the author's commands.

Instructor (in order):  release A  ->  collect A FOLDER  ->  autograde A  ->  feedback A  ->  grades
Author:                 new-assignment NAME,  build [SOURCE.py ...],  lint [A ...],  exercises [A ...]

Every command prints what it did and where; it exits 1 if anything needs your attention
(a malformed or ungradable submission, an authoring problem), 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course_tools.grading import authoring, pipeline


def _print(lines):
    print("\n".join(lines), flush=True)


def _release(args, course):
    _print(pipeline.release(course, args.assignment).lines())
    return 0


def _collect(args, course):
    report = pipeline.collect(course, args.assignment, Path(args.folder))
    _print(report.lines())
    return 1 if report.malformed else 0


def _autograde(args, course):
    print(f"Autograding {args.assignment} (each submission runs in a fresh sandboxed kernel)...", flush=True)
    report = pipeline.autograde(course, args.assignment, args.student or None, timeout=args.timeout)
    _print(report.lines())
    if report.failed:
        print("What to do with a FAILED submission: docs/INSTRUCTORS.md, 'A submission that fails to grade'.")
    flagged = [r for r in report.results if r.flags]
    if flagged:
        print("What to do with a FLAGGED submission: docs/INSTRUCTORS.md, 'Flagged submissions'.")
    return 1 if report.failed or flagged else 0


def _feedback(args, course):
    report = pipeline.feedback(course, args.assignment)
    _print(report.lines())
    return 1 if report.withheld else 0


def _grades(args, course):
    path, rows = pipeline.export_grades(course, args.to)
    print(f"Grades of {len({r['student_id'] for r in rows})} student(s) written to {path}")
    for row in rows:
        print(
            f"  {row['assignment']:<20} {row['student_id']:<20} {float(row['score']):g} / {float(row['max_score']):g}"
        )
    return 0


def _build(args, course):
    sources = [Path(p) for p in args.sources] or sorted((course.root / "authoring").glob("*.py"))
    stale = []
    for source in sources:
        target = course.root / "source" / source.stem / f"{source.stem}.ipynb"
        if args.check:
            import nbformat

            built = authoring.build_notebook(source.read_text(encoding="utf-8"), name=str(source))
            if not target.exists() or not authoring.same_cells(built, nbformat.read(target, as_version=4)):
                stale.append(target)
                print(f"OUT OF DATE {target}: rebuild it from {source}")
            else:
                print(f"up to date  {target}")
        else:
            print(f"Built {authoring.build_file(source, target)} from {source}")
    return 1 if stale else 0


def _exercises(args, course):
    from course_tools.grading import exercises

    source_dir = course.root / "source"
    out = Path(args.out) if args.out else exercises.EXERCISES_DIR
    if args.check:
        stale = exercises.stale_exercises(source_dir=source_dir, out=out)
        for problem in stale:
            print(f"STALE {problem}")
        if not stale:
            print(f"Every learner version in {out} is up to date.")
        return 1 if stale else 0
    written = exercises.write_exercises(args.assignments or None, source_dir=source_dir, out=out)
    print(f"Wrote {len(written)} learner version(s) (nbgrader release: no solution, no hidden test) to {out}:")
    for path in written:
        print(f"  {path.name}")
    return 0


def _lint(args, course):
    import nbformat

    assignments = args.assignments or sorted(p.name for p in (course.root / "source").iterdir() if p.is_dir())
    problems = 0
    for assignment in assignments:
        for path in sorted((course.root / "source" / assignment).glob("*.ipynb")):
            found = authoring.lint_notebook(nbformat.read(path, as_version=4), assignment)
            problems += len(found)
            print(f"{path}: " + ("ok" if not found else f"{len(found)} problem(s)"))
            for problem in found:
                print(f"  - {problem}")
    return 1 if problems else 0


def _new_assignment(args, course):
    files = authoring.scaffold_assignment(args.name, course.root.parent)
    print(f"Created assignment {args.name}:")
    for path in files:
        print(f"  {path}")
    print(
        "Next: write the questions in the authoring file, their visible tests in the questions file, "
        "their common wrong answers in the wrong-answers file, then rebuild and run\n"
        f"  python -m course_tools.grading build autograded/authoring/{args.name}.py\n"
        f"  python -m pytest tests/grading -m grading -k {args.name}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hsml-grade",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument(
        "--root",
        default=str(pipeline.DEFAULT_ROOT),
        help="course folder holding nbgrader_config.py (default: %(default)s)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, handler, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("release", _release, "check the authoring rules and write release/A/ for the learners").add_argument(
        "assignment"
    )
    sub = add("collect", _collect, "copy FOLDER/<student>/A.ipynb into submitted/<student>/A/")
    sub.add_argument("assignment")
    sub.add_argument("folder")
    sub = add("autograde", _autograde, "run every submission of A with the original tests; scores to gradebook.db")
    sub.add_argument("assignment")
    sub.add_argument("--student", action="append", help="only this student (repeatable)")
    sub.add_argument("--timeout", type=float, help="seconds per cell of learner code (default: nbgrader_config.py)")
    add("feedback", _feedback, "write feedback/<student>/A/*.html, without hidden tests").add_argument("assignment")
    add("grades", _grades, "export every grade to a CSV file (default: <root>/grades.csv)").add_argument("--to")
    sub = add("build", _build, "build source/<a>/<a>.ipynb from authoring/<a>.py (all of them by default)")
    sub.add_argument("sources", nargs="*")
    sub.add_argument("--check", action="store_true", help="only report notebooks that differ from their source")
    add("lint", _lint, "check the authoring rules of assignments (all by default)").add_argument(
        "assignments", nargs="*"
    )
    sub = add(
        "exercises",
        _exercises,
        "write the learner versions exercises/A.ipynb (nbgrader's release, for self-paced learners; all by default)",
    )
    sub.add_argument("assignments", nargs="*")
    sub.add_argument("--check", action="store_true", help="only report learner versions that are stale (exit 1)")
    sub.add_argument("--out", help="folder to write to (default: the repository's exercises/)")
    add(
        "new-assignment", _new_assignment, "start a new assignment NAME (e.g. 04_drift) from a working template"
    ).add_argument("name")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        course = pipeline.Course(Path(args.root))
        return args.handler(args, course)
    except (pipeline.GradingError, ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
