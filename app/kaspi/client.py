"""HTTP client for the orders part of the Kaspi Shop API (read-only).

Built around the quirks in /work/shared/api/kaspi.md: an explicit User-Agent and the
JSON:API Accept header (without them Kaspi hangs or answers 404 HTML), epoch-ms filters
in windows of at most 14 days, 0-based paging that stops on `meta.pageCount`, pages that
leak orders from before `$ge`, and entries that may have to be fetched separately.
Links inside responses are never followed: every URL is built from `base_url`, so the
token cannot be sent to a host named by a response.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import requests

import app
from app.clock import utc_now
from app.errors import (
    KaspiAuthError,
    KaspiBadRequest,
    KaspiDuplicateCode,
    KaspiError,
    KaspiParseError,
    KaspiUnavailable,
    KaspiUnreachable,
    KaspiWriteUncertain,
)
from app.kaspi.models import Order, OrderEntry
from app.kaspi.parse import JsonObject, OrdersPage, parse_entry, parse_orders_page
from app.net import is_loopback_host, never_sent, origin, unreachable_message
from app.server_time import ServerClock

__all__ = ["DEFAULT_BASE_URL", "MAX_WINDOW", "USER_AGENT", "KaspiClient", "api_headers"]

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://kaspi.kz/shop/api/v2"
MAX_WINDOW = timedelta(days=14)
_WINDOW_MS = MAX_WINDOW // timedelta(milliseconds=1)  # 14 * 86_400_000: Kaspi accepts exactly this
_MAX_PAGE_SIZE = 100
_MAX_PAGES = 1000  # per window and state; guards against a server that ignores page[number]
_MAX_SLEEP = 60.0
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504}) | frozenset(range(505, 600))
_JSONAPI = "application/vnd.api+json"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Shown after the title ("Kaspi не принимает токен: …"), so it does not repeat it.
AUTH_MESSAGE = ("токен API (KASPI_API_TOKEN) неверен или устарел. Скопируйте действующий в кабинете "
                "продавца Kaspi: Настройки → Токен API.")
# Not "Kaspi answers only Kazakh IPs": its orders API is used from abroad (shared/api/kaspi.md
# §13); a timeout is the network, a proxy/VPN/antivirus in the way, or Kaspi itself.
UNAVAILABLE_MESSAGE = (
    "Нет ответа от Kaspi ({reason}). Проверьте подключение к интернету и адрес API Kaspi в "
    "настройках; если выход в интернет идёт через прокси, VPN или антивирус, проверьте, что они "
    "пропускают запросы к kaspi.kz. Синхронизация повторится сама."
)


USER_AGENT = f"kaspi-amo-sync/{app.__version__}"


def api_headers(token: str | None = None, user_agent: str = USER_AGENT) -> dict[str, str]:
    """What every request to Kaspi carries: JSON:API types and an explicit User-Agent (Kaspi,
    and the sandbox like it, hangs on python-requests' default); the token when there is one.
    Also what `kaspi-amo doctor` sends, so it meets what a poll meets."""
    headers = {"Content-Type": _JSONAPI, "Accept": _JSONAPI, "User-Agent": user_agent}
    if token:
        headers["X-Auth-Token"] = token
    return headers


def _to_ms(moment: datetime, *, ceil: bool) -> int:
    """Aware datetime → epoch ms, rounded so [from, to] in ms never exceeds [from, to]."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("KaspiClient ждёт дату с часовым поясом (aware datetime), а не naive")
    micros = (moment - _EPOCH) // timedelta(microseconds=1)
    return -((-micros) // 1000) if ceil else micros // 1000


def duplicate_code(first: Order, second: Order) -> KaspiDuplicateCode:
    """Two Kaspi orders (ids) under one code: which is the buyer's is unknowable here, and a deal
    that silently took either copy's price would be wrong half the time."""
    def money(order: Order) -> str:
        return f"{order.total_price:,.0f}".replace(",", " ") + " ₸"

    return KaspiDuplicateCode(
        f"Заказ {first.code}: Kaspi прислал два разных заказа с этим номером (id {first.id}: {money(first)}, "
        f"id {second.id}: {money(second)}). Сделка не создаётся и не меняется, пока Kaspi не покажет один заказ; "
        "проверьте заказ в кабинете продавца Kaspi.",
        order_code=first.code,
        order_ids=(first.id, second.id),
    )


def split_windows(start_ms: int, end_ms: int) -> list[tuple[int, int]]:
    """[start, end] in ms → consecutive, non-overlapping windows of at most 14 days each."""
    windows = []
    lo = start_ms
    while lo <= end_ms:
        hi = min(lo + _WINDOW_MS, end_ms)
        windows.append((lo, hi))
        lo = hi + 1
    return windows


class KaspiClient:
    """Reads orders from one Kaspi shop (one API token)."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        session: requests.Session | None = None,
        page_size: int = 100,
        timeout: tuple[float, float] = (10.0, 30.0),
        max_retries: int = 3,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = USER_AGENT,
        clock: ServerClock | None = None,
    ) -> None:
        token = (token or "").strip()
        # A token with control or non-ASCII characters would make requests raise an error
        # whose text quotes the header value, i.e. the token itself.
        if not token or not token.isascii() or not token.isprintable() or " " in token:
            raise KaspiAuthError(AUTH_MESSAGE, detail="empty or malformed token")
        if not 1 <= page_size <= _MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be 1..{_MAX_PAGE_SIZE}, got {page_size}")
        parts = urlsplit(base_url)
        local = is_loopback_host(parts.hostname)  # the same rule as the configuration check
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise ValueError("base_url must be https:// (plain http only for a local emulator)")
        if not user_agent or user_agent.lower().startswith("python-requests"):
            raise ValueError("an explicit User-Agent is required: Kaspi stalls the python-requests default")
        self._token = token
        self.base_url = base_url.rstrip("/")
        self._session = session if session is not None else requests.Session()
        self.page_size = page_size
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.backoff = backoff
        self._sleep = sleep
        self.user_agent = user_agent
        self.clock = clock  # told the Date of every answer: a wrong computer clock is caught
        self.requests_made = 0
        self.answered = False  # has Kaspi answered anything in this run (this client's life)?

    def __repr__(self) -> str:  # never show the token
        return f"KaspiClient(base_url={self.base_url!r})"

    # --- public API -----------------------------------------------------------------

    def iter_orders(
        self,
        created_from: datetime,
        created_to: datetime,
        *,
        states: Sequence[str] | None = None,
        include_entries: bool = True,
        on_bad_order: Callable[[KaspiParseError], None] | None = None,
    ) -> Iterator[Order]:
        """Every order created in [created_from, created_to], each once, page by page.

        The period is cut into ≤14-day windows (Kaspi rejects longer ones); each window is
        read once per state (or once without a state filter). Orders outside the period
        (leaked from neighbouring pages) are dropped. A bad order goes to `on_bad_order`
        and the iteration goes on; without the callback it is raised.
        """
        start_ms = _to_ms(created_from, ceil=True)
        end_ms = _to_ms(created_to, ceil=False)
        state_list: list[str | None] = list(states) if states else [None]
        seen: dict[str, Order] = {}  # code -> the order yielded under it
        bad_seen: set[str] = set()

        def bad(error: KaspiParseError, *, again: bool = False) -> None:
            if error.order_code is not None:
                if error.order_code in bad_seen or (error.order_code in seen and not again):
                    return
                bad_seen.add(error.order_code)
            if on_bad_order is None:
                raise error
            on_bad_order(error)

        for lo, hi in split_windows(start_ms, end_ms):
            for state in state_list:
                for page in self._pages(lo, hi, state, include_entries):
                    for error in page.bad:
                        bad(error)
                    for order in page.orders:
                        if not (created_from <= order.created_at <= created_to):
                            continue
                        first = seen.get(order.code)
                        if first is not None:
                            if first.id != order.id:  # the caller drops the copy it already has
                                bad(duplicate_code(first, order), again=True)
                            continue  # the same order again: pages overlap
                        try:
                            order = self._complete(order, include_entries)
                        except KaspiParseError as error:
                            bad(error)
                            continue
                        seen[order.code] = order
                        yield order

    def get_order(self, code: str, *, include_entries: bool = True) -> Order | None:
        """One order by its code via `filter[orders][code]` (no 14-day limit); None if unknown."""
        code = str(code).strip()
        params: dict[str, Any] = {"page[number]": 0, "page[size]": 10, "filter[orders][code]": code}
        if include_entries:
            params["include[orders]"] = "entries"
        page = self._orders_page(params)
        found = [order for order in page.orders if order.code == code]
        if len({order.id for order in found}) > 1:
            raise duplicate_code(found[0], found[1])
        for order in found:
            return self._complete(order, include_entries)
        for error in page.bad:
            if error.order_code == code or (error.order_code is None and not page.orders):
                raise error
        return None

    def get_entries(self, order_id: str, *, order_code: str | None = None) -> tuple[OrderEntry, ...]:
        """`GET /orders/{id}/entries`; an entry without `offer` gets its SKU and name via
        /orderentries/{id}/product and /masterproducts/{id}/merchantProduct."""
        payload = self._get(f"/orders/{quote(str(order_id), safe='')}/entries", {})
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, list):
            raise KaspiError(
                f"Kaspi прислал непонятный список товаров заказа {order_code or order_id}.",
                detail=self._scrub(f"payload={str(payload)[:200]}"),
            )
        entries = []
        for position, resource in enumerate(data):
            entry = parse_entry(resource, order_code=order_code, index=position)
            if not entry.sku and entry.id:
                products = self._product_chain(entry.id)
                if products:
                    entry = parse_entry(resource, order_code=order_code, products=products, index=position)
            entries.append(entry)
        entries.sort(key=lambda e: e.entry_number)
        return tuple(entries)

    def check_token(self) -> None:
        """One cheap request (page size 1, last 24 h) for the settings wizard.

        Raises KaspiAuthError, KaspiBadRequest, KaspiUnavailable or KaspiError.
        """
        now = utc_now()
        params = {
            "page[number]": 0,
            "page[size]": 1,
            "filter[orders][creationDate][$ge]": _to_ms(now - timedelta(hours=24), ceil=True),
            "filter[orders][creationDate][$le]": _to_ms(now, ceil=False),
        }
        self._orders_page(params)

    def post_orders(self, body: Mapping[str, Any], headers: Mapping[str, str]) -> requests.Response:
        """One `POST /orders` (a status change), sent exactly once and never retried here.

        Kaspi writes are irreversible and not idempotent, so only a request that provably
        never left this computer raises KaspiUnavailable; one that may have arrived raises
        KaspiWriteUncertain and the caller re-reads the order instead of sending again.
        The answer is returned as is: what a refusal means is the caller's business.
        """
        url = self.base_url + "/orders"
        self.requests_made += 1
        log.debug("Kaspi POST /orders %s", body.get("data", {}).get("attributes", {}).get("status"))
        try:
            return self._session.post(
                url,
                data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                headers={**self._headers(), **headers},
                timeout=self.timeout,
                verify=True,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            detail = self._scrub(repr(exc))
            if never_sent(exc):
                raise KaspiUnavailable(
                    "Kaspi недоступен: нет соединения. Действие не отправлено и будет повторено.",
                    cause="offline",
                    detail=detail,
                ) from None
            raise KaspiWriteUncertain(
                "Kaspi не ответил на действие. Программа перечитает заказ и не будет отправлять "
                "действие повторно, если Kaspi его уже выполнил.",
                cause="timeout",
                detail=detail,
            ) from None

    def error_text(self, body: bytes) -> str:
        """Kaspi's own words from an error body (`errors[0].detail` or `.title`), token scrubbed."""
        return self._error_text(body)

    # --- paging and completion --------------------------------------------------------

    def _pages(self, lo: int, hi: int, state: str | None, include_entries: bool) -> Iterator[OrdersPage]:
        """Pages of one (window, state) series, fetched lazily, 0-based."""
        for number in range(_MAX_PAGES):
            params: dict[str, Any] = {"page[number]": number, "page[size]": self.page_size}
            if state:
                params["filter[orders][state]"] = state
            params["filter[orders][creationDate][$ge]"] = lo
            params["filter[orders][creationDate][$le]"] = hi
            if include_entries:
                params["include[orders]"] = "entries"
            page = self._orders_page(params)
            if page.size == 0:
                return
            yield page
            if page.page_count is not None:
                if number + 1 >= page.page_count:
                    return
            elif page.size < self.page_size:
                return  # no meta: a short page is the last one
        log.warning("Kaspi: stopped paging after %d pages (window %d..%d, state %s)", _MAX_PAGES, lo, hi, state)

    def _orders_page(self, params: dict[str, Any]) -> OrdersPage:
        payload = self._get("/orders", params)
        try:
            return parse_orders_page(payload)
        except KaspiParseError as exc:
            raise KaspiError(exc.message, detail=exc.detail) from None

    def _complete(self, order: Order, include_entries: bool) -> Order:
        """Fetch entries that the list response did not carry (or whose SKU is unknown)."""
        if not include_entries:
            return order
        if order.entries is not None and all(e.sku for e in order.entries):
            return order
        entries = self.get_entries(order.id, order_code=order.code)
        return dataclasses.replace(order, entries=entries)

    def _product_chain(self, entry_id: str) -> list[JsonObject]:
        """[merchantProduct, masterProduct] resources for an entry, best first; [] if none.

        A 404 or an odd body on this optional path only means "no better SKU"; auth and
        availability problems still propagate.
        """
        master = self._optional_resource(f"/orderentries/{quote(entry_id, safe='')}/product")
        if master is None:
            return []
        found = [master]
        master_id = master.get("id")
        if isinstance(master_id, str) and master_id:
            merchant = self._optional_resource(f"/masterproducts/{quote(master_id, safe='')}/merchantProduct")
            if merchant is not None:
                found.insert(0, merchant)
        return found

    def _optional_resource(self, path: str) -> JsonObject | None:
        try:
            payload = self._get(path, {})
        except (KaspiAuthError, KaspiUnavailable):
            raise
        except KaspiError as exc:
            log.info("Kaspi: %s unavailable: %s", path, exc.message)
            return None
        data = payload.get("data") if isinstance(payload, dict) else None
        return data if isinstance(data, dict) else None

    # --- transport --------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return api_headers(self._token, self.user_agent)

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        """GET with retries on timeouts, connection errors, 408, 429 and 5xx; JSON body back."""
        url = self.base_url + path
        reason = detail = ""
        cause = "server"
        retry_after: str | None = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                self._sleep(self._delay(attempt, retry_after))
            retry_after = None
            self.requests_made += 1
            log.debug("Kaspi GET %s %s (attempt %d)", path, params, attempt + 1)
            try:
                response = self._session.get(
                    url,
                    params=params,
                    headers=self._headers(),
                    timeout=self.timeout,
                    verify=True,
                    allow_redirects=False,  # a redirect would carry X-Auth-Token to another host
                )
            except requests.Timeout as exc:
                reason, detail, cause = "время ожидания ответа истекло", self._scrub(repr(exc)), "timeout"
                continue
            except requests.exceptions.SSLError as exc:
                reason, detail, cause = "ошибка проверки TLS-сертификата", self._scrub(repr(exc)), "tls"
                continue
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                if not self.answered and never_sent(exc):
                    # never answered in this run: most likely a wrong KASPI_BASE_URL or no internet
                    raise KaspiUnreachable(unreachable_message(self.base_url, "KASPI_BASE_URL", exc),
                                           address=origin(self.base_url), detail=f"{path}: {type(exc).__name__}") from None
                reason, detail, cause = "нет соединения", self._scrub(repr(exc)), "offline"
                continue
            except requests.RequestException as exc:
                raise KaspiError("Не удалось отправить запрос в Kaspi.", detail=self._scrub(repr(exc))) from None
            self.answered = True
            if self.clock is not None:
                self.clock.observe(response.headers.get("Date"), "Kaspi")
            if response.status_code in _RETRY_STATUSES:
                reason, cause = f"HTTP {response.status_code}", "server"
                detail = self._scrub(response.content[:300].decode("utf-8", "replace"))
                retry_after = response.headers.get("Retry-After")
                continue
            return self._handle(response)
        raise KaspiUnavailable(UNAVAILABLE_MESSAGE.format(reason=reason), cause=cause, detail=f"{path}: {detail}")

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """Exponential backoff; a numeric Retry-After (429/503) may stretch it, up to a cap."""
        delay = self.backoff * (2 ** (attempt - 1))
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = max(delay, float(retry_after))
        return min(max(delay, 0.0), _MAX_SLEEP) if math.isfinite(delay) else _MAX_SLEEP

    def _handle(self, response: requests.Response) -> Any:
        status = response.status_code
        body = response.content or b""
        if status in (401, 403):
            raise KaspiAuthError(AUTH_MESSAGE, status=status, detail=self._scrub(body[:300].decode("utf-8", "replace")))
        if status == 400:
            raise KaspiBadRequest(
                f"Kaspi отклонил запрос: {self._error_text(body)}", status=status, detail=self._scrub(response.url)
            )
        if status == 404:
            ctype = response.headers.get("Content-Type", "")
            if "html" in ctype.lower() or body.lstrip()[:1] == b"<":
                message = (
                    "Kaspi ответил страницей «404» вместо данных. Так бывает, когда запрос "
                    "не похож на запрос API (заголовки) или Kaspi временно закрыл доступ."
                )
            else:
                message = f"Kaspi не нашёл запрошенное ({self._error_text(body)})."
            raise KaspiError(message, status=status, detail=self._scrub(response.url))
        if 300 <= status < 400:
            raise KaspiError(
                f"Kaspi ответил перенаправлением (HTTP {status}) вместо данных.",
                status=status,
                detail=self._scrub(response.headers.get("Location", "")),
            )
        if status != 200:
            raise KaspiError(
                f"Kaspi ответил ошибкой HTTP {status}: {self._error_text(body)}",
                status=status,
                detail=self._scrub(response.url),
            )
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise KaspiError(
                "Kaspi прислал ответ не в формате JSON (возможно, страницу проверки или ошибки).",
                status=status,
                detail=self._scrub(body[:300].decode("utf-8", "replace")),
            ) from None
        except RecursionError:  # "[[[[…" nested deeper than the parser's stack: hostile or broken
            raise KaspiError(
                "Kaspi прислал ответ непонятного вида (данные вложены слишком глубоко). Программа "
                "повторит чтение при следующем опросе; если ошибка повторяется, сообщите в поддержку Kaspi.",
                status=status,
                detail=f"JSON nested too deep, {len(body)} bytes",
            ) from None

    def _error_text(self, body: bytes) -> str:
        """`errors[0].detail` or `.title` from a JSON:API error body; else a short raw excerpt."""
        text = ""
        try:
            payload = json.loads(body)
            first = payload["errors"][0]
            for key in ("detail", "title"):
                if isinstance(first.get(key), str) and first[key].strip():
                    text = first[key].strip()
                    break
        except (ValueError, UnicodeDecodeError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
            pass
        if not text:
            text = body[:200].decode("utf-8", "replace").strip() or "без пояснений"
        return self._scrub(text)
