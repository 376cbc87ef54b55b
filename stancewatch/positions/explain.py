"""Put into words how the reader arrived at a statement; built only when an explanation is asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stancewatch.models import StatementTrace
from stancewatch.positions.mentions import among_people_of

if TYPE_CHECKING:
    from stancewatch.positions.attribution import Frame
    from stancewatch.positions.mentions import Mention
    from stancewatch.positions.units import Found, Unit

_MENTION_KINDS = {
    "name": "a name of the actor",
    "role": "a body or role that speaks for the actor",
    "person": "a person who speaks for the actor",
    "title": "a title of a person who speaks for the actor",
    "adjective": "an adjective with an agent noun ('… officials')",
    "pronoun": "a pronoun",
}

_HOLDER_ROUTES = {
    "judge": "passes the judgment (the sentence's speaker or the judging verb's subject)",
    "owner": "owns the stance noun ('its demand', 'X's refusal')",
    "coordinated": "shares the subject of the verb before ('welcomed X … and called for Y')",
    "attached": "the actor the agent noun belongs to ('Qatari mediators')",
    "co_author": "an author, with the speaker, of the document speaking ('the declaration says')",
}

_CUE_CLASSES = {
    "accept": "accepts (agree, approve, support, sign)",
    "demand": "demands (insist on, call for, require)",
    "propose": "proposes (offer, put forward)",
    "commit": "commits or acts (vow, pledge, carry out, launch)",
    "reject": "rejects (refuse, rule out, oppose)",
    "suspend": "steps out (suspend, pull out, halt)",
    "open": "is open (willing to consider, weighing)",
    "retreat": "moves toward the other side (drop, ease, soften)",
    "escalate": "moves away from the other side (harden, toughen)",
}

_IMPLICIT_CUES = {
    "modal_neg": "a negated modal before the issue ('will not', 'won't'): a refusal",
    "modal_must": "'must' in reported or quoted words: the speaker's demand",
    "modal_hedge": "a hedging modal before the issue ('may', 'could'): openness",
    "modal_will": "'will' before the issue: a commitment",
    "laden": "a phrase the watchlist lists under the issue's for/against: a stance by itself",
    "goal": "the goal of the course the holder keeps ('until …', 'in order to …'): a demand",
    "own_proposal": "the subject's own proposal ('its proposal'): proposed by the subject",
    "offer_content": "what the actor's offer contains ('X's offer includes …'): proposed by X",
    "agent": "an agent noun listed under for/against ('mediators'), for its actors",
    "condition": "what a 'not … unless/until' condition asks for: the holder's demand",
    "reciprocal": "offered on condition that the other side does the same: a conditional yes",
    "reversed": "the sentence says the stance named before was given up ('but reversed "
    "course'): its opposite, from the turn on",
}

_OBJECT_ROUTES = {
    "object": "the first issue term after the cue, in its clause",
    "earlier": "a reference ('it', 'the proposal') to the issue named before",
    "judged": "the thing judged, named before the judgment",
    "means": "named as the means the cue asks for or accepts",
    "package": "the package of demands the watchlist names",
    "next": "the issue named next after the move",
    "condition": "named inside the condition",
    "": "the issue phrase itself",
}

_ATTRIBUTIONS = {
    "quote_own": "inside a quote whose speaker ({speaker}) speaks for the actor",
    "quote_other": "inside a quote by {speaker}, another actor: someone else's words",
    "marker": "no reporting verb, but the sentence hedges its source ('reportedly', "
    "'according to reports')",
    "plain": "no reporting verb: the text states it as the actor's own words or act",
    "unnamed": "unnamed sources ('{verb}')",
    "unnamed_other": "unnamed sources tied to another actor ('{verb}')",
    "named_earlier": "a speaker of the actor named earlier ('the official {verb}')",
    "outsider": "a speaker outside the watchlist ('{verb}'): someone else's claim",
    "speaks_for": "{speaker} speaks for the actor ('{verb}')",
    "co_author": "a document the actor issued with {speaker} speaks ('{verb}'): its authors' words",
    "other_speaker": "{speaker}, another actor, says it ('{verb}'): a third party's claim",
    "claim_of_other": "another actor's account of it ('citing', 'blaming', 'accusing'): "
    "a third party's claim",
    "supposed": "what others fear, expect or judge of the actor ('{source}'): not its own "
    "stated position",
}


def statement_trace(
    unit: Unit, f: Found, frame: Frame | None, why: str, recap: str | None
) -> StatementTrace:
    """The reader's decisions for one found stance, in words."""
    speaker = unit.speaker.text if unit.speaker is not None else "?"
    verb = unit.text[frame.verb_start : frame.verb_end] if frame is not None else ""
    if frame is not None and frame.source is not None:
        speaker = frame.source.text
    cue = f.cue or _words_before(unit.text, f.anchor)
    if f.cue_how in _CUE_CLASSES:
        cue_how = f"stance cue: {_CUE_CLASSES[f.cue_how]}"
        if " … " in cue:
            cue_how += "; the first cue governs the second ('refused to accept' rejects)"
    else:
        cue_how = _IMPLICIT_CUES.get(f.cue_how, f.cue_how or "stance cue")
    object_how = _OBJECT_ROUTES.get(f.object_how, f.object_how)
    if f.issue.polarity < 0:
        object_how += "; it names the issue's opposite, so the stance is turned round"
    return StatementTrace(
        holder=f.holder.text,
        holder_how=_holder_how(unit, f),
        attribution_why=_ATTRIBUTIONS.get(why, why).format(
            speaker=speaker, verb=verb, source=f.supposed or ""
        ),
        cue=cue,
        cue_how=cue_how,
        object=f.issue.text,
        object_how=object_how,
        negation={"not": "not", "nolonger": "no longer"}.get(f.negation or "", f.negation),
        partial=f.partial,
        recap=f"recap: {recap}" if recap else "news: no recap marker in the cue's clause",
    )


def _holder_how(unit: Unit, f: Found) -> str:
    holder = f.holder
    words = _MENTION_KINDS.get(holder.kind, holder.kind)
    if f.holder_how in _HOLDER_ROUTES:
        route = _HOLDER_ROUTES[f.holder_how]
    elif holder is unit.speaker:
        route = "the speaker of the quote this sentence belongs to" + _intro(unit)
    elif holder.start >= f.anchor:
        route = "named after the cue (a passive agent or a speaker named after the words)"
    elif any(fr.source is holder for fr in unit.frames):
        route = "the speaker of a reporting verb"
    elif among_people_of(unit.text, holder.start):
        route = "the subject of the cue, in a list of a body's people ('the leaders of A, B and C')"
    else:
        route = "the subject of the cue"
    how = f"{words}; {route}"
    if holder.antecedent is not None:
        how += f"; '{holder.text}' refers back to {_where(unit, holder.antecedent)}"
    return how


def _where(unit: Unit, antecedent: Mention) -> str:
    if antecedent is unit.speaker:
        where = f"{antecedent.text} (the speaker{_intro(unit)})"
    elif any(fr.source is antecedent for fr in unit.frames):
        where = f"{antecedent.text} (the speaker)"
    elif any(m is antecedent for m in unit.mentions):
        where = f"{antecedent.text} (this sentence)"
    else:
        where = f"{antecedent.text} (an earlier sentence)"
    chain, seen = antecedent.antecedent, 0
    while chain is not None and seen < 3:  # "we" → "he" → "Antony Blinken"
        where += f" → {chain.text}"
        chain, seen = chain.antecedent, seen + 1
    return where


def _words_before(text: str, position: int, count: int = 4) -> str:
    return " ".join(text[:position].split()[-count:]) + " …"


def _intro(unit: Unit) -> str:
    return ", named by the sentence ending in a colon before it" if unit.speaker_intro else ""
