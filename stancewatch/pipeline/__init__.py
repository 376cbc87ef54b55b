"""Pipeline: plain-Python wiring of the stages (no Prefect): one ordered list of a pass's steps.

`run_monitor` runs `STEPS` in order; `flows/monitor.py` wraps the same steps as Prefect tasks.
"""

from stancewatch.ingest import disabled_feeds_warning
from stancewatch.pipeline.edits import RecheckOutcome, recheck_edits
from stancewatch.pipeline.events import (
    EventsOutcome,
    export_reviews,
    grade_against_current,
    group_events,
    review_event,
    update_events,
    write_timeline,
)
from stancewatch.pipeline.rescore import rescore
from stancewatch.pipeline.runs import (
    begin_run,
    fail_run,
    record_polls,
    record_results,
    run_lock,
    save_analyses,
    start_fetch_attempts,
)
from stancewatch.pipeline.steps import (
    STEPS,
    MonitorRun,
    Step,
    load_inputs,
    run_monitor,
    start_monitor,
    step_batches,
)
from stancewatch.pipeline.work import (
    Analysis,
    FeedPoll,
    PageOutcome,
    Progress,
    WorkQueue,
    analyse_articles,
    describe_failure,
    fetch_page,
    fetch_pages,
    is_transient,
    new_run,
    poll_feed,
    poll_feeds,
)

__all__ = [
    "STEPS",
    "Analysis",
    "EventsOutcome",
    "FeedPoll",
    "MonitorRun",
    "PageOutcome",
    "Progress",
    "RecheckOutcome",
    "Step",
    "WorkQueue",
    "analyse_articles",
    "begin_run",
    "describe_failure",
    "disabled_feeds_warning",
    "export_reviews",
    "fail_run",
    "fetch_page",
    "fetch_pages",
    "grade_against_current",
    "group_events",
    "is_transient",
    "load_inputs",
    "new_run",
    "poll_feed",
    "poll_feeds",
    "recheck_edits",
    "record_polls",
    "record_results",
    "rescore",
    "review_event",
    "run_lock",
    "run_monitor",
    "save_analyses",
    "start_fetch_attempts",
    "start_monitor",
    "step_batches",
    "update_events",
    "write_timeline",
]
