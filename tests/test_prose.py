"""Lessons, not lab logs: the Markdown of the lessons quotes no machine timings.

A time measured on one machine is wrong on the next; timings live in `make bench` and
the README. Every notebook is checked.
"""

import re
from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.py") if p.stem != "00_index")
TIMING = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:s|ms|sec|secs|seconds?|minutes?|min)\b"
                    r"(?!\w)(?! per (?:step|series))(?! ahead)", re.IGNORECASE)
"""A duration in Markdown, except a forecast horizon ("30 minutes ahead")."""
HISTORY = re.compile(r"an earlier version|a previous version|in (?:other|earlier) runs",
                     re.IGNORECASE)


@pytest.mark.parametrize("name", LESSONS)
def test_markdown_quotes_no_timings_or_history(name):
    notebook = jupytext.read(NOTEBOOKS / f"{name}.py")
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for pattern in (TIMING, HISTORY):
            found = pattern.search(cell.source)
            assert found is None, f"{name}, cell {i}: {found.group(0)!r} in Markdown"


def test_the_patterns_catch_what_they_should():
    assert TIMING.search("each epoch took 1.59 s") and TIMING.search("in 12 seconds")
    assert TIMING.search("about 3 min") and TIMING.search("17.7 ms")
    assert not TIMING.search("50 steps, 20 epochs, 10 values, 7,000 series")
    assert HISTORY.search("An earlier version of this notebook")
