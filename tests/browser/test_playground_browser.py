"""The playground served by Voila (`make app`), driven in a real, headless Chromium.

A reader's session, end to end: the page loads (the notebook's demonstration runs on the
leaderboard) and its widgets render; the reader picks the 10-step task and a GRU, moves
the epochs slider (by keyboard on its handle) and clicks Train; the status line says
done, the leaderboard has one more row with that task, model and epoch count, which
beats the naive baseline, and the figure has changed. Then the reader picks a preset
(notebook 02's deep RNN): the controls follow it; Train adds its row, and the new run
joins the overlaid learning curves. Last, "Train the comparison" trains the preset's
whole comparison (linear, SimpleRNN, deep RNN: quick runs on the 1-step task), and the
overlay shows exactly those runs.

Chromium is Debian's package (`apt-get install chromium`; `.ci/run` installs it when
missing), launched through Playwright's `executable_path`: Playwright's own browser
download is not used. `COURSE_CHROMIUM=/path/to/chromium` picks another binary. Without
Chromium or Playwright the test skips and says why.

Voila reads voila.json at the repository root (the test runs it from there, as
`make app` does). Artifacts (git-ignored): logs/browser/playground.png (the page after
training), voila.log (the server's output), console.log (the page's console, failed
requests and uncaught errors) and timings.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "11_playground.ipynb"
ARTIFACTS = ROOT / "logs" / "browser"
CHROMIUM_ENV = "COURSE_CHROMIUM"

VOILA_START_TIMEOUT = 90  # s until the server accepts connections
PAGE_TIMEOUT = 180  # s until the notebook has run and the widgets are on the page
TRAIN_TIMEOUT = 180  # s for one click's training (a few seconds normally)
PRESET = "02 · one step ahead: deep RNN (2 x 20)"  # helpers.playground.PRESETS
COMPARISON = ("linear", "SimpleRNN", "deep RNN")  # the models of its comparison


def chromium_path() -> str | None:
    """Chromium to drive: $COURSE_CHROMIUM, else `chromium` (Debian) on the PATH."""
    for candidate in (os.environ.get(CHROMIUM_ENV), shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed (it is in requirements.txt: make install)")
CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason=f"no Chromium found: install Debian's package (apt-get install chromium; .ci/run "
           f"does this) or set {CHROMIUM_ENV}=/path/to/chromium. Browser test skipped.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with code {proc.returncode}; see "
                               f"{ARTIFACTS / 'voila.log'}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"voila did not listen on port {port} within {timeout} s")


def _stop(proc: subprocess.Popen) -> None:
    """Stop voila and the kernels it started (its own process group)."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def timings():
    found: dict[str, float] = {}
    start = time.monotonic()
    yield found
    found["module_total_s"] = time.monotonic() - start  # voila start to teardown
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps(
        {k: round(v, 2) if isinstance(v, float) else v for k, v in found.items()},
        indent=2) + "\n")


@pytest.fixture(scope="module")
def voila_url(timings):
    """Serve the playground on a free port, as `make app` does; yield its URL."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = dict(os.environ)
    env.setdefault("COURSE_PROFILE", "quick")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    command = [sys.executable, "-m", "voila", str(NOTEBOOK), "--no-browser",
               f"--port={port}", "--Voila.ip=127.0.0.1", "--show_tracebacks=True"]
    log = open(ARTIFACTS / "voila.log", "w")
    start = time.monotonic()
    # Its own session (process group), so that teardown also reaches the kernels.
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_port(port, proc, VOILA_START_TIMEOUT)
        timings["voila_start_s"] = time.monotonic() - start
        yield f"http://127.0.0.1:{port}/"
    finally:
        _stop(proc)
        log.close()


def test_playground_trains_in_a_real_browser(voila_url, timings):
    expect = sync_api.expect
    console = open(ARTIFACTS / "console.log", "w")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1280, "height": 3400})
        page.on("console", lambda m: console.write(f"{m.type}: {m.text}\n"))
        page_errors = []
        page.on("pageerror", lambda e: (page_errors.append(str(e)),
                                        console.write(f"pageerror: {e}\n")))
        page.on("requestfailed", lambda r: console.write(
            f"requestfailed: {r.url} ({r.failure})\n"))
        try:
            start = time.monotonic()
            page.goto(voila_url, wait_until="commit", timeout=PAGE_TIMEOUT * 1000)
            board_rows = page.locator(".pg-leaderboard table tbody tr")
            plot = page.locator(".pg-plot img")
            page.locator(".pg-leaderboard table").wait_for(timeout=PAGE_TIMEOUT * 1000)
            plot.wait_for(timeout=PAGE_TIMEOUT * 1000)
            timings["page_ready_s"] = time.monotonic() - start
            rows_before = board_rows.count()  # the notebook's demonstration runs
            src_initial = plot.get_attribute("src")
            assert src_initial and src_initial.startswith("data:image/png")

            # A reader's choices: the 10-step task, a GRU, one more epoch (keyboard on
            # the slider's handle, which fires the slider's "change": see tests/browser/README.md).
            page.locator(".pg-task select").select_option("10-step")
            # the task's validation series is drawn: wait for the new figure
            expect(plot).not_to_have_attribute("src", src_initial)
            page.locator(".pg-arch select").select_option("GRU")
            readout = page.locator(".pg-epochs .widget-readout")
            epochs_before = int(readout.inner_text())
            page.locator(".pg-epochs .noUi-handle").focus()
            page.keyboard.press("ArrowRight")
            epochs = epochs_before + 1
            expect(readout).to_have_text(str(epochs))
            src_before = plot.get_attribute("src")

            start = time.monotonic()
            page.locator("button.pg-train").click()
            status = page.locator(".pg-status")
            expect(status).to_have_text(re.compile(r"^(done|failed)"),
                                        timeout=TRAIN_TIMEOUT * 1000)
            timings["train_click_s"] = time.monotonic() - start
            assert status.inner_text().startswith("done"), status.inner_text()

            expect(board_rows).to_have_count(rows_before + 1)
            # the new run trained what the controls say: task, model, epochs
            header = [c.strip() for c in
                      page.locator(".pg-leaderboard table thead th").all_inner_texts()]
            rows = [dict(zip(header, [c.strip() for c in r.locator("td").all_inner_texts()]))
                    for r in board_rows.all()]
            new = [r for r in rows if r["run"] == str(rows_before + 1)]
            assert len(new) == 1, rows
            row = new[0]
            assert (row["task"], row["model"], row["epochs"]) == ("10-step", "GRU",
                                                                  str(epochs)), row
            assert float(row["score"]) < float(row["baseline"]), row  # beats naive
            timings["new_row"] = row
            src_after = plot.get_attribute("src")
            assert src_after and src_after != src_before
            expect(page.locator("button.pg-train")).to_be_enabled()

            # A preset sets the controls; Train trains what they say.
            overlay = page.locator(".pg-overlay img")
            src_overlay = overlay.get_attribute("src")
            page.locator(".pg-preset select").select_option(PRESET)
            expect(page.locator(".pg-preset-note")).to_contain_text("notebook 02")
            expect(page.locator(".pg-task select")).to_have_value("1-step")
            expect(page.locator(".pg-arch select")).to_have_value("deep RNN")
            max_epochs = readout.inner_text()  # the preset trains the most epochs allowed
            assert int(max_epochs) > epochs, max_epochs
            start = time.monotonic()
            page.locator("button.pg-train").click()
            # (the status still says "done" for the run before: wait for this one's)
            expect(status).to_have_text(re.compile(rf"^(done: run {rows_before + 2},|failed)"),
                                        timeout=TRAIN_TIMEOUT * 1000)
            timings["preset_click_s"] = time.monotonic() - start
            assert status.inner_text().startswith("done: run"), status.inner_text()
            expect(board_rows).to_have_count(rows_before + 2)
            rows = [dict(zip(header, [c.strip() for c in r.locator("td").all_inner_texts()]))
                    for r in board_rows.all()]
            row = next(r for r in rows if r["run"] == str(rows_before + 2))
            assert (row["task"], row["model"], row["size"], row["epochs"]) == (
                "1-step", "deep RNN", "2 x 20", max_epochs), row
            picked = page.locator(".pg-runs select")
            selected = picked.evaluate("s => Array.from(s.selectedOptions, o => o.value)")
            assert any(t.startswith(f"1-step · {rows_before + 2}: deep RNN") for t in selected), \
                selected  # the new run joins the overlaid curves
            expect(overlay).not_to_have_attribute("src", src_overlay)

            # "Train the comparison": its three runs, and only they, overlaid.
            src_overlay = overlay.get_attribute("src")
            start = time.monotonic()
            page.locator("button.pg-train-preset").click()
            # each run's own "done" comes first; the comparison's ends "overlaid below"
            expect(status).to_have_text(re.compile(r"overlaid below$|^failed"),
                                        timeout=len(COMPARISON) * TRAIN_TIMEOUT * 1000)
            timings["comparison_click_s"] = time.monotonic() - start
            assert status.inner_text().startswith("done: run"), status.inner_text()
            expect(board_rows).to_have_count(rows_before + 2 + len(COMPARISON))
            first = rows_before + 3
            expected = [f"1-step · {first + i}: {model}" for i, model in enumerate(COMPARISON)]
            selected = picked.evaluate("s => Array.from(s.selectedOptions, o => o.value)")
            assert [re.sub(r" \d+ x \d+$", "", t.split(",")[0]) for t in selected] == expected, \
                selected
            expect(overlay).not_to_have_attribute("src", src_overlay)
            expect(page.locator("button.pg-train-preset")).to_be_enabled()
            assert not page_errors, f"uncaught errors in the page: {page_errors}"
        finally:
            page.screenshot(path=str(ARTIFACTS / "playground.png"), full_page=True)
            browser.close()
            console.close()
