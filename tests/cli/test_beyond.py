"""`guidelines evaluate` shows "Beyond these roles" (SDF Law Arts. 82, 84-3, 84-4, 95-2, 100-6; the 2010 cargo
inspection act) in every format, says the measures are not evaluated in depth, and fits 80 columns."""

from __future__ import annotations

import json

import yaml

from engine.cli import main

KOREA_2017 = {
    "scenario": "Korea 2017",
    "date": "2017-05-01",
    "situation": {"important_influence": False, "un_sanctions_resolution": True},
    "us_forces": {"operating": True, "requests": [{"item": "supplies", "area": "sea_of_japan"}]},
    "areas": [{"id": "sea_of_japan", "name": "the Sea of Japan", "kind": "high_seas"}],
    "events": [{"type": "sanctions_shipping", "area": "sea_of_japan"}],
}


def _file(tmp_path, data=KOREA_2017):
    path = tmp_path / "korea_2017.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


def test_text_lists_the_measures_after_the_notices_within_80_columns(runner, tmp_path):
    result = runner.invoke(main, ["evaluate", _file(tmp_path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    section = out[out.index("\nBeyond these roles\n") :]
    assert out.index("\nNotices\n") < out.index("\nBeyond these roles\n") < out.index("\nSources\n")
    flat = " ".join(section.split())
    assert "They change no verdict above, and this tool does not evaluate them in depth." in flat
    assert "(SDF Law Art. 95-2)" in flat and "(SDF Law Art. 100-6, with the Japan-U.S. ACSA)" in flat
    assert "U.S. forces ask for supplies in the Sea of Japan" in flat
    assert "[SDFLaw Art. 95-2, DoJ17]" in flat
    assert max(len(line) for line in section.splitlines()) <= 80
    assert "LOGISTIC SUPPORT  not triggered" in out  # the role's verdict stays what the Guidelines give


def test_markdown_html_and_json_carry_the_section(runner, tmp_path):
    path = _file(tmp_path)
    markdown = runner.invoke(main, ["evaluate", path, "--format", "markdown"]).stdout
    assert (
        "### Beyond these roles" in markdown and "**Cargo inspection by the Japan Coast Guard and customs**" in markdown
    )
    html = runner.invoke(main, ["evaluate", path, "--format", "html"]).stdout
    assert "<h2>Beyond these roles</h2>" in html and "<strong>Asset protection: guarding" in html
    report = json.loads(runner.invoke(main, ["evaluate", path, "--format", "json"]).stdout)
    assert [b["id"] for b in report["beyond"]] == ["cargo_inspection_act", "asset_protection", "supplies_in_peacetime"]


def test_no_section_when_nothing_beyond_the_roles_is_relevant(runner, tmp_path):
    quiet = {"scenario": "Quiet", "situation": {"important_influence": True}}
    path = _file(tmp_path, quiet)
    assert "Beyond these roles" not in runner.invoke(main, ["evaluate", path]).stdout
    assert "beyond" not in json.loads(runner.invoke(main, ["evaluate", path, "--format", "json"]).stdout)
