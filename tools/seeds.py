"""The seed sweep (``make seeds``): every notebook once per seed, in scratch copies.

    python -m tools.seeds --seeds "42 7 123 2026" [--profile full|quick] [--jobs 2]
    python -m tools.seeds --seeds "7" --notebooks 03 04      # some notebooks only
    python -m tools.seeds report --profile full              # rewrite the report
    python -m tools.seeds adopt --seed 42    # that seed's run becomes the committed one

Every assert in a notebook is a claim the course makes, so it must hold whatever the
seed (``$COURSE_SEED``, :mod:`helpers.profile`). For each seed the sweep gives the
notebooks a folder of their own, ``logs/seeds/<profile>/seed-<S>/``
(``$COURSE_WORK_DIR``, :data:`helpers.results.WORK_DIR`): the executed copies go to its
``notebooks/``, the records to its ``results/``, so the committed notebooks and
``results/full`` are never touched. The jobs run two at a time through
:mod:`tools.schedule` (a notebook after those whose records it reads, within its
seed), and a failing notebook does not stop the sweep: every cell runs, and each error
is kept. The report (``results/SEEDS.md``, or ``results/SEEDS-quick.md``) gives, for each
notebook and seed, "pass" or the first failing line, and for every recorded model the
mean, spread and per-seed values next to the book's figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from helpers.profile import ENV_VAR, MAX_SEED, PROFILES, SEED_VAR
from helpers.results import (
    BOOK,
    ROOT,
    WORK_VAR,
    forget_notebook,
    load_records,
    other_records,
    record_notebook_time,
)
from tools.schedule import AFTER, TEST_SECONDS, Job, expected_seconds, notebook_names

SWEEP_DIR = ROOT / "logs" / "seeds"
DEFAULT_SEEDS = (42, 7, 123, 2026)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ARROW = re.compile(r"^\s*-+>\s*(\d+)\s?(.*)$")
CELL_TIMEOUT = {"full": 1200, "quick": 300}
"""Seconds a cell may run before it counts as hung. The longest cells take about 5
minutes two at a time in the full profile, well under one in quick; a kernel that stopped
answering (seen under load, with TCP ports) would otherwise hold its slot for half an
hour. A hung run is tried once more."""


def parse_seeds(text: str | Iterable[int]) -> list[int]:
    """``"42 7, 123"`` -> ``[42, 7, 123]``: whole numbers from 0 to 2**31 - 1, no repeats."""
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    seeds = []
    for item in items:
        try:
            seed = int(item)
        except (TypeError, ValueError):
            raise ValueError(f"seeds must be whole numbers, got {item!r}") from None
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seeds must be from 0 to {MAX_SEED}, got {seed}")
        if seed in seeds:
            raise ValueError(f"seeds lists {seed} twice")
        seeds.append(seed)
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed")
    return seeds


def seed_dir(profile: str, seed: int, root: Path = SWEEP_DIR) -> Path:
    """The work folder of one seed's run (``$COURSE_WORK_DIR`` for its notebooks)."""
    return Path(root) / profile / f"seed-{seed}"


# --- one notebook at one seed -----------------------------------------------------------

def failing_line(traceback: Sequence[str]) -> str:
    """The line of the cell that raised, from a Jupyter error's traceback ('' if none).

    IPython marks the line each frame was executing with an arrow (``----> 446 assert
    ...``); the first arrow is in the cell itself, the code the reader sees.
    """
    for block in traceback:
        for line in _ANSI.sub("", block).splitlines():
            match = _ARROW.match(line)
            if match:
                return match.group(2).strip()
    return ""


def cell_errors(nb) -> list[dict]:
    """Every error output of an executed notebook: cell number (from 1), name, message
    (first line) and the failing line of the cell."""
    errors = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                evalue = _ANSI.sub("", str(output.get("evalue", ""))).strip()
                errors.append({"cell": index + 1, "ename": output.get("ename", ""),
                               "evalue": evalue.splitlines()[0] if evalue else "",
                               "line": failing_line(output.get("traceback", []))})
    return errors


def _execute(nb, profile: str) -> list[dict]:
    """Run every cell of ``nb`` in a fresh kernel; return the errors (a hang is one).

    The kernel talks over Unix sockets in a folder of its own (``transport="ipc"``), not
    TCP ports: jobs that start kernels at the same moment cannot pick the same port.
    """
    import tempfile

    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with tempfile.TemporaryDirectory(prefix="course-kernel-") as folder:
        km = KernelManager(kernel_name="python3", transport="ipc",
                           ip=str(Path(folder) / "kernel"))
        client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT[profile], allow_errors=True,
                                record_timing=False, shutdown_kernel="immediate",
                                resources={"metadata": {"path": str(ROOT / "notebooks")}})
        try:
            client.execute()
            return cell_errors(nb)
        except Exception as error:  # the kernel died or a cell timed out
            return cell_errors(nb) + [{"cell": 0, "ename": type(error).__name__,
                                       "evalue": str(error).splitlines()[0][:300],
                                       "line": ""}]


def run_one(name: str, seed: int, profile: str, work: Path, *, log=print) -> dict:
    """Execute notebook ``name`` at ``seed`` in ``work``; write and return its status.

    Every cell runs, even after an error (``allow_errors``); the executed copy is saved
    to ``work/notebooks/`` and the status (seconds, errors) to ``work/status/``. A run
    that hangs or whose kernel dies is tried once more, and the status says so.
    """
    import nbformat

    source = ROOT / "notebooks" / f"{name}.ipynb"
    if not source.exists():
        raise ValueError(f"name must be a notebook in notebooks/, got {name!r}")
    work = Path(work)
    (work / "notebooks").mkdir(parents=True, exist_ok=True)
    (work / "status").mkdir(parents=True, exist_ok=True)
    os.environ.update({ENV_VAR: profile, SEED_VAR: str(seed), WORK_VAR: str(work)})
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    forget_notebook(name, profile=profile, root=work / "results")  # records of a past run
    start = time.perf_counter()
    tries = 0
    while True:
        tries += 1
        nb = nbformat.read(source, as_version=4)
        errors = _execute(nb, profile)
        if tries == 2 or not any(e["cell"] == 0 for e in errors):
            break
        log(f"{name} at seed {seed}: {describe(errors[-1])}; trying once more")
    seconds = time.perf_counter() - start
    nbformat.write(nb, work / "notebooks" / source.name)
    status = {"notebook": name, "seed": seed, "profile": profile,
              "seconds": round(seconds, 1), "tries": tries, "errors": errors}
    (work / "status" / f"{name}.json").write_text(json.dumps(status, indent=2) + "\n")
    if not errors:
        record_notebook_time(name, seconds, profile=profile, root=work / "results")
    verdict = "pass" if not errors else f"{len(errors)} failing cell(s): {describe(errors[0])}"
    log(f"{name} at seed {seed} ({profile}): {verdict} in {seconds:.0f} s")
    return status


def describe(error: Mapping) -> str:
    """One line for an error: the failing line, or the exception when there is none."""
    where = f"cell {error['cell']}: " if error.get("cell") else ""
    what = f"{error['ename']}" + (f": {error['evalue']}" if error.get("evalue") else "")
    return f"{where}`{error['line']}` ({what})" if error.get("line") else f"{where}{what}"


# --- the sweep --------------------------------------------------------------------------

def sweep_jobs(seeds: Sequence[int], profile: str, names: Sequence[str],
               python: str = sys.executable, root: Path = SWEEP_DIR) -> dict[str, Job]:
    """One job per (notebook, seed), named ``NN_name@seed``; within a seed a notebook
    waits for those whose records it reads (:data:`~tools.schedule.AFTER`), when they
    are part of the sweep."""
    expected = expected_seconds() if profile == "full" else TEST_SECONDS
    jobs = {}
    for seed in seeds:
        work = seed_dir(profile, seed, root)
        for name in names:
            after = tuple(f"{dep}@{seed}" for dep in AFTER.get(name, ()) if dep in names)
            jobs[f"{name}@{seed}"] = Job(
                f"{name}@{seed}",
                [python, "-u", "-m", "tools.seeds", "one", name, "--seed", str(seed),
                 "--profile", profile, "--work", str(work)],
                after, float(expected.get(name, 60.0)))
    return jobs


def select_notebooks(wanted: Sequence[str]) -> list[str]:
    """The notebooks named by number or name prefix (all of them when ``wanted`` is empty)."""
    names = notebook_names()
    if not wanted:
        return names
    chosen = []
    for item in wanted:
        matches = [n for n in names if n == item or n.startswith(f"{item}_")]
        if not matches:
            raise ValueError(f"notebooks: no notebook {item!r}; expected a number or "
                             f"name of {names}")
        chosen.extend(m for m in matches if m not in chosen)
    return sorted(chosen)


def run_sweep(seeds: Sequence[int], profile: str, names: Sequence[str], n_parallel: int,
              *, root: Path = SWEEP_DIR, log=print) -> float:
    """Run the sweep (fresh work folders for the notebooks it runs); return its seconds."""
    from tools.schedule import INTEROP_VAR, run_jobs

    for seed in seeds:
        work = seed_dir(profile, seed, root)
        for name in names:  # a notebook's earlier verdict must not survive a failed start
            (work / "status" / f"{name}.json").unlink(missing_ok=True)
    env = {INTEROP_VAR: "1"} if n_parallel > 1 and INTEROP_VAR not in os.environ else {}
    start = time.perf_counter()
    run_jobs(sweep_jobs(seeds, profile, names, root=root), n_parallel, log=log, env=env,
             keep_going=True)
    seconds = time.perf_counter() - start
    meta = {"seeds": list(seeds), "profile": profile, "notebooks": list(names),
            "jobs": n_parallel, "seconds": round(seconds), "finished":
            time.strftime("%Y-%m-%d %H:%M")}
    (Path(root) / profile).mkdir(parents=True, exist_ok=True)
    (Path(root) / profile / "sweep.json").write_text(json.dumps(meta, indent=2) + "\n")
    return seconds


# --- the report -------------------------------------------------------------------------

@dataclass
class Spread:
    """A model's figures over the seeds of a sweep."""

    name: str
    label: str
    notebook: str
    metric: str
    values: dict[int, float]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values.values())

    @property
    def low(self) -> float:
        return min(self.values.values())

    @property
    def high(self) -> float:
        return max(self.values.values())

    @property
    def std(self) -> float:
        return statistics.stdev(self.values.values()) if len(self.values) > 1 else 0.0


def load_statuses(profile: str, seeds: Sequence[int], root: Path = SWEEP_DIR
                  ) -> dict[tuple[str, int], dict]:
    """``(notebook, seed) -> status`` for every status file of the sweep's seeds."""
    statuses = {}
    for seed in seeds:
        for path in sorted((seed_dir(profile, seed, root) / "status").glob("*.json")):
            status = json.loads(path.read_text())
            statuses[status["notebook"], seed] = status
    return statuses


def spreads(profile: str, seeds: Sequence[int], root: Path = SWEEP_DIR) -> list[Spread]:
    """Every model recorded in the sweep, with its value at each seed that recorded it."""
    found: dict[str, Spread] = {}
    for seed in seeds:
        results_root = seed_dir(profile, seed, root) / "results"
        if not (results_root / profile / "models").is_dir():
            continue
        others = other_records(profile, results_root).values()
        for entry in [*load_records(profile, results_root), *(e for g in others for e in g)]:
            spread = found.setdefault(entry["name"], Spread(
                entry["name"], entry.get("label") or entry["name"], str(entry["notebook"]),
                entry["metric"], {}))
            spread.values[seed] = float(entry["value"])
    return sorted(found.values(), key=lambda s: (s.notebook, s.metric, s.name))


def _fmt(value: float, like: float | None = None) -> str:
    """Four decimals for the chapter's MSEs, whole numbers for MAEs in MW (by the size of
    ``like``, default ``value``)."""
    return f"{value:.4f}" if abs(value if like is None else like) < 10 else f"{value:,.0f}"


def report_text(profile: str, seeds: Sequence[int], statuses: Mapping[tuple[str, int], dict],
                models: Sequence[Spread], meta: Mapping | None = None) -> str:
    """The Markdown report: notebooks x seeds (pass / first failing line), then models."""
    names = sorted({name for name, _ in statuses})
    passed = sum(not s["errors"] for s in statuses.values())
    lines = [f"# Seed sweep ({profile} profile)", ""]
    command = f"make seeds SEEDS=\"{' '.join(map(str, seeds))}\""
    if profile != "full":
        command += f" SEEDS_PROFILE={profile}"
    lines.append(f"Written by `{command}` (tools/seeds.py). Each notebook ran once per "
                 f"seed with `COURSE_SEED` set, in a scratch copy; **{passed} of "
                 f"{len(statuses)} runs passed**.")
    if meta:
        lines.append(f"The sweep took {meta['seconds'] / 60:.0f} min of wall time "
                     f"({meta['jobs']} notebooks at a time, finished {meta['finished']}).")
    else:
        lines.append("Each cell is the latest run of that notebook at that seed (the runs "
                     "may come from several sweeps).")
    lines += ["", "## Notebooks", "",
              "| notebook | " + " | ".join(f"seed {s}" for s in seeds) + " |",
              "|---|" + "---|" * len(seeds)]
    failures = []
    for name in names:
        cells = []
        for seed in seeds:
            status = statuses.get((name, seed))
            if status is None:
                cells.append("not run")
            elif not status["errors"]:
                cells.append(f"pass ({status['seconds']:.0f} s)")
            else:
                failures.append((name, seed, status["errors"]))
                cells.append(f"**FAIL** [{len(failures)}]")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for number, (name, seed, errors) in enumerate(failures, 1):
        extra = len(errors) - 1
        more = f" ({extra} more failing cell{'s' if extra > 1 else ''})" if extra else ""
        lines.append(f"\n[{number}] {name}, seed {seed}: {describe(errors[0])}{more}")
    lines += ["", "## Models", "",
              "Validation score of every recorded model at each seed: mean, spread "
              "(min-max and standard deviation) and the book's figure where it has one.",
              "", "| notebook | model | metric | book | mean | min-max | std | "
              + " | ".join(f"seed {s}" for s in seeds) + " |",
              "|---|---|---|---|---|---|---|" + "---|" * len(seeds)]
    for spread in models:
        book = BOOK.get(spread.name)
        per_seed = [(_fmt(spread.values[s]) if s in spread.values else "") for s in seeds]
        lines.append(f"| {spread.notebook} | {spread.label} | {spread.metric} | "
                     f"{'' if book is None else f'{book.value:g}'} | {_fmt(spread.mean)} | "
                     f"{_fmt(spread.low)}-{_fmt(spread.high)} | {_fmt(spread.std, spread.mean)} | "
                     + " | ".join(per_seed) + " |")
    return "\n".join(lines) + "\n"


def report_path(profile: str) -> Path:
    return ROOT / "results" / ("SEEDS.md" if profile == "full" else f"SEEDS-{profile}.md")


def write_report(profile: str, seeds: Sequence[int] | None = None, *,
                 root: Path = SWEEP_DIR, output: Path | None = None) -> Path:
    """Write the report of the last sweep of ``profile`` (its seeds unless given)."""
    meta_path = Path(root) / profile / "sweep.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else None
    if seeds is None:
        if meta is None:
            raise ValueError(f"no sweep of the {profile} profile in {root}: run one first")
        seeds = meta["seeds"]
    elif meta is not None and list(seeds) != list(meta["seeds"]):
        meta = None  # the latest run of each notebook at each seed, from several sweeps
    statuses = load_statuses(profile, seeds, root)
    if not statuses:
        raise ValueError(f"no notebook ran in the {profile} sweep of seeds {list(seeds)}")
    output = Path(output or report_path(profile))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report_text(profile, seeds, statuses, spreads(profile, seeds, root),
                                  meta))
    return output


def adopt(seed: int, profile: str = "full", *, root: Path = SWEEP_DIR,
          target: Path = ROOT) -> list[str]:
    """Make one seed's sweep run the committed run: its executed notebooks replace
    ``notebooks/*.ipynb`` and its records ``results/<profile>/``; return the notebooks.

    The same code at the same seed is what ``make run`` would execute, so the sweep's run
    at seed 42 need not be repeated. Every notebook must have passed at that seed.
    """
    work = seed_dir(profile, seed, root)
    statuses = load_statuses(profile, [seed], root)
    names = notebook_names()
    missing = [n for n in names if (n, seed) not in statuses]
    failed = [n for n in names if (n, seed) in statuses and statuses[n, seed]["errors"]]
    if missing or failed:
        raise ValueError(f"seed {seed} ({profile}) cannot be adopted: "
                         + "; ".join(part for part in (
                             f"not run: {', '.join(missing)}" if missing else "",
                             f"failed: {', '.join(failed)}" if failed else "") if part))
    for name in names:
        shutil.copyfile(work / "notebooks" / f"{name}.ipynb",
                        Path(target) / "notebooks" / f"{name}.ipynb")
    dest = Path(target) / "results" / profile
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(work / "results" / profile, dest,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    return names


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["one"]:
        parser = argparse.ArgumentParser(prog="tools.seeds one")
        parser.add_argument("name")
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--profile", choices=sorted(PROFILES), required=True)
        parser.add_argument("--work", type=Path, required=True)
        args = parser.parse_args(argv[1:])
        status = run_one(args.name, args.seed, args.profile, args.work)
        for error in status["errors"]:
            print(f"  {describe(error)}")
        return 1 if status["errors"] else 0
    if argv[:1] == ["adopt"]:
        parser = argparse.ArgumentParser(prog="tools.seeds adopt")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--profile", choices=sorted(PROFILES), default="full")
        args = parser.parse_args(argv[1:])
        names = adopt(args.seed, args.profile)
        print(f"adopted seed {args.seed} ({args.profile}): {len(names)} notebooks and "
              f"results/{args.profile}/")
        return 0
    if argv[:1] == ["report"]:
        parser = argparse.ArgumentParser(prog="tools.seeds report")
        parser.add_argument("--profile", choices=sorted(PROFILES), default="full")
        parser.add_argument("--seeds", default=None,
                            help="seeds to report (default: those of the last sweep)")
        args = parser.parse_args(argv[1:])
        seeds = parse_seeds(args.seeds) if args.seeds else None
        print(f"wrote {write_report(args.profile, seeds).relative_to(ROOT)}")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default=" ".join(map(str, DEFAULT_SEEDS)),
                        help="seeds to run, e.g. \"42 7 123 2026\"")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="full")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks at once (default 2)")
    parser.add_argument("--notebooks", nargs="*", default=[],
                        help="numbers or names of the notebooks (default: all)")
    args = parser.parse_args(argv)
    try:
        seeds = parse_seeds(args.seeds)
        names = select_notebooks(args.notebooks)
    except ValueError as error:
        parser.error(str(error))
    print(f"seed sweep: {len(names)} notebooks x seeds {seeds} ({args.profile}), "
          f"{args.jobs} at a time; work folders in {SWEEP_DIR.relative_to(ROOT)}/", flush=True)
    seconds = run_sweep(seeds, args.profile, names, args.jobs,
                        log=lambda text: print(text, flush=True))
    path = write_report(args.profile, seeds)
    statuses = load_statuses(args.profile, seeds)
    failed = sorted(f"{n}@{s}" for (n, s), st in statuses.items() if st["errors"])
    print(f"seed sweep: {len(statuses) - len(failed)} of {len(statuses)} runs passed in "
          f"{seconds / 60:.1f} min; report in {path.relative_to(ROOT)}"
          + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
