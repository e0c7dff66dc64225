"""A loopback stand-in for GitHub's releases feeds, for the update check's tests and demos.

Serves what github.com and api.github.com serve for a repository's releases:
- `GET /OWNER/REPO/releases.atom`: an Atom feed, newest first, one <entry> per release with
  `<id>tag:github.com,2008:Repository/ID/TAG</id>`, `<link rel="alternate" type="text/html"
  href="https://github.com/OWNER/REPO/releases/tag/TAG"/>`, `<title>`, `<updated>`;
- `GET /repos/OWNER/REPO/releases`: the REST list (`tag_name`, `name`, `html_url`, `draft`,
  `prerelease`, `published_at`), and `/releases/latest` (the newest non-draft, non-pre-release,
  404 `{"message": "Not Found"}` when there is none).
Release pages point back at this server, so a test can follow them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from app.sandbox.http import Request, Response, Router, json_response

REPOSITORY_ID = 700000001


@dataclass(frozen=True)
class FeedRelease:
    tag: str
    published: datetime
    prerelease: bool = False
    draft: bool = False


class ReleasesFeed:
    def __init__(self, repository: str = "kaspi-amo-sync/kaspi-amo-sync") -> None:
        self.repository = repository
        self.base_url = ""  # set by the test once the server runs (links point back here)
        self.releases: list[FeedRelease] = []
        self.requests: list[str] = []  # paths asked, in order
        self._lock = threading.Lock()
        self._router = Router()
        self._router.add("GET", f"/{repository}/releases.atom", self._atom)
        self._router.add("GET", f"/repos/{repository}/releases", self._list)
        self._router.add("GET", f"/repos/{repository}/releases/latest", self._latest)

    def publish(self, tag: str, *, prerelease: bool = False, draft: bool = False,
                published: datetime | None = None) -> None:
        with self._lock:
            self.releases.insert(0, FeedRelease(tag, published or datetime.now(UTC), prerelease, draft))

    @property
    def atom_url(self) -> str:
        return f"{self.base_url}/{self.repository}/releases.atom"

    @property
    def json_url(self) -> str:
        return f"{self.base_url}/repos/{self.repository}/releases"

    def page(self, tag: str) -> str:
        return f"{self.base_url}/{self.repository}/releases/tag/{tag}"

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.requests.append(request.path)
        response = self._router.dispatch(request)
        return response or json_response(404, {"message": "Not Found"})

    def _visible(self) -> list[FeedRelease]:
        with self._lock:
            return [r for r in self.releases if not r.draft]  # drafts are for the maintainers only

    def _atom(self, request: Request, route: dict[str, str]) -> Response:
        entries = "".join(
            "<entry>"
            f"<id>tag:github.com,2008:Repository/{REPOSITORY_ID}/{escape(r.tag)}</id>"
            f"<updated>{r.published.isoformat()}</updated>"
            f"<link rel=\"alternate\" type=\"text/html\" href=\"{escape(self.page(r.tag))}\"/>"
            f"<title>{escape(r.tag)}</title>"
            "<content type=\"html\">&lt;p&gt;Release notes&lt;/p&gt;</content>"
            "<author><name>maintainers</name></author>"
            "</entry>"
            for r in self._visible()
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="en-US">'
            f"<id>tag:github.com,2008:https://github.com/{self.repository}/releases</id>"
            f"<link type=\"text/html\" rel=\"alternate\" href=\"{escape(self.base_url)}/{self.repository}/releases\"/>"
            f"<title>Release notes from {self.repository.split('/')[-1]}</title>"
            f"{entries}</feed>"
        )
        return Response(200, body.encode("utf-8"), "application/atom+xml; charset=utf-8")

    def _item(self, release: FeedRelease) -> dict[str, object]:
        return {"tag_name": release.tag, "name": release.tag, "html_url": self.page(release.tag),
                "draft": release.draft, "prerelease": release.prerelease,
                "published_at": release.published.strftime("%Y-%m-%dT%H:%M:%SZ")}

    def _list(self, request: Request, route: dict[str, str]) -> Response:
        return json_response(200, [self._item(r) for r in self._visible()])

    def _latest(self, request: Request, route: dict[str, str]) -> Response:
        latest = next((r for r in self._visible() if not r.prerelease), None)
        if latest is None:
            return json_response(404, {"message": "Not Found"})
        return json_response(200, self._item(latest))
