"""Demo: serve the bundled offline news site (feeds and rendered pages) on a loopback port."""

from stancewatch.demo.server import DEMO_FEEDS, demo_feeds_file, serve_demo_site

__all__ = ["DEMO_FEEDS", "demo_feeds_file", "serve_demo_site"]
