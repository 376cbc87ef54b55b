"""Stories, position events, their review and the current positions: reads and writes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import duckdb

from stancewatch.store.reads import _rows as rows_of
from stancewatch.store.staging import FLOAT, INT, INT_LIST, TEXT, row_count, staged, utc

_CURRENT = """
    coalesce((SELECT baseline_version FROM baseline_versions
              ORDER BY last_saved_at DESC, baseline_version DESC LIMIT 1), c.baseline_version)
"""
_STORY_COLUMNS = {
    "canonical_url": TEXT,
    "story_id": TEXT,
    "similarity": FLOAT,
    "signature": INT_LIST,
}
_LINK_COLUMNS = {"change_id": INT, "event_id": INT}
_GRADE_COLUMNS = {
    "change_id": INT,
    "current_stance": TEXT,
    "current_kind": TEXT,
    "current_event_id": INT,
}


# --- stories ---------------------------------------------------------------------------------


def story_signatures(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, list[int]]]:
    """(canonical URL, story id, signature) of every grouped article, oldest first."""
    rows = con.execute(
        """
        SELECT s.canonical_url, s.story_id, s.signature
        FROM stories AS s LEFT JOIN articles AS a USING (canonical_url)
        ORDER BY coalesce(a.published, a.fetched_at, s.grouped_at), s.canonical_url
        """
    ).fetchall()
    return [(url, story, list(sig)) for url, story, sig in rows]


def events_pending(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether grouping has anything to do: an article in no story, a current-version change
    never graded against the current position, or a move in no event."""
    rows = con.execute(
        f"""
        SELECT EXISTS (
                   SELECT 1 FROM articles AS a
                   WHERE NOT EXISTS (SELECT 1 FROM stories AS s
                                     WHERE s.canonical_url = a.canonical_url))
            OR EXISTS (
                   SELECT 1 FROM changes AS c
                   WHERE c.baseline_version = {_CURRENT}
                     AND (c.current_kind IS NULL
                          OR (c.kind <> 'reaffirmed' AND c.withdrawn_at IS NULL
                              AND NOT EXISTS (SELECT 1 FROM event_changes AS ec
                                              WHERE ec.change_id = c.id))))
        """
    ).fetchall()
    return bool(rows[0][0])


def ungrouped_articles(
    con: duckdb.DuckDBPyConnection, *, chunk: int = 256
) -> Iterator[tuple[str, str]]:
    """(canonical URL, text) of stored articles not yet in a story, oldest first.

    Read `chunk` rows at a time: after a run of 5,000 pages, fetching every text at once
    held ~100 MB more in the run's process than the texts' own 22 MB. Run no other query on
    `con` until the iteration ends (it would end this one).
    """
    result = con.execute(
        """
        SELECT a.canonical_url, a.text
        FROM articles AS a
        WHERE NOT EXISTS (SELECT 1 FROM stories AS s WHERE s.canonical_url = a.canonical_url)
        ORDER BY coalesce(a.published, a.fetched_at), a.id
        """
    )
    while rows := result.fetchmany(chunk):
        yield from rows


def save_stories(
    con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, float, Sequence[int]]]
) -> int:
    """Store (canonical URL, story id, similarity, signature) for articles not grouped yet."""
    values = [(url, story, sim, list(sig)) for url, story, sim, sig in rows]
    with staged(con, _STORY_COLUMNS, values) as stage:
        return row_count(
            con,
            f"""
            INSERT INTO stories (canonical_url, story_id, similarity, signature, grouped_at)
            SELECT s.canonical_url, s.story_id, s.similarity, s.signature, now()
            FROM {stage} AS s
            WHERE NOT EXISTS (SELECT 1 FROM stories AS t WHERE t.canonical_url = s.canonical_url)
            """,
        )


def forget_story(con: duckdb.DuckDBPyConnection, canonical_url: str) -> None:
    """Drop an article's story membership (its text changed: it is grouped again)."""
    row_count(con, "DELETE FROM stories WHERE canonical_url = ?", [canonical_url])


def list_stories(
    con: duckdb.DuckDBPyConnection, *, min_articles: int = 1, limit: int = 100
) -> list[dict[str, Any]]:
    """Stories with their articles and outlets, newest first."""
    return rows_of(
        con,
        "SELECT * FROM story_groups WHERE articles >= $min LIMIT $limit",
        {"min": min_articles, "limit": max(limit, 0)},
    )


# --- grouping changes into events ------------------------------------------------------------


def ungrouped_changes(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Moves (not reaffirmations) of the current baseline version not yet in an event."""
    return rows_of(
        con,
        f"""
        SELECT c.id AS change_id, c.canonical_url, c.actor, c.issue, c.kind, c.stance, c.score,
               c.baseline_stance, c.evidence, c.confidence,
               coalesce(a.published, a.fetched_at, c.detected_at) AS stated_at
        FROM changes AS c
        LEFT JOIN articles AS a USING (canonical_url)
        WHERE c.baseline_version = {_CURRENT} AND c.kind <> 'reaffirmed'
          AND c.withdrawn_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM event_changes AS ec WHERE ec.change_id = c.id)
        ORDER BY stated_at, c.id
        """,
    )


def stored_events(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every event with the range of its sightings (over all baseline versions)."""
    return rows_of(
        con,
        """
        SELECT e.id, e.actor, e.issue, e.kind, e.stance, e.score, e.reference_stance,
               e.status,
               min(coalesce(a.published, a.fetched_at, c.detected_at)) AS first_seen,
               max(coalesce(a.published, a.fetched_at, c.detected_at)) AS last_seen
        FROM events AS e
        JOIN event_changes AS ec ON ec.event_id = e.id
        JOIN changes AS c ON c.id = ec.change_id
        LEFT JOIN articles AS a ON a.canonical_url = c.canonical_url
        GROUP BY ALL
        ORDER BY e.id
        """,
    )


def remembered_evidence(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str, str], int]:
    """(article, actor, issue, evidence sentence) -> the event it was linked to."""
    rows = con.execute(
        "SELECT canonical_url, actor, issue, evidence, max(event_id) FROM event_changes "
        "GROUP BY ALL"
    ).fetchall()
    return {
        (url, actor, issue, sentence): int(event) for url, actor, issue, sentence, event in rows
    }


def create_events(
    con: duckdb.DuckDBPyConnection,
    drafts: Sequence[tuple[str, str, str, str, float, str | None]],
    run_id: str | None,
) -> list[int]:
    """Insert events given as (actor, issue, kind, stance, score, reference stance); returns
    their new ids in the same order (a run makes a handful, so one INSERT each is fine)."""
    ids: list[int] = []
    for actor, issue, kind, stance, score, reference in drafts:
        rows = con.execute(
            """
            INSERT INTO events (actor, issue, kind, stance, score, reference_stance,
                                created_at, run_id)
            VALUES (?, ?, ?, ?, ?, ?, now(), ?)
            RETURNING id
            """,
            [actor, issue, kind, stance, score, reference, run_id],
        ).fetchall()
        ids.append(int(rows[0][0]))
    return ids


def link_changes(con: duckdb.DuckDBPyConnection, links: Mapping[int, int]) -> int:
    """Put changes (change id -> event id) in their events; a linked change stays where it is."""
    with staged(con, _LINK_COLUMNS, list(links.items())) as stage:
        return row_count(
            con,
            f"""
            INSERT INTO event_changes
                (change_id, event_id, canonical_url, actor, issue, evidence, linked_at)
            SELECT c.id, s.event_id, c.canonical_url, c.actor, c.issue, c.evidence, now()
            FROM {stage} AS s JOIN changes AS c ON c.id = s.change_id
            WHERE NOT EXISTS (SELECT 1 FROM event_changes AS ec WHERE ec.change_id = c.id)
            """,
        )


# --- review ----------------------------------------------------------------------------------


def review_event(
    con: duckdb.DuckDBPyConnection,
    event_id: int,
    status: str,
    *,
    by: str,
    note: str | None,
    at: datetime,
) -> bool:
    """Set an event's review status; False when no such event exists."""
    return (
        row_count(
            con,
            """
            UPDATE events SET status = ?, reviewed_by = ?, reviewed_at = ?, note = ?
            WHERE id = ?
            """,
            [status, by, at, note, event_id],
        )
        > 0
    )


def list_events(
    con: duckdb.DuckDBPyConnection,
    *,
    since: datetime | None = None,
    actor: str | None = None,
    status: str | None = None,
    event_id: int | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Position events (with their sources), most recently seen first."""
    clauses, params = [], {}
    for clause, name, value in (
        ("last_seen >= $since", "since", since),
        ("actor = $actor", "actor", actor),
        ("status = $status", "status", status),
        ("event_id = $event_id", "event_id", event_id),
    ):
        if value is not None:
            clauses.append(clause)
            params[name] = value
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = rows_of(
        con,
        f"SELECT * FROM position_events {where} "
        "ORDER BY last_seen DESC, event_id DESC LIMIT $limit",
        params | {"limit": max(limit, 0)},
    )
    for row in rows:
        for source in row.get("sources") or []:
            source["stated_at"] = utc(source.get("stated_at"))
    return rows


def current_positions(
    con: duckdb.DuckDBPyConnection, *, actor: str | None = None
) -> list[dict[str, Any]]:
    """Per actor and issue: the seed baseline moved by the latest confirmed event."""
    if actor is None:
        return rows_of(con, "SELECT * FROM current_positions")
    return rows_of(con, "SELECT * FROM current_positions WHERE actor = $a", {"a": actor})


def article_texts(
    con: duckdb.DuckDBPyConnection, canonical_urls: Sequence[str]
) -> dict[str, tuple[str | None, str]]:
    """canonical URL -> (title, text) of these stored articles."""
    rows = con.execute(
        "SELECT canonical_url, title, text FROM articles WHERE list_contains($urls, canonical_url)",
        {"urls": list(canonical_urls)},
    ).fetchall()
    return {url: (title, text) for url, title, text in rows}


# --- grading against the current position ----------------------------------------------------


def changes_to_grade(
    con: duckdb.DuckDBPyConnection, *, pairs: Sequence[tuple[str, str]] | None = None
) -> list[dict[str, Any]]:
    """Current-version changes to compare with the current position: those never compared,
    or every change of the given (actor, issue) pairs."""
    if pairs is None:
        condition = "c.current_kind IS NULL"
        params: dict[str, Any] = {}
    else:
        condition = "list_contains($pairs, c.actor || '/' || c.issue)"
        params = {"pairs": [f"{a}/{i}" for a, i in pairs]}
    return rows_of(
        con,
        f"""
        SELECT c.id AS change_id, c.actor, c.issue, c.kind, c.stance, c.score, c.attribution,
               c.evidence, c.baseline_stance, c.baseline_score
        FROM changes AS c
        WHERE c.baseline_version = {_CURRENT} AND {condition}
        ORDER BY c.id
        """,
        params,
    )


def save_grades(
    con: duckdb.DuckDBPyConnection, grades: Sequence[tuple[int, str | None, str, int | None]]
) -> int:
    """Store (change id, current stance, kind against it, confirmed event behind it)."""
    with staged(con, _GRADE_COLUMNS, list(grades)) as stage:
        return row_count(
            con,
            f"""
            UPDATE changes SET current_stance = s.current_stance,
                               current_kind = s.current_kind,
                               current_event_id = s.current_event_id
            FROM {stage} AS s WHERE changes.id = s.change_id
            """,
        )


# --- edits -----------------------------------------------------------------------------------


def withdraw_changes(
    con: duckdb.DuckDBPyConnection, change_ids: Sequence[int], reason: str, at: datetime
) -> int:
    """Mark changes withdrawn (their evidence left the article); they are kept."""
    with staged(con, {"change_id": INT}, [(i,) for i in change_ids]) as stage:
        return row_count(
            con,
            f"""
            UPDATE changes SET withdrawn_at = $at, withdrawn_reason = $reason
            FROM {stage} AS s
            WHERE changes.id = s.change_id AND changes.withdrawn_at IS NULL
            """,
            {"at": at, "reason": reason},
        )
