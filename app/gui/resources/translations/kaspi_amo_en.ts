<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ru">
<context>
    <name>Controller</name>
    <message>
        <source>Пробный режим (DRY_RUN): в amoCRM ничего не записывается.</source>
        <translation>Dry run (DRY_RUN): nothing is written to amoCRM.</translation>
    </message>
    <message>
        <source>Запуск…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <source>Последняя успешная синхронизация: %1</source>
        <translation>Last successful sync: %1</translation>
    </message>
    <message>
        <source>Последняя синхронизация: %1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message>
        <source>Идёт синхронизация…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Синхронизация на паузе</source>
        <translation>Syncing is paused</translation>
    </message>
    <message>
        <source>Следующая: %1</source>
        <translation>Next: %1</translation>
    </message>
    <message>
        <source>В очереди: %1</source>
        <translation>In queue: %1</translation>
    </message>
    <message>
        <source>Последняя ошибка</source>
        <translation>Last error</translation>
    </message>
    <message>
        <source>Синхронизация не запущена: не хватает настроек.</source>
        <translation>Syncing has not started: some settings are missing.</translation>
    </message>
    <message>
        <source>Проверяю настройки и базу данных…</source>
        <translation>Checking the settings and the database…</translation>
    </message>
    <message>
        <source>Не удалось изменить автозапуск: %1</source>
        <translation>Could not change start at login: %1</translation>
    </message>
    <message>
        <source>Программа продолжает работать в трее. Значок показывает, как идёт синхронизация.</source>
        <translation>The app keeps running in the tray. Its icon shows how syncing goes.</translation>
    </message>
    <message>
        <source>завершаю текущую пачку заказов…</source>
        <translation>finishing the current batch of orders…</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Kaspi не принимает токен</source>
        <translation>Kaspi does not accept the token</translation>
    </message>
    <message>
        <source>Скопируйте новый токен API в кабинете продавца Kaspi (Настройки → Токен API) и укажите его в настройках.</source>
        <translation>Copy a new API token in the Kaspi merchant cabinet (Settings → API token) and enter it in the settings.</translation>
    </message>
    <message>
        <source>Kaspi недоступен</source>
        <translation>Kaspi is unavailable</translation>
    </message>
    <message>
        <source>Не удалось связаться с Kaspi. Проверьте интернет; синхронизация повторится сама.</source>
        <translation>Could not reach Kaspi. Check the internet connection; syncing will retry by itself.</translation>
    </message>
    <message>
        <source>Kaspi отклонил запрос</source>
        <translation>Kaspi rejected the request</translation>
    </message>
    <message>
        <source>Kaspi не принял запрос. Если ошибка повторяется, отправьте журнал в поддержку.</source>
        <translation>Kaspi did not accept the request. If this keeps happening, send the log to support.</translation>
    </message>
    <message>
        <source>Непонятный заказ Kaspi</source>
        <translation>Unreadable Kaspi order</translation>
    </message>
    <message>
        <source>Заказ Kaspi пришёл в непонятном виде и отложен для проверки.</source>
        <translation>A Kaspi order arrived in a form the app cannot read and was set aside for review.</translation>
    </message>
    <message>
        <source>Нужно заново подключить amoCRM</source>
        <translation>amoCRM needs to be reconnected</translation>
    </message>
    <message>
        <source>Доступ к amoCRM отозван. Подключите amoCRM заново в настройках.</source>
        <translation>Access to amoCRM was revoked. Reconnect amoCRM in the settings.</translation>
    </message>
    <message>
        <source>amoCRM не принимает доступ</source>
        <translation>amoCRM does not accept the access</translation>
    </message>
    <message>
        <source>amoCRM не принимает ключ доступа. Подключите amoCRM заново в настройках.</source>
        <translation>amoCRM does not accept the access key. Reconnect amoCRM in the settings.</translation>
    </message>
    <message>
        <source>amoCRM просит подождать</source>
        <translation>amoCRM asks to wait</translation>
    </message>
    <message>
        <source>amoCRM временно ограничил число запросов. Синхронизация продолжится сама.</source>
        <translation>amoCRM has temporarily limited the number of requests. Syncing will continue by itself.</translation>
    </message>
    <message>
        <source>amoCRM временно заблокировал доступ</source>
        <translation>amoCRM has temporarily blocked access</translation>
    </message>
    <message>
        <source>amoCRM заблокировал доступ из-за слишком частых запросов (часто из-за других интеграций). Синхронизация продолжится позже.</source>
        <translation>amoCRM blocked access because of too many requests (often caused by other integrations). Syncing will continue later.</translation>
    </message>
    <message>
        <source>Аккаунт amoCRM не оплачен</source>
        <translation>The amoCRM account is not paid</translation>
    </message>
    <message>
        <source>Оплатите аккаунт amoCRM: после этого сделки снова будут создаваться.</source>
        <translation>Pay for the amoCRM account; deals will then be created again.</translation>
    </message>
    <message>
        <source>amoCRM отклонил данные</source>
        <translation>amoCRM rejected the data</translation>
    </message>
    <message>
        <source>amoCRM не принял данные сделки. Проверьте воронку и этап в настройках.</source>
        <translation>amoCRM did not accept the deal data. Check the pipeline and stage in the settings.</translation>
    </message>
    <message>
        <source>amoCRM недоступен</source>
        <translation>amoCRM is unavailable</translation>
    </message>
    <message>
        <source>Не удалось связаться с amoCRM. Проверьте интернет; синхронизация повторится сама.</source>
        <translation>Could not reach amoCRM. Check the internet connection; syncing will retry by itself.</translation>
    </message>
    <message>
        <source>Синхронизация уже идёт</source>
        <translation>Sync is already running</translation>
    </message>
    <message>
        <source>Заказы сейчас передаёт другая копия программы; эта попробует снова через минуту.</source>
        <translation>Another copy of the app is passing orders right now; this one will try again in a minute.</translation>
    </message>
    <message>
        <source>Ошибка базы данных</source>
        <translation>Database error</translation>
    </message>
    <message>
        <source>Не удалось прочитать или записать базу данных программы. Подробности — в журнале.</source>
        <translation>Could not read or write the app&apos;s database. Details are in the log.</translation>
    </message>
    <message>
        <source>Ошибка настроек</source>
        <translation>Settings error</translation>
    </message>
    <message>
        <source>Проверьте настройки программы.</source>
        <translation>Check the app&apos;s settings.</translation>
    </message>
    <message>
        <source>Ошибка синхронизации</source>
        <translation>Sync error</translation>
    </message>
    <message>
        <source>Синхронизация не удалась. Подробности — в журнале.</source>
        <translation>Syncing failed. Details are in the log.</translation>
    </message>
</context>
<context>
    <name>Kaspi</name>
    <message>
        <source>Новый</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Ждёт подписи</source>
        <translation>Awaiting signature</translation>
    </message>
    <message>
        <source>Самовывоз</source>
        <translation>Pickup</translation>
    </message>
    <message>
        <source>Доставка</source>
        <translation>Delivery</translation>
    </message>
    <message>
        <source>Kaspi Доставка</source>
        <translation>Kaspi Delivery</translation>
    </message>
    <message>
        <source>Архив</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>Одобрен банком</source>
        <translation>Approved by bank</translation>
    </message>
    <message>
        <source>Принят</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Выдан</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Отменён</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Отменяется</source>
        <translation>Cancelling</translation>
    </message>
    <message>
        <source>Запрошен возврат</source>
        <translation>Return requested</translation>
    </message>
    <message>
        <source>Возврат принят</source>
        <translation>Return accepted</translation>
    </message>
    <message>
        <source>Возвращён</source>
        <translation>Returned</translation>
    </message>
</context>
<context>
    <name>Notify</name>
    <message numerus="yes">
        <source>Не удалось передать %n заказов</source>
        <translation>
            <numerusform>Could not pass %n order to amoCRM</numerusform>
            <numerusform>Could not pass %n orders to amoCRM</numerusform>
        </translation>
    </message>
    <message>
        <source>Синхронизация восстановлена</source>
        <translation>Syncing has recovered</translation>
    </message>
    <message>
        <source>Заказы Kaspi снова передаются в amoCRM.</source>
        <translation>Kaspi orders are reaching amoCRM again.</translation>
    </message>
    <message>
        <source>Новая сделка в amoCRM</source>
        <translation>New deal in amoCRM</translation>
    </message>
    <message numerus="yes">
        <source>Создано %n сделок</source>
        <translation>
            <numerusform>%n deal created</numerusform>
            <numerusform>%n deals created</numerusform>
        </translation>
    </message>
    <message>
        <source>Заказы Kaspi %1</source>
        <translation>Kaspi orders %1</translation>
    </message>
    <message numerus="yes">
        <source>и ещё %n</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Orders</name>
    <message>
        <source>Заказ</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Дата</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Покупатель</source>
        <translation>Buyer</translation>
    </message>
    <message>
        <source>Телефон</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Сумма</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Kaspi</source>
        <translation>Kaspi</translation>
    </message>
    <message>
        <source>Передача</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Сделка</source>
        <translation>Deal</translation>
    </message>
    <message>
        <source>нет телефона</source>
        <translation>no phone</translation>
    </message>
    <message>
        <source>№ %1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>Открыть сделку в amoCRM: %1</source>
        <translation>Open the deal in amoCRM: %1</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Настройки</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Подключение</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>Программа</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>Как в системе</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>Язык:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>Не показывать уведомления</source>
        <translation>Do not show notifications</translation>
    </message>
    <message>
        <source>Запускать при входе в систему</source>
        <translation>Start when I log in</translation>
    </message>
    <message>
        <source>Сохранить</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Мастер подключения появится в следующем обновлении. Пока подключение задаётся в файле %1 или в файле .env рядом с программой.</source>
        <translation>A connection wizard is coming in the next update. Until then, the connection is set in the file %1 or in a .env file next to the app.</translation>
    </message>
    <message>
        <source>Kaspi и amoCRM подключены. amoCRM: %1</source>
        <translation>Kaspi and amoCRM are connected. amoCRM: %1</translation>
    </message>
    <message>
        <source>Проверяю настройки…</source>
        <translation>Checking the settings…</translation>
    </message>
    <message>
        <source>Не хватает:</source>
        <translation>Missing:</translation>
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <source>Токен API Kaspi</source>
        <translation>Kaspi API token</translation>
    </message>
    <message>
        <source>Кабинет продавца Kaspi → Настройки → Токен API.</source>
        <translation>Kaspi merchant cabinet → Settings → API token.</translation>
    </message>
    <message>
        <source>Адрес вашего amoCRM</source>
        <translation>Your amoCRM address</translation>
    </message>
    <message>
        <source>Например, https://mojmagazin.amocrm.ru</source>
        <translation>For example, https://myshop.amocrm.ru</translation>
    </message>
    <message>
        <source>Доступ к amoCRM</source>
        <translation>Access to amoCRM</translation>
    </message>
    <message>
        <source>Ключ интеграции amoCRM: долгосрочный токен или пара токенов.</source>
        <translation>The amoCRM integration key: a long-lived token or a token pair.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Нужно завершить настройку</source>
        <translation>Setup needs to be finished</translation>
    </message>
    <message>
        <source>Всё в порядке</source>
        <translation>All good</translation>
    </message>
    <message>
        <source>Идёт синхронизация…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Нужно внимание</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>Синхронизация не удалась</source>
        <translation>Syncing failed</translation>
    </message>
    <message>
        <source>Синхронизация на паузе</source>
        <translation>Syncing is paused</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>В amoCRM</source>
        <translation>In amoCRM</translation>
    </message>
    <message>
        <source>Ожидает</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Ошибка</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Нужна проверка</source>
        <translation>Needs review</translation>
    </message>
</context>
<context>
    <name>Time</name>
    <message>
        <source>ещё не было</source>
        <translation>not yet</translation>
    </message>
    <message>
        <source>только что</source>
        <translation>just now</translation>
    </message>
    <message numerus="yes">
        <source>%n мин назад</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message>
        <source>сегодня в %1</source>
        <translation>today at %1</translation>
    </message>
    <message>
        <source>вчера в %1</source>
        <translation>yesterday at %1</translation>
    </message>
    <message>
        <source>через %1 с</source>
        <translation>in %1 s</translation>
    </message>
    <message>
        <source>через %1 мин</source>
        <translation>in %1 min</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Синхронизировать сейчас</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Открыть окно</source>
        <translation>Open window</translation>
    </message>
    <message>
        <source>Возобновить синхронизацию</source>
        <translation>Resume syncing</translation>
    </message>
    <message>
        <source>Приостановить синхронизацию</source>
        <translation>Pause syncing</translation>
    </message>
    <message>
        <source>Настройки…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>Открыть папку журналов</source>
        <translation>Open log folder</translation>
    </message>
    <message>
        <source>Выйти</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <source>&amp;Файл</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>Синхронизировать сейчас</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Настройки…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>Открыть папку журналов</source>
        <translation>Open log folder</translation>
    </message>
    <message>
        <source>Выйти</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Повторить неудачные</source>
        <translation>Retry failed</translation>
    </message>
    <message>
        <source>Запустить опрос сейчас: заказы с ошибкой пробуются снова при каждом опросе.</source>
        <translation>Poll now: failed orders are retried on every poll.</translation>
    </message>
    <message>
        <source>Поиск: номер заказа, покупатель, телефон…</source>
        <translation>Search: order number, buyer, phone…</translation>
    </message>
    <message>
        <source>Все заказы</source>
        <translation>All orders</translation>
    </message>
    <message>
        <source>С ошибками</source>
        <translation>With errors</translation>
    </message>
    <message>
        <source>Ожидают передачи</source>
        <translation>Waiting to be sent</translation>
    </message>
    <message>
        <source>Заказов пока нет.
Новые заказы Kaspi появятся здесь в течение минуты после оформления.</source>
        <translation>No orders yet.
New Kaspi orders show up here within a minute of being placed.</translation>
    </message>
    <message>
        <source>Нужно завершить настройку</source>
        <translation>Setup needs to be finished</translation>
    </message>
    <message>
        <source>Открыть настройки…</source>
        <translation>Open settings…</translation>
    </message>
    <message>
        <source>Проверить снова</source>
        <translation>Check again</translation>
    </message>
    <message>
        <source>Возобновить</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Возобновить синхронизацию</source>
        <translation>Resume syncing</translation>
    </message>
    <message>
        <source>Пауза</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Приостановить синхронизацию</source>
        <translation>Pause syncing</translation>
    </message>
    <message>
        <source>amoCRM: %1</source>
        <translation>amoCRM: %1</translation>
    </message>
    <message>
        <source>Сегодня: создано %1 · обновлено %2 · ошибок %3</source>
        <translation>Today: %1 created · %2 updated · %3 failed</translation>
    </message>
    <message numerus="yes">
        <source>Передано в amoCRM: %n заказов</source>
        <translation>
            <numerusform>Sent to amoCRM: %n order</numerusform>
            <numerusform>Sent to amoCRM: %n orders</numerusform>
        </translation>
    </message>
    <message>
        <source>Очередь: %1 (ожидают %2, с ошибкой %3)</source>
        <translation>Queue: %1 (%2 waiting, %3 failed)</translation>
    </message>
    <message>
        <source>Очередь пуста</source>
        <translation>Queue is empty</translation>
    </message>
    <message>
        <source>Красным, когда в очереди больше %1 заказов.</source>
        <translation>Turns red when more than %1 orders are queued.</translation>
    </message>
    <message>
        <source>Чтобы начать передавать заказы Kaspi в amoCRM, не хватает:</source>
        <translation>To start passing Kaspi orders to amoCRM, the app still needs:</translation>
    </message>
    <message>
        <source>Настройки не удалось прочитать:</source>
        <translation>The settings could not be read:</translation>
    </message>
    <message>
        <source>Мастер подключения появится в следующем обновлении. Пока настройки можно задать в файле %1 или в файле .env рядом с программой, затем нажать «Проверить снова».</source>
        <translation>A connection wizard is coming in the next update. Until then, enter the settings in the file %1 or in a .env file next to the app, then click “Check again”.</translation>
    </message>
    <message>
        <source>Показано %1 из %2</source>
        <translation>Showing %1 of %2</translation>
    </message>
</context>
</TS>
