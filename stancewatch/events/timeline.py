"""The HTML timeline: one self-contained page (inline CSS, SVG and script; no external requests).

Per actor and issue, a step chart of the stance over time from the seed baseline: the solid
line is the current position (the baseline moved by confirmed events), the dotted one the
stated stance (every event not dismissed); each point links to its event's evidence and sources.
A table lists the latest events. A small inline script checks, in the browser, that every point
was drawn and every link has its target, and says so at the foot of the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import Any

WIDTH, HEIGHT = 720, 190
LEFT, RIGHT, TOP, BOTTOM = 110, 20, 16, 30
#: Stance labels at their place on the scale, for the chart's y axis.
SCALE_LABELS = (
    (-1.0, "reject"),
    (-0.5, "reject unless"),
    (0.0, "open"),
    (0.5, "accept if"),
    (1.0, "accept / demand"),
)
LATEST_EVENTS = 25


@dataclass(frozen=True)
class Track:
    """One actor and issue: its baseline and its events, oldest first."""

    actor: str
    issue: str
    baseline_stance: str | None
    baseline_score: float | None
    baseline_text: str | None
    events: tuple[Mapping[str, Any], ...]


def tracks(
    events: Sequence[Mapping[str, Any]], positions: Sequence[Mapping[str, Any]]
) -> list[Track]:
    """Group events by actor and issue beside their baseline (pairs without events are left out)."""
    baseline = {(p["actor"], p["issue"]): p for p in positions}
    by_pair: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for event in events:
        by_pair.setdefault((event["actor"], event["issue"]), []).append(event)
    found = []
    for (actor, issue), members in sorted(by_pair.items()):
        base = baseline.get((actor, issue), {})
        found.append(
            Track(
                actor=actor,
                issue=issue,
                baseline_stance=base.get("baseline_stance"),
                baseline_score=base.get("baseline_score"),
                baseline_text=base.get("baseline_text"),
                events=tuple(sorted(members, key=lambda e: (e["first_seen"], e["event_id"]))),
            )
        )
    return found


def render_timeline(
    events: Sequence[Mapping[str, Any]],
    positions: Sequence[Mapping[str, Any]],
    *,
    title: str,
    generated_at: datetime,
) -> str:
    """The whole page as a string."""
    charted = tracks(events, positions)
    latest = sorted(events, key=lambda e: (e["last_seen"], e["event_id"]), reverse=True)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing may load from elsewhere: the page is read offline and must not call home.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">Generated {generated_at:%Y-%m-%d %H:%M} UTC · {len(events)} events '
        f"in {len(charted)} charts · solid line: current position (baseline moved by confirmed "
        "events); dotted: stated stance (every event not dismissed)</p>",
        _legend(),
        '<h2 id="latest">Latest events</h2>',
        _latest_table(latest[:LATEST_EVENTS]),
        '<h2 id="charts">Stance over time</h2>',
    ]
    if not charted:
        parts.append('<p class="empty">No position events yet.</p>')
    parts += [_chart(track) for track in charted]
    parts.append('<h2 id="events">Events</h2>')
    parts += [_event_section(e) for e in sorted(events, key=lambda e: e["event_id"])]
    parts += ['<p id="render-check" class="meta">Chart check: not run (scripts off).</p>']
    parts += [f"<script>{_SCRIPT}</script>", "</body></html>"]
    return "\n".join(parts) + "\n"


def _legend() -> str:
    return (
        '<p class="legend"><svg width="300" height="18" aria-hidden="true">'
        '<circle cx="8" cy="9" r="5" class="pt confirmed"/><text x="18" y="13">confirmed</text>'
        '<circle cx="98" cy="9" r="5" class="pt unreviewed"/><text x="108" y="13">unreviewed</text>'
        '<circle cx="198" cy="9" r="5" class="pt dismissed"/><text x="208" y="13">dismissed</text>'
        "</svg></p>"
    )


def _x_scale(track: Track) -> tuple[datetime, datetime]:
    moments = [e["first_seen"] for e in track.events] + [e["last_seen"] for e in track.events]
    start, end = min(moments), max(moments)
    pad = max((end - start) * 0.08, timedelta(days=2))
    return start - pad, end + pad


def _x(moment: datetime, start: datetime, end: datetime) -> float:
    span = (end - start).total_seconds() or 1.0
    return LEFT + (WIDTH - LEFT - RIGHT) * (moment - start).total_seconds() / span


def _y(score: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - (score + 1.0) / 2.0)


def _steps(points: list[tuple[float, float]], end_x: float) -> str:
    """An SVG path that holds each stance until the next point, then to the chart's end."""
    (x0, y0), rest = points[0], points[1:]
    path = [f"M{x0:.1f} {y0:.1f}"] + [f"H{x:.1f} V{y:.1f}" for x, y in rest]
    return " ".join([*path, f"H{end_x:.1f}"])


def _chart(track: Track) -> str:
    start, end = _x_scale(track)
    left, right = float(LEFT), float(WIDTH - RIGHT)
    base_y = _y(track.baseline_score) if track.baseline_score is not None else None
    current: list[tuple[float, float]] = [(left, base_y)] if base_y is not None else []
    stated: list[tuple[float, float]] = list(current)
    points = []
    for event in track.events:
        x, y = _x(event["first_seen"], start, end), _y(float(event["score"]))
        if event["status"] != "dismissed" and not event["withdrawn"]:
            stated.append((x, y))
        if event["status"] == "confirmed" and not event["withdrawn"]:
            current.append((x, y))
        points.append(_point(event, x, y))
    grid = [
        f'<line x1="{left}" x2="{right}" y1="{_y(s):.1f}" y2="{_y(s):.1f}" class="grid"/>'
        f'<text x="{left - 6}" y="{_y(s) + 4:.1f}" class="axis" text-anchor="end">'
        f"{escape(label)}</text>"
        for s, label in SCALE_LABELS
    ]
    ticks = [
        f'<text x="{_x(m, start, end):.1f}" y="{HEIGHT - 8}" class="axis" '
        f'text-anchor="middle">{m:%Y-%m-%d}</text>'
        for m in (start + (end - start) * f for f in (0.05, 0.5, 0.95))
    ]
    lines = []
    if len(stated) > 1 or (stated and not current):
        lines.append(f'<path d="{_steps(stated, right)}" class="stated"/>')
    if current:
        lines.append(f'<path d="{_steps(current, right)}" class="current"/>')
    baseline = (
        f"baseline: {escape(track.baseline_stance)} — “{escape(_short(track.baseline_text, 200))}”"
        if track.baseline_stance
        else "no baseline position: every event is a new stance"
    )
    pair = f"{track.actor}:{track.issue}"
    return (
        f'<section class="chart" data-pair="{escape(pair)}">'
        f"<h3>{escape(track.actor)} · {escape(track.issue)}</h3>"
        f'<p class="meta">{baseline}</p>'
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="stance of {escape(track.actor)} on {escape(track.issue)} over time">'
        + "".join(grid + ticks + lines + points)
        + "</svg></section>"
    )


def _point(event: Mapping[str, Any], x: float, y: float) -> str:
    status = str(event["status"]) + (" withdrawn" if event["withdrawn"] else "")
    label = (
        f"#{event['event_id']} {event['kind']}: {event.get('baseline_stance') or 'none'} → "
        f"{event['stance']} ({event['status']}{', withdrawn' if event['withdrawn'] else ''}), "
        f"{event['first_seen']:%Y-%m-%d}, {event['stories']} stories"
    )
    return (
        f'<a href="#event-{event["event_id"]}" class="point" data-event="{event["event_id"]}">'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" class="pt {status}">'
        f"<title>{escape(label)}</title></circle></a>"
    )


def _link(url: str | None, text: str) -> str:
    if url and url.startswith(("http://", "https://")):
        return (
            f'<a href="{escape(url)}" rel="noreferrer noopener" class="source">{escape(text)}</a>'
        )
    return escape(text)


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _latest_table(events: Sequence[Mapping[str, Any]]) -> str:
    if not events:
        return '<p class="empty">No position events yet.</p>'
    rows = [
        "<table><thead><tr><th>event</th><th>last seen</th><th>actor · issue</th><th>move</th>"
        "<th>status</th><th>stories / outlets</th><th>strongest evidence</th></tr></thead><tbody>"
    ]
    for e in events:
        status = e["status"] + (", withdrawn" if e["withdrawn"] else "")
        rows.append(
            f'<tr class="{escape(e["status"])}"><td><a href="#event-{e["event_id"]}">'
            f"#{e['event_id']}</a></td><td>{e['last_seen']:%Y-%m-%d}</td>"
            f"<td>{escape(e['actor'])} · {escape(e['issue'])}</td>"
            f"<td>{escape(e['kind'])}: {escape(e.get('baseline_stance') or 'none')} → "
            f"{escape(e['stance'])}</td><td>{escape(status)}</td>"
            f"<td>{e['stories']} / {e['outlets']}</td>"
            f"<td>{_link(e.get('evidence_url'), _short(e.get('evidence'), 160))}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _event_section(e: Mapping[str, Any]) -> str:
    review = escape(e["status"])
    if e.get("reviewed_by"):
        review += f" by {escape(e['reviewed_by'])}"
        if e.get("reviewed_at"):
            review += f" on {e['reviewed_at']:%Y-%m-%d}"
        if e.get("note"):
            review += f" — {escape(e['note'])}"
    sources = []
    for s in e.get("sources") or []:
        when = f"{s['stated_at']:%Y-%m-%d}" if s.get("stated_at") else ""
        mark = ' <span class="tag">withdrawn</span>' if s.get("withdrawn") else ""
        sources.append(
            f"<li>{when} {escape(s.get('feed_id') or '')}: "
            f"{_link(s.get('url'), s.get('title') or s.get('url') or 'article')}{mark}"
            f"<br><q>{escape(_short(s.get('evidence'), 300))}</q></li>"
        )
    withdrawn = ' <span class="tag">withdrawn</span>' if e["withdrawn"] else ""
    return (
        f'<section id="event-{e["event_id"]}" class="event {escape(e["status"])}">'
        f"<h3>#{e['event_id']} {escape(e['actor'])} · {escape(e['issue'])} · "
        f"{escape(e['kind'])}{withdrawn}</h3>"
        f"<p>{escape(e.get('baseline_stance') or 'no baseline')} → {escape(e['stance'])}; "
        f"first seen {e['first_seen']:%Y-%m-%d}, last seen {e['last_seen']:%Y-%m-%d}; "
        f"{e['stories']} stories, {e['articles']} articles, {e['outlets']} outlets; "
        f"confidence {float(e.get('confidence') or 0):.2f}; {review}</p>"
        f"<p>Evidence: <q>{escape(_short(e.get('evidence'), 400))}</q></p>"
        + (
            f"<p>Baseline: <q>{escape(_short(e.get('baseline_text'), 300))}</q></p>"
            if e.get("baseline_text")
            else ""
        )
        + f"<ol>{''.join(sources)}</ol></section>"
    )


_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:980px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}h3{margin:.8em 0 .2em}
.meta{color:#666;font-size:.9em}.empty{color:#888}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
tr.dismissed td{color:#999}tr.confirmed td:first-child{font-weight:bold}
.grid{stroke:#eee}.axis{font-size:11px;fill:#777}
.current{fill:none;stroke:#1565c0;stroke-width:2.5}
.stated{fill:none;stroke:#999;stroke-width:1.5;stroke-dasharray:3 3}
.pt{stroke-width:2}.pt.confirmed{fill:#1565c0;stroke:#0d47a1}
.pt.unreviewed{fill:#fff;stroke:#e65100}.pt.dismissed{fill:#ccc;stroke:#999}
.pt.withdrawn{stroke-dasharray:2 2}
.event{border-left:4px solid #e65100;padding:.2em .8em;margin:.8em 0}
.event.confirmed{border-color:#1565c0}.event.dismissed{border-color:#bbb;color:#777}
.event:target{background:#fff8e1}
.tag{background:#eee;border-radius:3px;padding:0 4px;font-size:.85em}
q{font-style:italic}
"""

# Runs in the reader's browser: counts the points actually laid out inside their chart and the
# links whose target exists, and writes the result at the foot of the page (a test reads it).
_SCRIPT = """
(function(){
  var pts=document.querySelectorAll('a.point'),drawn=0,linked=0;
  pts.forEach(function(a){
    var c=a.querySelector('circle'),s=a.closest('svg');
    if(!c||!s)return;
    var r=c.getBoundingClientRect(),b=s.getBoundingClientRect();
    if(r.width>0&&r.left>=b.left-1&&r.right<=b.right+1&&r.top>=b.top-1&&r.bottom<=b.bottom+1)drawn++;
    var id=(a.getAttribute('href')||'').slice(1);
    if(id&&document.getElementById(id))linked++;
  });
  var el=document.getElementById('render-check');
  el.textContent='Chart check: '+drawn+' of '+pts.length+' points drawn, '+linked+
    ' linked to their event.';
  el.dataset.points=pts.length;el.dataset.drawn=drawn;el.dataset.linked=linked;
})();
"""
