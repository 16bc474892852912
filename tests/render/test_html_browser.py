"""The HTML report as a reader sees it: opened in headless Chromium, read from the DOM."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from engine.cli import main

from ..conftest import SCENARIOS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        pytest.skip("no Chromium here: install the Debian packages chromium and chromium-driver to run this test")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1400",
    ):
        options.add_argument(flag)
    # Chromium puts a socket in its profile and its temporary folder: a long TMPDIR (as a CI runner's may be)
    # would take that path past the 108 bytes a socket's name may have, and Chromium would exit at start.
    short = "/tmp" if os.access("/tmp", os.W_OK) else None
    profile = tempfile.mkdtemp(prefix="guidelines-chromium-", dir=short)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    env = {**os.environ, "TMPDIR": short} if short else None
    driver = webdriver.Chrome(service=Service(DRIVER, env=env), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_html_report_reads_right_in_a_browser(browser, runner, tmp_path):
    """The page shows the matrix with each cell's status from the JSON report, logs no error, and is screenshot."""
    import json

    from selenium.webdriver.common.by import By

    page = tmp_path / "strait.html"
    strait = [str(SCENARIOS / "strait.yaml"), "--phase", "fighting"]  # the fighting phase: every status shows
    result = runner.invoke(main, ["evaluate", "--format", "html", "-o", str(page), *strait])
    assert result.exit_code == 0, result.output
    report = json.loads(runner.invoke(main, ["evaluate", "--format", "json", *strait]).stdout)

    browser.get(page.as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "Taiwan Strait crisis"
    headers = [
        th.text.replace("\n", " ")
        for th in browser.find_elements(By.CSS_SELECTOR, "table.matrix thead tr:last-child th")
    ]
    assert headers[:3] == ["Role", "Overall", "Taiwan Strait"]
    areas = list(report["roles"]["minesweeping"]["areas"])
    for row in browser.find_elements(By.CSS_SELECTOR, "table.matrix tbody tr"):
        role = report["roles"][row.get_attribute("data-role")]
        overall = row.find_element(By.CSS_SELECTOR, "td.overall")
        assert overall.get_attribute("data-status") == role["status"]
        cells = row.find_elements(By.CSS_SELECTOR, "td.cell, td.blank")
        statuses = [c.get_attribute("data-status") for c in cells]
        if "areas" in role:
            assert statuses[: len(areas)] == [role["areas"][a]["status"] for a in areas]
        if "requests" in role:
            assert [s for s in statuses[len(areas) :] if s] == [r["status"] for r in role["requests"]]
        colour = cells[0].value_of_css_property("background-color") if cells else ""
        if statuses and statuses[0] == "blocked":
            assert colour != "rgba(0, 0, 0, 0)"  # a blocked cell is tinted
    blocked = browser.find_element(By.CSS_SELECTOR, "#minesweeping details[open] summary")
    assert blocked.text.startswith("blocked · Taiwan Strait")
    closed = browser.find_element(By.CSS_SELECTOR, "#search_and_rescue details:not([open])")
    assert not closed.find_element(By.TAG_NAME, "li").is_displayed()
    closed.find_element(By.TAG_NAME, "summary").click()
    assert closed.find_element(By.TAG_NAME, "li").is_displayed()  # the reasons open on demand
    sources = [dt.text for dt in browser.find_elements(By.CSS_SELECTOR, "dl.sources dt")]
    assert sources[:2] == ["G97", "G97-Annex"]

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    shot = tmp_path / "strait.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_compare_page_sets_both_rulebooks_side_by_side(browser, runner, tmp_path):
    """`compare --format html`: the changes table holds every change of the JSON, each side's status as the JSON
    gives it, and the two reports stand side by side (left 1997, right 2015), with no anchor twice on the page."""
    import json

    from selenium.webdriver.common.by import By

    page = tmp_path / "korea.html"
    args = ["compare", "--format", "html", "-o", str(page), str(SCENARIOS / "korea.yaml")]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    compared = json.loads(runner.invoke(main, ["compare", "--format", "json", str(SCENARIOS / "korea.yaml")]).stdout)

    browser.get(page.as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "Korean peninsula contingency"
    rows = browser.find_elements(By.CSS_SELECTOR, "table.changes tbody tr")
    assert len(rows) == len(compared["changes"])
    assert [c["kind"] for c in compared["changes"]].count("status") == 3
    for row, change in zip(rows, compared["changes"], strict=True):
        sides = row.find_elements(By.CSS_SELECTOR, "td[data-status]")
        assert [s.get_attribute("data-status") for s in sides] == [change["from"], change["to"]]
    left, right = browser.find_elements(By.CSS_SELECTOR, ".pair > .side")
    assert "rulebook 1997" in left.text.lower() and "rulebook 2015" in right.text.lower()
    assert left.location["y"] == right.location["y"] and left.location["x"] < right.location["x"]
    for side, rulebook in ((left, "1997"), (right, "2015")):
        cell = side.find_element(By.CSS_SELECTOR, "tr[data-role=logistic_support] td.overall")
        assert cell.get_attribute("data-status") == compared["reports"][rulebook]["roles"]["logistic_support"]["status"]
    anchors = [e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, "[id]")]
    assert len(anchors) == len(set(anchors)) > 7
    link = right.find_element(By.CSS_SELECTOR, "tr[data-role=logistic_support] th a")
    assert link.get_attribute("href").endswith("-2015-logistic_support")
    width = "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    scrolled, shown = browser.execute_script(width)
    assert scrolled <= shown  # the two columns fit the window: no sideways scrolling of the page

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    shot = tmp_path / "korea.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_a_phased_file_shows_its_timeline_then_the_last_phase(browser, runner, tmp_path):
    """The page of a crisis in phases: the timeline read from the DOM is the JSON report's changes, phase by
    phase, and the matrix below it is the last phase's."""
    import json

    from selenium.webdriver.common.by import By

    page = tmp_path / "strait-phases.html"
    result = runner.invoke(main, ["evaluate", "--format", "html", "-o", str(page), str(SCENARIOS / "strait.yaml")])
    assert result.exit_code == 0, result.output
    report = json.loads(runner.invoke(main, ["evaluate", "--format", "json", str(SCENARIOS / "strait.yaml")]).stdout)

    browser.get(page.as_uri())
    groups = browser.find_elements(By.CSS_SELECTOR, "table.timeline tbody")
    assert [g.get_attribute("data-phase") for g in groups] == [p["id"] for p in report["phases"]]
    start = groups[0].find_element(By.CSS_SELECTOR, "tr.start td").text
    assert start == "At the start: Surveillance applies; no other role arises."
    seen = set()
    for group in groups[1:]:
        for row in group.find_elements(By.CSS_SELECTOR, "tr.change"):
            seen.add(
                (
                    group.get_attribute("data-phase"),
                    row.get_attribute("data-role") and row.find_element(By.CSS_SELECTOR, "td.who").text,
                    row.get_attribute("data-from"),
                    row.get_attribute("data-to"),
                )
            )
    titles = {role_id: role["title"] for role_id, role in report["roles"].items()}
    expected = {(c["phase"], titles[c["role"]], c["from"] or "none", c["to"] or "none") for c in report["changes"]}
    assert seen <= expected and {(p, r) for p, r, *_ in seen} == {(p, r) for p, r, *_ in expected if p != "tension"}
    fighting = browser.find_element(By.CSS_SELECTOR, 'table.timeline tbody[data-phase="fighting"]').text
    assert "Taiwan Strait applies → blocked Combat is going on in this sea" in fighting
    assert browser.find_element(By.CSS_SELECTOR, "h2.phase").text.startswith("Phase ceasefire, 2009-06-01")
    for row in browser.find_elements(By.CSS_SELECTOR, "table.matrix tbody tr"):
        status = row.find_element(By.CSS_SELECTOR, "td.overall").get_attribute("data-status")
        assert status == report["roles"][row.get_attribute("data-role")]["status"]
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    shot = tmp_path / "strait-phases.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
