"""Previous / index / next links in every notebook, and the index notebook itself.

``python -m tools.navigation`` (``make nav``) writes, in every ``notebooks/NN_*``
notebook and its jupytext twin, a markdown cell of links at the top and the same cell at
the bottom, and writes ``notebooks/00_index`` (the course's table of contents and
learning path) from :data:`SUMMARIES`. It is idempotent: a second run changes nothing,
and ``--check`` only reports what would change (``tests/test_navigation.py`` runs it).

A notebook's title in the links is its H1 heading, so renaming a notebook's H1 and
running ``make nav`` updates every link to it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
INDEX = "00_index"
MARK = "<!-- nav -->"
"""First characters of a navigation cell: how the script finds its own cells."""

SUMMARIES = {
    "01_baselines": "what a time series is, the chapter's synthetic data as 3D arrays, and "
                    "the two baselines every model must beat (naive and linear)",
    "02_simple_and_deep_rnns": "recurrent neurons and layers, executed by hand and checked "
                               "against Keras; SimpleRNN and deep RNNs",
    "03_multistep_forecasting": "forecasting 10 steps: iterating, sequence-to-vector, "
                                "sequence-to-sequence, and error bars with MC Dropout",
    "04_unstable_gradients": "why gradients vanish or explode (the Jacobian product), a "
                             "ReLU network that fails and the remedies that cure it",
    "05_lstm": "the LSTM cell executed from its equation and checked against Keras, the "
               "forget bias, the gates of a trained cell, and a custom peephole cell",
    "06_gru_conv1d_and_memory": "the GRU cell executed from its equation, a strided Conv1D "
                                "front end with cropped targets, and how far back "
                                "SimpleRNN, LSTM and GRU cells remember",
    "07_wavenet": "dilated causal convolutions, the simplified and the full WaveNet, long "
                  "sequences, and what a WaveNet remembers",
    "08_real_series": "a real series (electricity demand): seasonal baselines, SARIMA, "
                      "the course's networks and calendar inputs, in MW",
    "09_exercises": "the chapter's exercises answered with runnable checks, QuickDraw "
                    "sketches and Bach chorales included",
    "10_going_further": "the chapter's leaderboard against the noise floor and an oracle, "
                        "and what fresh data and a training recipe add",
    "11_playground": "every task and architecture behind sliders and a Train button, a "
                     "leaderboard with overlaid learning curves, presets that replay each "
                     "notebook's key experiment; also a web app (make app)",
}
"""One line per notebook for the index (a notebook without one fails the check)."""

LEARNING_PATH = """\
## The learning path

Take the notebooks in order: each builds on the ones before it.

- **01-03, forecasting with RNNs**: the data and what to beat, then recurrent layers,
  then forecasting several steps ahead.
- **04-07, long sequences**: why gradients vanish or explode and what to do about it,
  then cells with a longer memory (LSTM, GRU), then convolutional front ends and how far
  back each cell remembers, then WaveNet.
- **08-09, beyond the synthetic series**: a real series, and the chapter's exercises.
- **10, going further**: the chapter's leaderboard against the limits, and what fresh
  data and a training recipe add.
- **11, the playground**: your own experiments on all of the above.

Each notebook starts with what you will learn and ends with a summary and exercises;
every claim in it is measured by a cell, and every equation is executed and checked
against Keras. Set `COURSE_PROFILE=quick` before starting JupyterLab for a fast pass
with smaller data and fewer epochs (the default, `full`, is the book's sizes).
"""


def notebook_names(folder: Path = NOTEBOOKS_DIR) -> list[str]:
    """``NN_name`` of every notebook but the index, in order."""
    return sorted(p.stem for p in Path(folder).glob("[0-9][0-9]_*.py") if p.stem != INDEX)


def title(name: str, folder: Path = NOTEBOOKS_DIR) -> str:
    """The notebook's H1 heading (without the ``#``), read from its jupytext twin."""
    for line in (Path(folder) / f"{name}.py").read_text().splitlines():
        if line.startswith("# # "):
            return line[4:].strip()
    raise ValueError(f"notebooks/{name}.py has no H1 heading ('# # ...' line)")


def nav_text(name: str, names: list[str] | None = None, folder: Path = NOTEBOOKS_DIR) -> str:
    """The navigation line of notebook ``name``: previous, index, next."""
    names = notebook_names(folder) if names is None else names
    if name not in names:
        raise ValueError(f"name must be one of {names}, got {name!r}")
    i = names.index(name)
    parts = []
    if i > 0:
        parts.append(f"[← {title(names[i - 1], folder)}]({names[i - 1]}.ipynb)")
    parts.append(f"[index]({INDEX}.ipynb)")
    if i + 1 < len(names):
        parts.append(f"[{title(names[i + 1], folder)} →]({names[i + 1]}.ipynb)")
    # The mark on a line of its own: Markdown ends an HTML comment's block at its line, so
    # the links after the blank line render as links (in JupyterLab, Voila and on GitHub).
    return f"{MARK}\n\n" + " · ".join(parts)


def index_text(names: list[str] | None = None, folder: Path = NOTEBOOKS_DIR) -> str:
    """The index notebook's one markdown cell."""
    names = notebook_names(folder) if names is None else names
    missing = [n for n in names if n not in SUMMARIES]
    if missing:
        raise ValueError(f"SUMMARIES has no line for {missing}")
    rows = "\n".join(f"| [{title(n, folder)}]({n}.ipynb) | {SUMMARIES[n]} |" for n in names)
    return ("# Sequences with RNNs and CNNs: the notebooks\n\n"
            "Interactive notebooks on processing sequences with recurrent and "
            "convolutional networks in TensorFlow/Keras 3, following chapter 15 of "
            "Géron's *Hands-On Machine Learning* (2nd edition).\n\n"
            f"| notebook | what you will learn |\n|---|---|\n{rows}\n\n{LEARNING_PATH}")


# --- the two files of a notebook -----------------------------------------------------

_PY_CELL = re.compile(r"^# %%", re.M)


def _py_nav_cell(text: str) -> str:
    return "# %% [markdown]\n" + "\n".join(f"# {line}" if line else "#"
                                         for line in text.splitlines()) + "\n"


def update_py(source: str, nav: str) -> str:
    """``source`` (a py:percent notebook) with its navigation cells set to ``nav``.

    Every other cell keeps its text to the character (blank lines included).
    """
    starts = [m.start() for m in _PY_CELL.finditer(source)]
    if not starts:
        raise ValueError("source has no '# %%' cells")
    header = source[:starts[0]]
    chunks = [source[a:b] for a, b in zip(starts, starts[1:] + [len(source)])]
    kept = "".join(c for c in chunks if not c.startswith(f"# %% [markdown]\n# {MARK}"))
    cell = _py_nav_cell(nav)
    return header + cell + "\n" + kept.rstrip("\n") + "\n\n" + cell


def update_ipynb(nb: nbformat.NotebookNode, nav: str) -> nbformat.NotebookNode:
    """``nb`` with its navigation cells set to ``nav`` (first and last cell)."""
    cells = [c for c in nb.cells if not (c.cell_type == "markdown"
                                         and c.source.startswith(MARK))]
    top = nbformat.v4.new_markdown_cell(nav, id="nav-top")
    bottom = nbformat.v4.new_markdown_cell(nav, id="nav-bottom")
    nb.cells = [top, *cells, bottom]
    return nb


def _index_py(text: str) -> str:
    header = ("# ---\n# jupyter:\n#   jupytext:\n#     formats: ipynb,py:percent\n"
              "#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version\n"
              "#     text_representation:\n#       extension: .py\n"
              "#       format_name: percent\n#       format_version: '1.3'\n"
              "#   kernelspec:\n#     display_name: Python 3 (ipykernel)\n"
              "#     language: python\n#     name: python3\n# ---\n\n")
    return header + _py_nav_cell(text)


def _index_ipynb(text: str) -> str:
    import jupytext

    nb = jupytext.reads(_index_py(text), fmt="py:percent")
    nb.cells[0].id = "index"
    return nbformat.writes(nb) + "\n"


def planned_changes(folder: Path = NOTEBOOKS_DIR) -> dict[Path, str]:
    """Every file of ``folder`` whose content would change, with its new content."""
    folder = Path(folder)
    names = notebook_names(folder)
    changes: dict[Path, str] = {}
    for name in names:
        nav = nav_text(name, names, folder)
        py = folder / f"{name}.py"
        new_py = update_py(py.read_text(), nav)
        if new_py != py.read_text():
            changes[py] = new_py
        ipynb = folder / f"{name}.ipynb"
        old = ipynb.read_text()
        new_nb = nbformat.writes(update_ipynb(nbformat.reads(old, as_version=4), nav)) + "\n"
        if new_nb != old:
            changes[ipynb] = new_nb
    text = index_text(names, folder)
    for path, new in ((folder / f"{INDEX}.py", _index_py(text)),
                      (folder / f"{INDEX}.ipynb", _index_ipynb(text))):
        if not path.exists() or path.read_text() != new:
            changes[path] = new
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only list the files that would change; exit 1 if any")
    args = parser.parse_args(argv)
    changes = planned_changes()
    for path in changes:
        print(f"{'would update' if args.check else 'updated'} {path.relative_to(ROOT)}")
        if not args.check:
            path.write_text(changes[path])
    if not changes:
        print("navigation: every notebook is up to date")
    return 1 if args.check and changes else 0


if __name__ == "__main__":
    sys.exit(main())
