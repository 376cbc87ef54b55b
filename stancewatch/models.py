"""Frozen records passed between pipeline stages; no behaviour beyond small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

TextSource = Literal["page", "feed"]
Attribution = Literal["direct", "reported", "third_party"]
ChangeKind = Literal["reversal", "softening", "hardening", "reaffirmed", "new"]

# --- feeds and fetching ------------------------------------------------------------------


@dataclass(frozen=True)
class FeedConfig:
    """One entry of seeds/feeds.toml."""

    id: str
    url: str
    title: str | None = None
    tags: tuple[str, ...] = ()
    enabled: bool = True


@dataclass(frozen=True)
class FeedState:
    """What we remember about a feed between runs, for conditional GET and health."""

    feed_id: str
    etag: str | None = None
    last_modified: str | None = None
    consecutive_failures: int = 0
    next_poll_at: datetime | None = None  # backoff after failures: not polled before this
    disabled_reason: str | None = None  # set when health checks stopped polling the feed

    def due(self, now: datetime) -> bool:
        """Whether the feed should be polled at `now` (not disabled, not backing off)."""
        if self.disabled_reason is not None:
            return False
        return self.next_poll_at is None or self.next_poll_at <= now


@dataclass(frozen=True)
class FetchResult:
    """A completed HTTP exchange (2xx or 304); errors are raised, not returned."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    encoding: str | None = None  # from Content-Type or <meta charset>, if known
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class FeedEntry:
    """One item of a parsed feed, with the keys used to deduplicate it."""

    feed_id: str
    guid: str
    url: str
    canonical_url: str
    title: str | None
    published: datetime | None
    summary: str | None  # plain text or HTML as the feed gave it
    content: str | None  # full content (content:encoded / atom:content), if any
    content_hash: str  # hash of title + summary/content, the third dedup key
    updated: datetime | None = None  # when the feed says the entry was last changed


@dataclass(frozen=True)
class ParsedFeed:
    """The result of parsing one feed body."""

    feed_id: str
    title: str | None
    version: str | None
    entries: tuple[FeedEntry, ...]
    bozo_reason: str | None = None  # set when feedparser flagged the feed but it was usable
    skipped_entries: tuple[str, ...] = ()  # reasons for entries dropped (no link, bad URL)


# --- articles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtractedPage:
    """What trafilatura found in one HTML page."""

    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str | None = None


@dataclass(frozen=True)
class Article:
    """Clean text of one article and how we obtained it."""

    url: str
    canonical_url: str
    feed_id: str | None
    guid: str | None
    title: str | None
    author: str | None
    published: datetime | None
    language: str | None
    text: str
    text_source: TextSource
    content_hash: str  # of the entry (dedup key carried from the feed), or of the text
    http_status: int | None = None
    extract_note: str | None = None  # why the feed fallback was used, if it was


# --- watchlist (the topic: actors, issues, scope) -------------------------------------------

ActorKind = Literal["state", "group"]
OverrideAction = Literal["set", "drop"]

#: Stance labels with their place on an issue's scale (-1 against .. +1 for the issue).
STANCE_SCORES: dict[str, float] = {
    "reject": -1.0,
    "reject_unless": -0.5,
    "reject_partial": -0.5,
    "open": 0.0,
    "retreat": 0.0,
    "shift": 0.0,
    "accept_if": 0.5,
    "accept_partial": 0.5,
    "accept": 1.0,
    "support": 1.0,
    "demand": 1.0,
    "propose": 1.0,
    "commit": 1.0,
    "mediate": 1.0,
}


@dataclass(frozen=True)
class Person:
    """Someone who speaks for an actor: full name, short forms, titles used as references."""

    name: str
    short: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # "the prime minister": refers back to the latest such person
    role: str | None = None


@dataclass(frozen=True)
class Actor:
    """A party whose stated positions we track, with every way the news names it."""

    id: str
    name: str
    kind: ActorKind = "state"
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Issue:
    """A question actors take sides on, with the vocabulary that names it."""

    id: str
    label: str
    terms: tuple[str, ...]
    support: tuple[str, ...] = ()  # phrases that state support without any stance cue
    oppose: tuple[str, ...] = ()  # phrases that state opposition without any stance cue
    # Which answer to the issue gives ground: "yes" for a deal or a withdrawal, "no" for a
    # measure one side imposes (tariffs, sanctions, a strike), where lifting it is the concession.
    concession: str = "yes"


@dataclass(frozen=True)
class Scope:
    """Terms that place a sentence inside this story or inside another one."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Watchlist:
    """One topic: its actors, issues and scope, as loaded from seeds/watchlist.toml."""

    topic_id: str
    topic_label: str
    scope: Scope
    actors: tuple[Actor, ...]
    issues: tuple[Issue, ...]
    path: str = ""

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def issue(self, issue_id: str) -> Issue | None:
        return next((i for i in self.issues if i.id == issue_id), None)


@dataclass(frozen=True)
class Override:
    """An analyst's correction of the extracted baseline for one actor and issue."""

    actor: str
    issue: str
    action: OverrideAction
    stance: str | None = None
    score: float | None = None
    text: str | None = None  # shown as the baseline's sentence; defaults to a note
    note: str | None = None


# --- positions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementTrace:
    """How the reader arrived at one statement, in words; filled only when asked to explain."""

    holder: str  # the words that name the holder in the sentence ("he", "Netanyahu")
    holder_how: str  # how the holder was found ("pronoun 'he' → Netanyahu, an earlier sentence")
    attribution_why: str  # why the attribution is what it is
    cue: str  # the words that state the stance ("refused … accept", "will not")
    cue_how: str  # what kind of cue it is ("stance verb: reject", "modal 'will'")
    object: str  # the words that name the issue
    object_how: str  # how the issue was found ("named after the cue", "'it': named before")
    negation: str | None  # "not", "no longer", or None
    partial: bool  # the object is limited in scope ("a phased withdrawal")
    recap: str  # the background decision and its reason


@dataclass(frozen=True)
class Statement:
    """One stated position found in a text: whose, on what, which way, and how we know."""

    actor: str
    issue: str
    stance: str  # label on the issue's ordered scale, e.g. "reject", "accept_if", "demand"
    score: float  # the stance's place on that scale, -1.0 (reject) .. +1.0 (accept/demand)
    attribution: Attribution
    sentence: str
    sentence_index: int
    source: str | None = None  # who uttered it, if not the actor itself ("Blinken", "sources")
    modality: str | None = None  # "hedged", "conditional", ... or None when plain
    condition: str | None = None  # the condition's text ("before the final release ...")
    background: bool = False  # a recap of an old position rather than news
    shift: str | None = None  # "softer" / "firmer" when the text itself says the stance moved
    headline: bool = False  # found in the title: a weak statement the body should confirm
    resolved: bool = False  # holder or issue found by reference (pronoun, earlier sentence)
    # the object is another actor's offer or reply ("rejected Hamas's response"): a stance on the
    # counterpart's terms, not on the deal itself
    counterpart: bool = False
    # the object is an offer the text calls new or different ("accepted a new proposal"): not
    # the offer a seed may have rejected
    fresh_offer: bool = False
    # the figure the object names, with its unit ("%", "$", ""): "a 30% raise" is (30.0, "%")
    amount: tuple[float, str] | None = None
    # what names the object apart from other offers: its points, date, kind or proposer
    # ("numbered:20-point", "by:united_states", "from:egypt"); see offers.conflicting_names
    offer: tuple[str, ...] = ()
    trace: StatementTrace | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class BaselinePosition:
    """A stated position from the seed documents: where things stood."""

    id: str
    actor: str
    issue: str
    stance: str
    score: float
    text: str  # the seed sentence
    seed_file: str
    attribution: Attribution = "direct"
    pinned: bool = False  # set or corrected by the analyst's overrides file
    # the seed rejected the other side's offer or reply ("dismissed Hamas's latest offer"): a
    # no to those terms, not to every deal
    counterpart: bool = False
    amount: tuple[float, str] | None = None  # the figure the position names ("a 25% raise")
    seed_date: date | None = None  # when the seed document was published, if it says
    seed_source: str | None = None  # where it was published, if it says


@dataclass(frozen=True)
class ChangeExplanation:
    """Why a change was graded as it was; filled only when asked to explain."""

    why: str  # which statement decided the pair and why it won
    factors: tuple[tuple[str, float], ...]  # the confidence's make-up, multiplied in order


@dataclass(frozen=True)
class Change:
    """A graded comparison of one article statement with the baseline."""

    actor: str
    issue: str
    kind: ChangeKind
    stance: str
    score: float
    evidence: str
    attribution: Attribution
    confidence: float
    baseline: BaselinePosition | None = None  # None for kind == "new"
    explanation: ChangeExplanation | None = field(default=None, compare=False, repr=False)

    @property
    def is_shift(self) -> bool:
        return self.kind in ("reversal", "softening", "hardening")


@dataclass(frozen=True)
class Comparison:
    """Everything the engine concluded about one text."""

    related: bool
    relatedness: float
    changes: tuple[Change, ...] = ()
    statements: tuple[Statement, ...] = ()
    # When explained: per statement (same order), what the comparison made of it.
    verdicts: tuple[str, ...] = ()


# --- runs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFailure:
    """A recorded per-item failure: the run went on without this item."""

    stage: str  # poll | parse | fetch | extract | compare | store
    url: str | None
    feed_id: str | None
    error_class: str
    message: str


@dataclass
class RunSummary:
    """Counts for one monitor run; mutable while the run builds it."""

    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    status: str = "running"  # running | ok | partial | failed | abandoned | crashed | cancelled
    flow_run_id: str | None = None  # the Prefect flow run that ran it, if any
    feeds_polled: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    entries_seen: int = 0
    entries_new: int = 0
    articles_stored: int = 0
    articles_from_feed: int = 0
    statements_stored: int = 0
    changes_stored: int = 0
    errors: list[ItemFailure] = field(default_factory=list)

    def copy(self) -> RunSummary:
        """An independent copy (its own error list), for steps that must not touch the original."""
        return replace(self, errors=list(self.errors))

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "status": self.status,
            "flow_run_id": self.flow_run_id,
            "feeds_polled": self.feeds_polled,
            "feeds_not_modified": self.feeds_not_modified,
            "feeds_failed": self.feeds_failed,
            "entries_seen": self.entries_seen,
            "entries_new": self.entries_new,
            "articles_stored": self.articles_stored,
            "articles_from_feed": self.articles_from_feed,
            "statements_stored": self.statements_stored,
            "changes_stored": self.changes_stored,
            "errors": len(self.errors),
        }
