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


@pytest.mark.parametrize("ipynb", NOTEBOOKS, ids=lambda p: p.stem)
def test_pair_has_same_text(ipynb):
    """What JupyterLab's jupytext checks when the .ipynb is newer than its twin.

    It writes both files as py:percent text, header included, and refuses to open the
    notebook ("... is more recent than ...") if the two texts differ. The twin must also
    be exactly what jupytext writes, so that saving in JupyterLab changes nothing.
    """
    py = ipynb.with_suffix(".py")
    from_ipynb = jupytext.writes(jupytext.read(ipynb), fmt="py:percent")
    from_py = jupytext.writes(jupytext.read(py), fmt="py:percent")
    assert from_ipynb == from_py, jupytext.compare.compare(
        from_ipynb, from_py, ipynb.name, py.name, return_diff=True)
    assert from_py == py.read_text(), f"{py.name} is not in jupytext's own layout"
