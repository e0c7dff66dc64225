<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="ru">
<context>
    <name>Alerts</name>
    <message>
        <source>Telegram</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Почта</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: оповещений ещё не было</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: последнее оповещение доставлено %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: последнее оповещение НЕ доставлено %2 — %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Оповещения</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверьте канал в «Настройки…» → «Оповещения» и нажмите «Отправить проверку».</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>Системное хранилище паролей недоступно: токены хранятся в файле программы, который может читать только ваша учётная запись.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Пробный режим (DRY_RUN): в amoCRM ничего не записывается.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>доступ проверен %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>доступ отклонён (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>не отвечает (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Запуск…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Последняя успешная синхронизация: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Последняя синхронизация: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Идёт синхронизация…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Синхронизация на паузе</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Следующая: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>В очереди: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ждут магазина до срока Kaspi: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Последняя ошибка</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Синхронизация не запущена: не хватает настроек.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверяю настройки и базу данных…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Вышла версия %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нажмите, чтобы открыть страницу загрузки.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверяю обновления…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверка обновлений выключена администратором (UPDATE_FEED_URL).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>У вас последняя версия (%1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не удалось проверить обновления: нет связи с сайтом программы.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не удалось изменить автозапуск: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Программа продолжает работать в трее. Значок показывает, как идёт синхронизация.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>завершаю текущую пачку заказов…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Deadlines</name>
    <message>
        <source>%1 ч %2 мин</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 мин</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>просрочен на %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Принять</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Собрать и передать</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1,%2%</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ждут магазина до срока Kaspi: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kaspi отменяет заказ, не принятый за 3 рабочих часа (Express — за 60 минут), и ждёт посылки Kaspi Доставки к назначенному времени. Время — Казахстана.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Заказ</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Покупатель</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Что сделать</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Срок Kaspi</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Осталось</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Открыть сделку в amoCRM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Доля отмен Kaspi за 30 дней</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>в норме</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>близко к пределу</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>выше предела</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Отменено по вине магазина: %1 из %2 заказов · предел Kaspi 3%</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Посчитано %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Kaspi</name>
    <message>
        <source>Новый</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ждёт подписи</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Самовывоз</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Доставка</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kaspi Доставка</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Архив</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Одобрен банком</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Принят</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Выдан</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Отменён</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Отменяется</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Запрошен возврат</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Возврат принят</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Возвращён</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>KaspiActions</name>
    <message>
        <source>принять</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>собрать (накладная)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>отменить</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>отправить код выдачи</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>выдать по коду</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ждёт отправки</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ждёт ответа Kaspi</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kaspi отказал</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Действия Kaspi: ждут %1 · отказано %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Приостановлены: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Заказ %1: %2 — %3</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Notify</name>
    <message>
        <source>Синхронизация восстановлена</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Заказы Kaspi снова передаются в amoCRM.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Новая сделка в amoCRM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Заказы Kaspi %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Не удалось передать %n заказов</source>
        <translation>
            <numerusform>Не удалось передать %n заказ</numerusform>
            <numerusform>Не удалось передать %n заказа</numerusform>
            <numerusform>Не удалось передать %n заказов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Создано %n сделок</source>
        <translation>
            <numerusform>Создана %n сделка</numerusform>
            <numerusform>Создано %n сделки</numerusform>
            <numerusform>Создано %n сделок</numerusform>
        </translation>
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
        <translation type="unfinished" />
    </message>
    <message>
        <source>Дата</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Покупатель</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Телефон</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Сумма</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kaspi</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Передача</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Сделка</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>нет телефона</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>№ %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Открыть сделку в amoCRM: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <source>Токен API Kaspi</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Кабинет продавца Kaspi → Настройки → Токен API.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Адрес вашего amoCRM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Например, https://mojmagazin.amocrm.ru</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Доступ к amoCRM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ключ интеграции amoCRM: долгосрочный токен или пара токенов.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Нужно завершить настройку</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Всё в порядке</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Идёт синхронизация…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нужно внимание</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Синхронизация не удалась</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Синхронизация на паузе</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>В amoCRM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ожидает</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ошибка</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нужна проверка</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Time</name>
    <message>
        <source>ещё не было</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>только что</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>сегодня в %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>вчера в %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>через %1 с</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>через %1 мин</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n мин назад</source>
        <translation>
            <numerusform>%n мин назад</numerusform>
            <numerusform>%n мин назад</numerusform>
            <numerusform>%n мин назад</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Синхронизировать сейчас</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Открыть окно</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Возобновить синхронизацию</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Приостановить синхронизацию</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Доступна версия %1 — скачать…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Настройки…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Открыть папку журналов</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Выйти</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <source>&amp;Файл</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Синхронизировать сейчас</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Настройки…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Открыть папку журналов</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Выйти</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Синхронизация</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Повторить неудачные</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Вид</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Язык</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Как в системе</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Справка</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверить обновления</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверять обновления раз в день</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>О программе</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Запустить опрос сейчас: заказы с ошибкой пробуются снова при каждом опросе.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Поиск: номер заказа, покупатель, телефон…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Все заказы</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>С ошибками</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ожидают передачи</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Заказов пока нет.
Новые заказы Kaspi появятся здесь в течение минуты после оформления.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нужно завершить настройку</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Открыть настройки…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверить снова</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Возобновить</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Возобновить синхронизацию</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Пауза</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Приостановить синхронизацию</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нажмите «Открыть настройки…»: мастер проведёт по шагам. Администратор может задать настройки в файле %1 или в файле .env рядом с программой и нажать «Проверить снова».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Очередь: %1 (ожидают %2, с ошибкой %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1, версия %2.
Заказы Kaspi.kz становятся сделками amoCRM.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Сегодня: создано %1 · обновлено %2 · заказов с ошибкой %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Очередь пуста</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Красным, когда в очереди больше %1 заказов.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Чтобы начать передавать заказы Kaspi в amoCRM, не хватает:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Настройки не удалось прочитать:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Показано %1 из %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Вышла новая версия %1 (у вас %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Скачать…</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Передано в amoCRM: %n заказов</source>
        <translation>
            <numerusform>Передано в amoCRM: %n заказ</numerusform>
            <numerusform>Передано в amoCRM: %n заказа</numerusform>
            <numerusform>Передано в amoCRM: %n заказов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>синхронизация не удалась %n раз подряд</source>
        <translation>
            <numerusform>синхронизация не удалась %n раз подряд</numerusform>
            <numerusform>синхронизация не удалась %n раза подряд</numerusform>
            <numerusform>синхронизация не удалась %n раз подряд</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>Оповещения</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Куда написать, если заказы перестанут доходить до amoCRM. Можно пропустить.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Программа сообщит, когда синхронизация несколько раз подряд не удалась, когда скопилась очередь или когда программа долго молчит, и ещё раз — когда всё наладится.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Telegram</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Как получить токен бота и ID чата</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;В Telegram найдите &lt;b&gt;@BotFather&lt;/b&gt;, нажмите «Запустить» и отправьте ему &lt;b&gt;/newbot&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Придумайте боту имя, затем адрес, который оканчивается на &lt;b&gt;bot&lt;/b&gt; (например, shop_alerts_bot). BotFather пришлёт токен вида 123456789:AAH…&lt;/li&gt;&lt;li&gt;Скопируйте токен в поле «Токен бота».&lt;/li&gt;&lt;li&gt;Откройте своего бота (ссылка t.me/… в ответе BotFather) и нажмите «Запустить» или напишите ему что угодно. Для группы: добавьте бота в группу и напишите в ней.&lt;/li&gt;&lt;li&gt;Нажмите «Найти чат»: ID чата заполнится сам. Затем «Отправить проверку».&lt;/li&gt;&lt;/ol&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Токен бота:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ID чата:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Найти чат</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Читает, кто недавно написал боту, и подставляет ID этого чата.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Электронная почта</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Кому:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>От кого:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMTP-сервер:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Порт:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Логин:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Пароль:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Отправить проверку</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Когда оповещать</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Неудачных синхронизаций подряд:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Заказов в очереди больше чем:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Программа молчит дольше, минут:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Сохранён — оставьте пустым, чтобы не менять</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Введён и сохранится после «Готово» — оставьте пустым, чтобы не менять</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Укажите и токен бота, и ID чата.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>почта</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверка не прошла (%1): оповещения туда не дойдут. Исправьте поля или нажмите «Далее» ещё раз, чтобы сохранить как есть.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Для почты нужны адрес получателя, адрес отправителя и SMTP-сервер.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Адрес почты должен содержать @.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Сначала вставьте токен бота (шаги — по ссылке «Как получить токен бота»).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ищу, кто писал боту…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Бот пока не получал сообщений. Откройте бота в Telegram, нажмите «Запустить» (или напишите ему), затем снова «Найти чат».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Найден чат: %1 (ID %2). Теперь нажмите «Отправить проверку».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Боту писали и другие: %1. Выбран самый недавний.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не удалось связаться с Telegram.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Заполните поля этого канала.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Отправляю…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Отправлено. Проверьте, что сообщение пришло.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не удалось отправить.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Укажите ID чата: напишите боту и нажмите «Найти чат».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Исправьте отмеченные поля или очистите их, чтобы не получать оповещения.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Подключите аккаунт amoCRM, в котором появятся сделки из заказов Kaspi.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Адрес аккаунта:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Вставить код авторизации (20 минут)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Интеграция amoCRM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ID интеграции:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Секретный ключ:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Адрес перенаправления:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Открыть amoCRM в браузере</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>После «Разрешить» браузер откроет адрес перенаправления. Скопируйте адрес из строки браузера целиком и вставьте сюда:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Подключить</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Код авторизации:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Долгосрочный токен:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Как в строке браузера, можно без https://: shop.amocrm.ru</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Долгосрочный токен — проще всего для своего магазина</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;Войдите в amoCRM как администратор и откройте раздел &lt;b&gt;«amoМаркет»&lt;/b&gt; в меню слева.&lt;/li&gt;&lt;li&gt;Справа вверху нажмите &lt;b&gt;«Создать интеграцию»&lt;/b&gt; и выберите &lt;b&gt;«Внешняя интеграция»&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Впишите любое название (например, «Kaspi») и описание, разрешите доступ к данным и сохраните. Адрес перенаправления можно не менять.&lt;/li&gt;&lt;li&gt;В открывшейся интеграции перейдите на вкладку &lt;b&gt;«Ключи и доступы»&lt;/b&gt;, нажмите &lt;b&gt;«Долгосрочный токен»&lt;/b&gt;, выберите срок (до 5 лет) и скопируйте токен: amoCRM показывает его только один раз.&lt;/li&gt;&lt;li&gt;Вставьте токен сюда и нажмите «Подключить».&lt;/li&gt;&lt;/ol&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Другие способы (для администраторов)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Войти через браузер (нужны ID и секретный ключ интеграции)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM → amoМаркет → ваша интеграция → вкладка «Ключи и доступы». Адрес перенаправления должен совпадать с указанным в интеграции; http://127.0.0.1:8765/callback позволяет программе принять ответ amoCRM самой.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ключ сохранён — оставьте пустым, чтобы не менять</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM подключён: %1 — доступ проверен только что.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM подключён: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM подключён. Чтобы переподключить, выберите способ и нажмите «Подключить».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM не пускает программу (%1): %2 Подключите amoCRM заново одним из способов ниже.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверить доступ сейчас не удалось: нет связи с amoCRM.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Заполните ID интеграции, секретный ключ и адрес перенаправления.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>В браузере нажмите «Разрешить», затем вставьте адрес из браузера ниже.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Жду ответа amoCRM: в открывшемся окне браузера нажмите «Разрешить»…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Сначала нажмите «Открыть amoCRM в браузере».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Подключаю amoCRM…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нажмите «Открыть amoCRM в браузере» и разрешите доступ.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Вставьте код авторизации из настроек интеграции.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Вставьте долгосрочный токен: как его получить, написано выше.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверяю токен в amoCRM…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ключ введён и сохранится после «Готово»</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Подключено: %1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Продолжить без проверки</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверяю…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Куда попадают сделки</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Выберите воронку и этап для новых сделок и какие заказы Kaspi передавать.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Воронка:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Этап новой сделки:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Передавать заказы Kaspi в состояниях</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Отметьте хотя бы одно состояние.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Когда заказ в Kaspi меняет статус</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Сверка раз в 10 минут переносит сделку на выбранный этап.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Повторить</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Управлять заказами Kaspi из amoCRM (принимать, собирать, отменять, выдавать)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Покупатель отказался</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не удалось связаться с покупателем</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Товара нет в наличии</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Управление заказами Kaspi из amoCRM</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Перенос сделки по этапам меняет заказ в Kaspi. Каждое действие включается отдельно.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Внимание: действия в Kaspi нельзя отменить. Принятый, отменённый или выданный заказ не вернуть назад ни из amoCRM, ни из этой программы. Включайте только то, чем будете пользоваться.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ID магазина Kaspi:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Кабинет продавца Kaspi → Настройки → ID магазина. Нужен для любого действия.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Принимать новые заказы автоматически, как только появилась сделка</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Принимать заказ, когда сделка попадает в этап:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Собирать заказ Kaspi Доставки (накладная), этап:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Выдавать заказ по коду покупателя, этап:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Отменять заказ в Kaspi, когда сделка закрыта с причиной отказа</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Для каждой причины отказа выберите причину отмены в Kaspi или «Не отменять».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Загрузить этапы и причины</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM не подключён: вернитесь на шаг amoCRM.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Загружаю этапы и причины отказа из amoCRM…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Этапы и причины отказа загружены из amoCRM.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не отменять</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Укажите ID магазина Kaspi: без него действия с заказами не работают.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ID магазина Kaspi пишется без пробелов.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Выберите этап для каждого включённого действия.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>У каждого действия должен быть свой этап.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Загружаю воронки из amoCRM…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>В аккаунте amoCRM нет воронок: создайте воронку и нажмите «Повторить».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Воронки загружены из amoCRM.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не менять этап</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>В этой воронке нет этапа для новых сделок: выберите другую.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Готово</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверьте настройки и нажмите «Готово»: синхронизация начнётся сразу.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Программа</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Запускать вместе с компьютером</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не показывать уведомления о новых заказах</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Раз в день проверять, не вышла ли новая версия</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Язык:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Как в системе</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Пробный запуск</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Покажет, какие сделки появятся в amoCRM при первой синхронизации. В amoCRM при этом ничего не записывается.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Показать, что будет создано</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Раньше заказы передавались в аккаунт %1. После «Готово» программа начнёт заново с аккаунтом %2: заказы Kaspi за последние 14 дней появятся в нём как новые сделки.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>нет</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>да — проверочное сообщение отправлено</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>да, но проверка не прошла: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>да — последнее оповещение доставлено %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>да, но последнее оповещение не доставлено (%1): %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>да, но не проверено: нажмите «Отправить проверку» на шаге «Оповещения»</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kaspi</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>токен сохранён</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM сейчас не пускает программу: подключите заново</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>токен введён, сохранится после «Готово»</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>нет токена</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Воронка и этап</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Заказы в состояниях</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Оповещения в Telegram</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Оповещения на почту</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Читаю заказы Kaspi и ищу покупателей в amoCRM…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Пробный запуск не удался. Подробности в журнале.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Новых заказов для передачи нет: сделки появятся, когда придут заказы.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>без имени</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>без телефона</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Подключите магазин Kaspi: программа будет читать из него новые заказы.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Токен API находится в &lt;a href="%1"&gt;кабинете продавца Kaspi&lt;/a&gt;: Настройки → Токен API. Скопируйте его и вставьте сюда. Программа только читает заказы и ничего не меняет в магазине.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Токен API:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверить</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Дополнительно</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Адрес API Kaspi:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Токен сохранён — оставьте пустым, чтобы не менять</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Токен введён и сохранится после «Готово» — оставьте пустым, чтобы не менять</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Вставьте токен API</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Токен сохранён. Чтобы заменить его, вставьте новый.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Вставьте токен API из кабинета продавца Kaspi.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kaspi принял токен: заказы магазина доступны.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверяю токен в Kaspi…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kaspi не принял токен. Скопируйте его заново в кабинете продавца: Настройки → Токен API, и вставьте целиком.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверьте подключение к интернету; если выход в интернет идёт через прокси, VPN или антивирус, проверьте, что они пропускают запросы к kaspi.kz.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нет ответа от Kaspi: время ожидания истекло.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нет связи с Kaspi.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не удалось проверить сертификат Kaspi: проверьте дату и время на компьютере или антивирус, который проверяет HTTPS.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kaspi временно не отвечает. Попробуйте позже или продолжите без проверки.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Адрес API Kaspi должен начинаться с https://.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kaspi отклонил проверочный запрос. Если ошибка повторяется, отправьте журнал в поддержку.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Проверка не удалась из-за непредвиденной ошибки. Подробности в журнале.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Доступ не разрешён: в окне amoCRM нажали «Отказать». Нажмите «Открыть amoCRM» ещё раз и выберите «Разрешить».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ответ amoCRM относится к другому подключению (не совпадает проверочный код). Ничего не сохранено: начните подключение заново из этого окна.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>В адресе нет кода авторизации. Скопируйте адрес целиком из строки браузера после «Разрешить».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM не вернул ответ: окно браузера закрыто или подключение не завершено. Нажмите «Открыть amoCRM» ещё раз.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нет связи с amoCRM. Проверьте подключение к интернету и адрес аккаунта.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Аккаунт amoCRM не оплачен: после оплаты подключите его снова.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM не принял данные входа. Код авторизации действует 20 минут и только один раз: получите новый и проверьте ID интеграции, секретный ключ и адрес перенаправления. Долгосрочный токен мог истечь или быть отозван.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не удалось принять ответ amoCRM на этом компьютере: адрес перенаправления занят другой программой. Укажите в интеграции другой порт, например http://127.0.0.1:8766/callback.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM ответил ошибкой. Проверьте адрес аккаунта и попробуйте ещё раз.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Подключение не удалось из-за непредвиденной ошибки. Подробности в журнале.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amoCRM не принимает доступ: вернитесь на шаг amoCRM и подключитесь заново.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Нет связи с amoCRM: воронки не загрузились. Нажмите «Повторить».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не удалось загрузить воронки amoCRM. Нажмите «Повторить».</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Настройка</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Далее</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Назад</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Отмена</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Не удалось сохранить настройки: %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Будет создано сделок: %n</source>
        <translation>
            <numerusform>Будет создано сделок: %n</numerusform>
            <numerusform>Будет создано сделок: %n</numerusform>
            <numerusform>Будет создано сделок: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Не удастся передать заказов: %n</source>
        <translation>
            <numerusform>Не удастся передать заказов: %n</numerusform>
            <numerusform>Не удастся передать заказов: %n</numerusform>
            <numerusform>Не удастся передать заказов: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n товаров</source>
        <translation>
            <numerusform>%n товар</numerusform>
            <numerusform>%n товара</numerusform>
            <numerusform>%n товаров</numerusform>
        </translation>
    </message>
</context>
</TS>
