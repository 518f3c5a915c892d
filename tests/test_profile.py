import pytest

from helpers import profile as prof


def test_pytest_runs_the_quick_profile():
    # conftest.py sets COURSE_PROFILE=quick unless the caller chose one.
    assert prof.PROFILE.name == prof.get_profile().name


def test_profile_from_environment(monkeypatch):
    monkeypatch.setenv(prof.ENV_VAR, "full")
    assert prof.get_profile().name == "full"
    monkeypatch.setenv(prof.ENV_VAR, " QUICK ")
    assert prof.get_profile().name == "quick"
    monkeypatch.delenv(prof.ENV_VAR)
    assert prof.get_profile().name == "full"


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(prof.ENV_VAR, "fast")
    with pytest.raises(ValueError, match=r"unknown run profile 'fast'.*\['full', 'quick'\]"):
        prof.get_profile()


def test_quick_is_smaller_than_full():
    quick, full = prof.get_profile("quick"), prof.get_profile("full")
    assert quick.n_series < full.n_series and quick.epochs < full.epochs
    assert full.heavy_epochs == full.remedy_epochs == full.epochs == 20
    assert quick.remedy_epochs <= quick.heavy_epochs <= quick.epochs
    assert quick.n_steps == full.n_steps and quick.ahead == full.ahead


def test_profile_validates_its_fields():
    with pytest.raises(ValueError, match="Profile.epochs must be a positive int"):
        prof.Profile("x", n_series=10, n_train=5, n_valid=2, epochs=0)
    with pytest.raises(ValueError, match="must leave series for the test set"):
        prof.Profile("x", n_series=10, n_train=8, n_valid=2, epochs=1)


def test_cpu_threads_setting(monkeypatch):
    import tensorflow as tf

    import helpers

    monkeypatch.setenv("COURSE_CPU_THREADS", "two")
    with pytest.raises(ValueError, match="COURSE_CPU_THREADS must be a whole number"):
        helpers._configure_cpu_threads(tf)
    monkeypatch.setenv("COURSE_CPU_THREADS", "default")
    helpers._configure_cpu_threads(tf)  # leaves TensorFlow's setting alone
