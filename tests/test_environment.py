"""requirements.txt and environment.yml must describe the same environment."""

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


def _requirements():
    return _pins((ROOT / "requirements.txt").read_text().splitlines())


def _environment_pip_section():
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "- pip:")
    indent = len(lines[start + 1]) - len(lines[start + 1].lstrip())
    section = []
    for line in lines[start + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            break
        section.append(line)
    return _pins(section)


def test_same_pins_in_requirements_and_environment():
    assert _requirements() == _environment_pip_section()


def test_core_pins():
    pins = _requirements()
    assert pins["tensorflow"].startswith("2.21")
    assert pins["keras"].startswith("3.")
    for name in ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "nbval", "jupytext",
                 "pytest"):
        assert name in pins, name


def test_environment_python_is_311():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*- python=3\.11\s*$", text, re.M)
