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

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from helpers import checks
from helpers.profile import MAX_SEED, PROFILES, SEED_VAR
from helpers.results import BOOK, ROOT, WORK_VAR, forget_notebook, write_json
from tools import schedule
from tools.navigation import notebook_names
from tools.report import markdown
from tools.run import record_notebook_time, run_cells

SWEEP_DIR = ROOT / "logs" / "seeds"
DEFAULT_SEEDS = (42, 7, 123, 2026)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_ARROW = re.compile(r"^\s*-+>\s*(\d+)\s?(.*)$")
CELL_TIMEOUT = {"full": 1200, "quick": 300}
"""Seconds a cell may run before it counts as hung: the longest cells take about 5
minutes two at a time in the full profile, well under one in quick. A hung run is tried
once more."""


def parse_seeds(text: str | list[int]) -> list[int]:
    """``"42 7, 123"`` -> ``[42, 7, 123]``: whole numbers from 0 to 2**31 - 1, no repeats."""
    seeds = []
    for item in text.replace(",", " ").split() if isinstance(text, str) else text:
        if not re.fullmatch(r"-?\d+", str(item)):
            raise ValueError(f"seeds must be whole numbers, got {item!r}")
        if (seed := checks.integer("seeds", int(item), low=0, high=MAX_SEED)) in seeds:
            raise ValueError(f"seeds lists {seed} twice")
        seeds.append(seed)
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed")
    return seeds


def seed_dir(profile: str, seed: int, root: Path = SWEEP_DIR) -> Path:
    """The work folder of one seed's run (``$COURSE_WORK_DIR`` for its notebooks)."""
    return Path(root) / profile / f"seed-{seed}"


def failing_line(traceback: list[str]) -> str:
    """The line of the cell that raised, from a Jupyter error's traceback ('' if none):
    IPython marks the line each frame was executing with an arrow (``----> 446 assert
    ...``), and the first arrow is in the cell itself, the code the reader sees."""
    lines = (line for block in traceback for line in _ANSI.sub("", block).splitlines())
    return next((m.group(2).strip() for m in map(_ARROW.match, lines) if m), "")


def cell_errors(nb) -> list[dict]:
    """Every error output of an executed notebook: cell number (from 1), name, message
    (first line) and the failing line of the cell."""
    return [{"cell": index + 1, "ename": out.get("ename", ""),
             "evalue": _ANSI.sub("", str(out.get("evalue", ""))).strip().partition("\n")[0],
             "line": failing_line(out.get("traceback", []))}
            for index, cell in enumerate(nb.cells) for out in cell.get("outputs", [])
            if out.get("output_type") == "error"]


def describe(error: dict) -> str:
    """One line for an error: the failing line, or the exception when there is none."""
    where = f"cell {error['cell']}: " if error.get("cell") else ""
    what = error["ename"] + (f": {error['evalue']}" if error.get("evalue") else "")
    return f"{where}`{error['line']}` ({what})" if error.get("line") else f"{where}{what}"


def run_one(name: str, seed: int, profile: str, work: Path, *, log=print) -> dict:
    """Execute notebook ``name`` at ``seed`` in ``work``; write and return its status.

    Every cell runs, even after an error (``allow_errors``); the executed copy is saved
    to ``work/notebooks/`` and the status (seconds, errors) to ``work/status/``. A run
    that hangs or whose kernel dies is tried once more, and the status says so.
    """
    source, work = ROOT / "notebooks" / f"{name}.ipynb", Path(work)
    (work / "notebooks").mkdir(parents=True, exist_ok=True)
    os.environ.update({SEED_VAR: str(seed), WORK_VAR: str(work)})
    forget_notebook(name, profile=profile, root=work / "results")  # records of a past run
    start = time.perf_counter()
    for tries in (1, 2):
        nb = nbformat.read(source, as_version=4)
        try:
            run_cells(nb, profile, timeout=CELL_TIMEOUT[profile], allow_errors=True, name=name,
                      log=log)
            crash = []
            break
        except Exception as error:  # the kernel died or a cell timed out
            crash = [{"cell": 0, "ename": type(error).__name__, "line": "",
                      "evalue": str(error).partition("\n")[0][:300]}]
            log(f"{name} at seed {seed}: {describe(crash[0])}" + "; trying once more" * (tries < 2))
    seconds, errors = time.perf_counter() - start, cell_errors(nb) + crash
    nbformat.write(nb, work / "notebooks" / source.name)
    status = {"notebook": name, "seed": seed, "profile": profile,
              "seconds": round(seconds, 1), "tries": tries, "errors": errors}
    write_json(work / "status" / f"{name}.json", status)
    if not errors:
        record_notebook_time(name, seconds, profile=profile, root=work / "results")
    verdict = f"{len(errors)} failing cell(s): {describe(errors[0])}" if errors else "pass"
    log(f"{name} at seed {seed} ({profile}): {verdict} in {seconds:.0f} s")
    return status


def sweep_jobs(seeds: list[int], profile: str, names: list[str], python: str = sys.executable,
               root: Path = SWEEP_DIR) -> dict[str, schedule.Job]:
    """One job per (notebook, seed), named ``NN_name@seed``; within a seed a notebook
    waits for those whose records it reads (:data:`~tools.schedule.AFTER`), when they
    are part of the sweep."""
    expected = schedule.expected_seconds() if profile == "full" else schedule.TEST_SECONDS
    return {f"{name}@{seed}": schedule.Job(
        f"{name}@{seed}", [python, "-u", "-m", "tools.seeds", "one", name, "--seed", str(seed),
                           "--profile", profile, "--work", str(seed_dir(profile, seed, root))],
        tuple(f"{dep}@{seed}" for dep in schedule.AFTER.get(name, ()) if dep in names),
        float(expected.get(name, 60.0))) for seed in seeds for name in names}


def select_notebooks(wanted: list[str]) -> list[str]:
    """The notebooks named by number or name prefix (all of them when ``wanted`` is empty)."""
    names = notebook_names()
    chosen = {item: [n for n in names if n == item or n.startswith(f"{item}_")] for item in wanted}
    if missing := [item for item, found in chosen.items() if not found]:
        raise ValueError(f"notebooks: no notebook {missing[0]!r}; expected a number or name "
                         f"of {names}")
    return sorted({n for found in chosen.values() for n in found}) if wanted else names


@dataclass
class Spread:
    """A model's figures over the seeds of a sweep (``values``: seed -> value)."""

    name: str
    label: str
    notebook: str
    metric: str
    values: dict[int, float]
    mean = property(lambda self: statistics.fmean(self.values.values()))
    low = property(lambda self: min(self.values.values()))
    high = property(lambda self: max(self.values.values()))
    std = property(lambda self: statistics.stdev(self.values.values())
                   if len(self.values) > 1 else 0.0)


def load_statuses(profile: str, seeds: list[int], root: Path = SWEEP_DIR
                  ) -> dict[tuple[str, int], dict]:
    """``(notebook, seed) -> status`` for every status file of the sweep's seeds."""
    return {(status["notebook"], seed): status for seed in seeds for status in (
        json.loads(p.read_text()) for p in sorted((seed_dir(profile, seed, root) / "status")
                                                  .glob("*.json")))}


def spreads(profile: str, seeds: list[int], root: Path = SWEEP_DIR) -> list[Spread]:
    """Every model recorded in the sweep, with its value at each seed that recorded it."""
    found: dict[str, Spread] = {}
    for seed in seeds:
        for path in (seed_dir(profile, seed, root) / "results" / profile / "models").glob("*.json"):
            e = json.loads(path.read_text())
            found.setdefault(e["name"], Spread(e["name"], e.get("label") or e["name"], str(
                e["notebook"]), e["metric"], {})).values[seed] = float(e["value"])
    return sorted(found.values(), key=lambda s: (s.notebook, s.metric, s.name))


def _fmt(value: float, like: float | None = None) -> str:
    """Four decimals for the chapter's MSEs, whole numbers for MAEs in MW (by the size of
    ``like``, default ``value``)."""
    return f"{value:.4f}" if abs(value if like is None else like) < 10 else f"{value:,.0f}"


def write_report(profile: str, seeds: list[int] | None = None, *, root: Path = SWEEP_DIR,
                 output: Path | None = None) -> Path:
    """Write the report of the last sweep of ``profile`` (its seeds unless given), to
    ``results/SEEDS.md`` (``results/SEEDS-<profile>.md`` for other profiles): notebooks x
    seeds (pass / first failing line), then every model's spread."""
    meta_path = Path(root) / profile / "sweep.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else None
    if seeds is None and meta is None:
        raise ValueError(f"no sweep of the {profile} profile in {root}: run one first")
    if seeds is not None and meta is not None and list(seeds) != list(meta["seeds"]):
        meta = None  # the latest run of each notebook at each seed, from several sweeps
    seeds = meta["seeds"] if seeds is None else seeds
    if not (statuses := load_statuses(profile, seeds, root)):
        raise ValueError(f"no notebook ran in the {profile} sweep of seeds {list(seeds)}")
    failures, rows = [], []
    for name in sorted({name for name, _ in statuses}):
        rows.append([name])
        for seed in seeds:
            if (status := statuses.get((name, seed))) and status["errors"]:
                extra = len(status["errors"]) - 1
                failures.append(f"\n\n[{len(failures) + 1}] {name}, seed {seed}: "
                                f"{describe(status['errors'][0])}"
                                + f" ({extra} more failing cell{'s' * (extra > 1)})" * (extra > 0))
            rows[-1].append("not run" if status is None else f"**FAIL** [{len(failures)}]"
                            if status["errors"] else f"pass ({status['seconds']:.0f} s)")
    seed_columns = "".join(f"|seed {s}" for s in seeds)
    command = f"make seeds SEEDS=\"{' '.join(map(str, seeds))}\"" + (
        f" SEEDS_PROFILE={profile}" if profile != "full" else "")
    passed = sum(not s["errors"] for s in statuses.values())
    output = Path(output or ROOT / "results" / ("SEEDS.md" if profile == "full" else
                                                f"SEEDS-{profile}.md"))
    output.write_text(
        f"# Seed sweep ({profile} profile)\n\nWritten by `{command}` (tools/seeds.py). "
        f"Each notebook ran once per seed with `COURSE_SEED` set, in a scratch copy; "
        f"**{passed} of {len(statuses)} runs passed**.\n"
        + (f"The sweep took {meta['seconds'] / 60:.0f} min of wall time ({meta['jobs']} "
           f"notebooks at a time, finished {meta['finished']}).\n" if meta else
           "Each cell is the latest run of that notebook at that seed (the runs may come "
           "from several sweeps).\n")
        + "\n## Notebooks\n\n" + markdown("notebook" + seed_columns, rows).rstrip("\n")
        + "".join(failures) + "\n\n## Models\n\nValidation score of every recorded "
        "model at each seed: mean, spread (min-max and standard deviation) and the book's "
        "figure where it has one.\n\n" + markdown(
            "notebook|model|metric|book|mean|min-max|std" + seed_columns,
            ([s.notebook, s.label, s.metric, f"{BOOK[s.name].value:g}" if s.name in BOOK
              else "", _fmt(s.mean), f"{_fmt(s.low)}-{_fmt(s.high)}", _fmt(s.std, s.mean),
              *(_fmt(s.values[seed]) if seed in s.values else "" for seed in seeds)]
             for s in spreads(profile, seeds, root))))
    return output


def adopt(seed: int, profile: str = "full", *, root: Path = SWEEP_DIR,
          target: Path = ROOT) -> list[str]:
    """Make one seed's sweep run the committed run: its executed notebooks replace
    ``notebooks/*.ipynb`` and its records ``results/<profile>/``; return the notebooks.

    The same code at the same seed is what ``make run`` would execute, so the sweep's run
    at seed 42 need not be repeated. Every notebook must have passed at that seed.
    """
    work, names = seed_dir(profile, seed, root), notebook_names()
    statuses = load_statuses(profile, [seed], root)
    problems = {"not run": [n for n in names if (n, seed) not in statuses],
                "failed": [n for n in names if statuses.get((n, seed), {}).get("errors")]}
    if any(problems.values()):
        raise ValueError(f"seed {seed} ({profile}) cannot be adopted: " + "; ".join(
            f"{what}: {', '.join(which)}" for what, which in problems.items() if which))
    for name in names:
        shutil.copyfile(work / "notebooks" / f"{name}.ipynb",
                        Path(target) / "notebooks" / f"{name}.ipynb")
    dest = Path(target) / "results" / profile
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(work / "results" / profile, dest,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", default="sweep",
                        choices=("sweep", "one", "report", "adopt"))
    parser.add_argument("name", nargs="?", choices=notebook_names(), metavar="NOTEBOOK",
                        help="the notebook of `one`")
    parser.add_argument("--seeds", help="seeds, e.g. \"42 7 123 2026\" (default: those of the "
                        "last sweep for `report`, else these four)")
    parser.add_argument("--seed", type=int, default=42, help="the seed of `one` or `adopt`")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="full")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks at once (default 2)")
    parser.add_argument("--notebooks", nargs="*", default=[],
                        help="numbers or names of the notebooks (default: all)")
    parser.add_argument("--work", type=Path, help="the work folder of `one`")
    args = parser.parse_args(argv)
    if args.command == "one":
        status = run_one(args.name, args.seed, args.profile, args.work)
        print("".join(f"  {describe(error)}\n" for error in status["errors"]), end="")
        return 1 if status["errors"] else 0
    if args.command == "adopt":
        print(f"adopted seed {args.seed} ({args.profile}): "
              f"{len(adopt(args.seed, args.profile))} notebooks and results/{args.profile}/")
        return 0
    try:
        seeds = parse_seeds(args.seeds) if args.seeds else None
        names = select_notebooks(args.notebooks)
    except ValueError as error:
        parser.error(str(error))
    if args.command == "report":
        print(f"wrote {write_report(args.profile, seeds).relative_to(ROOT)}")
        return 0
    seeds = seeds or list(DEFAULT_SEEDS)
    print(f"seed sweep: {len(names)} notebooks x seeds {seeds} ({args.profile}), "
          f"{args.jobs} at a time; work folders in {SWEEP_DIR.relative_to(ROOT)}/", flush=True)
    for seed in seeds:  # a notebook's earlier verdict must not survive a failed start
        for name in names:
            (seed_dir(args.profile, seed) / "status" / f"{name}.json").unlink(missing_ok=True)
    start = time.perf_counter()
    schedule.run_jobs(sweep_jobs(seeds, args.profile, names), args.jobs, keep_going=True,
                      log=lambda text: print(text, flush=True),
                      env={schedule.INTEROP_VAR: "1"} if args.jobs > 1
                      and schedule.INTEROP_VAR not in os.environ else {})
    seconds = time.perf_counter() - start
    write_json(SWEEP_DIR / args.profile / "sweep.json", {
        "seeds": seeds, "profile": args.profile, "notebooks": names, "jobs": args.jobs,
        "seconds": round(seconds), "finished": time.strftime("%Y-%m-%d %H:%M")})
    path, statuses = write_report(args.profile, seeds), load_statuses(args.profile, seeds)
    failed = sorted(f"{n}@{s}" for (n, s), status in statuses.items() if status["errors"])
    print(f"seed sweep: {len(statuses) - len(failed)} of {len(statuses)} runs passed in "
          f"{seconds / 60:.1f} min; report in {path.relative_to(ROOT)}"
          + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
