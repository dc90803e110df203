"""The codebook tests itself: every rule's examples must code to the rule's own CAMEO code.

Parametrized by rule id, so `pytest tests/test_rule_examples.py -k fight.` runs one root.
A failure lists each example that missed, with the codes and rules that fired instead.
"""

from __future__ import annotations

import pytest

from coding.codebook import load_codebook
from coding.record import Passage

RULES = {str(r["id"]): r for r in sorted(load_codebook().rules, key=lambda r: str(r["id"]))}


@pytest.fixture(scope="session")
def coder():
    from coding.coder import get_coder

    return get_coder()


def _examples(rule: dict) -> list[str]:
    out = []
    for e in rule.get("examples") or []:
        text = e.get("text") if isinstance(e, dict) else e
        if isinstance(text, str) and text.strip():
            out.append(text)
    return out


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_examples_code_to_rule_code(coder, rule_id: str) -> None:
    rule = RULES[rule_id]
    code = str(rule["cameo"])
    examples = _examples(rule)
    assert examples, f"rule {rule['id']} ({rule.get('_file')}) has no example"
    misses = []
    for i, text in enumerate(examples, 1):
        events = coder.code_passage(Passage(id=f"{rule['id']}#{i}", text=text))
        if not any(ev.get("cameo_code") == code for ev in events):
            got = ", ".join(f"{ev.get('cameo_code')} by {ev.get('rule_id')}" for ev in events) or "no event"
            misses.append(f"  example {i}: {text!r}\n    expected {code}, got: {got}")
    if misses:
        pytest.fail(
            f"rule {rule['id']} ({rule.get('_file')}): {len(misses)} of {len(examples)} example(s) "
            f"do not code to {code}:\n" + "\n".join(misses),
            pytrace=False,
        )
