"""Reuse a function or class that a notebook teaches, without copying its code.

A custom cell (say notebook 04's layer-normalized RNN cell) is written in the notebook
where it is taught. Tests and later notebooks get the very same definition with::

    LNSimpleRNNCell = notebook_code.load("04_unstable_gradients", "LNSimpleRNNCell")

which reads the notebook's jupytext twin (``notebooks/<name>.py``), takes the top-level
``def``/``class`` statements with those names (and every import statement of the
notebook), and executes just those, never the notebook's training cells.
"""

from __future__ import annotations

import ast
import types
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"


@cache
def _definitions(notebook: str) -> tuple[list[ast.stmt], dict[str, ast.stmt]]:
    import jupytext

    path = NOTEBOOKS_DIR / f"{notebook}.py"
    if not path.exists():
        known = sorted(p.stem for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.py"))
        raise ValueError(f"notebook must be one of {known}, got {notebook!r}")
    imports: list[ast.stmt] = []
    definitions: dict[str, ast.stmt] = {}
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        for node in ast.parse(source).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(node)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                definitions[node.name] = node
    return imports, definitions


def load(notebook: str, *names: str):
    """Return the object(s) called ``names`` as defined in ``notebooks/<notebook>.py``.

    One name gives the object; several give a tuple in the same order. All requested
    definitions share one module namespace, so they can refer to each other.
    """
    if not names:
        raise ValueError("name at least one function or class to load")
    imports, definitions = _definitions(notebook)
    missing = [name for name in names if name not in definitions]
    if missing:
        raise ValueError(f"{notebook} defines no top-level function or class named "
                         f"{missing}; it defines {sorted(definitions)}")
    module = types.ModuleType(f"helpers.notebook_code.nb_{notebook}")
    body = imports + [definitions[name] for name in names]
    code = compile(ast.Module(body=body, type_ignores=[]),
                   str(NOTEBOOKS_DIR / f"{notebook}.py"), "exec")
    exec(code, module.__dict__)  # noqa: S102 - our own notebook's code
    objects = tuple(module.__dict__[name] for name in names)
    return objects[0] if len(objects) == 1 else objects
