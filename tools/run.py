"""Execute notebooks in a profile and write their outputs back (``make run``).

    python -m tools.run                      # every notebook, full profile
    python -m tools.run notebooks/01_*.ipynb --profile quick

Each notebook runs in a fresh kernel of this Python, from its folder, with
``COURSE_PROFILE`` set; its outputs are written back into the ``.ipynb`` (the paired
``.py`` has no outputs and does not change) and its wall time goes to
``results/<profile>/notebooks.json``. A notebook that raises is not overwritten.
:func:`run_cells` is the one way the tools execute a notebook (the seed sweep too).
"""

import argparse
import fcntl
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from helpers.profile import ENV_VAR, PROFILES
from helpers.results import _dir, forget_notebook, write_json
from tools.navigation import NOTEBOOKS_DIR, notebook_names

CELL_TIMEOUT = 1800
"""Seconds one cell may run before the notebook fails (a hang, not a slow cell)."""


def run_cells(nb: nbformat.NotebookNode, profile: str, folder: Path = NOTEBOOKS_DIR, *,
              timeout: int = CELL_TIMEOUT, allow_errors: bool = False, name: str = "",
              log=print) -> float:
    """Run every cell of ``nb`` (in place, from ``folder``) in a fresh kernel; return the
    seconds from the kernel's start to the end of the last cell.

    A cell that takes more than 10 s gets a progress line through ``log``. The kernel
    talks over Unix sockets in a folder of its own (``transport="ipc"``), so that jobs
    starting kernels at the same moment cannot pick the same TCP port, and it is stopped
    at once afterwards: a graceful shutdown of a kernel that ran TensorFlow can hang.
    """
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    os.environ[ENV_VAR] = profile
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # read when TensorFlow's logging starts
    for cell in nb.cells:  # a cell that never runs must not keep an earlier run's outputs
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    clock = dict.fromkeys(("start", "cell", "end"), time.perf_counter())

    def started(cell_index, **_):
        clock["cell"] = time.perf_counter()

    def done(cell_index, **_):
        clock["end"] = now = time.perf_counter()
        if now - clock["cell"] > 10:
            log(f"  {name} cell {cell_index + 1}/{len(nb.cells)}: {now - clock['cell']:.0f} s "
                f"({now - clock['start']:.0f} s so far)")

    with tempfile.TemporaryDirectory(prefix="course-kernel-") as sockets:
        km = KernelManager(kernel_name="python3", transport="ipc",
                           ip=str(Path(sockets) / "kernel"))
        NotebookClient(nb, km=km, timeout=timeout, allow_errors=allow_errors,
                       record_timing=False, shutdown_kernel="immediate",
                       resources={"metadata": {"path": str(folder)}},
                       on_cell_execute=started, on_cell_executed=done).execute()
    return clock["end"] - clock["start"]


def execute(path: Path, profile: str, *, log=print) -> float:
    """Run notebook ``path`` in ``profile``, save its outputs, return its seconds."""
    nb = nbformat.read(path, as_version=4)
    seconds = run_cells(nb, profile, Path(path).parent, name=Path(path).stem, log=log)
    nbformat.write(nb, path)
    return seconds


def record_notebook_time(notebook: str, seconds: float, *, profile: str | None = None,
                         root: Path | None = None) -> None:
    """Remember how long a whole notebook took to execute, in ``notebooks.json``.

    Notebooks run two at a time, so the file is read and rewritten under a lock (and
    replaced in one step): two notebooks ending together both count.
    """
    path = _dir(profile, root) / "notebooks.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        times = json.loads(path.read_text()) if path.exists() else {}
        times[notebook] = round(float(seconds), 1)
        write_json(path.with_suffix(".tmp"), times, sort_keys=True).replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: "
                        "every notebooks/NN_*.ipynb but the index, which has no code)")
    parser.add_argument("--profile", default="full", choices=sorted(PROFILES))
    args = parser.parse_args(argv)
    paths = args.notebooks or [NOTEBOOKS_DIR / f"{name}.ipynb" for name in notebook_names()]
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
