"""Read one document for `compare`: a URL, an HTML file or a text file, as text and title."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from stancewatch.errors import ConfigError, ExtractError
from stancewatch.ingest import HttpClient, decode_text, extract_page
from stancewatch.settings import Settings

DOCUMENT_SUFFIXES = (".txt", ".html", ".htm")


def expand_sources(sources: Sequence[str]) -> list[str]:
    """URLs stay as they are; a directory stands for its .txt/.html files, sorted."""
    expanded: list[str] = []
    for source in sources:
        path = Path(source)
        if not source.startswith(("http://", "https://")) and path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES)
            if not found:
                raise ConfigError(f"{source}: directory holds no .txt or .html files")
            expanded.extend(str(p) for p in found)
        else:
            expanded.append(source)
    return expanded


def load_document(source: str, settings: Settings) -> tuple[str, str | None]:
    """Text and title of a URL, an HTML file, or a text file whose first line may be a title."""
    if source.startswith(("http://", "https://")):
        with HttpClient(settings) as client:
            result = client.get(source)
        page = extract_page(decode_text(result.body, result.encoding), url=result.final_url)
        if page is None:
            raise ExtractError("no article text found on the page", url=source)
        return page.text, page.title
    path = Path(source)
    if not path.is_file():
        raise ConfigError(f"{source}: no such file (give a .txt or .html file, or a URL)")
    data = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm"):
        page = extract_page(data, url=None)
        if page is None:
            raise ExtractError("no article text found in the HTML", file=source)
        return page.text, page.title
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").strip()
    first, _, rest = text.partition("\n")
    # A short first line without final punctuation reads as a headline.
    if rest.strip() and len(first) <= 200 and not first.rstrip().endswith((".", "!", "?", '"')):
        return rest.strip(), first.strip()
    return text, None
