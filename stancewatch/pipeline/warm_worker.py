"""Imported once by the extraction workers' fork server: load and warm what every worker needs.

Workers are forked from the fork server, so whatever it has loaded they start with, and a
renewed pool's workers start ready too. Importing the modules is not enough: trafilatura and
htmldate load part of their data on first use (htmldate reads the month names of every
dateparser locale, ~0.2 s), which each worker would otherwise pay again on its first page.
"""

from __future__ import annotations

from htmldate import extractors as htmldate_extractors

from stancewatch.ingest import extract_page
from stancewatch.pipeline import page_worker  # noqa: F401  (loaded here so workers inherit it)

# A small page that takes extraction through its metadata and date code paths.
_SAMPLE_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Sample report | Wire</title>
<meta name="author" content="A. Writer"></head><body><header><a href="/">Wire</a></header>
<article><h1>Sample report</h1><p class="date">Published 2 March 2024, updated 3 March</p>
<p>Officials said on Saturday that talks over the proposal would resume next week, after
negotiators from both sides met in the capital to discuss the terms of an agreement.</p>
<p>The delegation rejected the offer, a spokesman said, adding that any deal must include a
full withdrawal and a timetable that both parties could accept before the end of the month.</p>
</article><footer>Contact us</footer></body></html>"""


def warm() -> None:
    """Run one extraction so that lazily built data is built here, once, before any fork."""
    extract_page(_SAMPLE_PAGE, url="http://warm.invalid/sample.html")
    # htmldate builds these on the first page whose dates need its slow path; the sample
    # page cannot be relied on to reach it, so they are asked for by name (when present).
    month_words = getattr(htmldate_extractors, "month_words", None)
    if callable(month_words):
        month_words()
    external_parser = getattr(htmldate_extractors, "get_external_parser", None)
    if callable(external_parser):
        external_parser().get_date_data("2 March 2024")


warm()
