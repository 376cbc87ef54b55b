"""The HTML timeline: one self-contained page with a step chart per actor and issue."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from stancewatch.events import render_timeline

DAY = datetime(2024, 7, 6, 12, tzinfo=UTC)


def event(
    event_id: int,
    *,
    status: str = "unreviewed",
    days: float = 0,
    stance: str = "retreat",
    score: float = 0.0,
    issue: str = "end_of_war",
    withdrawn: bool = False,
) -> dict[str, Any]:
    seen = DAY + timedelta(days=days)
    url = f"https://news.example/{event_id}"
    return {
        "event_id": event_id,
        "actor": "hamas",
        "issue": issue,
        "kind": "softening",
        "baseline_stance": "propose",
        "stance": stance,
        "score": score,
        "status": status,
        "withdrawn": withdrawn,
        "first_seen": seen,
        "last_seen": seen + timedelta(days=1),
        "stories": 2,
        "outlets": 3,
        "articles": 3,
        "confidence": 0.8,
        "evidence": f"Evidence <b>{event_id}</b> & more.",
        "evidence_url": url,
        "first_url": url,
        "baseline_text": "Hamas proposed a truce.",
        "reviewed_by": "ana" if status != "unreviewed" else None,
        "reviewed_at": seen if status != "unreviewed" else None,
        "note": None,
        "sources": [
            {
                "url": url,
                "title": f"Story {event_id}",
                "feed_id": "wire",
                "stated_at": seen,
                "evidence": "Sentence.",
                "withdrawn": withdrawn,
            },
            {
                "url": "javascript:alert(1)",
                "title": "Odd link",
                "feed_id": "x",
                "stated_at": seen,
                "evidence": "S.",
                "withdrawn": False,
            },
        ],
    }


POSITIONS = [
    {"actor": "hamas", "issue": "end_of_war", "baseline_stance": "propose", "baseline_score": 1.0,
     "baseline_text": "Hamas proposed a truce that ends the war."},
]  # fmt: skip


def page(*events: dict[str, Any]) -> str:
    return render_timeline(list(events), POSITIONS, title="Timeline", generated_at=DAY)


def test_each_event_is_a_point_linked_to_its_section() -> None:
    html = page(event(1, status="confirmed"), event(2, days=10, status="dismissed"), event(3))

    points = re.findall(r'<a href="#event-(\d+)" class="point"', html)
    assert sorted(points) == ["1", "2", "3"]
    for number in points:
        assert f'<section id="event-{number}"' in html
    assert 'class="pt confirmed"' in html and 'class="pt dismissed"' in html
    assert 'class="pt unreviewed"' in html


def test_the_current_line_moves_only_with_confirmed_events() -> None:
    only_unreviewed = page(event(1, score=0.0))
    confirmed = page(event(1, score=0.0, status="confirmed"))

    current = re.compile(r'<path d="([^"]+)" class="current"/>')
    assert " V" not in current.findall(only_unreviewed)[0]  # flat at the baseline
    assert " V" in current.findall(confirmed)[0]  # steps to the confirmed stance


def test_text_is_escaped_and_only_web_links_are_links() -> None:
    html = page(event(1))

    assert "Evidence &lt;b&gt;1&lt;/b&gt; &amp; more." in html
    assert "javascript:" not in html
    assert '<a href="https://news.example/1" rel="noreferrer noopener" class="source">' in html


def test_the_page_loads_nothing_from_elsewhere() -> None:
    html = page(event(1), event(2, withdrawn=True))

    assert not re.search(r"<(script|img|iframe|link)[^>]+(src|href)=", html)
    assert "default-src 'none'" in html
    assert "url(" not in html


def test_withdrawn_and_dismissed_events_are_marked() -> None:
    html = page(event(1, withdrawn=True), event(2, status="dismissed"))

    assert 'class="pt unreviewed withdrawn"' in html
    assert '<tr class="dismissed">' in html
    assert '<span class="tag">withdrawn</span>' in html


def test_no_events_still_makes_a_page() -> None:
    html = page()

    assert html.startswith("<!DOCTYPE html>") and "No position events yet." in html
