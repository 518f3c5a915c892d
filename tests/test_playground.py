"""The playground's logic (helpers.playground), without a browser."""

import base64

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import playground as pg  # noqa: E402
from helpers import results  # noqa: E402

TINY = pg.Settings(n_train=64, n_valid=32, epochs=1, max_epochs=3)
PNG = b"\x89PNG\r\n\x1a\n"


def test_settings_bounds_and_profiles():
    assert pg.get_settings("quick").n_train < pg.get_settings("full").n_train
    for settings in pg.SETTINGS.values():
        # a click must stay short: a few hundred to a thousand series, bounded epochs
        assert settings.n_train <= 1_000 and settings.max_epochs <= 10
    with pytest.raises(ValueError, match="profile must be one of"):
        pg.get_settings("huge")
    with pytest.raises(ValueError, match="learning_rate must be in"):
        pg.Settings(n_train=10, n_valid=10, epochs=1, max_epochs=3, learning_rate=2)
    with pytest.raises(ValueError, match="epochs .* must be <= max_epochs"):
        pg.Settings(n_train=10, n_valid=10, epochs=5, max_epochs=3)


def test_load_task_shapes_and_determinism():
    a = pg.load_task("1-step", TINY)
    b = pg.load_task("1-step", TINY)
    assert a.X_train.shape == (64, 50, 1) and a.y_train.shape == (64, 1)
    assert a.X_valid.shape == (32, 50, 1) and a.y_valid.shape == (32, 1)
    assert np.array_equal(a.X_train, b.X_train)
    with pytest.raises(ValueError, match="task must be one of"):
        pg.load_task("100-step", TINY)


@pytest.mark.parametrize("arch, params", [("linear", 51), ("simple_rnn", 3),
                                          ("deep_rnn", 1_282)])
def test_build_model_by_name(arch, params):
    model = pg.build_model(arch)
    assert model.count_params() == params
    assert model.output_shape == (None, 1)


def test_build_model_rejects_unknown_names():
    with pytest.raises(ValueError, match="architecture must be one of"):
        pg.build_model("transformer")
    with pytest.raises(ValueError, match="units must be a positive int"):
        pg.build_model("deep_rnn", units=0)


def test_book_figures():
    assert pg.book_figure("1-step", "linear") == results.BOOK["linear"].value
    assert pg.book_figure("1-step", "deep_rnn") == 0.003


def test_run_training_is_bounded_and_reports_each_epoch():
    d = pg.load_task("1-step", TINY)
    seen = []
    run = pg.run_training(d, "linear", 2, settings=TINY,
                          callbacks=[pg.LiveHistory(lambda h, e: seen.append(e))])
    assert seen == [1, 2]
    assert len(run.history["loss"]) == len(run.history["val_loss"]) == 2
    assert run.val_mse == run.history["val_loss"][-1] > 0
    assert run.params == 51 and run.forecast.shape == (1,)
    with pytest.raises(ValueError, match="epochs must be at most 3"):
        pg.run_training(d, "linear", 4, settings=TINY)
    with pytest.raises(ValueError, match="learning_rate"):
        pg.run_training(d, "linear", 1, settings=TINY, learning_rate=0)


def _run(arch, val_mse):
    return pg.Run(task="1-step", arch=arch, epochs=1, learning_rate=1e-3,
                  history={"loss": [1.0], "val_loss": [val_mse]}, val_mse=val_mse,
                  params=3, seconds=0.5, forecast=np.zeros(1))


def test_leaderboard_rows_sorted_with_book_figures():
    rows = [pg.leaderboard_row(_run("simple_rnn", 0.02), 1),
            pg.leaderboard_row(_run("linear", 0.005), 2)]
    assert rows[0]["book"] == 0.014 and rows[0]["model"] == "SimpleRNN"
    frame = pg.leaderboard_frame(rows)
    assert list(frame["run"]) == [2, 1]
    html = pg.leaderboard_html(rows)
    assert html.count("<tr") == 3  # header + two runs
    assert "0.0050" in html and "0.014" in html
    empty = pg.leaderboard_html([])
    assert "<tbody>" in empty and empty.count("<tr") == 1
    with pytest.raises(TypeError, match="run must be a Run"):
        pg.leaderboard_row({}, 1)


def test_figure_png_before_and_after_training():
    d = pg.load_task("1-step", TINY)
    before = pg.figure_png(None, d.X_valid[0], d.y_valid[0], epochs=3)
    after = pg.figure_png({"loss": [0.1, 0.05], "val_loss": [0.09, 0.04]}, d.X_valid[0],
                          d.y_valid[0], epochs=3, forecast=np.zeros(1), label="linear",
                          book=0.004)
    assert before.startswith(PNG) and after.startswith(PNG) and before != after
    output = pg.png_output(after)
    assert base64.b64decode(output["data"]["image/png"]) == after


def test_playground_click_adds_a_row_and_redraws():
    app = pg.Playground(TINY)
    assert app.board.value.count("<tr") == 1 and app.rows == []
    first_plot = app.plot.outputs
    app.controls["arch"].value = "linear"
    app.controls["epochs"].value = 2
    app.button.click()  # what a click in the browser does
    assert app.status.value.startswith("done: run 1, linear")
    assert len(app.rows) == 1 and app.board.value.count("<tr") == 2
    assert app.plot.outputs != first_plot and not app.button.disabled
    for name, css in pg.CSS.items():
        widget = {**app.controls, "train": app.button, "status": app.status,
                  "plot": app.plot, "leaderboard": app.board}[name]
        assert css in widget._dom_classes
