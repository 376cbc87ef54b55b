"""Edited articles: find recent ones whose feed entry changed, store their new text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from stancewatch.models import Article, FeedEntry
from stancewatch.store.latest import recompute_latest_of_article
from stancewatch.store.staging import TEXT, TIMESTAMP, row_count, staged


@dataclass(frozen=True)
class StoredPage:
    """What we kept of an article page, to fetch it again conditionally and to compare."""

    entry: FeedEntry  # the feed's new version of the entry
    text: str
    etag: str | None
    last_modified: str | None


_FINGERPRINT_COLUMNS = {"canonical_url": TEXT, "content_hash": TEXT, "updated": TIMESTAMP}


def edited_entries(
    con: duckdb.DuckDBPyConnection, entries: Sequence[FeedEntry], *, stored_since: datetime
) -> list[StoredPage]:
    """Entries of articles stored since `stored_since` whose content hash or updated date in
    the feed differs from what was stored: their page may have been edited."""
    by_url = {e.canonical_url: e for e in entries}
    rows = [(e.canonical_url, e.content_hash, e.updated) for e in by_url.values()]
    with staged(con, _FINGERPRINT_COLUMNS, rows) as stage:
        found = con.execute(
            f"""
            SELECT s.canonical_url, a.text, a.page_etag, a.page_last_modified
            FROM {stage} AS s
            JOIN entries AS e ON e.canonical_url = s.canonical_url
            JOIN articles AS a ON a.canonical_url = s.canonical_url
            WHERE a.fetched_at >= $since AND e.status = 'done'
              AND (e.content_hash <> s.content_hash
                   OR (s.updated IS NOT NULL AND e.updated IS DISTINCT FROM s.updated))
            ORDER BY s.canonical_url
            """,
            {"since": stored_since},
        ).fetchall()
    return [StoredPage(by_url[url], text, etag, modified) for url, text, etag, modified in found]


def save_revision(
    con: duckdb.DuckDBPyConnection,
    entry: FeedEntry,
    article: Article | None,
    *,
    etag: str | None,
    last_modified: str | None,
) -> None:
    """Remember the entry's new fingerprint and the page's validators; with `article`, its
    new text replaces the stored one (the revision is counted)."""
    row_count(
        con,
        """
        UPDATE entries SET content_hash = ?, updated = ?, title = ?, summary = ?, content = ?
        WHERE canonical_url = ?
        """,
        [
            entry.content_hash,
            entry.updated,
            entry.title,
            entry.summary,
            entry.content,
            entry.canonical_url,
        ],
    )
    row_count(
        con,
        "UPDATE articles SET page_etag = ?, page_last_modified = ? WHERE canonical_url = ?",
        [etag, last_modified, entry.canonical_url],
    )
    if article is None:
        return
    row_count(
        con,
        """
        UPDATE articles SET text = ?, title = ?, content_hash = ?, text_source = ?,
                            extract_note = ?, revised_at = now(), revisions = revisions + 1
        WHERE canonical_url = ?
        """,
        [
            article.text,
            article.title,
            article.content_hash,
            article.text_source,
            article.extract_note,
            entry.canonical_url,
        ],
    )


def forget_statements(
    con: duckdb.DuckDBPyConnection, canonical_url: str, baseline_version: str
) -> int:
    """Drop an article's statements of one baseline version (its text was replaced); the
    latest statements that came from it are computed again from what remains."""
    dropped = row_count(
        con,
        "DELETE FROM statements WHERE canonical_url = ? AND baseline_version = ?",
        [canonical_url, baseline_version],
    )
    recompute_latest_of_article(con, canonical_url, baseline_version)
    return dropped


def article_changes(
    con: duckdb.DuckDBPyConnection, canonical_url: str, baseline_version: str
) -> list[tuple[int, str, str, str, str]]:
    """(id, actor, issue, kind, evidence) of an article's live changes of one version."""
    rows = con.execute(
        """
        SELECT id, actor, issue, kind, evidence FROM changes
        WHERE canonical_url = ? AND baseline_version = ? AND withdrawn_at IS NULL
        ORDER BY id
        """,
        [canonical_url, baseline_version],
    ).fetchall()
    return [(int(i), actor, issue, kind, evidence) for i, actor, issue, kind, evidence in rows]


def restate_change(
    con: duckdb.DuckDBPyConnection,
    change_id: int,
    *,
    evidence: str,
    confidence: float,
    stance: str,
    score: float,
) -> None:
    """An edited article still states the same move in other words: keep the change (and its
    event link) with the new sentence."""
    row_count(
        con,
        "UPDATE changes SET evidence = ?, confidence = ?, stance = ?, score = ? WHERE id = ?",
        [evidence, confidence, stance, score, change_id],
    )
    row_count(
        con, "UPDATE event_changes SET evidence = ? WHERE change_id = ?", [evidence, change_id]
    )
