"""Numbered schema migrations, applied in order and recorded in schema_migrations."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from stancewatch.errors import DatabaseError, SchemaVersionError
from stancewatch.store.events_schema import events_schema
from stancewatch.store.latest import FILL_LATEST
from stancewatch.store.latest_schema import latest_schema


@dataclass(frozen=True)
class Migration:
    """One step of the schema's history; never edit a released one, add the next."""

    version: int
    name: str
    statements: tuple[str, ...]


_TABLES = (
    """
    CREATE TABLE feeds (
        id                   VARCHAR PRIMARY KEY,
        url                  VARCHAR NOT NULL,
        title                VARCHAR,
        tags                 VARCHAR[] NOT NULL DEFAULT [],
        enabled              BOOLEAN NOT NULL DEFAULT true,
        etag                 VARCHAR,
        last_modified        VARCHAR,
        last_polled_at       TIMESTAMPTZ,
        last_ok_at           TIMESTAMPTZ,
        last_status          INTEGER,
        last_error           VARCHAR,
        last_warning         VARCHAR,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        entries_seen         BIGINT NOT NULL DEFAULT 0,
        added_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at           TIMESTAMPTZ
    )
    """,
    """
    CREATE TABLE entries (
        canonical_url   VARCHAR PRIMARY KEY,
        feed_id         VARCHAR NOT NULL,
        guid            VARCHAR NOT NULL,
        url             VARCHAR NOT NULL,
        title           VARCHAR,
        published       TIMESTAMPTZ,
        summary         VARCHAR,
        content         VARCHAR,
        content_hash    VARCHAR NOT NULL,
        status          VARCHAR NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'done', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      VARCHAR,
        first_seen_at   TIMESTAMPTZ NOT NULL,
        last_attempt_at TIMESTAMPTZ,
        run_id          VARCHAR
    )
    """,
    "CREATE SEQUENCE articles_id_seq START 1",
    """
    CREATE TABLE articles (
        id            BIGINT PRIMARY KEY DEFAULT nextval('articles_id_seq'),
        canonical_url VARCHAR NOT NULL UNIQUE,
        url           VARCHAR NOT NULL,
        feed_id       VARCHAR,
        guid          VARCHAR,
        title         VARCHAR,
        author        VARCHAR,
        published     TIMESTAMPTZ,
        language      VARCHAR,
        text          VARCHAR NOT NULL,
        text_source   VARCHAR NOT NULL CHECK (text_source IN ('page', 'feed')),
        content_hash  VARCHAR NOT NULL,
        http_status   INTEGER,
        extract_note  VARCHAR,
        fetched_at    TIMESTAMPTZ NOT NULL,
        run_id        VARCHAR
    )
    """,
    """
    CREATE TABLE runs (
        run_id             VARCHAR PRIMARY KEY,
        started_at         TIMESTAMPTZ NOT NULL,
        finished_at        TIMESTAMPTZ,
        status             VARCHAR NOT NULL,
        feeds_polled       INTEGER NOT NULL DEFAULT 0,
        feeds_not_modified INTEGER NOT NULL DEFAULT 0,
        feeds_failed       INTEGER NOT NULL DEFAULT 0,
        entries_seen       INTEGER NOT NULL DEFAULT 0,
        entries_new        INTEGER NOT NULL DEFAULT 0,
        articles_stored    INTEGER NOT NULL DEFAULT 0,
        articles_from_feed INTEGER NOT NULL DEFAULT 0,
        statements_stored  INTEGER NOT NULL DEFAULT 0,
        changes_stored     INTEGER NOT NULL DEFAULT 0,
        errors             INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE SEQUENCE item_errors_id_seq START 1",
    """
    CREATE TABLE item_errors (
        id          BIGINT PRIMARY KEY DEFAULT nextval('item_errors_id_seq'),
        run_id      VARCHAR NOT NULL,
        occurred_at TIMESTAMPTZ NOT NULL,
        stage       VARCHAR NOT NULL,
        url         VARCHAR,
        feed_id     VARCHAR,
        error_class VARCHAR NOT NULL,
        message     VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE baseline_versions (
        baseline_version VARCHAR PRIMARY KEY,
        positions        INTEGER NOT NULL,
        first_saved_at   TIMESTAMPTZ NOT NULL,
        last_saved_at    TIMESTAMPTZ NOT NULL
    )
    """,
    """
    CREATE TABLE baseline_positions (
        baseline_version VARCHAR NOT NULL,
        id               VARCHAR NOT NULL,
        actor            VARCHAR NOT NULL,
        issue            VARCHAR NOT NULL,
        stance           VARCHAR NOT NULL,
        score            DOUBLE NOT NULL,
        text             VARCHAR NOT NULL,
        seed_file        VARCHAR NOT NULL,
        attribution      VARCHAR NOT NULL,
        pinned           BOOLEAN NOT NULL DEFAULT false,
        saved_at         TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (baseline_version, id)
    )
    """,
    """
    CREATE TABLE statements (
        canonical_url    VARCHAR NOT NULL,
        actor            VARCHAR NOT NULL,
        issue            VARCHAR NOT NULL,
        stance           VARCHAR NOT NULL,
        score            DOUBLE NOT NULL,
        attribution      VARCHAR NOT NULL
                         CHECK (attribution IN ('direct', 'reported', 'third_party')),
        sentence         VARCHAR NOT NULL,
        sentence_index   INTEGER NOT NULL,
        source           VARCHAR,
        modality         VARCHAR,
        condition        VARCHAR,
        background       BOOLEAN NOT NULL DEFAULT false,
        baseline_version VARCHAR NOT NULL,
        run_id           VARCHAR,
        stored_at        TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (baseline_version, canonical_url, sentence_index, actor, issue, stance)
    )
    """,
    "CREATE SEQUENCE changes_id_seq START 1",
    """
    CREATE TABLE changes (
        id               BIGINT PRIMARY KEY DEFAULT nextval('changes_id_seq'),
        canonical_url    VARCHAR NOT NULL,
        actor            VARCHAR NOT NULL,
        issue            VARCHAR NOT NULL,
        kind             VARCHAR NOT NULL CHECK (
                             kind IN ('reversal', 'softening', 'hardening', 'reaffirmed', 'new')),
        stance           VARCHAR NOT NULL,
        score            DOUBLE NOT NULL,
        baseline_id      VARCHAR,
        baseline_stance  VARCHAR,
        baseline_score   DOUBLE,
        baseline_text    VARCHAR,
        evidence         VARCHAR NOT NULL,
        attribution      VARCHAR NOT NULL,
        confidence       DOUBLE NOT NULL,
        detected_at      TIMESTAMPTZ NOT NULL,
        baseline_version VARCHAR NOT NULL,
        run_id           VARCHAR,
        UNIQUE (canonical_url, actor, issue, kind, baseline_version)
    )
    """,
)

# Views read the current baseline: the version saved most recently (results of older
# versions stay in the tables until `rescore --replace`). With no baseline saved yet,
# every version counts.
_CURRENT_VERSION = """
    coalesce((SELECT baseline_version FROM baseline_versions
              ORDER BY last_saved_at DESC, baseline_version DESC LIMIT 1), {column})
"""

_VIEWS = (
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
        c.id AS change_id
    FROM changes AS c
    LEFT JOIN articles AS a USING (canonical_url)
    WHERE c.baseline_version = {_CURRENT_VERSION.format(column="c.baseline_version")}
    ORDER BY stated_at DESC, c.detected_at DESC, c.id DESC
    """,
    f"""
    CREATE VIEW actor_timeline AS
    SELECT
        coalesce(a.published, s.stored_at) AS stated_at,
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
    WHERE s.baseline_version = {_CURRENT_VERSION.format(column="s.baseline_version")}
    ORDER BY s.actor, stated_at, s.canonical_url, s.sentence_index
    """,
    # Background recaps and third parties' claims are not what the actor says now.
    f"""
    CREATE VIEW latest_positions AS
    WITH latest AS (
        SELECT *
        FROM actor_timeline
        WHERE NOT background AND attribution <> 'third_party'
        QUALIFY row_number() OVER (
            PARTITION BY actor, issue
            ORDER BY stated_at DESC, canonical_url DESC, sentence_index DESC
        ) = 1
    ),
    baseline AS (
        SELECT *
        FROM baseline_positions
        WHERE baseline_version = {_CURRENT_VERSION.format(column="baseline_version")}
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
        l.title,
        l.url,
        b.stance AS baseline_stance,
        b.score AS baseline_score,
        b.text AS baseline_text,
        b.id AS baseline_id,
        coalesce(l.baseline_version, b.baseline_version) AS baseline_version
    FROM latest AS l
    FULL OUTER JOIN baseline AS b ON l.actor = b.actor AND l.issue = b.issue
    ORDER BY actor, issue
    """,
)

_FEED_HEALTH = (
    # When a failing feed may be polled again (exponential backoff); NULL: at the next run.
    "ALTER TABLE feeds ADD COLUMN next_poll_at TIMESTAMPTZ",
    # Consecutive failures that will not heal by waiting (410, DNS, not a feed, refused URL).
    "ALTER TABLE feeds ADD COLUMN hard_failures INTEGER DEFAULT 0",
    # Set when health checks stop polling the feed; `stancewatch feeds enable` clears them.
    "ALTER TABLE feeds ADD COLUMN disabled_at TIMESTAMPTZ",
    "ALTER TABLE feeds ADD COLUMN disabled_reason VARCHAR",
    # Consecutive stored articles of this feed whose page gave no text (feed text used).
    "ALTER TABLE feeds ADD COLUMN pages_without_text INTEGER DEFAULT 0",
    "UPDATE feeds SET hard_failures = 0, pages_without_text = 0",
)

# A run started by Prefect remembers its flow run, so a crash hook or the dashboard can find it;
# `note` says why a run ended early (crashed, cancelled, timed out).
_RUN_FLOW_RUN = (
    "ALTER TABLE runs ADD COLUMN flow_run_id VARCHAR",
    "ALTER TABLE runs ADD COLUMN note VARCHAR",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _TABLES + _VIEWS),
    Migration(
        2,
        "seed documents' date and source on baseline positions",
        (
            "ALTER TABLE baseline_positions ADD COLUMN seed_date DATE",
            "ALTER TABLE baseline_positions ADD COLUMN seed_source VARCHAR",
        ),
    ),
    Migration(3, "stories, position events, review, edits", events_schema(_CURRENT_VERSION)),
    Migration(4, "feed health: backoff, auto-disable, text yield", _FEED_HEALTH),
    Migration(5, "runs: prefect flow run id and end note", _RUN_FLOW_RUN),
    Migration(
        6,
        "stated_at kept on write; latest_statements",
        latest_schema(_CURRENT_VERSION, FILL_LATEST),
    ),
)  # fmt: skip

LATEST_VERSION = MIGRATIONS[-1].version

_CREATE_LEDGER = """
    CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       VARCHAR NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )
"""


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration recorded in the database; 0 for a new, empty database."""
    # Every result is fetched to the end: an unfinished one blocks the connection.
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_name = 'schema_migrations'"
    ).fetchall()
    if not exists[0][0]:
        return 0
    rows = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()
    return int(rows[0][0])


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration the database lacks, each in its own transaction.

    Returns the schema version afterwards. A database newer than this code raises
    SchemaVersionError rather than being touched.
    """
    current = schema_version(con)
    if current > LATEST_VERSION:
        raise SchemaVersionError(
            f"database schema version {current} is newer than this stancewatch knows "
            f"({LATEST_VERSION}); upgrade stancewatch"
        )
    con.execute(_CREATE_LEDGER).fetchall()
    for migration in MIGRATIONS:
        if migration.version <= current:
            continue
        con.begin()
        try:
            for statement in migration.statements:
                con.execute(statement).fetchall()
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                [migration.version, migration.name],
            ).fetchall()
            con.commit()
        except duckdb.Error as exc:
            con.rollback()
            raise DatabaseError(
                f"migration {migration.version} ({migration.name}) failed: {exc}"
            ) from exc
        current = migration.version
    return current
