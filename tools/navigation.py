"""Previous / index / next links in every notebook, and the index notebook itself.

``python -m tools.navigation`` (``make nav``) writes, in every ``notebooks/NN_*``
notebook and its jupytext twin, a markdown cell of links at the top and the same cell at
the bottom, and writes ``notebooks/00_index`` (the course's table of contents and
learning path) from ``tools/index.md``, whose table has one row ``| NN_name | summary |``
per notebook (:data:`SUMMARIES`). It is idempotent: a second run changes nothing, and
``--check`` only reports what would change (``tests/test_navigation.py`` runs it).

A notebook's title in the links is its H1 heading, so renaming a notebook's H1 and
running ``make nav`` updates every link to it.
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat

from helpers import checks

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
INDEX = "00_index"
MARK = "<!-- nav -->"
"""First characters of a navigation cell: how the script finds its own cells."""
TEMPLATE = (Path(__file__).parent / "index.md").read_text()
_ROW = re.compile(r"^\| (\d\d_\w+) \| (.*) \|$", re.M)
SUMMARIES = dict(_ROW.findall(TEMPLATE))
"""One line per notebook for the index (a notebook without one fails the check)."""
_CELL = re.compile(r"^(?=# %%)", re.M)


def notebook_names(folder: Path = NOTEBOOKS_DIR) -> list[str]:
    """``NN_name`` of every notebook but the index, in order."""
    return sorted(p.stem for p in Path(folder).glob("[0-9][0-9]_*.py") if p.stem != INDEX)


def title(name: str, folder: Path = NOTEBOOKS_DIR) -> str:
    """The notebook's H1 heading (without the ``#``), read from its jupytext twin."""
    if heading := re.search(r"^# # (.*)$", (Path(folder) / f"{name}.py").read_text(), re.M):
        return heading[1].strip()
    raise ValueError(f"notebooks/{name}.py has no H1 heading ('# # ...' line)")


def nav_text(name: str, names: list[str] | None = None, folder: Path = NOTEBOOKS_DIR) -> str:
    """The navigation line of notebook ``name``: previous, index, next."""
    names = notebook_names(folder) if names is None else names
    i = names.index(checks.choice("name", name, names))
    links = [f"[← {title(names[i - 1], folder)}]({names[i - 1]}.ipynb)"] if i else []
    links.append(f"[index]({INDEX}.ipynb)")
    if i + 1 < len(names):
        links.append(f"[{title(names[i + 1], folder)} →]({names[i + 1]}.ipynb)")
    # The mark on a line of its own: Markdown ends an HTML comment's block at its line, so
    # the links after the blank line render as links (in JupyterLab, Voila and on GitHub).
    return f"{MARK}\n\n" + " · ".join(links)


def index_text(names: list[str] | None = None, folder: Path = NOTEBOOKS_DIR) -> str:
    """The index notebook's one markdown cell: the template, each row linked to its
    notebook by title."""
    names = notebook_names(folder) if names is None else names
    if missing := [n for n in names if n not in SUMMARIES]:
        raise ValueError(f"SUMMARIES has no line for {missing}")
    rows = "".join(f"| [{title(n, folder)}]({n}.ipynb) | {SUMMARIES[n]} |\n" for n in names)
    return re.sub(r"(^\| \d\d_\w+ \| .* \|\n)+", lambda _: rows, TEMPLATE, flags=re.M)


def _py_cell(text: str) -> str:
    return "# %% [markdown]\n" + "".join(f"# {line}\n" if line else "#\n"
                                         for line in text.splitlines())


def update_py(source: str, nav: str) -> str:
    """``source`` (a py:percent notebook) with its navigation cells set to ``nav``.

    Every other cell keeps its text to the character (blank lines included).
    """
    header, *chunks = _CELL.split(source)
    if not chunks:
        raise ValueError("source has no '# %%' cells")
    kept = "".join(c for c in chunks if not c.startswith(f"# %% [markdown]\n# {MARK}"))
    return header + _py_cell(nav) + "\n" + kept.rstrip("\n") + "\n\n" + _py_cell(nav)


def planned_changes(folder: Path = NOTEBOOKS_DIR) -> dict[Path, str]:
    """Every file of ``folder`` whose content would change, with its new content."""
    import jupytext

    folder, names = Path(folder), notebook_names(folder)
    new = {}
    for name in names:
        nav, file = nav_text(name, names, folder), folder / name
        new[file.with_suffix(".py")] = update_py(file.with_suffix(".py").read_text(), nav)
        nb = nbformat.read(file.with_suffix(".ipynb"), as_version=4)
        nb.cells = [nbformat.v4.new_markdown_cell(nav, id="nav-top"),
                    *(c for c in nb.cells if not (c.cell_type == "markdown"
                                                  and c.source.startswith(MARK))),
                    nbformat.v4.new_markdown_cell(nav, id="nav-bottom")]
        new[file.with_suffix(".ipynb")] = nbformat.writes(nb) + "\n"
    # the index: the notebooks' jupytext header, then one markdown cell
    new[folder / f"{INDEX}.py"] = index = (_CELL.split((folder / f"{names[0]}.py").read_text())[0]
                                           + _py_cell(index_text(names, folder)))
    nb = jupytext.reads(index, fmt="py:percent")
    nb.cells[0].id = "index"
    new[folder / f"{INDEX}.ipynb"] = nbformat.writes(nb) + "\n"
    return {path: text for path, text in new.items()
            if not path.exists() or path.read_text() != text}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only list the files that would change; exit 1 if any")
    check = parser.parse_args(argv).check
    changes = planned_changes()
    for path, text in changes.items():
        print(f"{'would update' if check else 'updated'} {path.relative_to(ROOT)}")
        if not check:
            path.write_text(text)
    if not changes:
        print("navigation: every notebook is up to date")
    return 1 if check and changes else 0


if __name__ == "__main__":
    sys.exit(main())
