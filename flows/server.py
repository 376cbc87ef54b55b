"""Which Prefect server this process reports to, and the message when there is none."""

from __future__ import annotations

NO_SERVER = (
    "run --flow needs a Prefect server: start one with `prefect server start --host 127.0.0.1` "
    "and set PREFECT_API_URL=http://127.0.0.1:4200/api (or run without --flow)"
)


def prefect_api_url() -> str | None:
    """The Prefect API this process would report to (PREFECT_API_URL or the active profile);
    None when Prefect would start a throwaway server of its own."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None
