"""Every custom object of the course survives a ``.keras`` file: a fresh Python that runs
``import helpers, keras`` loads each model and predicts exactly what the original did."""

import json
import subprocess
import sys

import keras
import numpy as np
import pytest

from helpers import metrics, playground, training
from helpers.datasets import sketches
from helpers.models import ARCHITECTURES
from helpers.taught import LNSimpleRNNCell, PeepholeLSTMCell, full_wavenet, simple_wavenet

RELOAD = """
import json, pathlib, sys
import helpers, keras, numpy as np

for path in sorted(pathlib.Path(sys.argv[1]).glob("*.keras")):
    model = keras.saving.load_model(path)
    inputs = np.load(path.with_suffix(".npz"))
    inputs = [inputs[k] for k in sorted(inputs.files)]
    out = model(inputs if len(inputs) > 1 else inputs[0], training=False)
    np.save(path.with_suffix(".out.npy"), keras.ops.convert_to_numpy(out))
    if model.compiled:
        y = np.load(path.with_suffix(".y.npy"))
        print(path.stem, json.dumps(model.evaluate(inputs[0], y, verbose=0, return_dict=True)))
"""


def _recurrent(cell):
    return keras.Sequential([keras.Input((None, 1)),
                             keras.layers.RNN(cell, return_sequences=True),
                             keras.layers.Dense(2)])


def _sketch_model():
    """The masking layers in one model: padding masked, strided masked conv, positions."""
    ink = keras.Input(shape=(12, 3))
    length = keras.Input(shape=(), dtype="int32")
    x = sketches.PenPositions()(sketches.MaskPadding()([ink, length]))
    x = sketches.MaskedConv1D(4, 3, strides=2, padding="same")(x)
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.GRU(4)(x))
    return keras.Model([ink, length], outputs)


def _metric_model():
    model = keras.Sequential([keras.Input((None, 1)),
                              keras.layers.SimpleRNN(4, return_sequences=True),
                              keras.layers.Dense(3)])
    model.compile(loss="mse", optimizer="sgd", metrics=[metrics.last_time_step_mse])
    return model


def _models():
    """name -> (model, inputs)."""
    rng = np.random.default_rng(0)

    def series(n_steps, n_inputs=1):
        return [rng.normal(size=(3, n_steps, n_inputs)).astype("float32")]

    ink = rng.normal(size=(3, 12, 3)).astype("float32")
    models = {
        "ln_cell": (_recurrent(LNSimpleRNNCell(4, activation="relu",
                                               recurrent_initializer="glorot_uniform")),
                    series(9)),
        "peephole_cell": (_recurrent(PeepholeLSTMCell(4)), series(9)),
        "simple_wavenet": (simple_wavenet(2, rates=(1, 2), filters=4), series(9)),
        "full_wavenet": (full_wavenet(2, rates=(1, 2), filters=4), series(9)),
        "sketch": (_sketch_model(), [ink, np.array([12, 7, 1], "int32")]),
        "sketch_bag": (sketches.bag_of_points(3, 12, units=4), [ink, np.array([5, 12, 2])]),
        "metric": (_metric_model(), series(9)),
    }
    for arch in ARCHITECTURES:
        for task in ("1-step", "memory"):
            shape = playground.task_shape(task)
            model = playground.build_model(arch, task=task, units=4, layers=1)
            models[f"{arch}_{task.replace('-', '')}"] = (model, series(shape.n_steps,
                                                                       shape.n_inputs))
    return models


@pytest.fixture(scope="module")
def reloaded(tmp_path_factory):
    """name -> (original's output, reloaded model's); name -> (their evaluate scores)."""
    folder = tmp_path_factory.mktemp("reload")
    training.set_seed(0)
    outputs, scores = {}, {}
    for name, (model, inputs) in _models().items():
        outputs[name] = keras.ops.convert_to_numpy(
            model(inputs if len(inputs) > 1 else inputs[0], training=False))
        np.savez(folder / f"{name}.npz", *inputs)
        if model.compiled:
            y = np.random.default_rng(1).normal(size=outputs[name].shape).astype("float32")
            np.save(folder / f"{name}.y.npy", y)
            scores[name] = model.evaluate(inputs[0], y, verbose=0, return_dict=True)
        model.save(folder / f"{name}.keras")
    run = subprocess.run([sys.executable, "-c", RELOAD, str(folder)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    printed = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    return ({name: (out, np.load(folder / f"{name}.out.npy")) for name, out in outputs.items()},
            {name: (score, json.loads(printed[name])) for name, score in scores.items()})


def test_every_architecture_and_custom_object_is_covered(reloaded):
    outputs, scores = reloaded
    assert len(outputs) == 7 + 2 * len(ARCHITECTURES) and list(scores) == ["metric"]


def test_reloaded_models_predict_what_the_originals_did(reloaded):
    for name, (original, loaded) in reloaded[0].items():
        np.testing.assert_allclose(loaded, original, atol=1e-6, rtol=0, err_msg=name)


def test_reloaded_metric_scores_what_the_original_did(reloaded):
    original, loaded = reloaded[1]["metric"]
    assert set(loaded) == {"loss", "last_time_step_mse"}
    assert loaded == pytest.approx(original, abs=1e-6)
