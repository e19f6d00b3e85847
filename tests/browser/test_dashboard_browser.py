"""End to end: the dashboard server in headless Chromium (Debian's), driven by Playwright.

Starts the server on a free loopback port, opens two tabs, moves a lever and steps the model in
one, checks that the month, cards and charts change there and not in the other tab, and saves a
screenshot (to JUSIM_SCREENSHOTS, e.g. docs/img, or a temporary folder). Needs /usr/bin/chromium (scripts/install-browser.sh); under
CI=true a missing browser fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from jusim.dashboard.commands import SCENARIO_ENV, server_command

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
# Screenshots go to a temporary folder; set JUSIM_SCREENSHOTS=docs/img to refresh the docs' images.
SHOTS = Path(os.environ.get("JUSIM_SCREENSHOTS") or tempfile.mkdtemp(prefix="jusim-shots-"))
pytestmark = pytest.mark.browser


def _require_browser() -> None:
    missing = [] if Path(CHROMIUM).exists() else [CHROMIUM]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install -e '.[test]')")
    if missing:
        msg = f"missing {', '.join(missing)}: run bash scripts/install-browser.sh"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_browser()
    port = _free_port()
    log = tmp_path_factory.mktemp("dash") / "server.log"
    env = {**os.environ, SCENARIO_ENV: "silo"}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            server_command("127.0.0.1", port), env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"dashboard server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser_context(server, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport={"width": 1600, "height": 1100},
        )
        try:
            yield ctx
        finally:
            ctx.close()


def _open(ctx, url):
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector("text=month 0 of", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # widgets wired up
    return page


def test_lever_step_charts_cards_and_tabs(server, browser_context):
    from playwright.sync_api import expect

    page = _open(browser_context, server)
    other = _open(browser_context, server)
    month = page.locator(".jusim-month")
    expect(month).to_have_text("month 0 of 60")

    charts_before = page.locator(".jusim-outcomes").screenshot()
    cards_before = page.locator(".jusim-card").all_inner_texts()

    # a lever: switch on the pooled budget (its controls appear), then step and run 12 months
    page.get_by_text("pooled budget", exact=True).click()
    expect(page.get_by_text("share: share of discretionary budget pooled")).to_be_visible(
        timeout=20_000
    )
    page.get_by_role("button", name="Step").click()
    expect(month).to_have_text("month 1 of 60", timeout=20_000)
    page.get_by_role("button", name="+12 months").click()
    expect(month).to_have_text("month 13 of 60", timeout=20_000)
    page.wait_for_timeout(1000)

    cards_after = page.locator(".jusim-card").all_inner_texts()
    assert cards_after != cards_before
    assert page.locator(".jusim-outcomes").screenshot() != charts_before
    assert not page.locator(".jusim-error").count()

    # the other tab has its own model and levers
    expect(other.locator(".jusim-month")).to_have_text("month 0 of 60")
    assert not other.get_by_text("share: share of discretionary budget pooled").count()

    # an impossible file shows a message, and the page keeps working
    page.get_by_label("or a scenario file path").fill("/no/such/file.toml")
    page.get_by_role("button", name="Load").click()
    expect(page.locator(".jusim-error")).to_contain_text("/no/such/file.toml", timeout=20_000)
    page.get_by_role("button", name="Step").click()
    expect(month).to_have_text("month 14 of 60", timeout=20_000)

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    assert (SHOTS / "dashboard.png").stat().st_size > 10_000


def test_replication_bands_with_progress(server, browser_context):
    from playwright.sync_api import expect

    page = _open(browser_context, server)
    page.get_by_text("shared targets", exact=True).click()
    page.get_by_role("button", name="Run to end").click()
    expect(page.locator(".jusim-month")).to_have_text("month 60 of 60", timeout=20_000)
    before = page.locator(".jusim-outcomes").screenshot()
    page.get_by_role("button", name="Run 10 replications").click()
    expect(page.get_by_text("Bands from 10 of 10 replications.")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.locator(".jusim-outcomes").screenshot() != before
    page.screenshot(path=str(SHOTS / "dashboard-bands.png"), full_page=True)


def test_chromium_is_debian_package():
    _require_browser()
    assert shutil.which("chromium") or Path(CHROMIUM).exists()
