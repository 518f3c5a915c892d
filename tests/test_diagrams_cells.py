"""The peephole LSTM, Conv1D front-end and WaveNet block figures of helpers.diagrams."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from helpers import diagrams  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _texts(ax):
    return " ".join(t.get_text() for t in ax.texts)


@pytest.mark.parametrize("draw", [diagrams.peephole_lstm_cell, diagrams.conv1d_front_end,
                                  diagrams.wavenet_block])
def test_new_figures_draw_on_their_own_axes_or_a_given_one(draw):
    ax = draw()
    assert isinstance(ax, plt.Axes) and ax.get_title()
    assert len(ax.patches) + len(ax.lines) + len(ax.collections) > 0 and ax.texts
    fig, own = plt.subplots()
    assert draw(ax=own) is own and own.get_title()


def test_peephole_cell_adds_three_dashed_connections_to_the_lstm():
    plain, peephole = diagrams.lstm_cell(), diagrams.peephole_lstm_cell()
    assert _texts(plain) in _texts(peephole)  # the same cell, names and all
    dashed = [line for line in peephole.lines if line.get_linestyle() == "--"]
    assert not [line for line in plain.lines if line.get_linestyle() == "--"]
    assert {line.get_color() for line in dashed} == {diagrams.PEEPHOLE_COLOR}
    heads = [p for p in peephole.patches
             if isinstance(p, FancyArrowPatch) and p.get_linestyle() == "--"]
    assert len(heads) == 3  # one arrow into each of f, i and o
    assert all(to_hex(p.get_edgecolor()) == diagrams.PEEPHOLE_COLOR.lower() for p in heads)
    # each arrow ends just above a gate: f, i and o, not g
    ends = sorted(round(line.get_xdata()[-1], 2) for line in dashed)
    gates = {name: x - 0.25 for name, x in diagrams._LSTM_GATE_X.items()}
    for name in "fio":
        assert round(gates[name], 2) in ends, name
    assert round(gates["g"], 2) not in ends
    assert "peephole" in peephole.get_title()


def _drawn_outputs(ax):
    (outputs,) = [c for c in ax.collections if c.get_label() == "Conv1D outputs"]
    return outputs.get_offsets()


@pytest.mark.parametrize("n_steps, kernel_size, strides", [
    (50, 4, 2), (20, 3, 1), (12, 5, 3), (4, 4, 1), (7, 2, 5), (120, 2, 1),
])
def test_conv1d_front_end_draws_one_dot_per_output(n_steps, kernel_size, strides):
    ax = diagrams.conv1d_front_end(n_steps, kernel_size, strides)
    n_out = (n_steps - kernel_size) // strides + 1
    offsets = _drawn_outputs(ax)
    assert len(offsets) == n_out
    # output k sits over the middle of the steps it reads: strides*k .. + kernel_size - 1
    assert offsets[-1][0] == pytest.approx(strides * (n_out - 1) + (kernel_size - 1) / 2)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == f"target: Y[:, {kernel_size - 1}::{strides}]"
    assert f"out {n_out - 1}" in _texts(ax) and f"{n_out} output" in ax.get_title()


def test_conv1d_front_end_matches_keras_and_states_the_rule():
    keras = pytest.importorskip("keras")
    for n_steps, kernel_size, strides in [(50, 4, 2), (31, 6, 4)]:
        conv = keras.layers.Conv1D(3, kernel_size, strides=strides, padding="valid")
        expected = conv.compute_output_shape((None, n_steps, 1))[1]
        assert len(_drawn_outputs(diagrams.conv1d_front_end(n_steps, kernel_size,
                                                           strides))) == expected
    title = diagrams.conv1d_front_end().get_title()
    assert "steps 2k..2k+3" in title and "Y[:, 2k+3]" in title
    assert "steps k..k+2" in diagrams.conv1d_front_end(20, 3, 1).get_title()


def test_conv1d_front_end_labels_do_not_collide():
    for args in [(50, 4, 2), (120, 2, 1), (20, 3, 1)]:
        ax = diagrams.conv1d_front_end(*args)
        ax.figure.canvas.draw()
        boxes = [t.get_window_extent() for t in ax.texts if t.get_text().startswith("out")]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not a.overlaps(b), args


def test_wavenet_block_names_its_parts():
    texts = _texts(diagrams.wavenet_block())
    for part in ["dilation d", "residual", "skip", "2f filters", "tanh", "σ", "×", "+",
                 "Σ", "ReLU", "1×1 Conv1D", "linear"]:
        assert part in texts, part


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n_steps=2.5), TypeError, "n_steps must be an int"),
    (dict(n_steps=0), ValueError, "n_steps must be"),
    (dict(kernel_size="4"), TypeError, "kernel_size must be an int"),
    (dict(kernel_size=0), ValueError, "kernel_size must be"),
    (dict(n_steps=10, kernel_size=11), ValueError, "kernel_size must be an int from 1 to 10"),
    (dict(strides=True), TypeError, "strides must be an int"),
    (dict(strides=0), ValueError, "strides must be"),
])
def test_conv1d_front_end_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        diagrams.conv1d_front_end(**kwargs)


@pytest.mark.parametrize("draw", [diagrams.lstm_cell, diagrams.gru_cell,
                                  diagrams.peephole_lstm_cell, diagrams.conv1d_front_end,
                                  diagrams.wavenet_block])
def test_figures_reject_an_ax_that_is_not_axes(draw):
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw(ax="left")
