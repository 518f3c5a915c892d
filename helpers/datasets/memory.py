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

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from numbers import Real
from pathlib import Path
from typing import NamedTuple

import numpy as np

from helpers import results, training
from helpers.data import _non_negative_int, _positive_int
from helpers.profile import PROFILE

LEAD = 5
"""The marker falls on one of the first ``LEAD`` steps of a sequence."""
VALUE_VARIANCE = 1 / 3
"""Variance of a value drawn uniformly from [-1, 1]: the MSE of always answering 0."""
CELLS = ("SimpleRNN", "LSTM", "GRU")
"""Cells :func:`recurrent_layer` builds by name."""
FILE_NAME = "memory_span.json"
MAX_VALUES = 20_000_000
"""Most time steps, ``n * (k + lead)``, in one :func:`recall_task` (its arrays then take
about 400 MB; the course's largest, 2,000 sequences at lag 200, holds 410,000)."""


@dataclass(frozen=True)
class MemorySettings:
    """Sizes and training budget of the memory-span experiment, the same for every cell."""

    lags: tuple[int, ...]
    """Lags ``k`` to try, increasing."""
    n_train: int
    n_valid: int
    epochs: int
    """Most epochs per (cell, lag); training stops earlier once the lag is recalled."""
    batch_size: int = 50
    units: int = 20
    learning_rate: float = 0.01
    solved: float = 0.9
    """Recall score at which a lag counts as recalled (and training stops)."""

    def __post_init__(self) -> None:
        lags = tuple(self.lags)
        if not lags:
            raise ValueError("lags must not be empty")
        for k in lags:
            _positive_int("lags[...]", k)
        if list(lags) != sorted(set(lags)):
            raise ValueError(f"lags must be strictly increasing, got {lags}")
        object.__setattr__(self, "lags", lags)
        for field in ("n_train", "n_valid", "epochs", "batch_size", "units"):
            _positive_int(field, getattr(self, field))
        if self.n_train % self.batch_size:
            raise ValueError(f"n_train ({self.n_train}) must be a multiple of batch_size "
                             f"({self.batch_size}): no odd-sized last batch to compile for")
        if isinstance(self.learning_rate, bool) or not isinstance(self.learning_rate, Real) \
                or not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be a positive number, got "
                             f"{self.learning_rate!r}")
        if isinstance(self.solved, bool) or not isinstance(self.solved, Real) \
                or not 0 < self.solved <= 1:
            raise ValueError(f"solved must be a number in (0, 1], got {self.solved!r}")


SETTINGS: dict[str, MemorySettings] = {
    "full": MemorySettings(lags=(10, 20, 50, 100, 200), n_train=2_000, n_valid=500,
                           epochs=10),
    # Quick: the same data per lag, fewer epochs and two lags, one that SimpleRNN still
    # recalls and one past it: enough for the gated cells to pass where SimpleRNN stops.
    "quick": MemorySettings(lags=(20, 50), n_train=2_000, n_valid=250, epochs=6),
}


def get_settings(profile: str | None = None) -> MemorySettings:
    """The experiment's settings for run profile ``profile`` (default: the active one)."""
    name = PROFILE.name if profile is None else profile
    if name not in SETTINGS:
        raise ValueError(f"profile must be one of {sorted(SETTINGS)}, got {name!r}")
    return SETTINGS[name]


class RecallTask(NamedTuple):
    """Inputs ``X`` ``[n, k + lead, 2]``, targets ``Y`` ``[n, k + lead, 1]``, marker steps."""

    X: np.ndarray
    Y: np.ndarray
    marker: np.ndarray
    """Step ``p`` of each sequence's marker, shape ``[n]``."""


def recall_task(n: int, k: int, *, lead: int = LEAD, seed: int | None = None) -> RecallTask:
    """``n`` recall sequences of ``k + lead`` steps (see the module docstring).

    ``X[..., 0]`` holds the values, ``X[..., 1]`` the marker; ``Y[i, t, 0]`` is
    ``X[i, marker[i], 0]`` from the marker on and 0 before it. The same ``seed`` gives
    the same arrays. At most :data:`MAX_VALUES` time steps in all, ``n * (k + lead)``.
    """
    n = _positive_int("n", n)
    k = _positive_int("k", k)
    lead = _positive_int("lead", lead)
    if n * (k + lead) > MAX_VALUES:
        raise ValueError(f"n * (k + lead) = {n:,} * {k + lead:,} time steps is more than the "
                         f"{MAX_VALUES:,} a recall task may hold: use fewer sequences (n) "
                         f"or a shorter lag (k)")
    if seed is not None:
        _non_negative_int("seed", seed)
    rng = np.random.default_rng(seed)
    n_steps = k + lead
    X = np.zeros((n, n_steps, 2), dtype=np.float32)
    X[..., 0] = rng.uniform(-1, 1, (n, n_steps))
    marker = rng.integers(0, lead, n)
    rows = np.arange(n)
    X[rows, marker, 1] = 1
    value = X[rows, marker, 0]
    after = np.arange(n_steps)[np.newaxis] >= marker[:, np.newaxis]
    Y = np.where(after, value[:, np.newaxis], 0)[..., np.newaxis].astype(np.float32)
    return RecallTask(X, Y, marker)


def recall_score(task: RecallTask, Y_pred, k: int) -> float:
    """Fraction of the value's variance recalled ``k`` steps after the marker.

    ``1 - MSE / VALUE_VARIANCE`` over the forecasts at step ``marker + k`` of every
    sequence: 1 for perfect recall, about 0 for answering 0, negative for worse.
    """
    if not isinstance(task, RecallTask):
        raise TypeError(f"task must be a RecallTask, got {type(task).__name__}")
    k = _non_negative_int("k", k)
    Y_pred = np.asarray(Y_pred)
    if Y_pred.shape != task.Y.shape:
        raise ValueError(f"Y_pred must have the targets' shape {task.Y.shape}, "
                         f"got {Y_pred.shape}")
    steps = task.marker + k
    if steps.max() >= task.Y.shape[1]:
        raise ValueError(f"lag k={k} runs past the end of sequences of "
                         f"{task.Y.shape[1]} steps for some markers")
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
    longest = 0
    for k in sorted(scores):
        if not scores[k] >= threshold:
            break
        longest = k
    return longest


def recurrent_layer(cell: str, units: int):
    """A ``SimpleRNN``, ``LSTM`` or ``GRU`` layer of ``units`` that returns sequences."""
    import keras

    units = _positive_int("units", units)
    layers = {"SimpleRNN": keras.layers.SimpleRNN, "LSTM": keras.layers.LSTM,
              "GRU": keras.layers.GRU}
    if cell not in layers:
        raise ValueError(f"cell must be one of {CELLS}, got {cell!r}")
    return layers[cell](units, return_sequences=True)


def build_model(recurrent, *, name: str | None = None):
    """``recurrent`` (a layer returning sequences) then ``Dense(1)``, for [batch, steps, 2]."""
    import keras

    if not isinstance(recurrent, keras.layers.Layer):
        raise TypeError(f"recurrent must be a Keras layer, got {type(recurrent).__name__}")
    return keras.Sequential([keras.Input(shape=(None, 2)), recurrent, keras.layers.Dense(1)],
                            name=name)


def _stop_when_recalled(task: RecallTask, k: int, threshold: float, batch_size: int):
    import keras

    class StopWhenRecalled(keras.callbacks.Callback):
        """Score recall after every epoch; stop training once it reaches ``threshold``."""

        def __init__(self) -> None:
            super().__init__()
            self.scores: list[float] = []

        def on_epoch_end(self, epoch, logs=None) -> None:
            Y_pred = self.model.predict(task.X, batch_size=batch_size, verbose=0)
            self.scores.append(recall_score(task, Y_pred, k))
            if self.scores[-1] >= threshold:
                self.model.stop_training = True

    return StopWhenRecalled()


class SpanRun(NamedTuple):
    """What :func:`fit_and_score` returns for one model and one lag."""

    k: int
    score: float
    """Recall score at lag ``k`` on the validation sequences, after training."""
    epochs: int
    seconds: float
    scores: list[float]
    """The validation recall score after each epoch."""


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
    import keras

    settings = get_settings() if settings is None else settings
    if not isinstance(settings, MemorySettings):
        raise TypeError(f"settings must be MemorySettings, got {type(settings).__name__}")
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    k = _positive_int("k", k)
    epochs = _positive_int("epochs", settings.epochs if epochs is None else epochs)
    seed = PROFILE.seed if seed is None else _non_negative_int("seed", seed)
    train = recall_task(settings.n_train, k, seed=seed)
    valid = recall_task(settings.n_valid, k, seed=seed + 1)
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(
        learning_rate=settings.learning_rate))
    monitor = _stop_when_recalled(valid, k, settings.solved if stop_when_solved else np.inf,
                                  max(settings.batch_size, 250))
    # A new model (and sequence length) per call makes TensorFlow trace new functions,
    # which it reports as "excessive retracing" after a few lags: expected here, so hidden.
    start = time.perf_counter()
    with training.quiet_retracing():
        model.fit(train.X, train.Y, epochs=epochs, batch_size=settings.batch_size,
                  verbose=0, callbacks=[monitor, *callbacks])
    seconds = time.perf_counter() - start
    return SpanRun(k=k, score=monitor.scores[-1], epochs=len(monitor.scores),
                   seconds=seconds, scores=monitor.scores)


def connectivity(model, k: int, *, n: int = 256, seed: int | None = None) -> np.ndarray:
    """How strongly the answer at lag ``k`` depends on each earlier value, by steps back.

    On ``n`` fresh sequences of the recall task at lag ``k``, the gradient of the
    model's output at the answer step ``marker + k`` with respect to the *value* read at
    every step up to it. Entry ``j`` of the result is the mean absolute gradient with
    respect to the value read ``j`` steps before the answer (``j = k`` is the marked
    value), averaged over the sequences that reach that far back; shape ``[k + LEAD]``.
    """
    import tensorflow as tf

    k = _positive_int("k", k)
    n = _positive_int("n", n)
    seed = PROFILE.seed_for(99) if seed is None else _non_negative_int("seed", seed)
    task = recall_task(n, k, seed=seed)
    X = tf.constant(task.X)
    answer = task.marker + k
    with tf.GradientTape() as tape:
        tape.watch(X)
        out = model(X)
        picked = tf.gather_nd(out[..., 0], np.stack([np.arange(n), answer], axis=1))
        total = tf.reduce_sum(picked)
    grad = np.abs(tape.gradient(total, X).numpy()[..., 0])  # [n, steps], values only
    sums, counts = np.zeros(k + LEAD), np.zeros(k + LEAD)
    for row, last in zip(grad, answer):
        back = row[:last + 1][::-1]  # back[j]: the value read j steps before the answer
        sums[:len(back)] += back
        counts[:len(back)] += 1
    return sums / counts


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
    models = {}
    for name, entry in entries.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"model names must be non-empty strings, got {name!r}")
        if not isinstance(entry, Mapping) or "scores" not in entry:
            raise ValueError(f"entry {name!r} must be a mapping with 'scores'")
        scores = {int(k): float(v) for k, v in entry["scores"].items()}
        if sorted(scores) != list(settings.lags):
            raise ValueError(f"entry {name!r} must score the lags {settings.lags}, "
                             f"got {sorted(scores)}")
        if not all(np.isfinite(list(scores.values()))):
            raise ValueError(f"entry {name!r} has non-finite scores")
        models[name] = {
            "scores": {str(k): round(v, 4) for k, v in scores.items()},
            "span": span(scores, settings.solved),
            "params": int(entry.get("params", 0)),
        }
        if "connectivity" in entry:
            models[name]["connectivity"] = {
                str(int(lag)): [float(f"{v:.4g}") for v in np.asarray(values, float)]
                for lag, values in entry["connectivity"].items()}
    path = _path(profile, root)
    if merge and path.exists():
        previous = json.loads(path.read_text())
        if tuple(previous.get("settings", {}).get("lags", ())) == settings.lags:
            models = {**previous["models"], **models}
    table = {"profile": profile or PROFILE.name, "task": "recall", "lead": LEAD,
             "settings": asdict(settings), "models": models}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(table, indent=2) + "\n")
    return path


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
            entry["connectivity"] = {int(k): np.array(v)
                                     for k, v in entry["connectivity"].items()}
    table["settings"]["lags"] = tuple(table["settings"]["lags"])
    return table
