"""Events: story clusters, position events and the HTML timeline; pure, no I/O.

Stories group near-duplicate articles (wire copy under other headlines); events group the
changes that state the same move. The pipeline feeds them stored rows and writes what they
decide; the timeline renders stored events as one self-contained HTML page. Each module is
imported on first use (start-up of commands that never group or render stays short).
"""

from typing import TYPE_CHECKING

from stancewatch.lazy import lazy_names

if TYPE_CHECKING:
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

__getattr__ = lazy_names(
    __name__,
    {
        "ChangeItem": "grouping",
        "DEFAULT_WINDOW": "grouping",
        "EVENT_STATUSES": "grouping",
        "EventDraft": "grouping",
        "Grouping": "grouping",
        "MOVE_KINDS": "grouping",
        "SAME_STORY_SIMILARITY": "stories",
        "StoryIndex": "stories",
        "StoryMatch": "stories",
        "cluster": "stories",
        "group_changes": "grouping",
        "render_timeline": "timeline",
        "signature": "stories",
        "similarity": "stories",
    },
)
