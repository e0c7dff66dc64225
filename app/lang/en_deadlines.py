"""English for the deadline and seller-quality texts (alerts, tasks, `kaspi-amo quality`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    'Аккаунт amoCRM: {host}':
        'amoCRM account: {host}',
    '• заказ №{code} — до {deadline}':
        '• order #{code} — by {deadline}',
    'Заказ Kaspi №{code} ждёт принятия':
        'Kaspi order #{code} is waiting to be accepted',
    'Заказы Kaspi ждут принятия: {count}':
        'Kaspi orders waiting to be accepted: {count}',
    'Эти заказы поступили больше часа назад и всё ещё не приняты (время Казахстана):':
        'These orders came in more than an hour ago and are still not accepted (Kazakhstan time):',
    'Что будет: Kaspi сам отменит заказ, не принятый за 3 рабочих часа магазина (заказ Express — за 60 минут), с причиной «нет в наличии». Такая отмена засчитывается магазину в долю отмен.':
        'What happens next: Kaspi itself cancels an order not accepted within the shop\'s 3 working hours (an Express order: within 60 minutes), with the reason "out of stock". Such a cancellation counts against the shop\'s cancellation rate.',
    'Что сделать сейчас: примите заказ в кабинете продавца Kaspi или в приложении Kaspi Pay. Если товара нет, отмените заказ сами и предупредите покупателя (такая отмена тоже засчитывается, но покупатель узнает сразу) и обновите остатки. Задача уже стоит на сделке в amoCRM.':
        'What to do now: accept the order in the Kaspi seller cabinet or the Kaspi Pay app. If the item is out of stock, cancel the order yourself and tell the buyer (that cancellation counts too, but the buyer knows at once), and update your stock. A task is already on the deal in amoCRM.',
    'Заказы Express не ждут: для них у Kaspi всего 60 минут с поступления.':
        'Express orders cannot wait: Kaspi gives them only 60 minutes from arrival.',
    'Соберите заказ Kaspi №{code} до {deadline}':
        'Pack Kaspi order #{code} by {deadline}',
    'Заказы Kaspi Доставки ждут сборки: {count}':
        'Kaspi Delivery orders waiting to be packed: {count}',
    'Kaspi Доставка заберёт эти заказы в назначенное время, а они ещё не собраны (время Казахстана):':
        'Kaspi Delivery will collect these orders at the planned time, and they are not packed yet (Kazakhstan time):',
    'Что будет: заказ, не переданный к этому времени, Kaspi отметит «Передача задержана». Частые задержки увеличивают сроки передачи новых заказов и портят показатели магазина.':
        'What happens next: an order not handed over by then is marked "Handover delayed" by Kaspi. Frequent delays lengthen the handover times of new orders and hurt the shop\'s quality figures.',
    'Что сделать сейчас: упакуйте заказ, укажите число мест и распечатайте накладную в кабинете Kaspi, затем сдайте заказ в пункт приёма или курьеру. Задача уже стоит на сделке в amoCRM.':
        'What to do now: pack the order, enter the number of parcels and print the waybill in the Kaspi cabinet, then take the order to the drop-off point or give it to the courier. A task is already on the deal in amoCRM.',
    'Доля отмен Kaspi {rate} — выше предела 3%':
        'Kaspi cancellation rate {rate} — above the 3% limit',
    'Доля отмен Kaspi {rate} — близко к пределу 3%':
        'Kaspi cancellation rate {rate} — close to the 3% limit',
    'За последние 30 дней: заказов {orders}, отменено по вине магазина {cancelled} (нет в наличии, не приняты вовремя, не переданы в Kaspi Доставку) — {rate}.':
        "Over the last 30 days: {orders} orders, {cancelled} cancelled through the shop's fault (out of stock, not accepted in time, not handed to Kaspi Delivery) — {rate}.",
    'Что будет: Kaspi требует держать долю отмен ниже 3%. Если она выше 5%, Kaspi может отключить магазин на 7 дней, а после третьего нарушения за 90 дней — прекратить сотрудничество. Kaspi пересчитывает показатель каждый день.':
        'What happens next: Kaspi requires the cancellation rate to stay below 3%. Above 5%, Kaspi may switch the shop off for 7 days, and after the third breach within 90 days end the partnership. Kaspi recounts the figure every day.',
    'Что сделать сейчас: принимайте новые заказы вовремя (программа ставит задачи в amoCRM), снимите с продажи товары, которых нет на складе, и обновите остатки в кабинете Kaspi: отмена «нет в наличии» засчитывается, даже если отменили вы сами.':
        'What to do now: accept new orders on time (the program puts tasks into amoCRM), take items you do not have off sale and update your stock in the Kaspi cabinet: an "out of stock" cancellation counts even when you cancel it yourself.',
    'ещё {orders} за 30 дней в архиве (выданы или отменены): история для показателя отмен (kaspi-amo quality), в сделки не переносятся':
        '{orders} more from the last 30 days in the archive (completed or cancelled): the history behind the cancellation rate (kaspi-amo quality), not made into deals',
    'в норме':
        'fine',
    'близко к пределу':
        'close to the limit',
    'выше предела':
        'above the limit',
    'нет в наличии / не принят вовремя':
        'out of stock / not accepted in time',
    'не передан в Kaspi Доставку':
        'not handed to Kaspi Delivery',
    'Показатели Kaspi за {days} дней ({since} — {until}, UTC):':
        'Kaspi figures for {days} days ({since} — {until}, UTC):',
    'заказов: {count}':
        'orders: {count}',
    'отменено по вине магазина: {count}':
        "cancelled through the shop's fault: {count}",
    'доля отмен: {rate} (предел Kaspi — 3%, предупреждение с 2,4%)':
        "cancellation rate: {rate} (Kaspi's limit 3%, warning from 2.4%)",
    'состояние: {state} ({status})':
        'status: {state} ({status})',
    '(запросов к Kaspi: {kaspi}, к amoCRM: 0)':
        '(requests to Kaspi: {kaspi}, to amoCRM: 0)',
    'Не задан KASPI_API_TOKEN: без него показатели Kaspi не прочитать. Откройте мастер настройки или задайте его в окружении / файле .env.':
        'KASPI_API_TOKEN is not set: the Kaspi figures cannot be read without it. Open the setup wizard or set it in the environment / the .env file.',
    'доля отмен по вине магазина за 30 дней (читает только Kaspi)':
        "the shop's cancellation rate over 30 days (reads Kaspi only)",
    'Читает из Kaspi заказы последних 30 дней (окнами по 14 дней, во всех состояниях) и считает долю отменённых по вине магазина: «нет в наличии» (так Kaspi отменяет и непринятые вовремя) и «не передан в Kaspi Доставку». Kaspi требует держать её ниже 3%; с 2,4% — «близко к пределу». К amoCRM не обращается. --json: window_days, orders, cancelled_by_merchant, cancellation_rate, cancellation_limit, status (ok, warning, over).':
        'Reads the last 30 days of orders from Kaspi (14-day windows, every state) and counts the share cancelled through the shop\'s fault: "out of stock" (Kaspi\'s reason for orders not accepted in time too) and "not handed to Kaspi Delivery". Kaspi requires it to stay under 3%; from 2.4% it is "close to the limit". Makes no amoCRM request. --json: window_days, orders, cancelled_by_merchant, cancellation_rate, cancellation_limit, status (ok, warning, over).',
    'Kaspi не ответил или не принял токен':
        'Kaspi did not answer or refused the token',
    'ошибка настроек: нет KASPI_API_TOKEN':
        'configuration error: no KASPI_API_TOKEN',
    'Сроки Kaspi: {tasks} в amoCRM:':
        "Kaspi's deadlines: {tasks} in amoCRM:",
    '  ⏰ {task} — срок {till} (время Казахстана), сделка №{lead}':
        '  ⏰ {task} — due {till} (Kazakhstan time), deal #{lead}',
    'Доля отмен по вине магазина за 30 дней (как считает Kaspi): {rate} — {cancelled} из {orders}, {state} (предел 3%).':
        "Cancellation rate through the shop's fault over 30 days (as Kaspi counts it): {rate} — {cancelled} of {orders}, {state} (limit 3%).",
    'Ждут магазина':
        'Waiting for the shop',
    'принять {accept}, передать курьеру {handover}, срочно {alarming}; ближайший срок — заказ {code} до {deadline} (время Казахстана)':
        'to accept {accept}, to hand over {handover}, urgent {alarming}; soonest deadline — order {code} by {deadline} (Kazakhstan time)',
    'Доля отмен за 30 дней':
        'Cancellation rate, 30 days',
    '{rate} ({cancelled} из {orders}), {state}':
        '{rate} ({cancelled} of {orders}), {state}',
    'Что сделать':
        'To do',
    'Срок (время Казахстана)':
        'Deadline (Kazakhstan time)',
    'Принять':
        'Accept',
    'Собрать и передать курьеру':
        'Pack and hand over to the courier',
    'Ждут магазина: {count}':
        'Waiting for the shop: {count}',
}
