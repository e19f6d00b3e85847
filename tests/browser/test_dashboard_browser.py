"""End to end: ``jusim dashboard`` in headless Chromium (Debian's) at 1280x720, via Playwright.

One server for the module, started the way a facilitator starts it (``python -m jusim.cli
dashboard``) on a free loopback port, with every ``connect`` it makes traced by strace. The tests:
the page loads with no console error, no failed request and nothing fetched off the machine, and
fits 1280x720; Play shows >= 10 months in 5 s and Pause holds; a lever's number box takes a typed
value; a lever change updates the cards (timed by the benchmark); two tabs stay independent; a 150-month
scenario plays to the end; and last, SIGTERM stops the server, frees the port, leaves no process
behind, and the trace holds no connection attempt off loopback.

Screenshots go to a temporary folder; ``JUSIM_SCREENSHOTS=docs/img`` refreshes the docs' images.
Needs /usr/bin/chromium and strace (``scripts/install-browser.sh``); under CI=true a missing
tool fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from jusim.scenario import scenario_dir

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 720}
SHOTS = Path(os.environ.get("JUSIM_SCREENSHOTS") or tempfile.mkdtemp(prefix="jusim-shots-"))
pytestmark = pytest.mark.browser


def _require_tools() -> None:
    missing = [] if Path(CHROMIUM).exists() else [CHROMIUM]
    if shutil.which("strace") is None:
        missing.append("strace")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[test]')")
    if missing:
        msg = f"missing {', '.join(missing)}: run bash scripts/install-browser.sh"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a new server would
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


_CONNECT = re.compile(r"connect\(\d+, \{sa_family=(AF_INET6?)(?P<rest>[^}]*)\}")
_ADDR = re.compile(r'inet_(?:addr|pton)\((?:AF_INET6?, )?"(?P<ip>[^"]+)"')
_PORT = re.compile(r"htons\((?P<port>\d+)\)")


def off_loopback(trace: str) -> list[str]:
    """The ``connect`` calls in an strace log aimed anywhere but this machine (or at DNS)."""
    found = []
    for line in trace.splitlines():
        m = _CONNECT.search(line)
        if not m:
            continue
        ip = _ADDR.search(m.group("rest"))
        port = _PORT.search(m.group("rest"))
        addr = ip.group("ip") if ip else "?"
        loopback = addr.startswith("127.") or addr in ("::1", "::ffff:127.0.0.1")
        dns = port is not None and port.group("port") == "53"
        if not loopback or dns:
            found.append(line.strip())
    return found


def test_off_loopback_detector_sees_what_solara_would_send():
    """The detector itself can fail: lines like the ones Solara's telemetry and the DNS look-up
    of its analytics host produce are caught, loopback traffic is not."""
    trace = "\n".join(
        [
            '123 connect(5, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
            '123 connect(7, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("104.18.1.1")}, 16) = -1 ENETUNREACH',
            '124 connect(9, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2606:4700::1", &sin6_addr), sin6_scope_id=0}, 28) = -1',
            '125 connect(3, {sa_family=AF_INET, sin_port=htons(8765), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
            '126 connect(4, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0',
        ]
    )
    assert len(off_loopback(trace)) == 3


@dataclass
class Server:
    url: str
    port: int
    proc: subprocess.Popen  # strace, whose child is the dashboard
    trace: Path
    log: Path

    def dashboard_pid(self) -> int:
        import psutil

        return psutil.Process(self.proc.pid).children()[0].pid


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_tools()
    port = free_port()
    folder = tmp_path_factory.mktemp("dash")
    trace, log = folder / "connect.trace", folder / "server.log"
    cmd = [
        "strace",
        "-f",
        "-qq",
        "--seccomp-bpf",
        "-e",
        "trace=connect,bind",
        "-o",
        str(trace),
        sys.executable,
        "-m",
        "jusim.cli",
        "dashboard",
        "silo",
        "--port",
        str(port),
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    srv = Server(url, port, proc, trace, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"dashboard server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield srv
    finally:
        if proc.poll() is None:
            for child in _children(proc.pid):
                child.kill()
            proc.kill()
            proc.wait(10)


def _children(pid: int):
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Watched:
    page: object
    errors: list
    requests: list


def _open(browser, url) -> Watched:
    page = browser.new_page(viewport=VIEWPORT)
    w = Watched(page, [], [])
    page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    page.on("requestfailed", lambda r: w.errors.append(f"failed: {r.url}"))
    page.on(
        "response", lambda r: w.errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None
    )
    page.on("request", lambda r: w.requests.append(r.url))
    page.goto(url)
    page.wait_for_selector(".jusim-outcomes canvas", timeout=60_000)
    page.wait_for_selector("text=month 0 of", timeout=60_000)
    return w


def _month(page) -> int:
    return int(page.locator(".jusim-month").inner_text().split()[1])


def test_loads_offline_without_errors_and_fits_1280x720(server, browser):
    w = _open(browser, server.url)
    page = w.page
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    local = (f"http://127.0.0.1:{server.port}/", f"ws://127.0.0.1:{server.port}/", "data:", "blob:")
    assert [u for u in w.requests if not u.startswith(local)] == []
    assert w.errors == []
    inside = []
    for selector in (
        ".jusim-play",
        ".jusim-month",
        ".jusim-card",
        ".jusim-outcomes",
        ".jusim-slider",
    ):
        for box in [el.bounding_box() for el in page.locator(selector).all()][:3]:
            assert box is not None, selector
            inside.append(
                (
                    selector,
                    box["x"] >= 0
                    and box["y"] >= 0
                    and box["x"] + box["width"] <= 1280
                    and box["y"] + box["height"] <= 720,
                )
            )
    assert all(ok for _, ok in inside), inside
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # no sideways scroll
    assert page.get_by_text("This website runs on").count() == 0  # the badge is hidden
    # presenter view hides the levers and gives the charts the width
    width = page.locator(".jusim-outcomes").first.bounding_box()["width"]
    page.get_by_text("Presenter view").click()
    page.wait_for_function("!document.querySelector('.jusim-sidebar')")
    page.wait_for_timeout(300)
    assert page.locator(".jusim-outcomes").first.bounding_box()["width"] > width + 50
    page.get_by_text("Presenter view").click()
    page.wait_for_selector(".jusim-sidebar")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"))
    page.close()


def test_play_shows_ten_months_in_five_seconds_and_pause_holds(server, browser):
    page = _open(browser, server.url).page
    page.get_by_role("button", name="8 / s").click()
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(5000)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=2000)  # answered within a frame
    held = _month(page)
    assert held >= 10
    page.wait_for_timeout(1500)
    assert _month(page) == held
    page.close()


def test_number_box_shows_and_takes_a_typed_value(server, browser):
    page = _open(browser, server.url).page
    box = page.locator(".jusim-slider").first.locator("input").last
    assert box.input_value() == "1.0"
    box.fill("2.5")
    box.press("Enter")
    page.wait_for_function(
        "document.querySelector('.jusim-title').innerText.includes('churn ×2.5')", timeout=5000
    )
    assert box.input_value() == "2.5"
    box.fill("9")  # beyond the range: brought inside it, and the page says so
    box.press("Enter")
    page.wait_for_selector("text=9 is outside 0–4: set to 4", timeout=5000)
    page.close()


def test_lever_change_updates_cards(server, browser):
    """Three lever changes each update the cards. The time from click to the first card changing
    is measured inside the page and printed; the 0.3 s target is held by
    ``benchmarks/dashboard.py`` on a quiet machine, not asserted here (a shared CI machine is no
    place for timings)."""
    page = _open(browser, server.url).page
    page.get_by_role("button", name="+12 months").click()
    page.wait_for_selector("text=month 12 of", timeout=10_000)
    page.wait_for_timeout(500)
    times = []
    for _ in range(3):
        before = page.locator(".jusim-card").first.inner_text()
        start = page.evaluate(
            """() => {
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
        )
        page.wait_for_function("window.jusimChanged !== null", timeout=10_000)
        times.append((page.evaluate("window.jusimChanged") - start) / 1000)
        assert page.locator(".jusim-card").first.inner_text() != before
        page.wait_for_timeout(300)
    print(f"cards updated after {', '.join(f'{t:.2f}' for t in times)} s")
    page.close()


def test_two_tabs_stay_independent(server, browser):
    one = _open(browser, server.url).page
    two = _open(browser, server.url).page
    one.get_by_role("button", name="Step").click()
    one.wait_for_selector("text=month 1 of", timeout=10_000)
    one.get_by_text("Shared targets", exact=True).click()
    one.wait_for_function(
        "document.querySelector('.jusim-title').innerText.includes('shared targets')"
    )
    two.wait_for_timeout(500)
    assert _month(two) == 0
    assert "no intervention" in two.locator(".jusim-title").inner_text()
    one.close()
    two.close()


def test_a_150_month_scenario_plays_to_the_end(server, browser, tmp_path):
    long = tmp_path / "long.toml"
    base = (scenario_dir() / "silo.toml").as_posix()
    long.write_text(f'base = "{base}"\nname = "long"\nhorizon = 150\n', encoding="utf-8")
    w = _open(browser, server.url)
    page = w.page
    page.get_by_label("or a scenario file path").fill(str(long))
    page.get_by_label("or a scenario file path").press("Enter")
    page.get_by_role("button", name="Load").click()
    page.wait_for_selector("text=month 0 of 150", timeout=20_000)
    page.get_by_role("button", name="fastest").click()
    page.get_by_role("button", name="Play").click()
    page.wait_for_selector("text=month 150 of 150", timeout=120_000)
    page.get_by_role("button", name="Play").wait_for(timeout=5000)  # play stopped by itself
    assert page.locator(".jusim-error").count() == 0
    assert not [e for e in w.errors if "render" in e.lower()]
    page.close()


def test_workshop_session_and_guide_screenshots(server, browser):
    """The guide's session at 1280x720: a package of levers, replication bands, compare A vs B,
    save and export — each screenshot with no error banner (JUSIM_SCREENSHOTS=docs/img)."""
    w = _open(browser, server.url)
    page = w.page
    SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(name: str, full: bool = False) -> None:
        assert page.locator(".jusim-error").count() == 0
        page.evaluate("document.querySelector('.jusim-sidebar').scrollTop = 0")
        page.wait_for_timeout(400)
        page.screenshot(path=str(SHOTS / name), full_page=full)

    page.get_by_text("Pooled budget", exact=True).click()
    page.wait_for_function("document.querySelector('.jusim-title').innerText.includes('pooled')")
    page.get_by_role("button", name="Compare A vs B").click()
    page.get_by_role("button", name="Pin these levers as A").click()
    page.get_by_text("Secondees", exact=True).click()
    page.wait_for_function("document.querySelector('.jusim-title').innerText.includes('secondees')")
    page.get_by_role("button", name="+12 months").click()
    page.wait_for_selector("text=month 12 of", timeout=10_000)
    page.get_by_role("button", name="Network").click()
    shot("dashboard.png")

    page.get_by_role("button", name="Run to end").click()
    page.wait_for_selector("text=month 60 of 60", timeout=20_000)
    page.get_by_role("button", name="Replications").click()
    page.get_by_role("button", name="Run 10 replications").click()
    page.wait_for_selector("text=Bands from 10 of 10 replications.", timeout=60_000)
    shot("dashboard-bands.png")

    page.get_by_role("button", name="Compare A vs B").click()
    page.locator(".jusim-compare").click()
    page.wait_for_selector(".jusim-table", timeout=60_000)
    assert "95% interval" in page.locator(".jusim-table").inner_text()
    page.locator(".jusim-table").scroll_into_view_if_needed()
    shot("dashboard-compare.png")

    page.get_by_role("button", name="Save & export").click()
    with page.expect_download() as saved:
        page.get_by_role("button", name="Save levers (JSON)").click()
    text = Path(saved.value.path()).read_text()
    assert '"secondees": true' in text
    with page.expect_download() as exported:
        page.get_by_role("button", name="Export data (CSV)").click()
    csv = Path(exported.value.path()).read_text()
    assert csv.startswith("# jusim dashboard export; lever set: pooled budget + secondees")
    assert "need_95_low" in csv.splitlines()[2]  # the bands travel with the data
    shot("dashboard-export.png")
    # reload the saved levers through the file picker, from a fresh tab
    other = _open(browser, server.url).page
    other.get_by_role("button", name="Save & export").click()
    with other.expect_file_chooser() as chooser:
        other.locator(".jusim-file-picker").click()
    chooser.value.set_files(saved.value.path())
    other.wait_for_function(
        "document.querySelector('.jusim-title').innerText.includes('pooled budget + secondees')",
        timeout=10_000,
    )
    assert w.errors == []
    other.close()
    page.close()


def test_sigterm_frees_the_port_and_nothing_left_the_machine(server, browser):
    pid = server.dashboard_pid()
    os.kill(pid, signal.SIGTERM)
    server.proc.wait(timeout=20)  # strace ends when the dashboard has ended
    assert _children(server.proc.pid) == []
    deadline = time.monotonic() + 10
    while not port_is_free(server.port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert port_is_free(server.port)
    trace = server.trace.read_text()
    # the trace followed the dashboard itself: its own listening socket is there
    assert re.search(rf"bind\(\d+, \{{sa_family=AF_INET, sin_port=htons\({server.port}\)", trace)
    assert off_loopback(trace) == []
