"""Every trained model's score and training time, and the table that compares them.

Notebooks call :func:`record` (directly, or through :func:`helpers.training.train`); each
call writes ``results/<profile>/models/<name>.json``. ``python -m helpers.results``
(``make results``) turns the full profile's records into ``results/RESULTS.md``: our
validation MSE next to the book's figure (Géron, *Hands-On Machine Learning*, 2nd ed.,
ch. 15), with parameters, training seconds and the notebooks' total wall time.
Quick-profile records go to ``results/quick/``, which git ignores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import isfinite
from numbers import Real
from pathlib import Path

from helpers.profile import PROFILE

ROOT = Path(__file__).resolve().parent.parent
WORK_VAR = "COURSE_WORK_DIR"
WORK_DIR = Path(os.environ.get(WORK_VAR, "").strip() or ROOT).resolve()
"""Where a run writes: ``results/``, ``logs/`` and ``images/`` below it. The repository
by default; ``make seeds`` points ``$COURSE_WORK_DIR`` at a scratch folder per seed, so a
sweep never touches the committed results."""
RESULTS_DIR = WORK_DIR / "results"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


@dataclass(frozen=True)
class BookFigure:
    value: float
    note: str = ""


# Validation MSEs reported in the book (SYLLABUS sections 6-8), keyed by the names the
# notebooks record under.
BOOK: dict[str, BookFigure] = {
    "naive": BookFigure(0.020),
    "linear": BookFigure(0.004),
    "simple_rnn": BookFigure(0.014),
    "deep_rnn": BookFigure(0.003),
    "deep_rnn_dense": BookFigure(0.003, "book: about the same as the deep RNN"),
    "iterative_10": BookFigure(0.029),
    "naive_10": BookFigure(0.26, "book prints 0.223, a bug; the correct figure is ~0.26"),
    "linear_10": BookFigure(0.0188),
    "seq2vec_10": BookFigure(0.008),
    "seq2seq_10": BookFigure(0.006, "last-time-step MSE"),
}


def _dir(profile: str | None, root: Path | None) -> Path:
    return Path(root or RESULTS_DIR) / (profile or PROFILE.name)


def forget_notebook(notebook: str, *, profile: str | None = None,
                    root: Path | None = None) -> list[str]:
    """Remove the model records that notebook ``notebook`` ("04" or "04_unstable_gradients")
    wrote, before it runs again: a model the notebook no longer trains must not stay on
    the leaderboard. Returns the names removed."""
    if not isinstance(notebook, str) or not re.fullmatch(r"\d\d(_\w+)?", notebook):
        raise ValueError(f"notebook must be like '04' or '04_unstable_gradients', got "
                         f"{notebook!r}")
    removed = []
    for path in sorted((_dir(profile, root) / "models").glob("*.json")):
        if json.loads(path.read_text()).get("notebook") == notebook[:2]:
            path.unlink()
            removed.append(path.stem)
    return removed


def record(
    name: str,
    *,
    value: float,
    params: int,
    seconds: float,
    notebook: str,
    metric: str = "val_mse",
    epochs: int | None = None,
    label: str | None = None,
    profile: str | None = None,
    root: Path | None = None,
    extra: dict | None = None,
) -> Path:
    """Write one model's result to ``results/<profile>/models/<name>.json``; return the path.

    ``name`` is a lowercase id (``"linear"``, ``"deep_rnn"``); it is also the key of the
    book's figure in :data:`BOOK`. ``label`` is the human-readable name for the table.
    ``metric`` names what ``value`` is: the chapter's MSEs (:data:`CHAPTER_METRICS`) go
    to the main table, others (``"test_mae_mw"``, ``"test_accuracy"``) to their own
    tables. ``extra`` holds further JSON-serialisable figures (a baseline, a horizon).
    ``value``, ``seconds`` and the numbers in ``extra`` must be finite.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name must be a lowercase id like 'deep_rnn', got {name!r}")
    for arg, number in (("value", value), ("seconds", seconds)):
        if isinstance(number, bool) or not isinstance(number, Real):
            raise TypeError(f"{arg} must be a real number, got {number!r}")
        if not isfinite(number):  # JSON would get NaN or Infinity, not a number
            raise ValueError(f"{arg} must be a finite number, got {number!r}")
    if seconds < 0:
        raise ValueError(f"seconds must be >= 0, got {seconds}")
    if isinstance(params, bool) or not isinstance(params, int) or params < 0:
        raise ValueError(f"params must be an int >= 0, got {params!r}")
    if not isinstance(notebook, str) or not notebook:
        raise ValueError("notebook must name the notebook that trained the model, e.g. '01'")
    entry = {
        "name": name,
        "label": label or name,
        "notebook": notebook,
        "metric": metric,
        "value": float(value),
        "params": params,
        "seconds": round(float(seconds), 2),
        "epochs": epochs,
        "profile": profile or PROFILE.name,
    }
    if extra is not None:
        if not isinstance(extra, dict):
            raise TypeError(f"extra must be a dict, got {type(extra).__name__}")
        try:
            entry["extra"] = json.loads(json.dumps(extra, allow_nan=False))
        except ValueError:
            raise ValueError(f"extra must hold finite numbers only (JSON has no NaN or "
                             f"Infinity), got {extra!r}") from None
    folder = _dir(profile, root) / "models"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(entry, indent=2) + "\n")
    return path


def value(name: str, *, profile: str | None = None, root: Path | None = None) -> float:
    """The recorded value of model ``name`` in the active profile (from an earlier notebook).

    Lets a notebook compare with a model trained by an earlier one without training it
    again. Raises ``FileNotFoundError`` naming what to run when there is no record yet.
    """
    path = _dir(profile, root) / "models" / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(
            f"no result recorded for {name!r} in the {profile or PROFILE.name!r} profile "
            f"({path}); run the notebook that trains it first"
        )
    return float(json.loads(path.read_text())["value"])


CHAPTER_METRICS = ("val_mse", "val_last_time_step_mse")
"""Metrics of the chapter's generated series (notebooks 01-07 and 10): the main table's."""


def _all_records(profile: str, root: Path | None) -> list[dict]:
    folder = _dir(profile, root) / "models"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def load_records(profile: str = "full", root: Path | None = None) -> list[dict]:
    """The chapter's records of a profile (metrics in :data:`CHAPTER_METRICS`), ordered
    by notebook, then as in :data:`BOOK`, then by name."""
    entries = [e for e in _all_records(profile, root) if e["metric"] in CHAPTER_METRICS]
    order = {name: i for i, name in enumerate(BOOK)}
    return sorted(entries, key=lambda e: (e["notebook"], order.get(e["name"], len(order)),
                                          e["name"]))


def record_real(name: str, *, label: str, mae_first: float, mae_horizon: float,
                horizon: int, params: int, seconds: float, notebook: str = "08",
                profile: str | None = None, root: Path | None = None) -> Path:
    """Record a forecaster of notebook 08's real series under ``real_<name>``.

    ``mae_horizon`` (the test MAE in MW over the ``horizon`` values) is the recorded
    value; ``mae_first`` (the MAE of the first value) goes with it.
    """
    for arg, number in (("mae_first", mae_first), ("mae_horizon", mae_horizon)):
        if isinstance(number, bool) or not isinstance(number, Real) or not number >= 0:
            raise ValueError(f"{arg} must be a number >= 0, got {number!r}")
    return record(f"real_{name}", value=float(mae_horizon), params=params, seconds=seconds,
                  notebook=notebook, metric="test_mae_mw", label=label, profile=profile,
                  root=root, extra={"mae_first": float(mae_first), "horizon": int(horizon)})


def other_records(profile: str = "full", root: Path | None = None) -> dict[str, list[dict]]:
    """Records outside the chapter's MSE table, by metric, each list ordered by value
    (best first: lowest error, highest accuracy)."""
    groups: dict[str, list[dict]] = {}
    for entry in _all_records(profile, root):
        if entry["metric"] not in CHAPTER_METRICS:
            groups.setdefault(entry["metric"], []).append(entry)
    for metric, rows in groups.items():
        rows.sort(key=lambda e: -e["value"] if "accuracy" in metric else e["value"])
    return dict(sorted(groups.items()))


def other_text(groups: dict[str, list[dict]], spreads: dict[str, list[float]] | None = None
               ) -> str:
    """Markdown tables for :func:`other_records`: the real series, then accuracies.

    ``spreads`` (optional) maps a real-series record's name to its values at the seeds of
    a sweep (:func:`tools.seeds.spreads`); the real-series table then shows their mean
    and range, so that two forecasters within each other's range read as a tie.
    """
    if spreads is not None and not isinstance(spreads, dict):
        raise TypeError(f"spreads must be a dict of name -> values, got "
                        f"{type(spreads).__name__}")
    text = ""
    real = groups.get("test_mae_mw", [])
    if real:
        horizon = real[0].get("extra", {}).get("horizon", "?")
        seeds_head, seeds_rule = ("", "") if spreads is None else (
            " next day over seeds: mean (range) |", "---:|")
        text += (
            "\n## A real series (notebook 08)\n\nHalf-hourly electricity demand "
            "(pmdarima's `taylor`), test weeks 11-12: mean absolute error in MW of the "
            f"first value (30 min ahead) and over the next {horizon} values.\n\n"
            f"| forecaster | MAE 30 min (MW) | MAE next day (MW) |{seeds_head} parameters "
            f"| train time |\n|---|---:|---:|{seeds_rule}---:|---:|\n")
        for e in real:
            seeds_cell = ""
            if spreads is not None:
                values = [float(v) for v in spreads.get(e["name"], ())]
                seeds_cell = (f" {sum(values) / len(values):.0f} ({min(values):.0f}-"
                              f"{max(values):.0f}, {len(values)} seeds) |" if values
                              else " n/a |")
            text += (f"| {e['label']} | {e.get('extra', {}).get('mae_first', float('nan')):.0f} "
                     f"| {e['value']:.0f} |{seeds_cell} {e['params']:,} | "
                     f"{e['seconds']:.1f} s |\n")
    accuracy = [e for metric, rows in groups.items() if "accuracy" in metric for e in rows]
    if accuracy:
        text += ("\n## Classifiers and sequence models (notebook 09)\n\n"
                 "| notebook | model | metric | ours | baseline | parameters | train time |\n"
                 "|---|---|---|---:|---:|---:|---:|\n")
        for e in accuracy:
            base = e.get("extra", {}).get("baseline")
            base_cell = "n/a" if base is None else f"{base:.3f}"
            name = e.get("extra", {}).get("baseline_name")
            if name and base is not None:
                base_cell += f" ({name})"
            text += (f"| {e['notebook']} | {e['label']} | {e['metric']} | {e['value']:.3f} | "
                     f"{base_cell} | {e['params']:,} | {e['seconds']:.1f} s |\n")
    rest = [m for m in groups if m != "test_mae_mw" and "accuracy" not in m]
    for metric in rest:
        text += f"\n## {metric}\n\n| notebook | model | value |\n|---|---|---:|\n"
        for e in groups[metric]:
            text += f"| {e['notebook']} | {e['label']} | {e['value']:.4g} |\n"
    return text


def record_notebook_time(notebook: str, seconds: float, *, profile: str | None = None,
                         root: Path | None = None) -> None:
    """Remember how long a whole notebook took to execute (used by ``make run``).

    ``make run`` executes two notebooks at a time, so the file is read and
    rewritten under a lock (and replaced in one step): two notebooks ending together
    both count.
    """
    import fcntl

    path = _dir(profile, root) / "notebooks.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        times = json.loads(path.read_text()) if path.exists() else {}
        times[notebook] = round(float(seconds), 1)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(dict(sorted(times.items())), indent=2) + "\n")
        tmp.replace(path)


TASKS: dict[str, str] = {
    "one_step": "one step ahead (MSE)",
    "ten_all": "10 steps ahead (MSE over the 10 values)",
    "ten_last": "10 steps ahead (MSE of the last value)",
}
"""The three tasks the chapter's models are scored on, as :func:`task_of` names them."""


def task_of(entry: dict) -> str:
    """Which of :data:`TASKS` a record scores: by its metric, then by its name.

    Last-step metrics score the 10-step task's last value; other records whose name ends
    in ``_10`` score all 10 values; the rest are one-step forecasts.
    """
    if entry["metric"] == "val_last_time_step_mse":
        return "ten_last"
    return "ten_all" if entry["name"].endswith("_10") else "one_step"


def leaderboard(profile: str = "full", root: Path | None = None) -> dict[str, list[dict]]:
    """Every record of ``profile`` by task (see :data:`TASKS`), best first.

    Each row is the record with ``"book"`` added: the book's figure or None.
    """
    board: dict[str, list[dict]] = {task: [] for task in TASKS}
    for entry in load_records(profile, root):
        book = BOOK.get(entry["name"])
        board[task_of(entry)].append({**entry, "book": book.value if book else None})
    for rows in board.values():
        rows.sort(key=lambda row: row["value"])
    return board


def leaderboard_text(board: dict[str, list[dict]]) -> str:
    """A plain-text table of :func:`leaderboard`'s rows, one block per task."""
    blocks = []
    for task, rows in board.items():
        if not rows:
            continue
        lines = [TASKS[task], f"  {'model':<58} {'ours':>8} {'book':>7} {'params':>8} "
                              f"{'seconds':>8}"]
        for row in rows:
            book = "" if row["book"] is None else f"{row['book']:g}"
            lines.append(f"  {row['label'][:58]:<58} {row['value']:8.4f} {book:>7} "
                         f"{row['params']:>8,} {row['seconds']:8.1f}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


LIMITS_FILE = "limits.json"


def save_limits(limits: dict[str, float], *, floor: float, n_series: int, seconds: float,
                profile: str | None = None, root: Path | None = None) -> Path:
    """Record the noise ``floor`` and the oracle's MSE per task (notebook 10).

    ``limits`` maps task names of :data:`TASKS` to the oracle's validation MSE on the
    first ``n_series`` validation series; :func:`write_table` prints them under the table.
    """
    unknown = set(limits) - set(TASKS)
    if not limits or unknown:
        raise ValueError(f"limits must map tasks of {sorted(TASKS)} to MSEs, got "
                         f"{sorted(limits)}")
    entry = {"noise_floor": float(floor), "oracle": {k: float(v) for k, v in limits.items()},
             "oracle_series": int(n_series), "oracle_seconds": round(float(seconds), 1)}
    path = _dir(profile, root) / LIMITS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entry, indent=2) + "\n")
    return path


def limits_text(entry: dict) -> str:
    """Markdown lines for the limits :func:`save_limits` recorded."""
    oracle = ", ".join(f"{TASKS[task]} {value:.5f}" for task, value in entry["oracle"].items())
    return (f"\nReferences: the noise floor (variance of the series' noise, the limit no "
            f"forecast beats) is {entry['noise_floor']:.5f}; the oracle (the generating "
            f"formula fitted to each series by least squares, an achievable error, on "
            f"{entry['oracle_series']} validation series) reaches {oracle}.\n")


def _fmt_seconds(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{seconds:.1f} s"


def table(records: Iterable[dict], notebook_times: dict[str, float] | None = None) -> str:
    """The Markdown results table for ``records`` (see :func:`load_records`)."""
    lines = [
        "| notebook | model | our validation MSE | book | ours / book | parameters | train time |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for entry in records:
        book = BOOK.get(entry["name"])
        book_cell = ratio_cell = "n/a"
        if book is not None:
            book_cell = f"{book.value:g}"
            ratio_cell = f"{entry['value'] / book.value:.2f}"
            if book.note:
                notes.append(f"- {entry['label']}: {book.note}.")
        metric = "" if entry["metric"] == "val_mse" else f" ({entry['metric']})"
        lines.append(
            f"| {entry['notebook']} | {entry['label']}{metric} | "
            f"{entry['value']:.{4 if entry['value'] >= 0.002 else 5}f} | "
            f"{book_cell} | {ratio_cell} | {entry['params']:,} | {entry['seconds']:.1f} s |"
        )
    text = "\n".join(lines) + "\n"
    if notes:
        text += "\n" + "\n".join(notes) + "\n"
    if notebook_times:
        total = sum(notebook_times.values())
        per = ", ".join(f"{nb} {_fmt_seconds(s)}" for nb, s in sorted(notebook_times.items()))
        text += f"\nNotebooks executed in {_fmt_seconds(total)} in all ({per}).\n"
    return text


def write_table(profile: str = "full", root: Path | None = None) -> Path:
    """Write ``results/RESULTS.md`` (``RESULTS-<profile>.md`` for other profiles)."""
    base = Path(root or RESULTS_DIR)
    records = load_records(profile, base)
    if not records:
        raise FileNotFoundError(
            f"no records in {base / profile / 'models'}: run the notebooks first "
            f"(`make run`)"
        )
    times_path = base / profile / "notebooks.json"
    times = json.loads(times_path.read_text()) if times_path.exists() else None
    from helpers.device import report  # imported here: it loads TensorFlow

    header = (
        "# Results\n\n"
        "Validation MSE of every model the notebooks train, next to the figure reported in "
        "*Hands-On Machine Learning* (A. Géron, 2nd ed., chapter 15). Regenerate with "
        "`make results`.\n\n"
        f"Profile `{profile}`. Measured with:\n\n```\n{report()}\n```\n\n"
    )
    name = "RESULTS.md" if profile == "full" else f"RESULTS-{profile}.md"
    path = base / name
    limits_path = base / profile / LIMITS_FILE
    limits = limits_text(json.loads(limits_path.read_text())) if limits_path.exists() else ""
    sweep: dict[str, dict[int, float]] = {}
    if root is None:  # the committed results: add the seed sweep's spread where there is one
        from tools.seeds import DEFAULT_SEEDS, spreads  # imported here: seeds imports us
        sweep = {s.name: s.values for s in spreads(profile, DEFAULT_SEEDS)}
    path.write_text(header + table(records, times) + limits + other_text(
        other_records(profile, base), {n: list(v.values()) for n, v in sweep.items()} or None)
        + covariate_text(sweep))
    return path


def covariate_text(sweep: Mapping[str, Mapping[int, float]]) -> str:
    """What notebook 08's calendar inputs change, per seed of the sweep (``sweep`` maps a
    record name to its value at each seed): one line per ``real_<model>_calendar`` whose
    plain ``real_<model>`` was recorded at the same seeds; "" when there is none."""
    lines = []
    for name, with_calendar in sorted(sweep.items()):
        plain = sweep.get(name.removesuffix("_calendar"))
        if not name.endswith("_calendar") or not plain:
            continue
        seeds = [s for s in with_calendar if s in plain]
        if not seeds:
            continue
        change = {s: with_calendar[s] - plain[s] for s in seeds}
        mean = sum(change.values()) / len(change)
        lines.append(f"- `{name.removesuffix('_calendar')}`: "
                     + ", ".join(f"seed {s}: {d:+.0f}" for s, d in change.items())
                     + f" MW (mean {mean:+.0f}, {min(change.values()):+.0f} to "
                     f"{max(change.values()):+.0f})")
    if not lines:
        return ""
    return ("\n### Calendar inputs (notebook 08)\n\nNext-day test MAE with the four calendar "
            "channels minus without them, same recipe and seed (negative: the calendar "
            "helped):\n\n" + "\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=write_table.__doc__)
    parser.add_argument("--profile", default="full", help="profile whose records to tabulate")
    args = parser.parse_args(argv)
    print(f"wrote {write_table(args.profile)}")


if __name__ == "__main__":
    main()
