"""General English stance cues: the verbs and phrases of accepting, rejecting and moving."""

from __future__ import annotations

import re
from typing import NamedTuple

from stancewatch.positions.cue_guards import (
    FAVOURABLE,
    POSTNOMINAL,
    SKIP,
    keeps_up_nothing,
    no_cue_here,
)
from stancewatch.positions.matching import PrefixedRegex

__all__ = ["POSTNOMINAL", "keeps_up_nothing"]  # re-exported: the reader asks cues for them

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
INTENSIFY = "intensify"  # "even if", "for good", "indefinitely": firmer, about nothing by itself

POSITIVE_CLASSES = frozenset({ACCEPT, DEMAND, PROPOSE, COMMIT})

_V = r"(?:s|es|ed|d|ing)?"  # loose verb endings for regular stems

# (class, regex) in the order they are tried: multi-word phrases before single verbs so that
# "backed away from" is a retreat, not "backed" (support).
_CUES: list[tuple[str, str]] = [
    # --- phrases ---
    (
        OPEN,
        r"(?:willing(?:ness)?|ready|prepared) to "
        r"(?:consider|discuss|look at|study|explore|examine)",
    ),
    (OPEN, r"open(?:ness)? to"),
    (
        OPEN,
        r"(?:signal(?:l)?ed|showed|shown|signals|showing|expressed) "
        r"(?:some )?(?:flexibility|openness)",
    ),
    (OPEN, r"respond(?:s|ed)? positively|positive (?:response|reply|signals?)|in principle"),
    (OPEN, r"positively|favou?rably|constructively|with an open mind"),
    # "no deal without a full withdrawal": what no deal comes without is demanded.
    (DEMAND, r"without(?= )"),
    (RETREAT, r"back(?:s|ed|ing)? (?:away|down) (?:from|on)|climb(?:s|ed|ing)? down (?:from|on)?"),
    (
        RETREAT,
        r"g(?:ive|ave|iven|ives|iving) up(?: on)?|walk(?:s|ed|ing)? back|scal(?:e|es|ed|ing) back",
    ),
    (RETREAT, r"retreat(?:s|ed|ing)? from"),
    (
        SUSPEND,
        r"walk(?:s|ed|ing)? (?:away from|out of)|pull(?:s|ed|ing)? out of|"
        r"withdr(?:ew|awn|aws?|awing) from",
    ),
    (
        SUSPEND,
        r"(?:end|ends|ended|ending) (?:its|their|his|her) (?:role|participation|involvement)"
        r"|recall(?:s|ed|ing)?",
    ),
    (
        SUSPEND,
        r"pull(?:s|ed|ing)? (?:its|their|the) (?:\w+ ){1,2}out of|call(?:s|ed|ing)? off|"
        r"tear(?:s|ing)? up|tore up",
    ),
    (
        ESCALATE,
        r"re-?(?:assess|evaluat|consider)\w* (?:its|their|his|her)(?= role as )|"
        r"re-?(?:assess|evaluat|consider)\w* (?:its|their|his|her) "
        r"(?:role|mediation|participation|position)",
    ),
    (RETREAT, r"stop(?:s|ped|ping)? (?:pushing|pressing|insisting|demanding|calling|seeking)"),
    (REJECT, r"rul(?:e|es|ed|ing) out|turn(?:s|ed|ing)? down|s(?:ay|aid|ays) no to"),
    (REJECT, r"balk(?:s|ed|ing)? at|object(?:s|ed|ing)? to|opposed to|opposition to"),
    (
        REJECT,
        r"non-?starter|out of the question|off the table|unacceptable|delusional|unrealistic|"
        r"unworkable",
    ),
    (REJECT, r"not a basis for|a dead end|dead on arrival|a recipe for"),
    (REJECT, r"f(?:all|alls|ell|allen|alling) (?:far |well )?short of"),
    (
        DEMAND,
        r"(?:must|should|has to|have to|needs to|need to) be (?:respected|implemented|"
        r"honou?red|upheld|observed|preserved|maintained|completed|signed)",
    ),
    # "both sides are obliged to respect it": what binds the parties is demanded.
    (
        DEMAND,
        r"(?:obliged|obligated|bound|required) to (?:respect|honou?r|abide by|uphold|implement|"
        r"observe|comply with|adhere to)",
    ),
    (
        DEMAND,
        r"(?:must|should|has to|have to|had to|needs to|need to|would have to) "
        r"(?:be accompanied by|be followed by|be preceded by|include|involve|lead to|"
        r"guarantee|ensure|provide for)",
    ),
    (
        ACCEPT,
        r"work(?:s|ed|ing)? (?:hard |tirelessly |daily |every day |around the clock |"
        r"night and day |day and night |closely )?(?:for|toward|towards|"
        r"to secure|to reach|to achieve|to get|to clinch|to close)|striv(?:e|es|ing) for|"
        r"keep(?:s|ing)? (?:working|trying|pushing)(?: for| toward| towards)?",
    ),
    (PROPOSE, r"(?:remain|remains|remained|stay|stays|stayed|still|is|was) on the table"),
    # "missiles are not on the agenda": not to be talked about; "enrichment is non-negotiable":
    # held, not to be bargained away.
    (REJECT, r"(?:is|are|was|were|remains?|remained) (?:not|n['’]t) on the agenda"),
    (DEMAND, r"(?:is|are|was|were|remains?|remained) [\"“]?non-?negotiable"),
    # "a nuclear agreement isn't needed", "a deal is unnecessary": judged, and turned down.
    (
        REJECT,
        r"(?:isn['’]t|aren['’]t|wasn['’]t|(?:is|are|was|were) not) (?:needed|necessary)|"
        r"(?:is|are|was|were) unnecessary",
    ),
    # "threatens Russia with 100% tariffs": the measure threatened is one the threatener commits to.
    (COMMIT, r"threat(?:en|ens|ened|ening)(?= (?:[\w.'’-]+ ){1,3}with )"),
    # Keeping up what one is in: "we remain on strike", "stayed in the talks" (the issue must
    # follow at once: keeps_up_nothing); holding out for what one wants.
    (COMMIT, r"(?:remain|remains|remained|remaining|stay|stays|stayed|staying) (?:on|in)(?= )"),
    # "hold out to" only before a verb: "held out to the guild the prospect of" offers.
    (
        DEMAND,
        r"(?:hold|holds|holding|held) out (?:for|to(?! (?:the|a|an|its|their|his|her|our|this|"
        r"that|these|those|them|him|it|us|me|you)\b| (?-i:[A-Z])))",
    ),
    # Efforts that go on: "the search for a deal would go on", "the mediation continues".
    (
        ACCEPT,
        r"(?:continues|continued|will continue|would continue|(?:is|are|was|were) continuing|"
        r"goes on|go on|"
        r"went on|has not stopped|had not stopped)(?= *[,.;:\"”]| *$)",
    ),
    (
        ACCEPT,
        r"(?:(?:fully|deeply|heavily) )?invested[\"”]? in|keep(?:s|ing)? at (?:it|this)|"
        r"work(?:s|ed|ing)? (?:(?:hard|tirelessly|closely|daily|every day|around the clock|"
        r"day and night|night and day) )?with(?= (?:the )?(?-i:[A-Z]))|"
        r"work(?:s|ed|ing)? on|continu(?:e|es|ed|ing) (?:to work|working|(?:its|their|our) "
        r"(?:efforts|work|mediation))(?: for| toward| towards| on)?",
    ),
    (PROPOSE, r"(?:still )?(?:stands|stood)(?! by| at| in| on| to| trial)"),
    (
        ACCEPT,
        r"(?:is|are|was|were|remains?|remained) [\"“]?(?:still |also |both |absolutely |"
        r"entirely |definitely |very much |urgently |badly |sorely )?[\"“]?"
        r"(?:indispensable|essential|needed|necessary|justified|acceptable|a step forward|"
        r"a positive step|a good basis|achievable|attainable|doable|within reach|"
        r"the right (?:decision|step))",
    ),
    # Judgments of what was named before: "regarded the probe as unfounded".
    (
        REJECT,
        r"(?:is|are|was|were|remains?|remained|as|to be) [\"“]?(?:still |also |both |completely |"
        r"entirely |totally |wholly )?[\"“]?(?:unjustified|unfounded|groundless|baseless|"
        r"discriminatory|unwarranted|illegitimate)",
    ),
    (ACCEPT, r"(?:strongest |main |leading |chief |key )?(?:backers?|champions?|proponents?) of"),
    (REJECT, r"(?:strongest |main |leading |chief |key )?opponents? of"),
    (
        DEMAND,
        r"(?:lobb(?:y|ies|ied|ying)|campaign(?:s|ed|ing)?|argu(?:e|es|ed|ing)|"
        r"push(?:es|ed|ing)?|press(?:es|ed|ing)?) (?:hard )?(?:for|in favou?r of)",
    ),
    (
        REJECT,
        r"(?:lobb(?:y|ies|ied|ying)|campaign(?:s|ed|ing)?|argu(?:e|es|ed|ing)|"
        r"warn(?:s|ed|ing)?|speak(?:s|ing)? out|spoke out) against",
    ),
    (
        ACCEPT,
        r"g(?:ive|ave|iven|ives) (?:the|its|a) (?:green light|go-ahead|nod)|green-?light(?:s|ed)?",
    ),
    (ACCEPT, r"s(?:ay|aid|ays) yes to|sign(?:s|ed|ing)? (?:on|off on|onto)|in favou?r of"),
    (OPEN, r"willing(?:ness)? to"),
    (ACCEPT, r"(?:ready|prepared) to|consent(?:s|ed|ing)? to|(?:live|lived|living) with"),
    (ACCEPT, r"hop(?:e|es|ed|ing) (?:for|to see|to reach|to secure)|count(?:s|ed|ing)? on"),
    # "hoped a truce could be in place", "hopes that the agreement will hold"
    # "hoped Monday's gathering would lead to talks"
    (ACCEPT, r"hop(?:e|es|ed|ing)(?: that)?(?= (?:a|an|the|[\w.-]+['’]s)\b)"),
    (ACCEPT, r"stick(?:s|ing)? (?:to|with)|stuck (?:to|with)|st(?:and|ands|ood|anding) by"),
    # "will not bow to Hamas's demands": giving in to what the other side asks accepts it.
    (
        ACCEPT,
        r"(?:bow(?:s|ed|ing)?|cave(?:s|d)?(?: in)?|caving(?: in)?|g(?:ive|ave|iven|ives|iving) in|"
        r"yield(?:s|ed|ing)?|capitulat(?:e|es|ed|ing)|succumb(?:s|ed|ing)?) to",
    ),
    (DEMAND, r"call(?:s|ed|ing)? for|push(?:es|ed|ing)? for|press(?:es|ed|ing)? for"),
    # "called on Israel and Hamas to ...": an appeal; the addressees follow, then its content.
    (DEMAND, r"call(?:s|ed|ing)? (?:up)?on(?= (?:the |all |both )?[A-Z])"),
    (DEMAND, r"insist(?:s|ed|ing|ence)?(?: on| that)?|hold(?:s|ing)? out for|held out for"),
    (DEMAND, r"condition(?:s|ed|ing)? (?:on|upon)|conditional on|precondition(?:s)?"),
    (DEMAND, r"aims? to|aiming to|goal of|objective of|(?<!be )determined to"),
    (DEMAND, r"(?:is|are|was|were) aimed at"),
    # "urged Hamas to take it", "took up the offer": taking what is offered accepts it.
    (
        ACCEPT,
        r"t(?:ake|akes|ook|aking|aken)(?: up)?(?= (?:it|this|that|the (?:\w+ )?"
        r"(?:offer|deal|proposal|agreement))\b)",
    ),
    (PROPOSE, r"put(?:s|ting)? forward|came up with|come up with"),
    # "to get this done": the effort is for what was just named.
    (ACCEPT, r"g(?:et|ets|etting|ot)(?= (?:it|this|that) (?:done|over the line|across the line))"),
    (
        COMMIT,
        r"(?:go|goes|going|went|gone|press(?:es|ed|ing)?|push(?:es|ed|ing)?) ahead with|"
        r"proceed(?:s|ed|ing)? with",
    ),
    # Acts that step out of talks or a process: "mediation is on hold", "recalled its team".
    (SUSPEND, r"(?:put|puts|putting|placed|places) on hold|on hold"),
    (
        SUSPEND,
        r"paus(?:e|es|ed|ing)(?= (?:its |their |his |our |the )?(?:\w+ )?(?:talks|negotiations|"
        r"mediation|efforts|participation|contacts)\b)",
    ),
    (
        SUSPEND,
        r"(?:withdr(?:aw|aws|ew|awn|awing)|recall(?:s|ed|ing)?|pull(?:s|ed|ing)? (?:out|back)|"
        r"br(?:ing|ings|ought|inging)(?= (?:its|their|his|our|the) (?:\w+ )?(?:team|delegation|"
        r"negotiators) home))(?= (?:its|their|his|our|the) (?:\w+ )?(?:team|delegation|"
        r"negotiators|envoys?|mediators?)\b)",
    ),
    (SUSPEND, r"stall(?:s|ed|ing)?(?= (?:its|their|his|our) (?:\w+ )?efforts\b)"),
    (REJECT, r"vot(?:e|es|ed|ing) against|vot(?:e|es|ed|ing) no on"),
    (ACCEPT, r"vot(?:e|es|ed|ing) (?:for|in favou?r of)|vot(?:e|es|ed|ing) yes on"),
    (ACCEPT, r"engag(?:e|es|ed|ing) in|t(?:ake|akes|ook|aking) part in|participat\w* in"),
    (COMMIT, r"vow(?:s|ed|ing)? to|pledg(?:e|es|ed|ing) to|promis(?:e|es|ed|ing) to"),
    # Acts stated as acts: "carried out strikes on", "launched an offensive".
    (COMMIT, r"carr(?:y|ies|ied|ying) out|launch(?:es|ed|ing)?|conduct(?:s|ed|ing)?"),
    (COMMIT, r"commit(?:s|ted|ting)? to|commitment to|intend(?:s|ed)? to|planned to|planning to"),
    (ESCALATE, r"rais(?:e|es|ed|ing) (?:its|their|the) (?:demands|stakes|conditions|bar)"),
    (ESCALATE, r"(?:new|additional|fresh|extra|more) (?:conditions|demands)|hard(?:er)? line"),
    # Unconditional, open-ended wording hardens whatever stance it goes with.
    (
        INTENSIFY,
        r"even after|even if|indefinitely|permanently|for good|for the foreseeable future|"
        r"with or without|regardless of|under any circumstances|no matter what",
    ),
    (ESCALATE, r"doubl(?:e|es|ed|ing) down(?: on)?"),
    # Doubting what one backed moves away from it: "cast doubt over the success of mediation".
    (
        ESCALATE,
        r"cast(?:s|ing)? doubts? (?:on|over|upon)|(?:voic|express|rais)(?:e|es|ed|ing) "
        r"doubts? (?:about|over|on)",
    ),
    # --- single words ---
    (ACCEPT, rf"accept{_V}|acceptance|agree(?:s|d|ing)?(?: to| on)?|approv(?:e|es|ed|ing|al)"),
    (
        ACCEPT,
        rf"endors(?:e|es|ed|ing|ement)|welcom{_V}|embrac{_V}|support{_V}|backed|backs|backing",
    ),
    (ACCEPT, r"favou?r(?:s|ed|ing)|signed|signing"),
    # "praises Cairo's efforts for reconstruction", "hailed the agreement"
    (ACCEPT, r"prais(?:e|es|ed|ing)|hail(?:s|ed|ing)?|commend(?:s|ed|ing)?|applaud(?:s|ed|ing)?"),
    (DEMAND, rf"demand{_V}|requir(?:e|es|ed|ing|ement)|stipulat{_V}|urg(?:e|es|ed|ing)"),
    (DEMAND, r"seek(?:s|ing)?|sought|want(?:s|ed)?|need(?:s|ed)?"),
    (PROPOSE, r"propos(?:e|es|ed|ing)|offered|offering|offers to|submit(?:s|ted|ting)?|tabled"),
    (PROPOSE, r"present(?:s|ed|ing)|floated|drafted|co-?sponsored"),
    (REJECT, rf"reject{_V}|rejection|dismiss(?:es|ed|ing)?|refus(?:e|es|ed|ing|al)"),
    (REJECT, rf"rebuff{_V}|spurn{_V}|oppos(?:e|es|ed|ing|ition)|resist{_V}|veto(?:es|ed|ing)?"),
    (REJECT, rf"declin(?:e|es|ed|ing) to|block(?:s|ed|ing)|condemn{_V}|denounc(?:e|es|ed|ing)"),
    (
        SUSPEND,
        rf"suspend{_V}|suspension|halt{_V}|freez(?:e|es|ing)|froze|quit(?:s|ting)?|abandon{_V}",
    ),
    (REJECT, rf"scuttl{_V}|torpedo(?:es|ed)?|scrap(?:s|ped|ping)?|cancel(?:s|led|ed|ling|ing)?"),
    (REJECT, rf"postpon(?:e|es|ed|ing)|delay{_V}|defer(?:s|red|ring)?|den(?:y|ies|ied|ying)"),
    (
        OPEN,
        rf"consider{_V}|weigh{_V}|study(?:ing)?|studie[sd]|review{_V}|examin{_V}|flexib(?:le|ility)",
    ),
    (RETREAT, rf"drop{_V}|dropped|dropping|eas(?:e|es|ed|ing)|soften{_V}|relax{_V}"),
    (
        RETREAT,
        r"waiv(?:e|es|ed|ing)|shelv(?:e|es|ed|ing)|concession(?:s)?|compromis(?:e|es|ed|ing)",
    ),
    (ESCALATE, rf"harden{_V}|toughen{_V}|stiffen{_V}|tougher|escalat(?:e|es|ed|ing)"),
]

_CUE_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(_CUES)) + r")(?![\w])",
    re.IGNORECASE,
)
_CUE_CLASS = {f"c{i}": cls for i, (cls, _) in enumerate(_CUES)}
_CUE_FINDER = PrefixedRegex([(f"c{i}", p) for i, (_, p) in enumerate(_CUES)], re.IGNORECASE)

# Future or volitional modals before a bare action ("will withdraw", "won't release").


class Cue(NamedTuple):
    """A stance cue found in a sentence (a named tuple: cheap to build, immutable)."""

    start: int
    end: int
    cls: str
    text: str


#: Cues that are nouns ("international calls for", "Hamas's demands"): as the object of
#: another cue they pass it their content ("rejected calls for a ceasefire").
NOMINAL_CUES = frozenset(
    [
        "calls for",
        "call for",
        "demands",
        "demand",
        "demand for",
        "demands for",
        "insistence",
        "insistence on",
        "proposal",
        "offers",
        "refusal",
        "rejection",
        "opposition to",
        "pressure",
        "appeals",
        "request",
        "requests",
    ]
)


#: Sentences without an issue term that still carry a stance on the issue just named.
GET_IT_DONE = re.compile(r"\bg(?:et|ets|etting|ot) (?:it|this|that) (?:done|over|across)\b", re.I)


def find_cues(text: str) -> list[Cue]:
    """Every stance cue in a sentence, left to right, not overlapping."""
    cues = []
    for m in _CUE_FINDER.finditer(text):
        cls = _CUE_CLASS[m.lastgroup or ""]
        verdict = no_cue_here(text, m.start(), m.end())
        if verdict == SKIP:
            continue
        cues.append(Cue(m.start(), m.end(), ACCEPT if verdict == FAVOURABLE else cls, m.group(0)))
    return cues
