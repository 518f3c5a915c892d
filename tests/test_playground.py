"""The playground's logic (helpers.playground), without a browser."""

import base64
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import playground as pg  # noqa: E402
from helpers import results  # noqa: E402
from helpers.datasets import memory, realdata
from helpers.profile import PROFILE, get_profile  # noqa: E402

TINY = pg.Settings(n_train=64, n_valid=32, epochs=1, max_epochs=3, memory_lag=6,
                   real_window=24, real_horizon=8, real_stride=24)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tasks():
    return {task: pg.load_task(task, TINY) for task in pg.TASKS}


def test_settings_bounds_and_profiles():
    assert pg.get_settings("quick").n_train < pg.get_settings("full").n_train
    for settings in pg.SETTINGS.values():
        # a click must stay short: a thousand series at most, bounded epochs and time
        assert settings.n_train <= 1_000 and settings.max_epochs <= 10
        assert settings.max_seconds <= 60
    with pytest.raises(ValueError, match="unknown run profile 'huge'"):
        pg.get_settings("huge")
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0 and <= 1"):
        pg.Settings(n_train=10, n_valid=10, epochs=1, max_epochs=3, learning_rate=2)
    with pytest.raises(ValueError, match="epochs must be an int from 1 to 3, got 5"):
        pg.Settings(n_train=10, n_valid=10, epochs=5, max_epochs=3)
    with pytest.raises(ValueError, match="Settings.max_seconds must be a"):
        pg.Settings(n_train=10, n_valid=10, epochs=1, max_epochs=3, max_seconds=0)


def test_settings_seed_defaults_to_the_run_seed(monkeypatch):
    assert all(s.seed == PROFILE.seed for s in pg.SETTINGS.values())
    assert TINY.seed == PROFILE.seed
    monkeypatch.setattr(pg.logic, "PROFILE", get_profile(seed=7))
    sizes = dict(n_train=10, n_valid=10, epochs=1, max_epochs=3)
    assert pg.Settings(**sizes).seed == 7
    assert pg.Settings(**sizes, seed=3).seed == 3
    with pytest.raises(ValueError, match="Settings.seed must be"):
        pg.Settings(**sizes, seed=-1)


def test_load_task_shapes_match_task_shape(tasks):
    expected = {"1-step": ((64, 50, 1), (64, 1)), "10-step": ((64, 50, 1), (64, 10)),
                "memory": ((64, 11, 2), (64, 11, 1))}
    for task, (x_shape, y_shape) in expected.items():
        d = tasks[task]
        assert (d.X_train.shape, d.y_train.shape) == (x_shape, y_shape), task
        assert d.X_valid.shape[0] == 32 and d.shape == pg.task_shape(task, TINY)
    real = tasks["real series"]
    assert real.X_train.shape[1:] == (24, 1) and real.y_train.shape[1:] == (8,)
    assert real.shape == pg.task_shape("real series", TINY) == (24, 1, 8, False)
    # validation windows: one per origin of the validation weeks (2 weeks, horizon 8)
    assert len(real.X_valid) == 2 * realdata.WEEK - 8 + 1
    again = pg.load_task("1-step", TINY)
    assert np.array_equal(again.X_train, tasks["1-step"].X_train)
    with pytest.raises(ValueError, match="task must be one of"):
        pg.load_task("100-step", TINY)
    with pytest.raises(TypeError, match="settings must be a playground Settings"):
        pg.load_task("1-step", memory.get_settings())


def test_perfect_predictions_score_perfectly_and_baselines_are_sane(tasks):
    for task in ("1-step", "10-step"):
        d = tasks[task]
        assert pg.score(d, d.y_valid) == 0
        assert 0.01 < d.baseline < 1  # naive MSE: ~0.02 at 1 step, ~0.26 at 10
    d = tasks["memory"]
    assert pg.score(d, d.y_valid) == pytest.approx(1)
    assert abs(d.baseline) < 0.3  # answering 0 recalls (about) nothing
    # The real series: the true scaled changes give the true demand back exactly, which
    # checks that windows, origins, scaling and differencing line up.
    d = tasks["real series"]
    assert pg.score(d, d.y_valid) == pytest.approx(0, abs=1e-3)  # MW (float32 windows)
    assert 100 < d.baseline < 2_000  # MW: seasonal naive over the validation weeks
    with pytest.raises(ValueError, match="predictions must have"):
        pg.score(d, d.y_valid[:3])
    with pytest.raises(TypeError, match="task_data must be a TaskData"):
        pg.score({}, d.y_valid)


@pytest.mark.parametrize("arch", list(pg.ARCHITECTURES))
def test_every_architecture_fits_every_task(arch, tasks):
    for task, d in tasks.items():
        model = pg.build_model(arch, task=task, units=4, layers=1, settings=TINY)
        assert model.output_shape[1:] == d.y_valid.shape[1:], (arch, task)
        out = model(d.X_valid[:2])
        assert tuple(out.shape) == (2, *d.y_valid.shape[1:]), (arch, task)


@pytest.mark.parametrize("arch, params", [("linear", 51), ("simple_rnn", 3),
                                          ("deep_rnn", 1_281)])
def test_book_sized_models(arch, params):
    model = pg.build_model(arch)
    assert model.count_params() == params
    assert model.output_shape == (None, 1)


def test_controls_used_and_errors():
    assert pg.controls_used("linear") == frozenset()
    assert pg.controls_used("gru") == {"units", "layers", "dropout"}
    assert pg.controls_used("wavenet") == {"units", "layers"}
    assert pg.arch_from_label(pg.arch_label("full_wavenet")) == "full_wavenet"
    with pytest.raises(ValueError, match="arch must be one of"):
        pg.build_model("transformer")
    with pytest.raises(ValueError, match="units must be an int from 1 to 512, got 0"):
        pg.build_model("deep_rnn", units=0)
    with pytest.raises(ValueError, match="dropout must be a finite number >= 0"):
        pg.build_model("gru", dropout=1.5)
    with pytest.raises(ValueError, match="label must be one of"):
        pg.arch_from_label("Transformer")


def test_dropout_adds_layers_and_wavenet_layers_add_blocks():
    plain = pg.build_model("lstm", units=8, layers=2)
    dropped = pg.build_model("lstm", units=8, layers=2, dropout=0.2)
    assert sum("dropout" in layer.name for layer in dropped.layers) == 2
    assert plain.count_params() == dropped.count_params()
    one = pg.build_model("wavenet", units=8, layers=1).count_params()
    two = pg.build_model("wavenet", units=8, layers=2).count_params()
    assert two > one


def test_book_figures():
    assert pg.book_figure("1-step", "linear") == results.BOOK["linear"].value
    assert pg.book_figure("1-step", "deep_rnn") == 0.003
    assert pg.book_figure("10-step", "deep_rnn") == results.BOOK["seq2vec_10"].value
    assert pg.book_figure("memory", "lstm") is None
    for key in pg.BOOK_KEYS.values():
        assert key in results.BOOK


def test_run_training_is_bounded_and_reports_each_epoch(tasks):
    d = tasks["1-step"]
    seen = []
    run = pg.run_training(d, "linear", 2, settings=TINY,
                          on_epoch=lambda h, e: seen.append(e))
    assert seen == [1, 2] and run.epochs == 2 and not run.stopped
    assert len(run.history["loss"]) == len(run.history["val_loss"]) == 2
    assert run.val_loss == pytest.approx(run.history["val_loss"][-1])
    assert run.score == pytest.approx(run.val_loss, rel=1e-4)  # MSE both ways
    assert run.params == 51 and run.prediction.shape == (1,)
    with pytest.raises(ValueError, match="epochs must be an int from 1 to 3"):
        pg.run_training(d, "linear", 4, settings=TINY)
    with pytest.raises(ValueError, match="learning_rate"):
        pg.run_training(d, "linear", 1, settings=TINY, learning_rate=0)
    with pytest.raises(ValueError, match="clip must be a finite number >= 0"):
        pg.run_training(d, "linear", 1, settings=TINY, clip=-1)


def test_time_limit_stops_a_run_early(tasks):
    fast = replace(TINY, max_seconds=1, max_epochs=50)
    d = tasks["1-step"]
    big = replace(d, X_train=np.tile(d.X_train, (40, 1, 1)), y_train=np.tile(d.y_train, (40, 1)))
    run = pg.run_training(big, "gru", 50, settings=fast, units=8, layers=1)
    assert run.stopped and run.epochs < 50 and run.seconds < 20
    assert "stopped by the" in pg.status_text(run, 1, d.baseline)


def test_memory_and_real_runs_score_with_their_metric(tasks):
    run = pg.run_training(tasks["memory"], "gru", 1, settings=TINY, units=4, layers=1,
                          clip=1.0)
    assert run.prediction.shape == (11, 1) and run.score < 1 and run.clip == 1.0
    real = pg.run_training(tasks["real series"], "linear", 1, settings=TINY)
    assert real.prediction.shape == (8,) and real.score > 0


def _run(task, arch, score):
    return pg.Run(task=task, arch=arch, epochs=1, learning_rate=1e-3,
                  history={"loss": [1.0], "val_loss": [score]}, val_loss=score,
                  score=score, params=3, seconds=0.5, prediction=np.zeros(1))


def test_leaderboard_groups_tasks_and_ranks_scores():
    rows = [pg.leaderboard_row(_run("memory", "gru", 0.5), 1, 0.0),
            pg.leaderboard_row(_run("1-step", "simple_rnn", 0.02), 2, 0.021),
            pg.leaderboard_row(_run("1-step", "linear", 0.005), 3, 0.021),
            pg.leaderboard_row(_run("memory", "lstm", 0.9), 4, 0.0)]
    assert rows[1]["book"] == 0.014 and rows[1]["model"] == "SimpleRNN"
    assert rows[0]["size"] == "2 x 20" and rows[2]["size"] == "fixed"
    assert rows[2]["dropout"] is None and rows[0]["dropout"] == 0.0
    frame = pg.leaderboard_frame(rows)
    assert list(frame["run"]) == [3, 2, 4, 1]  # 1-step first, lowest MSE; highest recall
    html = pg.leaderboard_html(rows)
    assert html.count("<tr") == 5  # header + four runs
    assert "0.0050" in html and "0.014" in html and "0.900" in html
    empty = pg.leaderboard_html([])
    assert "<tbody>" in empty and empty.count("<tr") == 1
    with pytest.raises(TypeError, match="run must be a Run"):
        pg.leaderboard_row({}, 1)
    with pytest.raises(ValueError, match="rows must be dicts"):
        pg.leaderboard_frame([{"run": 1}])


def test_figure_png_for_every_task(tasks):
    for task, d in tasks.items():
        before = pg.figure_png(None, d, epochs=3)
        after = pg.figure_png({"loss": [0.1, 0.05], "val_loss": [0.09, 0.04]}, d, epochs=3,
                              prediction=np.zeros(d.y_valid.shape[1:]), label="linear",
                              book=0.004)
        assert before.startswith(PNG) and after.startswith(PNG) and before != after, task
    with pytest.raises(TypeError, match="task_data must be a TaskData"):
        pg.figure_png(None, None, epochs=3)


def _widgets(app):
    return {**app.controls, "preset": app.preset, "train_preset": app.preset_button,
            "preset_note": app.preset_note, "train": app.button, "status": app.status,
            "plot": app.plot, "leaderboard": app.board, "picker": app.picker,
            "overlay": app.overlay}


def test_playground_click_adds_a_row_and_redraws():
    app = pg.Playground(TINY)
    assert app.board.value.count("<tr") == 1 and app.rows == []
    first_plot = app.plot.value  # an <img> of the figure, from a data URL
    assert first_plot.startswith('<img src="data:image/png;base64,')
    assert base64.b64decode(first_plot.split(",")[1].split('"')[0]).startswith(PNG)
    app.controls["arch"].value = "linear"
    assert app.controls["units"].disabled and app.controls["dropout"].disabled
    assert app.controls["lag"].disabled  # the lag is the memory task's
    app.controls["epochs"].value = 2
    app.button.click()  # what a click in the browser does
    assert app.status.value.startswith("done: run 1, linear on 1-step: val MSE")
    assert len(app.rows) == 1 and app.board.value.count("<tr") == 2
    assert app.rows[0]["epochs"] == 2 and app.rows[0]["lag"] is None
    assert app.plot.value != first_plot and not app.button.disabled
    app.controls["arch"].value = "GRU"
    assert not app.controls["units"].disabled and not app.controls["dropout"].disabled
    app.controls["task"].value = "memory"
    assert not app.controls["lag"].disabled
    app.controls["units"].value = 4
    app.button.click()
    assert app.rows[-1]["task"] == "memory" and app.rows[-1]["size"] == "2 x 4"
    assert app.rows[-1]["lag"] == TINY.memory_lag
    for name, widget in _widgets(app).items():
        assert pg.CSS[name] in widget._dom_classes
    assert set(pg.CSS) == set(_widgets(app))


# --- presets -----------------------------------------------------------------------------

def test_every_preset_is_a_valid_setting_of_the_controls():
    notebooks = {p.notebook for p in pg.PRESETS.values()}
    assert {"02", "03", "04", "05", "06", "07", "08"} <= notebooks
    for name, p in pg.PRESETS.items():
        assert p.task in pg.TASKS and p.arch in pg.ARCHITECTURES, name
        assert name == p.name and name.startswith(f"{p.notebook} · ")
        assert f"notebook {p.notebook}" in p.description, name
        for slider in ("units", "layers", "dropout", "clip"):
            low, high, step = pg.SLIDERS[slider]
            value = getattr(p, slider)
            assert low <= value <= high and round((value - low) / step, 6) % 1 == 0, name
        assert (p.lag is not None) == (p.task == "memory"), name
        # a comparison is at least two runs, on one task
        group = [pg.PRESETS[n] for n in pg.experiment_presets(name)]
        assert len(group) >= 2 and name in pg.experiment_presets(name)
        assert len({(q.task, q.lag) for q in group}) == 1, name
        for settings in pg.SETTINGS.values():  # within every profile's bounds
            values = pg.preset_values(name, settings)
            assert 1 <= values["epochs"] <= settings.max_epochs
            assert 1e-4 <= values["learning_rate"] <= 1e-1
    # the memory comparison of notebook 06: SimpleRNN against LSTM, same size and lag
    memory_runs = [p for p in pg.PRESETS.values() if p.notebook == "06" and p.task == "memory"]
    assert {p.arch for p in memory_runs} >= {"deep_rnn", "lstm"}
    assert {(p.units, p.layers, p.lag) for p in memory_runs} == {(20, 1, 50)}
    # notebook 07's pair: the receptive fields their descriptions quote, around lag 50
    from helpers import convs
    for p in pg.PRESETS.values():
        if p.arch == "wavenet" and p.task == "memory":
            steps = convs.receptive_field(2, (1, 2, 4, 8) * p.layers)
            assert f"the last {steps} steps" in p.description
            assert ("too few" in p.description) == (steps < p.lag + 1)
    table = pg.preset_table()
    assert len(table) == len(pg.PRESETS) and "memory (lag 50)" in set(table["task"])
    # one preset a row of presets.csv, each under its own name
    csv_rows = (Path(pg.logic.__file__).with_name("presets.csv").read_text().splitlines())
    assert len(csv_rows) - 1 == len(pg.PRESETS)
    assert table.index.names == ["notebook", "comparison"]


def test_bad_presets_are_refused():
    ok = dict(notebook="02", experiment="x", model="m", description="From notebook 02.",
              task="1-step", arch="gru")
    pg.Preset(**ok)
    for change, message in [({"task": "2-step"}, "task must be one of"),
                            ({"arch": "transformer"}, "architecture must be one of"),
                            ({"units": 100}, "units must be in"),
                            ({"dropout": 0.25}, "dropout must be in"),
                            ({"task": "memory"}, "lag must be set for the memory task"),
                            ({"lag": 50}, "lag must be set for the memory task"),
                            ({"task": "memory", "lag": 52}, "lag must be in"),
                            ({"learning_rate": 0.02}, r"log10\(learning_rate\) must be in"),
                            ({"description": "no number"}, "description must name"),
                            ({"notebook": "6"}, "notebook must be a two-digit")]:
        with pytest.raises(ValueError, match=message):
            pg.Preset(**{**ok, **change})
    with pytest.raises(ValueError, match="preset must be one of"):
        pg.preset_values("nope")
    with pytest.raises(ValueError, match="preset must be one of"):
        pg.experiment_presets("nope")


def test_applying_a_preset_sets_the_widgets():
    app = pg.Playground(TINY)
    assert app.preset.value == pg.NO_PRESET and app.preset_button.disabled
    for name in pg.PRESETS:
        values = app.apply_preset(name)
        assert app.preset.value == name and not app.preset_button.disabled
        for key, value in values.items():
            assert app.controls[key].value == pytest.approx(value), (name, key)
        assert pg.PRESETS[name].description in app.preset_note.value
        assert app.controls["lag"].disabled == (pg.PRESETS[name].task != "memory")
    # picking a preset in the drop-down does the same; moving a control leaves it
    name = "06 · memory task, lag 50: LSTM (1 x 20)"
    app.preset.value = name
    assert app.controls["arch"].value == "LSTM" and app.controls["lag"].value == 50
    assert app.task_data("memory", 50).X_train.shape[1] == 50 + memory.LEAD
    app.controls["units"].value = 8
    assert app.preset.value == pg.NO_PRESET and app.preset_note.value == pg.PRESET_HINT
    assert app.controls["units"].value == 8  # the reader's change stays
    app.train_comparison()  # without a preset: says so, trains nothing
    assert app.rows == [] and app.status.value.startswith("pick a preset")
    with pytest.raises(ValueError, match="preset must be one of"):
        app.apply_preset("nope")


# --- learning curves, overlaid -----------------------------------------------------------

def _lines(fig):
    return [line for ax in fig.axes for line in ax.get_lines()
            if not line.get_label().startswith("_") and line.get_label()[0].isdigit()]


def test_two_runs_picked_draw_two_curves():
    app = pg.Playground(TINY)
    app.controls["arch"].value = "linear"
    app.controls["epochs"].value = 2
    first = app.train()
    app.controls["arch"].value = "GRU"
    app.controls["units"].value = 4
    app.controls["layers"].value = 1
    second = app.train()
    for run in (first, second):  # each epoch's validation score, ending at the run's
        assert len(run.history["val_score"]) == run.epochs == 2
        assert run.history["val_score"][-1] == pytest.approx(run.score, rel=1e-5)
    assert app.picker.value == (1, 2)  # new runs join the overlay
    assert [label for label, _ in app.picker.options] == [
        "1-step · 1: linear, lr 0.01", "1-step · 2: GRU 1 x 4, lr 0.01"]
    app.select([1])
    one = app.overlay.value
    app.select([1, 2])
    assert app.overlay.value != one
    fig = pg.overlay_figure({n: app.runs[n] for n in app.picker.value}, app._baselines)
    lines = _lines(fig)
    assert [line.get_label() for line in lines] == ["1: linear, lr 0.01",
                                                   "2: GRU 1 x 4, lr 0.01"]
    assert lines[0].get_color() != lines[1].get_color()
    for line, run in zip(lines, (first, second)):
        assert list(line.get_ydata()) == pytest.approx(run.history["val_score"])
    with pytest.raises(ValueError, match="numbers must be runs on the leaderboard"):
        app.select([3])


def test_overlay_figure_panels_per_task_and_errors():
    runs = {1: _run("1-step", "linear", 0.01), 2: _run("memory", "gru", 0.5),
            3: _run("memory", "lstm", 0.9)}
    runs[2].lag = runs[3].lag = 50
    fig = pg.overlay_figure(runs, {1: 0.02, 2: 0.0, 3: 0.01})
    assert [ax.get_title() for ax in fig.axes] == ["1-step", "memory (lag 50)"]
    assert [ax.get_ylabel() for ax in fig.axes] == ["val MSE", "recall"]
    assert len(_lines(fig)) == 3 and "lag 50" in _lines(fig)[1].get_label()
    # the baselines: one dashed line per distinct value, named once
    memory_axis = fig.axes[1]
    dashed = [ln for ln in memory_axis.get_lines() if ln.get_linestyle() == "--"]
    assert len(dashed) == 2 and memory_axis.get_legend_handles_labels()[1].count(
        "always 0") == 1
    empty = pg.overlay_figure({})
    assert len(empty.axes) == 1 and "pick runs" in empty.axes[0].texts[0].get_text()
    assert pg.png(pg.overlay_figure(runs)).startswith(PNG)
    with pytest.raises(TypeError, match="runs must be a mapping"):
        pg.overlay_figure([runs[1]])
    with pytest.raises(TypeError, match=r"runs\[1\] must be a Run"):
        pg.overlay_figure({1: "run"})
    with pytest.raises(ValueError, match="run number must be a positive int"):
        pg.overlay_figure({0: runs[1]})


def test_run_label_and_score_curve():
    run = _run("memory", "lstm", 0.8)
    run.lag, run.clip, run.dropout = 50, 1.0, 0.2
    assert pg.run_label(run, 4) == "4: LSTM 2 x 20, lag 50, lr 0.001, dropout 0.2, clip 1"
    assert pg.run_label(run, 4, task=True).startswith("memory · 4: LSTM")
    # no per-epoch score recorded: the MSE curve for MSE tasks, else the final score only
    assert pg.score_curve(_run("1-step", "linear", 0.01)) == [0.01]
    run.epochs = 3
    curve = pg.score_curve(run)
    assert np.isnan(curve[:2]).all() and curve[2] == 0.8
    with pytest.raises(TypeError, match="run must be a Run"):
        pg.run_label(None, 1)
    with pytest.raises(TypeError, match="run must be a Run"):
        pg.score_curve(None)


def test_a_memory_run_reads_its_data_s_lag(tasks):
    longer = pg.load_task("memory", replace(TINY, memory_lag=12))
    assert longer.lag == 12 and tasks["memory"].lag == TINY.memory_lag
    assert tasks["1-step"].lag is None
    run = pg.run_training(longer, "gru", 1, settings=TINY, units=4, layers=1)
    assert run.lag == 12 and run.prediction.shape == (12 + memory.LEAD, 1)
    row = pg.leaderboard_row(run, 1, longer.baseline)
    assert row["lag"] == 12 and "(lag 12)" in pg.status_text(run, 1, longer.baseline)


def test_train_the_comparison_trains_and_overlays_its_runs():
    app = pg.Playground(TINY)
    app.apply_preset("06 · memory task, lag 50: LSTM (1 x 20)")
    trained = app.train_comparison()
    names = pg.experiment_presets("06 · memory task, lag 50: LSTM (1 x 20)")
    assert list(trained) == [1, 2, 3] == list(app.picker.value) and len(names) == 3
    assert [r.arch for r in trained.values()] == [pg.PRESETS[n].arch for n in names]
    assert all(r.lag == 50 and r.epochs == TINY.max_epochs for r in trained.values())
    assert [row["lag"] for row in app.rows] == [50, 50, 50]
    assert app.status.value.startswith("done: run 1 deep RNN") and "recall" in app.status.value
    assert app.preset.value == names[-1] and not app.preset_button.disabled
    assert len(_lines(pg.overlay_figure(trained))) == 3


def test_multi_select_row_and_column_builders():
    from helpers import widgets

    picker = widgets.multi_select("runs", [("a", 1), ("b", 2)], rows=3)
    assert picker.value == () and picker.rows == 3
    picker.value = (2,)
    assert picker.label == ("b",)
    assert len(widgets.row(picker, widgets.status_line()).children) == 2
    assert len(widgets.column(picker).children) == 1
    with pytest.raises(ValueError, match="rows must be a positive int"):
        widgets.multi_select("runs", rows=0)
