"""Article URLs: which are fetchable http(s) URLs, and the canonical form used for dedup."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that only say how a reader arrived; they never change the article.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "ref", "ref_src", "referrer", "cmpid", "icid", "ocid", "ncid",
        "s_cid", "mkt_tok", "_ga", "_gl", "_hsenc", "_hsmi", "xtor", "at_medium",
        "at_campaign", "cmp", "sr_share", "smid",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str) -> str:
    """A stable form of `url` for deduplication: the same article gives the same string.

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters,
    sorts the remaining query parameters and strips a trailing slash (except the root).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = _canonical_netloc(parts.netloc, scheme)
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    params = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking_param(key)
    ]
    # Stable sort by name only: the order of repeated names can matter to the server.
    params.sort(key=lambda pair: pair[0])
    return urlunsplit((scheme, netloc, path, urlencode(params), ""))


def _canonical_netloc(netloc: str, scheme: str) -> str:
    hostport = netloc.rpartition("@")[2]  # credentials are never part of an article's identity
    host, port = hostport, ""
    if hostport.startswith("["):  # IPv6 literal
        end = hostport.find("]")
        if end != -1:
            host, port = hostport[: end + 1], hostport[end + 2 :]
    elif ":" in hostport:
        host, _, port = hostport.partition(":")
    host = host.lower().rstrip(".")
    if port and port.isdigit() and int(port) == _DEFAULT_PORTS.get(scheme):
        port = ""
    return host + (f":{port}" if port else "")


def _is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host and a well-formed port."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
