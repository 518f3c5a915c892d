"""Bad input, as a learner would type it, fails at once with an error naming the argument.

Each case here used to return a wrong number (broadcast shapes, negative indices read
from the end of a series, NaN or infinity passed along) or to run for minutes; now it
raises a ``ValueError`` or ``TypeError`` that says which argument is wrong and what it
should be.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from helpers import baselines, checks, convs, data, gradients, metrics, results, training
from helpers import playground as pg
from helpers.datasets import memory, realdata
from helpers.profile import get_profile

# --- shared validators (helpers.checks) -----------------------------------------------


def test_integer_upper_bound():
    assert checks.integer("n", 5, high=5) == 5
    with pytest.raises(ValueError, match="n must be an int from 1 to 5, got 6"):
        checks.integer("n", 6, high=5)


def test_finite_array_names_the_first_bad_value():
    assert checks.array("X", np.ones((2, 3))).shape == (2, 3)
    assert checks.array("flags", np.array([True, False])).dtype == bool
    X = np.zeros((2, 3, 1))
    X[1, 2, 0] = np.inf
    with pytest.raises(ValueError, match=r"X must hold finite numbers, but 1 of its 6 "
                                         r"values .* X\[1, 2, 0\], is inf"):
        checks.array("X", X)
    with pytest.raises(TypeError, match="y must hold numbers"):
        checks.array("y", np.array(["a"]))


# --- metrics.last_time_step_mse -------------------------------------------------------

def _sequences(batch=8, steps=6, ahead=10, seed=0):
    return np.random.default_rng(seed).random((batch, steps, ahead)).astype("float32")


@pytest.mark.parametrize("y_true", [
    pytest.param(lambda Y: Y[..., :1], id="one target for ten outputs"),
    pytest.param(lambda Y: Y[:, :1], id="one step for six"),
    pytest.param(lambda Y: Y[:, -1], id="rank 2"),
])
def test_last_time_step_mse_refuses_targets_that_broadcast(y_true):
    Y = _sequences()
    for convert in (np.asarray, tf.constant):  # NumPy and eager tensors alike
        with pytest.raises(ValueError, match=r"y_true of the predictions' shape "
                                             r"\(8, 6, 10\)"):
            metrics.last_time_step_mse(convert(y_true(Y)), convert(Y))


def test_last_time_step_mse_accepts_unknown_sizes_in_a_traced_function():
    spec = tf.TensorSpec((None, None, 10), tf.float32)
    metric = tf.function(metrics.last_time_step_mse, input_signature=[spec, spec])
    Y = _sequences()
    np.testing.assert_allclose(metric(Y, Y).numpy(), np.zeros(8))
    with pytest.raises(ValueError, match="y_true"):
        tf.function(metrics.last_time_step_mse).get_concrete_function(
            tf.TensorSpec((None, 6, 1), tf.float32), spec)


def test_last_time_step_mse_in_an_xla_compiled_fit():
    """In a fresh process: once a test has turned TensorFlow's op determinism on (as
    ``training.set_seed`` does without XLA), Keras refuses ``jit_compile=True``."""
    code = textwrap.dedent("""
        import keras, numpy as np
        from helpers import metrics
        rng = np.random.default_rng(0)
        X = rng.random((64, 6, 1)).astype("float32")
        Y = rng.random((64, 6, 10)).astype("float32")
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((None, 1)), keras.layers.Dense(10)])
        model.compile(loss="mse", optimizer="adam", metrics=[metrics.last_time_step_mse],
                      jit_compile=True)
        history = model.fit(X, Y, batch_size=16, epochs=2, verbose=0)
        assert model.jit_compile is True
        assert np.isfinite(history.history["last_time_step_mse"]).all()
        logs = model.evaluate(X, Y, batch_size=64, verbose=0, return_dict=True)
        expected = ((model.predict(X, verbose=0)[:, -1] - Y[:, -1]) ** 2).mean()
        assert abs(logs["last_time_step_mse"] / expected - 1) < 1e-4
        # The MSE loss alone would broadcast [64, 6, 1] targets; the metric refuses them
        # while Keras traces a fresh model's training step ...
        fresh = keras.Sequential([keras.Input((None, 1)), keras.layers.Dense(10)])
        fresh.compile(loss="mse", optimizer="adam", metrics=[metrics.last_time_step_mse],
                      jit_compile=True)
        try:
            fresh.fit(X, Y[..., :1], batch_size=16, epochs=1, verbose=0)
        except ValueError as error:
            assert "last_time_step_mse expects y_true" in str(error), error
        else:
            raise AssertionError("fit accepted targets of shape [64, 6, 1]")
        # ... and when it runs, once a retrace has left the last size unknown (None).
        try:
            model.fit(X, Y[..., :1], batch_size=16, epochs=1, verbose=0)
        except Exception as error:
            assert "reshape" in str(error).lower(), error
        else:
            raise AssertionError("a second fit accepted targets of shape [64, 6, 1]")
        print("ok")
    """)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=300, cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == ["ok"]


# --- gradients -------------------------------------------------------------------------

def _one_step_rnn():
    training.set_seed(0)
    return keras.Sequential([keras.Input((None, 1)), keras.layers.SimpleRNN(4),
                             keras.layers.Dense(1)])


def _one_step_batch(n=40, steps=12):
    series = data.generate_time_series(n, steps + 1, seed=0)
    return series[:, :steps], series[:, steps]  # y: [n, 1]


def test_gradients_refuse_targets_that_broadcast():
    X, y = _one_step_batch()
    model = _one_step_rnn()
    assert gradients.input_gradient_norms(model, X, y).shape == (12,)
    with pytest.raises(ValueError, match=r"y must have the model's output shape \(40, 1\), "
                                         r"got \(40,\)"):
        gradients.input_gradient_norms(model, X, y[:, 0])
    with pytest.raises(ValueError, match=r"y must have the model's output shape \(40, 1\)"):
        gradients.parameter_gradients(model, X, np.repeat(y, 3, axis=1))


def test_gradient_logger_checks_targets_before_training():
    X, y = _one_step_batch()
    model = _one_step_rnn()
    model.compile(loss="mse", optimizer="adam")
    logger = gradients.GradientNormLogger(X[:8], y[:8, 0])
    with pytest.raises(ValueError, match=r"y must have the model's output shape \(1, 1\)"):
        model.fit(X, y, epochs=1, verbose=0, callbacks=[logger])
    assert not logger.norms


def test_gradients_refuse_non_finite_batches():
    X, y = _one_step_batch()
    X[3, 5, 0] = np.nan
    with pytest.raises(ValueError, match=r"X must hold finite numbers.*X\[3, 5, 0\]"):
        gradients.input_gradient_norms(_one_step_rnn(), X, y)


# --- realdata: origins are indices, never negative --------------------------------------

def test_ar_forecasts_refuse_origins_that_read_the_series_end():
    d = np.r_[np.full(5, np.nan), np.arange(20.0)]
    assert realdata.ar_forecasts(d, np.array([8, 25]), 2, 0.0, [1.0]).shape == (2, 2)
    with pytest.raises(ValueError, match=r"at must hold origins from 2 to 25 \(an AR\(2\) "
                                         r"model reads the 2 values of d before each "
                                         r"origin\), got values from 0 to 1"):
        realdata.ar_forecasts(d, [0, 1], 3, 0.0, [0.5, 0.5])
    with pytest.raises(ValueError, match="from 2 to 25"):
        realdata.ar_forecasts(d, [26], 3, 0.0, [0.5, 0.5])
    with pytest.raises(ValueError, match="at must be a 1-D array of int origins"):
        realdata.ar_forecasts(d, [10.0], 3, 0.0, [0.5, 0.5])
    with pytest.raises(ValueError, match="coefs must hold finite numbers"):
        realdata.ar_forecasts(d, [10], 3, 0.0, [0.5, np.nan])
    with pytest.raises(ValueError, match="const must hold finite numbers"):
        realdata.ar_forecasts(d, [10], 3, np.inf, [0.5])


def test_other_realdata_functions_refuse_negative_origins():
    y = np.arange(20.0)
    with pytest.raises(ValueError, match="at must hold origins from 0 to 18"):
        realdata.targets(y, np.array([-1]), 2)
    with pytest.raises(ValueError, match="at must hold origins from 5 to 20"):
        realdata.baseline_forecasts(y, np.array([0]), 2, period=5)
    with pytest.raises(ValueError, match="at must hold origins from 5 to 20"):
        realdata.undifference(y, np.array([-3]), np.zeros((1, 2)), period=5)
    with pytest.raises(ValueError, match="values must hold finite numbers"):
        realdata.Scaler([1.0, np.nan, np.inf])


# --- baselines.chain_forecasts ---------------------------------------------------------

def test_chain_forecasts_refuses_an_empty_window():
    X = np.zeros((3, 0, 1), dtype="float32")
    with pytest.raises(ValueError, match=r"X must have at least one time step, got shape "
                                         r"\(3, 0, 1\)"):
        baselines.chain_forecasts(lambda w: np.zeros((len(w), 1)), X, 5)


# --- results.record ---------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    (dict(value=float("inf")), "value must be a finite number.*got inf"),
    (dict(value=float("-inf")), "value must be a finite number.*got -inf"),
    (dict(value=float("nan")), "value must be a finite number.*got nan"),
    (dict(seconds=float("inf")), "seconds must be a finite number"),
    (dict(extra={"baseline": float("nan")}), "extra must hold finite numbers"),
])
def test_record_refuses_non_finite_numbers(tmp_path, kwargs, match):
    args = dict(value=0.1, params=1, seconds=1.0, notebook="01", root=tmp_path)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        results.record("bad", **args)
    assert not list(tmp_path.rglob("*.json"))
    path = results.record("good", value=0.1, params=1, seconds=1.0, notebook="01",
                          root=tmp_path, extra={"baseline": 0.5})
    assert json.loads(path.read_text())["extra"] == {"baseline": 0.5}


# --- training.train ---------------------------------------------------------------------

def _tiny_data():
    splits = data.load("one_step", profile=get_profile("quick"))
    return [a.copy() for a in (splits.X_train[:64], splits.y_train[:64],
                               splits.X_valid[:32], splits.y_valid[:32])]


def _linear():
    return keras.Sequential([keras.Input((50, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(1)])


@pytest.mark.parametrize("which, where, bad", [
    (0, (3, 7, 0), np.nan), (1, (5, 0), np.nan), (2, (0, 0, 0), np.inf),
    (3, (31, 0), -np.inf),
])
def test_train_refuses_non_finite_data_before_training(which, where, bad):
    arrays = _tiny_data()
    arrays[which][where] = bad
    name = ("X_train", "y_train", "X_valid", "y_valid")[which]
    model = _linear()
    with pytest.raises(ValueError, match=rf"{name} must hold finite numbers"):
        training.train(model, *arrays, name="bad", notebook="t", epochs=1,
                       progress=False, record=False)
    assert not model.compiled  # failed before compiling, let alone training


def test_train_refuses_targets_that_broadcast():
    splits = data.load("sequence", profile=get_profile("quick"))
    X, Y = splits.X_train[:64], splits.y_train[:64]  # Y: [64, 50, 10]
    model = keras.Sequential([keras.Input((None, 1)), keras.layers.Dense(10)])
    with pytest.raises(ValueError, match=r"y_train has shape \(64, 50, 1\), but the model "
                                         r"outputs \(None, None, 10\)"):
        training.train(model, X, Y[..., :1], X, Y, name="bad", notebook="t", epochs=1,
                       progress=False, record=False)
    with pytest.raises(ValueError, match=r"y_valid has shape \(64, 10\)"):
        training.train(model, X, Y, X, Y[:, -1], name="bad", notebook="t", epochs=1,
                       progress=False, record=False)
    # [batch] targets for [batch, 1] outputs are fine: Keras' loss adds the axis itself
    X1, y1, _, _ = _tiny_data()
    training._check_targets(_linear(), "y_train", y1[:, 0])
    training._check_targets(_linear(), "y_train", y1)


# --- sizes ------------------------------------------------------------------------------

def test_conv_sizes_are_bounded():
    with pytest.raises(ValueError, match="n_layers must be an int from 1 to 30, got 1000000"):
        convs.doubling_rates(10**6)
    with pytest.raises(ValueError, match="repeats must be an int from 1 to 100"):
        convs.doubling_rates(2, repeats=10**9)
    with pytest.raises(ValueError, match=r"receptive field of 67,108,864 steps; "
                                         r"input_steps lists at most 65,536"):
        convs.input_steps(2, convs.doubling_rates(26), 0)
    # the largest stacks the course draws (notebook 07's widget) still work
    rates = convs.doubling_rates(6, repeats=3)
    assert len(convs.input_steps(4, rates, 600)) == convs.receptive_field(4, rates) == 568
    assert convs.input_steps(2, convs.doubling_rates(16), 0) == [0]


def test_recall_task_size_is_bounded():
    with pytest.raises(ValueError, match=r"n \* \(k \+ lead\) = 100,000,000 \* 10 time "
                                         r"steps is more than the 20,000,000"):
        memory.recall_task(10**8, 5)
    with pytest.raises(ValueError, match="shorter lag"):
        memory.recall_task(10, 10**7)
    assert memory.recall_task(2_000, 200).X.shape == (2_000, 205, 2)


def test_playground_model_size_is_bounded():
    settings = pg.Settings(n_train=32, n_valid=32, epochs=1, max_epochs=1)
    task_data = pg.load_task("1-step", settings)
    with pytest.raises(ValueError, match="units must be an int from 1 to 512, got 1000000"):
        pg.run_training(task_data, "lstm", 1, settings=settings, units=10**6)
    with pytest.raises(ValueError, match="layers must be an int from 1 to 8"):
        pg.build_model("gru", layers=100)
    assert pg.build_model("linear", units=pg.MAX_UNITS, layers=pg.MAX_LAYERS).count_params() \
        == 51
