"""Render the demo site's article pages from a publisher template and a TOML content file."""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from stancewatch.errors import ConfigError

#: Directories of the site that hold page sources; the server renders them, never serves them.
ARTICLES_DIR = "articles"
TEMPLATES_DIR = "templates"

#: The page path of an article ("news/2024/02/some-slug.html"); group 1 is its slug.
_PAGE_PATH = re.compile(r"news/(\d{4}/\d{2}/[a-z0-9]+(?:-[a-z0-9]+)*)\.html")
_SLUG = re.compile(r"\d{4}/\d{2}/[a-z0-9]+(?:-[a-z0-9]+)*")
_PUBLISHER = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: A slot: {{name}} or {{name:spec}}; spec is a strftime format for dates, or "json".
_SLOT = re.compile(r"\{\{([a-z][a-z0-9_]*)(?::([^{}\n]*))?\}\}")
#: A line opening a block of the template: the markup of one list item ({{#comments}}).
_BLOCK = re.compile(r"^\{\{#([a-z][a-z0-9_]*)\}\}\n", re.MULTILINE)
#: Any {{ that is neither a slot nor {{BASE}} (which the server replaces) is a template error.
_STRAY = re.compile(r"\{\{(?!BASE\}\})")

#: Slots the renderer fills itself; a content file may not set them.
_COMPUTED = frozenset({"url", "slug", "comment_count", "body", "related", "comments", "text"})
#: A body paragraph starting with this marker is a subheading (its "heading" block).
HEADING_MARKER = "## "

Scalar = str | int | datetime


class _Markup(str):
    """Rendered markup: inserted into a slot as is, never escaped."""


@dataclass(frozen=True)
class Article:
    """The content of one article page, as read from articles/<yyyy>/<mm>/<slug>.toml."""

    slug: str  # "2024/02/netanyahu-vows-to-press-on"
    publisher: str  # its template: templates/<publisher>.html
    fields: dict[str, Scalar]  # headline, published, author, ... (all scalar keys of the file)
    body: tuple[str, ...]
    related: tuple[str, ...]  # slugs of other articles
    comments: tuple[dict[str, Scalar], ...]


@dataclass(frozen=True)
class Template:
    """A publisher template: the page, and one block of markup per kind of list item."""

    page: str
    blocks: dict[str, str]


def page_slug(path: str) -> str | None:
    """The slug of the article page at `path` ("news/2024/02/x.html" -> "2024/02/x"), or None."""
    match = _PAGE_PATH.fullmatch(path.strip("/"))
    return match.group(1) if match else None


def article_url(slug: str) -> str:
    """The page URL of an article, with the {{BASE}} placeholder the server replaces."""
    return "{{BASE}}/news/" + slug + ".html"


def article_slugs(site_dir: Path) -> list[str]:
    """The slugs of every article content file of the site, sorted."""
    root = site_dir / ARTICLES_DIR
    slugs = (p.relative_to(root).with_suffix("").as_posix() for p in root.glob("*/*/*.toml"))
    return sorted(s for s in slugs if _SLUG.fullmatch(s))


def render_article(site_dir: Path, slug: str, overlay: Path | None = None) -> str | None:
    """The page of article `slug` ({{BASE}} left in), or None when it has no content file.

    With `overlay` (a later edition's directory), its content files win over the site's own
    (an edited article, or one only that edition has); templates always come from the site.
    Raises ConfigError when its content file, a related article or its template is unusable.
    """
    article = _edition_article(site_dir, overlay, slug)
    if article is None:
        return None
    template = load_template(site_dir, article.publisher)
    values: dict[str, Scalar] = {
        **article.fields,
        "url": article_url(slug),
        "slug": slug.rsplit("/", 1)[1],
        "comment_count": len(article.comments),
    }
    where = _content_file(site_dir, slug)
    related = []
    for other_slug in article.related:
        other = _edition_article(site_dir, overlay, other_slug)
        if other is None:
            raise ConfigError(f"related article not found: {other_slug}", file=str(where))
        related.append({**other.fields, "url": article_url(other_slug)})
    lists = {
        "body": _items(template, values, _body_items(article.body), where),
        "related": _items(template, values, (("related", r) for r in related), where),
        "comments": _items(template, values, (("comments", c) for c in article.comments), where),
    }
    return _fill(template.page, {**values, **lists}, where)


def _edition_article(site_dir: Path, overlay: Path | None, slug: str) -> Article | None:
    if overlay is not None and (edited := load_article(overlay, slug)) is not None:
        return edited
    return load_article(site_dir, slug)


def load_article(site_dir: Path, slug: str) -> Article | None:
    """The content of article `slug`, or None when the site has no such content file."""
    if not _SLUG.fullmatch(slug):
        return None
    path = _content_file(site_dir, slug)
    text = _read_inside(site_dir, path)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=str(path)) from None
    try:
        return _article(slug, data)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"unusable article content: {exc}", file=str(path)) from None


def load_template(site_dir: Path, publisher: str) -> Template:
    """The template of `publisher` (templates/<publisher>.html), split into page and blocks."""
    path = site_dir / TEMPLATES_DIR / f"{publisher}.html"
    text = _read_inside(site_dir, path) if _PUBLISHER.fullmatch(publisher) else None
    if text is None:
        raise ConfigError(f"no template for publisher {publisher!r}", file=str(path))
    for number, line in enumerate(text.splitlines(), 1):
        if not _BLOCK.fullmatch(line + "\n") and _STRAY.search(_SLOT.sub("", line)):
            raise ConfigError(f"malformed slot on line {number}", file=str(path))
    page, *rest = _BLOCK.split(text)
    blocks = zip(rest[0::2], rest[1::2], strict=True)  # split() alternates name and markup
    return Template(page=page, blocks={name: m.removesuffix("\n") for name, m in blocks})


def _article(slug: str, data: dict[str, Any]) -> Article:
    fields: dict[str, Scalar] = {}
    for key, value in data.items():
        if key in {"publisher", "body", "related", "comments"}:
            continue
        if key in _COMPUTED:
            raise ValueError(f"{key!r} is filled in by the renderer")
        fields[key] = _scalar(key, value)
    publisher = data.get("publisher")
    if not isinstance(publisher, str) or not _PUBLISHER.fullmatch(publisher):
        raise ValueError("'publisher' must name a template (lower-case words and hyphens)")
    if not isinstance(fields.get("headline"), str):
        raise ValueError("'headline' must be a string")
    published = fields.get("published")
    if not isinstance(published, datetime) or published.tzinfo is None:
        raise ValueError("'published' must be a date-time with an offset")
    body = _strings("body", data.get("body"))
    related = _strings("related", data.get("related", []))
    if not body:
        raise ValueError("'body' has no paragraphs")
    if bad := [s for s in related if not _SLUG.fullmatch(s)]:
        raise ValueError(f"'related' has entries that are not article slugs: {bad}")
    comments = data.get("comments", [])
    if not isinstance(comments, list) or not all(isinstance(c, dict) for c in comments):
        raise ValueError("'comments' must be an array of tables")
    return Article(
        slug=slug,
        publisher=publisher,
        fields=fields,
        body=body,
        related=related,
        comments=tuple({k: _scalar(k, v) for k, v in c.items()} for c in comments),
    )


def _scalar(key: str, value: object) -> Scalar:
    if isinstance(value, str | datetime) or type(value) is int:  # not bool, float or time
        return value
    raise ValueError(f"{key!r} must be a string, an integer or a date-time")


def _strings(key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key!r} must be an array of strings")
    return tuple(value)


def _body_items(body: tuple[str, ...]) -> Iterable[tuple[str, Mapping[str, Scalar]]]:
    """(block, values) of each paragraph: a heading, the lead (first) or a plain paragraph."""
    for i, paragraph in enumerate(body):
        if paragraph.startswith(HEADING_MARKER):
            yield "heading", {"text": paragraph.removeprefix(HEADING_MARKER)}
        else:
            yield ("lead" if i == 0 else "paragraph"), {"text": paragraph}


def _items(
    template: Template,
    values: Mapping[str, Scalar],
    items: Iterable[tuple[str, Mapping[str, Scalar]]],
    where: Path,
) -> _Markup:
    """The items rendered with their blocks (item values before the page's), one per line."""
    out = []
    for block, item in items:
        if block not in template.blocks:
            raise ConfigError(f"template has no {{{{#{block}}}}} block", file=str(where))
        out.append(_fill(template.blocks[block], {**values, **item}, where))
    return _Markup("\n".join(out))


def _fill(text: str, values: Mapping[str, Scalar], where: Path) -> str:
    def slot(match: re.Match[str]) -> str:
        name, spec = match.group(1), match.group(2)
        if name not in values:
            raise ConfigError(f"no value for the template slot {match.group(0)}", file=str(where))
        return _format(values[name], spec)

    return _SLOT.sub(slot, text)


def _format(value: Scalar, spec: str | None) -> str:
    """A slot's text: HTML-escaped, except markup and the JSON string literal of `:json`."""
    if isinstance(value, _Markup):
        return value
    if spec == "json":
        literal = json.dumps(
            value.isoformat() if isinstance(value, datetime) else value, ensure_ascii=False
        )
        return literal.replace("<", "\\u003c")  # no "</script>" can end the script early
    if isinstance(value, datetime):
        text = value.strftime(spec) if spec else value.isoformat()
    else:
        text = format(value, spec or "")
    return html.escape(text, quote=True)


def _content_file(site_dir: Path, slug: str) -> Path:
    return site_dir / ARTICLES_DIR / f"{slug}.toml"


def _read_inside(site_dir: Path, path: Path) -> str | None:
    """The text of `path` if it is a file inside `site_dir` (symlinks resolved), else None."""
    resolved = path.resolve()
    if not resolved.is_relative_to(site_dir.resolve()) or not resolved.is_file():
        return None
    try:
        return resolved.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
