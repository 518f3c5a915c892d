"""Unit tests of helpers.datasets.chorales on tiny scores built in code (no corpus parse)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from music21 import chord, note, stream, tie  # noqa: E402

from helpers.datasets import chorales  # noqa: E402
from helpers.profile import get_profile  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _part(*events):
    """A part from (pitch or None for a rest or a list for a chord, quarter length) pairs."""
    part = stream.Part()
    for pitch, length in events:
        if pitch is None:
            part.append(note.Rest(quarterLength=length))
        elif isinstance(pitch, list):
            part.append(chord.Chord(pitch, quarterLength=length))
        else:
            part.append(note.Note(pitch, quarterLength=length))
    return part


def _score(*parts):
    score = stream.Score()
    for part in parts:
        score.insert(0, part)
    return score


def _tiny_score():
    """Four bars' worth of 4/4 in a single measure-free stream per part: 4 quarters."""
    soprano = _part(("C5", 2), ("D5", 1), (None, 1))
    alto = _part(("E4", 1), ("E4", 1), ("F4", 2))
    alto.notes[0].tie = tie.Tie("start")
    alto.notes[1].tie = tie.Tie("stop")
    tenor = _part((["C3", "E3", "G3"], 2), ("A3", 2))
    bass = stream.Part()
    bass.append(note.Note("D2").getGrace())
    bass.append(note.Note("C2", quarterLength=4))
    return _score(soprano, alto, tenor, bass)


# ------------------------------------------------------------------------ conversion

def test_conversion_shape_values_rests_ties_chords_grace():
    notes = chorales.score_to_notes(_tiny_score())
    assert notes.shape == (8, 4) and np.issubdtype(notes.dtype, np.integer)
    np.testing.assert_array_equal(notes[:, 0], [72, 72, 72, 72, 74, 74, 0, 0])  # rest = 0
    np.testing.assert_array_equal(notes[:, 1], [64] * 4 + [65] * 4)  # tie: one long E4
    np.testing.assert_array_equal(notes[:, 2], [55] * 4 + [57] * 4)  # chord: its top note
    np.testing.assert_array_equal(notes[:, 3], [36] * 8)  # grace note skipped, no shift


@pytest.mark.parametrize("spq, steps", [(1, 4), (2, 8), (4, 16)])
def test_resolution_sets_steps_per_quarter(spq, steps):
    notes = chorales.score_to_notes(_tiny_score(), steps_per_quarter=spq)
    assert notes.shape == (steps, 4)
    assert (notes[:, 0] == 74).sum() == spq  # the quarter-note D5


def test_short_notes_off_the_grid_are_dropped_and_counted():
    fast = _part(("G4", 0.25), ("A4", 0.25), ("B4", 0.5), ("C5", 3))
    score = _score(fast, _part(("C4", 4)), _part(("C3", 4)), _part(("C2", 4)))
    notes = chorales.score_to_notes(score)
    np.testing.assert_array_equal(notes[:3, 0], [67, 71, 72])  # A4 falls between steps
    assert chorales.grid_losses(score) == (7, 1)
    assert chorales.grid_losses(score, steps_per_quarter=4) == (7, 0)


def test_leading_and_trailing_silence_is_trimmed():
    parts = [_part((None, 1), (p, 2), (None, 1)) for p in ("C5", "E4", "G3", "C3")]
    notes = chorales.score_to_notes(_score(*parts))
    assert notes.shape == (4, 4) and (notes > 0).all()
    assert chorales.score_to_notes(_score(*parts), trim=False).shape == (8, 4)


def test_pickup_measure_starts_at_step_zero():
    parts = []
    for pitch in ("G4", "D4", "B3", "G2"):
        pickup = stream.Measure(number=0)
        pickup.append(note.Note(pitch, quarterLength=1))
        pickup.paddingLeft = 3
        bar = stream.Measure(number=1)
        bar.append(note.Note("C5" if pitch == "G4" else pitch, quarterLength=4))
        part = stream.Part()
        part.append([pickup, bar])
        parts.append(part)
    notes = chorales.score_to_notes(_score(*parts))
    assert notes.shape == (10, 4)
    np.testing.assert_array_equal(notes[:, 0], [67, 67] + [72] * 8)


def test_conversion_errors():
    three = _score(*[_part(("C4", 1)) for _ in range(3)])
    with pytest.raises(ValueError, match="exactly 4 parts"):
        chorales.score_to_notes(three)
    with pytest.raises(TypeError, match="score"):
        chorales.score_to_notes(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="steps_per_quarter"):
        chorales.score_to_notes(_tiny_score(), steps_per_quarter=0)
    with pytest.raises(TypeError, match="score"):
        chorales.grid_losses([1, 2])


def test_note_names():
    assert [chorales.note_name(m) for m in (0, 60, 61, 36, 81, 70)] == \
        ["-", "C4", "C#4", "C2", "A5", "B-4"]
    with pytest.raises(ValueError, match="midi"):
        chorales.note_name(-1)


# ----------------------------------------------------------------- tokens and windows

def test_note_map_round_trip_and_errors():
    song = np.array([[67, 62, 0, 43], [69, 62, 55, 0]])
    note_map = chorales.NoteMap.fit([song])
    assert (note_map.low, note_map.high, note_map.n_tokens) == (43, 69, 28)
    tokens = note_map.encode(song)
    assert tokens.min() == 0 and tokens.max() == note_map.n_tokens - 1
    assert tokens[0, 2] == 0 and tokens[0, 3] == 1
    np.testing.assert_array_equal(note_map.decode(tokens), song)
    with pytest.raises(ValueError, match="notes must be 0 or MIDI"):
        note_map.encode(np.array([[42, 0, 0, 0]]))
    with pytest.raises(ValueError, match="tokens"):
        note_map.decode(np.array([28]))
    with pytest.raises(TypeError, match="integers"):
        note_map.encode(np.array([60.0]))
    with pytest.raises(ValueError, match="low"):
        chorales.NoteMap(70, 60)
    with pytest.raises(TypeError, match="low"):
        chorales.NoteMap(1.5, 60)
    with pytest.raises(ValueError, match="at least one note"):
        chorales.NoteMap.fit([np.zeros((3, 4), dtype=int)])


def test_transpose_keeps_silence_and_checks_range():
    song = np.array([[60, 0, 55, 40]])
    np.testing.assert_array_equal(chorales.transpose(song, 3), [[63, 0, 58, 43]])
    np.testing.assert_array_equal(chorales.transpose(song, -2), [[58, 0, 53, 38]])
    with pytest.raises(ValueError, match="MIDI range"):
        chorales.transpose(song, -40)
    with pytest.raises(TypeError, match="semitones"):
        chorales.transpose(song, 1.0)


def test_windows_targets_are_inputs_shifted_by_one_step():
    chorale = np.arange(40).reshape(10, 4)  # step t holds 4t..4t+3
    X, Y = chorales.windows([chorale, chorale[:3]], length=4, stride=2)
    # starts 0, 2, 4 and the last one, 5; the 3-step chorale is too short
    assert X.shape == Y.shape == (4, 4, 4)
    np.testing.assert_array_equal(X[:, 0, 0], [0, 8, 16, 20])
    np.testing.assert_array_equal(Y[:, :-1], X[:, 1:])
    np.testing.assert_array_equal(Y[:, -1], X[:, -1] + 4)
    with pytest.raises(ValueError, match="no chorale"):
        chorales.windows([chorale], length=10, stride=1)
    with pytest.raises(TypeError, match="sequence"):
        chorales.windows(chorale, length=4, stride=1)
    with pytest.raises(ValueError, match=r"chorales\[0\]"):
        chorales.windows([np.zeros((10, 3), dtype=int)], length=4, stride=1)
    with pytest.raises(ValueError, match="stride"):
        chorales.windows([chorale], length=4, stride=0)


def test_pad_and_masked_accuracy():
    a, b = np.ones((3, 4), dtype=int), np.full((2, 4), 2)
    notes, mask = chorales.pad([a, b])
    assert notes.shape == (2, 3, 4) and mask.tolist() == [[1, 1, 1], [1, 1, 0]]
    assert (notes[1, 2] == 0).all()
    predicted = notes.copy()
    predicted[0, 0, 0] = 9  # one wrong note of the 20 counted
    predicted[1, 2] = 7     # padding: not counted
    assert chorales.masked_accuracy(predicted, notes, mask) == pytest.approx(19 / 20)
    assert chorales.masked_accuracy(predicted, notes) == pytest.approx(19 / 24)
    with pytest.raises(ValueError, match="same shape"):
        chorales.masked_accuracy(predicted[:1], notes)
    with pytest.raises(ValueError, match="mask must have shape"):
        chorales.masked_accuracy(predicted, notes, mask[:, :2])
    with pytest.raises(ValueError, match="no step"):
        chorales.masked_accuracy(predicted, notes, np.zeros_like(mask))
    with pytest.raises(ValueError, match="non-empty"):
        chorales.pad([])


# ---------------------------------------------------------------------------- sampling

def test_reweight_sums_to_one_and_sharpens_or_flattens():
    probs = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])
    for temperature in (0, 0.01, 0.5, 1, 2, 100):
        np.testing.assert_allclose(chorales.reweight(probs, temperature).sum(-1), 1)
    np.testing.assert_allclose(chorales.reweight(probs, 1), probs)
    np.testing.assert_allclose(chorales.reweight(probs, 0.01), np.eye(3)[[1, 0]], atol=1e-6)
    np.testing.assert_array_equal(chorales.reweight(probs, 0), np.eye(3)[[1, 0]])
    assert chorales.reweight(probs, 0.5)[0, 1] > 0.6 > chorales.reweight(probs, 2)[0, 1]
    np.testing.assert_allclose(chorales.reweight(probs, 1e6), 1 / 3, atol=1e-5)


def test_sample_argmax_at_zero_frequencies_and_seed():
    probs = np.array([0.2, 0.0, 0.5, 0.3])
    batch = np.tile(probs, (4, 3, 1))
    assert (chorales.sample(batch, 0) == 2).all()
    assert chorales.sample(batch, 1.0, rng=0).shape == (4, 3)
    draws = chorales.sample(np.tile(probs, (20_000, 1)), 1.0, rng=1)
    np.testing.assert_allclose(np.bincount(draws, minlength=4) / 20_000, probs, atol=0.015)
    np.testing.assert_array_equal(chorales.sample(batch, 1.0, rng=7),
                                  chorales.sample(batch, 1.0, rng=7))
    with pytest.raises(ValueError, match="temperature"):
        chorales.sample(probs, -1)
    with pytest.raises(TypeError, match="temperature"):
        chorales.sample(probs, True)
    with pytest.raises(ValueError, match="probs"):
        chorales.sample([0.5, np.nan], 1)


# ------------------------------------------------------------------- plots and sound

def test_synthesize_length_dtype_and_amplitude():
    song = chorales.score_to_notes(_tiny_score())
    wave = chorales.synthesize(song, tempo=120, sample_rate=8000)
    # 8 eighth notes at 120 quarters per minute: 2 s
    assert wave.dtype == np.float32 and wave.shape == (16_000,)
    assert 0.2 < np.abs(wave).max() <= 0.8
    silent = chorales.synthesize(np.zeros((4, 4), dtype=int), sample_rate=1000)
    assert not silent.any()


def test_synthesize_plays_the_right_pitch():
    a4 = np.array([[69, 0, 0, 0]] * 8)
    wave = chorales.synthesize(a4, tempo=60, sample_rate=8000, wave="sine")
    spectrum = np.abs(np.fft.rfft(wave))
    assert np.fft.rfftfreq(len(wave), 1 / 8000)[spectrum.argmax()] == pytest.approx(440, abs=1)


def test_synthesize_errors():
    song = np.zeros((4, 4), dtype=int)
    with pytest.raises(ValueError, match="wave"):
        chorales.synthesize(song, wave="square")
    with pytest.raises(ValueError, match="tempo"):
        chorales.synthesize(song, tempo=0)
    with pytest.raises(ValueError, match=r"shape \[steps, 4\]"):
        chorales.synthesize(np.zeros((4, 3), dtype=int))
    with pytest.raises(TypeError, match="sample_rate"):
        chorales.synthesize(song, sample_rate=8000.0)


def test_piano_roll_draws_one_bar_per_note():
    song = chorales.score_to_notes(_tiny_score())
    ax = chorales.plot_piano_roll(song, start=4, title="tiny")
    assert len(ax.patches) == 2 + 2 + 2 + 1  # runs of each voice
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(chorales.VOICES)
    assert ax.get_title(loc="left") == "tiny" and len(ax.lines) == 1
    with pytest.raises(ValueError, match="notes"):
        chorales.plot_piano_roll(np.zeros((3, 2), dtype=int))


# ---------------------------------------------------------- caching, splits, settings

def _fake_corpus(n=12):
    rng = np.random.default_rng(0)
    songs = [rng.integers(40, 80, (20 + i, 4)).astype(np.int16) for i in range(n)]
    return songs, [f"bwv{i}" for i in range(n)], np.tile([10, 1], (n, 1))


def test_cache_round_trip(tmp_path):
    songs, names, losses = _fake_corpus()
    path = chorales.save_chorales(tmp_path / "sub" / "c.npz", songs, names, losses=losses)
    back, back_names, back_losses = chorales.load_chorales(path)
    assert back_names == names and back_losses.tolist() == losses.tolist()
    for a, b in zip(songs, back):
        np.testing.assert_array_equal(a, b)
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_load_converts_once_then_reads_the_cache(tmp_path, monkeypatch):
    calls = []

    def fake_convert(n_chorales, steps_per_quarter):
        calls.append((n_chorales, steps_per_quarter))
        return _fake_corpus()

    monkeypatch.setattr(chorales, "convert_corpus", fake_convert)
    settings = chorales.ChoraleSettings(n_chorales=12, epochs=1)
    first = chorales.load(settings, cache=tmp_path, verbose=False)
    second = chorales.load(settings, cache=tmp_path, verbose=False)
    assert calls == [(12, 2)]
    assert (tmp_path / chorales.cache_name(12, 2)).exists()
    assert (len(first.train), len(first.valid), len(first.test)) == (8, 2, 2)
    assert first.names == second.names and (first.n_notes, first.n_dropped) == (120, 12)
    for a, b in zip(first.test, second.test):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="settings"):
        chorales.load({"n_chorales": 3})


def test_cache_dir_and_name(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_CACHE", str(tmp_path / "c"))
    assert chorales.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("COURSE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert chorales.cache_dir() == tmp_path / "rnn-course"
    assert chorales.cache_name(None, 2) != chorales.cache_name(12, 2) \
        != chorales.cache_name(12, 4)
    with pytest.raises(ValueError, match="n_chorales"):
        chorales.cache_name(0)


def test_split_is_by_chorale_and_deterministic():
    songs, names, _ = _fake_corpus(30)
    a, b = chorales.split(songs, names), chorales.split(songs, names)
    assert a.names == b.names
    assert (len(a.train), len(a.valid), len(a.test)) == (24, 3, 3)
    every = a.names["train"] + a.names["valid"] + a.names["test"]
    assert sorted(every) == sorted(names)
    assert chorales.split(songs, names, seed=1).names != a.names
    with pytest.raises(ValueError, match="more than"):
        chorales.split(songs[:2], names[:2])


def test_split_seed_defaults_to_the_run_seed(monkeypatch):
    songs, names, _ = _fake_corpus(30)
    assert chorales.split(songs, names).names == \
        chorales.split(songs, names, seed=chorales.PROFILE.seed).names
    monkeypatch.setattr(chorales, "PROFILE", get_profile(seed=7))
    assert chorales.split(songs, names).names == chorales.split(songs, names, seed=7).names


def test_settings_per_profile():
    quick, full = chorales.get_settings("quick"), chorales.get_settings("full")
    assert quick.n_chorales is not None and quick.n_chorales <= 12
    assert full.n_chorales is None and full.epochs >= quick.epochs
    with pytest.raises(ValueError, match="profile"):
        chorales.get_settings("huge")
    with pytest.raises(ValueError, match="n_chorales"):
        chorales.ChoraleSettings(n_chorales=2, epochs=1)
    with pytest.raises(ValueError, match="learning_rate"):
        chorales.ChoraleSettings(n_chorales=None, epochs=1, learning_rate=0)
    with pytest.raises(ValueError, match="epochs"):
        chorales.ChoraleSettings(n_chorales=None, epochs=0)


def test_change_rate_and_in_scale():
    held = np.array([[60, 64], [60, 64], [60, 64]], dtype=np.int32)
    moving = np.array([[60, 64], [62, 64], [64, 65], [64, 65]], dtype=np.int32)
    assert chorales.change_rate(held) == 0.0
    assert chorales.change_rate(moving) == pytest.approx(3 / 6)
    c_major = np.array([[60, 62], [64, 65], [67, 69], [71, 0]], dtype=np.int32)
    assert chorales.in_scale(moving, c_major) == 1.0
    sharp = np.array([[61, 60], [0, 72]], dtype=np.int32)  # C#4 is out, C4 and C5 are in
    assert chorales.in_scale(sharp, c_major) == pytest.approx(2 / 3)
    assert np.isnan(chorales.in_scale(np.zeros((2, 4), dtype=np.int32), c_major))
    with pytest.raises(ValueError, match="notes must have shape"):
        chorales.change_rate(np.array([60, 62]))
    with pytest.raises(ValueError, match="reference must contain"):
        chorales.in_scale(moving, np.zeros((2, 2), dtype=np.int32))


class _NextToken:
    """A stand-in model: at every step, all the probability on (previous token + 1) % n."""

    def __init__(self, n_tokens=5):
        self.n_tokens = n_tokens
        self.shapes = []

    def predict_on_batch(self, song):
        self.shapes.append(song.shape)
        probs = np.zeros((*song.shape, self.n_tokens), dtype=np.float32)
        np.put_along_axis(probs, ((song + 1) % self.n_tokens)[..., None], 1.0, axis=-1)
        return probs


def test_generate_extends_the_opening_step_by_step_in_one_buffer():
    model = _NextToken()
    opening = np.array([[1, 2], [2, 3]], dtype=np.int64)
    song = chorales.generate(model, opening, 3, temperature=0, seed=0)
    assert song.dtype == np.int32 and song.shape == (5, 2)
    assert np.array_equal(song, [[1, 2], [2, 3], [3, 4], [4, 0], [0, 1]])
    assert set(model.shapes) == {(1, 5, 2)}  # one buffer shape, traced once
    # with temperature, the same seed gives the same song; all the mass on one token
    # means any temperature > 0 draws it too
    assert np.array_equal(chorales.generate(model, opening, 3, 1.5, seed=4), song)
    assert chorales.generate(model, opening, 0, 1.0).shape == (2, 2)


def test_generate_errors():
    opening = np.array([[1, 2]], dtype=np.int32)
    with pytest.raises(TypeError, match="model"):
        chorales.generate("model", opening, 3, 1.0)
    with pytest.raises(ValueError, match="opening"):
        chorales.generate(_NextToken(), np.zeros((0, 2), dtype=np.int32), 3, 1.0)
    with pytest.raises(TypeError, match="opening"):
        chorales.generate(_NextToken(), np.array([[0.5, 1.0]]), 3, 1.0)
    with pytest.raises(ValueError, match="n_new"):
        chorales.generate(_NextToken(), opening, -1, 1.0)
    with pytest.raises(ValueError, match="temperature"):
        chorales.generate(_NextToken(), opening, 3, -1.0)
