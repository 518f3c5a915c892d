"""Each notebook and its jupytext py:percent twin must hold the same cells.

`jupytext --sync` decides which side is newer by file time, which means nothing after a
git clone, so we compare the two parsed notebooks instead: same cell types, same sources.
"""

from pathlib import Path

import jupytext
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("ipynb", NOTEBOOKS, ids=lambda p: p.stem)
def test_pair_has_same_cells(ipynb):
    py = ipynb.with_suffix(".py")
    assert py.exists(), f"{ipynb.name} has no paired {py.name} (run `jupytext --sync`)"
    nb_cells = [(c.cell_type, c.source.strip()) for c in jupytext.read(ipynb).cells]
    py_cells = [(c.cell_type, c.source.strip()) for c in jupytext.read(py).cells]
    assert len(nb_cells) == len(py_cells), "different number of cells"
    for i, (a, b) in enumerate(zip(nb_cells, py_cells)):
        assert a == b, f"cell {i} differs between {ipynb.name} and {py.name}"


@pytest.mark.parametrize("ipynb", NOTEBOOKS, ids=lambda p: p.stem)
def test_pair_has_same_tags(ipynb):
    nb_tags = [c.metadata.get("tags", []) for c in jupytext.read(ipynb).cells]
    py_tags = [c.metadata.get("tags", []) for c in jupytext.read(ipynb.with_suffix(".py")).cells]
    assert nb_tags == py_tags
