"""Every trained model's score and training time, recorded for the tables that compare them.

Notebooks call :func:`record` (directly, or through :func:`helpers.training.train`); each
call writes ``results/<profile>/models/<name>.json``. ``make results`` (:mod:`tools.report`)
turns the full profile's records into ``results/RESULTS.md``, next to the book's figures
(:data:`BOOK`: Géron, *Hands-On Machine Learning*, 2nd ed., ch. 15). Quick-profile
records go to ``results/quick/``, which git ignores.
"""

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from helpers import checks
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


def write_json(path: Path, data, **options) -> Path:
    """Write ``data`` as indented JSON to ``path`` (creating its folder); return the path."""
    text = json.dumps(data, indent=2, **options)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")
    return path


def forget_notebook(notebook: str, *, profile: str | None = None,
                    root: Path | None = None) -> list[str]:
    """Remove the model records that notebook ``notebook`` ("04" or "04_unstable_gradients")
    wrote, before it runs again: a model the notebook no longer trains must not stay on
    the leaderboard. Returns the names removed."""
    if not isinstance(notebook, str) or not re.fullmatch(r"\d\d(_\w+)?", notebook):
        raise ValueError(f"notebook must be like '04' or '04_unstable_gradients', got {notebook!r}")
    paths = [path for path in sorted((_dir(profile, root) / "models").glob("*.json"))
             if json.loads(path.read_text()).get("notebook") == notebook[:2]]
    for path in paths:
        path.unlink()
    return [path.stem for path in paths]


def record(name: str, *, value: float, params: int, seconds: float, notebook: str,
           metric: str = "val_mse", epochs: int | None = None, label: str | None = None,
           profile: str | None = None, root: Path | None = None, extra: dict | None = None
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
    entry = {"name": name, "label": label or name, "notebook": notebook, "metric": metric,
             "value": checks.number("value", value),
             "params": checks.integer("params", params, low=0),
             "seconds": round(checks.number("seconds", seconds, low=0), 2),
             "epochs": epochs, "profile": profile or PROFILE.name}
    if not isinstance(notebook, str) or not notebook:
        raise ValueError("notebook must name the notebook that trained the model, e.g. '01'")
    if checks.instance("extra", extra, (dict, type(None)), "a dict") is not None:
        entry["extra"] = extra
    try:  # JSON has no NaN or Infinity: value and seconds are checked, extra is not
        return write_json(_dir(profile, root) / "models" / f"{name}.json", entry, allow_nan=False)
    except ValueError:
        raise ValueError(f"extra must hold finite numbers only (JSON has no NaN or "
                         f"Infinity), got {extra!r}") from None


def value(name: str, *, profile: str | None = None, root: Path | None = None) -> float:
    """The recorded value of model ``name`` in the active profile (from an earlier notebook).

    Lets a notebook compare with a model trained by an earlier one without training it
    again. Raises ``FileNotFoundError`` naming what to run when there is no record yet.
    """
    path = _dir(profile, root) / "models" / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"no result recorded for {name!r} ({path}); run the notebook "
                                f"that trains it first")
    return float(json.loads(path.read_text())["value"])


CHAPTER_METRICS = ("val_mse", "val_last_time_step_mse")
"""Metrics of the chapter's generated series (notebooks 01-07 and 10): the main table's."""


def _all_records(profile: str, root: Path | None) -> list[dict]:
    return [json.loads(p.read_text())
            for p in sorted((_dir(profile, root) / "models").glob("*.json"))]


def load_records(profile: str = "full", root: Path | None = None) -> list[dict]:
    """The chapter's records of a profile (metrics in :data:`CHAPTER_METRICS`), ordered
    by notebook, then as in :data:`BOOK`, then by name."""
    order = {name: i for i, name in enumerate(BOOK)}
    return sorted((e for e in _all_records(profile, root) if e["metric"] in CHAPTER_METRICS),
                  key=lambda e: (e["notebook"], order.get(e["name"], len(order)), e["name"]))


def record_real(name: str, *, label: str, mae_first: float, mae_horizon: float,
                horizon: int, params: int, seconds: float, notebook: str = "08",
                profile: str | None = None, root: Path | None = None) -> Path:
    """Record a forecaster of notebook 08's real series under ``real_<name>``.

    ``mae_horizon`` (the test MAE in MW over the ``horizon`` values) is the recorded
    value; ``mae_first`` (the MAE of the first value) goes with it.
    """
    return record(f"real_{name}", value=checks.number("mae_horizon", mae_horizon, low=0),
                  params=params, seconds=seconds, notebook=notebook, metric="test_mae_mw",
                  label=label, profile=profile, root=root,
                  extra={"mae_first": checks.number("mae_first", mae_first, low=0),
                         "horizon": checks.integer("horizon", horizon)})


def other_records(profile: str = "full", root: Path | None = None) -> dict[str, list[dict]]:
    """Records outside the chapter's MSE table, by metric, each list ordered by value
    (best first: lowest error, highest accuracy)."""
    groups: dict[str, list[dict]] = {}
    for entry in sorted(_all_records(profile, root),
                        key=lambda e: -e["value"] if "accuracy" in e["metric"] else e["value"]):
        if entry["metric"] not in CHAPTER_METRICS:
            groups.setdefault(entry["metric"], []).append(entry)
    return dict(sorted(groups.items()))


TASKS: dict[str, str] = {
    "one_step": "one step ahead (MSE)",
    "ten_all": "10 steps ahead (MSE over the 10 values)",
    "ten_last": "10 steps ahead (MSE of the last value)",
}
"""The three tasks the chapter's models are scored on: last-step metrics score the 10-step
task's last value, other records whose name ends in ``_10`` all 10 values, the rest are
one-step forecasts."""


def leaderboard(profile: str = "full", root: Path | None = None) -> dict[str, list[dict]]:
    """Every record of ``profile`` by task (see :data:`TASKS`), best first.

    Each row is the record with ``"book"`` added: the book's figure or None.
    """
    board: dict[str, list[dict]] = {task: [] for task in TASKS}
    for entry in sorted(load_records(profile, root), key=lambda e: e["value"]):
        task = ("ten_last" if entry["metric"] == "val_last_time_step_mse" else
                "ten_all" if entry["name"].endswith("_10") else "one_step")
        book = BOOK.get(entry["name"])
        board[task].append({**entry, "book": book.value if book else None})
    return board


def leaderboard_text(board: dict[str, list[dict]]) -> str:
    """A plain-text table of :func:`leaderboard`'s rows, one block per task."""
    blocks = []
    for task, rows in board.items():
        lines = [TASKS[task], f"  {'model':<58} {'ours':>8} {'book':>7} {'params':>8} "
                              f"{'seconds':>8}"]
        for row in rows:
            book = "" if row["book"] is None else f"{row['book']:g}"
            lines.append(f"  {row['label'][:58]:<58} {row['value']:8.4f} {book:>7} "
                         f"{row['params']:>8,} {row['seconds']:8.1f}")
        blocks += ["\n".join(lines)] if rows else []
    return "\n\n".join(blocks)


LIMITS_FILE = "limits.json"


def save_limits(limits: dict[str, float], *, floor: float, n_series: int, seconds: float,
                profile: str | None = None, root: Path | None = None) -> Path:
    """Record the noise ``floor`` and the oracle's MSE per task (notebook 10).

    ``limits`` maps task names of :data:`TASKS` to the oracle's validation MSE on the
    first ``n_series`` validation series; ``make results`` prints them under the table.
    """
    if not isinstance(limits, dict) or not limits or set(limits) - set(TASKS):
        raise ValueError(f"limits must map tasks of {sorted(TASKS)} to MSEs, got {sorted(limits)}")
    entry = {"noise_floor": checks.number("floor", floor, low=0),
             "oracle": {k: checks.number(f"limits[{k!r}]", v) for k, v in limits.items()},
             "oracle_series": checks.integer("n_series", n_series),
             "oracle_seconds": round(checks.number("seconds", seconds, low=0), 1)}
    return write_json(_dir(profile, root) / LIMITS_FILE, entry)
