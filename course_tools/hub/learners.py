"""Each learner's own unprivileged uid on the hub machine, kept in one small file.

Learner servers run as a uid per learner (not a unix account: see :mod:`course_tools.hub.sandbox`),
so one learner cannot read another's home, and nbgrader's exchange records who wrote each
submission (the owner of its folder). The hub allocates the uids and writes them to a registry
file, ``<name>:<uid>`` per line; the instructor's ``exchange-collect`` reads the same file to
check that every submission folder was written by the learner it names.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

__all__ = ["LearnerIds", "FIRST_UID", "check_student_id"]

#: Far above the machine's own accounts (Debian gives people 1000-59999, systemd 61184-65519).
FIRST_UID = 200000
# nbgrader refuses '+' and '*' in a student id; ':' and newlines would break the registry
_VALID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


def check_student_id(name: str) -> str:
    """``name`` if it can be a student id (nbgrader's exchange and the registry), else ``ValueError``.

    Parameters
    ----------
    name : str
        A hub user name.

    Returns
    -------
    str

    Examples
    --------
    >>> from course_tools.hub.learners import check_student_id
    >>> check_student_id("ada.lovelace")
    'ada.lovelace'
    >>> check_student_id("ada+bob")
    Traceback (most recent call last):
    ...
    ValueError: 'ada+bob' cannot be a student id: use letters, digits and . _ @ - (at most 64, not starting with a symbol)
    """
    if not isinstance(name, str) or not _VALID.match(name):
        raise ValueError(
            f"{name!r} cannot be a student id: use letters, digits and . _ @ - (at most 64, not starting with a symbol)"
        )
    return name


class LearnerIds:
    """The registry of learner uids (``<name>:<uid>`` per line), allocated once and kept.

    Parameters
    ----------
    path : pathlib.Path
        The registry file (created on the first allocation; its folder must exist).
    first_uid : int, default=200000
        The uid of the first learner; each new learner gets the next free one.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from course_tools.hub.learners import LearnerIds
    >>> ids = LearnerIds(Path(tempfile.mkdtemp()) / "learners")
    >>> ids.uid_for("ada"), ids.uid_for("bob"), ids.uid_for("ada")
    (200000, 200001, 200000)
    >>> LearnerIds(ids.path).name_of(200001)  # read back from the file
    'bob'
    """

    def __init__(self, path: Path, first_uid: int = FIRST_UID):
        self.path = Path(path)
        if first_uid < 1000:
            raise ValueError(f"first_uid must be an unprivileged uid (>= 1000), got {first_uid}")
        self.first_uid = first_uid

    def read(self) -> dict[str, int]:
        """``{name: uid}`` from the file (empty if there is none yet)."""
        table = {}
        if not self.path.is_file():
            return table
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            name, _, uid = line.partition(":")
            if not uid.strip().isdigit():
                raise ValueError(f"{self.path}, line {number}: expected <name>:<uid>, got {line!r}")
            table[name] = int(uid)
        return table

    def uid_for(self, name: str) -> int:
        """The uid of ``name``, allocated (and written to the file) on first use."""
        check_student_id(name)
        table = self.read()
        if name in table:
            return table[name]
        uid = max([self.first_uid - 1, *table.values()]) + 1
        table[name] = uid
        text = "# learner:uid, written by the hub (course_tools.hub.learners); do not reuse a uid\n"
        text += "".join(f"{n}:{u}\n" for n, u in sorted(table.items(), key=lambda item: item[1]))
        handle, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".learners-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, self.path)
        return uid

    def name_of(self, uid: int) -> str | None:
        """The learner whose uid is ``uid``, or None."""
        return next((name for name, value in self.read().items() if value == uid), None)
