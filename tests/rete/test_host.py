"""The durable_rules Host: a signal that arrives while the engine runs waits until it returns."""

from __future__ import annotations

import signal
import threading

import pytest

from engine.rete.runtime import Evaluator, facts_from_data
from engine.scenario import load

from ..conftest import SCENARIOS


class Interrupted(BaseException):
    """What the command line's handler raises on Ctrl-C (a BaseException, like KeyboardInterrupt)."""


def test_ctrl_c_inside_the_engine_is_not_swallowed(rulebook, monkeypatch):
    """durable_rules catches every exception its actions raise: Ctrl-C there became a rule action's failure.

    Held back while the engine runs, the signal's handler runs once it returns,
    and what it raises ends the evaluation as it should.
    """
    action = Evaluator._action
    sent = []

    def sending(self, ruleset, spec):
        run = action(self, ruleset, spec)

        def then_signal(c):
            if not sent:
                sent.append(True)
                # To this thread, as Ctrl-C comes to the one thread of the command: under pytest-xdist the process
                # has others (execnet's), which a signal to the whole process may be delivered to.
                signal.pthread_kill(threading.get_ident(), signal.SIGINT)
            run(c)

        return then_signal

    def interrupted(signum, frame):
        raise Interrupted

    monkeypatch.setattr(Evaluator, "_action", sending)
    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        evaluator = Evaluator(rulebook, memo=False)
        with pytest.raises(Interrupted):
            evaluator.judge(facts_from_data(load(SCENARIOS / "strait.yaml").data))
    finally:
        signal.signal(signal.SIGINT, previous)
    assert sent
