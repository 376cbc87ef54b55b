"""Tests for stancewatch.store.reads and the views: what changed, latest positions, timelines."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from stancewatch.models import Article, Attribution, BaselinePosition, Change, ChangeKind, Statement
from stancewatch.store import (
    add_articles,
    add_changes,
    add_statements,
    latest_positions,
    list_articles,
    list_changes,
    open_db,
    save_baseline,
    stored_articles,
)

NOW = datetime.now(UTC)
DAYS_AGO = {"old": NOW - timedelta(days=10), "recent": NOW - timedelta(days=2)}
DAYS_AGO["latest"] = NOW - timedelta(days=1)

BASELINE = {
    ("israel", "withdrawal"): BaselinePosition(
        "b-isr-wd", "israel", "withdrawal", "reject", -1.0, "Israel will not withdraw.", "s.txt"
    ),
    ("hamas", "end_of_war"): BaselinePosition(
        "b-ham-end", "hamas", "end_of_war", "demand", 1.0, "Hamas demands an end.", "s.txt"
    ),
    ("qatar", "mediation"): BaselinePosition(
        "b-qat-med", "qatar", "mediation", "mediate", 1.0, "Qatar mediates.", "s.txt"
    ),
}


def url(name: str) -> str:
    return f"https://news.example/{name}"


def make_article(name: str, published: datetime | None, feed_id: str = "wire") -> Article:
    return Article(
        url=url(name) + "?ref=rss",
        canonical_url=url(name),
        feed_id=feed_id,
        guid=name,
        title=f"Story {name}",
        author=None,
        published=published,
        language="en",
        text=f"Text of {name}.",
        text_source="page",
        content_hash=f"hash-{name}",
    )


def make_statement(
    actor: str,
    issue: str,
    stance: str,
    sentence: str,
    index: int,
    *,
    attribution: Attribution = "direct",
    background: bool = False,
) -> Statement:
    return Statement(actor, issue, stance, 0.0, attribution, sentence, index, background=background)


def make_change(actor: str, issue: str, kind: ChangeKind, stance: str, evidence: str) -> Change:
    return Change(
        actor, issue, kind, stance, 0.0, evidence, "direct", 0.7, BASELINE.get((actor, issue))
    )


HAMAS_SOFTER = "Hamas is ready to accept a phased end to the war, its negotiators said."
ISRAEL_SOFTER = "Israel said it could withdraw from some areas under a deal."


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_db(tmp_path / "watch.duckdb") as connection:
        save_baseline(connection, list(BASELINE.values()), "v1")
        add_articles(
            connection,
            [
                make_article("old", DAYS_AGO["old"]),
                make_article("recent", DAYS_AGO["recent"]),
                make_article("latest", DAYS_AGO["latest"], feed_id="daily"),
                make_article("undated", None, feed_id="daily"),
            ],
            "run-1",
        )
        add_statements(
            connection,
            [
                (url("old"), make_statement("hamas", "end_of_war", "demand", "Hamas demands.", 3)),
                (
                    url("recent"),
                    make_statement("hamas", "end_of_war", "accept_if", HAMAS_SOFTER, 1),
                ),
                (
                    url("recent"),
                    make_statement("israel", "withdrawal", "reject", "Recap.", 5, background=True),
                ),
                (
                    url("latest"),
                    make_statement(
                        "hamas",
                        "end_of_war",
                        "reject",
                        "Analysts say.",
                        2,
                        attribution="third_party",
                    ),
                ),
                (
                    url("latest"),
                    make_statement("israel", "withdrawal", "accept_if", ISRAEL_SOFTER, 0),
                ),
                (
                    url("undated"),
                    make_statement("egypt", "mediation", "mediate", "Egypt hosts.", 0),
                ),
            ],
            "run-1",
            "v1",
        )
        changes = [
            ("old", "hamas", "end_of_war", "reaffirmed", "demand", "Hamas demands."),
            ("recent", "hamas", "end_of_war", "softening", "accept_if", HAMAS_SOFTER),
            ("latest", "israel", "withdrawal", "softening", "accept_if", ISRAEL_SOFTER),
            ("undated", "egypt", "mediation", "new", "mediate", "Egypt hosts."),
        ]
        add_changes(
            connection,
            [(url(name), make_change(*fields)) for name, *fields in changes],  # type: ignore[arg-type]
            "run-1",
            "v1",
        )
        yield connection


def test_sql_answers_what_changed_for_an_actor_in_the_last_week(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = con.execute(
        """
        SELECT issue, kind, baseline_stance, stance, evidence, url
        FROM recent_changes
        WHERE actor = 'hamas' AND stated_at >= now() - INTERVAL 7 DAY
        """
    ).fetchall()

    assert rows == [
        ("end_of_war", "softening", "demand", "accept_if", HAMAS_SOFTER, url("recent") + "?ref=rss")
    ]


def test_list_changes_since_a_week_for_an_actor(con: duckdb.DuckDBPyConnection) -> None:
    rows = list_changes(con, since=NOW - timedelta(days=7), actor="hamas")

    assert [(r["kind"], r["evidence"], r["title"]) for r in rows] == [
        ("softening", HAMAS_SOFTER, "Story recent")
    ]
    assert rows[0]["published"] == DAYS_AGO["recent"]
    assert rows[0]["baseline_text"] == "Hamas demands an end."


def test_list_changes_is_newest_first_without_reaffirmations(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = list_changes(con, since=None)

    assert [(r["actor"], r["kind"]) for r in rows] == [
        ("egypt", "new"),  # undated: stated when stored, i.e. now
        ("israel", "softening"),
        ("hamas", "softening"),
    ]
    assert rows[0]["baseline_stance"] is None


def test_list_changes_filters_by_kinds_issue_and_limit(con: duckdb.DuckDBPyConnection) -> None:
    both = list_changes(con, since=None, actor="hamas", kinds=["reaffirmed", "softening"])
    assert [r["kind"] for r in both] == ["softening", "reaffirmed"]

    assert [r["actor"] for r in list_changes(con, since=None, issue="withdrawal")] == ["israel"]
    assert list_changes(con, since=None, kinds=["reversal"]) == []
    assert len(list_changes(con, since=None, limit=1)) == 1


@pytest.mark.parametrize("by_detection", [False, True])
def test_list_changes_shows_what_the_recent_changes_view_holds(
    con: duckdb.DuckDBPyConnection, by_detection: bool
) -> None:
    # list_changes picks its rows from `changes` before joining: the same rows, columns and
    # order as filtering the view, for every baseline version the views may follow.
    kinds = ["reversal", "softening", "hardening", "reaffirmed", "new"]
    when, then = ("detected_at", "stated_at") if by_detection else ("stated_at", "detected_at")
    for version in ("v1", "v2"):
        if version == "v2":
            save_baseline(con, list(BASELINE.values()), "v2")
        for since in (None, NOW - timedelta(days=3)):
            shown = list_changes(con, since=since, kinds=kinds, by_detection=by_detection)
            cursor = con.execute(
                f"SELECT * FROM recent_changes WHERE $since IS NULL OR {when} >= $since "
                f"ORDER BY {when} DESC, {then} DESC, change_id DESC",
                {"since": since},
            )
            names = [column[0] for column in cursor.description or ()]
            viewed = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            assert [list(row) for row in shown] == [names] * len(viewed)
            assert [row["change_id"] for row in shown] == [row["change_id"] for row in viewed]
            assert shown == [{k: _utc(v) for k, v in row.items()} for row in viewed]


def _utc(value: object) -> object:
    return value.astimezone(UTC) if isinstance(value, datetime) else value


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_naive_since_is_taken_as_utc_whatever_the_local_zone(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    # Read as local time, an hour either side of the latest change would move by 7-9 hours
    # and flip whether that change is in.
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        latest = DAYS_AGO["latest"].replace(tzinfo=None)
        hour = timedelta(hours=1)
        before = [r["actor"] for r in list_changes(con, since=latest - hour)]
        after = [r["actor"] for r in list_changes(con, since=latest + hour)]
        aware = [r["actor"] for r in list_changes(con, since=DAYS_AGO["latest"] - hour)]
    finally:
        monkeypatch.undo()
        time.tzset()

    assert before == aware == ["egypt", "israel"]  # the undated article counts from its fetch
    assert after == ["egypt"]


def test_latest_positions_take_the_newest_own_statement(con: duckdb.DuckDBPyConnection) -> None:
    rows = {(r["actor"], r["issue"]): r for r in latest_positions(con)}

    hamas = rows[("hamas", "end_of_war")]
    assert (hamas["stance"], hamas["evidence"], hamas["baseline_stance"]) == (
        "accept_if",
        HAMAS_SOFTER,
        "demand",
    )  # the newer third-party claim is not Hamas's position
    israel = rows[("israel", "withdrawal")]
    assert (israel["stance"], israel["stated_at"]) == ("accept_if", DAYS_AGO["latest"])
    egypt = rows[("egypt", "mediation")]
    assert (egypt["stance"], egypt["baseline_stance"]) == ("mediate", None)
    assert egypt["stated_at"] > NOW - timedelta(minutes=5)  # undated: falls back to stored time
    qatar = rows[("qatar", "mediation")]
    assert (qatar["stance"], qatar["baseline_stance"]) == (None, "mediate")


def test_latest_positions_for_one_actor(con: duckdb.DuckDBPyConnection) -> None:
    rows = latest_positions(con, actor="israel")

    assert [(r["actor"], r["issue"], r["stance"]) for r in rows] == [
        ("israel", "withdrawal", "accept_if")
    ]


def test_actor_timeline_lists_every_statement_in_time_order(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = con.execute(
        "SELECT stance, attribution, title FROM actor_timeline WHERE actor = 'hamas'"
    ).fetchall()

    assert rows == [
        ("demand", "direct", "Story old"),
        ("accept_if", "direct", "Story recent"),
        ("reject", "third_party", "Story latest"),
    ]


def test_views_follow_the_most_recently_saved_baseline(con: duckdb.DuckDBPyConnection) -> None:
    save_baseline(con, [BASELINE[("hamas", "end_of_war")]], "v2")
    add_changes(
        con,
        [(url("recent"), make_change("hamas", "end_of_war", "reversal", "reject", "Rescored."))],
        "run-2",
        "v2",
    )

    assert [(r["kind"], r["baseline_version"]) for r in list_changes(con, since=None)] == [
        ("reversal", "v2")
    ]
    assert [r["actor"] for r in latest_positions(con)] == ["hamas"]

    save_baseline(con, list(BASELINE.values()), "v1")
    assert {r["baseline_version"] for r in list_changes(con, since=None)} == {"v1"}


def test_list_articles_since_and_by_feed_with_result_counts(
    con: duckdb.DuckDBPyConnection,
) -> None:
    week = list_articles(con, since=NOW - timedelta(days=7))
    assert [a["canonical_url"] for a in week] == [url("undated"), url("latest"), url("recent")]

    daily = list_articles(con, since=None, feed_id="daily")
    assert {a["title"] for a in daily} == {"Story latest", "Story undated"}
    recent = next(a for a in week if a["canonical_url"] == url("recent"))
    assert (recent["statements"], recent["changes"], recent["chars"]) == (
        2,
        1,
        len("Text of recent."),
    )
    assert len(list_articles(con, since=None, limit=2)) == 2


def test_stored_articles_oldest_first_with_limit(con: duckdb.DuckDBPyConnection) -> None:
    articles = stored_articles(con)

    assert [a.guid for a in articles] == ["old", "recent", "latest", "undated"]
    assert articles[0].published == DAYS_AGO["old"]
    assert [a.guid for a in stored_articles(con, limit=1)] == ["old"]


def test_rows_are_plain_python_values(con: duckdb.DuckDBPyConnection) -> None:
    row = list_changes(con, since=None)[0]

    assert row["detected_at"].tzinfo is UTC
    assert all(isinstance(v, (str, int, float, bool, datetime, type(None))) for v in row.values())
