"""requirements.in (direct pins), requirements.txt (the full lock) and environment.yml
must describe the same environment."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s#;]+)$")


def _pins(lines):
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip().lstrip("-").strip()
        if not line:
            continue
        match = PIN.match(line)
        assert match, f"not an exact pin: {line!r}"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def _direct():
    return _pins((ROOT / "requirements.in").read_text().splitlines())


def _lock():
    return _pins((ROOT / "requirements.txt").read_text().splitlines())


def test_the_lock_keeps_every_direct_pin():
    lock = _lock()
    for name, version in _direct().items():
        assert lock.get(name) == version, f"{name}: {version} in requirements.in, " \
                                          f"{lock.get(name)} in requirements.txt: run make lock"


def test_the_lock_pins_more_than_the_direct_dependencies():
    assert len(_lock()) > 2 * len(_direct())  # the dependencies' dependencies too


def test_environment_installs_the_lock():
    lines = [line.strip() for line in (ROOT / "environment.yml").read_text().splitlines()]
    assert "- -r requirements.txt" in lines


def test_core_pins():
    pins = _direct()
    assert pins["tensorflow"].startswith("2.21")
    assert pins["keras"].startswith("3.")
    for name in ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "nbval", "jupytext",
                 "pytest"):
        assert name in pins, name


def test_environment_python_is_311():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*- python=3\.11\s*$", text, re.M)
