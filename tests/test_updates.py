"""The update check (no Qt) against a releases feed served on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.sandbox.http import EmulatorServer
from app.sandbox.releases_feed import ReleasesFeed
from app.updates import (
    Release,
    UpdateCheckError,
    check_due,
    check_for_update,
    is_newer,
    parse_feed,
    version_key,
)


@pytest.fixture
def feed() -> Iterator[ReleasesFeed]:
    releases = ReleasesFeed()
    with EmulatorServer(releases) as server:
        releases.base_url = server.url
        yield releases


@pytest.mark.parametrize(
    ("text", "key"),
    [("v1.2.3", (1, 2, 3)), ("1.2.0", (1, 2)), ("V2", (2,)), ("0.1.0", (0, 1)), ("1.3.0-rc1", None),
     ("nightly", None), ("", None), ("v1.2.3.4.5", None)],
)
def test_version_key(text: str, key: tuple[int, ...] | None) -> None:
    assert version_key(text) == key


def test_is_newer() -> None:
    assert is_newer("v0.2.0", "0.1.0") and is_newer("0.1.1", "0.1.0") and is_newer("1.0", "0.9.9")
    assert not is_newer("0.1.0", "0.1.0") and not is_newer("v0.1", "0.1.0") and not is_newer("0.0.9", "0.1.0")
    assert not is_newer("0.2.0-beta", "0.1.0")


@pytest.mark.parametrize("kind", ["atom", "json"])
def test_newer_release_found_in_either_feed(feed: ReleasesFeed, kind: str) -> None:
    feed.publish("v0.1.0")
    url = feed.atom_url if kind == "atom" else feed.json_url
    assert check_for_update(url, current="0.1.0") is None  # up to date
    feed.publish("v0.3.0-rc1", prerelease=True)  # a pre-release never counts
    feed.publish("v0.2.0", draft=True)  # nor a draft
    assert check_for_update(url, current="0.1.0") is None
    feed.publish("v0.2.1")
    assert check_for_update(url, current="0.1.0") == Release("0.2.1", feed.page("v0.2.1"))
    assert check_for_update(url, current="0.2.1") is None
    assert len(feed.requests) == 4


def test_latest_json_endpoint(feed: ReleasesFeed) -> None:
    feed.publish("v1.0.0")
    assert check_for_update(f"{feed.json_url}/latest", current="0.1.0") == Release("1.0.0", feed.page("v1.0.0"))


def test_unreadable_feeds_raise_without_waiting_long(feed: ReleasesFeed) -> None:
    with pytest.raises(UpdateCheckError):
        check_for_update(f"{feed.base_url}/nowhere.atom")  # 404
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(UpdateCheckError):
        check_for_update(f"http://127.0.0.1:{port}/releases.atom")
    with socket.socket() as silent:  # accepts, never answers: the read timeout ends it
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        started = datetime.now(UTC)
        with pytest.raises(UpdateCheckError):
            check_for_update(f"http://127.0.0.1:{silent.getsockname()[1]}/f.atom", timeout=(1.0, 0.5))
        assert datetime.now(UTC) - started < timedelta(seconds=3)
    with pytest.raises(UpdateCheckError):
        parse_feed(b"<html><body>moved</body></html>", "https://example.org/")


def test_links_that_are_not_web_pages_are_dropped() -> None:
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x/v9.0.0</id><title>v9.0.0</title>'
            b'<link rel="alternate" href="javascript:alert(1)"/></entry>'
            b'<entry><id>x/v8.0.0</id><title>v8.0.0</title>'
            b'<link rel="alternate" href="http://evil.example/releases/tag/v8.0.0"/></entry>'
            b'<entry><id>x/v7.0.0</id><title>v7.0.0</title>'
            b'<link rel="alternate" href="/o/r/releases/tag/v7.0.0"/></entry></feed>')
    assert parse_feed(atom, "https://github.com/o/r/releases.atom") == [
        Release("7.0.0", "https://github.com/o/r/releases/tag/v7.0.0")]


def test_check_due_once_a_day() -> None:
    now = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert check_due(None, now) and check_due("garbage", now)
    assert not check_due((now - timedelta(hours=23)).isoformat(), now)
    assert check_due((now - timedelta(hours=24)).isoformat(), now)
    assert check_due((now + timedelta(hours=2)).isoformat(), now)  # the clock went backwards

