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


def test_compare_page_pairs_both_rulebooks_in_one_matrix(browser, runner, tmp_path):
    """`compare --format html`: the paired matrix holds both rulebooks' statuses as the JSON gives them, the cells
    that changed marked; the changes table holds every change with reasons on both sides; the two full reports
    follow, each at full width (1997 above 2015), with no anchor twice on the page."""
    import json

    from selenium.webdriver.common.by import By

    page = tmp_path / "korea.html"
    args = ["compare", "--format", "html", "-o", str(page), str(SCENARIOS / "korea.yaml")]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    compared = json.loads(runner.invoke(main, ["compare", "--format", "json", str(SCENARIOS / "korea.yaml")]).stdout)
    old, new = (compared["reports"][r]["roles"] for r in ("1997", "2015"))

    browser.set_window_size(1280, 1400)
    browser.get(page.as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "Korean peninsula contingency"
    across = browser.find_elements(By.CSS_SELECTOR, "table.paired.areas thead th[data-role]")
    roles = [th.get_attribute("data-role") for th in across]
    assert roles == [r for r in new if "areas" in new[r]]
    overall = browser.find_elements(By.CSS_SELECTOR, "table.paired.areas tr.overall td")
    assert [(c.get_attribute("data-before"), c.get_attribute("data-after")) for c in overall] == [
        (old[r]["status"], new[r]["status"]) for r in roles
    ]
    surveillance = roles.index("surveillance")
    for row, area in zip(
        browser.find_elements(By.CSS_SELECTOR, "table.paired.areas tbody tr:not(.overall)"),
        new["surveillance"]["areas"],
        strict=True,
    ):
        cell = row.find_elements(By.CSS_SELECTOR, "td")[surveillance]
        statuses = (old["surveillance"]["areas"][area]["status"], new["surveillance"]["areas"][area]["status"])
        assert (cell.get_attribute("data-before"), cell.get_attribute("data-after")) == statuses
    logistic = browser.find_element(By.CSS_SELECTOR, "table.paired.others tbody[data-role=logistic_support]")
    pairs = [
        (c.get_attribute("data-before"), c.get_attribute("data-after"))
        for c in logistic.find_elements(By.CSS_SELECTOR, "td.duo")
    ]
    role = "logistic_support"
    assert pairs == [(old[role]["status"], new[role]["status"])] + [
        (a["status"], b["status"]) for a, b in zip(old[role]["requests"], new[role]["requests"], strict=True)
    ]
    changed = browser.find_elements(By.CSS_SELECTOR, "table.paired td.changed")
    moved = [c for c in compared["changes"] if c["from"] != c["to"]]  # a change of status (not of ground alone)
    assert len(changed) == len(moved) == 3  # the roll-up and two requests
    assert changed[0].text.replace("\n", " ") == "✗ blocked→✓ applies"

    rows = browser.find_elements(By.CSS_SELECTOR, "table.changes tbody tr")
    assert len(rows) == len(compared["changes"])
    assert [c["kind"] for c in compared["changes"]].count("status") == 3
    for row, change in zip(rows, compared["changes"], strict=True):
        before, after = row.find_elements(By.CSS_SELECTOR, "td[data-status]")
        assert [before.get_attribute("data-status"), after.get_attribute("data-status")] == [
            change["from"],
            change["to"],
        ]
        assert [li.text for li in before.find_elements(By.TAG_NAME, "li")] == change["was"]
        assert [li.text for li in after.find_elements(By.TAG_NAME, "li")] == change["because"] != []  # 2015's reason
        assert after.find_element(By.CSS_SELECTOR, ".cited").text == ", ".join(change["basis"])

    first, second = browser.find_elements(By.CSS_SELECTOR, ".full > .side")
    assert "rulebook 1997" in first.text.lower() and "rulebook 2015" in second.text.lower()
    assert first.location["x"] == second.location["x"] and first.location["y"] < second.location["y"]
    assert first.size["width"] == second.size["width"] > 1000  # each at full width
    for side, rulebook in ((first, "1997"), (second, "2015")):
        cell = side.find_element(By.CSS_SELECTOR, "tr[data-role=logistic_support] td.overall")
        assert cell.get_attribute("data-status") == compared["reports"][rulebook]["roles"]["logistic_support"]["status"]
    anchors = [e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, "[id]")]
    assert len(anchors) == len(set(anchors)) > 7
    link = second.find_element(By.CSS_SELECTOR, "tr[data-role=logistic_support] th a")
    assert link.get_attribute("href").endswith("-2015-logistic_support")
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []


# Every word of the page laid out on one line (a word is what a reader sees as one: a run of letters, which the
# browser may break only where Unicode's line breaking lets prose break inside it, after a hyphen or between ")"
# and "(" as in "Art. 4(1)(18)"; Japanese breaks between any two characters), no element sticking out of
# the page but inside a box that scrolls, and every changed cell of the paired matrix inside the window and inside
# every box around it.
LAYOUT = r"""
const width = document.documentElement.clientWidth;
const out = {page: [document.documentElement.scrollWidth, width], broken: [], out: [], hidden: [], changed: 0};
const scrolls = el => { for (let up = el.parentElement; up; up = up.parentElement)
  if (getComputedStyle(up).overflowX !== "visible") return true; return false; };
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!node.parentElement || !node.parentElement.checkVisibility()) continue;
  for (const m of node.data.matchAll(/(?:[^\s\-\u3000-\u9fff\uff00-\uffef)]|\)(?!\())+(?:-|\))?/g)) {
    const range = document.createRange();
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
    if (rects.some(r => Math.abs(r.top - rects[0].top) > 2)) out.broken.push(m[0]);
  }
}
for (const el of document.querySelectorAll("main *")) {
  const r = el.getBoundingClientRect();
  if (r.width && r.right > width + 0.5 && el.checkVisibility() && !scrolls(el)) out.out.push(el.outerHTML.slice(0, 80));
}
for (const cell of document.querySelectorAll("table.paired td.changed")) {
  out.changed++;
  const r = cell.getBoundingClientRect();
  let seen = r.left >= 0 && r.right <= width;
  for (let up = cell.parentElement; up; up = up.parentElement) {
    const box = up.getBoundingClientRect();
    if (up !== document.body && up !== document.documentElement && (r.left < box.left - 0.5 || r.right > box.right + 0.5)) seen = false;
  }
  if (!seen) out.hidden.push(cell.title);
}
return out;
"""


@pytest.fixture
def window(browser):
    """The browser, its window set back to the size the other tests read at when the test ends."""
    yield browser
    browser.set_window_size(1280, 1400)


@pytest.mark.parametrize("width", [1280, 800])
@pytest.mark.parametrize(
    "name", ["korea", "support_requests", "adjacent_rescue", "strait", "korea_crisis", "rescue_interrupted"]
)
def test_compare_page_reads_at_the_width_of_a_window(window, runner, tmp_path, name, width):
    """The compare page at 1280 and 800 px, of files with many requests (support_requests), many areas
    (adjacent_rescue) and phases (strait; korea_crisis, whose phase `australia_joins` heads a column of every phase
    at a glance; rescue_interrupted, whose change table holds long phase ids and citations): no word broken across
    lines, no sideways scrolling of the page,
    every changed cell in view; the window and the whole page are screenshot."""
    import base64
    import json

    page = tmp_path / f"{name}.html"
    args = ["compare", "--format", "html", "-o", str(page), str(SCENARIOS / f"{name}.yaml")]
    assert runner.invoke(main, args).exit_code == 0
    compared = json.loads(runner.invoke(main, ["compare", "--format", "json", str(SCENARIOS / f"{name}.yaml")]).stdout)

    window.set_window_size(width, 1000)
    window.get(page.as_uri())
    found = window.execute_script(LAYOUT)
    assert found["broken"] == []
    assert found["page"][0] <= found["page"][1] and found["out"] == []
    assert found["hidden"] == []
    moved = [c for c in compared["changes"] if c["from"] != c["to"]]
    assert found["changed"] == len(moved) > 0  # one marked cell per change of status, roll-ups included
    top = tmp_path / f"compare-{name}-{width}.png"  # what the window shows first: the paired matrix
    assert window.save_screenshot(str(top)) and top.stat().st_size > 10_000
    shot = window.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"})
    whole = tmp_path / f"compare-{name}-{width}-page.png"
    whole.write_bytes(base64.b64decode(shot["data"]))
    assert whole.stat().st_size > top.stat().st_size


@pytest.mark.parametrize("width", [1280, 800])
@pytest.mark.parametrize(
    "name", ["strait", "support_requests", "adjacent_rescue", "korea_crisis", "history/korea_2017", "senkaku"]
)
def test_the_report_reads_at_the_width_of_a_window(window, runner, tmp_path, name, width):
    """`evaluate --format html --flip` at 1280 and 800 px, of files with many requests, many areas, phases (every
    phase at a glance, decisions), a record with its sources' links and measures beyond the roles: no word broken
    across lines and no sideways scrolling of the page (a citation wraps between its parts, never inside one)."""
    page = tmp_path / f"{name.replace('/', '-')}.html"
    args = ["evaluate", "--format", "html", "--flip", "-o", str(page), str(SCENARIOS / f"{name}.yaml")]
    assert runner.invoke(main, args).exit_code == 0
    window.set_window_size(width, 1000)
    window.get(page.as_uri())
    found = window.execute_script(LAYOUT)
    assert found["broken"] == []
    assert found["page"][0] <= found["page"][1] and found["out"] == []
    shot = tmp_path / f"report-{name.replace('/', '-')}-{width}.png"
    assert window.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


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
