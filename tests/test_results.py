import json
import subprocess
import sys

import pytest

from helpers import results
from tools import report, run


def _record(tmp_path, name, value, notebook="01", **kw):
    return results.record(name, value=value, params=51, seconds=1.234, notebook=notebook,
                          profile="full", root=tmp_path, **kw)


def test_record_writes_json(tmp_path):
    path = _record(tmp_path, "linear", 0.0037, label="Linear", epochs=20)
    entry = json.loads(path.read_text())
    assert path == tmp_path / "full" / "models" / "linear.json"
    assert entry == {"name": "linear", "label": "Linear", "notebook": "01",
                     "metric": "val_mse", "value": 0.0037, "params": 51, "seconds": 1.23,
                     "epochs": 20, "profile": "full"}


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(name="Deep RNN"), ValueError, "lowercase id"),
    (dict(value="0.1"), TypeError, "value must be a number"),
    (dict(value=float("nan")), ValueError, "value must be a finite number"),
    (dict(seconds=-1.0), ValueError, "seconds must be a finite number >= 0"),
    (dict(params=1.5), TypeError, "params must be an int"),
    (dict(notebook=""), ValueError, "notebook must name"),
])
def test_record_rejects_bad_arguments(tmp_path, kwargs, error, match):
    args = dict(name="ok", value=0.1, params=1, seconds=1.0, notebook="01", root=tmp_path)
    args.update(kwargs)
    name = args.pop("name")
    with pytest.raises(error, match=match):
        results.record(name, **args)


def test_table_orders_and_compares_with_book(tmp_path):
    _record(tmp_path, "linear", 0.0037, label="Linear")
    _record(tmp_path, "naive", 0.0202, label="Naive")
    _record(tmp_path, "mystery", 0.5, notebook="02")
    run.record_notebook_time("01_baselines", 75.0, profile="full", root=tmp_path)
    records = results.load_records("full", tmp_path)
    assert [r["name"] for r in records] == ["naive", "linear", "mystery"]
    text = report.table(records, {"01_baselines": 75.0})
    lines = text.splitlines()
    assert lines[2] == "| 01 | Naive | 0.0202 | 0.02 | 1.01 | 51 | 1.2 s |"
    assert lines[3] == "| 01 | Linear | 0.0037 | 0.004 | 0.93 | 51 | 1.2 s |"
    assert "| 02 | mystery | 0.5000 | n/a | n/a |" in lines[4]
    assert "Notebooks executed in 1 min 15 s in all" in text


def test_write_table(tmp_path):
    _record(tmp_path, "naive", 0.02)
    path = report.write_table("full", tmp_path)
    assert path.name == "RESULTS.md"
    assert "| 01 | naive | 0.0200 | 0.02 | 1.00 |" in path.read_text()


def test_write_table_without_records_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="make run"):
        report.write_table("full", tmp_path)


def test_committed_results_cover_notebook_01():
    records = {r["name"]: r for r in results.load_records("full")}
    assert {"naive", "linear"} <= set(records)
    assert records["linear"]["value"] <= 0.0046
    assert 0.017 <= records["naive"]["value"] <= 0.023
    text = (results.RESULTS_DIR / "RESULTS.md").read_text()
    assert "| 01 | Linear (Flatten + Dense) |" in text


def test_value_reads_a_record_or_says_what_to_run(tmp_path):
    _record(tmp_path, "linear", 0.0037)
    assert results.value("linear", profile="full", root=tmp_path) == 0.0037
    with pytest.raises(FileNotFoundError, match="run the notebook that trains it first"):
        results.value("deep_rnn", profile="full", root=tmp_path)


def test_leaderboard_groups_by_task_best_first(tmp_path):
    _record(tmp_path, "naive", 0.0202, label="Naive")
    _record(tmp_path, "linear", 0.0037, label="Linear")
    _record(tmp_path, "linear_10", 0.019, notebook="03", label="Linear 10")
    _record(tmp_path, "lstm", 0.0024, notebook="05", label="LSTM",
            metric="val_last_time_step_mse")
    _record(tmp_path, "seq2seq_10", 0.006, notebook="03", label="Seq2seq",
            metric="val_last_time_step_mse")
    board = results.leaderboard("full", tmp_path)
    assert [row["name"] for row in board["one_step"]] == ["linear", "naive"]
    assert [row["name"] for row in board["ten_all"]] == ["linear_10"]
    assert [row["name"] for row in board["ten_last"]] == ["lstm", "seq2seq_10"]
    assert board["ten_last"][1]["book"] == results.BOOK["seq2seq_10"].value
    assert board["ten_last"][0]["book"] is None
    text = results.leaderboard_text(board)
    assert text.index("one step ahead") < text.index("Linear ") < text.index("Naive")


def test_plot_leaderboard(tmp_path):
    import matplotlib.pyplot as plt

    from helpers import plots

    _record(tmp_path, "naive", 0.0202, label="Naive")
    _record(tmp_path, "lstm", 0.0024, notebook="05", label="LSTM",
            metric="val_last_time_step_mse")
    board = results.leaderboard("full", tmp_path)
    fig = plots.plot_leaderboard(board, floor=0.00083, limits={"one_step": 0.001})
    assert len(fig.axes) == 2  # the empty task has no panel
    plt.close(fig)
    with pytest.raises(ValueError, match="at least one row"):
        plots.plot_leaderboard({"one_step": []})


def test_limits_are_saved_and_shown_under_the_table(tmp_path):
    _record(tmp_path, "naive", 0.02)
    results.save_limits({"one_step": 0.00096, "ten_last": 0.0011}, floor=0.1 ** 2 / 12,
                        n_series=300, seconds=12.3, profile="full", root=tmp_path)
    text = report.write_table("full", tmp_path).read_text()
    assert "the limit no forecast beats) is 0.00083" in text
    assert "one step ahead (MSE) 0.00096" in text and "on 300 validation series" in text
    with pytest.raises(ValueError, match="limits must map tasks"):
        results.save_limits({"two_steps": 0.1}, floor=0.1, n_series=1, seconds=0,
                            root=tmp_path)


def test_other_records_get_their_own_tables(tmp_path):
    results.record("linear", value=0.004, params=51, seconds=1.0, notebook="01",
                   profile="full", root=tmp_path)
    results.record_real("sarima", label="SARIMA", mae_first=120.0, mae_horizon=336.0,
                        horizon=48, params=49, seconds=2.0, profile="full", root=tmp_path)
    results.record_real("naive", label="naive", mae_first=600.0, mae_horizon=5000.0,
                        horizon=48, params=0, seconds=0.0, profile="full", root=tmp_path)
    results.record("sketches", value=0.9, metric="test_accuracy", params=10, seconds=3.0,
                   notebook="09", label="Sketch model", profile="full", root=tmp_path,
                   extra={"baseline": 0.167, "baseline_name": "chance"})
    results.record("chorales", value=0.95, metric="test_accuracy", params=10,
                   seconds=3.0, notebook="09", label="Chorale model", profile="full",
                   root=tmp_path)
    # the chapter's table and leaderboard see only the chapter's metrics
    assert [r["name"] for r in results.load_records("full", tmp_path)] == ["linear"]
    assert sum(len(rows) for rows in results.leaderboard("full", tmp_path).values()) == 1
    groups = results.other_records("full", tmp_path)
    assert [e["name"] for e in groups["test_mae_mw"]] == ["real_sarima", "real_naive"]
    assert [e["name"] for e in groups["test_accuracy"]] == ["chorales", "sketches"]
    text = report.other_text(groups)
    assert "| SARIMA | 120 | 336 | 49 | 2.0 s |" in text
    assert "| 09 | Sketch model | test_accuracy | 0.900 | 0.167 (chance) |" in text
    assert "| 09 | Chorale model | test_accuracy | 0.950 | n/a |" in text
    path = report.write_table("full", tmp_path)
    assert "A real series (notebook 08)" in path.read_text()


def test_record_real_and_extra_errors(tmp_path):
    with pytest.raises(ValueError, match="mae_first"):
        results.record_real("x", label="x", mae_first=-1.0, mae_horizon=1.0, horizon=1,
                            params=0, seconds=0.0, root=tmp_path)
    with pytest.raises(TypeError, match="extra"):
        results.record("x", value=1.0, params=0, seconds=0.0, notebook="08",
                       root=tmp_path, extra=[1])


def test_forget_notebook_removes_only_that_notebooks_records(tmp_path):
    from helpers import results

    for name, notebook in (("old_model", "04"), ("kept", "03"), ("also_old", "04")):
        results.record(name, value=0.01, params=1, seconds=1.0, notebook=notebook,
                       profile="quick", root=tmp_path)
    removed = results.forget_notebook("04_unstable_gradients", profile="quick", root=tmp_path)
    assert removed == ["also_old", "old_model"]
    assert [p.stem for p in (tmp_path / "quick" / "models").glob("*.json")] == ["kept"]
    import pytest
    with pytest.raises(ValueError, match="notebook"):
        results.forget_notebook("four", profile="quick", root=tmp_path)


def test_covariate_text_lists_the_change_per_seed():
    text = report.covariate_text({
        "real_gru": {42: 340.0, 7: 350.0}, "real_gru_calendar": {42: 330.0, 7: 356.0},
        "real_lstm_calendar": {42: 1.0}})  # no plain run to compare with: left out
    assert "seed 42: -10, seed 7: +6 MW (mean -2, -10 to +6)" in text
    assert "real_lstm" not in text
    assert report.covariate_text({"real_gru": {42: 1.0}}) == ""


def test_the_report_does_not_load_tensorflow_or_keras(tmp_path):
    _record(tmp_path, "naive", 0.02)
    code = (f"import sys; from tools import report; report.write_table('full', {str(tmp_path)!r}); "
            "print(sorted({'tensorflow', 'keras'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert "TensorFlow " in (tmp_path / "RESULTS.md").read_text()  # the version, from metadata


def test_results_table_shows_the_seed_spread(tmp_path):
    for name, value in (("gru", 346.0), ("gru_calendar", 351.0)):
        results.record_real(name, label=name, mae_first=140.0, mae_horizon=value,
                            horizon=48, params=10, seconds=1.0, profile="full", root=tmp_path)
    groups = results.other_records("full", tmp_path)
    plain = report.other_text(groups)
    assert "| gru | 140 | 346 | 10 | 1.0 s |" in plain and "over seeds" not in plain
    text = report.other_text(groups, {"real_gru_calendar": [351.0, 340.0, 362.0]})
    assert "| next day over seeds: mean (range) |" in text
    assert "| gru_calendar | 140 | 351 | 351 (340-362, 3 seeds) | 10 | 1.0 s |" in text
    assert "| gru | 140 | 346 | n/a | 10 | 1.0 s |" in text
