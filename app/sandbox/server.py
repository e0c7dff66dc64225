"""Both emulators served together on 127.0.0.1, seeded with a Kazakh shop's day.

Used by `kaspi-amo sandbox`, `kaspi-amo demo`, the tests and the benchmarks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from app.clock import utc_now
from app.sandbox.amo import AmoEmulator
from app.sandbox.http import EmulatorServer, Started
from app.sandbox.kaspi import SANDBOX_MERCHANT_ID, KaspiEmulator
from app.sandbox.seed import demo_contacts, demo_history, demo_orders, demo_products

KASPI_TOKEN = "sandbox-kaspi-token"
KASPI_PATH = "/shop/api/v2"
DEMO_PIPELINE_ID = 7000001
DEMO_STATUS_ID = 70000011
#: The demo pipeline's stages the two-way actions can be pointed at.
ACCEPT_STATUS_ID = 70000012  # «Принят»
ASSEMBLE_STATUS_ID = 70000014  # «Собран»
COMPLETE_STATUS_ID = 70000015  # «Выдача покупателю»


class Sandbox(Started):
    def __init__(
        self,
        *,
        seed: bool = True,
        now: datetime | None = None,
        kaspi_port: int = 0,
        amo_port: int = 0,
        kaspi_options: dict[str, Any] | None = None,
        amo_options: dict[str, Any] | None = None,
    ) -> None:
        self.kaspi = KaspiEmulator(tokens=(KASPI_TOKEN,), **(kaspi_options or {}))
        self.amo = AmoEmulator(**(amo_options or {}))
        self._kaspi_server = EmulatorServer(self.kaspi, port=kaspi_port)
        self._amo_server = EmulatorServer(self.amo, port=amo_port)
        if seed:
            self.seed(now or utc_now())

    def seed(self, now: datetime) -> None:
        self.kaspi.add_orders(demo_orders(now))
        self.kaspi.add_orders(demo_history(now))  # 30 days of archived orders: `kaspi-amo quality` has figures
        for contact in demo_contacts():
            self.amo.add_contact(
                contact["name"], contact["phones"], first_name=contact.get("first_name"), last_name=contact.get("last_name")
            )
        if self.amo.products_catalog_id is not None:
            for product in demo_products():
                self.amo.add_catalog_element(product["name"], product["sku"], product["price"])

    @property
    def kaspi_base_url(self) -> str:
        return self._kaspi_server.url + KASPI_PATH

    @property
    def amo_base_url(self) -> str:
        return self._amo_server.url

    def env(self) -> dict[str, str]:
        """Environment for a sync against this sandbox, with a freshly issued token pair."""
        access, refresh = self.amo.issue_tokens()
        return {
            "KASPI_API_TOKEN": KASPI_TOKEN,
            "KASPI_BASE_URL": self.kaspi_base_url,
            "AMO_BASE_URL": self.amo_base_url,
            "AMO_CLIENT_ID": self.amo.client_id,
            "AMO_CLIENT_SECRET": self.amo.client_secret,
            "AMO_REDIRECT_URI": self.amo.redirect_uri,
            "AMO_ACCESS_TOKEN": access,
            "AMO_REFRESH_TOKEN": refresh,
            "AMO_PIPELINE_ID": str(DEMO_PIPELINE_ID),
            "AMO_STATUS_ID": str(DEMO_STATUS_ID),
            "KASPI_MERCHANT_ID": SANDBOX_MERCHANT_ID,
        }

    def start(self) -> Self:
        self._kaspi_server.start()
        self._amo_server.start()
        return self

    def stop(self) -> None:
        self.kaspi.close()  # requests hanging on Kaspi's User-Agent block would hold up the shutdown
        self._kaspi_server.stop()
        self._amo_server.stop()
