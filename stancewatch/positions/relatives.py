"""Objects of cues inside relative clauses: "the deal that Trump abandoned" is about the deal."""

from __future__ import annotations

import re

from stancewatch.positions.issues import IssueMention

# "the 2015 deal that Trump abandoned aimed to ...": a cue in a relative clause whose object is
# the noun the clause hangs on, not the words after it.
_RELATIVE_SUBJECT = re.compile(
    r"\s(?:that|which)\s+(?:[\w.'’-]+\s+){1,4}?(?:had\s+|has\s+|have\s+|would\s+|will\s+)?"
    r"(?:already\s+|also\s+|since\s+|now\s+|previously\s+)?$",
    re.IGNORECASE,
)
# "which Kyiv has already accepted": auxiliaries and an adverb between the subject and the cue.
_SUBJECT_TO_CUE = re.compile(
    r"(?:had|has|have|would|will)?\s*(?:already|also|since|now|previously)?", re.IGNORECASE
)
# "a 30-day ceasefire in Ukraine, which": a short place or party phrase after the antecedent.
_ANTECEDENT_TAIL = re.compile(r"(?:\s+(?:in|for|with|on)\s+(?:the\s+)?[\w.'’-]+)?,?\s*$")
# After the cue, its own object or complement ("wants Iran to forego"): no gap to fill.
_OBJECT_FOLLOWS = re.compile(
    r"^\s+(?i:the|a|an|its|their|his|her|this|that|these|those|any|all|to|on|in|from|out)\b"
    r"|^\s+(?:(?:[A-Z][\w.'’-]*|him|her|them|it|us)\s+){1,3}to\s",
)


def relative_gap(
    text: str, cue_start: int, cue_end: int, subject_end: int | None, issues: list[IssueMention]
) -> list[IssueMention] | None:
    """The object of a cue in an object relative clause ("the deal that Trump abandoned"): the
    issue it hangs on; None when the cue is not in such a clause on an issue."""
    if subject_end is None or _OBJECT_FOLLOWS.match(text[cue_end:]):
        return None
    m = _RELATIVE_SUBJECT.search(text, 0, cue_start)
    if m is None or not m.start() < subject_end <= cue_start:
        return None
    if not _SUBJECT_TO_CUE.fullmatch(text[subject_end:cue_start].strip()):
        return None
    antecedent = [
        i
        for i in issues
        if 0 <= m.start() - i.end <= 30 and _ANTECEDENT_TAIL.fullmatch(text[i.end : m.start()])
    ][:1]
    # Without an issue just before it, "that" may open a reported clause ("said that Cairo
    # would keep working"): no gap to fill.
    return antecedent or None
