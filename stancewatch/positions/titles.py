"""Spelling variants of office titles, so one declaration covers the ways news writes it.

"minister of commerce" is also written "commerce minister", and the office behind it speaks as
"the commerce ministry" or "a commerce ministry spokesperson". A watchlist declares one form;
the others are generated here from general English word order, never from a topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stancewatch.models import Actor
from stancewatch.positions.terms import normalise

# Offices held by a person, with the body that speaks for the same office.
PERSON_OFFICES = {
    "minister": "ministry",
    "secretary": "department",
    "spokesperson": None,
    "spokesman": None,
    "spokeswoman": None,
    "commissioner": None,
    "ambassador": "embassy",
    "envoy": None,
    "negotiator": None,
}
# Bodies that speak through spokespeople.
BODIES = ("ministry", "department", "office", "agency", "commission")
SPOKESPEOPLE = ("spokesperson", "spokesman", "spokeswoman")

# Fixed compounds whose words must not be reordered or turned into a body.
_FIXED = frozenset(
    {
        "prime minister",
        "secretary of state",
        "secretary general",
        "secretary-general",
        "attorney general",
        "minister without portfolio",
        "chief minister",
        "first minister",
        "deputy prime minister",
    }
)

# Words before an office that say who holds it, not what it is.
_MODIFIERS = frozenset(
    {"acting", "deputy", "former", "special", "chief", "senior", "top", "vice", "assistant", "new"}
)

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_OF_FORM = re.compile(r"^(?P<head>[a-z]+) (?:of|for) (?:the )?(?P<domain>[a-z][a-z ]*[a-z])$")
_COMPOUND_FORM = re.compile(r"^(?P<domain>[a-z][a-z ]*[a-z]) (?P<head>[a-z]+)$")


def _parts(phrase: str) -> tuple[str, str, str] | None:
    """(head, domain, form) of an office phrase, or None when it is not one we can vary."""
    bare = _ARTICLE.sub("", phrase.strip())
    if bare != bare.lower() or bare in _FIXED or any(bare.endswith(f) for f in _FIXED):
        return None  # names with capitals ("Minister of Commerce Wang") are kept as written
    match = _OF_FORM.match(bare)
    if match and (match.group("head") in PERSON_OFFICES or match.group("head") in BODIES):
        return match.group("head"), match.group("domain"), "of"
    match = _COMPOUND_FORM.match(bare)
    if (
        match
        and (match.group("head") in PERSON_OFFICES or match.group("head") in BODIES)
        and len(match.group("domain").split()) <= 2
    ):
        return match.group("head"), match.group("domain"), "compound"
    return None


def _spellings(head: str, domain: str, form: str) -> list[str]:
    """The compound order ("commerce minister") from either form, the "of" order only when it
    was declared (the compound's first word may be an adjective: "foreign minister"), each also
    in title case ("Commerce Minister Wang said")."""
    forms = [f"{domain} {head}"] + ([f"{head} of {domain}"] if form == "of" else [])
    titled = [
        " ".join(w if w in ("of", "for") else w.capitalize() for w in f.split()) for f in forms
    ]
    return forms + titled


def title_variants(title: str) -> list[str]:
    """More spellings of a person's title: "minister of commerce" gives "commerce minister",
    "Commerce Minister" and "Minister of Commerce"."""
    parts = _parts(title)
    if parts is None or parts[0] not in PERSON_OFFICES:
        return []
    return _spellings(*parts)


def body_of(title: str) -> str | None:
    """The body behind a person's office: "minister of commerce" → "commerce ministry"."""
    parts = _parts(title)
    if parts is None or PERSON_OFFICES.get(parts[0]) is None:
        return None
    return f"{parts[1]} {PERSON_OFFICES[parts[0]]}"


def body_variants(role: str) -> list[str]:
    """A body's other spellings and its spokespeople: "the ministry of commerce" gives
    "commerce ministry", "Commerce Ministry", "commerce ministry spokesperson",
    "commerce ministry's spokesperson", "spokesperson for the commerce ministry", ..."""
    parts = _parts(role)
    if parts is None or parts[0] not in BODIES:
        return []
    head, domain, form = parts
    out = _spellings(head, domain, form)
    for spokesperson in SPOKESPEOPLE:
        out += [
            f"{domain} {head} {spokesperson}",
            f"{domain} {head}'s {spokesperson}",
            f"{spokesperson} for the {domain} {head}",
        ]
    return out


def qualified_bodies(body: str, adjectives: Sequence[str]) -> list[str]:
    """A body named with its actor's adjective ("Chinese commerce ministry" and its
    spokespeople): bare "commerce ministry" could be any country's."""
    if body.split()[0] in _MODIFIERS:
        return []  # "acting labor secretary": the office is the labor department
    titled = " ".join(w.capitalize() for w in body.split())
    out: list[str] = []
    for adjective in adjectives:
        for spelling in (body, titled):
            out.append(f"{adjective} {spelling}")
            out += [f"{adjective} {spelling} {spokesperson}" for spokesperson in SPOKESPEOPLE]
    return out


def office_spellings(actors: Sequence[Actor]) -> dict[str, list[tuple[str, str | None, str]]]:
    """Generated spellings per actor id: (spelling, person or None, "title" or "role").

    A person's title declared as "minister of commerce" adds "commerce minister" (and their
    capitalised forms) as titles, and "Chinese commerce ministry" (with each of the actor's
    adjectives) and its spokespeople as roles; a declared body adds its other spellings and its
    spokespeople. A spelling another actor declares, or that two actors would both get, is
    left out: it would name the wrong actor. The watchlist itself stays as declared, so story
    scope and {actor} placeholders are not widened.
    """
    declared: dict[str, set[str]] = {}
    for actor in actors:
        names = [actor.name, *actor.aliases, *actor.roles, *actor.adjectives]
        for person in actor.people:
            names += [person.name, *person.short, *person.titles]
        for name in names:
            declared.setdefault(normalise(name), set()).add(actor.id)
    generated: dict[str, list[tuple[str, str | None, str]]] = {}
    owners: dict[str, set[str]] = {}
    for actor in actors:
        found: list[tuple[str, str | None, str]] = []
        for role in actor.roles:
            found += [(v, None, "role") for v in body_variants(role)]
        for person in actor.people:
            for title in person.titles:
                if (parts := _parts(title)) is None or parts[2] != "of":
                    continue
                found += [(v, person.name, "title") for v in title_variants(title)]
                body = body_of(title)
                if body is not None:
                    found += [(v, None, "role") for v in qualified_bodies(body, actor.adjectives)]
        generated[actor.id] = found
        for spelling, _, _ in found:
            owners.setdefault(normalise(spelling), set()).add(actor.id)
    return {
        actor_id: [
            item
            for item in found
            if len(owners[normalise(item[0])]) == 1
            and declared.get(normalise(item[0]), {actor_id}) == {actor_id}
        ]
        for actor_id, found in generated.items()
    }
