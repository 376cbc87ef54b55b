"""Edits re-checked: recent articles whose feed entry changed are fetched again and re-read.

A change whose evidence left the edited text is withdrawn (kept, marked, its event updated);
the same move stated in other words keeps its change with the new sentence; new moves are added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from stancewatch import ingest, store
from stancewatch.models import Article, Change, ItemFailure
from stancewatch.pipeline.work import FeedPoll, describe_failure
from stancewatch.settings import Settings

if TYPE_CHECKING:
    from stancewatch.positions import Engine


@dataclass(frozen=True)
class RecheckOutcome:
    """What re-checking edited entries did in one run."""

    checked: int = 0  # pages fetched again because their feed entry changed
    revised: int = 0  # articles whose text changed
    withdrawn: int = 0  # changes whose evidence left the text
    added: int = 0  # changes found only in the new text
    failures: tuple[ItemFailure, ...] = ()


@dataclass(frozen=True)
class _Refetch:
    page: store.StoredPage
    article: Article | None  # None: the text did not change (or the server said 304)
    etag: str | None
    last_modified: str | None


def recheck_edits(
    settings: Settings, engine: Engine, polls: Sequence[FeedPoll], run_id: str
) -> RecheckOutcome:
    """Fetch again the recent articles whose entry changed in this run's feeds; store what the
    new text says and withdraw what it no longer says."""
    entries = [e for poll in polls if poll.parsed for e in poll.parsed.entries]
    if not entries:
        return RecheckOutcome()
    since = datetime.now(UTC) - timedelta(days=settings.recheck_days)
    with store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con:
        pages = store.edited_entries(con, entries, stored_since=since)
    if not pages:
        return RecheckOutcome()
    refetched, failures = _refetch(settings, pages)
    withdrawn = added = revised = 0
    now = datetime.now(UTC)
    version = engine.baseline_version
    with (
        store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con,
        store.transaction(con),
    ):
        for item in refetched:
            entry = item.page.entry
            store.save_revision(
                con, entry, item.article, etag=item.etag, last_modified=item.last_modified
            )
            if item.article is None:
                continue
            revised += 1
            comparison = engine.compare_text(item.article.text, item.article.title)
            url = entry.canonical_url
            store.forget_statements(con, url, version)
            store.forget_story(con, url)  # grouped again with its new text
            store.add_statements(con, [(url, s) for s in comparison.statements], run_id, version)
            now_stated = _strongest(comparison.changes)
            gone = []
            for change_id, actor, issue, kind, evidence in store.article_changes(con, url, version):
                still = now_stated.pop((actor, issue, kind), None)
                if still is None:
                    gone.append(change_id)
                elif still.evidence != evidence:
                    store.restate_change(
                        con,
                        change_id,
                        evidence=still.evidence,
                        confidence=still.confidence,
                        stance=still.stance,
                        score=still.score,
                    )
            reason = f"evidence no longer in the article (edited, re-checked {now:%Y-%m-%d})"
            withdrawn += store.withdraw_changes(con, gone, reason, now)
            added += store.add_changes(
                con, [(url, c) for c in now_stated.values()], run_id, version
            )
        store.add_item_errors(con, run_id, failures)
    return RecheckOutcome(len(pages), revised, withdrawn, added, tuple(failures))


def _refetch(
    settings: Settings, pages: Sequence[store.StoredPage]
) -> tuple[list[_Refetch], list[ItemFailure]]:
    done: list[_Refetch] = []
    failures: list[ItemFailure] = []
    with ingest.HttpClient(settings) as client:
        for page in pages:
            entry = page.entry
            try:
                result = client.get(entry.url, etag=page.etag, last_modified=page.last_modified)
                if result.not_modified:
                    done.append(_Refetch(page, None, page.etag, page.last_modified))
                    continue
                # Extraction (trafilatura, lxml) loads only when a page is fetched again.
                article = ingest.extract_article(
                    result, entry, min_text_chars=settings.min_text_chars
                )
            except Exception as exc:  # one page's trouble must not stop the others
                failures.append(
                    describe_failure(exc, stage="recheck", url=entry.url, feed_id=entry.feed_id)
                )
                continue
            changed = article if article.text != page.text else None
            etag, modified = result.headers.get("etag"), result.headers.get("last-modified")
            done.append(_Refetch(page, changed, etag, modified))
    return done, failures


def _strongest(changes: Sequence[Change]) -> dict[tuple[str, str, str], Change]:
    """One change per (actor, issue, kind), the most confident, as the store keeps them."""
    kept: dict[tuple[str, str, str], Change] = {}
    for change in sorted(changes, key=lambda c: c.confidence, reverse=True):
        kept.setdefault((change.actor, change.issue, change.kind), change)
    return kept
