"""General English stance semantics: negation, modality, conditions, recaps, stance scale."""

from __future__ import annotations

import re
from functools import lru_cache

from stancewatch.positions.cues import (
    ACCEPT,
    COMMIT,
    DEMAND,
    ESCALATE,
    OPEN,
    POSITIVE_CLASSES,
    PROPOSE,
    REJECT,
    RETREAT,
    SUSPEND,
)
from stancewatch.positions.prefilter import Needs
from stancewatch.positions.sentences import MONTHS

_MODAL = re.compile(
    r"(?<![\w])(?P<neg>will not|won['’]t|would not|wouldn['’]t|cannot|can['’]t|could not|"
    r"couldn['’]t|shall not|will never|would never|is not going to|are not going to)"
    r"|(?P<must>must|has to|have to|had to|needs to|need to|should|would have to|will have to)"
    r"|(?P<hedge>may|might|could|could potentially)"
    r"|(?P<will>will|would|shall|['’]ll|is going to|are going to|is ready to|are ready to)"
    r"(?![\w])",
    re.IGNORECASE,
)

# Every _MODAL match holds one of these.
_MODAL_WORDS = Needs(
    "will|won|would|can|could|shall|going|must|has to|have to|had to|need|should|may"
    "|might|'ll|’ll|ready"
)

_MODAL_GAP = re.compile(
    r"(?:\s+(?:not|never|also|still|only|immediately|fully|completely|then|now|soon|be|"
    r"able|to|ever|in|any|case|eventually|gradually|finally|quickly|first|agree|agreed|"
    r"consider|\w+ly))*\s*",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"(?<![\w])(?P<nolonger>no longer|not longer|no more)(?![\w])"
    r"|(?<![\w])(?P<not>not|cannot|never|n['’]t|neither|nor|without|nothing|no|rather than|"
    r"instead of|stop(?:s|ped|ping)? short of|refrain(?:s|ed|ing)? from)(?![\w])"
    r"|n['’]t(?![\w])",
    re.IGNORECASE,
)

# Every _NEGATION match holds one of these.
_NEGATION_WORDS = Needs("no|n't|n’t|never|neither|without|rather than|instead of|stop|refrain")

_HEDGE = re.compile(
    r"(?<![\w])(?:may|might|could|reportedly|possibly|perhaps|likely|unlikely|appear(?:s|ed)? to|"
    r"seem(?:s|ed)? to|is expected to|are expected to|was expected to|signal(?:l)?(?:ed|s|ing)?|"
    r"hint(?:s|ed|ing)?|suggest(?:s|ed|ing)?|would consider|is said to|are said to|"
    r"threat(?:en|ens|ened|ening)?|warn(?:s|ed|ing)?|"
    r"is believed to|are believed to|potentially|tentative(?:ly)?)(?![\w])",
    re.IGNORECASE,
)

# Every _HEDGE match holds one of these.
_HEDGE_WORDS = Needs(
    "may|might|could|reportedly|possibly|perhaps|likely|appear|seem|expected to"
    "|signal|hint|suggest|would consider|said to|threat|warn|believed to|potentially"
    "|tentative"
)

# Condition markers: "if" kinds make a yes conditional; "until" kinds make a no conditional
# (and only time a demand: "an agreement must be reached before the final release").
_CONDITION = re.compile(
    r"(?<![\w])(?:(?P<only>only if|only when|only after|as long as|so long as|provided(?: that)?|"
    r"providing|on (?:the )?condition(?: that)?|in exchange for|in return for|(?<!even )if|once|"
    r"subject to|conditional on|conditioned on)"
    r"|(?P<until>until|till|unless|before|without))(?![\w])",
    re.IGNORECASE,
)
# Every _CONDITION match holds one of these.
_CONDITION_WORDS = Needs(
    "only when|only after|long as|provid|condition|exchange for|return for|if|once"
    "|subject to|til|unless|before|without"
)

# "would not bow to X, and that the offensive would go ahead if ...": a new complement clause.
_NEXT_COMPLEMENT = re.compile(r",?\s+and\s+that\s", re.IGNORECASE)

_BACKGROUND = re.compile(
    # "earlier this week", "earlier in the day": the same news cycle, so no recap of an old stance.
    r"(?<![\w])(?:previously|earlier (?:this (?:month|year)|last|in the (?:month|year)|"
    r"in (?:19|20)\d\d|months|weeks|years)|"
    r"(?:has|have|had) (?:long|consistently|"
    r"repeatedly|always|so far|until now)|long[- ]standing|longstanding|since the (?:start|"
    r"beginning|outbreak|onset) of|since the war (?:began|started|erupted)|since (?:october|"
    r"oct\.?) 7|last (?:week|month|year)|in the past|at the time|initially|originally|"
    r"at first|(?:a|one|two|three|four|five|six|several|\d+|days|weeks|months|years) "
    r"(?:days?|weeks?|months?|years?)? ?ago|(?:a|one|two|nearly a|almost a|over a) decades? ago|"
    # process recaps: "in 2014", "since the two sides started escalating", "after talks stalled"
    r"(?:in|since|from|until) (?:19|20)\d\d(?!\d)|since (?:[\w'’-]+ ){1,4}?(?:started|began|"
    r"erupted|broke down|stalled|collapsed)|(?:after|when) (?:the )?(?:talks|negotiations) "
    r"(?:stalled|collapsed|broke down|broke off)|at the (?:start|outset|beginning) of|so far|"
    r"until now|to date|in recent (?:weeks|months)|for (?:weeks|months)|"
    r"(?:in|from|since) (?:early |late |mid-?)?"
    rf"(?:{'|'.join(MONTHS)})|earlier in the war|back in|"
    # "withdrew from the deal during his first term": an earlier government's act
    r"(?:during|in) (?:his|her|their|the) (?:first|previous|last) (?:term|administration|"
    r"presidency|tenure))(?![\w])",
    re.IGNORECASE,
)
_RELATIVE_AFTER = re.compile(
    r"\s(?:that|which|who|whom|whose)\s"
    # a contrasting clause of its own: "urged Iran to talk even as Tehran has long refused"
    r"|\s(?:even as|even though|although|whereas|while)\s"
    # a reduced relative: "its acceptance of the framework presented in July"
    r"|\s(?:\w+ed|laid out|put forward|drawn up)\s+(?:in|on|last|earlier|by)\s",
    re.IGNORECASE,
)
_PAST_PERFECT = re.compile(r"(?<![\w])had(?:\s+[\w'’-]+){0,3}\s*$", re.IGNORECASE)
# "... after Hamas turned down the proposal": a past act named as the time of another event.
_TEMPORAL_CLAUSE = re.compile(
    r"(?<![\w])(?:after|since|following|when|once)\s+(?:[\w'’.-]+\s+){1,4}$", re.IGNORECASE
)
_PAST_CUE = re.compile(
    r"\w+ed\b|(?:took|gave|made|sought|threw|put|said no|struck|broke|withdrew|left|quit|held|"
    r"began|chose|led|sent|kept|brought|stood|froze|tore up)\b"
)
_NEWS = re.compile(
    r"(?<![\w])(?:for the first time|now|new|newly|latest|u-turn|reversal|reversed|shift(?:ed)?|"
    r"changed (?:course|its position|tack)|in a change|in a shift|no longer)(?![\w])",
    re.IGNORECASE,
)

# Small patterns of the functions below, compiled once.
_CONDITION_CLAUSE_END = re.compile(r"[;:,]\s|\.\s|\.$|\s[—–-]\s")


def modal_before(text: str, start: int, window: int = 40) -> str | None:
    """The modal just before an action: 'neg' (won't), 'must', 'hedge' (may), 'will' or None."""
    head = text[max(0, start - window) : start]
    if _MODAL_WORDS.absent(head):
        return None
    found = None
    for m in _MODAL.finditer(head):
        # Only adverbs and auxiliaries may stand between: "will not immediately withdraw",
        # "would be ready to release"; another verb ("will not stop short of") breaks the link.
        if _MODAL_GAP.fullmatch(head[m.end() :]):
            found = m.lastgroup
    return found


def negation_before(text: str, start: int, window: int = 24) -> str | None:
    """'nolonger' or 'not' when the words just before a cue negate it, else None."""
    head = text[max(0, start - window) : start]
    if _NEGATION_WORDS.absent(head):
        return None
    found = None
    for m in _NEGATION.finditer(head):
        gap = head[m.end() :].split()
        if len(gap) <= 3:
            found = "nolonger" if m.lastgroup == "nolonger" else "not"
    return found


_PENDING = re.compile(
    r"(?<![\w])(?:not\s+yet|yet\s+to|n['’]t\s+yet)\s+(?:(?:publicly|formally|officially|fully)\s+)?"
    r"(?:(?:be|been)\s+)?$",
    re.IGNORECASE,
)


# A readiness word the "yet" governs instead of the cue verb: "is not yet ready to accept" is a
# refusal for now, not a decision still to come.
_READINESS = re.compile(
    r"(?:ready|willing|prepared|able|eager|keen|inclined|minded|set)\b", re.IGNORECASE
)


def pending(text: str, start: int) -> bool:
    """Whether a cue is still to come ("has not yet accepted", "has yet to respond"): the
    holder has decided nothing, so there is no stance either way."""
    head = text[max(0, start - 30) : start]
    if "yet" not in head.lower() or _PENDING.search(head) is None:
        return False
    return _READINESS.match(text, start) is None


_PERMISSION = re.compile(
    r"(?<![\w])(?:can|may|(?:is|are) (?:allowed|entitled|free|empowered) to)\s+"
    r"(?:(?:also|still|only|\w+ly)\s+)?$",
    re.IGNORECASE,
)


def permission(text: str, start: int, cls: str = ACCEPT) -> bool:
    """Whether a cue states what someone is able or allowed to do ("under the rules, the
    commission can accept ..."): a rule described, not a stance taken.

    "may" before stepping out of something ("Egypt may abandon its mediation") is a warning
    that it could quit, not a power granted: rules rarely allow a party to walk out.
    """
    m = _PERMISSION.search(text[max(0, start - 40) : start])
    if m is None:
        return False
    return not (cls == SUSPEND and m.group(0).lower().startswith("may"))


def hedged(text: str, start: int, end: int) -> bool:
    """Whether a hedge (may, could, reportedly, signaled) sits near the cue."""
    head = text[max(0, start - 40) : end]
    return not _HEDGE_WORDS.absent(head) and _HEDGE.search(head) is not None


def condition_after(text: str, start: int) -> tuple[str, str] | None:
    """The first condition after a position: ('only', text) for "only if"/"as long as" kinds,
    ('until', text) for "until"/"before"/"without" kinds."""
    if _CONDITION_WORDS.absent(text[start:]):
        return None
    boundary = _NEXT_COMPLEMENT.search(text, start) if " that " in text else None
    m = _CONDITION.search(text, start, boundary.start() if boundary else len(text))
    if m is None:
        return None
    kind = "only" if m.group("only") else "until"
    tail = text[m.start() :]
    clause = _CONDITION_CLAUSE_END.split(tail, maxsplit=1)[0]
    return kind, clause.strip()


# "move to reinstate previously lifted sanctions": the adverb dates the sanctions' lifting,
# a modifier inside the object, not the cue.
_ATTRIBUTIVE_WORDS = re.compile(
    r"\b(?:previously|originally|initially|long)[- ](?:\w+ed|\w+en|agreed|held|sought|"
    r"made|set|laid)\s+\w",
    re.IGNORECASE,
)


def _marker_outside_object(text: str, begin: int, start: int, end: int) -> str | None:
    """The first recap marker of the clause that is not a modifier after the cue."""
    for m in _BACKGROUND.finditer(text, begin, end):
        if m.start() > start and _ATTRIBUTIVE_WORDS.match(text, m.start()):
            continue
        return m.group(0)
    return None


def background(text: str, start: int, reported_speech: bool) -> bool:
    """Whether the cue at start reads as a recap of an old position rather than news."""
    return background_reason(text, start, reported_speech) is not None


@lru_cache(maxsize=256)
def _background_marker(text: str, end: int, begin: int = 0) -> str | None:
    # The statements of one sentence mostly share their clause's end: search once for them.
    marker = _BACKGROUND.search(text, begin, end)
    return marker.group(0) if marker is not None else None


# "Egypt rejected the statements Netanyahu issued on Sept. 2, in which he insisted ...": the
# remarks another actor reacts to are the background of that reaction, not news of their own.
_REACTED_REMARKS = re.compile(
    r"\b(?:reject|condemn|critici[sz]|denounc|dismiss|slamm?|respond|react|welcom|den(?:y|ie))"
    r"\w*\s+(?:to\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,3}(?:statements?|remarks?|comments?|"
    r"speech|words|claims?|posts?)\b(?:\s+[\w'’.-]+){0,10}?,?\s+in which\b[^;]{0,160}$",
    re.IGNORECASE,
)


def background_reason(
    text: str, start: int, reported_speech: bool, holder_at: int = -1
) -> str | None:
    """Why the cue at start reads as a recap of an old position, or None when it is news.

    holder_at is where the holder is named (a pronoun's antecedent), -1 when unknown.

    Time cues count in the cue's own clause only ("said it would delay the release, accusing
    Israel of breaking the deal that took effect last month" is news). Past perfect marks a
    recap unless it is a reporting verb's backshift ("said it had agreed").
    """
    comma = text.find(",", start)
    end = comma if comma >= 0 else len(text)
    relative = _RELATIVE_AFTER.search(text, start, end)
    if relative is not None:
        end = relative.start()  # "rejected the offer that China had made last week": news
    # "had previously backed it but reversed course last week": a contrast opens a new clause.
    begin = text.rfind(" but ", 0, start) + 1
    marker = _background_marker(text, end, begin)
    if marker is not None and _ATTRIBUTIVE_WORDS.search(text, start, end):
        marker = _marker_outside_object(text, begin, start, end)
    if marker is not None:
        return f"time or recap marker '{marker}' in the cue's clause"
    if "in which" in text:
        reacted = _REACTED_REMARKS.search(text[:start])
        # The reacting side's own stance inside the clause is news, not the remarks' content.
        if reacted is not None and not 0 <= holder_at < reacted.start():
            return "inside earlier remarks another actor reacts to ('in which …')"
    if _PAST_CUE.match(text, start):
        clause = _TEMPORAL_CLAUSE.search(text[max(0, start - 60) : start])
        if clause is not None:
            return f"a past act in a time clause ('{clause.group(0).strip()} …')"
    if reported_speech:
        return None
    perfect = _PAST_PERFECT.search(text[:start])
    return f"past perfect ('{perfect.group(0).strip()}')" if perfect is not None else None


_PARTIAL = re.compile(
    r"(?<![\w])(?:partial(?:ly)?|limited|some|gradual(?:ly)?|phased|partly|temporary|"
    r"interim|first[- ]phase|first[- ]stage|initial|part of|parts of|a few|small(?:er)?|"
    r"for (?:\d+|some|certain|several|a few|those) (?!days|weeks|months|years|hours)\w+)"
    r"(?![\w])",
    re.IGNORECASE,
)
# Every _PARTIAL match holds one of these.
_PARTIAL_WORDS = Needs(
    "partial|limited|some|gradual|phased|partly|temporary|interim|first|initial|part"
    "|a few|small|for "
)


def partial_scope(text: str, start: int, end: int) -> bool:
    """Whether an object is limited in scope ("a limited deal", "a phased withdrawal")."""
    window_start, window_end = max(0, start - 25), min(len(text), end + 40)
    if _PARTIAL_WORDS.absent(text[window_start:window_end]):
        return False
    return _PARTIAL.search(text, window_start, window_end) is not None


def news_marker(text: str) -> bool:
    """Whether the sentence says something changed ("for the first time", "now", "no longer")."""
    return _NEWS.search(text) is not None


def resolve(
    cls: str, negation: str | None, hedge: bool, condition: str | None, partial: bool = False
) -> tuple[str, float]:
    """The stance label and score of a cue toward its object (before the object's polarity).

    Negation flips a cue in its clause: "did not reject" is openness, "will not accept" a
    rejection, "no longer demands" a retreat. Conditions make acceptance conditional; a hedge
    turns acceptance into openness; accepting part of something ("a limited deal", "a phased
    pullback") is half-way.
    """
    if cls == RETREAT:
        return ("accept", 1.0) if negation else ("retreat", 0.0)  # "will not give up on it"
    if cls == ESCALATE:
        return ("shift", 0.0)
    if cls == OPEN:
        return ("reject", -1.0) if negation == "not" else ("open", 0.0)
    if partial and cls in (ACCEPT, COMMIT) and not negation and not hedge:
        return ("accept_partial", 0.5)
    if partial and cls in (REJECT, SUSPEND) and not negation:
        return ("reject_partial", -0.5)  # "suspended the duties for 11 manufacturers"
    if cls == SUSPEND:
        # Not quitting is staying in; quitting "until ..." is still quitting.
        return ("accept", 1.0) if negation else ("reject", -1.0)
    if cls == REJECT:
        if negation:
            return ("open", 0.0)
        return ("reject_unless", -0.5) if condition else ("reject", -1.0)
    # positive classes
    if negation:
        if negation == "nolonger":
            return ("retreat", 0.0)
        if cls in (DEMAND, PROPOSE):
            return ("open", 0.0)  # "does not demand X": no longer a condition, not opposed
        return ("reject_unless", -0.5) if condition else ("reject", -1.0)
    if hedge and cls in (ACCEPT, COMMIT):
        return ("open", 0.0)
    if condition == "only" and cls != DEMAND:
        return ("accept_if", 0.5)
    label = {ACCEPT: "accept", DEMAND: "demand", PROPOSE: "propose", COMMIT: "commit"}[cls]
    return label, 1.0


def chain(governor: str, governed: str) -> str:
    """The class of a cue governed by another ("refused to accept" = reject)."""
    if governor == REJECT:
        if governed == SUSPEND:
            return ACCEPT  # "denied pulling out", "refused to quit": staying in
        if governed in POSITIVE_CLASSES:
            return REJECT
        if governed == REJECT:
            return OPEN
        if governed == RETREAT:
            return DEMAND  # refusing to drop a demand keeps it
        return governed
    if governor == OPEN and governed in POSITIVE_CLASSES:
        return OPEN
    if governor == RETREAT and governed in POSITIVE_CLASSES:
        return RETREAT  # "stopped pushing for", "dropped its insistence on"
    if governor == SUSPEND and governed in POSITIVE_CLASSES:
        return SUSPEND
    return governed
