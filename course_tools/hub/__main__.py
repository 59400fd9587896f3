"""``python -m course_tools.hub learner-env [--out DIR] [--force]``: build the learner environment."""

import argparse
from pathlib import Path

from course_tools.hub.learner_env import DEFAULT_OUT, LearnerEnvError, build_learner_env


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_tools.hub", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub = commands.add_parser(
        "learner-env", help="build the learner environment (course wheel, no instructor material)"
    )
    sub.add_argument("--out", default=str(DEFAULT_OUT), help="where (default: %(default)s)")
    sub.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)
    try:
        build_learner_env(Path(args.out), force=args.force)
    except LearnerEnvError as exc:
        print(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
