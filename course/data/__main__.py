"""Command line of the shipped dataset.

python -m course.data write datasets/     regenerate the data file and SHA256SUMS (make data)
python -m course.data describe [PATH]     print the figures quoted in datasets/DATASHEET.md
"""

from __future__ import annotations

import argparse
import sys

from course.data.dataset import write_dataset
from course.data.describe import describe_dataset


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course.data", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write", help="regenerate the canonical dataset and its SHA256SUMS")
    write.add_argument("directory", help="where to write transactions.csv.gz and SHA256SUMS (e.g. datasets/)")
    describe = commands.add_parser("describe", help="print the dataset's figures (for DATASHEET.md)")
    describe.add_argument("path", nargs="?", default=None, help="a transactions.csv.gz (default: the shipped one)")
    args = parser.parse_args(argv)
    if args.command == "write":
        path = write_dataset(args.directory)
        print(f"wrote {path} and {path.parent / 'SHA256SUMS'}")
    else:
        print(describe_dataset(args.path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
