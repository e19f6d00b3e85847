"""Dashboard benchmark: what a facilitator waits for, in headless Chromium at 1280x720.

Starts ``jusim dashboard`` (as a facilitator does) on a free loopback port with its connections
traced by strace, opens the page in Debian's Chromium (Playwright) on the same machine, and
measures, per trial:

1. server up: from starting the command to the first HTTP 200;
2. first render: from opening the page to the cards and the first chart drawn;
3. Step: from the click to the new month on the page (8 clicks, median);
4. lever change: from switching the pooled budget on or off (at month 20) to the cards changing,
   timed inside the page (a MutationObserver on the first card; 6 changes, median);
5. play: months shown per second over 2 s of play at "fastest" (as fast as frames are drawn)
   and at the default 4 a second, and how long Pause takes to show;
6. connections off loopback (and any DNS look-up) made by the server process while it ran.

The machine's load average is printed with the results: on a shared 2-core machine the timings
move with it, so report medians over several trials and the load they were taken under.

Usage::

    python benchmarks/dashboard.py            # 3 trials, markdown table
    python benchmarks/dashboard.py --trials 5
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "browser"))
from test_dashboard_browser import ARGS, CHROMIUM, VIEWPORT, free_port, off_loopback

CARD_CHANGED = """() => {
  window.jusimChanged = null;
  new MutationObserver(() => {
    if (window.jusimChanged === null) window.jusimChanged = performance.now();
  }).observe(document.querySelector('.jusim-card'),
             {subtree: true, childList: true, characterData: true});
  const t = performance.now();
  [...document.querySelectorAll('.jusim-switch label')]
    .find(l => l.innerText.trim() === 'Pooled budget').click();
  return t;
}"""


def month(page) -> int:
    return int(page.locator(".jusim-month").inner_text().split()[1])


def play_rate(page, speed: str) -> tuple[float, float]:
    page.get_by_role("button", name="Reset").click()
    page.wait_for_selector("text=month 0 of")
    page.get_by_role("button", name=speed, exact=True).click()
    page.wait_for_timeout(300)
    start, t = month(page), time.monotonic()
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(2000)  # short enough not to reach a 60-month horizon at ~25 frames/s
    shown = month(page) - start
    elapsed = time.monotonic() - t
    pause = page.get_by_role("button", name="Pause")
    if not pause.is_visible():  # play reached the horizon inside the window: a lower bound
        return shown / elapsed, float("nan")
    t = time.monotonic()
    pause.click()
    page.get_by_role("button", name="Play").wait_for()
    return shown / elapsed, time.monotonic() - t


def trial() -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    trace = Path(tempfile.mkdtemp(prefix="jusim-bench-")) / "connect.trace"
    cmd = ["strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect", "-o", str(trace)]
    cmd += [sys.executable, "-m", "jusim.cli", "dashboard", "silo", "--port", str(port)]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, float] = {}
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("the dashboard did not start") from None
                time.sleep(0.1)
        out["server up (s)"] = time.monotonic() - t0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page(viewport=VIEWPORT)
            t = time.monotonic()
            page.goto(url)
            page.wait_for_selector(".jusim-card", timeout=60_000)
            page.wait_for_selector(".jusim-outcomes canvas", timeout=60_000)
            out["first render (s)"] = time.monotonic() - t
            steps = []
            for _ in range(8):
                before = month(page)
                t = time.monotonic()
                page.get_by_role("button", name="Step").click()
                page.wait_for_function(
                    "m => document.querySelector('.jusim-month').innerText"
                    ".startsWith(`month ${m} `)",
                    arg=before + 1,
                )
                steps.append(time.monotonic() - t)
            out["Step, median (s)"] = statistics.median(steps)
            page.get_by_role("button", name="+12 months").click()
            page.wait_for_selector("text=month 20 of")
            page.wait_for_timeout(300)
            levers = []
            for _ in range(6):
                start = page.evaluate(CARD_CHANGED)
                page.wait_for_function("window.jusimChanged !== null", timeout=20_000)
                levers.append((page.evaluate("window.jusimChanged") - start) / 1000)
                page.wait_for_timeout(300)
            out["lever change, median (s)"] = statistics.median(levers)
            out["play at fastest (months/s)"], out["Pause shown after (s)"] = play_rate(
                page, "fastest"
            )
            out["play at 4/s (months/s)"], _ = play_rate(page, "4 / s")
            browser.close()
    finally:
        import psutil

        for child in psutil.Process(proc.pid).children(recursive=True):
            child.send_signal(signal.SIGTERM)
        proc.wait(30)
    out["connections off loopback"] = float(len(off_loopback(trace.read_text())))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    trials = []
    for _ in range(args.trials):
        trials.append(trial())
        print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)
    load = os.getloadavg()
    print(
        f"Dashboard, {args.trials} trials; load average {load[0]:.1f} / {load[1]:.1f} "
        f"(1 / 5 min) on {os.cpu_count()} cores\n"
    )
    print("| measure | median | trials |\n|---|---:|---|")
    for key in trials[0]:
        values = [t[key] for t in trials]
        print(
            f"| {key} | {statistics.median(values):.2f} | "
            + ", ".join(f"{v:.2f}" for v in values)
            + " |"
        )


if __name__ == "__main__":
    main()
