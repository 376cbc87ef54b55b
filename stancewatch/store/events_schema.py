"""Schema of migration 3: stories, position events and their review, edits, current positions."""

from __future__ import annotations

_TABLES = (
    """
    CREATE TABLE stories (
        canonical_url VARCHAR PRIMARY KEY,
        story_id      VARCHAR NOT NULL,
        similarity    DOUBLE NOT NULL,
        signature     BIGINT[] NOT NULL,
        grouped_at    TIMESTAMPTZ NOT NULL
    )
    """,
    "CREATE SEQUENCE events_id_seq START 1",
    """
    CREATE TABLE events (
        id               BIGINT PRIMARY KEY DEFAULT nextval('events_id_seq'),
        actor            VARCHAR NOT NULL,
        issue            VARCHAR NOT NULL,
        kind             VARCHAR NOT NULL,
        stance           VARCHAR NOT NULL,
        score            DOUBLE NOT NULL,
        reference_stance VARCHAR,
        status           VARCHAR NOT NULL DEFAULT 'unreviewed'
                         CHECK (status IN ('unreviewed', 'confirmed', 'dismissed')),
        reviewed_by      VARCHAR,
        reviewed_at      TIMESTAMPTZ,
        note             VARCHAR,
        created_at       TIMESTAMPTZ NOT NULL,
        run_id           VARCHAR
    )
    """,
    # The evidence key (article, actor, issue, sentence) outlives a change row: a rescore makes
    # new rows, and they rejoin the event their evidence was in.
    """
    CREATE TABLE event_changes (
        change_id     BIGINT PRIMARY KEY,
        event_id      BIGINT NOT NULL,
        canonical_url VARCHAR NOT NULL,
        actor         VARCHAR NOT NULL,
        issue         VARCHAR NOT NULL,
        evidence      VARCHAR NOT NULL,
        linked_at     TIMESTAMPTZ NOT NULL
    )
    """,
    # Compared with the current position (baseline plus confirmed events) as well as with the
    # seed baseline; a change whose sentence left its article on an edit is withdrawn, not deleted.
    "ALTER TABLE changes ADD COLUMN current_stance VARCHAR",
    "ALTER TABLE changes ADD COLUMN current_kind VARCHAR",
    "ALTER TABLE changes ADD COLUMN current_event_id BIGINT",
    "ALTER TABLE changes ADD COLUMN withdrawn_at TIMESTAMPTZ",
    "ALTER TABLE changes ADD COLUMN withdrawn_reason VARCHAR",
    "ALTER TABLE articles ADD COLUMN page_etag VARCHAR",
    "ALTER TABLE articles ADD COLUMN page_last_modified VARCHAR",
    "ALTER TABLE articles ADD COLUMN revised_at TIMESTAMPTZ",
    "ALTER TABLE articles ADD COLUMN revisions INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE entries ADD COLUMN updated TIMESTAMPTZ",
)


def events_schema(current_version: str) -> tuple[str, ...]:
    """Migration 3's statements; `current_version` is the SQL of the views' current baseline
    version with a `{column}` placeholder (see migrations.py)."""
    changes_version = current_version.format(column="c.baseline_version")
    baseline_version = current_version.format(column="baseline_version")
    views = (
        "DROP VIEW recent_changes",
        f"""
        CREATE VIEW recent_changes AS
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
            coalesce(a.published, a.fetched_at, c.detected_at) AS stated_at,
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
        FROM changes AS c
        LEFT JOIN articles AS a USING (canonical_url)
        LEFT JOIN stories AS s USING (canonical_url)
        LEFT JOIN event_changes AS ec ON ec.change_id = c.id
        WHERE c.baseline_version = {changes_version}
        ORDER BY stated_at DESC, c.detected_at DESC, c.id DESC
        """,
        """
        CREATE VIEW story_groups AS
        SELECT
            s.story_id,
            count(*) AS articles,
            count(DISTINCT a.feed_id) AS outlets,
            list(DISTINCT a.feed_id ORDER BY a.feed_id) AS outlet_ids,
            arg_min(a.title, coalesce(a.published, a.fetched_at)) AS first_title,
            min(coalesce(a.published, a.fetched_at)) AS first_published,
            list({'title': a.title, 'url': a.url, 'feed_id': a.feed_id,
                   'published': a.published, 'similarity': s.similarity}
                 ORDER BY coalesce(a.published, a.fetched_at), a.id) AS members
        FROM stories AS s
        JOIN articles AS a USING (canonical_url)
        GROUP BY s.story_id
        ORDER BY first_published DESC, s.story_id
        """,
        f"""
        CREATE VIEW position_events AS
        WITH members AS (
            SELECT
                ec.event_id,
                c.id AS change_id,
                c.kind,
                c.confidence,
                c.evidence,
                c.canonical_url,
                c.baseline_text,
                c.withdrawn_at,
                c.withdrawn_at IS NULL AS live,
                coalesce(a.published, a.fetched_at, c.detected_at) AS stated_at,
                coalesce(s.story_id, c.canonical_url) AS story_id,
                a.feed_id,
                coalesce(a.url, c.canonical_url) AS url,
                a.title
            FROM event_changes AS ec
            JOIN changes AS c ON c.id = ec.change_id
            LEFT JOIN articles AS a ON a.canonical_url = c.canonical_url
            LEFT JOIN stories AS s ON s.canonical_url = c.canonical_url
            WHERE c.baseline_version = {changes_version}
        )
        SELECT
            e.id AS event_id,
            e.actor,
            e.issue,
            e.kind,
            e.reference_stance AS baseline_stance,
            e.stance,
            e.score,
            e.status,
            count(*) FILTER (WHERE live) = 0 AS withdrawn,
            coalesce(min(m.stated_at) FILTER (WHERE live), min(m.stated_at)) AS first_seen,
            coalesce(max(m.stated_at) FILTER (WHERE live), max(m.stated_at)) AS last_seen,
            count(DISTINCT m.story_id) FILTER (WHERE live) AS stories,
            count(DISTINCT m.feed_id) FILTER (WHERE live) AS outlets,
            count(*) FILTER (WHERE live) AS articles,
            count(*) FILTER (WHERE NOT live) AS withdrawn_changes,
            max(m.confidence) FILTER (WHERE live) AS confidence,
            coalesce(arg_max(m.evidence, m.confidence) FILTER (WHERE live),
                     arg_max(m.evidence, m.confidence)) AS evidence,
            coalesce(arg_max(m.url, m.confidence) FILTER (WHERE live),
                     arg_max(m.url, m.confidence)) AS evidence_url,
            arg_min(m.url, m.stated_at) AS first_url,
            arg_min(m.title, m.stated_at) AS first_title,
            any_value(m.baseline_text) AS baseline_text,
            list(DISTINCT m.feed_id ORDER BY m.feed_id) FILTER (WHERE live) AS outlet_ids,
            list({{'change_id': m.change_id, 'url': m.url, 'canonical_url': m.canonical_url,
                   'title': m.title,
                   'feed_id': m.feed_id, 'story_id': m.story_id, 'stated_at': m.stated_at,
                   'evidence': m.evidence, 'confidence': m.confidence,
                   'withdrawn': NOT m.live}}
                 ORDER BY m.stated_at, m.change_id) AS sources,
            e.reviewed_by,
            e.reviewed_at,
            e.note,
            e.created_at
        FROM events AS e
        JOIN members AS m ON m.event_id = e.id
        GROUP BY ALL
        ORDER BY first_seen DESC, e.id DESC
        """,
        # The baseline moved by confirmed events: per actor and issue, the latest confirmed
        # move (by when it was first seen) replaces the seed's stance.
        f"""
        CREATE VIEW current_positions AS
        WITH baseline AS (
            SELECT actor, issue, stance, score, text, id
            FROM baseline_positions
            WHERE baseline_version = {baseline_version}
            QUALIFY row_number() OVER (PARTITION BY actor, issue ORDER BY pinned DESC, id) = 1
        ),
        confirmed AS (
            SELECT *
            FROM position_events
            WHERE status = 'confirmed' AND NOT withdrawn
            QUALIFY row_number() OVER (
                PARTITION BY actor, issue ORDER BY first_seen DESC, event_id DESC) = 1
        )
        SELECT
            coalesce(c.actor, b.actor) AS actor,
            coalesce(c.issue, b.issue) AS issue,
            coalesce(c.stance, b.stance) AS stance,
            coalesce(c.score, b.score) AS score,
            CASE WHEN c.event_id IS NULL THEN 'baseline' ELSE 'confirmed event' END AS source,
            c.event_id,
            c.first_seen AS since,
            coalesce(c.evidence, b.text) AS evidence,
            c.evidence_url,
            c.reviewed_by AS confirmed_by,
            c.reviewed_at AS confirmed_at,
            b.stance AS baseline_stance,
            b.score AS baseline_score,
            b.text AS baseline_text,
            b.id AS baseline_id
        FROM confirmed AS c
        FULL OUTER JOIN baseline AS b ON c.actor = b.actor AND c.issue = b.issue
        ORDER BY actor, issue
        """,
    )
    return _TABLES + views
