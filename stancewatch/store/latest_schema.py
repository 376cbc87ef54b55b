"""Schema of migration 6: statements' and changes' stated_at kept on write; latest_statements."""

from __future__ import annotations

# Reads that must not grow with history. Each statement and change keeps the time it was stated
# (its article's publication, else when it was stored: what the views computed by joining
# articles on every read), and the newest own statement per baseline version, actor and issue
# is kept in latest_statements as statements are written (store/latest.py). `positions` then
# reads a few dozen rows instead of ranking every statement ever stored, and `changes --since`
# filters a stored column instead of a joined expression.
_STATED_AT = (
    "ALTER TABLE statements ADD COLUMN stated_at TIMESTAMPTZ",
    """
    UPDATE statements SET stated_at = coalesce(a.published, statements.stored_at)
    FROM articles AS a
    WHERE a.canonical_url = statements.canonical_url
    """,
    "UPDATE statements SET stated_at = stored_at WHERE stated_at IS NULL",
    "ALTER TABLE changes ADD COLUMN stated_at TIMESTAMPTZ",
    """
    UPDATE changes SET stated_at = coalesce(a.published, a.fetched_at, changes.detected_at)
    FROM articles AS a
    WHERE a.canonical_url = changes.canonical_url
    """,
    "UPDATE changes SET stated_at = detected_at WHERE stated_at IS NULL",
    """
    CREATE TABLE latest_statements (
        baseline_version VARCHAR NOT NULL,
        actor            VARCHAR NOT NULL,
        issue            VARCHAR NOT NULL,
        stated_at        TIMESTAMPTZ NOT NULL,
        canonical_url    VARCHAR NOT NULL,
        sentence_index   INTEGER NOT NULL,
        stance           VARCHAR NOT NULL,
        score            DOUBLE NOT NULL,
        attribution      VARCHAR NOT NULL,
        sentence         VARCHAR NOT NULL,
        PRIMARY KEY (baseline_version, actor, issue)
    )
    """,
)


def recent_changes_select(source: str) -> str:
    """recent_changes' columns over `source` (a table or CTE of change rows, as `c`): the view
    reads every change; store.list_changes picks the rows it shows first and joins only
    those (at a million statements that is a third of the cost)."""
    return f"""
        SELECT
            c.detected_at,
            a.published,
            c.actor,
            c.issue,
            c.kind,
            c.baseline_stance,
            c.stance,
            c.confidence,
            c.evidence,
            c.baseline_text,
            c.attribution,
            a.title,
            coalesce(a.url, c.canonical_url) AS url,
            a.feed_id,
            c.baseline_version,
            c.stated_at,
            c.score,
            c.baseline_score,
            c.baseline_id,
            c.canonical_url,
            c.run_id,
            c.id AS change_id,
            coalesce(c.current_kind, c.kind) AS current_kind,
            coalesce(c.current_stance, c.baseline_stance) AS current_stance,
            c.current_event_id,
            ec.event_id,
            coalesce(s.story_id, c.canonical_url) AS story_id,
            c.withdrawn_at,
            c.withdrawn_reason
        FROM {source} AS c
        LEFT JOIN articles AS a ON a.canonical_url = c.canonical_url
        LEFT JOIN stories AS s ON s.canonical_url = c.canonical_url
        LEFT JOIN event_changes AS ec ON ec.change_id = c.id
    """


def latest_schema(current_version: str, fill_latest: str) -> tuple[str, ...]:
    """Migration 6's statements. `current_version` is the views' current-baseline SQL with a
    `{column}` placeholder (see migrations.py); `fill_latest` is the statement that computes
    latest_statements from every stored statement (store/latest.py owns that rule)."""
    changes_version = current_version.format(column="c.baseline_version")
    statements_version = current_version.format(column="s.baseline_version")
    latest_version = current_version.format(column="baseline_version")
    # Rebuilt from migration 3's views (events_schema.py): the same columns in the same order,
    # with stated_at read from the rows instead of computed through articles.
    views = (
        "DROP VIEW latest_positions",
        "DROP VIEW actor_timeline",
        "DROP VIEW recent_changes",
        f"""
        CREATE VIEW recent_changes AS
        {recent_changes_select("changes")}
        WHERE c.baseline_version = {changes_version}
        ORDER BY c.stated_at DESC, c.detected_at DESC, c.id DESC
        """,
        f"""
        CREATE VIEW actor_timeline AS
        SELECT
            s.stated_at,
            s.actor,
            s.issue,
            s.stance,
            s.score,
            s.attribution,
            s.background,
            s.sentence,
            s.source,
            s.modality,
            s.condition,
            a.title,
            coalesce(a.url, s.canonical_url) AS url,
            a.feed_id,
            s.canonical_url,
            s.sentence_index,
            s.baseline_version
        FROM statements AS s
        LEFT JOIN articles AS a USING (canonical_url)
        WHERE s.baseline_version = {statements_version}
        ORDER BY s.actor, s.stated_at, s.canonical_url, s.sentence_index
        """,
        f"""
        CREATE VIEW latest_positions AS
        WITH latest AS (
            SELECT *
            FROM latest_statements
            WHERE baseline_version = {latest_version}
        ),
        baseline AS (
            SELECT *
            FROM baseline_positions
            WHERE baseline_version = {latest_version}
            QUALIFY row_number() OVER (PARTITION BY actor, issue ORDER BY pinned DESC, id) = 1
        )
        SELECT
            coalesce(l.actor, b.actor) AS actor,
            coalesce(l.issue, b.issue) AS issue,
            l.stance,
            l.score,
            l.stated_at,
            l.sentence AS evidence,
            l.attribution,
            a.title,
            coalesce(a.url, l.canonical_url) AS url,
            b.stance AS baseline_stance,
            b.score AS baseline_score,
            b.text AS baseline_text,
            b.id AS baseline_id,
            coalesce(l.baseline_version, b.baseline_version) AS baseline_version
        FROM latest AS l
        FULL OUTER JOIN baseline AS b ON l.actor = b.actor AND l.issue = b.issue
        LEFT JOIN articles AS a ON a.canonical_url = l.canonical_url
        ORDER BY actor, issue
        """,
    )
    return (*_STATED_AT, fill_latest, *views)
