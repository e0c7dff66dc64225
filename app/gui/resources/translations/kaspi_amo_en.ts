<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ru">
<context>
    <name>Alerts</name>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>Почта</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>%1: оповещений ещё не было</source>
        <translation>%1: no alerts sent yet</translation>
    </message>
    <message>
        <source>%1: последнее оповещение доставлено %2</source>
        <translation>%1: last alert delivered %2</translation>
    </message>
    <message>
        <source>%1: последнее оповещение НЕ доставлено %2 — %3</source>
        <translation>%1: last alert NOT delivered %2 — %3</translation>
    </message>
    <message>
        <source>Оповещения</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <source>Проверьте канал в «Настройки…» → «Оповещения» и нажмите «Отправить проверку».</source>
        <translation>Check the channel in “Settings…” → “Alerts” and press “Send test”.</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>Системное хранилище паролей недоступно: токены хранятся в файле программы, который может читать только ваша учётная запись.</source>
        <translation>The system password store is unavailable: the tokens are kept in the app's own file, which only your user account can read.</translation>
    </message>
    <message>
        <source>Пробный режим (DRY_RUN): в amoCRM ничего не записывается.</source>
        <translation>Dry run (DRY_RUN): nothing is written to amoCRM.</translation>
    </message>
    <message>
        <source>доступ проверен %1</source>
        <translation>access checked %1</translation>
    </message>
    <message>
        <source>доступ отклонён (%1)</source>
        <translation>access refused (%1)</translation>
    </message>
    <message>
        <source>не отвечает (%1)</source>
        <translation>not answering (%1)</translation>
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
        <source>Ждут магазина до срока Kaspi: %1</source>
        <translation>Waiting for the shop before Kaspi's deadline: %1</translation>
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
        <source>Вышла версия %1</source>
        <translation>Version %1 is out</translation>
    </message>
    <message>
        <source>Нажмите, чтобы открыть страницу загрузки.</source>
        <translation>Click to open the download page.</translation>
    </message>
    <message>
        <source>Проверяю обновления…</source>
        <translation>Checking for updates…</translation>
    </message>
    <message>
        <source>Проверка обновлений выключена администратором (UPDATE_FEED_URL).</source>
        <translation>Update checks were switched off by the administrator (UPDATE_FEED_URL).</translation>
    </message>
    <message>
        <source>У вас последняя версия (%1).</source>
        <translation>You have the latest version (%1).</translation>
    </message>
    <message>
        <source>Не удалось проверить обновления: нет связи с сайтом программы.</source>
        <translation>Could not check for updates: the app's website cannot be reached.</translation>
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
    <name>Deadlines</name>
    <message>
        <source>%1 ч %2 мин</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 мин</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>просрочен на %1</source>
        <translation>overdue by %1</translation>
    </message>
    <message>
        <source>Принять</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>Собрать и передать</source>
        <translation>Pack and hand over</translation>
    </message>
    <message>
        <source>%1,%2%</source>
        <translation>%1.%2%</translation>
    </message>
    <message>
        <source>Ждут магазина до срока Kaspi: %1</source>
        <translation>Waiting for the shop before Kaspi's deadline: %1</translation>
    </message>
    <message>
        <source>Kaspi отменяет заказ, не принятый за 3 рабочих часа (Express — за 60 минут), и ждёт посылки Kaspi Доставки к назначенному времени. Время — Казахстана.</source>
        <translation>Kaspi cancels an order not accepted within 3 working hours (Express: 60 minutes) and expects Kaspi Delivery parcels by the planned time. Times are Kazakhstan time.</translation>
    </message>
    <message>
        <source>Заказ</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Покупатель</source>
        <translation>Buyer</translation>
    </message>
    <message>
        <source>Что сделать</source>
        <translation>To do</translation>
    </message>
    <message>
        <source>Срок Kaspi</source>
        <translation>Kaspi deadline</translation>
    </message>
    <message>
        <source>Осталось</source>
        <translation>Time left</translation>
    </message>
    <message>
        <source>Открыть сделку в amoCRM</source>
        <translation>Open the deal in amoCRM</translation>
    </message>
    <message>
        <source>Доля отмен Kaspi за 30 дней</source>
        <translation>Kaspi cancellation rate, 30 days</translation>
    </message>
    <message>
        <source>в норме</source>
        <translation>fine</translation>
    </message>
    <message>
        <source>близко к пределу</source>
        <translation>close to the limit</translation>
    </message>
    <message>
        <source>выше предела</source>
        <translation>above the limit</translation>
    </message>
    <message>
        <source>Отменено по вине магазина: %1 из %2 заказов · предел Kaspi 3%</source>
        <translation>Cancelled through the shop's fault: %1 of %2 orders · Kaspi's limit 3%</translation>
    </message>
    <message>
        <source>Посчитано %1</source>
        <translation>Counted %1</translation>
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
    <name>KaspiActions</name>
    <message>
        <source>принять</source>
        <translation>accept</translation>
    </message>
    <message>
        <source>собрать (накладная)</source>
        <translation>assemble (waybill)</translation>
    </message>
    <message>
        <source>отменить</source>
        <translation>cancel</translation>
    </message>
    <message>
        <source>отправить код выдачи</source>
        <translation>send the handover code</translation>
    </message>
    <message>
        <source>выдать по коду</source>
        <translation>hand over with the code</translation>
    </message>
    <message>
        <source>ждёт отправки</source>
        <translation>waiting to be sent</translation>
    </message>
    <message>
        <source>ждёт ответа Kaspi</source>
        <translation>waiting for Kaspi's answer</translation>
    </message>
    <message>
        <source>Kaspi отказал</source>
        <translation>Kaspi refused</translation>
    </message>
    <message>
        <source>Действия Kaspi: ждут %1 · отказано %2</source>
        <translation>Kaspi actions: waiting %1 · refused %2</translation>
    </message>
    <message>
        <source>Приостановлены: %1</source>
        <translation>Paused: %1</translation>
    </message>
    <message>
        <source>Заказ %1: %2 — %3</source>
        <translation>Order %1: %2 — %3</translation>
    </message>
</context>
<context>
    <name>Notify</name>
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
    <message>
        <source>Заказы Kaspi %1</source>
        <translation>Kaspi orders %1</translation>
    </message>
    <message numerus="yes">
        <source>Не удалось передать %n заказов</source>
        <translation>
            <numerusform>Could not pass %n order to amoCRM</numerusform>
            <numerusform>Could not pass %n orders to amoCRM</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Создано %n сделок</source>
        <translation>
            <numerusform>%n deal created</numerusform>
            <numerusform>%n deals created</numerusform>
        </translation>
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
    <message numerus="yes">
        <source>%n мин назад</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
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
        <source>Доступна версия %1 — скачать…</source>
        <translation>Version %1 is available — download…</translation>
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
        <source>&amp;Синхронизация</source>
        <translation>&amp;Sync</translation>
    </message>
    <message>
        <source>Повторить неудачные</source>
        <translation>Retry failed</translation>
    </message>
    <message>
        <source>&amp;Вид</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Язык</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Как в системе</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>&amp;Справка</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Проверить обновления</source>
        <translation>Check for updates</translation>
    </message>
    <message>
        <source>Проверять обновления раз в день</source>
        <translation>Check for updates once a day</translation>
    </message>
    <message>
        <source>О программе</source>
        <translation>About</translation>
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
        <source>Нажмите «Открыть настройки…»: мастер проведёт по шагам. Администратор может задать настройки в файле %1 или в файле .env рядом с программой и нажать «Проверить снова».</source>
        <translation>Click "Open settings…" and the wizard will guide you step by step. An administrator can instead put the settings in the file %1 or in a .env file next to the app and click "Check again".</translation>
    </message>
    <message>
        <source>Очередь: %1 (ожидают %2, с ошибкой %3)</source>
        <translation>Queue: %1 (%2 waiting, %3 failed)</translation>
    </message>
    <message>
        <source>%1, версия %2.
Заказы Kaspi.kz становятся сделками amoCRM.</source>
        <translation>%1, version %2.
Kaspi.kz orders become amoCRM deals.</translation>
    </message>
    <message>
        <source>Сегодня: создано %1 · обновлено %2 · заказов с ошибкой %3</source>
        <translation>Today: %1 created · %2 updated · %3 orders failed</translation>
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
        <source>Показано %1 из %2</source>
        <translation>Showing %1 of %2</translation>
    </message>
    <message>
        <source>Вышла новая версия %1 (у вас %2).</source>
        <translation>A new version %1 is out (you have %2).</translation>
    </message>
    <message>
        <source>Скачать…</source>
        <translation>Download…</translation>
    </message>
    <message numerus="yes">
        <source>Передано в amoCRM: %n заказов</source>
        <translation>
            <numerusform>Sent to amoCRM: %n order</numerusform>
            <numerusform>Sent to amoCRM: %n orders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>синхронизация не удалась %n раз подряд</source>
        <translation>
            <numerusform>sync failed %n time in a row</numerusform>
            <numerusform>sync failed %n times in a row</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>Оповещения</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <source>Куда написать, если заказы перестанут доходить до amoCRM. Можно пропустить.</source>
        <translation>Where to write if orders stop reaching amoCRM. You can skip this step.</translation>
    </message>
    <message>
        <source>Программа сообщит, когда синхронизация несколько раз подряд не удалась, когда скопилась очередь или когда программа долго молчит, и ещё раз — когда всё наладится.</source>
        <translation>The app will let you know when syncing fails several times in a row, when a queue builds up or when the app has been silent for too long, and once more when everything is back to normal.</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>Как получить токен бота и ID чата</source>
        <translation>How to get a bot token and the chat ID</translation>
    </message>
    <message>
        <source>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;В Telegram найдите &lt;b&gt;@BotFather&lt;/b&gt;, нажмите «Запустить» и отправьте ему &lt;b&gt;/newbot&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Придумайте боту имя, затем адрес, который оканчивается на &lt;b&gt;bot&lt;/b&gt; (например, shop_alerts_bot). BotFather пришлёт токен вида 123456789:AAH…&lt;/li&gt;&lt;li&gt;Скопируйте токен в поле «Токен бота».&lt;/li&gt;&lt;li&gt;Откройте своего бота (ссылка t.me/… в ответе BotFather) и нажмите «Запустить» или напишите ему что угодно. Для группы: добавьте бота в группу и напишите в ней.&lt;/li&gt;&lt;li&gt;Нажмите «Найти чат»: ID чата заполнится сам. Затем «Отправить проверку».&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;In Telegram, find &lt;b&gt;@BotFather&lt;/b&gt;, press “Start” and send it &lt;b&gt;/newbot&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Give the bot a name, then a username ending in &lt;b&gt;bot&lt;/b&gt; (for example, shop_alerts_bot). BotFather replies with a token like 123456789:AAH…&lt;/li&gt;&lt;li&gt;Copy the token into the “Bot token” field.&lt;/li&gt;&lt;li&gt;Open your bot (the t.me/… link in BotFather's reply) and press “Start” or send it anything. For a group: add the bot to the group and write in it.&lt;/li&gt;&lt;li&gt;Press “Find chat”: the chat ID fills itself in. Then “Send test”.&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <source>Токен бота:</source>
        <translation>Bot token:</translation>
    </message>
    <message>
        <source>ID чата:</source>
        <translation>Chat ID:</translation>
    </message>
    <message>
        <source>Найти чат</source>
        <translation>Find chat</translation>
    </message>
    <message>
        <source>Читает, кто недавно написал боту, и подставляет ID этого чата.</source>
        <translation>Reads who wrote to the bot recently and fills in that chat's ID.</translation>
    </message>
    <message>
        <source>Электронная почта</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Кому:</source>
        <translation>To:</translation>
    </message>
    <message>
        <source>От кого:</source>
        <translation>From:</translation>
    </message>
    <message>
        <source>SMTP-сервер:</source>
        <translation>SMTP server:</translation>
    </message>
    <message>
        <source>Порт:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Логин:</source>
        <translation>Username:</translation>
    </message>
    <message>
        <source>Пароль:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Отправить проверку</source>
        <translation>Send test</translation>
    </message>
    <message>
        <source>Когда оповещать</source>
        <translation>When to alert</translation>
    </message>
    <message>
        <source>Неудачных синхронизаций подряд:</source>
        <translation>Failed syncs in a row:</translation>
    </message>
    <message>
        <source>Заказов в очереди больше чем:</source>
        <translation>Orders in the queue exceed:</translation>
    </message>
    <message>
        <source>Программа молчит дольше, минут:</source>
        <translation>App silent for more than (minutes):</translation>
    </message>
    <message>
        <source>Сохранён — оставьте пустым, чтобы не менять</source>
        <translation>Saved — leave empty to keep it</translation>
    </message>
    <message>
        <source>Введён и сохранится после «Готово» — оставьте пустым, чтобы не менять</source>
        <translation>Entered; saved when you press “Finish” — leave empty to keep it</translation>
    </message>
    <message>
        <source>Укажите и токен бота, и ID чата.</source>
        <translation>Enter both the bot token and the chat ID.</translation>
    </message>
    <message>
        <source>почта</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>Проверка не прошла (%1): оповещения туда не дойдут. Исправьте поля или нажмите «Далее» ещё раз, чтобы сохранить как есть.</source>
        <translation>The test failed (%1): alerts will not arrive there. Fix the fields, or press “Next” again to keep them as they are.</translation>
    </message>
    <message>
        <source>Для почты нужны адрес получателя, адрес отправителя и SMTP-сервер.</source>
        <translation>Email alerts need a recipient address, a sender address and an SMTP server.</translation>
    </message>
    <message>
        <source>Адрес почты должен содержать @.</source>
        <translation>An email address must contain @.</translation>
    </message>
    <message>
        <source>Сначала вставьте токен бота (шаги — по ссылке «Как получить токен бота»).</source>
        <translation>Paste the bot token first (the steps are under “How to get a bot token”).</translation>
    </message>
    <message>
        <source>Ищу, кто писал боту…</source>
        <translation>Looking for who wrote to the bot…</translation>
    </message>
    <message>
        <source>Бот пока не получал сообщений. Откройте бота в Telegram, нажмите «Запустить» (или напишите ему), затем снова «Найти чат».</source>
        <translation>The bot has not received any messages yet. Open the bot in Telegram, press “Start” (or write to it), then “Find chat” again.</translation>
    </message>
    <message>
        <source>Найден чат: %1 (ID %2). Теперь нажмите «Отправить проверку».</source>
        <translation>Chat found: %1 (ID %2). Now press “Send test”.</translation>
    </message>
    <message>
        <source>Боту писали и другие: %1. Выбран самый недавний.</source>
        <translation>Others wrote to the bot too: %1. The most recent one was chosen.</translation>
    </message>
    <message>
        <source>Не удалось связаться с Telegram.</source>
        <translation>Could not reach Telegram.</translation>
    </message>
    <message>
        <source>Заполните поля этого канала.</source>
        <translation>Fill in the fields for this channel.</translation>
    </message>
    <message>
        <source>Отправляю…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Отправлено. Проверьте, что сообщение пришло.</source>
        <translation>Sent. Check that the message has arrived.</translation>
    </message>
    <message>
        <source>Не удалось отправить.</source>
        <translation>Could not send.</translation>
    </message>
    <message>
        <source>Укажите ID чата: напишите боту и нажмите «Найти чат».</source>
        <translation>Enter the chat ID: write to the bot and press “Find chat”.</translation>
    </message>
    <message>
        <source>Исправьте отмеченные поля или очистите их, чтобы не получать оповещения.</source>
        <translation>Fix the marked fields, or clear them if you do not want alerts.</translation>
    </message>
    <message>
        <source>amoCRM</source>
        <translation>amoCRM</translation>
    </message>
    <message>
        <source>Подключите аккаунт amoCRM, в котором появятся сделки из заказов Kaspi.</source>
        <translation>Connect the amoCRM account where deals from Kaspi orders will appear.</translation>
    </message>
    <message>
        <source>Адрес аккаунта:</source>
        <translation>Account address:</translation>
    </message>
    <message>
        <source>Вставить код авторизации (20 минут)</source>
        <translation>Paste an authorization code (valid 20 minutes)</translation>
    </message>
    <message>
        <source>Интеграция amoCRM</source>
        <translation>amoCRM integration</translation>
    </message>
    <message>
        <source>ID интеграции:</source>
        <translation>Integration ID:</translation>
    </message>
    <message>
        <source>Секретный ключ:</source>
        <translation>Secret key:</translation>
    </message>
    <message>
        <source>Адрес перенаправления:</source>
        <translation>Redirect URL:</translation>
    </message>
    <message>
        <source>Открыть amoCRM в браузере</source>
        <translation>Open amoCRM in browser</translation>
    </message>
    <message>
        <source>После «Разрешить» браузер откроет адрес перенаправления. Скопируйте адрес из строки браузера целиком и вставьте сюда:</source>
        <translation>After you click "Allow", the browser opens the redirect URL. Copy the whole address from the browser's address bar and paste it here:</translation>
    </message>
    <message>
        <source>Подключить</source>
        <translation>Connect</translation>
    </message>
    <message>
        <source>Код авторизации:</source>
        <translation>Authorization code:</translation>
    </message>
    <message>
        <source>Долгосрочный токен:</source>
        <translation>Long-lived token:</translation>
    </message>
    <message>
        <source>Как в строке браузера, можно без https://: shop.amocrm.ru</source>
        <translation>As in the browser's address bar, https:// may be left out: shop.amocrm.ru</translation>
    </message>
    <message>
        <source>Долгосрочный токен — проще всего для своего магазина</source>
        <translation>Long-lived token — the simplest way for your own shop</translation>
    </message>
    <message>
        <source>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;Войдите в amoCRM как администратор и откройте раздел &lt;b&gt;«amoМаркет»&lt;/b&gt; в меню слева.&lt;/li&gt;&lt;li&gt;Справа вверху нажмите &lt;b&gt;«Создать интеграцию»&lt;/b&gt; и выберите &lt;b&gt;«Внешняя интеграция»&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Впишите любое название (например, «Kaspi») и описание, разрешите доступ к данным и сохраните. Адрес перенаправления можно не менять.&lt;/li&gt;&lt;li&gt;В открывшейся интеграции перейдите на вкладку &lt;b&gt;«Ключи и доступы»&lt;/b&gt;, нажмите &lt;b&gt;«Долгосрочный токен»&lt;/b&gt;, выберите срок (до 5 лет) и скопируйте токен: amoCRM показывает его только один раз.&lt;/li&gt;&lt;li&gt;Вставьте токен сюда и нажмите «Подключить».&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;Sign in to amoCRM as an administrator and open &lt;b&gt;«amoМаркет»&lt;/b&gt; (amoMarket) in the menu on the left.&lt;/li&gt;&lt;li&gt;At the top right, press &lt;b&gt;«Создать интеграцию»&lt;/b&gt; (Create integration) and choose &lt;b&gt;«Внешняя интеграция»&lt;/b&gt; (External integration).&lt;/li&gt;&lt;li&gt;Enter any name (for example, “Kaspi”) and a description, allow access to the data and save. The redirect address can stay as it is.&lt;/li&gt;&lt;li&gt;In the integration that opens, go to the &lt;b&gt;«Ключи и доступы»&lt;/b&gt; (Keys and scopes) tab, press &lt;b&gt;«Долгосрочный токен»&lt;/b&gt; (Long-lived token), choose how long it lasts (up to 5 years) and copy the token: amoCRM shows it only once.&lt;/li&gt;&lt;li&gt;Paste the token here and press “Connect”.&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <source>Другие способы (для администраторов)</source>
        <translation>Other ways (for administrators)</translation>
    </message>
    <message>
        <source>Войти через браузер (нужны ID и секретный ключ интеграции)</source>
        <translation>Sign in through the browser (needs the integration's ID and secret key)</translation>
    </message>
    <message>
        <source>amoCRM → amoМаркет → ваша интеграция → вкладка «Ключи и доступы». Адрес перенаправления должен совпадать с указанным в интеграции; http://127.0.0.1:8765/callback позволяет программе принять ответ amoCRM самой.</source>
        <translation>amoCRM → amoМаркет (amoMarket) → your integration → the «Ключи и доступы» (Keys and scopes) tab. The redirect address must match the one in the integration; http://127.0.0.1:8765/callback lets the app receive amoCRM's answer by itself.</translation>
    </message>
    <message>
        <source>Ключ сохранён — оставьте пустым, чтобы не менять</source>
        <translation>Key saved — leave empty to keep it</translation>
    </message>
    <message>
        <source>amoCRM подключён: %1 — доступ проверен только что.</source>
        <translation>amoCRM connected: %1 — access checked just now.</translation>
    </message>
    <message>
        <source>amoCRM подключён: %1</source>
        <translation>amoCRM is connected: %1</translation>
    </message>
    <message>
        <source>amoCRM подключён. Чтобы переподключить, выберите способ и нажмите «Подключить».</source>
        <translation>amoCRM is connected. To reconnect, choose a method and click "Connect".</translation>
    </message>
    <message>
        <source>amoCRM не пускает программу (%1): %2 Подключите amoCRM заново одним из способов ниже.</source>
        <translation>amoCRM refuses the app (%1): %2 Connect amoCRM again in one of the ways below.</translation>
    </message>
    <message>
        <source>Проверить доступ сейчас не удалось: нет связи с amoCRM.</source>
        <translation>Could not check the access now: amoCRM cannot be reached.</translation>
    </message>
    <message>
        <source>Заполните ID интеграции, секретный ключ и адрес перенаправления.</source>
        <translation>Fill in the integration ID, the secret key and the redirect URL.</translation>
    </message>
    <message>
        <source>В браузере нажмите «Разрешить», затем вставьте адрес из браузера ниже.</source>
        <translation>Click "Allow" in the browser, then paste the browser's address below.</translation>
    </message>
    <message>
        <source>Жду ответа amoCRM: в открывшемся окне браузера нажмите «Разрешить»…</source>
        <translation>Waiting for amoCRM: click "Allow" in the browser window that opened…</translation>
    </message>
    <message>
        <source>Сначала нажмите «Открыть amoCRM в браузере».</source>
        <translation>First click "Open amoCRM in browser".</translation>
    </message>
    <message>
        <source>Подключаю amoCRM…</source>
        <translation>Connecting amoCRM…</translation>
    </message>
    <message>
        <source>Нажмите «Открыть amoCRM в браузере» и разрешите доступ.</source>
        <translation>Click "Open amoCRM in browser" and allow access.</translation>
    </message>
    <message>
        <source>Вставьте код авторизации из настроек интеграции.</source>
        <translation>Paste the authorization code from the integration settings.</translation>
    </message>
    <message>
        <source>Вставьте долгосрочный токен: как его получить, написано выше.</source>
        <translation>Paste the long-lived token: how to get one is described above.</translation>
    </message>
    <message>
        <source>Проверяю токен в amoCRM…</source>
        <translation>Checking the token with amoCRM…</translation>
    </message>
    <message>
        <source>Ключ введён и сохранится после «Готово»</source>
        <translation>Key entered; saved when you press “Finish”</translation>
    </message>
    <message>
        <source>Подключено: %1 (%2)</source>
        <translation>Connected: %1 (%2)</translation>
    </message>
    <message>
        <source>Продолжить без проверки</source>
        <translation>Continue without the check</translation>
    </message>
    <message>
        <source>Проверяю…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Куда попадают сделки</source>
        <translation>Where deals go</translation>
    </message>
    <message>
        <source>Выберите воронку и этап для новых сделок и какие заказы Kaspi передавать.</source>
        <translation>Choose the pipeline and stage for new deals, and which Kaspi orders to send.</translation>
    </message>
    <message>
        <source>Воронка:</source>
        <translation>Pipeline:</translation>
    </message>
    <message>
        <source>Этап новой сделки:</source>
        <translation>Stage for new deals:</translation>
    </message>
    <message>
        <source>Передавать заказы Kaspi в состояниях</source>
        <translation>Send Kaspi orders in these states</translation>
    </message>
    <message>
        <source>Отметьте хотя бы одно состояние.</source>
        <translation>Select at least one state.</translation>
    </message>
    <message>
        <source>Когда заказ в Kaspi меняет статус</source>
        <translation>When an order changes status in Kaspi</translation>
    </message>
    <message>
        <source>Сверка раз в 10 минут переносит сделку на выбранный этап.</source>
        <translation>A check every 10 minutes moves the deal to the selected stage.</translation>
    </message>
    <message>
        <source>Повторить</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Управлять заказами Kaspi из amoCRM (принимать, собирать, отменять, выдавать)</source>
        <translation>Run Kaspi orders from amoCRM (accept, assemble, cancel, hand over)</translation>
    </message>
    <message>
        <source>Покупатель отказался</source>
        <translation>The buyer cancelled</translation>
    </message>
    <message>
        <source>Не удалось связаться с покупателем</source>
        <translation>Could not reach the buyer</translation>
    </message>
    <message>
        <source>Товара нет в наличии</source>
        <translation>Out of stock</translation>
    </message>
    <message>
        <source>Управление заказами Kaspi из amoCRM</source>
        <translation>Running Kaspi orders from amoCRM</translation>
    </message>
    <message>
        <source>Перенос сделки по этапам меняет заказ в Kaspi. Каждое действие включается отдельно.</source>
        <translation>Moving a deal between stages changes the order in Kaspi. Each action is switched on separately.</translation>
    </message>
    <message>
        <source>Внимание: действия в Kaspi нельзя отменить. Принятый, отменённый или выданный заказ не вернуть назад ни из amoCRM, ни из этой программы. Включайте только то, чем будете пользоваться.</source>
        <translation>Warning: actions in Kaspi cannot be undone. An accepted, cancelled or handed-over order cannot be turned back, neither from amoCRM nor from this program. Switch on only what you will use.</translation>
    </message>
    <message>
        <source>ID магазина Kaspi:</source>
        <translation>Kaspi shop ID:</translation>
    </message>
    <message>
        <source>Кабинет продавца Kaspi → Настройки → ID магазина. Нужен для любого действия.</source>
        <translation>Kaspi seller cabinet → Settings → Shop ID. Needed for any action.</translation>
    </message>
    <message>
        <source>Принимать новые заказы автоматически, как только появилась сделка</source>
        <translation>Accept new orders automatically as soon as their deal exists</translation>
    </message>
    <message>
        <source>Принимать заказ, когда сделка попадает в этап:</source>
        <translation>Accept the order when its deal enters the stage:</translation>
    </message>
    <message>
        <source>Собирать заказ Kaspi Доставки (накладная), этап:</source>
        <translation>Assemble a Kaspi Delivery order (waybill), stage:</translation>
    </message>
    <message>
        <source>Выдавать заказ по коду покупателя, этап:</source>
        <translation>Hand the order over with the buyer's code, stage:</translation>
    </message>
    <message>
        <source>Отменять заказ в Kaspi, когда сделка закрыта с причиной отказа</source>
        <translation>Cancel the order in Kaspi when the deal is closed with a loss reason</translation>
    </message>
    <message>
        <source>Для каждой причины отказа выберите причину отмены в Kaspi или «Не отменять».</source>
        <translation>For each loss reason pick a Kaspi cancellation reason, or “Do not cancel”.</translation>
    </message>
    <message>
        <source>Загрузить этапы и причины</source>
        <translation>Load stages and reasons</translation>
    </message>
    <message>
        <source>amoCRM не подключён: вернитесь на шаг amoCRM.</source>
        <translation>amoCRM is not connected: go back to the amoCRM step.</translation>
    </message>
    <message>
        <source>Загружаю этапы и причины отказа из amoCRM…</source>
        <translation>Loading stages and loss reasons from amoCRM…</translation>
    </message>
    <message>
        <source>Этапы и причины отказа загружены из amoCRM.</source>
        <translation>Stages and loss reasons loaded from amoCRM.</translation>
    </message>
    <message>
        <source>Не отменять</source>
        <translation>Do not cancel</translation>
    </message>
    <message>
        <source>Укажите ID магазина Kaspi: без него действия с заказами не работают.</source>
        <translation>Enter the Kaspi shop ID: order actions do not work without it.</translation>
    </message>
    <message>
        <source>ID магазина Kaspi пишется без пробелов.</source>
        <translation>The Kaspi shop ID has no spaces.</translation>
    </message>
    <message>
        <source>Выберите этап для каждого включённого действия.</source>
        <translation>Pick a stage for every action switched on.</translation>
    </message>
    <message>
        <source>У каждого действия должен быть свой этап.</source>
        <translation>Each action needs a stage of its own.</translation>
    </message>
    <message>
        <source>Загружаю воронки из amoCRM…</source>
        <translation>Loading pipelines from amoCRM…</translation>
    </message>
    <message>
        <source>В аккаунте amoCRM нет воронок: создайте воронку и нажмите «Повторить».</source>
        <translation>The amoCRM account has no pipelines: create one and click "Retry".</translation>
    </message>
    <message>
        <source>Воронки загружены из amoCRM.</source>
        <translation>Pipelines loaded from amoCRM.</translation>
    </message>
    <message>
        <source>Не менять этап</source>
        <translation>Do not change the stage</translation>
    </message>
    <message>
        <source>В этой воронке нет этапа для новых сделок: выберите другую.</source>
        <translation>This pipeline has no stage for new deals: choose another one.</translation>
    </message>
    <message>
        <source>Готово</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Проверьте настройки и нажмите «Готово»: синхронизация начнётся сразу.</source>
        <translation>Check the settings and click "Finish": syncing starts right away.</translation>
    </message>
    <message>
        <source>Программа</source>
        <translation>Application</translation>
    </message>
    <message>
        <source>Запускать вместе с компьютером</source>
        <translation>Start with the computer</translation>
    </message>
    <message>
        <source>Не показывать уведомления о новых заказах</source>
        <translation>Do not show notifications about new orders</translation>
    </message>
    <message>
        <source>Раз в день проверять, не вышла ли новая версия</source>
        <translation>Check once a day whether a new version is out</translation>
    </message>
    <message>
        <source>Язык:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>Как в системе</source>
        <translation>System default</translation>
    </message>
    <message>
        <source>Пробный запуск</source>
        <translation>Trial run</translation>
    </message>
    <message>
        <source>Покажет, какие сделки появятся в amoCRM при первой синхронизации. В amoCRM при этом ничего не записывается.</source>
        <translation>Shows which deals the first sync will create in amoCRM. Nothing is written to amoCRM.</translation>
    </message>
    <message>
        <source>Показать, что будет создано</source>
        <translation>Show what will be created</translation>
    </message>
    <message>
        <source>Раньше заказы передавались в аккаунт %1. После «Готово» программа начнёт заново с аккаунтом %2: заказы Kaspi за последние 14 дней появятся в нём как новые сделки.</source>
        <translation>Orders used to go to the account %1. After "Finish" the app starts afresh with the account %2: Kaspi orders of the last 14 days will appear there as new deals.</translation>
    </message>
    <message>
        <source>нет</source>
        <translation>no</translation>
    </message>
    <message>
        <source>да — проверочное сообщение отправлено</source>
        <translation>yes — test message sent</translation>
    </message>
    <message>
        <source>да, но проверка не прошла: %1</source>
        <translation>yes, but the test failed: %1</translation>
    </message>
    <message>
        <source>да — последнее оповещение доставлено %1</source>
        <translation>yes — last alert delivered %1</translation>
    </message>
    <message>
        <source>да, но последнее оповещение не доставлено (%1): %2</source>
        <translation>yes, but the last alert was not delivered (%1): %2</translation>
    </message>
    <message>
        <source>да, но не проверено: нажмите «Отправить проверку» на шаге «Оповещения»</source>
        <translation>yes, but untested: press “Send test” on the “Alerts” step</translation>
    </message>
    <message>
        <source>Kaspi</source>
        <translation>Kaspi</translation>
    </message>
    <message>
        <source>токен сохранён</source>
        <translation>token saved</translation>
    </message>
    <message>
        <source>amoCRM сейчас не пускает программу: подключите заново</source>
        <translation>amoCRM refuses the app now: connect it again</translation>
    </message>
    <message>
        <source>токен введён, сохранится после «Готово»</source>
        <translation>token entered, saved when you press “Finish”</translation>
    </message>
    <message>
        <source>нет токена</source>
        <translation>no token</translation>
    </message>
    <message>
        <source>Воронка и этап</source>
        <translation>Pipeline and stage</translation>
    </message>
    <message>
        <source>Заказы в состояниях</source>
        <translation>Orders in states</translation>
    </message>
    <message>
        <source>Оповещения в Telegram</source>
        <translation>Telegram alerts</translation>
    </message>
    <message>
        <source>Оповещения на почту</source>
        <translation>Email alerts</translation>
    </message>
    <message>
        <source>Читаю заказы Kaspi и ищу покупателей в amoCRM…</source>
        <translation>Reading Kaspi orders and looking up buyers in amoCRM…</translation>
    </message>
    <message>
        <source>Пробный запуск не удался. Подробности в журнале.</source>
        <translation>The trial run failed. Details are in the log.</translation>
    </message>
    <message>
        <source>Новых заказов для передачи нет: сделки появятся, когда придут заказы.</source>
        <translation>No new orders to send: deals will appear when orders come in.</translation>
    </message>
    <message>
        <source>без имени</source>
        <translation>no name</translation>
    </message>
    <message>
        <source>без телефона</source>
        <translation>no phone</translation>
    </message>
    <message>
        <source>Подключите магазин Kaspi: программа будет читать из него новые заказы.</source>
        <translation>Connect your Kaspi shop: the app will read new orders from it.</translation>
    </message>
    <message>
        <source>Токен API находится в &lt;a href="%1"&gt;кабинете продавца Kaspi&lt;/a&gt;: Настройки → Токен API. Скопируйте его и вставьте сюда. Программа только читает заказы и ничего не меняет в магазине.</source>
        <translation>The API token is in the &lt;a href="%1"&gt;Kaspi merchant cabinet&lt;/a&gt;: Settings → API token. Copy it and paste it here. The app only reads orders and never changes anything in your shop.</translation>
    </message>
    <message>
        <source>Токен API:</source>
        <translation>API token:</translation>
    </message>
    <message>
        <source>Проверить</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Дополнительно</source>
        <translation>Advanced</translation>
    </message>
    <message>
        <source>Адрес API Kaspi:</source>
        <translation>Kaspi API address:</translation>
    </message>
    <message>
        <source>Токен сохранён — оставьте пустым, чтобы не менять</source>
        <translation>Token saved — leave empty to keep it</translation>
    </message>
    <message>
        <source>Токен введён и сохранится после «Готово» — оставьте пустым, чтобы не менять</source>
        <translation>Token entered; saved when you press “Finish” — leave empty to keep it</translation>
    </message>
    <message>
        <source>Вставьте токен API</source>
        <translation>Paste the API token</translation>
    </message>
    <message>
        <source>Токен сохранён. Чтобы заменить его, вставьте новый.</source>
        <translation>The token is saved. To replace it, paste a new one.</translation>
    </message>
    <message>
        <source>Вставьте токен API из кабинета продавца Kaspi.</source>
        <translation>Paste the API token from the Kaspi merchant cabinet.</translation>
    </message>
    <message>
        <source>Kaspi принял токен: заказы магазина доступны.</source>
        <translation>Kaspi accepted the token: the shop's orders are available.</translation>
    </message>
    <message>
        <source>Проверяю токен в Kaspi…</source>
        <translation>Checking the token with Kaspi…</translation>
    </message>
    <message>
        <source>Kaspi не принял токен. Скопируйте его заново в кабинете продавца: Настройки → Токен API, и вставьте целиком.</source>
        <translation>Kaspi did not accept the token. Copy it again in the merchant cabinet (Settings → API token) and paste it in full.</translation>
    </message>
    <message>
        <source>Проверьте подключение к интернету; если выход в интернет идёт через прокси, VPN или антивирус, проверьте, что они пропускают запросы к kaspi.kz.</source>
        <translation>Check the internet connection; if this computer goes online through a proxy, VPN or antivirus, check that it lets requests to kaspi.kz through.</translation>
    </message>
    <message>
        <source>Нет ответа от Kaspi: время ожидания истекло.</source>
        <translation>No answer from Kaspi: the request timed out.</translation>
    </message>
    <message>
        <source>Нет связи с Kaspi.</source>
        <translation>Cannot connect to Kaspi.</translation>
    </message>
    <message>
        <source>Не удалось проверить сертификат Kaspi: проверьте дату и время на компьютере или антивирус, который проверяет HTTPS.</source>
        <translation>Could not verify the Kaspi certificate: check the date and time on the computer, or an antivirus that inspects HTTPS.</translation>
    </message>
    <message>
        <source>Kaspi временно не отвечает. Попробуйте позже или продолжите без проверки.</source>
        <translation>Kaspi is temporarily not responding. Try again later or continue without the check.</translation>
    </message>
    <message>
        <source>Адрес API Kaspi должен начинаться с https://.</source>
        <translation>The Kaspi API address must start with https://.</translation>
    </message>
    <message>
        <source>Kaspi отклонил проверочный запрос. Если ошибка повторяется, отправьте журнал в поддержку.</source>
        <translation>Kaspi rejected the test request. If this keeps happening, send the log to support.</translation>
    </message>
    <message>
        <source>Проверка не удалась из-за непредвиденной ошибки. Подробности в журнале.</source>
        <translation>The check failed because of an unexpected error. Details are in the log.</translation>
    </message>
    <message>
        <source>Доступ не разрешён: в окне amoCRM нажали «Отказать». Нажмите «Открыть amoCRM» ещё раз и выберите «Разрешить».</source>
        <translation>Access was not granted: "Deny" was clicked in the amoCRM window. Click "Open amoCRM in browser" again and choose "Allow".</translation>
    </message>
    <message>
        <source>Ответ amoCRM относится к другому подключению (не совпадает проверочный код). Ничего не сохранено: начните подключение заново из этого окна.</source>
        <translation>The amoCRM answer belongs to another connection attempt (the verification code does not match). Nothing was saved: start connecting again from this window.</translation>
    </message>
    <message>
        <source>В адресе нет кода авторизации. Скопируйте адрес целиком из строки браузера после «Разрешить».</source>
        <translation>The address has no authorization code. Copy the whole address from the browser's address bar after clicking "Allow".</translation>
    </message>
    <message>
        <source>amoCRM не вернул ответ: окно браузера закрыто или подключение не завершено. Нажмите «Открыть amoCRM» ещё раз.</source>
        <translation>amoCRM did not answer: the browser window was closed or the connection was not completed. Click "Open amoCRM in browser" again.</translation>
    </message>
    <message>
        <source>Нет связи с amoCRM. Проверьте подключение к интернету и адрес аккаунта.</source>
        <translation>Cannot reach amoCRM. Check the internet connection and the account address.</translation>
    </message>
    <message>
        <source>Аккаунт amoCRM не оплачен: после оплаты подключите его снова.</source>
        <translation>The amoCRM account is not paid: connect it again once it is paid.</translation>
    </message>
    <message>
        <source>amoCRM не принял данные входа. Код авторизации действует 20 минут и только один раз: получите новый и проверьте ID интеграции, секретный ключ и адрес перенаправления. Долгосрочный токен мог истечь или быть отозван.</source>
        <translation>amoCRM did not accept the sign-in data. An authorization code works only once and for 20 minutes: get a new one and check the integration ID, the secret key and the redirect URL. A long-lived token may have expired or been revoked.</translation>
    </message>
    <message>
        <source>Не удалось принять ответ amoCRM на этом компьютере: адрес перенаправления занят другой программой. Укажите в интеграции другой порт, например http://127.0.0.1:8766/callback.</source>
        <translation>Could not receive the amoCRM answer on this computer: another program is using the redirect URL. Set a different port in the integration, for example http://127.0.0.1:8766/callback.</translation>
    </message>
    <message>
        <source>amoCRM ответил ошибкой. Проверьте адрес аккаунта и попробуйте ещё раз.</source>
        <translation>amoCRM returned an error. Check the account address and try again.</translation>
    </message>
    <message>
        <source>Подключение не удалось из-за непредвиденной ошибки. Подробности в журнале.</source>
        <translation>Connecting failed because of an unexpected error. Details are in the log.</translation>
    </message>
    <message>
        <source>amoCRM не принимает доступ: вернитесь на шаг amoCRM и подключитесь заново.</source>
        <translation>amoCRM does not accept the access: go back to the amoCRM step and connect again.</translation>
    </message>
    <message>
        <source>Нет связи с amoCRM: воронки не загрузились. Нажмите «Повторить».</source>
        <translation>Cannot reach amoCRM: the pipelines did not load. Click "Retry".</translation>
    </message>
    <message>
        <source>Не удалось загрузить воронки amoCRM. Нажмите «Повторить».</source>
        <translation>Could not load the amoCRM pipelines. Click "Retry".</translation>
    </message>
    <message>
        <source>Настройка</source>
        <translation>Setup</translation>
    </message>
    <message>
        <source>Далее</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Назад</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Не удалось сохранить настройки: %1</source>
        <translation>Could not save the settings: %1</translation>
    </message>
    <message numerus="yes">
        <source>Будет создано сделок: %n</source>
        <translation>
            <numerusform>%n deal will be created</numerusform>
            <numerusform>%n deals will be created</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Не удастся передать заказов: %n</source>
        <translation>
            <numerusform>%n order cannot be sent</numerusform>
            <numerusform>%n orders cannot be sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n товаров</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
</context>
</TS>
