"""Run the notebooks (and the test suites) several at a time, in an order that respects
what each notebook reads from another: ``make test`` and ``make run`` (two at a time
unless ``JOBS=1`` / ``RUN_JOBS=1``) call this.

    python -m tools.schedule test [--jobs 2]   # unit tests, nbval per notebook, browser
    python -m tools.schedule run [--jobs 2]    # every notebook in the full profile

Why two at a time: on a CPU the course runs each TensorFlow op on one thread (see
:mod:`helpers`) and, side by side, each job's independent ops one after the other
(:data:`INTEROP_VAR`), so one notebook keeps about one core busy, and a 2-core machine
runs two notebooks in less time than one after the other. Some notebooks read what an
earlier one recorded in ``results/`` (:data:`AFTER`); a job starts only when those have
finished, and among the jobs that can start, the one heading the longest chain of work
goes first (by expected durations: :data:`TEST_SECONDS`, or the last full run's
``results/full/notebooks.json``), unless it would keep a more urgent job waiting
(:func:`holds_back`). Each job's output is printed in one piece when it ends.
"""

import argparse
import graphlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from helpers import checks
from tools.navigation import ROOT, notebook_names

AFTER: dict[str, tuple[str, ...]] = {
    "02_simple_and_deep_rnns": ("01_baselines",),  # compares with 01's linear model
    "04_unstable_gradients": ("03_multistep_forecasting",),  # with 03's seq-to-seq RNN
    "05_lstm": ("03_multistep_forecasting",),  # the same
    "06_gru_conv1d_and_memory": ("03_multistep_forecasting", "05_lstm"),
    "07_wavenet": ("03_multistep_forecasting", "06_gru_conv1d_and_memory"),  # + memory spans
    "10_going_further": ("01_baselines", "02_simple_and_deep_rnns",
                         "03_multistep_forecasting", "04_unstable_gradients",
                         "05_lstm", "06_gru_conv1d_and_memory",
                         "07_wavenet"),  # the leaderboard
}
"""Notebook -> the notebooks whose records in ``results/`` it reads (tests/test_schedule.py
checks this against the notebooks' code)."""

TEST_SECONDS = {
    "01_baselines": 10, "02_simple_and_deep_rnns": 32, "03_multistep_forecasting": 44,
    "04_unstable_gradients": 34, "05_lstm": 30, "06_gru_conv1d_and_memory": 41,
    "07_wavenet": 50, "08_real_series": 37, "09_exercises": 37, "10_going_further": 20,
    "11_playground": 11, "unit": 117, "browser": 36}
"""Expected seconds of each job of ``make test``, two at a time on 2 cores (for the order
only; ``make run`` takes its expected durations from ``results/full/notebooks.json``)."""

INTEROP_VAR = "TF_NUM_INTEROP_THREADS"
"""Set to 1 for every job when several run at a time (unless already set): TensorFlow
then runs a job's independent ops one after the other instead of on a second thread,
which would only compete with the other job for the two cores."""


@dataclass
class Job:
    """One command to run, the jobs it must wait for, and its expected duration."""

    name: str
    command: list[str]
    after: tuple[str, ...] = ()
    expected: float = 60.0


def expected_seconds() -> dict[str, float]:
    """Each notebook's last full-profile wall time (empty if never run)."""
    path = ROOT / "results" / "full" / "notebooks.json"
    return json.loads(path.read_text()) if path.exists() else {}


def check(jobs: Mapping[str, Job]) -> list[str]:
    """The jobs in an order where each comes after those it waits for; ValueError if a
    job waits for an unknown job or the waits form a cycle."""
    for job in jobs.values():
        if unknown := [name for name in job.after if name not in jobs]:
            raise ValueError(f"job {job.name!r} waits for unknown jobs {unknown}")
    try:
        return [*graphlib.TopologicalSorter({n: j.after for n, j in jobs.items()}).static_order()]
    except graphlib.CycleError as error:
        raise ValueError(f"the jobs {sorted(set(error.args[1]))} wait for each other (a cycle)"
                         ) from None


def priorities(jobs: Mapping[str, Job]) -> dict[str, float]:
    """For each job, its expected time plus the longest chain of jobs that wait on it."""
    chain: dict[str, float] = {}
    for name in reversed(check(jobs)):  # those waiting on a job are ranked before it
        chain[name] = jobs[name].expected + max(
            (chain[j.name] for j in jobs.values() if name in j.after), default=0.0)
    return chain


def holds_back(candidate: str, jobs: Mapping[str, Job], pending: Sequence[str],
               remaining: Mapping[str, float], done: set[str]) -> bool:
    """Whether starting ``candidate`` now would keep a more urgent job waiting.

    ``pending`` lists the jobs not started yet, most urgent first; ``remaining`` gives
    each running job's expected seconds left; ``done`` the jobs that have ended. The jobs
    ahead of ``candidate`` that wait only for running jobs will be ready once those end,
    which frees one slot per job they wait for. If they outnumber those slots, one of
    them needs the slot ``candidate`` would take, so ``candidate`` starts only if it is
    expected to end before they are ready.
    """
    soon = [jobs[name].after for name in pending[:pending.index(candidate)]
            if any(dep in remaining for dep in jobs[name].after)
            and all(dep in done or dep in remaining for dep in jobs[name].after)]
    if len(soon) <= len({dep for after in soon for dep in after if dep in remaining}):
        return False
    ready_in = min(max(remaining[dep] for dep in after if dep in remaining) for after in soon)
    return jobs[candidate].expected > ready_in


def run_jobs(jobs: Mapping[str, Job], n_parallel: int = 2, *, log=print,
             env: Mapping[str, str] | None = None, keep_going: bool = False) -> dict[str, int]:
    """Run ``jobs`` (``n_parallel`` at a time, with ``env`` added to their environment);
    return each job's exit status.

    A job whose prerequisites failed is not run (status -1), unless ``keep_going``: then
    it runs once they have ended, whatever their status (a seed sweep wants every
    notebook's verdict). Output goes to a temporary file per job and is printed through
    ``log`` when the job ends.
    """
    checks.integer("n_parallel", n_parallel)
    rank = priorities(jobs)
    pending = sorted(jobs, key=lambda name: -rank[name])
    running, status, start_all = {}, {}, time.perf_counter()
    while pending or running:
        for name in list(pending):
            job, now = jobs[name], time.perf_counter()
            left = {n: max(0.0, jobs[n].expected - (now - t)) for n, (_, _, t) in running.items()}
            failed = [] if keep_going else [dep for dep in job.after if status.get(dep)]
            if failed:
                pending.remove(name)
                status[name] = -1
                log(f"[{name}] not run: {', '.join(failed)} failed")
            elif (len(running) < n_parallel and all(dep in status for dep in job.after)
                  and not holds_back(name, jobs, pending, left, set(status))):
                pending.remove(name)
                out = tempfile.TemporaryFile(mode="w+")
                running[name] = (subprocess.Popen(job.command, stdout=out, stderr=subprocess.STDOUT,
                                                  cwd=ROOT, env={**os.environ, **(env or {})}),
                                 out, now)
                log(f"[{name}] started at {time.strftime('%H:%M:%S')}")
        time.sleep(0.2)
        for name, (proc, out, started) in list(running.items()):
            if (code := proc.poll()) is not None:
                del running[name]
                status[name], now = code, time.perf_counter()
                out.seek(0)
                log(f"[{name}] {'ok' if code == 0 else f'FAILED (exit {code})'} in "
                    f"{now - started:.0f} s ({now - start_all:.0f} s since the start)\n"
                    f"{out.read().rstrip()}\n")
                out.close()
    return status


def make_jobs(kind: str, python: str = sys.executable,
              nbval_args: Sequence[str] = ()) -> dict[str, Job]:
    """The jobs of ``make test`` (``kind="test"``) or ``make run`` (``kind="run"``)."""
    times = TEST_SECONDS if kind == "test" else expected_seconds()
    pytest = [python, "-m", "pytest", "-p", "no:cacheprovider"]
    commands = {name: [*pytest, *nbval_args, "--durations=5", f"notebooks/{name}.ipynb"]
                if kind == "test" else [python, "-u", "-m", "tools.run",
                                        f"notebooks/{name}.ipynb", "--profile", "full"]
                for name in notebook_names()}
    if kind == "test":
        commands |= {"unit": [*pytest, "--durations=10", "tests", "--ignore=tests/browser"],
                     "browser": [*pytest, "-rs", "tests/browser"]}
    return {name: Job(name, command, AFTER.get(name, ()), float(times.get(name, 60.0)))
            for name, command in commands.items()}


def job_env(kind: str, n_parallel: int, environ: Mapping[str, str] = os.environ
            ) -> dict[str, str]:
    """The variables added to each job's environment: its profile (quick for ``test``,
    full for ``run``) and, when jobs run side by side, :data:`INTEROP_VAR` = 1 unless
    ``environ`` already sets it."""
    env = {"COURSE_PROFILE": "quick" if kind == "test" else "full"}
    return env | ({INTEROP_VAR: "1"} if n_parallel > 1 and INTEROP_VAR not in environ else {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=("test", "run"))
    parser.add_argument("--jobs", type=int, default=2, help="jobs at once (default 2)")
    parser.add_argument("--nbval", default="--nbval-lax --nbval-current-env",
                        help="pytest options for the notebooks (make test)")
    args, start = parser.parse_args(argv), time.perf_counter()
    jobs = make_jobs(args.kind, nbval_args=args.nbval.split())
    status = run_jobs(jobs, args.jobs, log=lambda text: print(text, flush=True),
                      env=job_env(args.kind, args.jobs))
    failed = [name for name, code in status.items() if code != 0]
    print(f"{args.kind}: {len(jobs) - len(failed)} of {len(jobs)} jobs passed in "
          f"{time.perf_counter() - start:.0f} s" + (f"; failed: {', '.join(failed)}"
                                                     if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
