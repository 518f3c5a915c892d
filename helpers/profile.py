"""The run profile: one environment variable picks the data sizes and epochs.

``COURSE_PROFILE=full`` (the default) is what readers get: the book's 10,000 series
split 7,000 / 2,000 / 1,000 and its 20 epochs. ``COURSE_PROFILE=quick`` is what the
tests run: fewer series and epochs, through exactly the same code. Notebooks never
hard-code a size or an epoch count; they read them from :data:`PROFILE`.

A second variable, ``COURSE_SEED`` (default 42), is the one seed every notebook derives
its data, weights and shuffling from (:attr:`Profile.seed`, :meth:`Profile.seed_for`).
Every claim a notebook asserts must hold whatever its value: ``make seeds`` runs the
notebooks with several (:mod:`tools.seeds`).
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from helpers import checks

ENV_VAR, DEFAULT = "COURSE_PROFILE", "full"
SEED_VAR, DEFAULT_SEED = "COURSE_SEED", 42
MAX_SEED = 2**31 - 1  # Keras and NumPy accept any seed below 2**32; derived seeds add offsets


class Settings:
    """Base of the per-profile settings of one notebook's own task (sizes, epochs, rates).

    A subclass is a frozen dataclass; every field annotated ``int`` must hold a positive
    int (a ``seed``: >= 0), and every field annotated ``float`` a finite number. One table
    ``{"full": ..., "quick": ...}`` of instances per module, read with
    :func:`for_profile`, is the course's one settings mechanism.
    """

    def __post_init__(self) -> None:
        for f in fields(self):
            name = f"{type(self).__name__}.{f.name}"
            if f.type in ("int", int):  # a seed may be 0
                checks.integer(name, getattr(self, f.name),
                               *((0, MAX_SEED) if f.name == "seed" else (1,)))
            elif f.type in ("float", float):
                checks.number(name, getattr(self, f.name))



@dataclass(frozen=True)
class Profile(Settings):
    """Sizes and training lengths for one run profile.

    ``n_series`` series are generated for each data set (train + valid + test) and split
    ``n_train`` / ``n_valid`` / the rest. ``epochs`` trains the book's models (the book
    trains for 20); ``heavy_epochs`` the costlier models of notebooks 05 to 07
    (sequence-to-sequence models, gated cells, convolutions, custom cells run as a Python
    loop): the book's 20 in the full profile, fewer in quick, where each epoch of those
    models costs up to three or four of a one-output SimpleRNN's; ``remedy_epochs`` each
    of notebook 04's runs of the remedies for unstable gradients (fewer in quick, where
    that notebook's tests only check that the code runs and the curves stay finite).
    ``n_steps`` is the input length (the book's 50 time steps), ``ahead`` the forecast
    horizon of the multi-step notebooks. ``seed`` is the run's seed (``$COURSE_SEED``):
    data, initial weights and shuffling derive from it. Interactive widgets estimate an
    MSE on ``n_eval`` fresh series and train on ``widget_train`` series (kept small:
    readers wait) for ``widget_epochs`` epochs by default. ``xla`` compiles with XLA on a
    CPU: XLA needs tens of seconds to compile a recurrent model, which pays off over the
    full profile's 20 epochs but not over a quick run.
    """

    name: str
    n_series: int
    n_train: int
    n_valid: int
    epochs: int
    heavy_epochs: int = 20
    remedy_epochs: int = 20
    n_steps: int = 50
    ahead: int = 10
    batch_size: int = 32
    seed: int = DEFAULT_SEED
    n_eval: int = 500
    widget_train: int = 2_000
    widget_epochs: int = 3
    xla: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.n_train + self.n_valid >= self.n_series:
            raise ValueError(f"Profile n_train + n_valid ({self.n_train} + {self.n_valid}) "
                             f"must leave series for the test set (n_series={self.n_series})")

    def seed_for(self, offset: int) -> int:
        """The seed of one of a notebook's streams: ``seed + offset``.

        A notebook that needs several independent random streams (training series,
        validation series, a demo) gives each its own small ``offset``, so that all of
        them change together with ``$COURSE_SEED`` and none is a literal.
        """
        return (self.seed + checks.integer("offset", offset, 0, 9999)) % (MAX_SEED + 1)

    @property
    def n_test(self) -> int:
        return self.n_series - self.n_train - self.n_valid

    def describe(self) -> str:
        return (f"{self.name}: {self.n_series:,} series ({self.n_train:,} train / "
                f"{self.n_valid:,} valid / {self.n_test:,} test), {self.n_steps} steps, "
                f"{self.epochs} epochs, seed {self.seed}")


PROFILES: dict[str, Profile] = {
    "full": Profile("full", n_series=10_000, n_train=7_000, n_valid=2_000, epochs=20),
    # Quick: about 1/3 of the data and half the epochs; enough optimisation steps for the
    # linear model to beat the naive forecast, so the notebook's claims can be checked.
    "quick": Profile("quick", n_series=3_000, n_train=2_100, n_valid=600, epochs=10,
                     heavy_epochs=6, remedy_epochs=3, n_eval=200, widget_train=500,
                     widget_epochs=1, xla=False),
}


def seed_from_env(environ=None) -> int:
    """The seed set by ``$COURSE_SEED`` (42 when unset or empty)."""
    text = (os.environ if environ is None else environ).get(SEED_VAR, "").strip() or \
        str(DEFAULT_SEED)
    if not text.isdecimal() or int(text) > MAX_SEED:
        raise ValueError(f"{SEED_VAR} must be a whole number from 0 to {MAX_SEED}, "
                         f"got {text!r}")
    return int(text)


def get_profile(name: str | None = None, *, seed: int | None = None) -> Profile:
    """Return the profile called ``name`` (default ``$COURSE_PROFILE``) with its seed set
    to ``seed`` (default ``$COURSE_SEED``, else 42)."""
    name = (os.environ.get(ENV_VAR, "").strip() or DEFAULT) if name is None else name
    if not isinstance(name, str):
        raise TypeError(f"profile name must be a str, got {type(name).__name__}")
    if name.strip().lower() not in PROFILES:
        raise ValueError(f"unknown run profile {name!r} (from {ENV_VAR}); expected one of "
                         f"{sorted(PROFILES)}")
    return replace(PROFILES[name.strip().lower()],
                   seed=seed_from_env() if seed is None else seed)


PROFILE: Profile = get_profile()


T = TypeVar("T")


def for_profile(table: Mapping[str, T], profile: str | Profile | None = None) -> T:
    """The entry of ``table`` for ``profile`` (a name, a :class:`Profile`, or None for the
    active one, ``$COURSE_PROFILE``)."""
    return table[profile.name if isinstance(profile, Profile) else get_profile(profile).name]
