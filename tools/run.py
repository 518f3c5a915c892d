"""Execute notebooks in a profile and write their outputs back (``make run``).

    python -m tools.run                      # every notebook, full profile
    python -m tools.run notebooks/01_*.ipynb --profile quick

Each notebook runs in a fresh kernel of this Python, from the notebooks/ folder, with
``COURSE_PROFILE`` set; its outputs are written back into the ``.ipynb`` (the paired
``.py`` has no outputs and does not change) and its wall time goes to
``results/<profile>/notebooks.json``. A notebook that raises is not overwritten.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from helpers.profile import ENV_VAR, PROFILES
from helpers.results import ROOT, forget_notebook, record_notebook_time

NOTEBOOKS_DIR = ROOT / "notebooks"


CELL_TIMEOUT = 1800
"""Seconds one cell may run before the notebook fails (a hang, not a slow cell)."""


def execute(path: Path, profile: str, *, log=print) -> float:
    """Run one notebook in ``profile``, save its outputs, return the wall time in seconds.

    The time runs from the kernel's start to the end of the last cell. A cell that takes
    more than 10 s gets a progress line through ``log``. The kernel is stopped at once
    afterwards (``shutdown_kernel="immediate"``): a graceful shutdown of a kernel that
    ran TensorFlow has been seen to hang after the last cell.
    """
    import nbformat
    from nbclient import NotebookClient

    os.environ[ENV_VAR] = profile
    # Set before the kernel starts: TensorFlow reads it when its logging starts up.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    nb = nbformat.read(path, as_version=4)
    n_cells = len(nb.cells)
    clock = {"start": time.perf_counter(), "cell": 0.0, "end": 0.0}

    def cell_started(cell, cell_index, **_):
        clock["cell"] = time.perf_counter()

    def cell_done(cell, cell_index, **_):
        clock["end"] = now = time.perf_counter()
        if now - clock["cell"] > 10:
            log(f"  {path.stem} cell {cell_index + 1}/{n_cells}: {now - clock['cell']:.0f} s "
                f"({now - clock['start']:.0f} s so far)")

    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_execute=cell_started,
        on_cell_executed=cell_done,
    )
    client.execute()
    nbformat.write(nb, path)
    return clock["end"] - clock["start"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebooks/NN_*.ipynb "
                             "but the index, which has no code)")
    parser.add_argument("--profile", default="full", choices=sorted(PROFILES))
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(p for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")
                                     if p.stem != "00_index")
    if not paths:
        parser.error(f"no notebooks found in {NOTEBOOKS_DIR}")
    for path in paths:
        if path.suffix != ".ipynb" or not path.exists():
            parser.error(f"not an existing .ipynb file: {path}")
        print(f"running {path.name} ({args.profile}) ...", flush=True)
        if path.stem[:2].isdigit():  # a course notebook: its past records go first
            forget_notebook(path.stem, profile=args.profile)
        try:
            seconds = execute(path.resolve(), args.profile)
        except Exception as error:  # nbclient raises CellExecutionError with the traceback
            print(f"FAILED {path.name}:\n{error}", file=sys.stderr)
            return 1
        record_notebook_time(path.stem, seconds, profile=args.profile)
        print(f"  {path.stem} done in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
