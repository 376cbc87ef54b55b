"""The only DuckDB code: connection, migrations, batch writes and queries, re-exported here."""

from stancewatch.store.connection import open_db, transaction
from stancewatch.store.entries import add_entries, entry_attempts, mark_entries, pending_entries
from stancewatch.store.feeds import feed_states, record_feed_poll, sync_feeds
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
from stancewatch.store.writes import (
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
    "mark_entries",
    "migrate",
    "open_db",
    "pending_entries",
    "record_feed_poll",
    "save_baseline",
    "schema_version",
    "start_run",
    "stored_articles",
    "sync_feeds",
    "transaction",
]
