"""latest_statements kept on write: per baseline version, actor and issue, the newest statement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stancewatch.store.staging import row_count

if TYPE_CHECKING:
    import duckdb

# What the actor says now: no background recap, no third party's claim. The newest is the
# latest stated, then the greatest article URL and sentence (the order latest_positions always
# used); the stance only breaks ties within one sentence, so the answer never depends on the
# order rows were written in.
_OWN = "NOT background AND attribution <> 'third_party'"
_NEWEST = """
    arg_max(
        struct_pack(stated_at, canonical_url, sentence_index, stance, score, attribution,
                    sentence),
        (stated_at, canonical_url, sentence_index, stance))
"""
_COLUMNS = "stated_at, canonical_url, sentence_index, stance, score, attribution, sentence"
_FROM_WINNER = ", ".join(f"w.{column.strip()}" for column in _COLUMNS.split(","))

#: Computes the table from every stored statement (migration 6 runs it once).
FILL_LATEST = f"""
    INSERT INTO latest_statements (baseline_version, actor, issue, {_COLUMNS})
    SELECT baseline_version, actor, issue, {_FROM_WINNER}
    FROM (
        SELECT baseline_version, actor, issue, {_NEWEST} AS w
        FROM statements
        WHERE {_OWN}
        GROUP BY baseline_version, actor, issue
    )
"""


def keep_latest(con: duckdb.DuckDBPyConnection, batch: str, baseline_version: str) -> None:
    """Fold a batch of stored statements (`batch`: a query of statements rows, which may use
    $version) into latest_statements: the batch's newest per actor and issue replaces the
    stored one only when it is newer, so the order of writes does not matter."""
    row_count(
        con,
        f"""
        INSERT INTO latest_statements AS l (baseline_version, actor, issue, {_COLUMNS})
        SELECT $version, actor, issue, {_FROM_WINNER}
        FROM (
            SELECT actor, issue, {_NEWEST} AS w
            FROM ({batch})
            WHERE {_OWN}
            GROUP BY actor, issue
        )
        ON CONFLICT (baseline_version, actor, issue) DO UPDATE SET
            stated_at = excluded.stated_at, canonical_url = excluded.canonical_url,
            sentence_index = excluded.sentence_index, stance = excluded.stance,
            score = excluded.score, attribution = excluded.attribution,
            sentence = excluded.sentence
        WHERE (excluded.stated_at, excluded.canonical_url, excluded.sentence_index,
               excluded.stance)
              > (l.stated_at, l.canonical_url, l.sentence_index, l.stance)
        """,
        {"version": baseline_version},
    )


def recompute_latest_of_article(
    con: duckdb.DuckDBPyConnection, canonical_url: str, baseline_version: str
) -> None:
    """After an article's statements were deleted: the pairs whose latest statement came from
    it are computed again from the statements that remain (a pair with none left goes)."""
    pairs = con.execute(
        """
        DELETE FROM latest_statements
        WHERE baseline_version = $version AND canonical_url = $url
        RETURNING actor, issue
        """,
        {"version": baseline_version, "url": canonical_url},
    ).fetchall()
    if not pairs:
        return
    row_count(
        con,
        f"""
        INSERT INTO latest_statements (baseline_version, actor, issue, {_COLUMNS})
        SELECT $version, actor, issue, {_FROM_WINNER}
        FROM (
            SELECT actor, issue, {_NEWEST} AS w
            FROM statements
            WHERE baseline_version = $version AND {_OWN}
              AND list_contains($pairs, struct_pack(actor, issue))
            GROUP BY actor, issue
        )
        """,
        {
            "version": baseline_version,
            "pairs": [{"actor": actor, "issue": issue} for actor, issue in pairs],
        },
    )
