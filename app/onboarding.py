"""The settings wizard's engine side: what it starts from, checks, saves and tries. No Qt.

The wizard collects a `SetupDraft` page by page and saves nothing until Finish: secrets go
to the secret store (OS keyring, or the owner-only file), everything else to the settings
file, never the other way round. Every function here is callable from a worker thread;
the wizard never runs one on the GUI thread.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import requests

from app.alerts.delivery import Delivery, read_deliveries
from app.alerts.manager import build_channels, send_test
from app.alerts.telegram import TelegramChat, find_chats
from app.amo.api import Account, AmoApi, Pipeline
from app.amo.client import AmoClient
from app.amo.deals import DealFeed, LossReason
from app.amo.ratelimit import RateLimiter
from app.amo.tokens import MemoryTokenStore, TokenPair, TokenStore
from app.bootstrap import (
    KEYRING_SECRETS,
    build_runtime,
    load_configuration,
    open_token_store,
    token_manager,
)
from app.clock import utc_now
from app.config import (
    DEFAULT_ALLOWED_STATES,
    DEFAULT_KASPI_BASE_URL,
    DEFAULT_STATUS_MAP,
    Settings,
    write_settings_file,
)
from app.errors import AmoAuthError, ConfigError
from app.kaspi.client import KaspiClient
from app.net import is_loopback_url
from app.paths import resolve_paths
from app.secrets import AmoTokenStore, SecretStore, open_secret_store
from app.store.base import Store
from app.store.factory import open_working_store
from app.sync.amo_health import AmoHealth, read_health, remember_account_name
from app.sync.engine import bound_account, rebind_store
from app.sync.events import CycleReport

log = logging.getLogger(__name__)

T = TypeVar("T")

#: The wizard's live checks answer fast or not at all (connect, read) in seconds.
CHECK_TIMEOUT = (5.0, 15.0)

#: amoCRM requests per second for checks when no sync runs to share its limiter with.
AMO_CHECK_RPS = 6.0

#: How long Finish waits for a running sync to let go of the store when the account changes.
SWITCH_LOCK_WAIT = 120.0

#: The trial is a preview the owner waits for: one retry, not the cycle's patient backoff.
TRIAL_AMO_RETRIES = 1

#: SetupDraft field → the Settings field it stands for: the non-secret settings the wizard
#: owns, read from Settings when it opens and written to settings.json (upper-cased) at Finish.
DRAFT_TO_SETTINGS = {
    "kaspi_base_url": "kaspi_base_url",
    "allowed_states": "kaspi_allowed_states",
    "amo_base_url": "amo_base_url",
    "amo_client_id": "amo_client_id",
    "amo_redirect_uri": "amo_redirect_uri",
    "pipeline_id": "amo_pipeline_id",
    "status_id": "amo_status_id",
    "status_map": "amo_status_map",
    "telegram_chat_id": "alert_telegram_chat_id",
    "email_to": "alert_email_to",
    "email_from": "alert_email_from",
    "smtp_host": "alert_email_smtp_host",
    "smtp_port": "alert_email_smtp_port",
    "smtp_user": "alert_email_smtp_user",
    "fail_streak": "alert_fail_streak",
    "backlog_threshold": "alert_backlog_threshold",
    "heartbeat_minutes": "alert_heartbeat_minutes",
    "merchant_id": "kaspi_merchant_id",
    "auto_accept": "kaspi_auto_accept",
    "accept_status_id": "amo_accept_status_id",
    "assemble_status_id": "amo_assemble_status_id",
    "complete_status_id": "amo_complete_status_id",
    "cancel_reasons": "kaspi_cancel_reasons",
}


@dataclass
class SetupDraft:
    """What the wizard shows and collects. Secrets typed in this session sit in
    `new_secrets` until Finish; saved ones are only known by name (`saved_secrets`)."""

    kaspi_base_url: str = DEFAULT_KASPI_BASE_URL
    allowed_states: tuple[str, ...] = DEFAULT_ALLOWED_STATES
    amo_base_url: str | None = None
    amo_client_id: str | None = None
    amo_redirect_uri: str | None = None
    amo_tokens: TokenPair | None = None  # a pair obtained in this session
    amo_account_name: str | None = None  # shown after a successful check
    forget_oauth_app: bool = False  # a long-lived token replaces the integration's id/secret
    pipeline_id: int | None = None
    status_id: int | None = None
    status_map: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_STATUS_MAP))
    telegram_chat_id: str | None = None
    email_to: str | None = None
    email_from: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    fail_streak: int = 3
    backlog_threshold: int = 25
    heartbeat_minutes: int = 5
    # acting on Kaspi from amoCRM: every action off until the owner switches it on
    merchant_id: str | None = None
    auto_accept: bool = False
    accept_status_id: int | None = None
    assemble_status_id: int | None = None
    complete_status_id: int | None = None
    cancel_reasons: dict[int, str] = field(default_factory=dict)
    new_secrets: dict[str, str] = field(default_factory=dict)
    saved_secrets: frozenset[str] = frozenset()
    has_saved_amo_tokens: bool = False
    base: Settings | None = field(default=None, repr=False)  # what was loaded (secrets included)
    # what the running app learnt (the store): is amoCRM still letting it in, did alerts arrive
    amo_health: AmoHealth | None = None
    deliveries: dict[str, Delivery] = field(default_factory=dict)

    def secret(self, name: str) -> str | None:
        """The value a check should use: typed now, else the saved one (never shown)."""
        if name in self.new_secrets:
            return self.new_secrets[name] or None
        return getattr(self.base, name.lower(), None) if self.base is not None else None

    def has_secret(self, name: str) -> bool:
        return bool(self.new_secrets.get(name)) or self.is_saved(name)

    def is_saved(self, name: str) -> bool:
        """Already in the secret store and not replaced in this session: only such a secret
        may be called «сохранён»; a typed one waits for Finish."""
        return name not in self.new_secrets and name in self.saved_secrets

    @property
    def amo_refused(self) -> AmoHealth | None:
        """The saved connection's last verdict when amoCRM refused it (not after a reconnect)."""
        health = self.amo_health
        if self.amo_tokens is not None or health is None or not health.refused:
            return None
        return health if health.account == (self.amo_base_url or "") else None

    @property
    def actions_on(self) -> bool:
        """Whether any Kaspi action is switched on (the wizard then shows its page)."""
        return bool(self.auto_accept or self.accept_status_id or self.assemble_status_id or self.complete_status_id
                    or self.cancel_reasons)

    @property
    def amo_connected(self) -> bool:
        return self.amo_tokens is not None or self.has_saved_amo_tokens

    @property
    def complete(self) -> bool:
        """Enough to sync: a Kaspi token, an amoCRM account with tokens."""
        return self.has_secret("KASPI_API_TOKEN") and bool(self.amo_base_url) and self.amo_connected

    def settings(self, **changes: Any) -> Settings:
        """Settings as they will be after Finish (for checks, alerts tests and the trial)."""
        base = self.base or Settings()
        values: dict[str, Any] = {target: copy.copy(getattr(self, name)) for name, target in DRAFT_TO_SETTINGS.items()}
        values.update(
            kaspi_api_token=self.secret("KASPI_API_TOKEN"),
            kaspi_allowed_states=tuple(self.allowed_states),
            amo_client_secret=self.secret("AMO_CLIENT_SECRET"),
            alert_telegram_bot_token=self.secret("ALERT_TELEGRAM_BOT_TOKEN"),
            alert_email_smtp_pass=self.secret("ALERT_EMAIL_SMTP_PASS"),
        )
        if self.forget_oauth_app:  # a long-lived token: no integration to refresh through
            values.update(amo_client_id=None, amo_client_secret=None, amo_redirect_uri=None)
        values.update(changes)
        return replace(base, **values)


@dataclass
class Loaded:
    draft: SetupDraft
    secrets: SecretStore
    problem: str | None  # the current configuration could not be read (shown, not fatal)


def load_draft(env: Mapping[str, str]) -> Loaded:
    """The wizard's starting point: the current configuration, or defaults when it is unreadable."""
    env = dict(env)
    problem = None
    try:
        settings, secrets, _warning = load_configuration(env)
    except ConfigError as exc:
        problem = exc.message
        paths = resolve_paths(env)
        paths.ensure()
        secrets, _warning = open_secret_store(paths.secrets_file, mode=env.get("KASPI_AMO_SECRETS"))
        settings = Settings(paths=paths)
    saved = frozenset(name for name in KEYRING_SECRETS if getattr(settings, name.lower(), None))
    facts = _store_facts(settings) if problem is None else _StoreFacts()
    health, deliveries = facts.health, facts.deliveries
    draft = SetupDraft(
        **{name: copy.copy(getattr(settings, target)) for name, target in DRAFT_TO_SETTINGS.items()},
        saved_secrets=saved,
        has_saved_amo_tokens=_saved_pair(secrets, settings) is not None or facts.shared_pair,
        base=settings,
        amo_health=health,
        deliveries=deliveries,
        amo_account_name=health.account_name if health is not None and health.account == settings.amo_base_url else None,
    )
    return Loaded(draft, secrets, problem)


@dataclass(frozen=True)
class _StoreFacts:
    health: AmoHealth | None = None
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    shared_pair: bool = False  # KASPI_AMO_STORE_KEY: another machine's amoCRM pair is in the store


def _store_facts(settings: Settings) -> _StoreFacts:
    """What the sync learnt: amoCRM's last verdict, each alert channel's last delivery and
    whether the machines sharing this store have an amoCRM pair. A store that cannot be read
    yet (first start, locked) simply knows nothing."""
    if not settings.amo_base_url:
        return _StoreFacts()
    try:
        store = open_working_store(settings.database)
    except Exception:  # the wizard opens anyway; Finish reports a broken store
        log.info("store not readable for the wizard", exc_info=True)
        return _StoreFacts()
    try:
        return _StoreFacts(read_health(store), read_deliveries(store), _has_shared_pair(store, settings))
    except Exception:  # a damaged meta value: the wizard shows nothing rather than fail
        log.info("store facts not readable for the wizard", exc_info=True)
        return _StoreFacts()
    finally:
        store.close()


def _has_shared_pair(store: Store, settings: Settings) -> bool:
    """A wrong key counts as no pair here: the poll says what is wrong with it."""
    if not settings.kaspi_amo_store_key:
        return False
    from app.amo.shared_tokens import shared_pair  # cryptography only when a key is set

    try:
        return shared_pair(store, settings.kaspi_amo_store_key) is not None
    except ConfigError:
        return False


def _saved_pair(secrets: SecretStore, settings: Settings) -> TokenPair | None:
    pair = AmoTokenStore(secrets).load()
    if pair is None and settings.amo_access_token:
        return TokenPair(settings.amo_access_token, settings.amo_refresh_token, None)
    return pair


# --- live checks (worker thread) ---------------------------------------------------------


def check_kaspi(token: str, base_url: str, *, session: requests.Session | None = None,
                timeout: tuple[float, float] = CHECK_TIMEOUT) -> None:
    """One one-item page of the last 24 hours. Raises KaspiAuthError / KaspiUnavailable /
    KaspiError; no retries, short timeouts: the owner is waiting in front of the screen."""
    client = KaspiClient(token, base_url, page_size=1, session=session, timeout=timeout, max_retries=0)
    client.check_token()


def amo_tokens_for(draft: SetupDraft, secrets: SecretStore) -> tuple[TokenStore, MemoryTokenStore | None]:
    """Where the draft's amoCRM pair lives: a pair obtained in this session stays in memory
    (unsaved until Finish); the saved pair is used in place, so a refresh made during a
    check or the trial is persisted at once (amoCRM accepts each refresh token only once)."""
    if draft.amo_tokens is not None:
        memory = MemoryTokenStore(draft.amo_tokens)
        return memory, memory
    settings = draft.settings()
    return open_token_store(settings, secrets), None


def load_pipelines(draft: SetupDraft, secrets: SecretStore, *, session: requests.Session | None = None,
                   limiter: RateLimiter | None = None) -> list[Pipeline]:
    """The account's pipelines and their statuses, for the pickers (refreshing the token if due)."""
    return _ask_amo(draft, secrets, lambda client: AmoApi(client).pipelines(), session=session, limiter=limiter)


def _ask_amo(draft: SetupDraft, secrets: SecretStore, ask: Callable[[AmoClient], T], *,
             session: requests.Session | None, limiter: RateLimiter | None) -> T:
    """One read from amoCRM with the draft's (or the saved) tokens; a refresh it needs is
    persisted like the sync's (see `amo_tokens_for`)."""
    settings = draft.settings()
    if not settings.amo_base_url:
        raise ConfigError("Не указан адрес аккаунта amoCRM.")
    tokens, memory = amo_tokens_for(draft, secrets)
    if tokens.load() is None:
        raise AmoAuthError("amoCRM не подключён.")
    client = AmoClient(settings.amo_base_url, token_manager(settings, tokens, session=session),
                       limiter or RateLimiter(AMO_CHECK_RPS), session=session, max_retries=1)
    try:
        return ask(client)
    finally:
        if memory is not None and memory.pair is not None:
            draft.amo_tokens = memory.pair  # rotated while asking: keep the live one


def load_loss_reasons(draft: SetupDraft, secrets: SecretStore, *, session: requests.Session | None = None,
                      limiter: RateLimiter | None = None) -> list[LossReason]:
    """The account's loss reasons by name, for mapping them to Kaspi's cancellation reasons."""
    return _ask_amo(draft, secrets, lambda client: DealFeed(client).loss_reasons(), session=session, limiter=limiter)


def check_amo_connection(draft: SetupDraft, secrets: SecretStore, *, session: requests.Session | None = None,
                         limiter: RateLimiter | None = None) -> Account:
    """GET /api/v4/account: is amoCRM letting us in now (the amoCRM page of a configured app)?"""
    return _ask_amo(draft, secrets, lambda client: AmoApi(client).account(), session=session, limiter=limiter)


def default_pipeline(pipelines: list[Pipeline]) -> Pipeline | None:
    """Where new deals go when nothing was chosen yet: a pipeline the owner already named
    for Kaspi («Kaspi заказы», «Kaspi.kz»), else the main one, else the first."""
    for pipeline in pipelines:
        if pipeline.name.strip().casefold().startswith("kaspi"):
            return pipeline
    return next((p for p in pipelines if p.is_main), pipelines[0] if pipelines else None)


def find_telegram_chats(draft: SetupDraft, *, session: requests.Session | None = None) -> list[TelegramChat]:
    """«Найти чат»: the chats that wrote to the draft's bot, newest first (ChannelError: why not)."""
    token = draft.secret("ALERT_TELEGRAM_BOT_TOKEN")
    if not token:
        raise ConfigError("Сначала вставьте токен бота.")
    return find_chats(token, draft.settings().telegram_api_url, session=session)


def send_test_alert(draft: SetupDraft, channel_name: str, *, session: requests.Session | None = None) -> str | None:
    """Deliver a probe through one channel as the draft configures it: None, or why not."""
    channels = [c for c in build_channels(draft.settings(), session=session) if c.name == channel_name]
    if not channels:
        raise ConfigError("Канал оповещений настроен не полностью.")
    return send_test(channels[0])


def trial_run(draft: SetupDraft, secrets: SecretStore, *, session: requests.Session | None = None,
              limiter: RateLimiter | None = None) -> CycleReport:
    """A DRY_RUN poll with the unsaved draft: what would be created, nothing written to amoCRM.

    Uses the configured store (a dry run marks nothing processed) so orders synced before
    are not listed again. Token refreshes follow `amo_tokens_for`: the saved pair is
    refreshed in place, a new one stays in the draft.
    """
    tokens, memory = amo_tokens_for(draft, secrets)
    if tokens.load() is None:
        raise ConfigError("amoCRM не подключён.")
    settings = draft.settings(dry_run=True)
    runtime = build_runtime(settings, secrets=secrets, tokens=tokens, lock_wait=30.0, session=session,
                            limiter=limiter, amo_max_retries=TRIAL_AMO_RETRIES)
    try:
        return runtime.engine.poll()
    finally:
        runtime.close()
        if memory is not None and memory.pair is not None:
            draft.amo_tokens = memory.pair


# --- another amoCRM account ---------------------------------------------------------------


def previous_account(draft: SetupDraft) -> str | None:
    """The other real amoCRM account the app's store synced to, when the draft connects a
    different one (the sandbox's leftovers clear themselves and do not count)."""
    settings = draft.settings()
    if not settings.amo_base_url:
        return None
    store = open_working_store(settings.database)
    try:
        bound = bound_account(store)
    finally:
        store.close()
    if bound and bound != settings.amo_base_url and not is_loopback_url(bound):
        return bound
    return None


def _switch_store(draft: SetupDraft) -> None:
    """Start the store afresh for the newly connected account, under the run lock (a running
    sync finishes its batch first); without this every poll would refuse the store."""
    previous = previous_account(draft)
    if previous is None:
        return
    settings = draft.settings()
    assert settings.amo_base_url
    store = open_working_store(settings.database)
    try:
        with store.run_lock("wizard:switch-account", wait_seconds=SWITCH_LOCK_WAIT):
            if bound_account(store) == previous:
                removed = rebind_store(store, settings.amo_base_url)
                log.info("store started afresh for another amoCRM account", extra={"forgotten_orders": removed})
    finally:
        store.close()


# --- saving (Finish) ---------------------------------------------------------------------


def _remember_account_name(draft: SetupDraft) -> None:
    """The account's name the wizard learnt goes to the store, for the summary on reopen."""
    settings = draft.settings()
    if not (draft.amo_account_name and settings.amo_base_url):
        return
    try:
        store = open_working_store(settings.database)
    except Exception:  # a store that cannot be opened now: the settings are saved all the same
        log.info("account name not kept: store not readable", exc_info=True)
        return
    try:
        remember_account_name(store, settings.amo_base_url, draft.amo_account_name, utc_now())
    finally:
        store.close()


def save_draft(draft: SetupDraft, secrets: SecretStore, settings_file: Path) -> None:
    """Secrets to the secret store first, then the settings file (atomic).

    A crash between the two leaves new secrets with the old settings, which the next
    wizard run shows and overwrites; never a settings file pointing at missing secrets.
    Another amoCRM account than the store's starts the store afresh, before anything else.
    """
    _switch_store(draft)
    for name, value in draft.new_secrets.items():
        if value:
            secrets.set(name, value)
        else:
            secrets.delete(name)
    if draft.forget_oauth_app:
        secrets.delete("AMO_CLIENT_SECRET")
    if draft.amo_tokens is not None:
        AmoTokenStore(secrets).save(draft.amo_tokens)
    settings = draft.settings()
    values = {target.upper(): getattr(settings, target) for target in DRAFT_TO_SETTINGS.values()}
    write_settings_file(settings_file, values, clean=True)
    _remember_account_name(draft)
    log.info("settings saved by the wizard", extra={"settings_file": str(settings_file),
                                                     "secrets": sorted(draft.new_secrets)})
