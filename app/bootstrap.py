"""Builds the object graph from Settings: the one place clients, store and engine are made.

The CLI and the GUI both call `build_runtime`; nothing else constructs clients, so there
are no module-level singletons and tests can build a runtime against the sandbox.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import requests

from app.alerts import AlertManager, DesktopNotifier, build_alert_manager
from app.amo.api import AmoApi
from app.amo.client import MAX_RETRIES as AMO_MAX_RETRIES
from app.amo.client import AmoClient
from app.amo.deals import DealFeed
from app.amo.oauth import OAuthClient, TokenManager
from app.amo.ratelimit import RateLimiter
from app.amo.tasks import AmoTasks
from app.amo.tokens import TokenStore
from app.clock import utc_now
from app.config import Settings, load_settings
from app.errors import ConfigError
from app.filelock import file_lock
from app.kaspi.actions import KaspiActions
from app.kaspi.client import KaspiClient
from app.logs import Redactor
from app.net import ListenAddress
from app.secrets import AmoTokenStore, SecretStore, open_secret_store, store_key
from app.server_time import ServerClock
from app.service.ping import HealthcheckPinger
from app.store.base import Store
from app.store.factory import open_working_store
from app.sync.actions_plan import ActionSettings
from app.sync.deadline_run import DeadlineSettings
from app.sync.deadlines import DeadlineRules
from app.sync.engine import Engine, SyncOptions
from app.sync.events import CycleReport, EngineObserver
from app.sync.writer import Destination

if TYPE_CHECKING:
    from app.lang import Translator
    from app.service.server import ServiceServer

log = logging.getLogger(__name__)

#: Secrets kept in the keyring under their environment names.
KEYRING_SECRETS = ("KASPI_API_TOKEN", "AMO_CLIENT_SECRET", "ALERT_TELEGRAM_BOT_TOKEN", "ALERT_EMAIL_SMTP_PASS",
                   "KASPI_AMO_STORE_KEY")


@dataclass
class Runtime:
    settings: Settings
    secrets: SecretStore | None
    tokens: TokenStore
    store: Store
    kaspi: KaspiClient
    amo_client: AmoClient
    api: AmoApi
    engine: Engine
    alerts: AlertManager

    def close(self) -> None:
        self.store.close()


def load_configuration(env: Mapping[str, str] | None = None) -> tuple[Settings, SecretStore, str | None]:
    """Settings with keyring secrets filled in, the secret store, and a keyring warning if any."""
    env = dict(os.environ if env is None else env)
    settings = load_settings(env)
    settings.paths.ensure()
    secrets, warning = open_secret_store(settings.paths.secrets_file, mode=env.get("KASPI_AMO_SECRETS"))
    stored = {name: secrets.get(name) for name in KEYRING_SECRETS}
    if any(stored.values()):
        settings = load_settings(env, secrets=stored)
    return settings, secrets, warning


def open_token_store(settings: Settings, secrets: SecretStore) -> AmoTokenStore:
    """The persisted amoCRM pair, seeded from the environment the way every run seeds it."""
    return AmoTokenStore(
        secrets,
        seed_access=settings.amo_access_token,
        seed_refresh=settings.amo_refresh_token,
        seed_lock=functools.partial(file_lock, settings.paths.data_dir / "amo-seed.lock"),
    )


def open_shared_token_store(settings: Settings, secrets: SecretStore, store: Store) -> TokenStore:
    """This machine's pair, or with KASPI_AMO_STORE_KEY the pair every machine on `store` shares
    (sealed in the store, so the machines never spend each other's single-use refresh token)."""
    local = open_token_store(settings, secrets)
    if not settings.kaspi_amo_store_key:
        return local
    from app.amo.shared_tokens import SealedTokenStore, sealing_key

    store.migrate()  # the meta table, on a store no cycle has touched yet
    return SealedTokenStore(store, sealing_key(settings.kaspi_amo_store_key), local)


def _shared_key(settings: Settings) -> bytes | None:
    """KASPI_AMO_STORE_KEY's bytes when set (cryptography is loaded only then)."""
    if not settings.kaspi_amo_store_key:
        return None
    from app.amo.shared_tokens import key_bytes

    return key_bytes(settings.kaspi_amo_store_key)


def token_manager(settings: Settings, tokens: TokenStore, *, session: requests.Session | None = None) -> TokenManager:
    """Refreshes through the integration when its id, secret and redirect URI are known;
    one refresh at a time across processes (the OS file lock)."""
    oauth = None
    if settings.amo_base_url and settings.amo_client_id and settings.amo_client_secret and settings.amo_redirect_uri:
        oauth = OAuthClient(
            settings.amo_base_url,
            settings.amo_client_id,
            settings.amo_client_secret,
            settings.amo_redirect_uri,
            session=session,
        )
    refresh_lock = functools.partial(file_lock, settings.paths.data_dir / "amo-token.lock")
    return TokenManager(tokens, oauth, refresh_lock=refresh_lock)


def action_settings(settings: Settings) -> ActionSettings:
    """The two-way switches of Settings as the engine reads them."""
    return ActionSettings(
        merchant_id=settings.kaspi_merchant_id,
        auto_accept=settings.kaspi_auto_accept,
        accept_status_id=settings.amo_accept_status_id,
        assemble_status_id=settings.amo_assemble_status_id,
        complete_status_id=settings.amo_complete_status_id,
        cancel_reasons=dict(settings.kaspi_cancel_reasons),
        completed_target=settings.amo_status_map.get("COMPLETED"),
    )


def build_runtime(
    settings: Settings,
    *,
    secrets: SecretStore | None = None,
    tokens: TokenStore | None = None,
    observer: EngineObserver | None = None,
    now: Callable[[], datetime] = utc_now,
    lock_wait: float = 0.0,
    redactor: Redactor | None = None,
    session: requests.Session | None = None,
    retry_sleep: Callable[[float], None] | None = None,
    limiter: RateLimiter | None = None,
    desktop: DesktopNotifier | None = None,
    amo_max_retries: int | None = None,
    wall_clock: Callable[[], datetime] | None = None,
    cache_secret: bytes | None = None,
) -> Runtime:
    """Wire clients, store and engine. Raises ConfigError when something needed is missing.

    `wall_clock` is the clock compared with the servers' Date headers (default: `now`); a test
    that moves `now` to live through hours passes the real one."""
    settings.require_sync()
    assert settings.kaspi_api_token and settings.amo_base_url
    if tokens is None and secrets is None:
        raise ConfigError("Нет хранилища токенов amoCRM.")
    store = open_working_store(settings.database, now=now)
    try:
        if tokens is None:
            assert secrets is not None
            tokens = open_shared_token_store(settings, secrets, store)
        if tokens.load() is None:
            raise ConfigError(
                "amoCRM не подключён: задайте AMO_ACCESS_TOKEN и AMO_REFRESH_TOKEN (или долгосрочный токен "
                "в AMO_ACCESS_TOKEN) либо подключите amoCRM в мастере настройки."
            )
    except BaseException:
        store.close()
        raise
    if redactor is not None:
        pair = tokens.load()
        redactor.add(settings.kaspi_api_token, settings.amo_client_secret, pair.access_token if pair else None,
                     pair.refresh_token if pair else None, settings.healthcheck_ping_url,
                     settings.kaspi_amo_http_password)

    clock = ServerClock(wall_clock or now)
    manager = token_manager(settings, tokens, session=session)
    limiter = limiter or RateLimiter(settings.amo_rps)  # pass one in to share it across runtimes
    sleep = retry_sleep or time.sleep  # tests skip the real backoff waits
    store = open_working_store(settings.database, now=now)
    amo_client = AmoClient(
        settings.amo_base_url, manager, limiter, session=session, clock=clock, sleep=sleep,
        max_retries=AMO_MAX_RETRIES if amo_max_retries is None else amo_max_retries,  # a trial answers fast
        before_write=store.fence,  # the run lock's fence before every write sent
    )
    api = AmoApi(amo_client)
    kaspi = KaspiClient(
        settings.kaspi_api_token, settings.kaspi_base_url, page_size=settings.kaspi_page_size, session=session,
        clock=clock, sleep=sleep,
    )
    options = SyncOptions(
        allowed_states=settings.kaspi_allowed_states,
        destination=Destination(settings.amo_pipeline_id, settings.amo_status_id),
        status_map=dict(settings.amo_status_map),
        dry_run=settings.dry_run,
        account=settings.amo_base_url,
        actions=action_settings(settings),
        # without a secret store (tests, in-memory tokens) the phone cache lives for this runtime only
        cache_secret=cache_secret or store_key(secrets, shared=_shared_key(settings)),
        deadlines=DeadlineSettings(DeadlineRules.from_settings(settings.alert_accept_minutes,
                                                               settings.alert_handover_hours)),
    )
    from app.lang import Translator, choose_language, tray_choice

    translator = Translator(choose_language(None, tray_choice(settings.paths.config_dir)))  # deadline alerts
    alerts = build_alert_manager(settings, store, desktop=desktop, now=now, redactor=redactor, session=session,
                                 translator=translator)
    after_cycle: list[Callable[[CycleReport], object]] = [alerts.after_cycle]
    if settings.healthcheck_ping_url:
        after_cycle.append(HealthcheckPinger(settings.healthcheck_ping_url))
    engine = Engine(
        kaspi,
        api,
        store,
        options,
        observer=observer,
        now=now,
        lock_wait=lock_wait,
        amo_requests=lambda: amo_client.requests_made,
        after_cycle=after_cycle,
        kaspi_writes=KaspiActions(kaspi, settings.kaspi_merchant_id),
        deal_feed=DealFeed(amo_client),
        clock=clock,
        tasks=AmoTasks(amo_client),
    )
    return Runtime(settings, secrets, tokens, store, kaspi, amo_client, api, engine, alerts)


def build_http_service(
    runtime: Runtime, address: ListenAddress, t: Translator, *, redactor: Redactor | None = None,
    now: Callable[[], datetime] = utc_now,
) -> ServiceServer:
    """The `run --http` endpoint over a runtime's store and request counters (not started), in
    the CLI's language `t`. Imported here so a cron `poll` does not load prometheus_client for nothing."""
    from app.service.page import StatusPage
    from app.service.server import ServiceApp, ServiceServer

    settings = runtime.settings
    page = StatusPage(t, redactor or Redactor(), amo_base_url=settings.amo_base_url, dry_run=settings.dry_run)
    app = ServiceApp(
        runtime.store,
        requests=lambda: {"kaspi": runtime.kaspi.requests_made, "amocrm": runtime.amo_client.requests_made},
        page=page,
        t=t,
        heartbeat_minutes=settings.alert_heartbeat_minutes,
        now=now,
        password=settings.kaspi_amo_http_password,
        rules=DeadlineRules.from_settings(settings.alert_accept_minutes, settings.alert_handover_hours),
    )
    return ServiceServer(app, address)
