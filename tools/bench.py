"""``make bench``: the chapter's book models trained plainly, then the course's way.

Both ways train the same eleven models (the book's architectures and learning rates, on
the full profile's 7,000 / 2,000 series, batch 32, 20 epochs, validation after every
epoch) from the same initial weights, one model at a time:

- **plain**: what a reader would write from the Keras documentation: ``compile`` with
  Adam and the MSE loss, everything else at Keras' and TensorFlow's defaults (on a CPU
  that means no XLA, and every core working on each operation);
- **course**: the course's :func:`helpers.training.compile_model` and
  :func:`helpers.training.fit_options`: XLA (``jit_compile=True``) on a CPU, several
  training steps per call into the compiled function (``steps_per_execution``), the
  validation set scored in large batches, and one thread per TensorFlow operation (set
  when ``helpers`` is imported, see ``COURSE_CPU_THREADS``). The optimisation is the
  same: same batches, same order, same updates.

Each (model, way) trains in its own Python process, so that the thread settings, which
TensorFlow fixes at start-up, are each way's own, and no compiled function is shared.

The table gives each model's training seconds both ways, their ratio, and the validation
MSE both ways (last-time-step MSE for the sequence-to-sequence models, as the book
reports them); ``results/BENCH.md`` keeps it with the machine it ran on.
``python -m tools.bench --only linear,lstm --epochs 2`` runs a part of it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keras

from helpers import data, device, metrics, training
from helpers.profile import PROFILES, Profile
from helpers.results import RESULTS_DIR

RATIO_TARGET = 0.40
"""The course's way must take at most this share of the plain time."""
MSE_TOLERANCE = 0.05
"""... with every validation MSE within 5% of the plain one, or better."""


def _rnn(*layers, n_steps=None):
    return keras.Sequential([keras.Input(shape=(n_steps, 1)), *layers])


def _seq(units=20):
    return keras.layers.SimpleRNN(units, return_sequences=True)


BUILDERS: dict[str, Callable[[], keras.Model]] = {
    "linear": lambda: keras.Sequential([keras.Input(shape=(50, 1)), keras.layers.Flatten(),
                                        keras.layers.Dense(1)]),
    "simple_rnn": lambda: _rnn(keras.layers.SimpleRNN(1)),
    "deep_rnn": lambda: _rnn(_seq(), _seq(), keras.layers.SimpleRNN(1)),
    "deep_rnn_dense": lambda: _rnn(_seq(), keras.layers.SimpleRNN(20), keras.layers.Dense(1)),
    "linear_10": lambda: keras.Sequential([keras.Input(shape=(50, 1)),
                                           keras.layers.Flatten(), keras.layers.Dense(10)]),
    "seq2vec_10": lambda: _rnn(_seq(), keras.layers.SimpleRNN(20), keras.layers.Dense(10)),
    "seq2seq_10": lambda: _rnn(_seq(), _seq(), keras.layers.Dense(10)),
    "lstm": lambda: _rnn(keras.layers.LSTM(20, return_sequences=True),
                         keras.layers.LSTM(20, return_sequences=True), keras.layers.Dense(10)),
    "gru": lambda: _rnn(keras.layers.GRU(20, return_sequences=True),
                        keras.layers.GRU(20, return_sequences=True), keras.layers.Dense(10)),
    "conv_gru": lambda: _rnn(
        keras.layers.Conv1D(20, kernel_size=4, strides=2, padding="valid"),
        keras.layers.GRU(20, return_sequences=True), keras.layers.GRU(20, return_sequences=True),
        keras.layers.Dense(10)),
    "wavenet": lambda: _rnn(*[keras.layers.Conv1D(20, kernel_size=2, padding="causal",
                                                  activation="relu", dilation_rate=rate)
                              for rate in (1, 2, 4, 8) * 2],
                            keras.layers.Conv1D(10, kernel_size=1)),
}
"""The book's models (SYLLABUS sections 6-12), by the names results/ records them under."""

TARGETS = {"linear": "one_step", "simple_rnn": "one_step", "deep_rnn": "one_step",
           "deep_rnn_dense": "one_step", "linear_10": "vector", "seq2vec_10": "vector"}
"""Target kind of each model; the others are sequence-to-sequence."""

LEARNING_RATES = {"simple_rnn": 0.005, "seq2seq_10": 0.01}
"""The book's learning rates where it changes Adam's default (0.001)."""


@dataclass
class Timing:
    name: str
    way: str
    seconds: float
    val_mse: float


def _data(kind: str, profile: Profile) -> data.Splits:
    d = data.load("sequence" if kind == "conv" else kind, profile=profile)
    if kind != "conv":
        return d
    # Conv1D(kernel 4, stride 2, valid) outputs step t' from inputs 2t'..2t'+3: its targets
    # are the sequence targets at steps 3, 5, 7, ...
    return d._replace(y_train=d.y_train[:, 3::2], y_valid=d.y_valid[:, 3::2],
                      y_test=d.y_test[:, 3::2])


def _kind(name: str) -> str:
    return "conv" if name == "conv_gru" else TARGETS.get(name, "sequence")


def train_one(name: str, way: str, splits: data.Splits, *, epochs: int, seed: int) -> Timing:
    """Build ``name`` from ``seed``, train it ``way`` ("plain" or "course"), time the fit."""
    if name not in BUILDERS:
        raise ValueError(f"name must be one of {list(BUILDERS)}, got {name!r}")
    if way not in ("plain", "course"):
        raise ValueError(f"way must be 'plain' or 'course', got {way!r}")
    training.set_seed(seed)
    model = BUILDERS[name]()
    lr = LEARNING_RATES.get(name, 1e-3)
    sequence = _kind(name) in ("sequence", "conv")
    extra = [metrics.last_time_step_mse] if sequence else []
    options = {}
    if way == "plain":
        model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=lr),
                      metrics=extra)
    else:
        training.compile_model(model, learning_rate=lr, metrics=extra)
        options = training.fit_options(len(splits.X_valid))
    start = time.perf_counter()
    history = model.fit(splits.X_train, splits.y_train, epochs=epochs, batch_size=32,
                        validation_data=(splits.X_valid, splits.y_valid), verbose=0,
                        **options)
    seconds = time.perf_counter() - start
    key = "val_last_time_step_mse" if sequence else "val_loss"
    return Timing(name, way, seconds, float(history.history[key][-1]))


def table(timings: list[Timing]) -> str:
    """The markdown table of both ways per model, with totals."""
    by = {(t.name, t.way): t for t in timings}
    names = [n for n in BUILDERS if (n, "plain") in by and (n, "course") in by]
    lines = ["| model | plain (s) | course (s) | ratio | val MSE plain | val MSE course | "
             "MSE change |", "|---|---:|---:|---:|---:|---:|---:|"]
    for n in names:
        p, c = by[(n, "plain")], by[(n, "course")]
        lines.append(f"| {n} | {p.seconds:.1f} | {c.seconds:.1f} | "
                     f"{c.seconds / p.seconds:.2f} | {p.val_mse:.4f} | {c.val_mse:.4f} | "
                     f"{c.val_mse / p.val_mse - 1:+.1%} |")
    total_p = sum(by[(n, "plain")].seconds for n in names)
    total_c = sum(by[(n, "course")].seconds for n in names)
    if names:
        lines.append(f"| **all {len(names)}** | **{total_p:.0f}** | **{total_c:.0f}** | "
                     f"**{total_c / total_p:.2f}** | | | |")
    return "\n".join(lines)


def verdict(timings: list[Timing]) -> tuple[bool, str]:
    """Whether the course's way meets :data:`RATIO_TARGET` and :data:`MSE_TOLERANCE`."""
    by = {(t.name, t.way): t for t in timings}
    names = [n for n in BUILDERS if (n, "plain") in by and (n, "course") in by]
    if not names:
        raise ValueError("timings must hold both ways of at least one model")
    ratio = (sum(by[(n, "course")].seconds for n in names)
             / sum(by[(n, "plain")].seconds for n in names))
    worse = [n for n in names
             if by[(n, "course")].val_mse > by[(n, "plain")].val_mse * (1 + MSE_TOLERANCE)]
    ok = ratio <= RATIO_TARGET and not worse
    text = (f"course / plain time: {ratio:.2f} (target <= {RATIO_TARGET:.2f}); "
            f"validation MSE more than {MSE_TOLERANCE:.0%} worse: "
            f"{', '.join(worse) if worse else 'none'}")
    return ok, text


def _child(name: str, way: str, epochs: int, profile: str) -> Timing:
    """Train one (model, way) in a fresh Python process; its Timing."""
    env = dict(os.environ)
    if way == "plain":
        env["COURSE_CPU_THREADS"] = "default"  # TensorFlow's own thread pools
    result = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--child", name, way, str(epochs), profile],
        env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"training {name} ({way}) failed:\n{result.stderr[-3000:]}")
    return Timing(**json.loads(result.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated model names (default: all 11)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--profile", default="full", choices=sorted(PROFILES))
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "BENCH.md",
                        help="where to write the table (only for a whole run)")
    parser.add_argument("--child", nargs=4, metavar=("NAME", "WAY", "EPOCHS", "PROFILE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        name, way, epochs, profile = args.child
        t = train_one(name, way, _data(_kind(name), PROFILES[profile]), epochs=int(epochs),
                      seed=PROFILES[profile].seed)
        print(json.dumps(t.__dict__))
        return 0
    names = args.only.split(",") if args.only else list(BUILDERS)
    unknown = [n for n in names if n not in BUILDERS]
    if unknown:
        parser.error(f"unknown models {unknown}; choose from {list(BUILDERS)}")
    profile = PROFILES[args.profile]
    timings: list[Timing] = []
    start = time.perf_counter()
    for name in names:
        for way in ("plain", "course"):
            t = _child(name, way, args.epochs, args.profile)
            timings.append(t)
            print(f"{name:>15} {way:>6}: {t.seconds:6.1f} s  val MSE {t.val_mse:.5f}",
                  flush=True)
    ok, text = verdict(timings)
    body = table(timings)
    print(body + "\n" + text)
    whole = names == list(BUILDERS) and args.epochs == 20 and args.profile == "full"
    if whole:
        cores = os.cpu_count()
        header = (f"# Training the book's models: plain Keras vs the course's way\n\n"
                  f"`make bench` (`python -m tools.bench`), {time.strftime('%Y-%m-%d')}: "
                  f"{cores} CPU cores, {device.report().splitlines()[1]}, "
                  f"{device.report().splitlines()[0]}. Each model trains {args.epochs} "
                  f"epochs on {profile.n_train:,} series, batch 32, validated after every "
                  f"epoch, from the same initial weights both ways. Whole run: "
                  f"{time.perf_counter() - start:.0f} s. See `tools/bench.py` for what "
                  f"each way does.\n\n")
        args.output.write_text(header + body + f"\n\n{text}\n\nTargets met: "
                               f"{'yes' if ok else 'no'}.\n")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
