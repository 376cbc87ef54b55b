"""Read stated positions from text: who states what on which issue, which way, how we know."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from stancewatch import stance
from stancewatch.attribution import (
    Discourse,
    Frame,
    find_frames,
    frame_at,
    quote_depths,
    reported_marker,
)
from stancewatch.issues import IssueFinder, IssueMention, content_of
from stancewatch.mentions import AGENT_NOUNS, Mention, MentionFinder
from stancewatch.models import Attribution, Statement, Watchlist
from stancewatch.relatedness import (
    ScopeFinder,
    SentenceScope,
    article_relatedness,
    effective_scopes,
)
from stancewatch.sentences import looks_like_title, split_sentences

# Below this share of in-scope sentences an article belongs to another story.
RELATED_THRESHOLD = 0.5

_OBJECT_WINDOW = 110  # characters after a cue in which its object must start
_OBJECT_STOP = re.compile(
    r"(?:^|\s)(?:comment|elaborate|specify|speculate|disclose|give details)\b|[;:]|\s[—–]\s|,\s+(?:but|while|which|who|after|because|although|saying|adding|as|"
    r"amid|according)\b|\s(?:but|while|whereas|although|because|though|unless|until|after|"
    r"when|since|amid|before|if|once|provided|subject to|as long as|so long as|as|against|"
    r"despite|during|"
    r"claims?|reports?|accusations?|allegations?|suggestions?)\s",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"[;:]\s|\s[—–]\s|,\s+(?:but|while|whereas|although)\s|\s(?:but|whereas)\s", re.IGNORECASE
)
# Between two objects of one cue: "release of hostages, withdrawal of troops from Gaza, and
# negotiations for a permanent end": a short tail, a separator, a few modifiers.
_COORDINATION = re.compile(
    r"^(?:\s+(?:from|in|of|to|on|with|at|by)\s+(?:the\s+)?[\w'’-]+)?"
    r"(?:\s*,\s*|\s+)(?:and|or|nor|as well as|,)?\s*(?:(?!that\b|which\b|who\b|\w+ing\b)[\w'’-]+\s+){0,3}$"
    r"|^\s+(?:for|on|over|about|of)\s+(?:a|an|the)?\s*(?:[\w'’-]+\s+){0,1}$",
    re.IGNORECASE,
)
_GOVERNS = re.compile(r"^\s+(?:[\w'’.-]+\s+){0,3}?to\s+(?:be\s+)?$|^\s+(?:to\s+)?$")
_ANAPHORIC_OBJECT = re.compile(
    r"^\s+(?:it|this|that|them|these|those|the (?:idea|move|request|call|demand|plan|"
    r"document|response|text|initiative|terms))(?![\w])",
    re.IGNORECASE,
)
_POSITION_NOUN = re.compile(
    r"^['’]s?\s+(?:[\w-]+\s+){0,2}(?:proposal|plan|response|offer|position|stance|statement|"
    r"demands?|counterproposal|terms|draft|document|reply|delegation|leadership)\s+"
    r"(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)
_CONTENT = re.compile(
    r"^[^;.]{0,60}?(?:\b(?:which|that)\s+(?:would\s+)?(?:include[sd]?|call(?:s|ed)? for|"
    r"see|saw|provide[sd]? for|envisage[sd]?|stipulate[sd]?|involve[sd]?)|\bincluding|"
    r"\bcalling for|\bwith)\s+(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
_POSITION_NOUN_HEAD = re.compile(
    r"^['’]s?\s+(?:[\w-]+\s+){0,2}(?:proposal|plan|response|offer|position|stance|statement|"
    r"demands?|counterproposal|terms|draft|document|reply|delegation|leadership)\b",
    re.IGNORECASE,
)
_INNER_NEGATION = re.compile(
    r"\b(?:that|which)\s+(?:\w+\s+)?(?:not|never|fails?|failed)\b|\bdid\s+not\b|"
    r"\bdoes\s+not\b|n['’]t\b|\bwithout\b",
    re.IGNORECASE,
)
_VP_COORDINATION = re.compile(r"(?:,\s*|\s)(?:and|but)\s+(?:also\s+|then\s+|\w+ly\s+)?$", re.I)
_NOMINAL_GAP = re.compile(r"^\s+(?:[\w'’-]+\s+){0,2}$")
_SUBJECT_OF_MODAL = re.compile(
    r"^(?:['’]s\s+\w+)?\s*(?:,[^,]{0,40},\s*)?(?:\s*(?:said|says|told \w+|added)\s+(?:that\s+)?"
    r"(?:it|he|she|they)?)?\s*(?:[\w'’]+\s+){0,6}$"
)
_PASSIVE_BY = re.compile(r"^\s+by\s+")
_VOICE_PASSIVE = re.compile(r"(?:\b(?:was|were|is|are|been|being|be)\s+(?:\w+ly\s+)?)$", re.I)


@dataclass(frozen=True)
class Reading:
    """What one text says: statements (in-scope sentences only) and how related it is."""

    statements: tuple[Statement, ...]
    relatedness: float
    related: bool


@dataclass
class _Sentence:
    text: str
    index: int
    headline: bool
    mentions: list[Mention] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    speaker: Mention | None = None  # the speaker of a quote this sentence belongs to
    scope: SentenceScope = "none"


@dataclass
class _Found:
    """A stance found in a sentence, before it becomes a Statement."""

    holder: Mention
    issue: IssueMention
    label: str
    score: float
    anchor: int
    shift: str | None
    hedge: bool
    condition: tuple[str, str] | None
    resolved: bool


class Reader:
    """Compiled once per watchlist: turns text into statements. Pure: no I/O, no state kept."""

    def __init__(self, watchlist: Watchlist) -> None:
        self.watchlist = watchlist
        self.mentions = MentionFinder(watchlist)
        names = self.mentions.names_of(watchlist)
        self.issues = IssueFinder(watchlist, names)
        self.scope = ScopeFinder(watchlist, names)
        self.kinds = {a.id: a.kind for a in watchlist.actors}

    def read(self, text: str, title: str | None = None, *, judge_scope: bool = True) -> Reading:
        """Statements of a text; an article about another story has none.

        judge_scope=False reads every sentence as in scope (seed documents define the story).
        """
        body = text
        if title is None:
            first, _, rest = text.strip().partition("\n")
            if looks_like_title(first, rest):
                title, body = first.strip(), rest
        sentences = [
            _Sentence(s.text, s.index, False, scope=self.scope.classify(s.text))
            for s in split_sentences(body)
        ]
        title_scope = self.scope.classify(title) if title else None
        relatedness = article_relatedness([s.scope for s in sentences], title_scope)
        related = relatedness >= RELATED_THRESHOLD
        if not judge_scope:
            related = True
            for s in sentences:
                s.scope = "in"
            title_scope = "in" if title else None
        if not related:
            return Reading((), relatedness, False)
        scopes = effective_scopes([s.scope for s in sentences], "in")
        for s, scope in zip(sentences, scopes, strict=True):
            s.scope = scope
        units = sentences
        if title:
            units = [_Sentence(title, -1, True, scope=title_scope or "none"), *sentences]
        self._prepare(units)
        statements: list[Statement] = []
        last_issues: list[IssueMention] = []
        for unit in units:
            found, objects = self._read_sentence(unit, last_issues)
            if objects:
                last_issues = objects
            if unit.scope == "out":
                continue
            statements += [self._statement(unit, f) for f in found]
        return Reading(tuple(statements), relatedness, True)

    # --- pass 1: mentions, reference, frames, quotes -------------------------------------------

    def _prepare(self, units: Sequence[_Sentence]) -> None:
        discourse = Discourse(kinds=self.kinds)
        for unit in units:
            raw = self.mentions.find(unit.text)
            resolved: list[Mention] = []
            for m in raw:
                if m.pronoun == "first":
                    resolved.append(m)
                    continue
                resolved.append(discourse.resolve(m, unit.index, resolved, None))
            unit.mentions = resolved
            unit.frames = find_frames(unit.text, resolved)
            discourse.remember(unit.index, [m for m in resolved if m.pronoun is None])
        body = [u for u in units if not u.headline]
        depths = quote_depths([u.text for u in body])
        run: list[_Sentence] = []
        for unit, (starts_inside, ends_inside) in zip(body, depths, strict=True):
            quoted = starts_inside or ends_inside or "“" in unit.text or '"' in unit.text
            if not quoted:
                continue
            if not starts_inside:
                run = []
            run.append(unit)
            if not ends_inside:
                speaker = next(
                    (f.source for u in run for f in u.frames if f.kind == "named" and f.source),
                    None,
                )
                for member in run:
                    member.speaker = speaker
        for unit in units:
            # First-person pronouns and pronouns inside reported speech take the speaker.
            fixed = []
            for m in unit.mentions:
                if m.actor is None and m.pronoun is not None:
                    frame = frame_at(unit.frames, m.start)
                    speaker = frame.source if frame and frame.source else unit.speaker
                    m = discourse.resolve(m, unit.index, fixed, speaker)
                fixed.append(m)
            unit.mentions = fixed

    # --- pass 2: cues, objects, holders ---------------------------------------------------------

    def _read_sentence(
        self, unit: _Sentence, last_issues: list[IssueMention]
    ) -> tuple[list[_Found], list[IssueMention]]:
        text = unit.text
        issues = self.issues.find(text)
        if not issues and not _ANAPHORIC_OBJECT.search(text):
            return [], []
        taken = [(i.start, i.end) for i in issues] + [(m.start, m.end) for m in unit.mentions]
        cues = [c for c in stance.find_cues(text) if not _overlaps(c.start, c.end, taken)]
        found: list[_Found] = []
        claimed: set[int] = set()
        shifts: dict[str, str] = {}
        objects_seen: list[IssueMention] = []
        governor: dict[int, stance.Cue] = {}
        for i in range(len(cues) - 1):
            between = text[cues[i].end : cues[i + 1].start]
            nominal = cues[i + 1].text.lower() in stance.NOMINAL_CUES and _NOMINAL_GAP.match(
                between
            )
            if _GOVERNS.match(between) or nominal:
                governor[i + 1] = cues[i]
        governors = {id(g) for g in governor.values()}
        previous_holders: list[Mention] = []
        for i, cue in enumerate(cues):
            if id(cue) in governors or _hypothetical(text, cue.start):
                continue
            gov = governor.get(i)
            while gov is not None and cues.index(gov) in governor:
                gov = governor[cues.index(gov)]  # the outermost governor holds the stance
            cls = stance.chain(gov.cls, cue.cls) if gov else cue.cls
            anchor = gov if gov else cue
            next_start = cues[i + 1].start if i + 1 < len(cues) else len(text)
            content = cls in (stance.PROPOSE, stance.DEMAND)
            objects, resolved = self._objects(
                text, cue.end, next_start, issues, last_issues, content
            )
            owner = _possessor(text, anchor.start, unit.mentions)
            if owner is not None:
                holders = [owner]  # "its demand for", "Israel's refusal to": the owner's stance
            elif previous_holders and _VP_COORDINATION.search(text[: anchor.start]):
                holders = previous_holders  # "welcomed X ..., and called for Y": same subject
            else:
                holders = self._holders(text, anchor.start, anchor.end, cue, unit)
            if not holders:
                continue
            previous_holders = holders
            negation = stance.negation_before(text, anchor.start)
            if gov is not None and negation is None:
                negation = stance.negation_before(text, cue.start, window=10)
            if not objects:
                if cls in (stance.RETREAT, stance.ESCALATE):
                    for h in holders:
                        if h.actor:
                            shifts[h.actor] = "softer" if cls == stance.RETREAT else "firmer"
                continue
            hedge = stance.hedged(text, anchor.start, cue.end)
            condition = stance.condition_after(text, objects[-1].end)
            partial = stance.partial_scope(text, objects[0].start, objects[-1].end)
            label, score = stance.resolve(
                cls, negation, hedge, condition[0] if condition else None, partial
            )
            shift = None if negation else {stance.RETREAT: "softer", stance.ESCALATE: "firmer"}.get(cls)
            if negation == "nolonger" and cls in stance.POSITIVE_CLASSES:
                shift = "softer"
            for obj in objects:
                claimed.add(obj.start)
                objects_seen.append(obj)
                polarity = obj.polarity
                head_end = min((i.start for i in issues if i.start >= cue.end), default=cue.end)
                if _INNER_NEGATION.search(text[cue.end : min(obj.start, head_end)]):
                    polarity = -polarity  # "would not agree to any deal that does not end the war"
                for h in holders:
                    found.append(
                        _Found(
                            h,
                            obj,
                            *_polarised(label, score, polarity),
                            anchor.start,
                            shift,
                            hedge,
                            condition,
                            resolved or h.resolved,
                        )
                    )
        for obj in issues:
            if obj.start in claimed:
                continue
            implicit = self._implicit(text, obj, unit)
            if implicit:
                found += implicit
                objects_seen.append(obj)
        for f in found:
            if f.shift is None and f.holder.actor in shifts:
                f.shift = shifts[f.holder.actor]
        return found, objects_seen or [i for i in issues if not i.laden]

    def _objects(
        self,
        text: str,
        start: int,
        next_cue: int,
        issues: list[IssueMention],
        last_issues: list[IssueMention],
        content: bool,
    ) -> tuple[list[IssueMention], bool]:
        """The issues a cue governs: its first object and those coordinated with it.

        With content=True (proposing, demanding) the contents of the object count too.
        """
        if _ANAPHORIC_OBJECT.match(text[start:]):
            earlier = [i for i in issues if i.end <= start and not i.laden]
            if earlier:
                return [earlier[-1]], True
            if last_issues:
                return [last_issues[0]], True
        if _PASSIVE_BY.match(text[start:]):
            # "a proposal presented by X": the participle's object is the noun before it.
            just_before = [i for i in issues if 0 <= start - i.end <= 30 and i.end <= start]
            if just_before and re.fullmatch(r"\s*\w+\s*", text[just_before[-1].end : start]):
                return [just_before[-1]], False
        stop = _OBJECT_STOP.search(text, start)
        limit = min(start + _OBJECT_WINDOW, stop.start() if stop else len(text), next_cue)
        candidates = [k for k, i in enumerate(issues) if start <= i.start < limit]
        if not candidates:
            return [], False
        first = candidates[0]
        flipped = _negated_content(text, issues, first)
        if flipped is not None:
            return [flipped], False
        objects = [content_of(text, issues, first)]
        position = objects[0].end
        connector = False
        for k in range(first + 1, len(issues)):
            nxt = issues[k]
            if nxt.start < position:
                continue
            between = text[position : nxt.start]
            if not connector and content and _CONTENT.match(between):
                # "a proposal ..., which included the release of all hostages, ...": the
                # proposer's stance covers what the proposal contains.
                connector = True
            elif nxt.start >= limit and not connector or not _COORDINATION.match(between):
                break
            if nxt.issue not in {o.issue for o in objects}:
                objects.append(nxt)
            position = nxt.end
        return objects, False

    def _holders(
        self, text: str, start: int, end: int, cue: stance.Cue | None, unit: _Sentence
    ) -> list[Mention]:
        """Whose stance a cue states: passive agent, nearest subject, or fronted-clause subject."""
        mentions = [m for m in unit.mentions if m.actor]
        if cue is not None and _PASSIVE_BY.match(text[cue.end :]):
            if cue.text.lower().endswith("ed") or _VOICE_PASSIVE.search(text[:start]):
                window_end = cue.end + 60
                agents = [m for m in mentions if cue.end < m.start < window_end]
                if agents:
                    return _coordinated(text, agents)
        clause_start = 0
        for b in _CLAUSE_BREAK.finditer(text, 0, start):
            clause_start = b.end()
        before = [m for m in mentions if clause_start <= m.start and m.end <= start]
        subjects = [m for m in before if m.subject]
        if before and before[-1].possessive and _POSITION_NOUN.match(text[before[-1].end : start]):
            return [before[-1]]
        if subjects:
            return _with_coordinated_subject(text, subjects)
        head = text[clause_start:start].strip(" \"“'‘")
        if clause_start > 0 and len(head.split()) <= 2:
            # "... does not demand X but stipulates Y": the verb shares the earlier subject.
            earlier = [m for m in mentions if m.end <= clause_start]
            if earlier and earlier[-1].possessive and _POSITION_NOUN_HEAD.match(
                text[earlier[-1].end : clause_start]
            ):
                return [earlier[-1]]
            if any(m.subject for m in earlier):
                return _with_coordinated_subject(text, [m for m in earlier if m.subject])
        if not head and cue is not None and cue.text.lower().endswith("ing"):
            comma = text.find(",", end)
            after = [m for m in mentions if comma >= 0 and m.start > comma and m.subject]
            return after[:1]
        frame = frame_at(unit.frames, start)
        if frame is not None and frame.source is not None:
            return [frame.source]
        if unit.speaker is not None and not head:
            return [unit.speaker]
        return []

    def _implicit(self, text: str, obj: IssueMention, unit: _Sentence) -> list[_Found]:
        """A stance stated without a stance verb: "will withdraw", "must end", "total victory"."""
        modal = stance.modal_before(text, obj.start)
        negation = stance.negation_before(text, obj.start, window=14)
        if modal is None and not obj.laden:
            return []
        if obj.laden and _AGENT_TERM.search(obj.text):
            label, score = _polarised("support", 1.0, obj.polarity)
            return [
                _Found(h, obj, label, score, obj.start, None, False, None, False)
                for h in _attached(text, obj, unit.mentions)
            ]
        if modal == "must":
            frame = frame_at(unit.frames, obj.start)
            speaker = frame.source if frame and frame.source else unit.speaker
            if speaker is None or speaker.actor is None:
                return []
            holders = [speaker]
            cls = stance.DEMAND
        else:
            holders = self._holders(text, obj.start, obj.end, None, unit)
            if modal is not None and holders and not _SUBJECT_OF_MODAL.match(
                text[holders[-1].end : obj.start]
            ):
                return []  # "the plan would bring ... home": the subject is not an actor
            cls = {
                "neg": stance.REJECT,
                "hedge": stance.OPEN,
                "will": stance.COMMIT,
            }.get(modal or "", stance.ACCEPT)
            if modal == "neg":
                negation = None
        if not holders or holders[0].actor is None:
            return []
        hedge = modal == "hedge"
        condition = stance.condition_after(text, obj.end)
        label, score = stance.resolve(cls, negation, hedge, condition[0] if condition else None)
        if obj.laden and label == "accept":
            label = "support"
        label, score = _polarised(label, score, obj.polarity)
        return [
            _Found(h, obj, label, score, obj.start, None, hedge, condition, h.resolved)
            for h in holders
        ]

    # --- statements -------------------------------------------------------------------------------

    def _statement(self, unit: _Sentence, f: _Found) -> Statement:
        actor = f.holder.actor or ""
        frame = frame_at(unit.frames, f.anchor)
        attribution: Attribution
        source: str | None = None
        if frame is None and unit.speaker is not None and unit.speaker.actor is not None:
            same = unit.speaker.actor == actor
            attribution = "direct" if same else "third_party"
            source = None if same else unit.speaker.text
        elif frame is None:
            attribution = "reported" if reported_marker(unit.text) else "direct"
        elif frame.kind == "unnamed":
            other = frame.source is not None and frame.source.actor not in (None, actor)
            attribution = "third_party" if other else "reported"
            source = "sources"
        elif frame.kind in ("outsider", "unknown") or frame.source is None:
            attribution = "third_party"
            source = unit.text[frame.verb_start : frame.verb_end]
        elif frame.source.actor == actor:
            attribution = "direct"
            source = frame.source.text if frame.source is not f.holder else None
        else:
            attribution = "third_party"
            source = frame.source.text
        reported_speech = frame is not None and frame.verb_start < f.anchor
        modality = None
        if f.condition and f.label in ("accept_if", "reject_unless"):
            modality = "conditional"
        elif f.hedge:
            modality = "hedged"
        return Statement(
            actor=actor,
            issue=f.issue.issue,
            stance=f.label,
            score=f.score,
            attribution=attribution,
            sentence=unit.text,
            sentence_index=unit.index,
            source=source,
            modality=modality,
            condition=f.condition[1] if f.condition else None,
            background=stance.background(unit.text, f.anchor, reported_speech),
            shift=f.shift,
            headline=unit.headline,
            resolved=f.resolved,
        )


_FLIPPED = {
    "accept_partial": "reject_unless",
    "reject": "accept",
    "reject_unless": "accept_if",
    "accept": "reject",
    "support": "reject",
    "demand": "reject",
    "propose": "reject",
    "commit": "reject",
    "accept_if": "reject_unless",
}


def _polarised(label: str, score: float, polarity: int) -> tuple[str, float]:
    """Stance toward the issue when the wording names its opposite ("rejected calls to fight on")."""
    if polarity >= 0 or score == 0.0:
        return label, score
    return _FLIPPED.get(label, label), -score


_AGENT_TERM = re.compile(rf"(?:{AGENT_NOUNS})$", re.IGNORECASE)


def _attached(text: str, obj: IssueMention, mentions: Sequence[Mention]) -> list[Mention]:
    """The actors an agent noun belongs to: "Qatari mediators", "mediators from Qatar and
    Egypt", "Qatar and Egypt, the key mediators"."""
    named = [m for m in mentions if m.actor and m.pronoun is None]
    before = [m for m in named if m.end <= obj.start]
    if before and re.fullmatch(r"(?:\s+and\s+\w+|\s*)\s*|,\s+(?:the|its|their)\s+(?:\w+\s+)?", text[before[-1].end : obj.start]):
        return _with_coordinated_subject(text, before)
    after = [m for m in named if m.start >= obj.end]
    if after and re.fullmatch(r"\s+(?:from|of|for)\s+", text[obj.end : after[0].start]):
        return _coordinated(text, after)
    return []


_HYPOTHETICAL = re.compile(
    r"(?<![\w])(?:if|whether|unless|(?:suggestions?|claims?|reports?|speculation|notion|"
    r"idea|accusations?|allegations?|rumou?rs?|fears?|hopes?) that)\s+(?:[\w'’-]+\s+){0,6}$",
    re.IGNORECASE,
)
_POSSESSOR_GAP = re.compile(r"^(?:['’]s?)?\s+(?:[\w-]+\s+){0,2}$")
_NEGATED_RELATIVE = re.compile(
    r"^\s+(?:that|which)\s+(?:\w+\s+)?(?:does|do|did|would|will|could)\s*(?:not|n['’]t)\s+"
    r"(?:[\w'’-]+\s+){0,5}$|^\s+without\s+(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _hypothetical(text: str, start: int) -> bool:
    """Whether a cue sits in an if-clause or a reported rumour ("reports that X accepted")."""
    clause_start = 0
    for b in _CLAUSE_BREAK.finditer(text, 0, start):
        clause_start = b.end()
    head = text[max(clause_start, start - 60) : start]
    if not _HYPOTHETICAL.search(head):
        return False
    # "only if" and "as long as" conditions belong to a stance, not a hypothesis.
    return re.search(r"(?:only|as long as|even) if\s+(?:[\w'’-]+\s+){0,6}$", head, re.I) is None


def _possessor(text: str, start: int, mentions: Sequence[Mention]) -> Mention | None:
    """The owner of a nominal cue: "its demand for", "Netanyahu's refusal to"."""
    for m in reversed(mentions):
        if m.end > start:
            continue
        if m.possessive and m.actor and _POSSESSOR_GAP.match(text[m.end : start]):
            return m
        break
    return None


def _negated_content(text: str, issues: list[IssueMention], first: int) -> IssueMention | None:
    """ "any agreement that does not end the war": the stance is about ending the war, flipped."""
    mention = issues[first]
    if not mention.carrier or first + 1 >= len(issues):
        return None
    following = issues[first + 1]
    if not _NEGATED_RELATIVE.match(text[mention.end : following.start]):
        return None
    return replace(following, polarity=-following.polarity)


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _coordinated(text: str, agents: list[Mention]) -> list[Mention]:
    out = [agents[0]]
    for m in agents[1:]:
        if re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", text[out[-1].end : m.start]):
            out.append(m)
        else:
            break
    return out


def _with_coordinated_subject(text: str, subjects: list[Mention]) -> list[Mention]:
    last = subjects[-1]
    out = [last]
    for m in reversed(subjects[:-1]):
        if re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[m.end : out[0].start]):
            out.insert(0, m)
        else:
            break
    return [replace(m) for m in out]
