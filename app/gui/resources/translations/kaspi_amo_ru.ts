<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="ru">
<context>
    <name>Controller</name>
    <message>
        <source>Пробный режим (DRY_RUN): в amoCRM ничего не записывается.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Запуск…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Последняя успешная синхронизация: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Последняя синхронизация: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Идёт синхронизация…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Синхронизация на паузе</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Следующая: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>В очереди: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Последняя ошибка</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Синхронизация не запущена: не хватает настроек.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Проверяю настройки и базу данных…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Не удалось изменить автозапуск: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Программа продолжает работать в трее. Значок показывает, как идёт синхронизация.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>завершаю текущую пачку заказов…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Kaspi не принимает токен</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Скопируйте новый токен API в кабинете продавца Kaspi (Настройки → Токен API) и укажите его в настройках.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kaspi недоступен</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Не удалось связаться с Kaspi. Проверьте интернет; синхронизация повторится сама.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kaspi отклонил запрос</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kaspi не принял запрос. Если ошибка повторяется, отправьте журнал в поддержку.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Непонятный заказ Kaspi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Заказ Kaspi пришёл в непонятном виде и отложен для проверки.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Нужно заново подключить amoCRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Доступ к amoCRM отозван. Подключите amoCRM заново в настройках.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM не принимает доступ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM не принимает ключ доступа. Подключите amoCRM заново в настройках.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM просит подождать</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM временно ограничил число запросов. Синхронизация продолжится сама.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM временно заблокировал доступ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM заблокировал доступ из-за слишком частых запросов (часто из-за других интеграций). Синхронизация продолжится позже.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Аккаунт amoCRM не оплачен</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Оплатите аккаунт amoCRM: после этого сделки снова будут создаваться.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM отклонил данные</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM не принял данные сделки. Проверьте воронку и этап в настройках.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM недоступен</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Не удалось связаться с amoCRM. Проверьте интернет; синхронизация повторится сама.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Синхронизация уже идёт</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Заказы сейчас передаёт другая копия программы; эта попробует снова через минуту.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ошибка базы данных</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Не удалось прочитать или записать базу данных программы. Подробности — в журнале.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ошибка настроек</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Проверьте настройки программы.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ошибка синхронизации</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Синхронизация не удалась. Подробности — в журнале.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Kaspi</name>
    <message>
        <source>Новый</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ждёт подписи</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Самовывоз</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Доставка</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kaspi Доставка</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Архив</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Одобрен банком</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Принят</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Выдан</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Отменён</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Отменяется</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Запрошен возврат</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Возврат принят</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Возвращён</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Notify</name>
    <message numerus="yes">
        <source>Не удалось передать %n заказов</source>
        <translation>
            <numerusform>Не удалось передать %n заказ</numerusform>
            <numerusform>Не удалось передать %n заказа</numerusform>
            <numerusform>Не удалось передать %n заказов</numerusform>
        </translation>
    </message>
    <message>
        <source>Синхронизация восстановлена</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Заказы Kaspi снова передаются в amoCRM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Новая сделка в amoCRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Создано %n сделок</source>
        <translation>
            <numerusform>Создана %n сделка</numerusform>
            <numerusform>Создано %n сделки</numerusform>
            <numerusform>Создано %n сделок</numerusform>
        </translation>
    </message>
    <message>
        <source>Заказы Kaspi %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>и ещё %n</source>
        <translation>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
            <numerusform>и ещё %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Orders</name>
    <message>
        <source>Заказ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Дата</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Покупатель</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Телефон</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Сумма</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kaspi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Передача</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Сделка</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>нет телефона</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>№ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Открыть сделку в amoCRM: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Настройки</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Подключение</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Программа</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Как в системе</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Язык:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Не показывать уведомления</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Запускать при входе в систему</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Сохранить</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Отмена</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Мастер подключения появится в следующем обновлении. Пока подключение задаётся в файле %1 или в файле .env рядом с программой.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kaspi и amoCRM подключены. amoCRM: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Проверяю настройки…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Не хватает:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <source>Токен API Kaspi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Кабинет продавца Kaspi → Настройки → Токен API.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Адрес вашего amoCRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Например, https://mojmagazin.amocrm.ru</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Доступ к amoCRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ключ интеграции amoCRM: долгосрочный токен или пара токенов.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Нужно завершить настройку</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Всё в порядке</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Идёт синхронизация…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Нужно внимание</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Синхронизация не удалась</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Синхронизация на паузе</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>В amoCRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ожидает</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ошибка</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Нужна проверка</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Time</name>
    <message>
        <source>ещё не было</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>только что</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n мин назад</source>
        <translation>
            <numerusform>%n мин назад</numerusform>
            <numerusform>%n мин назад</numerusform>
            <numerusform>%n мин назад</numerusform>
        </translation>
    </message>
    <message>
        <source>сегодня в %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>вчера в %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>через %1 с</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>через %1 мин</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Синхронизировать сейчас</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Открыть окно</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Возобновить синхронизацию</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Приостановить синхронизацию</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Настройки…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Открыть папку журналов</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Выйти</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <source>&amp;Файл</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Синхронизировать сейчас</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Настройки…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Открыть папку журналов</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Выйти</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Повторить неудачные</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Запустить опрос сейчас: заказы с ошибкой пробуются снова при каждом опросе.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Поиск: номер заказа, покупатель, телефон…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Все заказы</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>С ошибками</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ожидают передачи</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Заказов пока нет.
Новые заказы Kaspi появятся здесь в течение минуты после оформления.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Нужно завершить настройку</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Открыть настройки…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Проверить снова</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Возобновить</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Возобновить синхронизацию</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Пауза</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Приостановить синхронизацию</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amoCRM: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Сегодня: создано %1 · обновлено %2 · ошибок %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Передано в amoCRM: %n заказов</source>
        <translation>
            <numerusform>Передано в amoCRM: %n заказ</numerusform>
            <numerusform>Передано в amoCRM: %n заказа</numerusform>
            <numerusform>Передано в amoCRM: %n заказов</numerusform>
        </translation>
    </message>
    <message>
        <source>Очередь: %1 (ожидают %2, с ошибкой %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Очередь пуста</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Красным, когда в очереди больше %1 заказов.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Чтобы начать передавать заказы Kaspi в amoCRM, не хватает:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Настройки не удалось прочитать:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Мастер подключения появится в следующем обновлении. Пока настройки можно задать в файле %1 или в файле .env рядом с программой, затем нажать «Проверить снова».</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Показано %1 из %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
