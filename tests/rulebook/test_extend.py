"""A rulebook that extends another: files from the base, items merged by id, each at the file and line it came from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.cli import main
from engine.errors import RulebookError
from engine.rete.cache import key
from engine.rulebook.load import load_rulebook

from ..conftest import ROLE_IDS, ROOT
from ..helpers import edit

RULES_ROOT = ROOT / "rules"


def where(item) -> tuple[str, int | None]:
    """`2015/roles/x.yaml` and the line an item of a loaded rulebook was written at."""
    return str(Path(item.file).relative_to(Path(item.file).parents[2 if "/roles/" in item.file else 1])), item.line


@pytest.fixture(scope="module")
def rulebook_2015():
    return load_rulebook(RULES_ROOT / "2015")


@pytest.fixture
def both(tmp_path: Path) -> Path:
    """A copy of the shipped rulebooks, side by side, to edit: returns the folder holding 1997/ and 2015/."""
    shutil.copytree(RULES_ROOT, tmp_path / "rules")
    return tmp_path / "rules"


def problems_of(directory: Path) -> list:
    with pytest.raises(RulebookError) as caught:
        load_rulebook(directory)
    return caught.value.problems


def line_of(path: Path, text: str) -> int:
    return path.read_text().split("\n").index(text) + 1


def test_the_2015_rulebook_extends_1997_and_has_every_role(rulebook_2015):
    assert (rulebook_2015.id, rulebook_2015.extends, rulebook_2015.in_force) == ("2015", "1997", "2016-03-29")
    assert [Path(b).name for b in rulebook_2015.bases] == ["1997"]
    assert [r.id for r in rulebook_2015.roles] == list(ROLE_IDS)
    assert {"G97", "Law60/1999", "G15", "Law60/2015", "DoJ16"} <= set(rulebook_2015.sources)


def test_items_keep_the_file_and_line_they_were_written_at(rulebook_2015):
    """A replaced or new item comes from the 2015 file, an inherited one from the 1997 file, each at its line."""
    minesweeping = rulebook_2015.role("minesweeping")
    file_2015 = RULES_ROOT / "2015" / "roles" / "minesweeping.yaml"
    file_1997 = RULES_ROOT / "1997" / "roles" / "minesweeping.yaml"
    grounds = {g.id: g for g in minesweeping.grounds}
    limits = {lim.id: lim for lim in minesweeping.limits}
    assert where(grounds["self_defence_survival"]) == (
        "2015/roles/minesweeping.yaml",
        line_of(file_2015, "  - id: self_defence_survival"),
    )
    assert where(limits["combat_ongoing"]) == (
        "1997/roles/minesweeping.yaml",
        line_of(file_1997, "  - id: combat_ongoing"),
    )
    assert where(limits["active_mines_no_self_defence"])[0] == "2015/roles/minesweeping.yaml"
    assert minesweeping.file.endswith("2015/roles/minesweeping.yaml")


def test_same_id_replaces_in_place_new_ids_are_appended_and_remove_drops(rulebook_2015):
    minesweeping = rulebook_2015.role("minesweeping")
    assert [g.id for g in minesweeping.grounds] == ["abandoned_mines", "self_defence", "self_defence_survival"]
    assert [t.id for t in minesweeping.triggers] == ["gate"]
    assert [lim.id for lim in minesweeping.limits] == [
        "active_mines_no_self_defence",
        "active_mines_beyond_home_waters",
        "not_abandoned_without_formal_ceasefire",
        "combat_ongoing",
        "foreign_without_consent",
    ]
    logistics = rulebook_2015.role("logistic_support")
    assert [lim.id for lim in logistics.limits] == [
        "weapons",
        "scene_of_combat",
        "combat_expected",
        "foreign_without_consent",
    ]
    assert [t.id for t in logistics.triggers] == ["forces_operating", "important_influence"]
    assert set(rulebook_2015.concepts) == {
        "important_influence_situation",
        "activity_area",
        "sar_activity_operation",
        "japan_and_calm_nearby_seas",
    }
    notices = [n.id for n in rulebook_2015.notices]
    assert "before_law60" not in notices and notices[-1] == "before_2015_legislation"


def test_a_key_the_extending_file_lacks_comes_from_the_base(rulebook_2015, rulebook):
    """`subject` and `title` are not in the 2015 role files: they are the 1997 ones; constraints it omits too."""
    for role_id in ROLE_IDS:
        assert rulebook_2015.role(role_id).subject == rulebook.role(role_id).subject
        assert rulebook_2015.role(role_id).title == rulebook.role(role_id).title
    assert rulebook_2015.role("minesweeping").constraints == rulebook.role("minesweeping").constraints


def test_an_error_in_the_extending_file_names_that_file_and_line(both):
    path = both / "2015" / "roles" / "logistic_support.yaml"
    line = edit(path, "        - concept: activity_area\n", "        - concept: activity_arae\n")
    (problem,) = problems_of(both / "2015")
    assert problem.path == str(path) and problem.line == line
    assert problem.suggestion == "activity_area"


def test_an_error_in_an_inherited_item_names_the_base_file(both):
    """The 1997 limit combat_ongoing is inherited by 2015: its error is reported at the 1997 file, for either."""
    path = both / "1997" / "roles" / "minesweeping.yaml"
    line = edit(
        path,
        "        - area.combat: ongoing\n        - not:\n            all:\n              - situation.armed",
        "        - area.combat: ongoin\n        - not:\n            all:\n              - situation.armed",
    )
    for rulebook in ("1997", "2015"):
        (problem,) = problems_of(both / rulebook)
        assert (problem.path, problem.line, problem.suggestion) == (str(path), line, "ongoing")


def test_removing_an_id_the_base_lacks_is_an_error_with_a_suggestion(both):
    path = both / "2015" / "roles" / "embargo_inspection.yaml"
    line = edit(path, "remove: [section_v, outside_inspection_waters]", "remove: [section_v, outside_inspection_water]")
    (problem,) = problems_of(both / "2015")
    assert (problem.path, problem.line) == (str(path), line)
    assert "no triggers or grounds or limits item 'outside_inspection_water'" in problem.message
    assert problem.suggestion == "outside_inspection_waters"


def test_removing_and_redefining_an_item_is_an_error(both):
    path = both / "2015" / "roles" / "logistic_support.yaml"
    edit(path, "  - not_us_forces\n", "  - not_us_forces\n  - weapons\n")
    (problem,) = problems_of(both / "2015")
    assert problem.path == str(path) and "'weapons' is both removed and defined here" in problem.message


def test_a_base_that_cannot_be_found_is_named_at_the_extends_line(both):
    path = both / "2015" / "rulebook.yaml"
    line = edit(path, 'extends: "1997"', 'extends: "1996"')
    (problem,) = problems_of(both / "2015")
    assert (problem.path, problem.line, problem.field) == (str(path), line, "extends")
    assert "no rulebook '1996' to extend" in problem.message


def test_rulebooks_that_extend_each_other_are_refused(both):
    edit(both / "1997" / "rulebook.yaml", 'rulebook: "1997"\n', 'rulebook: "1997"\nextends: "2015"\n')
    (problem,) = problems_of(both / "2015")
    assert "extend each other in a cycle" in problem.message


def test_an_extending_rulebook_names_itself(both):
    edit(both / "2015" / "rulebook.yaml", 'rulebook: "2015"\n', "")
    (problem,) = problems_of(both / "2015")
    assert "names itself" in problem.message


def test_a_copy_of_the_2015_rulebook_alone_extends_the_shipped_1997(tmp_path):
    """Without a 1997 folder beside it, the shipped 1997 rulebook is the base."""
    shutil.copytree(RULES_ROOT / "2015", tmp_path / "mine")
    rulebook = load_rulebook(tmp_path / "mine")
    assert Path(rulebook.bases[0]) == RULES_ROOT / "1997"


def test_a_third_rulebook_is_a_folder_that_extends_the_second(both):
    """As the README says: a folder with rulebook.yaml (`extends`, `in_force`) and the files that change."""
    third = both / "2030"
    (third / "roles").mkdir(parents=True)
    (third / "rulebook.yaml").write_text(
        'rulebook: "2030"\nextends: "2015"\nin_force: 2030-01-01\ntitle: A later rulebook\n'
        "sources:\n  Law1/2030: A later law\n"
    )
    (third / "roles" / "logistic_support.yaml").write_text(
        "role: logistic_support\nremove: [weapons]\n"
        "limits:\n  - id: fuel_only\n    reason: Only fuel.\n    when: {request.item: {ne: refuel_combat_sortie}}\n"
        '    basis: ["Law1/2030 Art. 1"]\n'
    )
    rulebook = load_rulebook(third)
    assert [Path(b).name for b in rulebook.bases] == ["1997", "2015"]
    limits = [lim.id for lim in rulebook.role("logistic_support").limits]
    assert limits == ["scene_of_combat", "combat_expected", "foreign_without_consent", "fuel_only"]
    assert rulebook.role("minesweeping").grounds[-1].id == "self_defence_survival"


def test_the_cache_key_covers_the_base(both):
    """The compiled 2015 rulebook rests on the 1997 files it inherits: changing one changes its cache key."""
    before = key(both / "2015")
    edit(both / "1997" / "roles" / "refugee_acceptance.yaml", "role: refugee_acceptance", "role: refugee_acceptance ")
    assert key(both / "2015") != before


def test_what_is_compiled_is_what_was_read(both):
    """Loading from files read once (as the cache does) uses those bytes for the base too, not the disk's."""
    from engine.rete.cache import read_rules

    files = read_rules(both / "2015")
    assert any(name.endswith("roles/minesweeping.yaml") and name != "roles/minesweeping.yaml" for name in files)
    edit(both / "1997" / "roles" / "surveillance.yaml", "title: Surveillance", "title: Changed on disk")
    assert load_rulebook(both / "2015", files).role("surveillance").title == "Surveillance"
    assert load_rulebook(both / "2015").role("surveillance").title == "Changed on disk"


def test_the_shipped_2015_rulebook_has_acknowledged_every_inherited_item(runner):
    """At HEAD, every item 2015 inherits from 1997 reads as 2015 last acknowledged it: `check` is clean."""
    from engine.rulebook.inherited import inherited_items

    items = inherited_items(RULES_ROOT / "2015")
    assert items and not [item.key for item in items if item.changed]
    result = runner.invoke(main, ["check", "--rulebook", "2015", "--examples", "1", "--seed", "1"])
    assert result.exit_code == 0 and "warning:" not in result.stderr


def test_an_edit_to_an_inherited_1997_item_is_listed_and_warned_about(runner, both):
    """A 1997 edit cannot slip into 2015 unseen: `rules --inherited` marks the item, `check` warns naming the
    1997 file and line, and `--acknowledge` records it so the warning goes."""
    path = both / "1997" / "roles" / "minesweeping.yaml"
    head = "  - id: combat_ongoing\n    reason: >-\n"
    edit(path, head, head + "      Edited in the 1997 rulebook.\n")
    line = line_of(path, "  - id: combat_ongoing")
    listed = runner.invoke(main, ["rules", "--rules", str(both / "2015"), "--inherited"])
    assert listed.exit_code == 0 and "Changed there since acknowledged: 1 " in listed.output
    assert "  changed minesweeping/combat_ongoing" in listed.output
    checked = runner.invoke(main, ["check", "--rules", str(both / "2015"), "--examples", "1", "--seed", "1"])
    assert checked.exit_code == 0  # a warning, not a failure
    (warning,) = [w for w in checked.stderr.splitlines() if w.startswith("warning:")]
    assert warning.startswith(f"warning: {path}:{line}: minesweeping/combat_ongoing: changed in its base since")
    assert f"guidelines rules --rules {both / '2015'} --inherited --acknowledge" in warning
    unrelated = runner.invoke(main, ["check", "--rules", str(both / "1997"), "--examples", "1", "--seed", "1"])
    assert "warning:" not in unrelated.stderr  # 1997 extends nothing
    assert runner.invoke(main, ["rules", "--rules", str(both / "2015"), "--inherited", "--acknowledge"]).exit_code == 0
    again = runner.invoke(main, ["check", "--rules", str(both / "2015"), "--examples", "1", "--seed", "1"])
    assert "warning:" not in again.stderr
    assert load_rulebook(both / "2015").id == "2015"  # the block written keeps rulebook.yaml valid
