"""The only DuckDB code: connection, migrations, batch writes and queries, re-exported here."""

from stancewatch.store.connection import open_db, transaction
from stancewatch.store.entries import add_entries, entry_attempts, mark_entries, pending_entries
from stancewatch.store.feeds import feed_states, record_feed_poll, sync_feeds
from stancewatch.store.lock import lock_holder, lock_path, run_lock
from stancewatch.store.migrations import LATEST_VERSION, MIGRATIONS, migrate, schema_version
from stancewatch.store.reads import (
    latest_positions,
    list_articles,
    list_changes,
    list_errors,
    list_feeds,
    list_runs,
    stored_articles,
)
from stancewatch.store.snapshot import publish_snapshot, read_path, snapshot_path
from stancewatch.store.writes import (
    abandon_stale_runs,
    add_articles,
    add_changes,
    add_item_errors,
    add_statements,
    delete_results_except,
    delete_results_for_version,
    finish_run,
    save_baseline,
    start_run,
)

__all__ = [
    "LATEST_VERSION",
    "MIGRATIONS",
    "abandon_stale_runs",
    "add_articles",
    "add_changes",
    "add_entries",
    "add_item_errors",
    "add_statements",
    "delete_results_except",
    "delete_results_for_version",
    "entry_attempts",
    "feed_states",
    "finish_run",
    "latest_positions",
    "list_articles",
    "list_changes",
    "list_errors",
    "list_feeds",
    "list_runs",
    "lock_holder",
    "lock_path",
    "mark_entries",
    "migrate",
    "open_db",
    "pending_entries",
    "publish_snapshot",
    "read_path",
    "record_feed_poll",
    "run_lock",
    "save_baseline",
    "schema_version",
    "snapshot_path",
    "start_run",
    "stored_articles",
    "sync_feeds",
    "transaction",
]
