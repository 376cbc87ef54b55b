"""One sentence's stances: the cues, what governs them, their objects and their holders."""

from __future__ import annotations

import re
from collections.abc import Sequence

from stancewatch.positions import cues, stance
from stancewatch.positions.amounts import amount_direction, amounts
from stancewatch.positions.appeals import (
    APPEAL_CUE,
    APPEAL_GAP,
    BOTH_SIDES,
    WISH,
    appeal_at,
    shared_by_both,
    told_to,
)
from stancewatch.positions.attribution import frame_at
from stancewatch.positions.claims import (
    claimant_of,
    counterparts,
    fresh_offer,
    supposed,
    under_review,
)
from stancewatch.positions.documents import document_co_authors, with_co_authors
from stancewatch.positions.holders import (
    find_holders,
    judge,
    possessor,
)
from stancewatch.positions.implicit import implicit_stances
from stancewatch.positions.issues import IssueMention, names_only
from stancewatch.positions.mentions import Mention
from stancewatch.positions.objects import (
    ANAPHORIC_OBJECT,
    CONTENT_SUBJECT,
    GIVE_IN_LITERAL,
    INNER_NEGATION,
    anaphor_removed,
    anaphoric_subject,
    asks_as_package,
    find_objects,
    means_object,
    removal,
    subject_issue,
)
from stancewatch.positions.offers import offer_names
from stancewatch.positions.relatives import relative_gap
from stancewatch.positions.turnarounds import turned_around
from stancewatch.positions.unasserted import hypothetical, plan_content
from stancewatch.positions.units import Found, Unit, polarised

_GOVERNS = re.compile(
    r"^\s+(?:[\w'’.-]+\s+){0,3}?to\s+(?:be\s+)?$|^\s+(?:to\s+)?$"
    # "denied it would drop", "insisted that it would accept"
    r"|^\s+(?:that\s+)?(?:it|he|she|they|we|[A-Z][\w.-]*)\s+(?:will|would|had|has|have|was|is|"
    r"were|did)\s+(?:not\s+|never\s+)?$"
    # "did not rule out on Friday accepting"
    r"|^\s+(?:on \w+|this week|last week|\w+ly|again)\s+$"
)

_VP_COORDINATION = re.compile(
    r"(?:,\s*|\s)(?:and|but)\s+(?:also\s+|then\s+|\w+ly\s+)?(?:no longer\s+|not\s+|never\s+)?$",
    re.I,
)

_NOMINAL_GAP = re.compile(r"^\s+(?:[\w'’-]+\s+){0,2}$")

# "refused to meet the strikers' demand for", "agreed to accept Kyiv's call for": a cue acting on
# someone's demand; what the demand asks for is what the cue's holder refuses or accepts.
_ACTS_ON_DEMAND = re.compile(
    r"^\s+(?:to\s+)?(?:meet|accept|heed|satisfy|grant|fulfil+|consider|entertain|"
    r"bow to|give in to|yield to|cave (?:in )?to)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?"
    r"(?:[\w.-]+(?:'s|’s|'|’)\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)

_PASSIVE_REMOVAL = re.compile(r"\b(?:to be|be|been|being)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


def read_sentence(
    unit: Unit,
    last_issues: list[IssueMention],
    package: str | None,
    imposed: frozenset[str] = frozenset(),
) -> tuple[list[Found], list[IssueMention]]:
    """A sentence's stances, and the issues it mentions (what a later "it" may refer to).

    package: the issue a bare "the proposal" or "its demands" stands for (the watchlist's deal);
    imposed: the issues that are a measure one side imposes (a larger amount bites harder).
    """
    text = unit.text
    issues = unit.issues
    if not issues and not (
        ANAPHORIC_OBJECT.search(text)
        or (last_issues and cues.GET_IT_DONE.search(text))
        or (package and GIVE_IN_LITERAL.search(text))
    ):
        return [], []
    # Cue phrases may hold a pronoun ("raised its demands") but not a name or an issue.
    names = [(m.start, m.end) for m in unit.mentions if m.pronoun is None]
    taken = [(i.start, i.end) for i in issues] + names
    found_cues = [
        c
        for c in cues.find_cues(text)
        if not _overlaps(c.start, c.end, taken)
        and not cues.keeps_up_nothing(
            text, c.text, c.end, min((i.start for i in issues if i.start >= c.end), default=None)
        )
    ]
    found: list[Found] = []
    claimed: set[int] = set()
    shifts: dict[str, str] = {}
    objects_seen: list[IssueMention] = []
    governor: dict[int, cues.Cue] = {}
    content_clause: set[int] = set()  # cues in the content clause of a demand
    for i in range(len(found_cues) - 1):
        between = text[found_cues[i].end : found_cues[i + 1].start]
        nominal = found_cues[i + 1].text.lower() in cues.NOMINAL_CUES and _NOMINAL_GAP.match(
            between
        )
        issue_between = any(found_cues[i].end <= o.start < found_cues[i + 1].start for o in issues)
        if issue_between:
            continue
        acts_on_demand = found_cues[i + 1].cls == cues.DEMAND and _ACTS_ON_DEMAND.match(between)
        appeal = APPEAL_CUE.match(found_cues[i].text) and APPEAL_GAP.match(between)
        if _GOVERNS.match(between) or nominal or acts_on_demand or appeal:
            governor[i + 1] = found_cues[i]
        elif found_cues[i].cls == cues.DEMAND and CONTENT_SUBJECT.match(between):
            governor[i + 1] = found_cues[i]
            content_clause.add(i + 1)
    governors = {id(g) for g in governor.values()}
    previous_holders: list[Mention] = []
    for i, cue in enumerate(found_cues):
        if id(cue) in governors or hypothetical(text, cue.start) or plan_content(text, cue.start):
            continue
        if (
            stance.permission(text, cue.start, cue.cls)
            and frame_at(unit.frames, cue.start) is None
            and unit.speaker is None
        ):
            continue  # "under EU rules, the commission can accept ...": a rule, not a stance
        if cue.cls in (cues.RETREAT, cues.SUSPEND) and _PASSIVE_REMOVAL.search(text[: cue.start]):
            continue  # "called for the duties to be dropped": read with "called for"
        if cue.cls == cues.INTENSIFY:
            for h in find_holders(text, cue.start, cue.end, None, unit):
                if h.actor:
                    shifts[h.actor] = "firmer"
            continue
        gov = governor.get(i)
        while gov is not None and found_cues.index(gov) in governor:
            gov = governor[found_cues.index(gov)]  # the outermost governor holds the stance
        cls = stance.chain(gov.cls, cue.cls) if gov else cue.cls
        if gov is not None and APPEAL_CUE.match(gov.text) and cls in cues.POSITIVE_CLASSES:
            cls = cues.DEMAND  # "urged Boeing to accept the offer": the urger's demand
        if i in content_clause and cls in cues.POSITIVE_CLASSES:
            cls = cues.DEMAND  # "insists that Israel commit to X": the insister demands X
        anchor = gov if gov else cue
        next_start = found_cues[i + 1].start if i + 1 < len(found_cues) else len(text)
        content = cls in (cues.PROPOSE, cues.DEMAND)
        object_how = "object"
        if cues.POSTNOMINAL.search(cue.text):
            objects, resolved = subject_issue(text, cue.start, issues), False
            object_how = "judged"
            if not objects and last_issues and anaphoric_subject(text, cue.start):
                objects, resolved = last_issues[:1], True
        else:
            subject = [m.end for m in unit.mentions if m.end <= cue.start and m.actor]
            gap = relative_gap(text, cue.start, cue.end, max(subject, default=None), issues)
            if gap is not None:
                objects, resolved, object_how = gap, False, "antecedent"
            else:
                objects, resolved = find_objects(
                    text, cue.end, next_start, issues, last_issues, content
                )
        if not objects and cls in (cues.DEMAND, cues.ACCEPT):
            objects, object_how = means_object(text, cue.end, issues), "means"
        if not objects and gov is not None:
            objects = asks_as_package(gov.text, cue.text, cue.end, package)
            object_how = "package"
            if objects:
                cls = gov.cls  # giving in to the demands accepts them
        owner = possessor(text, anchor.start, unit.mentions)
        claimant = None
        judged_by = judge(text, cue, unit) if cues.POSTNOMINAL.search(cue.text) else []
        holder_how = "judge" if judged_by else ""
        if judged_by:
            holders = judged_by  # "the offer was unacceptable", the office said: the speaker's
        elif owner is not None:
            holders, holder_how = [owner], "owner"  # "its demand for", "Israel's refusal to"
            claimant = claimant_of(text, owner, unit.mentions)
        elif previous_holders and _VP_COORDINATION.search(text[: anchor.start]):
            holders = previous_holders  # "welcomed X ..., and called for Y": same subject
            holder_how = "coordinated"
        else:
            holders = find_holders(text, anchor.start, anchor.end, cue, unit)
        both = BOTH_SIDES.search(text, max(0, anchor.start - 50), anchor.start)
        if both is not None:
            # "said both parties might build toward an accord": the sides' course, not the
            # speaker's own stance (nor one side's).
            holders = [h for h in holders if both.start() <= h.start < anchor.start]
        appeal_span = appeal_at(text, anchor.start, unit)
        if appeal_span is not None:
            content_start, callers = appeal_span
            if not text[content_start : anchor.start].strip() and cls in cues.POSITIVE_CLASSES:
                # "pressed both sides to accept the framework": the caller's demand.
                holders = [h for h in holders if h.actor in callers]
                cls = cues.DEMAND
            else:
                # "we ask Boeing ... by presenting a contract", "called on Israel's leaders to
                # be firm in their commitment": what the addressees are asked to do further on
                # is no stance of theirs, nor of the caller before the appeal; only a caller
                # named inside the content keeps its own words.
                holders = [h for h in holders if h.start >= content_start and h.actor in callers]
        if not holders:
            continue
        co_authors = document_co_authors(holders, unit, anchor.start)
        if co_authors:
            holders = with_co_authors(holders, co_authors)
        told = told_to(text, anchor.start, unit, holders)
        if told is not None:
            # "Iran must halt enrichment, the US envoy said": what one side says another must do
            # is the speaker's demand, not the other side's stance.
            holders, holder_how = [told], "speaker of a 'must' about another actor"
            if cls in cues.POSITIVE_CLASSES:
                cls = cues.DEMAND
        previous_holders = holders
        if cls == cues.DEMAND and WISH.match(cue.text) and shared_by_both(text, holders):
            # "both the company and the union want to end the strike": a shared aim
            claimed.update(o.start for o in objects)
            continue
        if stance.pending(text, anchor.start):
            continue  # "the Kremlin has not yet accepted such a meeting": undecided
        negation = stance.negation_before(text, anchor.start)
        if gov is not None and negation is None:
            negation = stance.negation_before(text, cue.start, window=10)
        if not objects and cls in (cues.RETREAT, cues.ESCALATE):
            for h in holders:
                if h.actor:
                    shifts[h.actor] = "softer" if cls == cues.RETREAT else "firmer"
            # "re-evaluating its role as a mediator": the move concerns the issue named next.
            later = [o for o in issues if (o.start >= cue.end and not o.laden) or o.laden]
            later = [o for o in later if o.start >= cue.end]
            if not later or any(f.holder.actor in shifts for f in found):
                continue
            objects, object_how = later[:1], "next"
        if not objects:
            continue
        hedge = stance.hedged(text, anchor.start, cue.end)
        if cue.text.lower() == "without":
            negation, hedge = None, False  # "there would be no deal without X": X demanded
        condition = stance.condition_after(text, objects[-1].end)
        if condition is not None and names_only(text, condition[1], objects, issues):
            condition = None  # "rejected the offer without a ratification vote": a manner
        partial = stance.partial_scope(text, objects[0].start, objects[-1].end)
        label, score = stance.resolve(
            cls, negation, hedge, condition[0] if condition else None, partial
        )
        shift = None if negation else {cues.RETREAT: "softer", cues.ESCALATE: "firmer"}.get(cls)
        cue_words = f"{gov.text} … {cue.text}" if gov else cue.text
        if resolved and object_how == "object":
            object_how = "earlier"
        if negation == "nolonger" and cls in cues.POSITIVE_CLASSES:
            shift = "softer"
        for obj in objects:
            claimed.add(obj.start)
            objects_seen.append(obj)
            polarity = obj.polarity
            head_end = min((i.start for i in issues if i.start >= cue.end), default=cue.end)
            if INNER_NEGATION.search(text[cue.end : min(obj.start, head_end)]):
                polarity = -polarity  # "would not agree to any deal that does not end the war"
            if obj.start > cue.end and removal(text, cue.end, obj):
                polarity = -polarity  # "called for the duties to be dropped"
            elif obj.start < cue.end and anaphor_removed(text, cue.end):
                polarity = -polarity  # "demanding that they be scrapped"
            obj_label, obj_score = polarised(label, score, polarity)
            if polarity < 0 and label == "open" and cue.text.lower().startswith("threat"):
                # "threatened the Front with an end to the truce": a hedged lean against it
                obj_label, obj_score = "reject", -0.5
            amount, earlier = amounts(text, obj)
            moved = shift
            if moved is None and negation is None and cls in cues.POSITIVE_CLASSES:
                # "offered a 30% raise, up from 25%": a better offer by amount gives ground.
                moved = amount_direction(
                    amount, earlier, giving=cls != cues.DEMAND, imposed=obj.issue in imposed
                )
            for h in holders:
                found.append(
                    Found(
                        h,
                        obj,
                        obj_label,
                        obj_score,
                        anchor.start,
                        moved,
                        hedge,
                        condition,
                        resolved or h.resolved,
                        cue_words,
                        cls,
                        "co_author" if any(h is a for a in co_authors) else holder_how,
                        object_how,
                        negation,
                        partial,
                        claimant=claimant,
                        supposed=supposed(text, h, anchor.start),
                        counterpart=counterparts(text, obj, h, unit.mentions),
                        fresh_offer=fresh_offer(text, obj) or under_review(cue.text),
                        amount=amount,
                        offer=offer_names(text, obj, unit.mentions, h.actor),
                    )
                )
        if condition is not None and label == "reject_unless":
            # "will not release anyone unless a permanent ceasefire is guaranteed": what the
            # condition asks for is the holder's demand.
            where = text.find(condition[1], objects[-1].end)
            for obj in issues:
                if where >= 0 and obj.start >= where and obj.start not in claimed:
                    claimed.add(obj.start)
                    found += [
                        Found(
                            h,
                            obj,
                            *polarised("demand", 1.0, obj.polarity),
                            obj.start,
                            shift,
                            hedge,
                            None,
                            h.resolved,
                            condition[1],
                            "condition",
                            holder_how,
                            "condition",
                        )
                        for h in holders
                    ]
    for obj in issues:
        if obj.start in claimed:
            continue
        implicit = implicit_stances(text, obj, unit)
        for f in implicit:
            f.amount, earlier = amounts(text, obj)
            if f.shift is None and f.negation is None and f.score > 0:
                f.shift = amount_direction(
                    f.amount, earlier, giving=f.label != "demand", imposed=obj.issue in imposed
                )
        if implicit:
            found += implicit
            objects_seen.append(obj)
    if unit.conditioned_by_next:
        # "Israel is ready to end this war. The conditions are known: ...": a yes whose
        # conditions follow at once is a conditional yes.
        for f in found:
            if f.label in ("accept", "commit") and f.condition is None:
                f.label, f.score = "accept_if", 0.5
                f.condition = ("only", unit.conditioned_by_next)
    found += turned_around(text, found)
    for f in found:
        if f.shift is None and f.holder.actor in shifts:
            f.shift = shifts[f.holder.actor]
    return found, objects_seen or [i for i in issues if not i.laden]


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)
