import matplotlib

matplotlib.use("Agg")

import ipywidgets as w  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import data, plots, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_plot_series_draws_inputs_target_and_forecasts():
    plots.set_style()
    X = data.generate_time_series(1, 60, seed=0)
    ax = plots.plot_series(X[0, :50], X[0, 50:, 0], {"a": X[0, 50:, 0], "b": np.zeros(10)})
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:4] == ["inputs", "true future", "a", "b"]
    assert len(ax.get_lines()[1].get_xdata()) == 10


def test_plot_series_rejects_batches():
    with pytest.raises(ValueError, match="x must be one series"):
        plots.plot_series(np.zeros((2, 50, 1)))


def test_grid_and_learning_curves_and_bars():
    X = data.generate_time_series(4, 51, seed=0)
    fig, axes = plots.plot_series_grid(X[:, :50], X[:, 50], X[:, 49], n=3)
    assert len(axes) == 3 and isinstance(fig, plt.Figure)
    ax = plots.plot_learning_curves({"loss": [1, 0.5], "val_loss": [0.9, 0.6]}, label="m")
    assert [line.get_label() for line in ax.get_lines()] == ["m training", "m validation"]
    assert ax.get_yscale() == "log"
    ax = plots.plot_mse_bars({"naive": 0.02, "linear": 0.004},
                             reference={"naive": 0.02}, floor=0.0008)
    assert len(ax.patches) == 4
    with pytest.raises(ValueError, match="history must hold a 'loss' curve"):
        plots.plot_learning_curves({"acc": [1]})
    with pytest.raises(ValueError, match="n must be an int"):
        plots.plot_series_grid(X[:, :50], n=9)


def test_save_fig_writes_png(tmp_path):
    fig, _ = plt.subplots()
    path = plots.save_fig(fig, "demo", folder=tmp_path)
    assert path == tmp_path / "demo.png" and path.stat().st_size > 0
    with pytest.raises(ValueError, match="plain file name"):
        plots.save_fig(fig, "a/b", folder=tmp_path)
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        plots.save_fig("fig", "x", folder=tmp_path)


def test_sliders_and_interactive_view():
    calls = []
    s = widgets.int_slider("n", 0, 5, 2)
    f = widgets.float_slider("x", 0.0, 1.0, 0.5, 0.1)
    assert s.continuous_update is False and f.continuous_update is False
    view = widgets.interactive_view(lambda n, x: calls.append((n, x)), {"n": s, "x": f})
    assert isinstance(view, w.VBox)
    assert calls == [(2, 0.5)]
    s.value = 4
    assert calls[-1] == (4, 0.5)
    with pytest.raises(ValueError, match="value must be a finite number >= 0 and <= 5"):
        widgets.int_slider("n", 0, 5, 9)
    with pytest.raises(ValueError, match="non-empty mapping"):
        widgets.interactive_view(print, {})


def test_log_slider_spans_powers_of_ten():
    lr = widgets.log_slider("learning rate", -4, -1, 1e-2)
    assert lr.continuous_update is False and lr.value == pytest.approx(1e-2)
    assert (lr.min, lr.max, lr.base) == (-4, -1, 10)
    with pytest.raises(ValueError, match="value must be a finite number >= 0.0001"):
        widgets.log_slider("learning rate", -4, -1, 0.5)


def test_plot_connectivity_rows_and_errors():
    import matplotlib.pyplot as plt

    profiles = {"a": np.linspace(1, 0.1, 25), "b": np.r_[np.zeros(20), 1.0, np.zeros(4)]}
    ax = plots.plot_connectivity(profiles, 20)
    image = ax.images[0].get_array()
    assert image.shape == (2, 25)
    assert image[1].argmax() == 24 - 20  # time runs left to right: 20 steps back
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    plt.close("all")
    with pytest.raises(ValueError, match="profiles"):
        plots.plot_connectivity({}, 3)
    with pytest.raises(ValueError, match="k"):
        plots.plot_connectivity(profiles, 0)
    with pytest.raises(ValueError, match="reach"):
        plots.plot_connectivity(profiles, 30)


def test_plot_recall_lines_and_errors():
    import matplotlib.pyplot as plt

    ax = plots.plot_recall({"a": {10: 0.95, 20: 0.2}, "b": {10: 1.0, 20: 0.99}})
    assert len(ax.lines) == 4  # two models, the threshold and zero
    assert list(ax.lines[0].get_xdata()) == [10, 20]
    plt.close("all")
    with pytest.raises(ValueError, match="scores"):
        plots.plot_recall({})
    with pytest.raises(ValueError, match="lags"):
        plots.plot_recall({"a": {10: 1.0}, "b": {20: 1.0}})
