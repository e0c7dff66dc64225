"""What the wizard says when a check fails: plain words, translated, and whether the owner
may go on without the check (only when the network, not the input, is the problem)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app import errors
from app.amo import connect


def tr(text: str) -> str:
    return QCoreApplication.translate("Wizard", text)


@dataclass(frozen=True)
class Problem:
    text: str
    may_insist: bool = False  # offer "continue without the check"


def kaspi_problem(exc: BaseException) -> Problem:
    if isinstance(exc, errors.KaspiAuthError):
        return Problem(QCoreApplication.translate("Wizard", "Kaspi не принял токен. Скопируйте его заново в кабинете продавца: "
                          "Настройки → Токен API, и вставьте целиком."))
    if isinstance(exc, errors.KaspiUnavailable):
        what_to_check = QCoreApplication.translate("Wizard", "Проверьте подключение к интернету; если выход в интернет идёт через "
                                                   "прокси, VPN или антивирус, проверьте, что они пропускают запросы к kaspi.kz.")
        if exc.cause == "timeout":
            return Problem(QCoreApplication.translate("Wizard", "Нет ответа от Kaspi: время ожидания истекло.") + " " + what_to_check,
                           may_insist=True)
        if exc.cause == "offline":
            return Problem(QCoreApplication.translate("Wizard", "Нет связи с Kaspi.") + " " + what_to_check, may_insist=True)
        if exc.cause == "tls":
            return Problem(QCoreApplication.translate("Wizard", "Не удалось проверить сертификат Kaspi: проверьте дату и время на компьютере "
                              "или антивирус, который проверяет HTTPS."), may_insist=True)
        return Problem(QCoreApplication.translate("Wizard", "Kaspi временно не отвечает. Попробуйте позже или продолжите без проверки."),
                       may_insist=True)
    if isinstance(exc, ValueError):
        return Problem(QCoreApplication.translate("Wizard", "Адрес API Kaspi должен начинаться с https://."))
    if isinstance(exc, errors.SyncError):
        return Problem(QCoreApplication.translate("Wizard", "Kaspi отклонил проверочный запрос. Если ошибка повторяется, отправьте журнал "
                          "в поддержку."), may_insist=True)
    return Problem(QCoreApplication.translate("Wizard", "Проверка не удалась из-за непредвиденной ошибки. Подробности в журнале."), may_insist=True)


def amo_problem(exc: BaseException) -> Problem:
    if isinstance(exc, connect.ConsentRefused):
        return Problem(QCoreApplication.translate("Wizard", "Доступ не разрешён: в окне amoCRM нажали «Отказать». Нажмите «Открыть amoCRM» "
                          "ещё раз и выберите «Разрешить»."))
    if isinstance(exc, connect.StateMismatch):
        return Problem(QCoreApplication.translate("Wizard", "Ответ amoCRM относится к другому подключению (не совпадает проверочный код). "
                          "Ничего не сохранено: начните подключение заново из этого окна."))
    if isinstance(exc, connect.NoCodeInRedirect):
        return Problem(QCoreApplication.translate("Wizard", "В адресе нет кода авторизации. Скопируйте адрес целиком из строки браузера "
                          "после «Разрешить»."))
    if isinstance(exc, TimeoutError):
        return Problem(QCoreApplication.translate("Wizard", "amoCRM не вернул ответ: окно браузера закрыто или подключение не завершено. "
                          "Нажмите «Открыть amoCRM» ещё раз."))
    if isinstance(exc, errors.AmoUnavailable):
        return Problem(QCoreApplication.translate("Wizard", "Нет связи с amoCRM. Проверьте подключение к интернету и адрес аккаунта."))
    if isinstance(exc, errors.AmoPaymentRequired):
        return Problem(QCoreApplication.translate("Wizard", "Аккаунт amoCRM не оплачен: после оплаты подключите его снова."))
    if isinstance(exc, errors.AmoAuthError):
        return Problem(QCoreApplication.translate("Wizard", "amoCRM не принял данные входа. Код авторизации действует 20 минут и только один "
                          "раз: получите новый и проверьте ID интеграции, секретный ключ и адрес "
                          "перенаправления. Долгосрочный токен мог истечь или быть отозван."))
    if isinstance(exc, errors.ConfigError):
        return Problem(exc.message)
    if isinstance(exc, OSError):
        return Problem(QCoreApplication.translate("Wizard", "Не удалось принять ответ amoCRM на этом компьютере: адрес перенаправления занят "
                          "другой программой. Укажите в интеграции другой порт, например "
                          "http://127.0.0.1:8766/callback."))
    if isinstance(exc, errors.SyncError):
        return Problem(QCoreApplication.translate("Wizard", "amoCRM ответил ошибкой. Проверьте адрес аккаунта и попробуйте ещё раз."))
    return Problem(QCoreApplication.translate("Wizard", "Подключение не удалось из-за непредвиденной ошибки. Подробности в журнале."))


def pipelines_problem(exc: BaseException) -> Problem:
    if isinstance(exc, errors.AmoAuthError):
        return Problem(QCoreApplication.translate("Wizard", "amoCRM не принимает доступ: вернитесь на шаг amoCRM и подключитесь заново."))
    if isinstance(exc, errors.AmoUnavailable):
        return Problem(QCoreApplication.translate("Wizard", "Нет связи с amoCRM: воронки не загрузились. Нажмите «Повторить»."), may_insist=True)
    return Problem(QCoreApplication.translate("Wizard", "Не удалось загрузить воронки amoCRM. Нажмите «Повторить»."), may_insist=True)
