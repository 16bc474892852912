"""Generate a corpus of valid scenario files for the benchmarks (deterministic for a seed)."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from engine.scenario.vocab import AREA_KINDS, COMBATS, MINE_STATUSES, TOWARDS, V1_REQUESTS, VESSELS, WHOS
from engine.strategies import to_yaml

PLACES = ["Taiwan Strait", "East China Sea", "Sea of Japan", "Okinawa", "Tsushima", "Yellow Sea", "Philippine Sea"]


def scenario(rng: random.Random, n: int) -> dict:
    """One plausible generated scenario: up to four areas, up to six events, some U.S. requests."""
    areas = []
    for i in range(rng.randint(0, 4)):
        area = {"id": f"area_{i}", "name": rng.choice(PLACES), "kind": rng.choice(AREA_KINDS)}
        if rng.random() < 0.7:
            area["combat"] = rng.choice(COMBATS)
        if rng.random() < 0.3:
            area["consent"] = rng.random() < 0.5
        areas.append(area)
    events = []
    for _ in range(rng.randint(0, 6)):
        kinds = ["refugee_flow", "evacuation"] + (
            ["mines", "persons_in_distress", "sanctions_shipping"] * 2 if areas else []
        )
        kind = rng.choice(kinds)
        event: dict = {"type": kind}
        if kind in ("mines", "persons_in_distress", "sanctions_shipping"):
            event["area"] = rng.choice(areas)["id"]
        if kind == "mines":
            event["status"] = rng.choice(MINE_STATUSES)
        elif kind == "persons_in_distress":
            event["who"] = rng.choice(WHOS)
        elif kind == "sanctions_shipping":
            event["flag_state_consent"] = rng.random() < 0.5
            event["vessels"] = rng.choice(VESSELS)
        elif kind == "refugee_flow":
            event["toward"] = rng.choice(TOWARDS)
        events.append(event)
    data = {
        "scenario": f"Generated scenario {n}",
        "description": "A generated situation for the benchmark corpus.",
        "situation": {
            "important_influence": rng.random() < 0.8,
            "armed_attack_on_japan": rng.random() < 0.1,
            "un_sanctions_resolution": rng.random() < 0.3,
        },
        "us_forces": {"operating": rng.random() < 0.6, "requests": rng.sample(list(V1_REQUESTS), rng.randint(0, 3))},
        "areas": areas,
        "events": events,
    }
    return data


class NotEmptyError(Exception):
    """The folder given already holds something: the corpus goes only into a new or empty folder."""


def write_corpus(directory: Path, count: int, seed: int = 1997) -> list[Path]:
    """Write `count` scenario files into `directory`, which must be new or empty (nothing is ever deleted)."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise NotEmptyError(f"{directory} is not empty; give a new or empty folder")
    paths = [directory / f"scenario_{n:06d}.yaml" for n in range(count)]
    rng = random.Random(seed)
    for n, path in enumerate(paths):
        with open(path, "x", encoding="utf-8") as handle:  # never over a file that appeared meanwhile
            handle.write(to_yaml(scenario(rng, n)))
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
