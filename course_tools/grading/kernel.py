"""The grading kernel: IPython's kernel plus a guard that puts the grading environment back
before every test cell and every read-only setup cell.

Run as ``python -m course_tools.grading.kernel -f CONNECTION_FILE`` (by
:class:`~course_tools.grading.sandbox.SandboxedKernelManager`, inside the sandbox). The
grader marks each cell's ``execute_request`` with its role (``metadata.hsml_role``):

- before a ``tests`` or ``readonly`` cell, the guard restores what a learner's cell could
  have changed to talk a hidden test out of its verdict: the attributes of ``builtins``,
  ``math``, ``numpy`` and the ``course.grading`` modules; every ``sys.modules`` entry it
  knew; IPython's input and AST transformers, event callbacks and the shell's and kernel's
  methods; ``sys.settrace``/``setprofile``, the standard streams and hooks, the SIGINT
  handler; and ``_expect`` (the hidden tests' comparison helpers) to the object the setup
  cell created;
- after a ``setup`` cell (a read-only cell before any learner code ran) it takes the
  snapshot the later restores use.

Each restore is reported in the reply's metadata (``hsml_guard``) and the grader lists them
in the report. This raises the bar; it is not a proof: learner code runs in this very
process and a determined learner can reach the guard itself (see docs/INSTRUCTORS.md,
"What is and is not protected"). The static scan of the submitted code flags what it
touches.
"""

from __future__ import annotations

import builtins
import math
import signal
import sys
import threading

import numpy

import course.grading.checks
import course.grading.expect

PROTECTED_MODULES = ("builtins", "math", "numpy", "course.grading.expect", "course.grading.checks", "course.grading")
_TRANSFORMER_LISTS = ("input_transformers_post", "ast_transformers")
# The builtins the guard itself uses, taken when this module is imported (before any learner code).
_dict, _list, _set, _id, _setattr, _getattr, _vars, _type = dict, list, set, id, setattr, getattr, vars, type
_callable, _hasattr, _delattr, _sorted = callable, hasattr, delattr, sorted
_MANAGER_LISTS = ("cleanup_transforms", "line_transforms", "token_transformers")


def _is_ours(cls) -> bool:
    return cls.__module__.split(".")[0] in ("IPython", "ipykernel", "course_tools")


class Guard:
    """Snapshots of the grading environment, and their restore (see the module doc)."""

    def __init__(self, shell, kernel):
        self.shell, self.kernel = shell, kernel
        self.expect_class = course.grading.expect.Expect
        self.expect = None
        self.snapshot()

    def snapshot(self) -> None:
        shell = self.shell
        self.modules = dict(sys.modules)
        self.attributes = {name: dict(vars(sys.modules[name])) for name in PROTECTED_MODULES if name in sys.modules}
        self.transformers = {name: list(getattr(shell, name)) for name in _TRANSFORMER_LISTS}
        manager = shell.input_transformer_manager
        self.manager_lists = {name: list(getattr(manager, name)) for name in _MANAGER_LISTS if hasattr(manager, name)}
        self.events = {name: list(callbacks) for name, callbacks in shell.events.callbacks.items()}
        self.classes = {
            cls: dict(vars(cls)) for obj in (shell, self.kernel, manager) for cls in type(obj).__mro__ if _is_ours(cls)
        }
        self.classes[self.expect_class] = dict(vars(self.expect_class))
        self.instance_keys = {id(obj): set(vars(obj)) for obj in (shell, self.kernel)}
        self.hooks = {name: getattr(sys, name) for name in ("stdout", "stderr", "displayhook", "excepthook")}
        self.sigint = signal.getsignal(signal.SIGINT)
        expect = shell.user_ns.get("_expect")
        if type(expect) is self.expect_class:
            self.expect = expect

    def restore(self) -> list[str]:
        """Put everything back; the list of what had been changed."""
        list_, id_, setattr_, getattr_, vars_, type_ = _list, _id, _setattr, _getattr, _vars, _type
        callable_, hasattr_, delattr_, sorted_ = _callable, _hasattr, _delattr, _sorted
        changed = []
        sys.settrace(None)
        sys.setprofile(None)
        threading.settrace(None)
        threading.setprofile(None)
        for name, module in self.modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                changed.append(f"sys.modules[{name!r}]")
        for name, saved in self.attributes.items():
            live = vars_(self.modules[name])
            for key, value in saved.items():
                if live.get(key, saved) is not value:
                    setattr_(self.modules[name], key, value)
                    changed.append(f"{name}.{key}")
        shell = self.shell
        for name, saved in self.transformers.items():
            live = getattr_(shell, name)
            if live != saved:
                changed.append(f"IPython {name}")
            setattr_(shell, name, list_(saved))
        manager = shell.input_transformer_manager
        for name, saved in self.manager_lists.items():
            if getattr_(manager, name) != saved:
                changed.append(f"IPython input_transformer_manager.{name}")
                setattr_(manager, name, list_(saved))
        for name, saved in self.events.items():
            if shell.events.callbacks.get(name) != saved:
                changed.append(f"IPython events {name!r}")
                shell.events.callbacks[name] = list_(saved)
        for cls, saved in self.classes.items():
            live = vars_(cls)
            for key, value in saved.items():
                if live.get(key, saved) is not value:
                    setattr_(cls, key, value)
                    changed.append(f"{cls.__name__}.{key}")
        for obj in (shell, self.kernel):
            for key in sorted_(_set(vars_(obj)) - self.instance_keys[id_(obj)]):
                if hasattr_(type_(obj), key) and callable_(vars_(obj)[key]):
                    delattr_(obj, key)
                    changed.append(f"{type_(obj).__name__}.{key} (instance)")
        for name, value in self.hooks.items():
            if getattr_(sys, name) is not value:
                setattr_(sys, name, value)
                changed.append(f"sys.{name}")
        if signal.getsignal(signal.SIGINT) is not self.sigint:
            signal.signal(signal.SIGINT, self.sigint)
            changed.append("the SIGINT handler")
        if self.expect is not None and shell.user_ns.get("_expect") is not self.expect:
            shell.user_ns["_expect"] = self.expect
            changed.append("_expect")
        return changed


#: Characters a cell may print per stream before the rest is dropped here, in the kernel (the
#: grader keeps at most 200 kB per cell as well; this keeps a 100 MB print off the wire).
MAX_STREAM_CHARS = 200_000


def _limit_streams(state) -> None:
    from ipykernel.iostream import OutStream

    original = OutStream.write

    def write(self, string):
        left = state["budget"].get(self.name, MAX_STREAM_CHARS)
        if not isinstance(string, str) or left >= len(string):
            state["budget"][self.name] = left - (len(string) if isinstance(string, str) else 0)
            return original(self, string)
        if left > 0:
            original(self, string[:left])
            original(
                self,
                f"\n[output cut: this cell printed more than {MAX_STREAM_CHARS:,} characters; the rest was not kept]\n",
            )
        state["budget"][self.name] = -1
        return len(string)

    OutStream.write = write


def _guarded_kernel_class():
    from ipykernel.ipkernel import IPythonKernel

    state = {"guard": None, "report": None, "budget": {}}  # not on the class: the guard restores class attributes
    _limit_streams(state)

    class GradingKernel(IPythonKernel):
        """IPython's kernel; the grader's ``hsml_role`` metadata runs the guard around a cell."""

        async def do_execute(
            self,
            code,
            silent,
            store_history=True,
            user_expressions=None,
            allow_stdin=False,
            *,
            cell_meta=None,
            cell_id=None,
        ):
            role = (cell_meta or {}).get("hsml_role")
            state["budget"] = {}
            guard = state["guard"]
            if guard is None:  # the first cell: nothing of the learner has run yet
                guard = state["guard"] = Guard(self.shell, self)
            state["report"] = guard.restore() if role in ("tests", "readonly", "setup") else []
            reply = await super().do_execute(
                code, silent, store_history, user_expressions, allow_stdin, cell_meta=cell_meta, cell_id=cell_id
            )
            if role == "setup":
                guard.snapshot()
            return reply

        def finish_metadata(self, parent, metadata, reply_content):
            metadata = super().finish_metadata(parent, metadata, reply_content)
            if state["report"]:
                metadata["hsml_guard"] = list(state["report"])
            state["report"] = None
            return metadata

    return GradingKernel


def main() -> None:
    from ipykernel.kernelapp import IPKernelApp

    _ = (builtins, math, numpy)  # imported before any learner code: the snapshot holds the real ones
    IPKernelApp.launch_instance(kernel_class=_guarded_kernel_class())


if __name__ == "__main__":
    main()
