import json
import re
import sys

import pytest

from helpers import results
from tools import schedule
from tools.navigation import NOTEBOOKS_DIR

NOTEBOOKS = schedule.notebook_names()
SOURCES = {name: (NOTEBOOKS_DIR / f"{name}.py").read_text() for name in NOTEBOOKS}


def _notebook(number: str) -> str:
    (name,) = [n for n in NOTEBOOKS if n.startswith(f"{number}_")]
    return name


def _readers_and_sources() -> dict[str, set[str]]:
    """For each notebook, the notebooks whose results/ records its code reads."""
    chapter = {_notebook(e["notebook"]) for e in results.load_records("full")}
    memory_writers = {n for n, src in SOURCES.items() if "memory.save_results(" in src}
    reads: dict[str, set[str]] = {}
    for name, source in SOURCES.items():
        found = set()
        for model in re.findall(r'results\.value\("([a-z0-9_]+)"\)', source):
            entry = json.loads((results.RESULTS_DIR / "full" / "models" / f"{model}.json")
                               .read_text())
            found.add(_notebook(entry["notebook"]))
        if re.search(r"results\.(leaderboard|load_records)\(", source):
            found |= chapter
        if "memory.load_results(" in source:
            found |= memory_writers
        reads[name] = found - {name}
    return reads


def test_after_lists_every_notebook_whose_records_a_notebook_reads():
    reads = _readers_and_sources()
    assert reads[_notebook("10")] >= {_notebook(n) for n in ("01", "03", "05")}  # sanity
    for name, needed in reads.items():
        assert needed == set(schedule.AFTER.get(name, ())), name
    assert set(schedule.AFTER) <= set(NOTEBOOKS)


def _job(name, code="pass", after=(), expected=1.0):
    return schedule.Job(name, [sys.executable, "-c", code], tuple(after), expected)


def test_priorities_follow_the_longest_chain():
    jobs = {j.name: j for j in (_job("a", expected=5), _job("b", after=["a"], expected=10),
                                _job("c", expected=12))}
    assert schedule.priorities(jobs) == {"a": 15, "b": 10, "c": 12}


def test_jobs_wait_for_their_prerequisites_and_failures_propagate(tmp_path):
    stamp = tmp_path / "order.txt"
    write = f"open({str(stamp)!r}, 'a').write('{{}}\\n')"
    jobs = {j.name: j for j in (
        _job("first", write.format("first")),
        _job("second", write.format("second"), after=["first"]),
        _job("broken", "import sys; print('boom'); sys.exit(3)"),
        _job("skipped", write.format("skipped"), after=["broken"]),
    )}
    lines = []
    status = schedule.run_jobs(jobs, 2, log=lines.append)
    assert status == {"first": 0, "second": 0, "broken": 3, "skipped": -1}
    assert stamp.read_text().split() == ["first", "second"]
    text = "\n".join(lines)
    assert "[broken] FAILED (exit 3)" in text and "boom" in text
    assert "[skipped] not run: broken failed" in text


def test_bad_schedules_are_refused():
    with pytest.raises(ValueError, match="unknown jobs"):
        schedule.check({"a": _job("a", after=["z"])})
    with pytest.raises(ValueError, match="cycle"):
        schedule.check({"a": _job("a", after=["b"]), "b": _job("b", after=["a"])})
    with pytest.raises(ValueError, match="n_parallel"):
        schedule.run_jobs({"a": _job("a")}, 0)


def test_make_jobs_covers_every_notebook_and_both_suites():
    test_jobs = schedule.make_jobs("test", python="py", nbval_args=["--nbval-lax"])
    assert set(test_jobs) == set(NOTEBOOKS) | {"unit", "browser"}
    assert "--nbval-lax" in test_jobs[NOTEBOOKS[0]].command
    run_jobs = schedule.make_jobs("run", python="py")
    assert set(run_jobs) == set(NOTEBOOKS)
    assert run_jobs[NOTEBOOKS[-1]].command[-2:] == ["--profile", "full"]
    schedule.check(test_jobs)


def test_side_by_side_jobs_run_their_independent_ops_on_one_thread():
    assert schedule.job_env("test", 2, environ={}) == {
        "COURSE_PROFILE": "quick", "TF_NUM_INTEROP_THREADS": "1"}
    assert schedule.job_env("run", 1, environ={}) == {"COURSE_PROFILE": "full"}
    mine = {"TF_NUM_INTEROP_THREADS": "2"}  # a setting of the user's own is kept
    assert "TF_NUM_INTEROP_THREADS" not in schedule.job_env("run", 2, environ=mine)


def test_a_long_job_does_not_take_the_slot_that_a_more_urgent_job_needs():
    jobs = {j.name: j for j in (
        _job("root", expected=50), _job("left", after=["root"], expected=300),
        _job("right", after=["root"], expected=300), _job("long", expected=200),
        _job("short", expected=20))}
    pending = ["left", "right", "long", "short"]  # by urgency; root runs, 30 s left
    running = {"root": 30.0}
    # left and right both become ready when root ends, and that frees one slot only
    assert schedule.holds_back("long", jobs, pending, running, set())
    assert not schedule.holds_back("short", jobs, pending, running, set())
    # with a single job waiting for root, root's own slot is enough
    assert not schedule.holds_back("long", jobs, ["left", "long"], running, set())
    assert not schedule.holds_back("left", jobs, pending, {}, {"root"})
