"""Which offer an object names: the words that tell one proposal, plan or truce from another."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from stancewatch.positions.issues import IssueMention
from stancewatch.positions.mentions import Mention
from stancewatch.positions.sentences import MONTHS

# Nouns that name a package of terms one can propose, accept or reject as a whole.
_HEADS = (
    "offer", "proposal", "counterproposal", "counter-proposal", "counteroffer", "counter-offer",
    "plan", "deal", "framework", "agreement", "accord", "initiative", "package", "roadmap",
    "road map", "blueprint", "arrangement", "extension", "ceasefire", "cease-fire", "truce",
)  # fmt: skip
_OFFER_HEADS = tuple(h for head in _HEADS for h in (head, head + "s"))
_HEAD_WORDS = frozenset(_OFFER_HEADS)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip
_NUMBER = r"\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# "the 20-point plan", "a six point proposal": a numbered document. A duration ("a 30-day
# ceasefire", "a four-year deal") is a term of the deal, like an amount, not another deal.
_NUMBERED = re.compile(rf"^({_NUMBER})[-\s]points?$", re.IGNORECASE)
_NUMBER_WORD = re.compile(_NUMBER, re.IGNORECASE)
_MONTHS = "|".join(MONTHS)
# "the July proposal", "the May 31 framework", "the January 2025 agreement".
_DATED = re.compile(rf"^(?:{_MONTHS})$|^(?:19|20)\d\d$")
# A text put between two sides' offers ("a bridging proposal", "a compromise plan") is neither
# side's offer. Words for a part or stage of a deal ("interim", "phased") stay out: they limit
# the deal's scope (stance.partial_scope), they do not name another deal.
_KIND = re.compile(r"^(?:bridging|compromise)$", re.IGNORECASE)

# Words that end the noun phrase before the head: what lies before them is not a modifier.
_BOUNDARY = re.compile(
    r"^(?:the|a|an|this|that|these|those|its|his|her|their|our|your|any|every|no|of|on|for|"
    r"to|by|with|from|in|at|and|or|but|as|is|was|are|were|be|been|has|have|had|will|would|"
    r"new|latest|previous|earlier|revised|final|last|first|next)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’.-]+")
_MAX_MODIFIERS = 4


@lru_cache(maxsize=256)
def _modifier_words(text: str, obj: IssueMention) -> tuple[tuple[int, int, str], ...]:
    """The words before the offer's head noun in its noun phrase, with their places."""
    head = obj.text.rstrip()
    lowered = head.lower()
    if not lowered.endswith(_OFFER_HEADS):
        return ()
    stem = lowered.rsplit(" ", 1)[-1]
    if stem not in _HEAD_WORDS:
        stem = next(
            (h for h in _OFFER_HEADS if lowered == h or lowered.endswith((" " + h, "-" + h))), ""
        )
        if not stem:
            return ()  # "ideal" ends in "deal" but is no offer
    end = obj.start + len(head) - len(stem)
    phrase: list[tuple[int, int, str]] = []
    while len(phrase) < _MAX_MODIFIERS and end > 0 and text[end - 1] == " ":
        # Back one word at a time; punctuation or a function word starts the noun phrase.
        start = text.rfind(" ", 0, end - 1) + 1
        word = text[start : end - 1]
        if not word or not _WORD.fullmatch(word) or _BOUNDARY.match(word):
            break
        if phrase and phrase[0][2].endswith(("'s", "’s")):
            break  # "Ostrava sent Danner's plan": a possessive opens the noun phrase
        phrase.insert(0, (start, end - 1, word))
        end = start
    return tuple(phrase)


def offer_names(
    text: str, obj: IssueMention, mentions: Sequence[Mention], holder: str | None
) -> tuple[str, ...]:
    """The names that tell the object apart from other offers ("the US bridging proposal").

    An offer is named by its numbered points ("the 20-point plan"), its date ("the July
    proposal"), a person it is named after ("the Biden plan", "Trump's plan") or as a
    mediator's bridging text. The holder's own people do not count: an actor revising its own
    offer moves along one line.
    """
    words = _modifier_words(text, obj)
    if not words:
        return ()
    names: list[str] = []
    pending = ""  # "six point": the number waits for its unit
    for start, end, word in words:
        bare = word[:-2] if word.endswith(("'s", "’s")) else word
        numbered = _NUMBERED.match(f"{pending} {word}" if pending else word)
        pending = word if _NUMBER_WORD.fullmatch(word) else ""
        if numbered:
            count = numbered.group(1).lower()
            names.append(f"numbered:{_NUMBER_WORDS.get(count, count)}-point")
        elif _DATED.match(bare):
            names.append(f"date:{bare.lower()}")
        elif _KIND.match(word):
            names.append(f"kind:{word.lower()}")
        else:
            # Plans are named after people ("the Biden plan", "Korin's offer"); a country that
            # presents an offer ("the Velmari proposal", "Velmar's offer") only says who
            # brought it: that identifies the seeds' offer but never sets one apart. Both are
            # recorded as the actor, so a president's offer and her country's match.
            proposer = next(
                (m for m in mentions if m.actor and m.start < end and start < m.end), None
            )
            if proposer is None or proposer.actor == holder:
                continue
            if proposer.kind in ("person", "title"):
                names.append(f"by:{proposer.actor}")
            elif proposer.possessive or proposer.kind == "adjective" or end == words[-1][1]:
                names.append(f"from:{proposer.actor}")  # not "Ostrava accepts Velmar proposal"
    return tuple(dict.fromkeys(names))


def conflicting_names(names: Iterable[str], known: frozenset[str]) -> tuple[str, ...]:
    """The names that set an offer apart from the offers the seeds name.

    A name of a kind the seeds use for an offer, with another value, sets it apart (their
    "July proposal" against "the March proposal", "the Korin plan" against "the Danner
    plan"). A name the seeds use identifies their offer, whatever else describes it
    ("Velmar's March truce offer"; "Korin's truce offer" where the seeds say "Velmar's" and
    Korin speaks for Velmar). With neither, a name the seeds never use sets it apart ("the
    12-point plan"). The country that brought an offer ("from:") only ever identifies.
    """
    names = tuple(names)
    known_kinds = {n.partition(":")[0] for n in known}
    proposers = {n.partition(":")[2] for n in known if n.startswith(("by:", "from:"))}
    apart = tuple(n for n in names if not n.startswith("from:") and n not in known)
    conflicting = tuple(n for n in apart if n.partition(":")[0] in known_kinds)
    if conflicting:
        return conflicting
    identified = any(
        n in known or (n.startswith(("by:", "from:")) and n.partition(":")[2] in proposers)
        for n in names
    )
    return () if identified else apart


def describe(names: Sequence[str]) -> str:
    """Offer names in words, for explanations ("numbered 20-point, named after united_states")."""
    labels = {
        "numbered": "numbered",
        "date": "date",
        "kind": "kind",
        "by": "named after",
        "from": "brought by",
    }
    parts = []
    for name in names:
        what, _, value = name.partition(":")
        parts.append(f"{labels.get(what, what)} {value}")
    return ", ".join(parts)
