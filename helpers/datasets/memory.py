"""A memory-span task: how many steps can a recurrent cell carry one number?

Notebook 06 trains SimpleRNN, LSTM and GRU cells on it; notebook 07 adds WaveNet. The
task, called *recall* here, is built so that the only way to score is to remember:

- every sequence has two features per time step: a **value**, drawn uniformly from
  ``[-1, 1]`` at *every* step (so almost all values are noise to ignore), and a
  **marker**, 1 at one step ``p`` among the first ``lead`` steps and 0 everywhere else;
- the **target** at every step ``t >= p`` is the marked value ``x(p)`` (0 before ``p``);
- a sequence of ``k + lead`` steps therefore asks the model, at its step ``p + k``, for
  a value it saw ``k`` steps earlier, with ``k`` fresh noise values read since.

Recall at lag ``k`` is scored by the fraction of the value's variance the forecasts at
step ``p + k`` explain, ``1 - MSE / Var(value)`` (:func:`recall_score`): 1 is perfect,
0 is what always answering 0 scores. A model is trained for each lag ``k`` on sequences
of ``k + lead`` steps (:func:`fit_and_score`); its **span** is the longest lag it
recalls, every shorter lag included (:func:`span`).

The task's sizes and training budget depend on the run profile (:data:`SETTINGS`), and
the results table is shared through ``results/<profile>/memory_span.json``
(:func:`save_results`, :func:`load_results`).
"""

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import takewhile
from pathlib import Path
from typing import NamedTuple

import keras
import numpy as np
import tensorflow as tf

from helpers import checks, models, results, training
from helpers.profile import PROFILE, Settings, for_profile

LEAD = 5  # the marker falls on one of the first LEAD steps of a sequence
VALUE_VARIANCE = 1 / 3  # of a value drawn uniformly from [-1, 1]: the MSE of answering 0
CELLS = ("SimpleRNN", "LSTM", "GRU")  # what build_model builds by name, and from where:
ARCHITECTURES = dict(zip(CELLS, ("deep_rnn", "lstm", "gru")))  # helpers.models' names
FILE_NAME = "memory_span.json"
# Most time steps, n * (k + lead), in one recall_task (its arrays then take about 400 MB;
# the course's largest, 2,000 sequences at lag 200, holds 410,000).
MAX_VALUES = 20_000_000


@dataclass(frozen=True)
class MemorySettings(Settings):
    """Sizes and training budget of the memory-span experiment, the same for every cell."""

    lags: tuple[int, ...]  # lags k to try, increasing
    n_train: int  # a multiple of batch_size: no odd-sized last batch to compile for
    n_valid: int
    epochs: int  # most epochs per (cell, lag); training stops once the lag is recalled
    batch_size: int = 50
    units: int = 20
    learning_rate: float = 0.01
    solved: float = 0.9  # recall score at which a lag counts as recalled (training stops)

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "lags", tuple(checks.integer("lags", k) for k in self.lags))
        if not self.lags or list(self.lags) != sorted(set(self.lags)):
            raise ValueError(f"lags must be non-empty and strictly increasing, got {self.lags}")
        if self.n_train % self.batch_size:
            raise ValueError(f"n_train must be a multiple of batch_size, got {self.n_train}")
        checks.number("learning_rate", self.learning_rate, above=0)
        checks.number("solved", self.solved, high=1, above=0)


SETTINGS: dict[str, MemorySettings] = {
    "full": MemorySettings(lags=(10, 20, 50, 100, 200), n_train=2_000, n_valid=500, epochs=10),
    # Quick: the same data per lag, fewer epochs and two lags, one that SimpleRNN still
    # recalls and one past it: enough for the gated cells to pass where SimpleRNN stops.
    "quick": MemorySettings(lags=(20, 50), n_train=2_000, n_valid=250, epochs=6),
}


def get_settings(profile: str | None = None) -> MemorySettings:
    """The experiment's settings for run profile ``profile`` (default: the active one)."""
    return for_profile(SETTINGS, profile)


class RecallTask(NamedTuple):
    """Inputs ``X`` ``[n, k + lead, 2]``, targets ``Y`` ``[n, k + lead, 1]``, marker steps."""

    X: np.ndarray
    Y: np.ndarray
    marker: np.ndarray  # step p of each sequence's marker, shape [n]


def recall_task(n: int, k: int, *, lead: int = LEAD, seed: int | None = None) -> RecallTask:
    """``n`` recall sequences of ``k + lead`` steps (see the module docstring).

    ``X[..., 0]`` holds the values, ``X[..., 1]`` the marker; ``Y[i, t, 0]`` is
    ``X[i, marker[i], 0]`` from the marker on and 0 before it. The same ``seed`` gives
    the same arrays. At most :data:`MAX_VALUES` time steps in all, ``n * (k + lead)``.
    """
    n, k, lead = checks.integer("n", n), checks.integer("k", k), checks.integer("lead", lead)
    if n * (k + lead) > MAX_VALUES:
        raise ValueError(f"n * (k + lead) = {n:,} * {k + lead:,} time steps is more than the "
                         f"{MAX_VALUES:,} a recall task may hold: use fewer n or a shorter lag")
    rng = np.random.default_rng(None if seed is None else checks.integer("seed", seed, 0))
    n_steps = k + lead
    X = np.zeros((n, n_steps, 2), dtype=np.float32)
    X[..., 0] = rng.uniform(-1, 1, (n, n_steps))
    marker = rng.integers(0, lead, n)
    X[np.arange(n), marker, 1] = 1
    after = np.arange(n_steps) >= marker[:, None]  # [n, steps]: from the marker on
    Y = np.where(after, X[np.arange(n), marker, 0][:, None], 0)[..., None].astype(np.float32)
    return RecallTask(X, Y, marker)


def recall_score(task: RecallTask, Y_pred, k: int) -> float:
    """Fraction of the value's variance recalled ``k`` steps after the marker.

    ``1 - MSE / VALUE_VARIANCE`` over the forecasts at step ``marker + k`` of every
    sequence: 1 for perfect recall, about 0 for answering 0, negative for worse.
    """
    checks.instance("task", task, RecallTask, "a RecallTask")
    k = checks.integer("k", k, 0)
    Y_pred = np.asarray(Y_pred)
    if Y_pred.shape != task.Y.shape:
        raise ValueError(f"Y_pred must have the targets' shape {task.Y.shape}, got {Y_pred.shape}")
    steps = task.marker + k
    if steps.max() >= task.Y.shape[1]:
        raise ValueError(f"lag k={k} runs past the end of some sequences ({task.Y.shape[1]} steps)")
    rows = np.arange(len(steps))
    mse = float(np.mean((Y_pred[rows, steps, 0] - task.Y[rows, steps, 0]) ** 2))
    return 1 - mse / VALUE_VARIANCE


def span(scores: Mapping[int, float], threshold: float) -> int:
    """The longest lag recalled with every shorter lag: scores ``>= threshold``; 0 if none.

    ``scores`` maps lags to recall scores. A lag recalled after a failed shorter one
    does not extend the span.
    """
    if not isinstance(scores, Mapping) or not scores:
        raise ValueError("scores must be a non-empty mapping of lag -> recall score")
    return max(takewhile(lambda k: scores[k] >= threshold, sorted(scores)), default=0)


def build_model(recurrent, units: int | None = None, *, name: str | None = None):
    """A model of the task: ``recurrent`` returning sequences, then ``Dense(1)`` at every step.

    ``recurrent``: a cell of :data:`CELLS`, built by :func:`helpers.models.build_model` as
    one layer of ``units``, or any Keras layer (a WaveNet, say) that returns sequences.
    """
    if isinstance(recurrent, str):
        return models.build_model(ARCHITECTURES[checks.choice("cell", recurrent, CELLS)],
                                  models.Shape(None, 2, 1, True), layers=1, units=units, name=name)
    checks.instance("recurrent", recurrent, keras.layers.Layer, "a cell name or a Keras layer")
    return keras.Sequential([keras.Input(shape=(None, 2)), recurrent, keras.layers.Dense(1)],
                            name=name)


class SpanRun(NamedTuple):
    """What :func:`fit_and_score` returns for one model and one lag."""

    k: int
    score: float  # recall score at lag k on the validation sequences, after training
    epochs: int
    seconds: float
    scores: list[float]  # the validation recall score after each epoch


def fit_and_score(model, k: int, *, settings: MemorySettings | None = None,
                  seed: int | None = None, stop_when_solved: bool = True,
                  epochs: int | None = None, callbacks: Sequence = ()) -> SpanRun:
    """Train ``model`` (see :func:`build_model`) on the recall task at lag ``k``; score it.

    Uses ``settings`` (default: the active profile's) for the data sizes, batch size,
    Adam learning rate and epochs (``epochs`` overrides them); training stops early once
    the validation recall reaches ``settings.solved`` unless ``stop_when_solved`` is
    False. The model is compiled here, without XLA: each lag has its own sequence
    length, and a fresh XLA compilation per lag costs more than it saves on these short
    runs.
    """
    settings = get_settings() if settings is None else settings
    checks.instance("settings", settings, MemorySettings, "MemorySettings")
    checks.instance("model", model, keras.Model, "a keras.Model")
    epochs = checks.integer("epochs", settings.epochs if epochs is None else epochs)
    seed = PROFILE.seed if seed is None else seed
    train = recall_task(settings.n_train, k, seed=seed)  # checks k and seed
    valid = recall_task(settings.n_valid, k, seed=seed + 1)
    training.compile_model(model, learning_rate=settings.learning_rate, jit_compile=False)
    scores: list[float] = []

    def score(epoch, logs=None) -> None:  # after every epoch; stop once recalled
        Y_pred = model.predict(valid.X, batch_size=max(settings.batch_size, 250), verbose=0)
        scores.append(recall_score(valid, Y_pred, k))
        if stop_when_solved and scores[-1] >= settings.solved:
            model.stop_training = True

    # A new model (and sequence length) per call makes TensorFlow trace new functions,
    # which it reports as "excessive retracing" after a few lags: expected here, so hidden.
    start = time.perf_counter()
    with training.quiet_retracing():
        model.fit(train.X, train.Y, epochs=epochs, batch_size=settings.batch_size, verbose=0,
                  callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=score), *callbacks])
    return SpanRun(k, scores[-1], len(scores), time.perf_counter() - start, scores)


def connectivity(model, k: int, *, n: int = 256, seed: int | None = None) -> np.ndarray:
    """How strongly the answer at lag ``k`` depends on each earlier value, by steps back.

    On ``n`` fresh sequences of the recall task at lag ``k``, the gradient of the
    model's output at the answer step ``marker + k`` with respect to the *value* read at
    every step up to it. Entry ``j`` of the result is the mean absolute gradient with
    respect to the value read ``j`` steps before the answer (``j = k`` is the marked
    value), averaged over the sequences that reach that far back; shape ``[k + LEAD]``.
    """
    seed = PROFILE.seed_for(99) if seed is None else seed
    task = recall_task(n, k, seed=seed)  # checks n, k and seed
    X = tf.constant(task.X)
    answer = task.marker + k
    with tf.GradientTape() as tape:
        tape.watch(X)
        total = tf.reduce_sum(tf.gather(model(X)[..., 0], answer, batch_dims=1))
    grad = np.abs(tape.gradient(total, X).numpy()[..., 0]).astype("float64")  # [n, steps]
    steps = answer[:, None] - np.arange(k + LEAD)  # [i, j]: j steps before the answer
    reached = steps >= 0
    back = np.where(reached, np.take_along_axis(grad, steps.clip(0), axis=1), 0.0)
    return back.sum(axis=0) / reached.sum(axis=0)


def _path(profile: str | None, root: Path | None) -> Path:
    return Path(root or results.RESULTS_DIR) / (profile or PROFILE.name) / FILE_NAME


def save_results(entries: Mapping[str, Mapping], *, settings: MemorySettings | None = None,
                 profile: str | None = None, root: Path | None = None,
                 merge: bool = True) -> Path:
    """Write the memory-span table to ``results/<profile>/memory_span.json``; return the path.

    ``entries`` maps a model name (``"LSTM"``) to a mapping with ``"scores"`` (lag ->
    recall score, for every lag of ``settings``), and optionally ``"params"`` and
    ``"connectivity"`` (lag -> the array :func:`connectivity` returns); the span is
    computed here. With ``merge`` (the default) models already
    in the file are kept unless ``entries`` replaces them, so notebook 07 can add its own
    (a file written with other lags is replaced, not merged).
    """
    settings = get_settings(profile) if settings is None else settings
    if not isinstance(entries, Mapping) or not entries:
        raise ValueError("entries must be a non-empty mapping of model name -> results")
    table = {}
    for name, entry in entries.items():
        if not (isinstance(name, str) and name and isinstance(entry, Mapping)
                and "scores" in entry):
            raise ValueError(f"entries must map model names to mappings with 'scores': {name!r}")
        scores = {int(k): float(v) for k, v in entry["scores"].items()}
        if sorted(scores) != list(settings.lags):
            raise ValueError(f"entry {name!r} must score the lags {settings.lags}, "
                             f"got {sorted(scores)}")
        checks.array(f"the scores of {name!r}", list(scores.values()))
        table[name] = {"scores": {str(k): round(v, 4) for k, v in scores.items()},
                       "span": span(scores, settings.solved),
                       "params": int(entry.get("params", 0))}
        if "connectivity" in entry:
            table[name]["connectivity"] = {
                str(int(lag)): [float(f"{v:.4g}") for v in np.asarray(values, float)]
                for lag, values in entry["connectivity"].items()}
    path = _path(profile, root)
    if merge and path.exists():
        previous = json.loads(path.read_text())
        if tuple(previous.get("settings", {}).get("lags", ())) == settings.lags:
            table = {**previous["models"], **table}
    return results.write_json(path, {"profile": profile or PROFILE.name, "task": "recall",
                                     "lead": LEAD, "settings": asdict(settings), "models": table})


def load_results(profile: str | None = None, root: Path | None = None) -> dict:
    """The table :func:`save_results` wrote, with lags as ints: ``table["models"][name]``.

    Raises ``FileNotFoundError`` naming the notebook to run when there is none.
    """
    path = _path(profile, root)
    if not path.exists():
        raise FileNotFoundError(f"no memory-span results in {path}; run notebook 06 first")
    table = json.loads(path.read_text())
    for entry in table["models"].values():
        entry["scores"] = {int(k): v for k, v in entry["scores"].items()}
        if "connectivity" in entry:
            entry["connectivity"] = {int(k): np.array(v) for k, v in entry["connectivity"].items()}
    table["settings"]["lags"] = tuple(table["settings"]["lags"])
    return table
