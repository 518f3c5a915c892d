"""The seed knob (COURSE_SEED) and the seed sweep's report (tools.seeds)."""

import json
from dataclasses import replace

import nbformat
import numpy as np
import pytest

from helpers import data
from helpers import profile as prof
from tools import seeds

# --- the seed knob ----------------------------------------------------------------------

def test_seed_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(prof.SEED_VAR, raising=False)
    assert prof.get_profile("quick").seed == 42
    monkeypatch.setenv(prof.SEED_VAR, " 7 ")
    assert prof.get_profile("quick").seed == 7
    assert prof.get_profile("full").seed == 7
    assert prof.get_profile("quick", seed=3).seed == 3  # an explicit seed wins
    assert "seed 7" in prof.get_profile("quick").describe()


@pytest.mark.parametrize("text", ["seven", "1.5", "-1", str(2**31)])
def test_bad_seed_is_a_clear_error(monkeypatch, text):
    monkeypatch.setenv(prof.SEED_VAR, text)
    with pytest.raises(ValueError, match="COURSE_SEED"):
        prof.get_profile("quick")


def test_seed_for_derives_distinct_streams():
    p = prof.get_profile("quick", seed=42)
    assert p.seed_for(0) == 42 and p.seed_for(1) == 43
    assert prof.get_profile("quick", seed=7).seed_for(1) == 8
    for bad in (-1, 10_000):
        with pytest.raises(ValueError, match="offset"):
            p.seed_for(bad)
    for bad in (1.0, True):
        with pytest.raises(TypeError, match="offset"):
            p.seed_for(bad)
    with pytest.raises(ValueError, match="Profile.seed"):
        prof.Profile("x", n_series=10, n_train=5, n_valid=2, epochs=1, seed=-3)


def test_two_seeds_give_different_data_and_one_seed_the_same():
    small = prof.Profile("tiny", n_series=20, n_train=10, n_valid=5, epochs=1)
    one, again, other = (data.load("vector", profile=replace(small, seed=seed))
                         for seed in (7, 7, 8))
    for a, b in zip(one, again):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(one.X_train, other.X_train)


# --- the sweep --------------------------------------------------------------------------

def test_parse_seeds():
    assert seeds.parse_seeds("42 7, 123") == [42, 7, 123]
    assert seeds.parse_seeds([1, 2]) == [1, 2]
    for bad, message in (("", "empty"), ("4 x", "whole numbers"), ("1 1", "twice"),
                         ("-2", "from 0")):
        with pytest.raises(ValueError, match=message):
            seeds.parse_seeds(bad)


def test_select_notebooks():
    names = seeds.select_notebooks([])
    assert names and "00_index" not in names
    assert seeds.select_notebooks(["03", "01"]) == [n for n in names if n[:2] in ("01", "03")]
    with pytest.raises(ValueError, match="no notebook '99'"):
        seeds.select_notebooks(["99"])


def test_jobs_wait_within_their_seed_only():
    names = seeds.select_notebooks(["01", "02", "03", "04"])
    jobs = seeds.sweep_jobs([42, 7], "quick", names, python="py")
    assert len(jobs) == 8
    assert jobs["02_simple_and_deep_rnns@7"].after == ("01_baselines@7",)
    assert jobs["04_unstable_gradients@42"].after == ("03_multistep_forecasting@42",)
    assert jobs["01_baselines@7"].command[-6:] == ["--seed", "7", "--profile", "quick",
                                                   "--work", jobs["01_baselines@7"]
                                                   .command[-1]]
    only = seeds.sweep_jobs([1], "quick", ["04_unstable_gradients"], python="py")
    assert only["04_unstable_gradients@1"].after == ()  # its prerequisite is not swept


TRACEBACK = [
    "\x1b[0;31m---------------------------------------------------------------------------"
    "\x1b[0m",
    "\x1b[0;31mAssertionError\x1b[0m                            Traceback (most recent call "
    "last)",
    "Cell \x1b[0;32mIn[26], line 3\x1b[0m\n\x1b[1;32m      1\x1b[0m x \x1b[38;5;241m=\x1b[39m "
    "\x1b[38;5;241m1\x1b[39m\n\x1b[0;32m----> 3\x1b[0m \x1b[38;5;28;01massert\x1b[39;00m "
    "measured[\x1b[38;5;124m\"linear\"\x1b[39m] \x1b[38;5;241m<\x1b[39m 0.1",
    "\x1b[0;31mAssertionError\x1b[0m: ",
]


def test_failing_line_reads_the_cell_line_of_an_ipython_traceback():
    assert seeds.failing_line(TRACEBACK) == 'assert measured["linear"] < 0.1'
    assert seeds.failing_line(["no arrow here"]) == ""


def _executed(errors=()):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    for ename, evalue, traceback in errors:
        cell = nbformat.v4.new_code_cell("assert False")
        cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                               traceback=traceback)]
        nb.cells.append(cell)
    return nb


def test_cell_errors_lists_every_error_with_its_line():
    nb = _executed([("AssertionError", "", TRACEBACK),
                    ("NameError", "name 'x' is not defined\nmore", ["boom"])])
    errors = seeds.cell_errors(nb)
    assert [e["cell"] for e in errors] == [2, 3]
    assert errors[0]["line"] == 'assert measured["linear"] < 0.1'
    assert errors[1] == {"cell": 3, "ename": "NameError",
                         "evalue": "name 'x' is not defined", "line": ""}
    assert seeds.cell_errors(_executed()) == []
    assert seeds.describe(errors[0]) == ('cell 2: `assert measured["linear"] < 0.1` '
                                         "(AssertionError)")


def _fake_sweep(root, profile="quick"):
    """Two seeds: 01 passes at both, 03 fails at seed 7; two models recorded."""
    values = {42: {"linear": 0.004, "seq2seq_10": 0.006}, 7: {"linear": 0.006}}
    for seed, models in values.items():
        work = seeds.seed_dir(profile, seed, root)
        (work / "status").mkdir(parents=True)
        models_dir = work / "results" / profile / "models"
        models_dir.mkdir(parents=True)
        for name, value in models.items():
            (models_dir / f"{name}.json").write_text(json.dumps({
                "name": name, "label": name.title(), "value": value, "params": 1,
                "seconds": 1.0, "notebook": "01", "metric": "val_mse"}))
        for nb, errors in (("01_baselines", []), ("03_multistep_forecasting",
                           [{"cell": 5, "ename": "AssertionError", "evalue": "",
                             "line": "assert a < b"}] if seed == 7 else [])):
            (work / "status" / f"{nb}.json").write_text(json.dumps({
                "notebook": nb, "seed": seed, "profile": profile, "seconds": 12.0,
                "errors": errors}))
    meta = {"seeds": [42, 7], "profile": profile, "notebooks": [], "jobs": 2,
            "seconds": 600, "finished": "2026-12-04 20:00"}
    (root / profile / "sweep.json").write_text(json.dumps(meta))


def test_report_gives_pass_or_first_failing_line_and_each_models_spread(tmp_path):
    _fake_sweep(tmp_path)
    models = {s.name: s for s in seeds.spreads("quick", [42, 7], tmp_path)}
    assert models["linear"].values == {42: 0.004, 7: 0.006}
    assert models["linear"].mean == pytest.approx(0.005)
    assert (models["linear"].low, models["linear"].high) == (0.004, 0.006)
    assert models["seq2seq_10"].values == {42: 0.006} and models["seq2seq_10"].std == 0
    out = seeds.write_report("quick", root=tmp_path, output=tmp_path / "SEEDS.md")
    text = out.read_text()
    assert "**3 of 4 runs passed**" in text and "10 min of wall time" in text
    assert "| 01_baselines | pass (12 s) | pass (12 s) |" in text
    assert "| 03_multistep_forecasting | pass (12 s) | **FAIL** [1] |" in text
    assert "[1] 03_multistep_forecasting, seed 7: cell 5: `assert a < b` (AssertionError)" \
        in text
    # linear: book 0.004, mean 0.005, range 0.004-0.006, then one column per seed
    assert "| Linear | val_mse | 0.004 | 0.0050 | 0.0040-0.0060 | 0.0014 | 0.0040 | 0.0060 |" \
        in text
    assert "| Seq2Seq_10 | val_mse | 0.006 | 0.0060 | 0.0060-0.0060 | 0.0000 | 0.0060 |  |" \
        in text


def test_report_without_a_sweep_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="no sweep of the quick profile"):
        seeds.write_report("quick", root=tmp_path, output=tmp_path / "x.md")


def test_adopt_copies_a_passing_seed_and_refuses_a_failing_one(tmp_path):
    root, target = tmp_path / "sweep", tmp_path / "repo"
    (root / "quick").mkdir(parents=True)
    _fake_sweep(root)
    names = seeds.notebook_names()
    for seed in (42, 7):  # every notebook must have run: fill in the ones the fake lacks
        work = seeds.seed_dir("quick", seed, root)
        (work / "notebooks").mkdir()
        for name in names:
            (work / "notebooks" / f"{name}.ipynb").write_text(f"{name} at {seed}")
            status = work / "status" / f"{name}.json"
            if not status.exists():
                status.write_text(json.dumps({"notebook": name, "seed": seed,
                                              "profile": "quick", "seconds": 1.0,
                                              "errors": []}))
    (target / "notebooks").mkdir(parents=True)
    (target / "results" / "quick" / "models").mkdir(parents=True)
    (target / "results" / "quick" / "models" / "stale.json").write_text("{}")
    assert seeds.adopt(42, "quick", root=root, target=target) == names
    assert (target / "notebooks" / f"{names[0]}.ipynb").read_text() == f"{names[0]} at 42"
    adopted = sorted(p.name for p in (target / "results" / "quick" / "models").iterdir())
    assert adopted == ["linear.json", "seq2seq_10.json"]  # the stale record is gone
    with pytest.raises(ValueError, match="failed: 03_multistep_forecasting"):
        seeds.adopt(7, "quick", root=root, target=target)
