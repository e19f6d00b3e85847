"""The one-page brief (jusim compare --brief) opens in headless Chromium with no network request,
shows what a senior reader needs, and prints five scenarios (and the baseline) on one A4 page.
Saves a screenshot (to JUSIM_SCREENSHOTS, or a temporary folder)."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jusim.cli import app
from jusim.scenario import scenario_dir

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCENARIOS = (
    "silo",
    "rough_sleepers_unit",
    "secondees",
    "pooled_budget",
    "shared_targets",
    "sponsorship",
)
SHOTS = Path(os.environ.get("JUSIM_SCREENSHOTS") or tempfile.mkdtemp(prefix="jusim-shots-"))
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def brief(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("brief")
    files = []
    for name in SCENARIOS:
        p = folder / f"{name}.toml"
        p.write_text(f'base = "{(scenario_dir() / f"{name}.toml").as_posix()}"\nhorizon = 18\n')
        files.append(str(p))
    out = folder / "brief.html"
    result = CliRunner().invoke(
        app,
        [
            "compare",
            *files[1:],
            "--baseline",
            files[0],
            "--replications",
            "2",
            "--ensemble",  # the longer text: ranges over parameter draws (a test ensemble)
            str(Path(__file__).parents[1] / "data" / "ensemble_small.csv"),
            "--draws",
            "2",
            "--brief",
            str(out),
            "--question",
            "Should the centre fund a rough sleepers unit?",
        ],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    return out


def test_brief_is_self_contained_and_complete(brief):
    text = brief.read_text(encoding="utf-8")
    assert "Should the centre fund a rough sleepers unit?" in text
    assert not re.search(r"(src|href)=\"?(https?:)?//", text)  # nothing fetched
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", text)  # report titles, not file names
    for needle in (
        "Joining Up to Improve Public Services",
        "95% of single runs",
        "seed ±",
        "do <b>not</b> include",
        "£k/case",
        "<svg",
        "Bottom line at month 18",
        "cases of rough sleeping",
        "in total",
        "Relationships: trust",
        "central unit on rough sleeping",
        "budgets pooled: 10%",
    ):
        assert needle in text, needle


def test_brief_renders_in_chromium_on_one_a4_page(brief):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"missing {CHROMIUM}: run bash scripts/install-browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            t0 = time.perf_counter()
            page.goto(brief.as_uri())
            page.wait_for_load_state("load")
            elapsed = time.perf_counter() - t0
            assert requests == [brief.as_uri()], requests
            # the figure rendered: one panel title per outcome, and the results table
            assert page.locator("svg").count() == 1
            assert page.locator("table.res tr").count() == 1 + len(SCENARIOS)
            page.screenshot(path=str(SHOTS / "brief.png"), full_page=True)
            pdf = page.pdf(format="A4", print_background=True)
            pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
            assert pages == 1, f"the brief of {len(SCENARIOS)} scenarios prints on {pages} A4 pages"
            print(f"brief rendered in {elapsed:.2f} s; screenshot {SHOTS / 'brief.png'}")
        finally:
            browser.close()
