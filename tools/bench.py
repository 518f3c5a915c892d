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

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import keras

from helpers import checks, data, device, metrics, models, training
from helpers.profile import PROFILES, Profile
from helpers.results import RESULTS_DIR
from tools.report import markdown

RATIO_TARGET = 0.40  # the course's way must take at most this share of the plain time,
MSE_TOLERANCE = 0.05  # with every validation MSE within 5% of the plain one, or better


# The book's models (SYLLABUS sections 6-12), by the names results/ records them under:
# architecture (helpers.models.ARCHITECTURES), outputs, targets (one_step, vector,
# sequence, or conv: the sequence cropped to a strided Conv1D's outputs), options.
# 20 units, two layers (the WaveNet: two runs of rates).
BOOK: dict[str, tuple[str, int, str, dict]] = {
    "linear": ("linear", 1, "one_step", {}), "simple_rnn": ("simple_rnn", 1, "one_step", {}),
    "deep_rnn": ("deep_rnn", 1, "one_step", {"head": "rnn"}),
    "deep_rnn_dense": ("deep_rnn", 1, "one_step", {}), "linear_10": ("linear", 10, "vector", {}),
    "seq2vec_10": ("deep_rnn", 10, "vector", {}), "seq2seq_10": ("deep_rnn", 10, "sequence", {}),
    "lstm": ("lstm", 10, "sequence", {}), "gru": ("gru", 10, "sequence", {}),
    "conv_gru": ("conv_gru", 10, "conv", {"book": True}),
    "wavenet": ("wavenet", 10, "sequence", {}),
}


def _builder(arch: str, n_outputs: int, kind: str, options: dict):
    shape = models.Shape(50 if arch == "linear" else None, 1, n_outputs,
                         sequence_output=kind in ("sequence", "conv"))
    return lambda: models.build_model(arch, shape, units=20, layers=2, **options)


BUILDERS = {n: _builder(*s) for n, s in BOOK.items()}

# The book's learning rates where it changes Adam's default (0.001).
LEARNING_RATES = {"simple_rnn": 0.005, "seq2seq_10": 0.01}


@dataclass
class Timing:
    name: str
    way: str
    seconds: float
    val_mse: float


def _data(kind: str, profile: Profile) -> data.Splits:
    d = data.load("sequence" if kind == "conv" else kind, profile=profile)
    if kind == "conv":  # Conv1D(kernel 4, stride 2, valid) outputs step t' from inputs
        # 2t'..2t'+3: its targets are the sequence targets at steps 3, 5, 7, ...
        d = d._replace(y_train=d.y_train[:, 3::2], y_valid=d.y_valid[:, 3::2],
                       y_test=d.y_test[:, 3::2])
    return d


def _kind(name: str) -> str:
    """The targets of model ``name``: one_step, vector, sequence or conv (cropped sequence)."""
    return BOOK[name][2]


def train_one(name: str, way: str, splits: data.Splits, *, epochs: int, seed: int) -> Timing:
    """Build ``name`` from ``seed``, train it ``way`` ("plain" or "course"), time the fit."""
    checks.choice("name", name, BUILDERS)
    checks.choice("way", way, ("plain", "course"))
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


def _pairs(timings: list[Timing]) -> list[tuple[Timing, Timing]]:
    """(plain, course) of each model timed both ways, in the order of :data:`BUILDERS`."""
    by = {(t.name, t.way): t for t in timings}
    return [(by[n, "plain"], by[n, "course"]) for n in BUILDERS
            if (n, "plain") in by and (n, "course") in by]


def table(timings: list[Timing]) -> str:
    """The markdown table of both ways per model, with totals."""
    pairs = _pairs(timings)
    rows = ([p.name, f"{p.seconds:.1f}", f"{c.seconds:.1f}", f"{c.seconds / p.seconds:.2f}",
             f"{p.val_mse:.4f}", f"{c.val_mse:.4f}", f"{c.val_mse / p.val_mse - 1:+.1%}"]
            for p, c in pairs)
    text = markdown("model|plain (s):|course (s):|ratio:|val MSE plain:|val MSE course:|"
                    "MSE change:", rows)
    if pairs:
        total_p, total_c = (sum(t.seconds for t in way) for way in zip(*pairs))
        text += (f"| **all {len(pairs)}** | **{total_p:.0f}** | **{total_c:.0f}** | "
                 f"**{total_c / total_p:.2f}** | | | |")
    return text.rstrip("\n")


def verdict(timings: list[Timing]) -> tuple[bool, str]:
    """Whether the course's way meets :data:`RATIO_TARGET` and :data:`MSE_TOLERANCE`."""
    pairs = _pairs(timings)
    if not pairs:
        raise ValueError("timings must hold both ways of at least one model")
    ratio = sum(c.seconds for _, c in pairs) / sum(p.seconds for p, _ in pairs)
    worse = [p.name for p, c in pairs if c.val_mse > p.val_mse * (1 + MSE_TOLERANCE)]
    text = (f"course / plain time: {ratio:.2f} (target <= {RATIO_TARGET:.2f}); "
            f"validation MSE more than {MSE_TOLERANCE:.0%} worse: "
            f"{', '.join(worse) if worse else 'none'}")
    return ratio <= RATIO_TARGET and not worse, text


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
        splits = _data(_kind(name), PROFILES[profile])
        print(json.dumps(asdict(train_one(name, way, splits, epochs=int(epochs),
                                          seed=PROFILES[profile].seed))))
        return 0
    names = args.only.split(",") if args.only else list(BUILDERS)
    if unknown := [n for n in names if n not in BUILDERS]:
        parser.error(f"unknown models {unknown}; choose from {list(BUILDERS)}")
    timings, start = [], time.perf_counter()
    for name in names:
        for way in ("plain", "course"):
            t = _child(name, way, args.epochs, args.profile)
            timings.append(t)
            print(f"{name:>15} {way:>6}: {t.seconds:6.1f} s  val MSE {t.val_mse:.5f}",
                  flush=True)
    (ok, text), body = verdict(timings), table(timings)
    print(body + "\n" + text)
    if names == list(BUILDERS) and args.epochs == 20 and args.profile == "full":  # whole
        versions, device_line = device.report().splitlines()[:2]
        args.output.write_text(
            f"# Training the book's models: plain Keras vs the course's way\n\n`make bench` "
            f"(`python -m tools.bench`), {time.strftime('%Y-%m-%d')}: {os.cpu_count()} CPU "
            f"cores, {device_line}, {versions}. Each model trains {args.epochs} epochs on "
            f"{PROFILES[args.profile].n_train:,} series, batch 32, validated after every epoch, "
            f"from the same initial weights both ways. Whole run: "
            f"{time.perf_counter() - start:.0f} s. See `tools/bench.py` for what each way "
            f"does.\n\n{body}\n\n{text}\n\nTargets met: {'yes' if ok else 'no'}.\n")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
