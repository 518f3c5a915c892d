import matplotlib

matplotlib.use("Agg")

import ipywidgets as w  # noqa: E402
import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import data, diagrams, models, training, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize("units, depth, head, params", [
    (20, 2, "rnn", 1282),    # the book's deep RNN: 20-20-1
    (20, 2, "dense", 1281),  # with a Dense(1) head
    (1, 1, "dense", 5),
])
def test_rnn_stack_matches_the_book_architectures(units, depth, head, params):
    model = models.rnn_stack(units, depth, head=head)
    assert model.count_params() == params
    recurrent = [layer for layer in model.layers if isinstance(layer, keras.layers.SimpleRNN)]
    # every recurrent layer but the last returns sequences
    assert [layer.return_sequences for layer in recurrent] == \
        [True] * (len(recurrent) - 1) + [False]
    out = model(np.zeros((2, 7, 1), dtype="float32"))
    assert out.shape == (2, 1)


def test_rnn_stack_vector_head_and_activation():
    model = models.rnn_stack(8, 1, activation="relu", n_outputs=10, n_steps=50)
    assert model.output_shape == (None, 10)
    assert model.layers[0].activation.__name__ == "relu"


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(units=0), ValueError, "units must be a positive int"),
    (dict(depth=1.5), TypeError, "depth must be an int"),
    (dict(activation="gelu"), ValueError, "activation must be one of"),
    (dict(head="conv"), ValueError, "head must be one of"),
])
def test_rnn_stack_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        models.rnn_stack(**kwargs)


def test_diagrams_draw():
    fig, ax = plt.subplots()
    diagrams.recurrent_neuron(ax)
    diagrams.unrolled(ax, 3, outputs=["ignored", "none", "used"], gradient_from=[2])
    fig, axes = diagrams.sequence_shapes()
    assert len(axes) == 4 and all(a.patches for a in axes)
    fig, ax = diagrams.bptt(5, used=(3, 4))
    assert "cost" in " ".join(t.get_text() for t in ax.texts)
    with pytest.raises(ValueError, match="n_steps entries"):
        diagrams.unrolled(ax, 3, inputs=[True])


def test_train_view_trains_on_click_and_reports_status():
    splits = data.load("one_step")
    calls = []

    def train(units, epochs, callbacks=()):
        training.set_seed(0)
        model = models.rnn_stack(units, 1)
        calls.append(training.train(model, splits.X_train[:64], splits.y_train[:64],
                                    splits.X_valid[:32], splits.y_valid[:32], name="w",
                                    notebook="t", epochs=epochs, progress=False,
                                    record=False, callbacks=callbacks))

    view = widgets.train_view(train, {"units": widgets.int_slider("units", 1, 8, 2),
                                      "epochs": widgets.int_slider("epochs", 1, 3, 2)})
    assert isinstance(view, w.VBox) and len(calls) == 1  # run_now trains once
    button, status = view.children[1].children
    assert status.value.startswith("epoch 2/2") and "done in" in status.value
    assert not button.disabled
    button.click()
    assert len(calls) == 2


def test_train_view_surfaces_errors_and_validates():
    def broken(epochs, callbacks=()):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        widgets.train_view(broken, {"epochs": widgets.int_slider("e", 1, 2, 1)})
    with pytest.raises(ValueError, match="epochs_control 'epochs' must name"):
        widgets.train_view(broken, {"n": widgets.int_slider("n", 1, 2, 1)})
    with pytest.raises(ValueError, match="value must be one of"):
        widgets.dropdown("act", ["tanh"], "relu")


@pytest.mark.parametrize("draw, n_axes", [
    (diagrams.layer_of_neurons, 2),
    (diagrams.memory_cell, 2),
    (diagrams.deep_rnn, 2),
])
def test_rolled_and_unrolled_figures_draw(draw, n_axes):
    fig, axes = draw()
    assert len(axes) == n_axes and all(isinstance(a, plt.Axes) and a.patches for a in axes)
    assert fig is axes[0].figure


def test_figures_name_what_they_draw():
    _, (rolled, unrolled) = diagrams.layer_of_neurons(4, 2, n_inputs=2)
    texts = " ".join(t.get_text() for t in unrolled.texts)
    assert r"\mathbf{x}_{(t)}" in texts and r"\mathbf{y}_{(t-1)}" in texts
    _, (rolled, unrolled) = diagrams.memory_cell(3)
    rolled_texts = " ".join(t.get_text() for t in rolled.texts)
    assert "h_{(t-1)}" in rolled_texts and "y_{(t)}" in rolled_texts  # state != output
    _, (rolled, unrolled) = diagrams.deep_rnn(4, 2)
    assert sum(t.get_text().startswith("layer") for t in unrolled.texts) == 4 * 2
    ax = diagrams.seq_to_seq_targets(3, 10)
    texts = [t.get_text() for t in ax.texts]
    assert "$x_{(1)}$" in texts and "$x_{(10)}$" in texts  # step 0: targets 1 to 10
    assert "$x_{(12)}$" in texts  # step 2: its last target is 2 + 10
    fig, own = plt.subplots()
    assert diagrams.seq_to_seq_targets(2, 3, ax=own) is own


@pytest.mark.parametrize("call, error, match", [
    (lambda: diagrams.layer_of_neurons(0), ValueError, "n_neurons must be"),
    (lambda: diagrams.layer_of_neurons(3, n_inputs=2.5), TypeError, "n_inputs must be an int"),
    (lambda: diagrams.memory_cell("3"), TypeError, "n_steps must be an int"),
    (lambda: diagrams.deep_rnn(n_layers=9), ValueError, "n_layers must be an int from 1 to 5"),
    (lambda: diagrams.deep_rnn(n_steps=True), TypeError, "n_steps must be an int"),
    (lambda: diagrams.seq_to_seq_targets(ahead=0), ValueError, "ahead must be"),
    (lambda: diagrams.seq_to_seq_targets(n_steps=2.0), TypeError, "n_steps must be an int"),
])
def test_figures_reject_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("draw, names", [
    (diagrams.lstm_cell, ["f", "g", "i", "o", "c", "h", "x", "y"]),
    (diagrams.gru_cell, ["r", "z", "g", "h", "x", "y"]),
])
def test_gated_cells_name_their_gates_and_states(draw, names):
    ax = draw()
    texts = " ".join(t.get_text() for t in ax.texts)
    for name in names:
        assert f"\\mathbf{{{name}}}" in texts, name
    assert "σ" in texts and "tanh" in texts
    fig, own = plt.subplots()
    assert draw(ax=own) is own
    plt.close("all")
