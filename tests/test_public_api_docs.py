"""Every public function and class of ``course`` documents itself with numpydoc and an example.

"Public" means: named in its module's ``__all__`` and defined in that module (re-exports are
checked where they are defined). Exceptions are exempt: their docstring says when they are raised.

Each needs an ``Examples`` section (run by ``test_docstring_examples.py``); a function that
takes arguments also needs ``Parameters``, a class ``Parameters`` or ``Attributes``.
"""

import importlib
import inspect
import pkgutil

import course


def _public_modules():
    names = ["course"]
    for info in pkgutil.walk_packages(course.__path__, prefix="course."):
        last = info.name.rsplit(".", 1)[-1]
        if info.name.endswith("__main__") or last.startswith("_"):
            continue
        names.append(info.name)
    return sorted(set(names))


def _public_objects():
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if getattr(obj, "__module__", None) != module_name:
                continue
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue
            yield f"{module_name}.{name}", obj


def _missing_sections(obj):
    doc = inspect.getdoc(obj) or ""
    missing = []
    if "Examples\n--------" not in doc:
        missing.append("Examples")
    if inspect.isclass(obj):
        if not any(f"{s}\n{'-' * len(s)}" in doc for s in ("Parameters", "Attributes")):
            missing.append("Parameters or Attributes")
    elif inspect.signature(obj).parameters and "Parameters\n----------" not in doc:
        missing.append("Parameters")
    return missing


def test_public_api_is_checked_at_all():
    assert len(list(_public_objects())) > 50


def test_every_public_name_has_examples_and_parameters():
    offenders = [
        f"{qualname}: missing {', '.join(missing)}"
        for qualname, obj in _public_objects()
        if (missing := _missing_sections(obj))
    ]
    assert not offenders, "numpydoc sections missing:\n  " + "\n  ".join(offenders)
