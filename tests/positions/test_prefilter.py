"""The word prefilters rule out only texts their regexes cannot match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stancewatch.positions import appeals, stance, unasserted
from stancewatch.positions.prefilter import Needs

ROOT = Path(__file__).resolve().parents[2]

# Each prefilter with the regex it guards: whenever the regex matches, the words are present.
PAIRS = [
    (stance._MODAL_WORDS, stance._MODAL),
    (stance._NEGATION_WORDS, stance._NEGATION),
    (stance._HEDGE_WORDS, stance._HEDGE),
    (stance._CONDITION_WORDS, stance._CONDITION),
    (stance._PARTIAL_WORDS, stance._PARTIAL),
    (unasserted._HYPOTHETICAL_WORDS, unasserted._HYPOTHETICAL),
    (appeals._APPEAL_WORDS, appeals._APPEAL_OPENING),
]


def _windows() -> list[str]:
    """Every 40-character window (at word starts) of the written development articles."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("eval/*/articles/*.txt"))]
    out = []
    for text in texts:
        for m in re.finditer(r"\b\w", text):
            out.append(text[m.start() : m.start() + 40])
    return out


def test_absent_words_rule_a_text_out_in_any_case() -> None:
    needs = Needs("will|won't|rather than")
    assert needs.absent("They agreed to the plan.")
    assert not needs.absent("They WILL agree.")
    assert not needs.absent("It said Rather Than wait, it would go.")
    assert not needs.absent("they won't")


def test_letters_that_fold_to_ascii_are_never_ruled_out() -> None:
    # re.IGNORECASE matches "ſ" to "s" although "ſ".lower() is not "s".
    assert re.search("should", "ſhould", re.IGNORECASE)
    assert not Needs("should").absent("ſhould")
    assert not Needs("if").absent("İf")


@pytest.mark.parametrize(("needs", "regex"), PAIRS)
def test_a_prefilter_never_rules_out_a_text_its_regex_matches(
    needs: Needs, regex: re.Pattern[str]
) -> None:
    windows = _windows()
    matched = [w for w in windows if regex.search(w)]
    assert matched  # the dev articles exercise the regex
    missed = [w for w in matched if needs.absent(w)]
    assert missed == []
