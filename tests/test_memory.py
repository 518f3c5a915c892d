import json

import numpy as np
import pytest

from helpers.datasets import memory


def test_recall_task_shapes_targets_and_seed():
    task = memory.recall_task(64, 12, seed=3)
    assert task.X.shape == (64, 12 + memory.LEAD, 2)
    assert task.Y.shape == (64, 12 + memory.LEAD, 1)
    assert task.X.dtype == task.Y.dtype == np.float32
    # exactly one marker per sequence, within the first LEAD steps
    assert np.all(task.X[..., 1].sum(axis=1) == 1)
    assert np.all(np.argmax(task.X[..., 1], axis=1) == task.marker)
    assert task.marker.min() >= 0 and task.marker.max() < memory.LEAD
    for i in range(64):
        p = task.marker[i]
        assert np.all(task.Y[i, :p, 0] == 0)
        assert np.all(task.Y[i, p:, 0] == task.X[i, p, 0])
    assert np.all(np.abs(task.X[..., 0]) <= 1)
    again = memory.recall_task(64, 12, seed=3)
    assert np.array_equal(task.X, again.X) and np.array_equal(task.Y, again.Y)
    assert not np.array_equal(task.X, memory.recall_task(64, 12, seed=4).X)


def test_recall_task_values_have_the_stated_variance():
    task = memory.recall_task(4000, 5, seed=0)
    assert abs(task.X[..., 0].var() - memory.VALUE_VARIANCE) < 0.01


@pytest.mark.parametrize("kwargs, error", [
    (dict(n=0, k=5), ValueError), (dict(n=10, k=0), ValueError),
    (dict(n=10, k=2.5), TypeError), (dict(n=10, k=5, lead=0), ValueError),
    (dict(n=10, k=5, seed=-1), ValueError), (dict(n=True, k=5), TypeError),
])
def test_recall_task_validates_arguments(kwargs, error):
    with pytest.raises(error):
        memory.recall_task(**kwargs)


def test_recall_score_perfect_guessing_and_errors():
    task = memory.recall_task(2000, 8, seed=1)
    assert memory.recall_score(task, task.Y, 8) == pytest.approx(1.0)
    assert memory.recall_score(task, np.zeros_like(task.Y), 8) == pytest.approx(0.0, abs=0.05)
    # the forecast at lag 0 is the marked step itself
    assert memory.recall_score(task, task.Y, 0) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="shape"):
        memory.recall_score(task, task.Y[:, :-1], 8)
    with pytest.raises(ValueError, match="runs past"):
        memory.recall_score(task, task.Y, 8 + memory.LEAD)
    with pytest.raises(TypeError):
        memory.recall_score((task.X, task.Y), task.Y, 8)


def test_span_is_the_longest_unbroken_run_of_recalled_lags():
    assert memory.span({10: 0.99, 20: 0.95, 50: 0.2, 100: 0.0}, 0.9) == 20
    assert memory.span({10: 0.99, 20: 0.3, 50: 0.95}, 0.9) == 10  # no skipping a gap
    assert memory.span({10: 0.5}, 0.9) == 0
    assert memory.span({50: 0.99, 10: 0.99}, 0.9) == 50  # order of the mapping is irrelevant
    assert memory.span({10: float("nan")}, 0.9) == 0
    with pytest.raises(ValueError):
        memory.span({}, 0.9)


def test_settings_exist_for_each_profile_and_validate():
    for name in ("full", "quick"):
        s = memory.get_settings(name)
        assert s.n_train % s.batch_size == 0
    assert memory.get_settings() is memory.SETTINGS[memory.PROFILE.name]
    with pytest.raises(ValueError):
        memory.get_settings("huge")
    with pytest.raises(ValueError, match="increasing"):
        memory.MemorySettings(lags=(20, 10), n_train=100, n_valid=10, epochs=1)
    with pytest.raises(ValueError, match="multiple"):
        memory.MemorySettings(lags=(10,), n_train=101, n_valid=10, epochs=1)
    with pytest.raises(ValueError):
        memory.MemorySettings(lags=(), n_train=100, n_valid=10, epochs=1)
    with pytest.raises(ValueError):
        memory.MemorySettings(lags=(10,), n_train=100, n_valid=10, epochs=1, solved=1.5)
    with pytest.raises(ValueError):
        memory.MemorySettings(lags=(10,), n_train=100, n_valid=10, epochs=1,
                              learning_rate=0)


def test_models_build_and_fit_and_score_runs():
    import keras

    for cell in memory.CELLS:
        model = memory.build_model(cell, 4)
        assert model.output_shape == (None, None, 1)
    assert memory.build_model(keras.layers.GRU(4, return_sequences=True)).count_params() == \
        memory.build_model("GRU", 4).count_params()
    with pytest.raises(ValueError):
        memory.build_model("Transformer", 4)
    with pytest.raises(TypeError):
        memory.build_model("LSTM")
    with pytest.raises(TypeError):
        memory.build_model(4)
    tiny = memory.MemorySettings(lags=(3,), n_train=100, n_valid=20, epochs=2)
    keras.utils.set_random_seed(0)
    run = memory.fit_and_score(memory.build_model("GRU", 4), 3,
                               settings=tiny, stop_when_solved=False)
    assert run.k == 3 and run.epochs == 2 and len(run.scores) == 2
    assert run.score == run.scores[-1] and np.isfinite(run.score) and run.seconds > 0


def test_save_and_load_results_round_trip_and_merge(tmp_path):
    s = memory.MemorySettings(lags=(10, 20), n_train=100, n_valid=10, epochs=1)
    path = memory.save_results({"SimpleRNN": {"scores": {10: 0.95, 20: 0.1},
                                              "params": 481}},
                               settings=s, profile="quick", root=tmp_path)
    assert path == tmp_path / "quick" / memory.FILE_NAME
    assert json.loads(path.read_text())["models"]["SimpleRNN"]["span"] == 10
    memory.save_results({"WaveNet": {"scores": {10: 0.99, 20: 0.97}}}, settings=s,
                        profile="quick", root=tmp_path)
    table = memory.load_results("quick", root=tmp_path)
    assert set(table["models"]) == {"SimpleRNN", "WaveNet"}
    assert table["models"]["WaveNet"]["span"] == 20
    assert table["models"]["SimpleRNN"]["scores"] == {10: 0.95, 20: 0.1}
    assert table["settings"]["lags"] == (10, 20)
    memory.save_results({"LSTM": {"scores": {10: 1.0, 20: 1.0}}}, settings=s,
                        profile="quick", root=tmp_path, merge=False)
    assert set(memory.load_results("quick", root=tmp_path)["models"]) == {"LSTM"}
    with pytest.raises(ValueError, match="lags"):
        memory.save_results({"GRU": {"scores": {10: 1.0}}}, settings=s, profile="quick",
                            root=tmp_path)
    with pytest.raises(ValueError):
        memory.save_results({}, settings=s, profile="quick", root=tmp_path)
    with pytest.raises(FileNotFoundError, match="notebook 06"):
        memory.load_results("full", root=tmp_path)


def _delay_model(j):
    """A model whose output at step t is the value read j steps earlier (0 before)."""
    import keras

    conv = keras.layers.Conv1D(1, kernel_size=j + 1, padding="causal", use_bias=False)
    model = keras.Sequential([keras.Input(shape=(None, 2)), conv])
    kernel = np.zeros((j + 1, 2, 1), "float32")
    kernel[0, 0, 0] = 1.0  # the oldest tap of the causal window, value channel only
    conv.set_weights([kernel])
    return model


def test_connectivity_finds_the_step_a_model_reads():
    k = 12
    exact = memory.connectivity(_delay_model(k), k, n=32, seed=1)
    assert exact.shape == (k + memory.LEAD,)
    assert exact[k] == pytest.approx(1.0) and np.nansum(exact) == pytest.approx(1.0)
    elsewhere = memory.connectivity(_delay_model(3), k, n=32, seed=1)
    assert int(np.nanargmax(elsewhere)) == 3 and elsewhere[k] == 0
    with pytest.raises(ValueError, match="k"):
        memory.connectivity(_delay_model(1), 0)


def test_connectivity_is_saved_and_loaded(tmp_path):
    s = memory.MemorySettings(lags=(10, 20), n_train=100, n_valid=10, epochs=1)
    profile = np.linspace(1, 0, 15)
    memory.save_results({"LSTM": {"scores": {10: 1.0, 20: 0.5},
                                  "connectivity": {10: profile, 20: np.ones(25)}}},
                        settings=s, profile="quick", root=tmp_path)
    loaded = memory.load_results("quick", root=tmp_path)["models"]["LSTM"]["connectivity"]
    assert set(loaded) == {10, 20} and np.allclose(loaded[10], profile, atol=1e-4)
