"""Small builders for scenarios in tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.report.evaluate import evaluate_data
from engine.scenario.models import Scenario


def scenario(
    *,
    influence: bool = True,
    attack: bool = False,
    resolution: bool = False,
    operating: bool = False,
    requests: list[str] | None = None,
    areas: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A valid scenario as plain data, validated through the model."""
    data = {
        "scenario": "test",
        "situation": {
            "important_influence": influence,
            "armed_attack_on_japan": attack,
            "un_sanctions_resolution": resolution,
        },
        "us_forces": {"operating": operating, "requests": requests or []},
        "areas": areas or [],
        "events": events or [],
    }
    return Scenario.model_validate(data).model_dump(mode="json")


def run(evaluator, data: dict[str, Any]):
    return evaluate_data(data, evaluator, source="<test>")


def report_of(evaluator, data: dict[str, Any]) -> dict[str, Any]:
    """The JSON report of scenario data as a file holds it (validated first)."""
    valid = Scenario.model_validate(data).model_dump(mode="json")
    return evaluate_data(valid, evaluator, source="<generated>").as_dict()


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` with `new` in a file; return the line where the edit starts."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def unwrapped(text: str) -> str:
    """Command output with each wrapped `error:` or `warning:` message joined back onto one line."""
    lines: list[str] = []
    joining = False
    for line in text.splitlines():
        if joining and line.startswith("    "):
            lines[-1] += " " + line.strip()
            continue
        joining = line.startswith(("error: ", "warning: "))
        lines.append(line)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")
