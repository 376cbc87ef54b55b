"""General English stance cues: verbs of accepting and rejecting, negation, modality, recaps."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cue classes. A cue's class says which way its holder leans on the thing it governs.
ACCEPT = "accept"  # accept, agree to, approve, welcome, support, sign
DEMAND = "demand"  # demand, insist on, call for, require, seek
PROPOSE = "propose"  # propose, offer, put forward, present
COMMIT = "commit"  # vow to, pledge to, will (a promise to do it oneself)
REJECT = "reject"  # reject, refuse, rule out, oppose, postpone
SUSPEND = "suspend"  # suspend, pull out of, halt, quit: stepping out of something one was in
OPEN = "open"  # open to, willing to consider, weighing, studying
RETREAT = "retreat"  # drop, abandon, give up, ease, soften: toward the other side
ESCALATE = "escalate"  # harden, toughen, raise its demands: away from the other side

POSITIVE_CLASSES = frozenset({ACCEPT, DEMAND, PROPOSE, COMMIT})

_V = r"(?:s|es|ed|d|ing)?"  # loose verb endings for regular stems

# (class, regex) in the order they are tried: multi-word phrases before single verbs so that
# "backed away from" is a retreat, not "backed" (support).
_CUES: list[tuple[str, str]] = [
    # --- phrases ---
    (OPEN, r"(?:willing(?:ness)?|ready|prepared) to (?:consider|discuss|look at|study|explore|examine)"),
    (OPEN, r"open(?:ness)? to"),
    (OPEN, r"(?:signal(?:l)?ed|showed|shown|signals|showing|expressed) (?:some )?(?:flexibility|openness)"),
    (OPEN, r"respond(?:s|ed)? positively|positive (?:response|reply|signals?)|in principle"),
    (RETREAT, r"back(?:s|ed|ing)? (?:away|down) (?:from|on)|climb(?:s|ed|ing)? down (?:from|on)?"),
    (RETREAT, r"g(?:ive|ave|iven|ives|iving) up(?: on)?|walk(?:s|ed|ing)? back|scal(?:e|es|ed|ing) back"),
    (RETREAT, r"retreat(?:s|ed|ing)? from"),
    (SUSPEND, r"walk(?:s|ed|ing)? (?:away from|out of)|pull(?:s|ed|ing)? out of|withdr(?:ew|awn|aws?|awing) from"),
    (SUSPEND, r"(?:end|ends|ended|ending) (?:its|their|his|her) (?:role|participation|involvement)"),
    (SUSPEND, r"pull(?:s|ed|ing)? (?:its|their|the) \w+ out|call(?:s|ed|ing)? off|tear(?:s|ing)? up|tore up"),
    (ESCALATE, r"re-?(?:assess|evaluat|consider)\w* (?:its|their|his|her) (?:role|mediation|participation|position)"),
    (RETREAT, r"stop(?:s|ped|ping)? (?:pushing|pressing|insisting|demanding|calling|seeking)"),
    (REJECT, r"rul(?:e|es|ed|ing) out|turn(?:s|ed|ing)? down|s(?:ay|aid|ays) no to"),
    (REJECT, r"balk(?:s|ed|ing)? at|object(?:s|ed|ing)? to|opposed to|opposition to"),
    (REJECT, r"non-?starter|out of the question|off the table|unacceptable|delusional"),
    (ACCEPT, r"g(?:ive|ave|iven|ives) (?:the|its|a) (?:green light|go-ahead|nod)|green-?light(?:s|ed)?"),
    (ACCEPT, r"s(?:ay|aid|ays) yes to|sign(?:s|ed|ing)? (?:on|off on|onto)|in favou?r of"),
    (OPEN, r"willing(?:ness)? to"),
    (ACCEPT, r"(?:ready|prepared) to|consent(?:s|ed|ing)? to"),
    (ACCEPT, r"stick(?:s|ing)? (?:to|with)|stuck (?:to|with)|st(?:and|ands|ood|anding) by"),
    (DEMAND, r"call(?:s|ed|ing)? for|push(?:es|ed|ing)? for|press(?:es|ed|ing)? for"),
    (DEMAND, r"insist(?:s|ed|ing|ence)?(?: on| that)?|hold(?:s|ing)? out for|held out for"),
    (DEMAND, r"condition(?:s|ed|ing)? (?:on|upon)|conditional on|precondition(?:s)?"),
    (DEMAND, r"aims? to|aiming to|goal of|objective of|determined to"),
    (PROPOSE, r"put(?:s|ting)? forward|came up with|come up with"),
    (ACCEPT, r"engag(?:e|es|ed|ing) in|t(?:ake|akes|ook|aking) part in|participat\w* in"),
    (COMMIT, r"vow(?:s|ed|ing)? to|pledg(?:e|es|ed|ing) to|promis(?:e|es|ed|ing) to"),
    (COMMIT, r"commit(?:s|ted|ting)? to|commitment to|intend(?:s|ed)? to|plan(?:s|ned)? to"),
    (ESCALATE, r"rais(?:e|es|ed|ing) (?:its|their|the) (?:demands|stakes|conditions|bar)"),
    (ESCALATE, r"(?:new|additional|fresh|extra|more) (?:conditions|demands)|hard(?:er)? line"),
    (ESCALATE, r"doubl(?:e|es|ed|ing) down(?: on)?"),
    # --- single words ---
    (ACCEPT, rf"accept{_V}|acceptance|agree(?:s|d|ing)?(?: to| on)?|approv(?:e|es|ed|ing|al)"),
    (ACCEPT, rf"endors(?:e|es|ed|ing|ement)|welcom{_V}|embrac{_V}|support{_V}|backed|backs"),
    (ACCEPT, r"favou?r(?:s|ed|ing)|signed|signing"),
    (DEMAND, rf"demand{_V}|requir(?:e|es|ed|ing|ement)|stipulat{_V}|urg(?:e|es|ed|ing)"),
    (DEMAND, r"seek(?:s|ing)?|sought|want(?:s|ed)?"),
    (PROPOSE, rf"propos(?:e|es|ed|ing)|offered|offering|offers to|submit(?:s|ted|ting)?|tabled"),
    (PROPOSE, rf"present(?:s|ed|ing)|floated"),
    (REJECT, rf"reject{_V}|rejection|dismiss(?:es|ed|ing)?|refus(?:e|es|ed|ing|al)"),
    (REJECT, rf"rebuff{_V}|spurn{_V}|oppos(?:e|es|ed|ing|ition)|resist{_V}|veto(?:es|ed|ing)?"),
    (REJECT, rf"declin(?:e|es|ed|ing) to|block(?:s|ed|ing)|condemn{_V}|denounc(?:e|es|ed|ing)"),
    (SUSPEND, rf"suspend{_V}|suspension|halt{_V}|freez(?:e|es|ing)|froze|quit(?:s|ting)?|abandon{_V}"),
    (REJECT, rf"scuttl{_V}|torpedo(?:es|ed)?|scrap(?:s|ped|ping)?|cancel(?:s|led|ed|ling|ing)?"),
    (REJECT, rf"postpon(?:e|es|ed|ing)|delay{_V}|defer(?:s|red|ring)?|den(?:y|ies|ied|ying)"),
    (OPEN, rf"consider{_V}|weigh{_V}|study(?:ing)?|studie[sd]|review{_V}|examin{_V}|flexib(?:le|ility)"),
    (RETREAT, rf"drop{_V}|dropped|dropping|eas(?:e|es|ed|ing)|soften{_V}|relax{_V}"),
    (RETREAT, rf"waiv(?:e|es|ed|ing)|shelv(?:e|es|ed|ing)|concession(?:s)?|compromis(?:e|es|ed|ing)"),
    (ESCALATE, rf"harden{_V}|toughen{_V}|stiffen{_V}|tougher|escalat(?:e|es|ed|ing)"),
]

_CUE_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(_CUES)) + r")(?![\w])",
    re.IGNORECASE,
)
_CUE_CLASS = {f"c{i}": cls for i, (cls, _) in enumerate(_CUES)}

# Future or volitional modals before a bare action ("will withdraw", "won't release").
_MODAL = re.compile(
    r"(?<![\w])(?P<neg>will not|won['’]t|would not|wouldn['’]t|cannot|can['’]t|could not|"
    r"couldn['’]t|shall not|will never|would never|is not going to|are not going to)"
    r"|(?P<must>must|has to|have to|had to|needs to|need to|should|would have to|will have to)"
    r"|(?P<hedge>may|might|could|could potentially)"
    r"|(?P<will>will|would|shall|['’]ll|is going to|are going to|is ready to|are ready to)"
    r"(?![\w])",
    re.IGNORECASE,
)

_MODAL_GAP = re.compile(
    r"(?:\s+(?:not|never|also|still|only|immediately|fully|completely|then|now|soon|be|"
    r"able|to|ever|in|any|case|eventually|gradually|finally|quickly|first|agree|agreed|"
    r"consider|\w+ly))*\s*",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"(?<![\w])(?P<nolonger>no longer|not longer|no more)(?![\w])"
    r"|(?<![\w])(?P<not>not|never|n['’]t|neither|nor|without|nothing|no|rather than|"
    r"instead of)(?![\w])"
    r"|n['’]t(?![\w])",
    re.IGNORECASE,
)

_HEDGE = re.compile(
    r"(?<![\w])(?:may|might|could|reportedly|possibly|perhaps|likely|unlikely|appear(?:s|ed)? to|"
    r"seem(?:s|ed)? to|is expected to|are expected to|was expected to|signal(?:l)?(?:ed|s|ing)?|"
    r"hint(?:s|ed|ing)?|suggest(?:s|ed|ing)?|would consider|is said to|are said to|"
    r"threat(?:en|ens|ened|ening)?|warn(?:s|ed|ing)?|"
    r"is believed to|are believed to|potentially|tentative(?:ly)?)(?![\w])",
    re.IGNORECASE,
)

# Condition markers: "if" kinds make a yes conditional; "until" kinds make a no conditional
# (and only time a demand: "an agreement must be reached before the final release").
_CONDITION = re.compile(
    r"(?<![\w])(?:(?P<only>only if|only when|only after|as long as|so long as|provided(?: that)?|"
    r"providing|on (?:the )?condition(?: that)?|in exchange for|in return for|if|once|"
    r"subject to|conditional on|conditioned on)"
    r"|(?P<until>until|till|unless|before|without))(?![\w])",
    re.IGNORECASE,
)

_BACKGROUND = re.compile(
    r"(?<![\w])(?:previously|earlier (?:this|last|in)|(?:has|have|had) (?:long|consistently|"
    r"repeatedly|always|so far|until now)|long[- ]standing|longstanding|since the (?:start|"
    r"beginning|outbreak|onset) of|since the war (?:began|started|erupted)|since (?:october|"
    r"oct\.?) 7|last (?:week|month|year)|in the past|at the time|initially|originally|"
    r"at first|(?:days|weeks|months|years) ago|at the (?:start|outset|beginning) of|so far|"
    r"until now|to date|in recent (?:weeks|months)|for (?:weeks|months)|"
    r"in (?:early |late |mid-?)?(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)|earlier in the war|back in)(?![\w])",
    re.IGNORECASE,
)
_PAST_PERFECT = re.compile(r"(?<![\w])had(?:\s+[\w'’-]+){0,3}\s*$", re.IGNORECASE)
_NEWS = re.compile(
    r"(?<![\w])(?:for the first time|now|new|newly|latest|u-turn|reversal|reversed|shift(?:ed)?|"
    r"changed (?:course|its position|tack)|in a change|in a shift|no longer)(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    """A stance cue found in a sentence."""

    start: int
    end: int
    cls: str
    text: str


# "the proposed deal", "a halt to the fighting": after a determiner these words are not verbs.
_DETERMINER_BEFORE = re.compile(
    r"(?<![\w])(?:a|an|the|this|that|these|those|any|such|no|complete|full|immediate|"
    r"total|permanent|temporary)\s+$",
    re.IGNORECASE,
)
_POSSESSIVE_BEFORE = re.compile(r"(?:['’]s?|\b(?:its|their|his|her|our|my))\s+(?:[\w-]+\s+)?$", re.I)
#: Cues that are nouns ("international calls for", "Hamas's demands"): as the object of
#: another cue they pass it their content ("rejected calls for a ceasefire").
NOMINAL_CUES = frozenset(
    "calls for|call for|demands|demand|demand for|demands for|insistence|insistence on|"
    "proposal|offers|refusal|rejection|opposition to|pressure|appeals|request|requests".split("|")
)


def find_cues(text: str) -> list[Cue]:
    """Every stance cue in a sentence, left to right, not overlapping."""
    cues = []
    for m in _CUE_RE.finditer(text):
        cls = _CUE_CLASS[m.lastgroup or ""]
        head = text[max(0, m.start() - 30) : m.start()]
        if _DETERMINER_BEFORE.search(head[-14:]) and not _POSSESSIVE_BEFORE.search(head):
            # "the proposed deal", "a halt to", "the demand to remain": a noun or adjective
            # whose holder is not the sentence's subject.
            continue
        cues.append(Cue(m.start(), m.end(), cls, m.group(0)))
    return cues


def modal_before(text: str, start: int, window: int = 40) -> str | None:
    """The modal just before an action: 'neg' (won't), 'must', 'hedge' (may), 'will' or None."""
    head = text[max(0, start - window) : start]
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
    found = None
    for m in _NEGATION.finditer(head):
        gap = head[m.end() :].split()
        if len(gap) <= 3:
            found = "nolonger" if m.lastgroup == "nolonger" else "not"
    return found


def hedged(text: str, start: int, end: int) -> bool:
    """Whether a hedge (may, could, reportedly, signaled) sits near the cue."""
    head = text[max(0, start - 40) : end]
    return _HEDGE.search(head) is not None


def condition_after(text: str, start: int) -> tuple[str, str] | None:
    """The first condition after a position: ('only', text) for "only if"/"as long as" kinds,
    ('until', text) for "until"/"before"/"without" kinds."""
    m = _CONDITION.search(text, start)
    if m is None:
        return None
    kind = "only" if m.group("only") else "until"
    tail = text[m.start() :]
    clause = re.split(r"[;:,]\s|\.\s|\.$|\s[—–-]\s", tail, maxsplit=1)[0]
    return kind, clause.strip()


def background(text: str, start: int, reported_speech: bool) -> bool:
    """Whether the cue at start reads as a recap of an old position rather than news.

    Past perfect marks a recap unless it is a reporting verb's backshift ("said it had agreed").
    """
    if _BACKGROUND.search(text):
        return True
    if reported_speech:
        return False
    return _PAST_PERFECT.search(text[:start]) is not None


_PARTIAL = re.compile(
    r"(?<![\w])(?:partial(?:ly)?|limited|some|gradual(?:ly)?|phased|partly|temporary|"
    r"interim|first[- ]phase|first[- ]stage|initial|part of|parts of|a few|small(?:er)?)(?![\w])",
    re.IGNORECASE,
)


def partial_scope(text: str, start: int, end: int) -> bool:
    """Whether an object is limited in scope ("a limited deal", "a phased withdrawal")."""
    return _PARTIAL.search(text, max(0, start - 25), end) is not None


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
    if cls == SUSPEND:
        # Not quitting is staying in; quitting "until ..." is still quitting.
        return ("accept", 1.0) if negation else ("reject", -1.0)
    if cls == REJECT:
        if negation:
            return ("open", 0.0)
        return ("reject_unless", -0.5) if condition else ("reject", -1.0)
    # positive classes
    if negation:
        if cls in (DEMAND, PROPOSE) or negation == "nolonger":
            return ("retreat", 0.0)
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
