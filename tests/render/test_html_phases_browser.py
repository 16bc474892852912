"""The HTML report of a phased file in headless Chromium at 800 px: every phase at a glance and the decisions by
phase, read from the DOM, say what the JSON says, and the page does not scroll sideways."""

from __future__ import annotations

import json

from engine.cli import main

from ..conftest import SCENARIOS
from .test_html_browser import browser  # noqa: F401  (the headless Chromium fixture)


def test_every_phase_at_a_glance_fits_800_px(browser, runner, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    strait = str(SCENARIOS / "korea_crisis.yaml")  # four phases, across the day the 2015 rulebook came in
    page = tmp_path / "phases.html"
    result = runner.invoke(main, ["evaluate", "--format", "html", "-o", str(page), strait])
    assert result.exit_code == 0, result.output
    report = json.loads(runner.invoke(main, ["evaluate", "--format", "json", strait]).stdout)
    decided = json.loads(runner.invoke(main, ["decisions", "--format", "json", strait]).stdout)

    browser.set_window_size(800, 1200)
    try:
        browser.get(page.as_uri())
        table = browser.find_element(By.CSS_SELECTOR, "table.phases-matrix")
        heads = [th.get_attribute("data-phase") for th in table.find_elements(By.CSS_SELECTOR, "thead th[data-phase]")]
        assert heads == [p["id"] for p in report["phases"]]
        for row in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
            role = row.get_attribute("data-role")
            statuses = [td.get_attribute("data-status") for td in row.find_elements(By.TAG_NAME, "td")]
            assert statuses == [p["roles"][role]["status"] for p in report["phases"]], role
        matrix = browser.find_element(By.CSS_SELECTOR, "table.matrix")
        assert table.location["y"] < matrix.location["y"]  # it opens the matrix section
        sections = browser.find_elements(By.CSS_SELECTOR, "section.decisions")
        assert [s.get_attribute("data-phase") for s in sections] == [p["id"] for p in decided["phases"]]
        for section, phase in zip(sections, decided["phases"], strict=True):
            kinds = [li.get_attribute("data-kind") for li in section.find_elements(By.CSS_SELECTOR, "ol > li")]
            assert kinds == [d["kind"] for d in phase["decisions"]]
        width = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        scrolled, shown = browser.execute_script(width)
        assert scrolled <= shown  # no sideways scrolling of the page at 800 px
        right = browser.execute_script("return arguments[0].getBoundingClientRect().right", table)
        assert right <= shown  # the whole matrix in view
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
        shot = tmp_path / "phases-800.png"
        assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    finally:
        browser.set_window_size(1280, 1400)
