import json

import keras
import numpy as np
import pytest

from helpers import data, device, metrics, results, training
from helpers.profile import get_profile


def _tiny_data():
    splits = data.load("one_step", profile=get_profile("quick"))
    return splits.X_train[:256], splits.y_train[:256], splits.X_valid[:64], splits.y_valid[:64]


def _linear():
    return keras.Sequential([keras.Input((50, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])


def _train_once(tmp_path, seed):
    training.set_seed(seed)
    model = _linear()
    res = training.train(model, *_tiny_data(), name="tiny", notebook="test", epochs=2,
                         progress=False, record=False)
    return model, res


def test_same_seed_same_weights_and_losses(tmp_path):
    m1, r1 = _train_once(tmp_path, 42)
    m2, r2 = _train_once(tmp_path, 42)
    m3, r3 = _train_once(tmp_path, 43)
    for a, b in zip(m1.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert r1.history == r2.history
    assert r1.history != r3.history


def test_train_result_and_xla_choice():
    training.set_seed(0)
    model = _linear()
    res = training.train(model, *_tiny_data(), name="tiny", notebook="test", epochs=3,
                         progress=False, record=False)
    assert res.params == 51
    assert res.value == res.history["val_loss"][-1]
    assert res.metric == "val_mse" and len(res.history["loss"]) == 3
    assert res.seconds > 0
    assert model.jit_compile is device.uses_xla()
    assert "tiny" in repr(res)


def test_train_records_into_results(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path)
    training.set_seed(0)
    training.train(_linear(), *_tiny_data(), name="tiny_linear", notebook="test", epochs=1,
                   progress=False, label="Tiny linear")
    path = tmp_path / get_profile().name / "models" / "tiny_linear.json"
    entry = json.loads(path.read_text())
    assert entry["label"] == "Tiny linear" and entry["params"] == 51
    assert entry["epochs"] == 1 and entry["metric"] == "val_mse"


def test_progress_lines(capsys):
    training.set_seed(0)
    training.train(_linear(), *_tiny_data(), name="p", notebook="test", epochs=4,
                   record=False)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4 and lines[-1].startswith("p: epoch   4/4")
    assert "val_loss" in lines[0]


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(epochs=0), ValueError, "epochs must be a positive int"),
    (dict(name=""), ValueError, "name must be a non-empty str"),
    (dict(monitor="val_accuracy"), ValueError, "monitor 'val_accuracy' is not among"),
    (dict(learning_rate=-1.0), ValueError, "learning_rate must be a finite number > 0"),
])
def test_train_rejects_bad_arguments(kwargs, error, match):
    args = dict(name="bad", notebook="test", epochs=1, progress=False, record=False)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        training.train(_linear(), *_tiny_data(), **args)


def test_train_rejects_bad_data():
    X, y, Xv, yv = _tiny_data()
    with pytest.raises(ValueError, match="as many rows"):
        training.train(_linear(), X, y[:-1], Xv, yv, name="b", notebook="t", record=False)
    with pytest.raises(TypeError, match="X_train must be a NumPy array"):
        training.train(_linear(), list(X), y, Xv, yv, name="b", notebook="t", record=False)
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        training.train("linear", X, y, Xv, yv, name="b", notebook="t", record=False)


def test_set_seed_rejects_bad_seed():
    with pytest.raises(ValueError, match="seed must be an int >= 0"):
        training.set_seed(-1)


def test_set_seed_defaults_to_the_run_seed(monkeypatch):
    monkeypatch.setattr(training, "PROFILE", get_profile(seed=7))
    training.set_seed()
    drawn = np.random.random()
    training.set_seed(7)
    assert np.random.random() == drawn


def test_last_time_step_mse_matches_numpy():
    rng = np.random.default_rng(0)
    y_true = rng.random((6, 5, 3)).astype("float32")
    y_pred = rng.random((6, 5, 3)).astype("float32")
    values = np.asarray(metrics.last_time_step_mse(y_true, y_pred))
    np.testing.assert_allclose(values, ((y_true[:, -1] - y_pred[:, -1]) ** 2).mean(-1),
                               rtol=1e-6)
    with pytest.raises(ValueError, match=r"\[batch, time steps, ahead\]"):
        metrics.last_time_step_mse(y_true[:, 0], y_pred[:, 0])


def test_last_time_step_mse_in_fit_and_saved_model(tmp_path):
    splits = data.load("sequence", profile=get_profile("quick"))
    X, Y = splits.X_train[:128], splits.y_train[:128]
    training.set_seed(0)
    model = keras.Sequential([keras.Input((None, 1)), keras.layers.Dense(10)])
    res = training.train(model, X, Y, X[:64], Y[:64], name="s2s", notebook="t", epochs=1,
                         metrics=[metrics.last_time_step_mse],
                         monitor="val_last_time_step_mse", progress=False, record=False)
    # Keras averages the per-sample values over the whole validation set.
    expected = ((model.predict(X[:64], verbose=0)[:, -1] - Y[:64, -1]) ** 2).mean()
    assert res.value == pytest.approx(expected, rel=1e-4)
    assert res.metric == "val_last_time_step_mse"
    path = tmp_path / "s2s.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    np.testing.assert_allclose(reloaded.predict(X[:4], verbose=0),
                               model.predict(X[:4], verbose=0), rtol=1e-6)


def test_device_report_mentions_versions_and_profile():
    text = device.report()
    assert "TensorFlow" in text and "Keras 3" in text
    assert f"Profile: {get_profile().name}" in text


def test_full_profile_compiles_with_xla_without_warnings():
    """The full profile trains with jit_compile=True on a CPU (quick turns XLA off)."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import warnings
        warnings.simplefilter("error")
        import helpers, keras
        from helpers import data, device, training
        splits = data.load("one_step")
        training.set_seed(0)
        model = keras.Sequential([keras.Input((50, 1)), keras.layers.SimpleRNN(4),
                                  keras.layers.Dense(1)])
        result = training.train(model, splits.X_train[:64], splits.y_train[:64],
                                splits.X_valid[:32], splits.y_valid[:32], name="x",
                                notebook="t", epochs=1, progress=False, record=False)
        other = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        training.compile_model(other, jit_compile=False)
        other.fit(splits.X_train[:8, :3, 0], splits.y_train[:8], verbose=0)
        print(device.uses_xla(), model.jit_compile, result.value > 0, other.jit_compile)
    """)
    env = {**__import__("os").environ, "COURSE_PROFILE": "full", "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    if device.gpus():
        pytest.skip("on a GPU the course keeps Keras' default compilation")
    # jit_compile=False opts one model out of XLA
    assert out.stdout.split() == ["True", "True", "True", "False"]
