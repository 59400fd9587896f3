"""The course without installing anything: a static website and a two-minute refresher per module.

``python -m course_tools.site build`` (``make site``) writes ``build/site/html/``:

1. every notebook of ``modules/`` **executed**, with its outputs (tables, plots, and each
   explorer's static picture and numbers). An executed copy in ``build/executed/`` is
   reused when its code cells are those of the module (the notebook tests leave one there,
   so ``make test`` does not run the notebooks twice); otherwise the notebook is run with
   nbclient. A cell that raised fails the build, naming the notebook and the cell;
2. a **refresher page** per module (and one page with all of them), taken from the executed
   notebook: its take-away, the cells tagged ``refresher`` (markdown: key formulas; code:
   the numbers that carry the lesson, as the notebook printed them) and the first paragraph
   of its interview angle, with links to the full module and its exercise;
3. the learner versions of the exercises (``exercises/``), the glossary, and an index;
4. Sphinx with MyST-NB (no execution at build time), warnings as errors: a broken
   internal link or reference fails the build. :func:`check_site` then reads every page:
   every internal link resolves and every image has alt text.

Figures get alt text from a ``# Figure: ...`` comment in their cell, else from the first
sentence of the text before the cell.
"""

from __future__ import annotations

import argparse
import copy
import html.parser
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat

from course_tools import REPO_ROOT

MODULES = REPO_ROOT / "modules"
EXERCISES = REPO_ROOT / "exercises"
SITE_SOURCE = REPO_ROOT / "site"
BUILD = REPO_ROOT / "build"
EXECUTED = BUILD / "executed"
REFRESHER_TAG = "refresher"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_FIGURE_COMMENT = re.compile(r"^#\s*Figure:\s*(.+)$", re.MULTILINE)

__all__ = ["SiteError", "executed_notebook", "refresher_markdown", "build_site", "check_site", "main"]


class SiteError(RuntimeError):
    """The site cannot be built as it should: the message names the notebook, cell or page."""


# --- executed notebooks -------------------------------------------------------------------------


def _code_sources(nb):
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def cell_errors(nb):
    """``[(position from 1, first line, error name)]`` of the code cells whose outputs hold an error."""
    problems = []
    for position, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first = cell.source.splitlines()[0] if cell.source else ""
                problems.append((position, first, output.get("ename", "Error")))
    return problems


def executed_notebook(path, *, cache_dir=EXECUTED, timeout=180):
    """The notebook at ``path`` with its outputs: the cached run if current, else a fresh one.

    Parameters
    ----------
    path : pathlib.Path
        A notebook of ``modules/`` (stored without outputs).
    cache_dir : pathlib.Path
        Where executed copies are kept (``build/executed/``).
    timeout : int
        Seconds per cell for a fresh run.

    Returns
    -------
    (nbformat.NotebookNode, bool)
        The executed notebook and whether it was run now (False: the cached copy was current).
    """
    path = Path(path)
    source = nbformat.read(path, as_version=4)
    cached = Path(cache_dir) / path.name
    if cached.is_file():
        executed = nbformat.read(cached, as_version=4)
        if _code_sources(executed) == _code_sources(source):
            return executed, False
    from nbclient import NotebookClient  # the tooling runs notebooks; the learner's package never does

    executed = copy.deepcopy(source)
    client = NotebookClient(
        executed, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    try:
        client.execute()
    except Exception as exc:
        raise SiteError(f"{path.name} fails to execute: {type(exc).__name__}: {str(exc).splitlines()[-1]}") from None
    cached.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, cached)
    return executed, True


# --- refreshers -----------------------------------------------------------------------------------


def _sections(nb):
    """``{heading text: [markdown cells under it]}`` of the level-1 and level-2 headings."""
    sections, current = {}, None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            current = None
            continue
        lines, kept = cell.source.splitlines(), []
        for line in lines:
            match = _HEADING.match(line)
            if match and len(match.group(1)) <= 2:
                current = match.group(2)
                sections[current] = []
                continue
            kept.append(line)
        if current is not None:
            sections[current].append("\n".join(kept).strip())
    return sections


def _title(nb, name):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = _HEADING.match(line)
                if match and len(match.group(1)) == 1:
                    return match.group(2)
    return name


def _section(sections, prefix):
    for heading, body in sections.items():
        if heading.lower().startswith(prefix):
            return "\n\n".join(part for part in body if part)
    return None


def _coalesced(outputs):
    """Merge consecutive stream outputs of the same stream, as Jupyter shows them.

    A kernel may send one cell's prints as one message or as several, depending on timing: the
    quote must not depend on that.
    """
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            merged[-1] = {**previous, "text": previous.get("text", "") + output.get("text", "")}
        else:
            merged.append(output)
    return merged


def _quoted_output(output):
    """One output as MyST: a table stays a table (its HTML), text stays text."""
    if output.get("output_type") == "stream":
        text = output.get("text", "").strip()
        return f"```text\n{text}\n```" if text else ""
    data = output.get("data", {})
    if "text/html" in data and "<table" in data["text/html"]:
        return "\n".join(line.rstrip() for line in data["text/html"].strip().splitlines() if line.strip())
    text = data.get("text/plain", "").strip()
    return f"```text\n{text}\n```" if text else ""


_RELATIVE_LINK = re.compile(r"\]\((?![a-z]+:|#|/|\.\./|\./)([^)\s]+)\)")


def _from_refreshers(markdown):
    """Rebase the links of a module's text (relative to ``modules/``) for a page in ``refreshers/``."""
    return _RELATIVE_LINK.sub(lambda m: f"](../modules/{m.group(1)})", markdown)


def refresher_markdown(nb, name):
    """The two-minute refresher of one executed module notebook, as MyST markdown.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed module notebook.
    name : str
        Its file name without ``.ipynb`` (``"03_thresholds_and_costs"``).

    Returns
    -------
    str

    Raises
    ------
    SiteError
        The notebook has no take-away, no interview angle, or no cell tagged ``refresher``.
    """
    sections = _sections(nb)
    takeaway = _section(sections, "take-away")
    interview = _section(sections, "interview angle")
    if not takeaway:
        raise SiteError(f"{name}.ipynb has no '## Take-away' section: its refresher would be empty.")
    if not interview:
        raise SiteError(f"{name}.ipynb has no '## Interview angle' section for its refresher's one-liner.")
    formulas, numbers = [], []
    for cell in nb.cells:
        if REFRESHER_TAG not in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            formulas.append(cell.source.strip())
        else:
            quoted = [q for q in (_quoted_output(o) for o in _coalesced(cell.get("outputs", []))) if q]
            if not quoted:
                raise SiteError(f"{name}.ipynb: a cell tagged '{REFRESHER_TAG}' printed nothing to quote.")
            numbers += quoted
    if not numbers:
        raise SiteError(
            f"{name}.ipynb: no code cell is tagged '{REFRESHER_TAG}': tag the cells whose printed numbers "
            "carry the lesson (cell metadata tags)."
        )
    one_liner = interview.split("\n\n")[0]
    exercise = EXERCISES / f"{name}.ipynb"
    links = f"[The full module](../modules/{name}.ipynb)"
    if exercise.is_file():
        links += f" · [its exercise](../exercises/{name}.ipynb)"
    parts = [
        f"# Refresher: {_title(nb, name)}",
        f"*Two minutes.* {links} · [all refreshers](./index.md)",
        "## Take-away",
        takeaway,
    ]
    if formulas:
        parts += ["## Key formulas", *formulas]
    parts += ["## The numbers that carry the lesson", "As the module's notebook printed them:"]
    parts += numbers
    parts += ["## Interview one-liner", one_liner]
    return _from_refreshers("\n\n".join(parts)) + "\n"


# --- alt text -----------------------------------------------------------------------------------


def _first_sentence(text):
    text = re.sub(r"[#*`_>\[\]]", "", text).strip()
    text = re.sub(r"\(([^)]*\.ipynb|https?:[^)]*)\)", "", text)
    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    return sentence[:200]


_NOTEBOOK_HREF = re.compile(r'href="(?![a-z]+:)([^"#]+)\.ipynb')


def add_alt_text(nb):
    """Give every image output an alt text (MyST-NB reads ``mystnb.image.alt`` from the cell).

    Also points the links that HTML outputs make to notebooks (``progress()`` links the next
    exercise) at the pages the site makes of them.
    """
    previous_text = ""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                data["text/html"] = _NOTEBOOK_HREF.sub(r'href="\1.html', data["text/html"])
        if cell.cell_type == "markdown":
            previous_text = cell.source
            continue
        if cell.cell_type != "code":
            continue
        has_image = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if not has_image:
            continue
        comment = _FIGURE_COMMENT.search(cell.source)
        alt = comment.group(1).strip() if comment else f"Figure: {_first_sentence(previous_text)}"
        cell.metadata.setdefault("mystnb", {}).setdefault("image", {}).setdefault("alt", alt)
        for output in cell.get("outputs", []):
            html_text = output.get("data", {}).get("text/html")
            if html_text and "<img" in html_text and "alt=" not in html_text:
                output["data"]["text/html"] = html_text.replace("<img ", f'<img alt="{alt}" ', 1)
    return nb


# --- build --------------------------------------------------------------------------------------


@dataclass
class SiteReport:
    """What :func:`build_site` did."""

    html: Path
    pages: list[str] = field(default_factory=list)
    executed_now: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self):
        fresh = ", ".join(self.executed_now) or "none (all from build/executed/)"
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items())
        return [f"Built {len(self.pages)} pages into {self.html}", f"notebooks executed now: {fresh}", timing]


def _module_notebooks():
    return sorted(MODULES.glob("[0-9][0-9]_*.ipynb"))


def build_site(out=BUILD / "site", *, executed_dir=EXECUTED):
    """Build the website into ``out/html`` and check it; raise :class:`SiteError` on any problem.

    Parameters
    ----------
    out : pathlib.Path
        Build folder (``source/`` is assembled there, the pages go to ``html/``).
    executed_dir : pathlib.Path
        Cache of executed notebooks.

    Returns
    -------
    SiteReport
    """
    out = Path(out)
    source, html_dir = out / "source", out / "html"
    report = SiteReport(html=html_dir)
    start = time.perf_counter()
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(SITE_SOURCE, source)
    (source / "modules").mkdir()
    (source / "refreshers").mkdir()
    refreshers = []
    for path in _module_notebooks():
        nb, fresh = executed_notebook(path, cache_dir=executed_dir)
        if fresh:
            report.executed_now.append(path.name)
        errors = cell_errors(nb)
        if errors:
            position, first, ename = errors[0]
            raise SiteError(f"{path.name}: cell {position} ({first!r}) raised {ename}: the site shows no broken cell.")
        nbformat.write(add_alt_text(nb), source / "modules" / path.name)
        if path.stem != "00_start_here":
            text = refresher_markdown(nb, path.stem)
            (source / "refreshers" / f"{path.stem}.md").write_text(text, encoding="utf-8")
            refreshers.append((path.stem, text))
    report.seconds["notebooks"] = time.perf_counter() - start
    all_in_one = ["# All refreshers", "Every module's essentials, in study order: about two minutes each.", ""]
    all_in_one += ["```{toctree}", ":maxdepth: 1", "", *[name for name, _ in refreshers], "```"]
    (source / "refreshers" / "index.md").write_text("\n".join(all_in_one) + "\n", encoding="utf-8")
    toctrees = [("Modules", "modules/*"), ("Refreshers", "refreshers/index")]
    if EXERCISES.is_dir() and any(EXERCISES.glob("*.ipynb")):
        shutil.copytree(EXERCISES, source / "exercises", ignore=shutil.ignore_patterns("README.md"))
        toctrees.append(("Exercises", "exercises/*"))
    shutil.copytree(REPO_ROOT / "docs", source / "docs", dirs_exist_ok=True)
    toctrees.append(("Glossary and guides", "docs/*"))
    with open(source / "index.md", "a", encoding="utf-8") as index:
        for caption, pattern in toctrees:
            glob = ":glob:\n" if "*" in pattern else ""
            index.write(f"\n```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n{glob}\n{pattern}\n```\n")
    start = time.perf_counter()
    shutil.rmtree(html_dir, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", str(source), str(html_dir)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT)
    report.seconds["sphinx"] = time.perf_counter() - start
    log = (result.stdout + result.stderr).strip()
    (out / "sphinx.log").write_text(log + "\n", encoding="utf-8")
    if result.returncode != 0:
        first = next((line for line in log.splitlines() if "WARNING" in line or "ERROR" in line), log[-500:])
        raise SiteError(f"sphinx failed ({out / 'sphinx.log'}): {first}")
    report.pages = check_site(html_dir)
    return report


# --- check --------------------------------------------------------------------------------------


class _PageParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)


def check_site(html_dir):
    """Check every page: internal links resolve (file and anchor), every image has alt text.

    Parameters
    ----------
    html_dir : pathlib.Path

    Returns
    -------
    list of str
        The pages, relative to ``html_dir``.

    Raises
    ------
    SiteError
        Naming each broken link or image without alt text (the first ten).
    """
    html_dir = Path(html_dir)
    pages = sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts)
    parsed = {}
    for page in pages:
        parser = _PageParser()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = parser
    problems = []
    for page, parser in parsed.items():
        where = page.relative_to(html_dir.resolve())
        if where.parts[0] in ("_modules", "genindex.html"):
            continue
        for image in parser.images:
            if not (image.get("alt") or "").strip():
                problems.append(f"{where}: image {image.get('src', '?')} has no alt text")
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{where}: link {href} points to a missing page")
                continue
            if parts.fragment and target in parsed and parts.fragment not in parsed[target].ids:
                problems.append(f"{where}: link {href} points to a missing anchor")
    if problems:
        more = f" (+{len(problems) - 10} more)" if len(problems) > 10 else ""
        raise SiteError("broken site:\n  " + "\n  ".join(problems[:10]) + more)
    return [str(p.relative_to(html_dir)) for p in pages]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_tools.site", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="execute the modules (or reuse build/executed/) and build build/site/html")
    build.add_argument("--out", type=Path, default=BUILD / "site")
    args = parser.parse_args(argv)
    try:
        report = build_site(args.out)
    except SiteError as exc:
        print(f"make site: FAILED. {exc}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    print(f"Open {report.html / 'index.html'} in a browser.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
