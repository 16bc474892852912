"""The durable_rules Host this engine uses, and durable_rules' errors in words.

Imported only when rules actually run: an evaluation answered entirely from
the memo never loads durable_rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

try:
    from durable import engine as durable
except ImportError as exc:  # pragma: no cover - depends on the interpreter
    import sys

    raise ImportError(
        f"guidelines needs durable_rules 2.0.28, which runs on Python 3.11 and 3.12 "
        f"(this is Python {sys.version_info.major}.{sys.version_info.minor}): {exc}"
    ) from exc

# Error codes of durable_rules' C engine, as people can act on them.
NATIVE_ERRORS = {
    101: "durable_rules ran out of memory",
    112: "durable_rules ran out of handles",
    302: "a fact has more properties than durable_rules allows",
    303: "one fact matched more rule branches at once than durable_rules allows (64)",
    304: "a rule joined more facts than durable_rules allows",
    309: "durable_rules lost the evaluation's state",
}

REJECTED = (durable.MessageNotHandledException, durable.MessageObservedException)


class QuietHost(durable.Host):
    """A durable_rules Host without its timer threads, resolving actions by name.

    The Host's two background timer threads touch the engine without locks; this
    one never starts them, and actions run synchronously inside each call.
    """

    def __init__(self, actions: dict[str, Callable[[Any], None]]) -> None:
        self._named_actions = actions
        super().__init__()

    def _run(self) -> None:  # no timer threads: everything happens in the caller's thread
        pass

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._named_actions[action_name]


def native_message(exc: BaseException) -> str:
    """A durable_rules error as a sentence, naming its code."""
    text = str(exc)
    for code, meaning in NATIVE_ERRORS.items():
        if f"error code: {code}" in text:
            return f"{meaning} (durable_rules error {code})"
    return text or type(exc).__name__
