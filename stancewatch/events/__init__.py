"""Events: story clusters, position events and the HTML timeline; pure, no I/O.

Stories group near-duplicate articles (wire copy under other headlines); events group the
changes that state the same move. The pipeline feeds them stored rows and writes what they
decide; the timeline renders stored events as one self-contained HTML page.
"""

from stancewatch.events.grouping import (
    DEFAULT_WINDOW,
    EVENT_STATUSES,
    MOVE_KINDS,
    ChangeItem,
    EventDraft,
    Grouping,
    group_changes,
)
from stancewatch.events.stories import (
    SAME_STORY_SIMILARITY,
    StoryIndex,
    StoryMatch,
    cluster,
    signature,
    similarity,
)
from stancewatch.events.timeline import render_timeline

__all__ = [
    "DEFAULT_WINDOW",
    "EVENT_STATUSES",
    "MOVE_KINDS",
    "SAME_STORY_SIMILARITY",
    "ChangeItem",
    "EventDraft",
    "Grouping",
    "StoryIndex",
    "StoryMatch",
    "cluster",
    "group_changes",
    "render_timeline",
    "signature",
    "similarity",
]
