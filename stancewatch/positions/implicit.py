"""Stances stated without a stance verb: modal actions, stance-laden phrases, agent nouns."""

from __future__ import annotations

import re
from functools import lru_cache

from stancewatch.positions import cues, stance
from stancewatch.positions.attribution import frame_at
from stancewatch.positions.goals import goal_stances
from stancewatch.positions.holders import (
    AGENT_TERM,
    SUBJECT_OF_MODAL,
    attached,
    find_holders,
    with_coordinated_subject,
)
from stancewatch.positions.issues import IssueMention
from stancewatch.positions.prefilter import Needs
from stancewatch.positions.unasserted import hypothetical, plan_content
from stancewatch.positions.units import Found, Unit, polarised

# "Mediators were expected to meet": the reporter's expectation, not anyone's stated position.
_EXPECTED = re.compile(r"\b(?:is|are|was|were)\s+(?:\w+ly\s+)?expected\s+to\b", re.IGNORECASE)

# "the demand to remain in the corridor": the content of a position noun is not the subject's.
_NOUN_COMPLEMENT = re.compile(
    r"\b(?:the|a|an|this|that|any|such)\s+(?:[\w-]+\s+){0,2}(?:demands?|calls?|proposals?|plans?|"
    r"ideas?|requests?|insistence|offers?|conditions?|suggestions?|push|deadlines?)\s+"
    r"(?:to|for|of|that)\s+"
    r"(?:[\w'’-]+\s+)?$",
    re.IGNORECASE,
)

# "we urge them to bargain in good faith", "encouraged the company to return to the table":
# the addressee of an appeal is asked to take the stance; no one states it as theirs.
_APPEALED_TO = re.compile(
    r"\b(?:urg(?:e|es|ed|ing)|encourag(?:e|es|ed|ing)|call(?:s|ed|ing)? on|ask(?:s|ed|ing)?|"
    r"press(?:es|ed|ing)?|push(?:es|ed|ing)?|implor(?:e|es|ed|ing)|appeal(?:s|ed|ing)? to|"
    r"tell(?:s|ing)?|told)\s+"
    # the addressee comes right after the verb ("asked for a pause so as to ..." names none)
    r"(?:him|her|them|it|us|you|everyone|all|both|each|the|(?-i:[A-Z])[\w'’.-]*)\s+"
    r"(?:[\w'’.()-]+\s+){0,5}?to\s+[^,;:.!?]{0,40}$",
    re.IGNORECASE,
)

_CONTRAST = re.compile(r",\s*(?:and\s+)?not\s+(?:a|an|the|more)?\s*$", re.IGNORECASE)


def implicit_stances(text: str, obj: IssueMention, unit: Unit) -> list[Found]:
    """A stance stated without a stance verb: "will withdraw", "must end", "total victory"."""
    if plan_content(text, obj.start):
        return []
    goals = goal_stances(text, obj, unit)
    if goals:
        return goals
    own = own_proposal(text, obj, unit) or offer_content(text, obj, unit)
    if own:
        return own
    modal = stance.modal_before(text, obj.start)
    if modal is None and not obj.laden:
        return reciprocal_offer(text, obj, unit)
    negation = stance.negation_before(text, obj.start, window=14)
    if obj.laden and modal is None and narrated(text, obj, unit):
        return []
    if obj.laden and hypothetical(text, obj.start):
        return []  # "a bonus if they ratify", "contingent on the workers voting to ratify"
    if obj.laden and _NOUN_COMPLEMENT.search(text[max(0, obj.start - 60) : obj.start]):
        return []
    if obj.laden and _CONTRAST.search(text[: obj.start]):
        negation = None  # "a negotiated solution, not a spiral of tariffs": still against
    if obj.laden and " " not in obj.text.strip() and AGENT_TERM.search(obj.text):
        label, score = polarised("support", 1.0, obj.polarity)
        return [
            Found(h, obj, label, score, obj.start, None, False, None, False, obj.text, "agent")
            for h in attached(text, obj, unit.mentions)
        ]
    if modal == "must":
        frame = frame_at(unit.frames, obj.start)
        speaker = frame.source if frame and frame.source else unit.speaker
        if speaker is None or speaker.actor is None:
            return []
        holders = [speaker]
        cls = cues.DEMAND
    else:
        holders = find_holders(text, obj.start, obj.end, None, unit)
        frame = frame_at(unit.frames, obj.start)
        if (
            modal is not None
            and holders
            and not SUBJECT_OF_MODAL.match(text[holders[-1].end : obj.start])
        ):
            if not (obj.laden and frame is not None and frame.source is not None):
                return []  # "the plan would bring ... home": the subject is not an actor
            # A stance-laden phrase in reported speech is the speaker's framing: "Germany
            # and the carmakers warned the levies could spark a trade war".
            source = frame.source
            subjects = [m for m in unit.mentions if m.actor and m.subject and m.end <= source.end]
            holders = with_coordinated_subject(text, subjects) if subjects else [source]
            modal = None
        cls = {
            "neg": cues.REJECT,
            "hedge": cues.OPEN,
            "will": cues.COMMIT,
        }.get(modal or "", cues.ACCEPT)
        if modal == "neg":
            negation = None
    if not holders or holders[0].actor is None:
        return []
    if obj.laden and _APPEALED_TO.search(text, max(0, obj.start - 90), obj.start):
        return []  # what the addressee is asked to do: its stance is not stated
    hedge = modal == "hedge"
    cue_how = f"modal_{modal}" if modal else "laden"
    shown_negation = "not" if modal == "neg" else negation
    condition = stance.condition_after(text, obj.end)
    label, score = stance.resolve(cls, negation, hedge, condition[0] if condition else None)
    if obj.laden and label == "accept":
        label = "support"
    label, score = polarised(label, score, obj.polarity)
    return [
        Found(
            h,
            obj,
            label,
            score,
            obj.start,
            None,
            hedge,
            condition,
            h.resolved,
            "",
            cue_how,
            negation=shown_negation,
        )
        for h in holders
    ]


# "a truce in the sea, if Russia will do the same": an offer whose only condition is that the
# other side does likewise.
_RECIPROCITY = re.compile(
    r"\b(?:do|does|did|will do|would do) (?:the same|likewise)\b|\breciprocat\w*|\bin kind\b|"
    r"\bfollows? suit\b",
    re.IGNORECASE,
)

_RECIPROCITY_WORDS = Needs("same|likewise|reciprocat|in kind|suit")


@lru_cache(maxsize=64)
def _speaks_of_reciprocity(text: str) -> bool:
    # Asked once per issue mention of the same sentence: answer once per sentence.
    return not _RECIPROCITY_WORDS.absent(text)


def reciprocal_offer(text: str, obj: IssueMention, unit: Unit) -> list[Found]:
    """What a speaker offers on condition that the other side does the same ("we could
    begin with a harbour truce, if Velmar does likewise," she said): a yes on that
    condition."""
    if not _speaks_of_reciprocity(text):
        return []  # most sentences: no word of reciprocity at all
    condition = stance.condition_after(text, obj.end)
    if condition is None or condition[0] != "only" or not _RECIPROCITY.search(condition[1]):
        return []
    frame = frame_at(unit.frames, obj.start)
    speaker = frame.source if frame and frame.source else unit.speaker
    if speaker is None or speaker.actor is None:
        return []
    found = Found(
        speaker,
        obj,
        *polarised("accept_if", 0.5, obj.polarity),
        obj.start,
        None,
        False,
        condition,
        speaker.resolved,
    )
    found.cue, found.cue_how = condition[1], "reciprocal"
    return [found]


# "waiting for Israel's response to its latest proposal": a possessive pronoun, then the noun.
_OWN_PROPOSAL = re.compile(
    r"\b(?:its|their|our)\s+(?:(?:own|latest|new|revised|original|updated|amended|recent)\s+)?$",
    re.IGNORECASE,
)
_PROPOSAL_NOUNS = frozenset(
    {
        "proposal",
        "proposals",
        "offer",
        "plan",
        "counterproposal",
        "counter-proposal",
        "counteroffer",
        "counter-offer",
        "initiative",
        "blueprint",
        "roadmap",
    }
)


def own_proposal(text: str, obj: IssueMention, unit: Unit) -> list[Found]:
    """A proposal that the sentence's subject calls its own ("Hamas said it was waiting for a
    reply to its proposal"): the subject proposes it."""
    if not obj.carrier or obj.text.lower().split()[-1] not in _PROPOSAL_NOUNS:
        return []
    head = text[max(0, obj.start - 40) : obj.start]
    if _OWN_PROPOSAL.search(head) is None:
        return []
    pronoun = next((m for m in reversed(unit.mentions) if m.end <= obj.start), None)
    if pronoun is None or pronoun.pronoun is None or not pronoun.possessive:
        return []
    subject = next((m for m in unit.mentions if m.subject and m.pronoun is None), None)
    if subject is None or subject.actor is None or subject.actor != pronoun.actor:
        return []  # only the subject's own: "its" must refer to the sentence's subject
    label, score = polarised("propose", 1.0, obj.polarity)
    found = Found(subject, obj, label, score, obj.start, None, False, None, pronoun.resolved)
    found.cue, found.cue_how = f"{pronoun.text} {obj.text}", "own_proposal"
    return [found]


def narrated(text: str, obj: IssueMention, unit: Unit) -> bool:
    """Whether a stance-laden phrase only narrates activity: told by unnamed outsiders
    ("Qatar kept up contacts, according to diplomats") or expected by the reporter
    ("mediators were expected to hold further contacts")."""
    frame = frame_at(unit.frames, obj.start)
    if frame is not None:
        return frame.source is None and frame.kind in ("unnamed", "outsider")
    return unit.speaker is None and _EXPECTED.search(text) is not None


# "Boeing's best and final offer includes pay raises of 30%", "the latest Boeing four-year offer
# includes a 38% wage increase": what an actor's offer contains, the actor proposes.
_OFFER_INCLUDES = re.compile(
    r"^(?:['’]s?)?\s+(?:[\w“”\"'’-]+\s+){0,4}?(?:offer|proposal|plan|package|counteroffer|"
    r"counterproposal)[”\"’]?\s+(?:now\s+|also\s+)?(?:includes|included|would include|contains|"
    r"contained|provides for|provided for|offers|offered|gives|gave)\s+(?:[\w$%,.-]+\s+){0,3}?$",
    re.IGNORECASE,
)


def offer_content(text: str, obj: IssueMention, unit: Unit) -> list[Found]:
    """What an actor's offer contains ("Boeing's offer includes a 30% raise"): the actor
    proposes it."""
    for m in unit.mentions:
        if m.actor is None or m.end > obj.start or obj.start - m.end > 90:
            continue
        if _OFFER_INCLUDES.match(text[m.end : obj.start]):
            label, score = polarised("propose", 1.0, obj.polarity)
            found = Found(m, obj, label, score, obj.start, None, False, None, m.resolved)
            found.cue, found.cue_how = text[m.start : obj.start].strip(), "offer_content"
            return [found]
    return []
