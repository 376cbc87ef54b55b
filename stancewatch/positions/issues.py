"""Find where a sentence names a watchlisted issue, and which way the wording itself leans."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from stancewatch.models import Watchlist
from stancewatch.positions.matching import Hit, term_matcher
from stancewatch.positions.terms import ordered_terms

# General nouns for a package under negotiation: "rejected the proposal" takes its issue from
# whatever the proposal is about when the text says so ("a proposal for a permanent ceasefire").
CARRIER_NOUNS = frozenset(
    [
        "proposal",
        "proposals",
        "offer",
        "offers",
        "deal",
        "deals",
        "agreement",
        "agreements",
        "plan",
        "plans",
        "framework",
        "terms",
        "counterproposal",
        "counter-proposal",
        "counteroffer",
        "counter-offer",
        "idea",
        "initiative",
        "package",
        "blueprint",
        "roadmap",
        "draft",
        "arrangement",
        "accord",
        "pact",
        "response",
    ]
)
_DETERMINERS = re.compile(
    r"^(?:(?:the|a|an|this|that|its|their|his|her|any|latest|new|revised|previous|proposed|"
    r"current|final|initial|first|second)\s+)+",
    re.IGNORECASE,
)
# "an agreement to end the war", "a proposal for a permanent ceasefire": the content decides.
_CONTENT_LINK = re.compile(
    r"^\s*(?:to|for|on|of|over|that would|which would|calling for)\s+(?:\w+\s+){0,2}$", re.I
)


class IssueMention(NamedTuple):
    """A place in a sentence that names an issue (a named tuple: cheap to build, immutable)."""

    start: int
    end: int
    issue: str
    polarity: int  # +1: the issue itself; -1: its opposite ("keep fighting" for end_of_war)
    laden: bool  # the phrase states a stance by itself ("total victory", "stay in Gaza")
    carrier: bool  # a general noun ("the proposal") that may stand for a more specific issue
    text: str


class IssueFinder:
    """Compiled once per watchlist; finds issue mentions in one sentence at a time."""

    def __init__(self, watchlist: Watchlist, names: Mapping[str, Sequence[str]]) -> None:
        entries: dict[str, tuple[str, int, bool]] = {}
        for issue in watchlist.issues:
            for term in issue.terms:
                entries.setdefault(term, (issue.id, 1, False))
            for term in issue.support:
                entries[term] = (issue.id, 1, True)
            for term in issue.oppose:
                entries[term] = (issue.id, -1, True)
        # The issue a bare "proposal" or "deal" names: the package under negotiation.
        self.package = next(
            (entries[t][0] for t in ("proposal", "deal", "agreement") if t in entries), None
        )
        self.order = ordered_terms(entries)
        self.entries = [entries[t] for t in self.order]
        self.matcher = term_matcher(self.order, names)

    def find(self, text: str, hits: Sequence[Hit] | None = None) -> list[IssueMention]:
        """Issue mentions left to right; a carrier followed by its content yields the content."""
        if self.matcher is None:
            return []
        found: list[IssueMention] = []
        carriers = False
        for m in self.matcher.finditer(text) if hits is None else hits:
            issue, polarity, laden = self.entries[m.term]
            bare = _DETERMINERS.sub("", m.text.lower()).strip()
            carriers = carriers or bare in CARRIER_NOUNS
            found.append(
                IssueMention(
                    m.start,
                    m.end,
                    issue,
                    polarity,
                    laden,
                    bare in CARRIER_NOUNS,
                    m.text,
                )
            )
        if carriers:
            found = [f for i, f in enumerate(found) if not _aimed_elsewhere(text, found, i)]
        return found


# "a plan to mobilise 800 billion euros for defence": what the plan is for follows at once.
_PURPOSE = re.compile(r"\s+to\s+(?!be\b|the\b)\w+[^,;:.!?]{0,60}")


def _aimed_elsewhere(text: str, found: Sequence[IssueMention], index: int) -> bool:
    """Whether a carrier noun is a plan for something no issue names (so not the deal)."""
    mention = found[index]
    if not mention.carrier:
        return False
    purpose = _PURPOSE.match(text, mention.end)
    if purpose is None:
        return False
    return not any(mention.end < f.start < purpose.end() for f in found)


def content_of(text: str, mentions: list[IssueMention], index: int) -> IssueMention:
    """The mention that says what a carrier noun is about, or the mention itself."""
    mention = mentions[index]
    if not mention.carrier or index + 1 >= len(mentions):
        return mention
    following = mentions[index + 1]
    if following.carrier:
        return mention
    between = text[mention.end : following.start]
    return following if _CONTENT_LINK.match(between) else mention


def names_only(
    text: str, clause: str, objects: Sequence[IssueMention], issues: Sequence[IssueMention]
) -> bool:
    """Whether a condition's clause names the cue's own objects' issues and nothing else
    ("rejected the offer without a ratification vote": a manner, no condition)."""
    where = text.find(clause, objects[-1].end)
    if where < 0:
        return False
    inside = {i.issue for i in issues if where <= i.start < where + len(clause)}
    return bool(inside) and inside <= {o.issue for o in objects}
