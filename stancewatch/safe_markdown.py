"""Feed text inside markdown we write: escaped to plain text, links only to http(s) URLs.

Markdown turns punctuation into structure: `[x](javascript:…)` becomes a link, `![](…)` a
remote image, `<img …>` raw HTML, and `|` a new table column. Every character that could
start such structure is backslash-escaped, so feed text always renders as the text it is.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from stancewatch.safe_text import terminal_line

# CommonMark lets any ASCII punctuation be escaped with a backslash; these are the ones that
# open structure mid-line (links, images, HTML, entities, emphasis, code, tables); our
# callers never place feed text at the start of a line, where list and heading marks count.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")
# Characters a link destination may keep as they are; everything else is percent-encoded,
# so a URL can never close its own parenthesis or open raw HTML.
_URL_SAFE = "/:?#@!$&*+,;=%-._~[]"


def md_text(text: str) -> str:
    """Feed text as one line of inert markdown, fit for a table cell (`|` is escaped too)."""
    return _SPECIAL.sub(r"\\\1", terminal_line(text))


def md_link(label: str, url: str | None) -> str:
    """`[label](url)` for an http(s) URL with a host; any other URL leaves only the label."""
    safe_label = md_text(label) or "link"
    if not url:
        return safe_label
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return safe_label
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return safe_label
    return f"[{safe_label}]({quote(url.strip(), safe=_URL_SAFE)})"
