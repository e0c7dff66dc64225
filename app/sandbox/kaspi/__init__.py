"""The Kaspi Shop API emulator (orders part, JSON:API under /shop/api/v2).

It serves `kaspi-amo sandbox`, `kaspi-amo demo` and every test, so it reproduces what
shared/api/kaspi.md documents and observes, including the unpleasant parts: the exact 400
titles, the 14-day window, 0-based paging with page[size] clamped to 100, base64 ids (raw
codes give 404), 404 HTML without Accept, hanging on the python-requests User-Agent, and
optional quirks (pages leaking orders from before $ge, masked phones on archived orders).
Fault injection (`fail_next`, `drop_next`, `corrupt_order`) lets tests exercise retries.

Layout:
  jsonapi.py   ids (b64id), limits, JSON:API answers and errors, query parsing
  book.py      OrderBook: the orders by code and creation time, products, armed corruption
  render.py    Renderer: orders, entries, customers, products, points of service, cities
  site.py      KaspiSite: what route modules share (book, renderer, clock, base URL, quirks)
  reads.py     GET routes          writes.py   POST /orders: the §10 status state machine
  emulator.py  KaspiEmulator: the gate (faults, User-Agent, Accept, token) and public methods

New Kaspi behaviour goes where it belongs: a write (new status transition, X-Merchant-Uid
check) in writes.py, a new GET in reads.py, new per-order state on `SandboxOrder`/`OrderBook`.
"""

from app.sandbox.kaspi.emulator import KaspiEmulator
from app.sandbox.kaspi.jsonapi import b64id, unb64id
from app.sandbox.kaspi.render import REMOVE
from app.sandbox.kaspi.writes import SANDBOX_MERCHANT_ID, KaspiWrite

__all__ = ["REMOVE", "SANDBOX_MERCHANT_ID", "KaspiEmulator", "KaspiWrite", "b64id", "unb64id"]
