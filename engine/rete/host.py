"""The durable_rules Host this engine uses, and durable_rules' errors in words.

Imported only when rules actually run: an evaluation answered entirely from
the memo never loads durable_rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..util.signals import held_signals

try:
    import durable_rules_engine as native
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


class Call:
    """What an action gets: the facts its rule matched (`_m`, by alias), and a way to assert more."""

    __slots__ = ("_ruleset", "_sid", "_m")

    def __init__(self, ruleset: durable.Ruleset, sid: str, matched: dict[str, Any]) -> None:
        self._ruleset = ruleset
        self._sid = sid
        self._m = matched

    def assert_fact(self, fact: dict[str, Any]) -> None:
        fact["sid"] = self._sid
        self._ruleset.assert_fact(fact)


class _Ruleset(durable.Ruleset):
    """durable_rules' ruleset with a leaner action loop.

    The stock loop wraps every firing in a Closure, times it, and writes the
    session state back to the engine after each action (re-asserting it as a
    fact). These actions never touch the session state and never run
    asynchronously, so each firing is: call the action, complete it, take the
    next. The matching itself is durable_rules' C engine, unchanged.
    """

    actions: dict[str, Callable[[Call], None]]

    def _flush_actions(
        self, state: dict[str, Any], result_container: dict[str, Any], state_offset: Any, complete: Any
    ) -> None:
        sid = state["sid"]
        while "message" in result_container:
            ((action_name, matched),) = result_container.pop("message").items()
            try:
                self.actions[action_name](Call(self, sid, matched))
            except BaseException as error:  # the action's own guard records what went wrong
                native.abandon_action(self._handle, state_offset)
                complete(error, None)
                return
            following = native.complete_and_start_action(self._handle, state_offset)
            if following:
                result_container["message"] = json.loads(following)
            else:
                complete(None, state)


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

    # durable_rules catches every exception, so a Ctrl-C raised inside it would be swallowed (or logged as an
    # action's failure): the signal waits until the engine returns.
    def assert_facts(self, ruleset_name: str, facts: Any) -> Any:
        with held_signals():
            return super().assert_facts(ruleset_name, facts)

    def delete_state(self, ruleset_name: str, sid: Any) -> Any:
        with held_signals():
            return super().delete_state(ruleset_name, sid)

    def register_rulesets(self, ruleset_definitions: dict[str, Any]) -> list[str]:
        for name, definition in ruleset_definitions.items():
            if name in self._ruleset_directory:
                raise ValueError(f"ruleset {name} is already registered")
            actions = {rule: self.get_action(body["run"]) for rule, body in definition.items()}
            ruleset = _Ruleset(name, self, definition)
            ruleset.actions = actions
            self._ruleset_directory[name] = ruleset
            self._ruleset_list.append(ruleset)
        return list(ruleset_definitions)


def native_message(exc: BaseException) -> str:
    """A durable_rules error as a sentence, naming its code."""
    text = str(exc)
    for code, meaning in NATIVE_ERRORS.items():
        if f"error code: {code}" in text:
            return f"{meaning} (durable_rules error {code})"
    return text or type(exc).__name__
