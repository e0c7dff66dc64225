"""Is a newer version out? Reads the project's releases feed; no Qt, no state of its own.

The feed is UPDATE_FEED_URL: by default GitHub's Atom feed of the project's releases
(`https://github.com/OWNER/REPO/releases.atom`, one <entry> per release, newest first, the
tag in the entry's `/releases/tag/<tag>` link), or a JSON document — GitHub's REST
`/repos/OWNER/REPO/releases[/latest]` (`tag_name`, `html_url`, `draft`, `prerelease`) or a
plain `{"version": …, "url": …}`. Pre-releases and drafts never count. The tray app asks
once a day off the GUI thread (app/gui/updates.py); a failure only means "no news".
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from app import APP_NAME, __version__
from app.net import is_loopback_host

CHECK_EVERY = timedelta(days=1)
TIMEOUT = (5.0, 10.0)  # connect, read: a check never holds anything up for long
MAX_FEED_BYTES = 1_000_000
ATOM = "{http://www.w3.org/2005/Atom}"
_VERSION = re.compile(r"^[vV]?(\d+(?:\.\d+){0,3})$")


class UpdateCheckError(Exception):
    """The feed could not be read or understood (offline, moved, not a feed)."""


@dataclass(frozen=True)
class Release:
    version: str  # "1.4.0"
    url: str  # the page to download it from


def version_key(text: str | None) -> tuple[int, ...] | None:
    """`v1.2.3` → (1, 2, 3); None for anything else (a pre-release `1.3.0-rc1`, a name)."""
    match = _VERSION.match((text or "").strip())
    if match is None:
        return None
    parts = [int(p) for p in match.group(1).split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()  # 1.2 == 1.2.0
    return tuple(parts)


def is_newer(candidate: str, current: str = __version__) -> bool:
    new, old = version_key(candidate), version_key(current)
    return new is not None and (old is None or new > old)


def _safe_url(url: str | None, base: str) -> str | None:
    """Only a web page goes to the browser: https, or http on this computer (tests)."""
    if not url:
        return None
    absolute = urljoin(base, url.strip())
    parts = urlsplit(absolute)
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(parts.hostname)):
        return absolute
    return None


def _atom_releases(root: ET.Element, feed_url: str) -> list[Release]:
    found = []
    for entry in root.iter(f"{ATOM}entry"):
        link = None
        for candidate in entry.iter(f"{ATOM}link"):
            if candidate.get("rel", "alternate") == "alternate":
                link = candidate.get("href")
                break
        tag = link.rstrip("/").rsplit("/", 1)[-1] if link and "/releases/tag/" in link else None
        title = (entry.findtext(f"{ATOM}title") or "").strip()
        entry_id = (entry.findtext(f"{ATOM}id") or "").strip()
        for name in (tag, entry_id.rsplit("/", 1)[-1] if entry_id else None, title):
            if name and version_key(name) is not None:
                url = _safe_url(link, feed_url)
                if url is not None:
                    found.append(Release(name.lstrip("vV"), url))
                break
    return found


def _json_release(item: Any, feed_url: str) -> Release | None:
    if not isinstance(item, dict) or item.get("draft") or item.get("prerelease"):
        return None
    name = item.get("tag_name") or item.get("version")
    url = _safe_url(item.get("html_url") or item.get("url"), feed_url)
    if not isinstance(name, str) or version_key(name) is None or url is None:
        return None
    return Release(name.strip().lstrip("vV"), url)


def parse_feed(body: bytes, feed_url: str) -> list[Release]:
    """Every release the feed lists (pre-releases and drafts left out)."""
    text = body.lstrip()
    if text[:1] in (b"{", b"["):
        try:
            data = json.loads(text.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise UpdateCheckError(f"not JSON: {exc}") from None
        items = data if isinstance(data, list) else [data]
        return [r for r in (_json_release(i, feed_url) for i in items) if r is not None]
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise UpdateCheckError(f"neither JSON nor Atom: {exc}") from None
    if root.tag != f"{ATOM}feed":
        raise UpdateCheckError(f"not an Atom feed: <{root.tag}>")
    return _atom_releases(root, feed_url)


def newest(releases: list[Release]) -> Release | None:
    keyed = [(version_key(r.version), r) for r in releases]
    return max(((k, r) for k, r in keyed if k is not None), key=lambda pair: pair[0], default=(None, None))[1]


def check_for_update(feed_url: str, *, current: str = __version__, session: requests.Session | None = None,
                     timeout: tuple[float, float] = TIMEOUT) -> Release | None:
    """The newest release when it is newer than `current`, else None. UpdateCheckError when
    the feed cannot be read (the caller stays quiet and tries again later)."""
    http = session or requests.Session()
    try:
        response = http.get(feed_url, timeout=timeout, stream=True, headers={
            "User-Agent": f"{APP_NAME}/{current} (update check)",
            "Accept": "application/atom+xml, application/vnd.github+json, application/json;q=0.9, */*;q=0.5",
        })
        with response:
            if response.status_code != 200:
                raise UpdateCheckError(f"HTTP {response.status_code}")
            body = b""
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_FEED_BYTES:
                    raise UpdateCheckError("feed too large")
    except requests.RequestException as exc:
        raise UpdateCheckError(type(exc).__name__) from None
    release = newest(parse_feed(body, feed_url))
    return release if release is not None and is_newer(release.version, current) else None


def check_due(last_checked_at: str | None, now: datetime, every: timedelta = CHECK_EVERY) -> bool:
    """Once a day, across restarts: due when never checked, or `every` has passed (or the
    clock went backwards)."""
    if not last_checked_at:
        return True
    try:
        last = datetime.fromisoformat(last_checked_at)
    except ValueError:
        return True
    return not (timedelta(0) <= now - last < every)
