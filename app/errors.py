"""Errors that carry text a shop owner can read.

Every failure the engine reports is a SyncError with a short `title` and a `message`
that says what happened and what to do (the Maestral pattern). The titles live here
and only here; app/lang translates them (with the advice for each kind). The tray, the CLI and
the alert channels show these texts as they are; `detail` keeps the technical cause
for the log. Keep this module free of heavy imports: everything imports it.
"""

from __future__ import annotations

from typing import TypedDict, Unpack


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - Qt's marker spelling; app/lang translates
    """Marks a title as user-facing text. Its translations are in app/lang/en_errors.py and
    kk_errors.py by the error's class (tests/test_cli_i18n.py fails on a kind without one),
    shown by the CLI and the tray through app.lang.Translator.explain; Qt's catalogs no
    longer carry them. The engine and alerts show the Russian text itself."""
    return text


class ErrorTexts(TypedDict, total=False):
    """What every SyncError takes besides its message (subclasses pass it through)."""

    title: str | None
    detail: str | None


class StatusErrorTexts(ErrorTexts, total=False):
    """ErrorTexts plus the HTTP status, for errors built on KaspiError/AmoError."""

    status: int | None


class SyncError(Exception):
    """Base of every error the engine turns into a user-visible message."""

    title: str = QT_TRANSLATE_NOOP("Errors", "Ошибка синхронизации")

    def __init__(self, message: str, *, title: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.title}: {self.message}"


class ConfigError(SyncError):
    """The configuration is missing or invalid; the CLI exits with code 2."""

    title = QT_TRANSLATE_NOOP("Errors", "Ошибка настроек")


# --- Kaspi -----------------------------------------------------------------------------


class KaspiError(SyncError):
    title = QT_TRANSLATE_NOOP("Errors", "Ошибка Kaspi")

    def __init__(self, message: str, *, status: int | None = None, **kw: Unpack[ErrorTexts]) -> None:
        super().__init__(message, **kw)
        self.status = status


class KaspiAuthError(KaspiError):
    """401/403: the API token is wrong or was regenerated in the merchant cabinet."""

    title = QT_TRANSLATE_NOOP("Errors", "Kaspi не принимает токен")


class KaspiBadRequest(KaspiError):
    """400: Kaspi rejected the request (filters, windows). Never retried."""

    title = QT_TRANSLATE_NOOP("Errors", "Kaspi отклонил запрос")


class KaspiUnavailable(KaspiError):
    """Network errors, timeouts, 5xx after retries. Temporary by nature.

    `cause` says which, for screens that explain it in their own language:
    "timeout", "offline" (no connection), "tls" or "server" (5xx/429 after retries).
    """

    title = QT_TRANSLATE_NOOP("Errors", "Kaspi недоступен")

    def __init__(self, message: str, *, cause: str = "server", **kw: Unpack[StatusErrorTexts]) -> None:
        super().__init__(message, **kw)
        self.cause = cause


class KaspiUnreachable(KaspiUnavailable):
    """No connection could be made to a Kaspi address that has not answered once in this run:
    most likely a wrong KASPI_BASE_URL (or no internet), so it is not retried for a minute."""

    def __init__(self, message: str, *, address: str, **kw: Unpack[StatusErrorTexts]) -> None:
        super().__init__(message, cause="offline", **kw)
        self.address = address


class KaspiParseError(KaspiError):
    """An order (or the whole response) could not be understood."""

    title = QT_TRANSLATE_NOOP("Errors", "Непонятный заказ Kaspi")

    def __init__(
        self,
        message: str,
        *,
        order_code: str | None = None,
        order_id: str | None = None,
        **kw: Unpack[StatusErrorTexts],
    ) -> None:
        super().__init__(message, **kw)
        self.order_code = order_code
        self.order_id = order_id  # Kaspi's JSON:API id, when the order has no usable code


class KaspiActionError(KaspiError):
    """A Kaspi write (accept, assemble, cancel, complete) did not happen."""

    title = QT_TRANSLATE_NOOP("Errors", "Kaspi не выполнил действие")


class KaspiRefused(KaspiActionError):
    """Kaspi answered a write with a refusal (4xx): the order's status does not allow it, or
    the buyer's code is wrong. Never retried; the manager decides what to do next.

    `kind` names the refusal for screens that explain it in their own language:
    "wrong_code", "cancelled", "completed", "signature", "transition" or "other";
    `kaspi_text` is Kaspi's own words (errors[0].title).
    """

    title = QT_TRANSLATE_NOOP("Errors", "Kaspi отказал")

    def __init__(self, message: str, *, kind: str = "other", kaspi_text: str = "", **kw: Unpack[StatusErrorTexts]) -> None:
        super().__init__(message, **kw)
        self.kind = kind
        self.kaspi_text = kaspi_text


class KaspiWrongCode(KaspiRefused):
    """The code typed into `Kaspi: код выдачи` is not the one Kaspi sent the buyer (or empty)."""

    title = QT_TRANSLATE_NOOP("Errors", "Неверный код выдачи")


class KaspiMerchantError(KaspiActionError):
    """KASPI_MERCHANT_ID is missing, or Kaspi refuses writes for it (401/403/404 on a write):
    every Kaspi action pauses until it is fixed; syncing new orders goes on."""

    title = QT_TRANSLATE_NOOP("Errors", "Kaspi не принимает ID магазина")


class KaspiWriteUncertain(KaspiUnavailable):
    """The write reached Kaspi (or may have) but no answer came back: the next step is to
    re-read the order, never to send the write again blindly."""

    title = QT_TRANSLATE_NOOP("Errors", "Kaspi не ответил на действие")


class KaspiDuplicateCode(KaspiParseError):
    """Two different Kaspi orders (ids) under one order code: which one the deal should show is
    unknowable, so neither is written until Kaspi answers with one."""

    title = QT_TRANSLATE_NOOP("Errors", "Два заказа Kaspi с одним номером")

    def __init__(self, message: str, *, order_code: str, order_ids: tuple[str, ...], **kw: Unpack[StatusErrorTexts]) -> None:
        super().__init__(message, order_code=order_code, order_id=order_ids[-1], **kw)
        self.order_ids = order_ids


# --- amoCRM ----------------------------------------------------------------------------


class AmoError(SyncError):
    title = QT_TRANSLATE_NOOP("Errors", "Ошибка amoCRM")

    def __init__(self, message: str, *, status: int | None = None, **kw: Unpack[ErrorTexts]) -> None:
        super().__init__(message, **kw)
        self.status = status
        # a batch write that failed in a later chunk: the results of the chunks before it
        self.partial_results: list[object] = []


class AmoAuthError(AmoError):
    """401 that a token refresh did not cure (or no refresh is possible)."""

    title = QT_TRANSLATE_NOOP("Errors", "amoCRM не принимает доступ")


class AmoTokenRevoked(AmoAuthError):
    """The refresh token is dead: the owner must reconnect amoCRM. Never loop on it."""

    title = QT_TRANSLATE_NOOP("Errors", "Нужно заново подключить amoCRM")


class AmoRateLimited(AmoError):
    """429 kept coming after every retry."""

    title = QT_TRANSLATE_NOOP("Errors", "amoCRM просит подождать")


class AmoBlocked(AmoError):
    """403 HTML page: the account's API is blocked for too many requests. Stop calling."""

    title = QT_TRANSLATE_NOOP("Errors", "amoCRM временно заблокировал доступ")


class AmoPaymentRequired(AmoError):
    title = QT_TRANSLATE_NOOP("Errors", "Аккаунт amoCRM не оплачен")


class AmoValidationError(AmoError):
    """400 with problem+json validation-errors: our request was wrong. Never retried."""

    title = QT_TRANSLATE_NOOP("Errors", "amoCRM отклонил данные")

    def __init__(self, message: str, *, errors: list[object] | None = None, **kw: Unpack[StatusErrorTexts]) -> None:
        super().__init__(message, **kw)
        self.errors = errors or []


class AmoNotFound(AmoError):
    title = QT_TRANSLATE_NOOP("Errors", "Не найдено в amoCRM")


class AmoUnavailable(AmoError):
    """Network errors, timeouts, 5xx after retries."""

    title = QT_TRANSLATE_NOOP("Errors", "amoCRM недоступен")


class AmoUnreachable(AmoUnavailable):
    """No connection could be made to an amoCRM address that has not answered once in this run
    (a wrong AMO_BASE_URL, no internet): the cycle stops at once instead of retrying per order.
    Nothing was sent, so nothing may have been applied."""

    maybe_applied = False

    def __init__(self, message: str, *, address: str, **kw: Unpack[StatusErrorTexts]) -> None:
        super().__init__(message, **kw)
        self.address = address


# --- the computer ----------------------------------------------------------------------


class ClockSkewError(SyncError):
    """This computer's clock is far from Kaspi's/amoCRM's: the poll window would be wrong."""

    title = QT_TRANSLATE_NOOP("Errors", "Часы компьютера идут неверно")


# --- store -----------------------------------------------------------------------------


class StoreError(SyncError):
    title = QT_TRANSLATE_NOOP("Errors", "Ошибка базы данных")


class StoreConfigError(StoreError, ConfigError):
    """The store DATABASE_URL names cannot be used as configured: no such database or schema,
    a login the server refuses, psycopg not installed. A configuration error (exit code 2),
    unlike a server that is down for a while (a StoreError, exit code 1)."""


class StoreCorruptError(StoreError):
    """The database file is not a database (or is damaged): it can be set aside and rebuilt."""


class StoreLockedError(StoreError):
    """Another run holds the store's run lock (or the database is locked)."""

    title = QT_TRANSLATE_NOOP("Errors", "Синхронизация уже идёт")


class RunLockLost(StoreError):
    """This run's lock was taken over (it was thought hung, or its lock session died): it must
    not write anything more; the run that holds the lock now finishes its orders."""

    title = QT_TRANSLATE_NOOP("Errors", "Синхронизацию продолжил другой запуск")
