"""Measures beyond the roles (`beyond.yaml`): each test names the article that governs the measure.

The facts are those of the 2017 Korea case and of a Senkaku-like grey zone
(../shared/domain/history.md, cases 5 and 7): U.S. forces operating with a
`supplies` request on the high seas, no determination, a UN sanctions
resolution and ships suspected of evading it; an evacuation; combat expected in
Japanese territory with no armed attack. The items never change a verdict.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.rete.evaluators import evaluator_for
from engine.rulebook.choice import choose

from ..conftest import ROOT, SCENARIOS
from ..helpers import report_of
from ..reference import reference_beyond

KOREA_2017 = {
    "scenario": "Korea 2017",
    "date": "2017-05-01",
    "situation": {"important_influence": False, "un_sanctions_resolution": True},
    "us_forces": {"operating": True, "requests": [{"item": "supplies", "area": "sea_of_japan"}]},
    "areas": [
        {"id": "sea_of_japan", "name": "the Sea of Japan", "kind": "high_seas"},
        {"id": "east_china_sea", "name": "the East China Sea", "kind": "high_seas"},
    ],
    "events": [{"type": "sanctions_shipping", "area": "east_china_sea"}],
}
GREY_ZONE = {
    "scenario": "Grey zone",
    "date": "2027-08-01",
    "situation": {"important_influence": False},
    "areas": [{"id": "senkaku", "name": "the Senkaku Islands", "kind": "japan", "combat": "expected"}],
    "events": [{"type": "evacuation"}],
}


@pytest.fixture(scope="module")
def e15():
    return evaluator_for(choose(None, rulebook="2015").directory)


def beyond(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in report.get("beyond", [])}


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    situation = {**base["situation"], **changes.pop("situation", {})}
    return {**base, "situation": situation, **changes}


def test_sdf_law_art_95_2_asset_protection_in_2017(e15, evaluator):
    """SDF Law Art. 95-2 (new in 2015, in force 29 March 2016): U.S. forces operate, Japan is not under attack."""
    item = beyond(report_of(e15, KOREA_2017))["asset_protection"]
    assert item["provision"] == "SDF Law Art. 95-2" and "SDFLaw Art. 95-2" in item["basis"]
    assert "never where combat is actually taking place" in item["because"]
    assert "asset_protection" not in beyond(report_of(e15, with_(KOREA_2017, date="2015-06-01")))
    assert "asset_protection" not in beyond(
        report_of(e15, with_(KOREA_2017, situation={"armed_attack_on_japan": True}))
    )
    assert "asset_protection" not in beyond(report_of(evaluator, KOREA_2017))  # no Art. 95-2 before 2015


def test_sdf_law_art_100_6_supplies_without_a_determination(e15, evaluator):
    """SDF Law Art. 100-6 as extended in 2015, with the ACSA: supplies to U.S. forces with no important
    influence situation, in the area the request names; with the determination, logistic support covers it."""
    report = report_of(e15, KOREA_2017)
    item = beyond(report)["supplies_in_peacetime"]
    assert item["area"] == "sea_of_japan" and "U.S. forces ask for supplies in the Sea of Japan" in item["because"]
    assert item["provision"].startswith("SDF Law Art. 100-6")
    assert report["roles"]["logistic_support"]["status"] == "not_triggered"  # the role itself is unchanged
    determined = report_of(e15, with_(KOREA_2017, situation={"important_influence": True}))
    assert "supplies_in_peacetime" not in beyond(determined)
    assert "supplies_in_peacetime" not in beyond(report_of(evaluator, KOREA_2017))


def test_cargo_inspection_act_of_2010_coast_guard(e15, evaluator):
    """Act No. 43 of 2010 (in force 4 July 2010): the Coast Guard and customs inspect cargo of sanctioned
    shipping when no determination opens SDF ship inspection; under both rulebooks."""
    for engine in (e15, evaluator):
        item = beyond(report_of(engine, KOREA_2017))["cargo_inspection_act"]
        assert item["area"] == "east_china_sea" and item["basis"] == ["CargoAct/2010"]
    assert "cargo_inspection_act" not in beyond(report_of(evaluator, with_(KOREA_2017, date="2009-06-01")))
    assert "cargo_inspection_act" not in beyond(
        report_of(evaluator, with_(KOREA_2017, situation={"un_sanctions_resolution": False}))
    )


def test_sdf_law_art_82_maritime_security_in_a_grey_zone(e15, evaluator):
    """SDF Law Art. 82 and the Japan Coast Guard Law: combat expected in Japanese territory without an armed
    attack (a Senkaku-like grey zone); once Japan is under armed attack, Section IV governs instead."""
    for engine in (e15, evaluator):
        item = beyond(report_of(engine, GREY_ZONE))["maritime_security_operations"]
        assert item["area"] == "senkaku" and "SDFLaw Art. 82" in item["basis"]
    attacked = with_(GREY_ZONE, situation={"armed_attack_on_japan": True})
    assert "maritime_security_operations" not in beyond(report_of(e15, attacked))


@pytest.mark.parametrize(("which", "provision"), [("2015", "SDF Law Arts. 84-3 and 84-4"), ("1997", "Art. 100-8")])
def test_sdf_law_arts_84_3_and_84_4_nationals_abroad(e15, evaluator, which, provision):
    """SDF Law Arts. 84-3 (protection, new in 2015) and 84-4 (transport); under the 1997 rulebook Art. 84-3
    (transport; Art. 100-8 before January 2007)."""
    item = beyond(report_of(e15 if which == "2015" else evaluator, GREY_ZONE))["transport_of_nationals"]
    assert provision in item["provision"] and "area" not in item


def test_the_json_key_is_optional_and_shaped_as_the_contract_adds_it(evaluator):
    """No measure relevant: no `beyond` key (an optional key, nothing else in the report changes)."""
    quiet = {"scenario": "quiet", "situation": {"important_influence": True}}
    assert "beyond" not in report_of(evaluator, quiet)
    for item in report_of(evaluator, GREY_ZONE)["beyond"]:
        assert {"id", "measure", "provision", "because", "basis"} <= set(item)


def test_beyond_items_never_change_a_verdict(tmp_path: Path):
    """The items are listed beside the roles: with every beyond.yaml removed, every shipped scenario and the
    two cases above get the very same roles and notices under both rulebooks."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    for name in ("1997", "2015"):
        (tmp_path / "rules" / name / "beyond.yaml").unlink()
    shipped = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(SCENARIOS.glob("*.yaml"))]
    cases = [KOREA_2017, GREY_ZONE, *(data for data in shipped if "phases" not in data)]
    for name in ("1997", "2015"):
        with_items = evaluator_for(ROOT / "rules" / name)
        without = evaluator_for(tmp_path / "rules" / name)
        shown = 0
        for data in cases:
            a, b = report_of(with_items, data), report_of(without, data)
            shown += len(a.get("beyond", []))
            assert "beyond" not in b
            assert (a["roles"], a["notice_details"]) == (b["roles"], b["notice_details"]), data["scenario"]
        assert shown > 0


GRID_FACTS = {
    "us_forces": {
        "operating": True,
        "requests": ["supplies", {"item": "ammunition", "area": "sea"}, {"item": "transport", "area": "home"}],
    },
    "areas": [
        {"id": "home", "kind": "japan", "combat": "expected"},
        {"id": "sea", "kind": "high_seas"},
        {"id": "far", "kind": "distant_high_seas"},
    ],
    "events": [
        {"type": "sanctions_shipping", "area": "sea"},
        {"type": "sanctions_shipping", "area": "far"},
        {"type": "evacuation"},
    ],
}


@pytest.mark.parametrize("which", ["1997", "2015"])
def test_the_report_lists_what_the_independent_reading_of_beyond_yaml_lists(e15, evaluator, which):
    """tests/reference.py reads beyond.yaml on its own: the same items, in the same areas, over a grid of
    determinations, resolutions and dates (SDF Law Arts. 82, 84-3, 95-2, 100-6; Act No. 43 of 2010)."""
    engine = e15 if which == "2015" else evaluator
    flags = itertools.product([False, True], repeat=4)
    checked = set()
    for (influence, attack, survival, resolution), date in itertools.product(flags, [None, "2009-06-01", "2017-05-01"]):
        situation = {
            "important_influence": influence,
            "armed_attack_on_japan": attack,
            "survival_threatening": survival,
            "un_sanctions_resolution": resolution,
        }
        data = {"scenario": "grid", "situation": situation, **GRID_FACTS, **({"date": date} if date else {})}
        found = [(b["id"], b.get("area")) for b in report_of(engine, data).get("beyond", [])]
        assert found == reference_beyond(data, ROOT / "rules" / which), (situation, date)
        checked.update(found)
    assert len({item for item, _ in checked}) == (5 if which == "2015" else 3)
