"""Every notebook has a widget, built from helpers.widgets, in a cell nbval does not compare.

The course's rule for widgets: the wiring (sliders, Train button, status line, output
area) comes from one small set of builders in `helpers.widgets`, and the logic behind a
widget is a plain function (tested elsewhere). This test reads each notebook's jupytext
twin and checks the parts a reader relies on:

- it displays at least one widget, through `widgets.interactive_view`,
  `widgets.train_view` or the playground (`playground.Playground`, itself wired from
  `helpers.widgets`);
- each cell that builds one is tagged `nbval-ignore-output` (widget outputs hold model
  ids and live figures, which differ from run to run);
- no notebook imports ipywidgets itself, and no helper but `helpers.widgets` does.
"""

import ast
import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.py")
                   if p.stem != "00_index")  # the index has no code
WIDGET_CALL = re.compile(r"\b(widgets\.(interactive_view|train_view)|playground\.Playground)\(")


def _code_cells(path: Path):
    return [c for c in jupytext.read(path).cells if c.cell_type == "code"]


def test_every_notebook_is_checked():
    assert len(NOTEBOOKS) >= 9, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_a_widget_in_an_ignored_cell(path):
    cells = [c for c in _code_cells(path) if WIDGET_CALL.search(c.source)]
    assert cells, f"{path.name} displays no widget from helpers.widgets"
    for cell in cells:
        assert "nbval-ignore-output" in cell.metadata.get("tags", []), (
            f"{path.name}: a widget cell is not tagged nbval-ignore-output:\n{cell.source}")


def _imported_modules(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_do_not_wire_widgets_themselves(path):
    for cell in _code_cells(path):
        source = "\n".join(line for line in cell.source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        assert "ipywidgets" not in _imported_modules(source), (
            f"{path.name} imports ipywidgets: build widgets with helpers.widgets")


def test_only_helpers_widgets_imports_ipywidgets():
    importing = [p.name for p in sorted((ROOT / "helpers").glob("*.py"))
                 if "ipywidgets" in _imported_modules(p.read_text())]
    assert importing == ["widgets.py"]
