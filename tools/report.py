"""``results/RESULTS.md`` from the records of :mod:`helpers.results` (``make results``).

    python -m tools.report [--profile full]

Our validation MSE next to the book's figure, with parameters, training seconds and the
notebooks' wall times; the limits of notebook 10; the real series' and the classifiers'
tables; and, where a seed sweep ran (:mod:`tools.seeds`), each real-series forecaster's
spread over its seeds. It reads JSON files only and never loads TensorFlow: the versions
in the header come from the installed packages' metadata and the device from the
executed notebook 01's setup cell.
"""

import argparse
import json
import platform
import re
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from pathlib import Path

from helpers import results
from helpers.profile import get_profile


def markdown(columns: str, rows: Iterable[Iterable]) -> str:
    """A Markdown table: ``columns`` separated by ``|`` (a trailing ``:`` aligns the column
    right), then one line per row of cells."""
    names = columns.split("|")
    lines = ["| " + " | ".join(c.removesuffix(":") for c in names) + " |",
             "|" + "".join("---:|" if c.endswith(":") else "---|" for c in names)]
    return "\n".join(lines + ["| " + " | ".join(map(str, row)) + " |" for row in rows]) + "\n"


def _fmt_seconds(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{seconds:.1f} s"


def table(records: Iterable[dict], notebook_times: dict[str, float] | None = None) -> str:
    """The Markdown results table for ``records`` (see :func:`helpers.results.load_records`)."""
    rows, notes = [], []
    for e in records:
        book = results.BOOK.get(e["name"])
        if book is not None and book.note:
            notes.append(f"- {e['label']}: {book.note}.")
        metric = "" if e["metric"] == "val_mse" else f" ({e['metric']})"
        rows.append([e["notebook"], e["label"] + metric,
                     f"{e['value']:.{4 if e['value'] >= 0.002 else 5}f}",
                     "n/a" if book is None else f"{book.value:g}",
                     "n/a" if book is None else f"{e['value'] / book.value:.2f}",
                     f"{e['params']:,}", f"{e['seconds']:.1f} s"])
    text = markdown("notebook|model|our validation MSE:|book:|ours / book:|parameters:|"
                    "train time:", rows)
    text += "\n" + "\n".join(notes) + "\n" if notes else ""
    if notebook_times:
        per = ", ".join(f"{nb} {_fmt_seconds(s)}" for nb, s in sorted(notebook_times.items()))
        text += (f"\nNotebooks executed in {_fmt_seconds(sum(notebook_times.values()))} in "
                 f"all ({per}).\n")
    return text


def limits_text(entry: dict) -> str:
    """Markdown lines for the limits :func:`helpers.results.save_limits` recorded."""
    oracle = ", ".join(f"{results.TASKS[t]} {v:.5f}" for t, v in entry["oracle"].items())
    return (f"\nReferences: the noise floor (variance of the series' noise, the limit no "
            f"forecast beats) is {entry['noise_floor']:.5f}; the oracle (the generating "
            f"formula fitted to each series by least squares, an achievable error, on "
            f"{entry['oracle_series']} validation series) reaches {oracle}.\n")


def other_text(groups: dict[str, list[dict]], spreads: dict[str, list[float]] | None = None
               ) -> str:
    """Markdown tables for :func:`helpers.results.other_records`: the real series, then
    accuracies, then any other metric.

    ``spreads`` (optional) maps a real-series record's name to its values at the seeds of
    a sweep (:func:`tools.seeds.spreads`); the real-series table then shows their mean
    and range, so that two forecasters within each other's range read as a tie.
    """
    text = ""
    if real := groups.get("test_mae_mw", []):
        rows = []
        for e in real:
            values = (spreads or {}).get(e["name"])
            seeds = [] if spreads is None else [
                f"{sum(values) / len(values):.0f} ({min(values):.0f}-{max(values):.0f}, "
                f"{len(values)} seeds)" if values else "n/a"]
            rows.append([e["label"], f"{e.get('extra', {}).get('mae_first', float('nan')):.0f}",
                         f"{e['value']:.0f}", *seeds, f"{e['params']:,}",
                         f"{e['seconds']:.1f} s"])
        text += ("\n## A real series (notebook 08)\n\nHalf-hourly electricity demand "
                 "(pmdarima's `taylor`), test weeks 11-12: mean absolute error in MW of the "
                 f"first value (30 min ahead) and over the next "
                 f"{real[0].get('extra', {}).get('horizon', '?')} values.\n\n" + markdown(
                     "forecaster|MAE 30 min (MW):|MAE next day (MW):|" + (
                         "" if spreads is None else "next day over seeds: mean (range):|")
                     + "parameters:|train time:", rows))
    if accuracy := [e for metric, rows in groups.items() if "accuracy" in metric for e in rows]:
        rows = []
        for e in accuracy:
            base, name = (e.get("extra", {}).get(k) for k in ("baseline", "baseline_name"))
            baseline = "n/a" if base is None else f"{base:.3f}" + (f" ({name})" if name else "")
            rows.append([e["notebook"], e["label"], e["metric"], f"{e['value']:.3f}", baseline,
                         f"{e['params']:,}", f"{e['seconds']:.1f} s"])
        text += ("\n## Classifiers and sequence models (notebook 09)\n\n" + markdown(
            "notebook|model|metric|ours:|baseline:|parameters:|train time:", rows))
    for metric in (m for m in groups if m != "test_mae_mw" and "accuracy" not in m):
        text += f"\n## {metric}\n\n" + markdown("notebook|model|value:", (
            [e["notebook"], e["label"], f"{e['value']:.4g}"] for e in groups[metric]))
    return text


def covariate_text(sweep: Mapping[str, Mapping[int, float]]) -> str:
    """What notebook 08's calendar inputs change, per seed of the sweep (``sweep`` maps a
    record name to its value at each seed): one line per ``real_<model>_calendar`` whose
    plain ``real_<model>`` was recorded at the same seeds; "" when there is none."""
    lines = []
    for name, with_calendar in sorted(sweep.items()):
        plain = sweep.get(name.removesuffix("_calendar"), {}) if name.endswith("_calendar") else {}
        if change := {s: value - plain[s] for s, value in with_calendar.items() if s in plain}:
            lines.append(f"- `{name.removesuffix('_calendar')}`: "
                         + ", ".join(f"seed {s}: {d:+.0f}" for s, d in change.items())
                         + f" MW (mean {sum(change.values()) / len(change):+.0f}, "
                         f"{min(change.values()):+.0f} to {max(change.values()):+.0f})")
    return ("\n### Calendar inputs (notebook 08)\n\nNext-day test MAE with the four calendar "
            "channels minus without them, same recipe and seed (negative: the calendar "
            "helped):\n\n" + "\n".join(lines) + "\n") if lines else ""


def _measured_with(profile: str) -> str:
    """Versions from the installed packages, the device from notebook 01's setup output."""
    device = re.search(r'"(Device: [^"\\]*)', (results.ROOT / "notebooks" / "01_baselines.ipynb")
                       .read_text())
    return "\n".join([f"TensorFlow {version('tensorflow')}, Keras {version('keras')}, "
                      f"Python {platform.python_version()}", *(device.groups() if device else
                      ()), f"Profile: {get_profile(profile).describe()}"])


def write_table(profile: str = "full", root: Path | None = None) -> Path:
    """Write ``results/RESULTS.md`` (``RESULTS-<profile>.md`` for other profiles); with
    ``root`` None (the committed results), add the seed sweep's spreads where there are."""
    from tools.seeds import DEFAULT_SEEDS, spreads  # imported here: seeds imports us

    base = Path(root or results.RESULTS_DIR)
    if not (records := results.load_records(profile, base)):
        raise FileNotFoundError(f"no records in {base / profile / 'models'}: run the "
                                f"notebooks first (`make run`)")
    saved = {name: json.loads(path.read_text()) for name in ("notebooks.json", results.LIMITS_FILE)
             if (path := base / profile / name).exists()}
    sweep = {s.name: s.values for s in spreads(profile, DEFAULT_SEEDS)} if root is None else {}
    path = base / ("RESULTS.md" if profile == "full" else f"RESULTS-{profile}.md")
    path.write_text(
        "# Results\n\nValidation MSE of every model the notebooks train, next to the figure "
        "reported in *Hands-On Machine Learning* (A. Géron, 2nd ed., chapter 15). "
        f"Regenerate with `make results`.\n\nProfile `{profile}`. Measured with:\n\n```\n"
        f"{_measured_with(profile)}\n```\n\n" + table(records, saved.get("notebooks.json"))
        + (limits_text(saved[results.LIMITS_FILE]) if results.LIMITS_FILE in saved else "")
        + other_text(results.other_records(profile, base),
                     {n: list(v.values()) for n, v in sweep.items()} or None)
        + covariate_text(sweep))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", default="full", help="profile whose records to tabulate")
    print(f"wrote {write_table(parser.parse_args(argv).profile)}")


if __name__ == "__main__":
    main()
