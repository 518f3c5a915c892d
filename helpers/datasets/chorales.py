"""Bach's four-part chorales as arrays of notes, for notebook 09's exercise 10.

A chorale becomes an int array of shape ``[steps, 4]``: one row per time step, one column
per voice (soprano, alto, tenor, bass), each entry the MIDI number of the note that voice
sounds at that step (60 is middle C), or 0 when it is silent. The scores come from the
corpus that ships with ``music21`` (nothing is downloaded):

- :func:`score_to_notes` samples a ``music21`` score on a regular grid of
  ``steps_per_quarter`` steps per quarter note (:data:`STEPS_PER_QUARTER`, eighth notes
  by default: the chorales move in quarters and eighths, so this keeps nearly every note
  and gives about 50 to 390 steps per chorale, half as many as sixteenths would);
- :func:`load` converts the corpus once, caches the arrays in a compressed ``.npz`` file
  outside the repository (:func:`cache_dir`), and splits them by chorale into train,
  valid and test sets; the quick profile converts only a handful of chorales;
- :class:`NoteMap` maps MIDI numbers to compact token indices (0 stays silence),
  :func:`windows` cuts training windows whose targets are the inputs shifted by one step,
  :func:`pad` and :func:`masked_accuracy` score next-step predictions on whole chorales,
  :func:`reweight` and :func:`sample` draw notes with a temperature, :func:`generate`
  extends an opening with a trained model's notes;
- :func:`plot_piano_roll` draws the voices, :func:`synthesize` plays them (a small NumPy
  synthesiser, for ``IPython.display.Audio``).

The sizes and training budget of the exercise depend on the run profile
(:data:`SETTINGS`, :func:`get_settings`).
"""

import math
import os
import re
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from helpers import checks
from helpers.profile import PROFILE, Settings, for_profile

VOICES = ("soprano", "alto", "tenor", "bass")
STEPS_PER_QUARTER = 2  # the default time resolution: one step per eighth note
CACHE_VERSION = 2  # bumped whenever the conversion changes: old cache files are not reused
_EPS = 1e-9


@dataclass(frozen=True)
class ChoraleSettings(Settings):
    """Data sizes and training budget of the chorale exercise for one run profile.

    ``n_chorales`` chorales are converted from the corpus (the first ones, in file-name
    order; None: all). Training windows are ``window`` steps long (8 bars of 4/4 in
    eighth notes), one every ``stride`` steps of a chorale. Training chorales are also
    used transposed by 1 to ``transpositions`` semitones up and down (7 copies of each
    for 3), so the model learns music, not keys. ``n_generate`` steps are generated
    after a real chorale's opening.
    """

    n_chorales: int | None
    epochs: int
    window: int = 64
    stride: int = 16
    batch_size: int = 32
    learning_rate: float = 5e-3
    transpositions: int = 3
    steps_per_quarter: int = STEPS_PER_QUARTER
    n_generate: int = 64

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.n_chorales is not None:  # at least one chorale per split
            checks.integer("n_chorales", self.n_chorales, low=3)
        checks.number("learning_rate", self.learning_rate, above=0)


SETTINGS: dict[str, ChoraleSettings] = {
    # Full: every four-part chorale of the corpus; a few minutes of training on 2 cores.
    "full": ChoraleSettings(n_chorales=None, epochs=8),
    # Quick: a dozen chorales (converted in seconds on a fresh machine), the same model.
    "quick": ChoraleSettings(n_chorales=12, epochs=6),
}


def get_settings(profile: str | None = None) -> ChoraleSettings:
    """The exercise's settings for run profile ``profile`` (default: the active one)."""
    return for_profile(SETTINGS, profile)


# ------------------------------------------------------------------------- conversion

def _music21():
    """Import music21, without the notebook set-up it schedules on import.

    Imported in a Jupyter kernel, music21 starts a one-second timer that switches
    matplotlib's inline figures to 'retina', doubling the size of every later figure
    stored in the notebook. We cancel that timer.
    """
    import music21

    timer = getattr(getattr(music21, "ipython21", None), "t", None)
    if timer is not None and hasattr(timer, "cancel"):
        timer.cancel()
    return music21


def _grid_events(part, steps_per_quarter: int):
    """``(first, stop, midi)`` for each pitched note of ``part`` that takes time: the note
    sounds at grid steps ``first <= k < stop`` (none when it falls between two). A chord
    gives its highest note."""
    for element in part.flatten().notes:
        length = float(element.duration.quarterLength)
        midi = max((p.midi for p in element.pitches), default=None)
        if element.duration.isGrace or length <= 0 or midi is None:
            continue
        start = float(element.offset)
        yield (math.ceil(start * steps_per_quarter - _EPS),
               math.ceil((start + length) * steps_per_quarter - _EPS), int(midi))


def grid_losses(score, steps_per_quarter: int = STEPS_PER_QUARTER) -> tuple[int, int]:
    """``(notes, dropped)``: the score's timed notes, and how many fall between two grid
    points (notes shorter than a step, off the grid), which the conversion loses."""
    spq = checks.integer("steps_per_quarter", steps_per_quarter)
    parts = checks.instance("score", score, _music21().stream.Score, "a music21 Score").parts
    events = [event for part in parts for event in _grid_events(part, spq)]
    return len(events), sum(first >= stop for first, stop, _ in events)


def score_to_notes(score, steps_per_quarter: int = STEPS_PER_QUARTER, *, trim: bool = True):
    """Convert a four-part ``music21`` score to an int array ``[steps, 4]`` of MIDI numbers.

    Columns follow the score's parts (soprano, alto, tenor, bass in the Bach corpus);
    0 is silence. Step ``k`` holds the note sounding at time ``k / steps_per_quarter``
    (in quarter notes from the score's first beat, so a pickup's first note is step 0):
    a note that starts at offset ``o`` and lasts ``d`` fills the steps whose time falls
    in ``[o, o + d)``. So a tied note fills its steps like one long note; a rest leaves
    zeros; grace notes and notes shorter than a step that fall between two grid points
    are skipped (see :func:`grid_losses`); a chord, or two voices on one staff, gives the
    highest sounding note. With ``trim`` (the default), steps where all four voices are
    silent are dropped at both ends. Raises ``ValueError`` unless the score has 4 parts.
    """
    spq = checks.integer("steps_per_quarter", steps_per_quarter)
    parts = checks.instance("score", score, _music21().stream.Score, "a music21 Score").parts
    if len(parts) != 4:
        raise ValueError(f"score must have exactly 4 parts (SATB), got {len(parts)}")
    n_steps = math.ceil(float(score.highestTime) * spq - _EPS)
    notes = np.zeros((n_steps, 4), dtype=np.int16)
    for v, part in enumerate(parts):
        for first, stop, midi in _grid_events(part, spq):
            np.maximum(notes[first:stop, v], midi, out=notes[first:stop, v])
    return np.trim_zeros(notes, axis=0) if trim else notes


def _parse(path):
    """Parse a score file itself (no pickled copy), hiding music21's MusicXML warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _music21().converter.parse(path, forceSource=True, storePickle=False)


def parse(name: str):
    """Parse one chorale of music21's Bach corpus by file name (``"bwv269"``), quietly."""
    checks.instance("name", name, str, "a chorale's file name like 'bwv269'")
    matches = [p for p in corpus_paths() if p.stem == name]
    if not matches:
        raise ValueError(f"no chorale named {name!r} in music21's Bach corpus")
    return _parse(matches[0])


def corpus_paths() -> list[Path]:
    """The chorale files of music21's Bach corpus, one per chorale, in file-name order.

    MusicXML files only (the few Humdrum copies duplicate them); variants of one chorale
    (``bwv248.23-2``, ``bwv248.23-s``) count once, the first in name order.
    """
    first: dict[str, Path] = {}
    for path in sorted(_music21().corpus.getComposer("bach"), key=lambda p: p.name):
        if path.suffix in (".mxl", ".xml"):
            first.setdefault(re.split(r"[-_]", path.stem)[0], path)
    return list(first.values())


def convert_corpus(n_chorales: int | None = None, steps_per_quarter: int = STEPS_PER_QUARTER):
    """Parse music21's Bach chorales and convert the four-part ones (:func:`score_to_notes`).

    Returns ``(chorales, names, losses)`` for the first ``n_chorales`` four-part chorales
    in file-name order (all of them for None); ``losses[i]`` is chorale ``i``'s
    :func:`grid_losses`. Scores with another number of parts are skipped. Takes a few
    tenths of a second per score: use :func:`load`, which caches.
    """
    chorales, names, losses = [], [], []
    for path in corpus_paths():
        if n_chorales is not None and len(chorales) >= n_chorales:
            break
        score = _parse(path)
        parts = len(getattr(score, "parts", ()))
        notes = score_to_notes(score, steps_per_quarter) if parts == 4 else ()
        if len(notes):
            chorales.append(notes)
            names.append(path.stem)
            losses.append(grid_losses(score, steps_per_quarter))
    return chorales, names, np.array(losses, dtype=np.int64).reshape(-1, 2)


# ---------------------------------------------------------------------------- caching

def cache_dir() -> Path:
    """Where converted data is cached: ``$COURSE_CACHE``, else ``$XDG_CACHE_HOME/rnn-course``,
    else ``~/.cache/rnn-course``. Outside the repository, so git never sees it."""
    explicit = os.environ.get("COURSE_CACHE", "").strip()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "rnn-course"


def cache_name(n_chorales: int | None, steps_per_quarter: int = STEPS_PER_QUARTER) -> str:
    """File name of the cache for a chorale count and resolution."""
    count = "all" if n_chorales is None else checks.integer("n_chorales", n_chorales)
    return f"bach_chorales_v{CACHE_VERSION}_q{steps_per_quarter}_{count}.npz"


def save_chorales(path, chorales, names, losses, steps_per_quarter=STEPS_PER_QUARTER) -> Path:
    """Write chorales (each ``[steps, 4]``), their names and their :func:`grid_losses`
    (``[n, 2]``) to a compressed ``.npz``.

    The file is written next to its destination and then renamed, so an interrupted run
    never leaves a half-written cache behind.
    """
    path = Path(path)
    notes = np.concatenate(chorales) if chorales else np.zeros((0, 4))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.npz")
    try:
        np.savez_compressed(tmp, notes=notes.astype(np.uint8), names=np.array(names, dtype=str),
                            lengths=np.array([len(c) for c in chorales], dtype=np.int64),
                            losses=np.asarray(losses, dtype=np.int64),
                            steps_per_quarter=steps_per_quarter, version=CACHE_VERSION)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def load_chorales(path: Path | str) -> tuple[list[np.ndarray], list[str], np.ndarray]:
    """Read what :func:`save_chorales` wrote: ``(chorales, names, losses)``, notes as int16."""
    with np.load(Path(path), allow_pickle=False) as data:
        bounds = np.cumsum(data["lengths"])[:-1]
        chorales = np.split(data["notes"].astype(np.int16), bounds)
        return chorales, [str(name) for name in data["names"]], data["losses"]


class ChoraleSplits(NamedTuple):
    """Chorales split by chorale; each entry is a list of ``[steps, 4]`` MIDI arrays.

    ``names`` holds the chorales' names (``bwv269``...) per split: ``names["test"][i]``;
    ``n_notes`` counts the timed notes of all the converted scores, ``n_dropped`` those
    that fell between two grid points and were lost (see :func:`grid_losses`).
    """

    train: list[np.ndarray]
    valid: list[np.ndarray]
    test: list[np.ndarray]
    names: dict[str, list[str]]
    n_notes: int = 0
    n_dropped: int = 0


def split(chorales: Sequence[np.ndarray], names: Sequence[str], *, valid: float = 0.1,
          test: float = 0.1, seed: int | None = None) -> ChoraleSplits:
    """Split whole chorales into train / valid / test, the same way for the same inputs.

    The chorales are shuffled with ``seed`` (default: the run's seed,
    :attr:`helpers.profile.Profile.seed`) and the valid and test sets each get
    ``ceil(fraction * n)`` chorales (at least one), so no chorale straddles two sets.
    """
    n = len(chorales)
    n_valid, n_test = max(1, math.ceil(valid * n)), max(1, math.ceil(test * n))
    if n_valid + n_test >= n:
        raise ValueError(f"need more than {n_valid + n_test} chorales to split, got {n}")
    order = np.random.default_rng(PROFILE.seed if seed is None else seed).permutation(n)
    parts = {"test": order[:n_test], "valid": order[n_test:n_test + n_valid],
             "train": order[n_test + n_valid:]}
    return ChoraleSplits(**{key: [chorales[i] for i in idx] for key, idx in parts.items()},
                         names={key: [names[i] for i in idx] for key, idx in parts.items()})


def load(settings: ChoraleSettings | None = None, *, cache=None, verbose=True) -> ChoraleSplits:
    """The chorales of ``settings`` (default: the active profile's), split by chorale.

    Converted from music21's corpus the first time (minutes for all of them, seconds for
    the quick profile's dozen) and read from the cache file in ``cache`` (default:
    :func:`cache_dir`) afterwards. With ``verbose``, says when it converts.
    """
    settings = get_settings() if settings is None else settings
    checks.instance("settings", settings, ChoraleSettings, "ChoraleSettings")
    spq = settings.steps_per_quarter
    path = (cache_dir() if cache is None else Path(cache)) / cache_name(settings.n_chorales, spq)
    if path.exists():
        chorales, names, losses = load_chorales(path)
    else:
        start = time.perf_counter()
        chorales, names, losses = convert_corpus(settings.n_chorales, spq)
        save_chorales(path, chorales, names, losses, spq)
        if verbose:
            print(f"converted {len(chorales)} chorales from music21's corpus in "
                  f"{time.perf_counter() - start:.0f} s (cached as {path.name})")
    n_notes, n_dropped = (int(n) for n in np.asarray(losses).sum(axis=0))
    return split(chorales, names)._replace(n_notes=n_notes, n_dropped=n_dropped)


# ----------------------------------------------------------------- tokens and windows

def _ints(name: str, values) -> np.ndarray:
    values = np.asarray(values)
    if not np.issubdtype(values.dtype, np.integer):
        raise TypeError(f"{name} must hold integers, got dtype {values.dtype}")
    return values


def _notes(name: str, notes, voices: int | None = 4, min_steps: int = 0) -> np.ndarray:
    """``notes`` as an int array ``[steps >= min_steps, voices]`` (any voices for None)."""
    notes = _ints(name, notes)
    if notes.ndim != 2 or len(notes) < min_steps or voices not in (None, notes.shape[1]):
        raise ValueError(f"{name} must have shape [steps, {voices or 'voices'}]"
                         f"{f' with steps >= {min_steps}' if min_steps else ''}, "
                         f"got {notes.shape}")
    return notes


@dataclass(frozen=True)
class NoteMap:
    """MIDI numbers ``low..high`` as compact tokens ``1..high - low + 1``; 0 stays silence.

    A softmax over :attr:`n_tokens` classes then covers exactly the notes the chorales use.
    """

    low: int
    high: int

    def __post_init__(self) -> None:
        checks.integer("low", self.low, 1, checks.integer("high", self.high, 1, 127))

    @classmethod
    def fit(cls, chorales: Sequence[np.ndarray]) -> "NoteMap":
        """The range of the notes (not the silences) of ``chorales``."""
        notes = np.concatenate([np.ravel(c) for c in chorales] or [np.zeros(0)])
        if not (notes > 0).any():
            raise ValueError("chorales must contain at least one note")
        return cls(int(notes[notes > 0].min()), int(notes.max()))

    @property
    def n_tokens(self) -> int:
        """Classes of the softmax: silence plus every note of the range."""
        return self.high - self.low + 2

    def encode(self, notes) -> np.ndarray:
        """MIDI numbers (0 = silence) -> tokens; ``ValueError`` for notes out of range."""
        notes = _ints("notes", notes)
        outside = (notes != 0) & ((notes < self.low) | (notes > self.high))
        if outside.any():
            raise ValueError(f"notes must be 0 or MIDI numbers in [{self.low}, {self.high}], got "
                             f"{np.unique(notes[outside])[:5]}")
        return np.where(notes == 0, 0, notes - self.low + 1).astype(np.int32)

    def decode(self, tokens) -> np.ndarray:
        """Tokens -> MIDI numbers (0 = silence); ``ValueError`` for unknown tokens."""
        tokens = _ints("tokens", tokens)
        if tokens.size and (tokens.min() < 0 or tokens.max() >= self.n_tokens):
            raise ValueError(f"tokens must lie in [0, {self.n_tokens - 1}], got "
                             f"{tokens.min()}..{tokens.max()}")
        return np.where(tokens == 0, 0, tokens + self.low - 1).astype(np.int32)


def transpose(notes, semitones: int) -> np.ndarray:
    """Shift every note of ``notes`` (MIDI numbers, 0 = silence) by ``semitones``.

    Silences stay 0. Raises ``ValueError`` if a note would leave the MIDI range 1..127.
    """
    notes = _ints("notes", notes)
    semitones = checks.integer("semitones", semitones, low=None)
    shifted = np.where(notes > 0, notes + semitones, 0)
    if np.any((notes > 0) & ((shifted < 1) | (shifted > 127))):
        raise ValueError(f"transposing by {semitones} semitones leaves the MIDI range")
    return shifted.astype(notes.dtype)


def windows(chorales: Sequence[np.ndarray], length: int, stride: int):
    """Training windows for next-step prediction: ``(X, Y)``, each int32 ``[n, length, 4]``.

    Every window covers ``length + 1`` consecutive steps of one chorale, starting every
    ``stride`` steps (and once more at the end, so the close of every chorale is seen);
    ``X`` holds its first ``length`` steps and ``Y`` the same steps shifted by one, so
    ``Y[:, t]`` is the step that follows ``X[:, t]``. Chorales shorter than
    ``length + 1`` steps give no window.
    """
    length = checks.integer("length", length)
    stride = checks.integer("stride", stride)
    checks.instance("chorales", chorales, Sequence, "a sequence of [steps, 4] arrays")
    cuts = []
    for i, chorale in enumerate(chorales):
        chorale = _notes(f"chorales[{i}]", chorale)
        last = len(chorale) - length - 1  # start of the last window
        if last >= 0:
            views = np.lib.stride_tricks.sliding_window_view(chorale, (length + 1, 4))[:, 0]
            cuts.append(views[np.unique(np.r_[0:last + 1:stride, last])])
    if not cuts:
        raise ValueError(f"no chorale has the {length + 1} steps a window needs")
    batch = np.concatenate(cuts).astype(np.int32)
    return batch[:, :-1], batch[:, 1:]


def pad(chorales: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Chorales of different lengths in one array: ``(notes [n, longest, 4], mask [n, longest])``.

    Shorter chorales are padded with silence at the end; ``mask`` is True on real steps.
    A causal model's outputs on the real steps do not depend on padding after them.
    """
    from keras.utils import pad_sequences

    if isinstance(chorales, np.ndarray) or not len(chorales):
        raise ValueError("chorales must be a non-empty sequence of [steps, 4] arrays")
    chorales = [_notes(f"chorales[{i}]", c) for i, c in enumerate(chorales)]
    notes = pad_sequences(chorales, dtype="int32", padding="post")
    return notes, np.arange(notes.shape[1]) < np.array([[len(c)] for c in chorales])


def masked_accuracy(predicted, target, mask=None) -> float:
    """Fraction of notes where ``predicted == target``, over the steps where ``mask`` is True.

    ``predicted`` and ``target`` are ``[..., steps, 4]``; ``mask`` is ``[..., steps]``
    (all True when None). Every voice of every counted step counts once.
    """
    predicted, target = np.asarray(predicted), np.asarray(target)
    mask = np.ones(target.shape, bool) if mask is None else np.asarray(mask, dtype=bool)
    if predicted.shape != target.shape or mask.shape not in (target.shape, target.shape[:-1]):
        raise ValueError(f"predicted and target must have the same shape, and mask must have "
                         f"shape {target.shape[:-1]} or {target.shape}; got {predicted.shape}, "
                         f"{target.shape} and {mask.shape}")
    if not mask.any():
        raise ValueError("mask selects no step")
    return float((predicted == target)[mask].mean())  # [steps] masks: every voice counts


# ------------------------------------------------------------------------- sampling

def reweight(probs, temperature: float) -> np.ndarray:
    """Sharpen (``temperature < 1``) or flatten (``> 1``) distributions over the last axis.

    Returns ``p ** (1 / temperature)`` renormalised, computed on log-probabilities; at
    temperature 1 the distribution is unchanged, at 0 all the mass goes to the most
    likely class (the first one on ties).
    """
    from scipy.special import softmax

    probs = checks.array("probs", probs).astype(np.float64)
    if probs.ndim < 1 or probs.shape[-1] < 1 or (probs < 0).any():
        raise ValueError(f"probs must hold probabilities >= 0 along a last axis of classes, "
                         f"got shape {probs.shape}")
    if checks.number("temperature", temperature, low=0) == 0:
        return np.eye(probs.shape[-1])[probs.argmax(axis=-1)]
    with np.errstate(divide="ignore"):
        return softmax(np.log(probs) / temperature, axis=-1)


def sample(probs, temperature: float = 1.0, rng: np.random.Generator | int | None = None):
    """Draw one class per distribution of ``probs`` (shape ``[..., classes]``) after
    :func:`reweight`; an int array of shape ``probs.shape[:-1]``.

    ``rng`` is a NumPy ``Generator`` or a seed; temperature 0 returns the argmax.
    """
    weights = reweight(probs, temperature)
    rng = np.random.default_rng(rng)
    flat = weights.reshape(-1, weights.shape[-1])
    cumulative = np.cumsum(flat, axis=-1)
    draws = rng.random((len(flat), 1)) * cumulative[:, -1:]
    picked = np.minimum((cumulative <= draws).sum(axis=-1), flat.shape[-1] - 1)
    return picked.reshape(weights.shape[:-1]).astype(np.int32)


def generate(model, opening, n_new: int, temperature: float, seed=None) -> np.ndarray:
    """Extend ``opening`` (tokens ``[steps, voices]``) by ``n_new`` steps drawn from ``model``.

    ``model`` (a Keras model) maps tokens ``[1, steps, voices]`` to next-step
    probabilities ``[1, steps, voices, n_tokens]`` and must be causal: the song is built
    in a buffer of its final length, padded with silence (token 0), so the model is
    traced for one shape only. Step ``t`` is drawn by :func:`sample` from the model's
    output at step ``t - 1``, at ``temperature``; ``seed`` as in :func:`sample`. Returns
    the tokens ``[len(opening) + n_new, voices]`` (int32), the opening first.
    """
    from helpers.training import quiet_retracing  # TensorFlow only when generating

    if not callable(getattr(model, "predict_on_batch", None)):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")
    opening = _notes("opening", opening, voices=None, min_steps=1)
    n_new = checks.integer("n_new", n_new, low=0)
    rng = np.random.default_rng(seed)
    song = np.zeros((1, len(opening) + n_new, opening.shape[1]), dtype=np.int32)
    song[0, :len(opening)] = opening
    with quiet_retracing():  # Keras traces the buffer's shape once: expected here
        for t in range(len(opening), song.shape[1]):
            probs = np.asarray(model.predict_on_batch(song))[0, t - 1]  # [voices, n_tokens]
            song[0, t] = sample(probs, temperature, rng)
    return song[0]


def change_rate(notes) -> float:
    """Share of (voice, step) pairs whose note differs from the voice's previous step.

    ``notes`` is ``[steps, voices]`` of MIDI numbers (0 = silence): how much the music
    moves. Bach's test chorales score about 0.45 at eighth notes.
    """
    notes = _notes("notes", notes, voices=None, min_steps=2)
    return float(np.mean(notes[1:] != notes[:-1]))


def in_scale(notes, reference) -> float:
    """Share of the sounding notes of ``notes`` whose pitch class occurs in ``reference``.

    A rough test of staying in key: ``reference`` is a real chorale (``[steps, voices]``),
    its pitch classes (note number mod 12, whatever the octave) stand for its scale.
    Silence (0) is ignored on both sides; NaN when ``notes`` is all silence.
    """
    notes = _notes("notes", notes, voices=None, min_steps=2)
    reference = _notes("reference", reference, voices=None, min_steps=2)
    scale = np.unique(reference[reference > 0] % 12)
    if not len(scale):
        raise ValueError("reference must contain at least one note")
    sounding = notes[notes > 0]
    return float(np.isin(sounding % 12, scale).mean()) if len(sounding) else float("nan")


# ---------------------------------------------------------------- plots and sound

def _runs(voice: np.ndarray) -> list[tuple[int, int, int]]:
    """``(start, length, note)`` for each run of one repeated non-zero note."""
    change = np.flatnonzero(np.diff(voice)) + 1
    return [(int(start), int(stop - start), int(voice[start]))
            for start, stop in zip(np.r_[0, change], np.r_[change, len(voice)]) if voice[start]]


def note_name(midi: int) -> str:
    """``60 -> 'C4'``, ``61 -> 'C#4'``, ``70 -> 'B-4'`` (music21's spelling); 0 -> ``'-'``."""
    midi = checks.integer("midi", midi, low=0, high=127)
    return _music21().pitch.Pitch(midi=midi).nameWithOctave if midi else "-"


def plot_piano_roll(notes, *, ax=None, title: str | None = None, start: int | None = None,
                    steps_per_quarter: int = STEPS_PER_QUARTER, legend: bool = True):
    """Draw a ``[steps, 4]`` chorale (MIDI numbers) as a piano roll; returns the Axes.

    Each voice's notes are bars in its own colour, one row per pitch, with the octaves'
    C labelled. ``start`` draws a dotted line before that step (where generated music
    begins, say).
    """
    import matplotlib.pyplot as plt

    from helpers.plots import FLOOR_COLOR, PALETTE

    notes = _notes("notes", notes)
    spq = checks.integer("steps_per_quarter", steps_per_quarter)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.2))
    for v, name in enumerate(VOICES):
        runs = np.array(_runs(notes[:, v]), dtype=float).reshape(-1, 3)
        ax.barh(runs[:, 2], runs[:, 1] / spq - 0.04, left=runs[:, 0] / spq, height=0.8,
                color=PALETTE[v], lw=0, label=name)
    sounding = notes[notes > 0]
    if sounding.size:
        low, high = int(sounding.min()), int(sounding.max())
        ax.set_ylim(low - 2, high + 2)
        octaves = [m for m in range(low - 2, high + 3) if m % 12 == 0]
        ax.set_yticks(octaves, [note_name(m) for m in octaves])
    ax.set(xlim=(0, len(notes) / spq), xlabel="time (quarter notes)", ylabel="pitch")
    if start is not None:
        ax.axvline(checks.integer("start", start, low=0) / spq, color=FLOOR_COLOR, lw=1, ls=":")
    if title:
        ax.set_title(title, loc="left")
    if legend:  # right of the axes: notes reach the top of the plot, the title the left
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, borderaxespad=0.2)
    return ax


def synthesize(notes, *, steps_per_quarter: int = STEPS_PER_QUARTER, tempo: float = 100,
               sample_rate: int = 8000, wave: str = "triangle", gain: float = 0.8,
               attack: float = 0.01, release: float = 0.04) -> np.ndarray:
    """A chorale (``[steps, 4]`` MIDI numbers, 0 = silence) as a float32 waveform.

    Each run of one repeated note becomes a tone (``"sine"`` or ``"triangle"``) with a
    linear ``attack`` and ``release`` in seconds, so consecutive notes stay distinct; the
    four voices are mixed with equal weight, the result stays within ``[-gain, gain]``.
    ``tempo`` is in quarter notes per minute. At 8 kHz a second of sound is 8,000
    samples, 16 KB as the 16-bit WAV that ``IPython.display.Audio`` embeds.
    """
    notes = _notes("notes", notes)
    if notes.size and (notes.min() < 0 or notes.max() > 127):
        raise ValueError("notes must be MIDI numbers in [0, 127]")
    spq = checks.integer("steps_per_quarter", steps_per_quarter)
    sample_rate = checks.integer("sample_rate", sample_rate)
    tempo = checks.number("tempo", tempo, above=0)
    gain = checks.number("gain", gain, high=1, above=0)
    attack, release = checks.number("attack", attack, 0), checks.number("release", release, 0)
    checks.choice("wave", wave, ("sine", "triangle"))
    step = 60 / tempo / spq * sample_rate  # samples per time step (not always whole)
    out = np.zeros(round(len(notes) * step), dtype=np.float64)
    for v in range(notes.shape[1]):
        for start, length, midi in _runs(notes[:, v]):
            first, stop = round(start * step), round((start + length) * step)
            t = np.arange(stop - first) / sample_rate
            cycles = 440.0 * 2 ** ((midi - 69) / 12) * t
            tone = (np.sin(2 * np.pi * cycles) if wave == "sine"
                    else 4 * np.abs(cycles - np.floor(cycles + 0.5)) - 1)  # a triangle wave
            rise = t / attack if attack else np.inf
            fall = (t[-1] - t) / release if release else np.inf
            out[first:stop] += tone * np.clip(np.minimum(1.0, np.minimum(rise, fall)), 0, 1)
    return (out * gain / notes.shape[1]).astype(np.float32)
