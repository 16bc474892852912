"""Generate a corpus of valid scenario files for the benchmarks (deterministic for a seed).

The scenarios use every field of version 2 of the scenario format: dates on
both sides of the 2015 legislation's entry into force (so a date-chosen
rulebook picks either), every situation field, both forces with plain and
located requests, adjacent areas, every event type with all its fields, and,
where the installed scenario loader knows them, phases in some files.
"""

from __future__ import annotations

import argparse
import datetime
import random
from pathlib import Path

from engine.scenario.vocab import (
    AREA_KINDS,
    CEASEFIRES,
    COMBATS,
    CONFLICTS,
    LOGISTIC_ITEMS,
    MINE_STATUSES,
    REQUESTS,
    TOWARDS,
    VESSELS,
    WHOS,
)
from engine.strategies import to_yaml

PLACES = ["Taiwan Strait", "East China Sea", "Sea of Japan", "Okinawa", "Tsushima", "Yellow Sea", "Philippine Sea"]
FIRST_DAY = datetime.date(2010, 1, 1)  # dates span 2010-2021: before and after 29 March 2016
PHASED_SHARE = 0.2  # files with phases, where the loader accepts them


def _request(rng: random.Random, areas: list[dict]) -> str | dict:
    item = rng.choice(REQUESTS)
    if item in LOGISTIC_ITEMS and areas and rng.random() < 0.5:  # facilities are inside Japan: no area
        return {"item": item, "area": rng.choice(areas)["id"]}
    return item


def _requests(rng: random.Random, areas: list[dict]) -> list[str | dict]:
    """Up to three requests, none repeated (the same item at the same place is refused when a file loads)."""
    drawn: dict[tuple[str, str | None], str | dict] = {}
    for _ in range(rng.randint(0, 3)):
        request = _request(rng, areas)
        key = (request["item"], request["area"]) if isinstance(request, dict) else (request, None)
        drawn.setdefault(key, request)
    return list(drawn.values())


def _event(rng: random.Random, areas: list[dict]) -> dict:
    located = ["mines", "persons_in_distress", "sanctions_shipping"] * 2 if areas else []
    kinds = ["refugee_flow", "evacuation", *located]
    kind = rng.choice(kinds)
    event: dict = {"type": kind}
    if kind in ("mines", "persons_in_distress", "sanctions_shipping"):
        event["area"] = rng.choice(areas)["id"]
    if kind == "mines":
        event["status"] = rng.choice(MINE_STATUSES)
        if rng.random() < 0.5:
            event["conflict"] = rng.choice(CONFLICTS)
    elif kind == "persons_in_distress":
        event["who"] = rng.choice(WHOS)
        if rng.random() < 0.5:
            event["rescue_under_way"] = rng.random() < 0.5
    elif kind == "sanctions_shipping":
        event["flag_state_consent"] = rng.random() < 0.5
        event["vessels"] = rng.choice(VESSELS)
    elif kind == "refugee_flow":
        event["toward"] = rng.choice(TOWARDS)
    return event


def _forces(rng: random.Random, areas: list[dict], chance: float) -> dict:
    return {
        "operating": rng.random() < chance,
        "requests": _requests(rng, areas),
    }


def scenario(rng: random.Random, n: int, phased: bool = False) -> dict:
    """One plausible generated scenario: up to four areas, up to six events, requests of both forces.

    With `phased`, one file in five also unfolds over one to three phases.
    """
    areas: list[dict] = []
    for i in range(rng.randint(0, 4)):
        area = {"id": f"area_{i}", "name": rng.choice(PLACES), "kind": rng.choice(AREA_KINDS)}
        if area["kind"] != "japan" and rng.random() < 0.7:  # combat in Japan would be an armed attack on it
            area["combat"] = rng.choice(COMBATS)
        if area["kind"] == "foreign" and rng.random() < 0.5:  # consent is a foreign state's
            area["consent"] = rng.random() < 0.5
        areas.append(area)
    for area in areas:  # a foreign territorial sea may border Japan or the high seas
        targets = [a for a in areas if a["kind"] != "foreign"]
        if area["kind"] == "foreign" and targets and rng.random() < 0.5:
            area["adjacent_to"] = rng.choice(targets)["id"]
    data: dict = {
        "scenario": f"Generated scenario {n}",
        "description": "A generated situation for the benchmark corpus.",
    }
    if rng.random() < 0.8:
        data["date"] = FIRST_DAY + datetime.timedelta(days=rng.randint(0, 12 * 365))
    data["situation"] = {
        "important_influence": rng.random() < 0.8,
        "armed_attack_on_japan": rng.random() < 0.1,
        "survival_threatening": rng.random() < 0.15,
        "un_sanctions_resolution": rng.random() < 0.3,
        "ceasefire": rng.choice(CEASEFIRES),
    }
    data["us_forces"] = _forces(rng, areas, 0.6)
    if rng.random() < 0.4:
        data["other_forces"] = _forces(rng, areas, 0.5)
    data["areas"] = areas
    data["events"] = [_event(rng, areas) for _ in range(rng.randint(0, 6))]
    if phased and rng.random() < PHASED_SHARE:
        data["phases"] = _phases(rng, data)
    return data


def _phases(rng: random.Random, data: dict) -> list[dict]:
    phases = []
    day = data.get("date") or FIRST_DAY
    for i in range(rng.randint(1, 3)):
        day = day + datetime.timedelta(days=rng.randint(1, 60))
        phase: dict = {"id": f"phase_{i}", "name": f"Phase {i + 1}", "date": day}
        phase["situation"] = {"ceasefire": rng.choice(CEASEFIRES), "important_influence": rng.random() < 0.8}
        if data["areas"] and rng.random() < 0.6:
            area = rng.choice(data["areas"])
            combat = "none" if area["kind"] == "japan" else rng.choice(COMBATS)
            phase["areas"] = [{"id": area["id"], "combat": combat}]
        if rng.random() < 0.4:
            phase["events"] = [_event(rng, data["areas"]) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.3:
            phase["us_forces"] = {"requests": _requests(rng, data["areas"])}
        phases.append(phase)
    return phases


def phases_supported() -> bool:
    """Whether the installed scenario loader accepts `phases:` (a phased sample validates)."""
    from engine.scenario.fastschema import validate

    sample = scenario(random.Random(0), 0)
    sample["phases"] = [{"id": "later", "situation": {"ceasefire": "formal"}}]
    try:
        validate(sample)
    except Exception:  # noqa: BLE001 - any refusal means the loader has no phases
        return False
    return True


class NotEmptyError(Exception):
    """The folder given already holds something: the corpus goes only into a new or empty folder."""


def write_corpus(directory: Path, count: int, seed: int = 1997, phased: bool | None = None) -> list[Path]:
    """Write `count` scenario files into `directory`, which must be new or empty (nothing is ever deleted).

    Phases go into some files when `phased`, by default when the loader accepts them.
    """
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise NotEmptyError(f"{directory} is not empty; give a new or empty folder")
    if phased is None:
        phased = phases_supported()
    paths = [directory / f"scenario_{n:06d}.yaml" for n in range(count)]
    rng = random.Random(seed)
    for n, path in enumerate(paths):
        with open(path, "x", encoding="utf-8") as handle:  # never over a file that appeared meanwhile
            handle.write(to_yaml(scenario(rng, n, phased)))
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path, help="a new or empty folder")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1997)
    args = parser.parse_args()
    try:
        write_corpus(args.directory, args.count, args.seed)
    except (NotEmptyError, OSError) as exc:
        parser.error(str(exc))
