"""English for the CLI's messages (keys: the Russian source text; app/lang/__init__.py)."""

from __future__ import annotations

from app.lang.en_deadlines import MESSAGES as DEADLINE_MESSAGES

ARGPARSE: dict[str, str] = {}  # argparse speaks English already

MESSAGES: dict[str, str] = {
    **DEADLINE_MESSAGES,
    ('{title}: нет доступа к {where} ({reason}). Проверьте права на папку и свободное место на диске; другую папку '
     'можно задать в KASPI_AMO_HOME.'):
        ("{title}: no access to {where} ({reason}). Check the folder's permissions and the free disk space; "
         'another folder can be set in KASPI_AMO_HOME.'),
    'папке программы':
        "the app's folder",
    'файл':
        'file',
    'Остановлено.':
        'Stopped.',
    'Сохранённые токены и пароли удалены ({where}).':
        'Saved tokens and passwords deleted ({where}).',
    'Остановка: завершаю текущую пачку заказов…':
        'Stopping: finishing the current batch of orders…',
    'Демо ещё не запускалось: сначала kaspi-amo demo.':
        'The demo has not run yet: run kaspi-amo demo first.',
    'Миграции применены: {count}':
        'Migrations applied: {count}',
    'База данных уже в актуальном состоянии':
        'The database is up to date',
    ("{app} {version}: для окна в трее нужен Qt: pip install 'kaspi-amo-sync[gui]' (или из папки проекта: pip "
     "install '.[gui]'). Без окна работают команды poll, run, status, demo (kaspi-amo --help)."):
        ("{app} {version}: the tray app needs Qt: pip install 'kaspi-amo-sync[gui]' (or from the project folder: "
         "pip install '.[gui]'). Without a window, the commands poll, run, status and demo work (kaspi-amo "
         '--help).'),
    'ничего не записывать в amoCRM, только показать, что было бы записано (как DRY_RUN=true)':
        'write nothing to amoCRM, only show what would be written (like DRY_RUN=true)',
    'один опрос: новые заказы Kaspi → сделки amoCRM':
        'one poll: new Kaspi orders → amoCRM deals',
    ('Один опрос: читает новые заказы Kaspi (с прошлого опроса, не дальше 14 дней назад) в состояниях '
     'KASPI_ALLOWED_STATES и по каждому создаёт сделку в amoCRM с контактом покупателя, товарами и примечанием — '
     'ровно один раз. Заказы, не довершённые прошлым запуском, довершаются. Для cron: раз в минуту; второй запуск '
     'на ту же базу ждёт первого.'):
        ('One poll: reads new Kaspi orders (since the last poll, at most 14 days back) in the states '
         "KASPI_ALLOWED_STATES and creates one amoCRM deal for each, with the buyer's contact, products and a note "
         '— exactly once. Orders a previous run left unfinished are finished. For cron: once a minute; a second '
         'run on the same store waits for the first.'),
    'сверка: пропущенные заказы и смена статусов за 14 дней':
        'reconcile: missed orders and status changes, 14 days',
    ('Сверка: перечитывает заказы Kaspi за последние 14 дней во всех состояниях и открытые старые заказы. '
     'Пропущенные опросом заказы создаются; смена состояния или статуса попадает в сделку (тег, примечание, этап '
     'по AMO_STATUS_MAP). Если ничего не изменилось, в amoCRM ничего не пишется. Для cron: раз в 10 минут.'):
        ('Reconcile: re-reads the last 14 days of Kaspi orders in every state and older orders still open. Orders '
         'the poll missed are created; a changed state or status reaches the deal (tag, note, stage by '
         'AMO_STATUS_MAP). When nothing changed, nothing is written to amoCRM. For cron: every 10 minutes.'),
    'счётчики и время из базы':
        'counts and times from the store',
    ('Что записано в базе: обработано заказов, очередь (ожидают и с ошибкой), карантин, время последнего опроса, '
     'сверки и успеха (UTC, ISO 8601), ошибки подряд, итоги дня (по UTC). Ничего не отправляет в Kaspi и amoCRM.'):
        ('What the store holds: orders processed, the backlog (pending and failed), quarantine, the time of the '
         "last poll, reconcile and success (UTC, ISO 8601), failures in a row, today's totals (UTC day). Sends "
         'nothing to Kaspi or amoCRM.'),
    'создать или обновить таблицы базы данных':
        'create or update the database tables',
    ('Создаёт или обновляет таблицы базы данных из DATABASE_URL. poll, reconcile и run делают это сами; команда '
     'нужна, чтобы подготовить базу заранее (например, PostgreSQL для нескольких машин).'):
        ('Creates or updates the tables of the database in DATABASE_URL. poll, reconcile and run do it themselves; '
         'this prepares a store ahead of time (for example PostgreSQL shared by several machines).'),
    'запустить эмуляторы Kaspi и amoCRM на этом компьютере':
        'start the Kaspi and amoCRM emulators on this computer',
    'песочница и настоящая синхронизация с ней: посмотреть без аккаунтов':
        'the sandbox and a real sync with it: see it work without accounts',
    ('Запускает песочницу Kaspi и amoCRM на этом компьютере и делает с ней настоящий опрос: видно, какие заказы '
     'стали сделками, почему остальные пропущены и что повторный опрос дублей не создаёт. Демо работает в своей '
     'папке (база, журнал) и не трогает ваши настройки, базу и сохранённые токены; каждый запуск начинается '
     'заново. Итог потом: kaspi-amo status --demo.'):
        ('Starts the Kaspi and amoCRM sandbox on this computer and runs a real poll against it: which orders '
         'became deals, why the others were skipped, and that a second poll creates no duplicates. The demo keeps '
         'to a folder of its own (store, log) and never touches your settings, store or saved tokens; every run '
         'starts afresh. See the result later: kaspi-amo status --demo.'),
    'самопроверка: папки, хранилище паролей, база, переводы, связь':
        'self-check: folders, keyring, store, translations, network',
    ('Проверяет то, с чем столкнётся синхронизация: папки программы, хранилище паролей (запись, чтение и удаление '
     'пробного секрета), файл настроек, базу данных, переводы, сертификаты HTTPS и связь с Kaspi и amoCRM с теми '
     'же заголовками, что у опроса (токен Kaspi — настоящим запросом). Ничего секретного не выводит; отчёт '
     'сохраняется и в папке журналов (doctor.txt).'):
        ("Checks what a sync will meet: the app's folders, the keyring (writing, reading and deleting a dummy "
         'secret), the settings file, the database, translations, HTTPS certificates, and Kaspi and amoCRM reached '
         "with the poll's own headers (the Kaspi token with a real request). Prints nothing secret; the report is "
         'also saved in the log folder (doctor.txt).'),
    'удалить сохранённые токены и пароли':
        'delete the saved tokens and passwords',
    ('Удаляет токены и пароли, сохранённые программой (системное хранилище паролей и файл secrets.json); так '
     'делает удаление программы вместе с данными. Настройки и база остаются.'):
        ('Deletes the tokens and passwords the app saved (the OS keyring and the secrets.json file), as '
         'uninstalling with data does. Settings and the store stay.'),
    'Коды выхода:':
        'Exit codes:',
    'все заказы обработаны (или новых нет)':
        'every order handled (or nothing new)',
    ('сбой цикла или заказа: по строке на сбой в stderr; необработанные заказы остаются в очереди и повторятся при '
     'следующем запуске'):
        ('a cycle or an order failed: one line per failure on stderr; unfinished orders stay queued and are '
         'retried by the next run'),
    'ошибка настроек: нет или неверна настройка, нет базы данных или модуля psycopg':
        'bad configuration: a setting missing or invalid, no such database, or psycopg not installed',
    ('Заказы Kaspi.kz → сделки amoCRM. Без команды запускается приложение в трее (при первом запуске — мастер '
     'настройки); с командой — та же синхронизация без окна (cron, сервер).'):
        ('Kaspi.kz orders → amoCRM deals. Without a command the tray app starts (the setup wizard on first run); '
         'with one, the same sync runs without a window (cron, a server).'),
    'показать версию и выйти':
        'show the version and exit',
    'КОМАНДА':
        'COMMAND',
    'команды':
        'commands',
    'вывод в JSON (для мониторинга)':
        'print JSON (for monitoring)',
    'показать базу последнего запуска kaspi-amo demo, а не свою':
        "show the last kaspi-amo demo's store, not yours",
    ("вид переменных: sh (export ИМЯ='значение', для eval и «.»), powershell, cmd или dotenv (как в .env); по "
     'умолчанию {default}'):
        ('how to print the variables: sh (export NAME=\'value\', for eval and "."), powershell, cmd or dotenv (as '
         'in .env); default {default}'),
    'ФАЙЛ':
        'FILE',
    ('записать переменные в этот файл (вид .env) и удалить его при остановке; существующий файл, записанный не '
     'песочницей, не перезаписывается'):
        ('write the variables to this file (.env form) and delete it on stop; an existing file the sandbox did not '
         'write is never overwritten'),
    'ПОРТ':
        'PORT',
    'порт эмулятора Kaspi (по умолчанию — любой свободный)':
        "the Kaspi emulator's port (default: any free one)",
    'порт эмулятора amoCRM (по умолчанию — любой свободный)':
        "the amoCRM emulator's port (default: any free one)",
    'вывод в JSON':
        'print JSON',
    'не проверять связь с Kaspi и amoCRM':
        'do not check Kaspi and amoCRM over the network',
    'штатная остановка':
        'a clean stop',
    'не удалось начать: база данных недоступна':
        'could not start: the database is unreachable',
    'ошибка настроек':
        'bad configuration',
    'показано':
        'shown',
    'база данных недоступна':
        'the database is unreachable',
    ('ошибка настроек (нет базы данных или модуля psycopg, неверный DATABASE_URL) или демо ещё не запускалось '
     '(--demo)'):
        ('bad configuration (no such database, psycopg not installed, a wrong DATABASE_URL) or the demo has not '
         'run yet (--demo)'),
    'база в актуальном состоянии':
        'the store is up to date',
    'Или сохранить переменные для оболочки и загрузить их в другом терминале:':
        'Or save the variables for the shell and load them in another terminal:',
    'остановлена (Ctrl+C, SIGTERM)':
        'stopped (Ctrl+C, SIGTERM)',
    'порт занят или файл --env-file уже есть и записан не песочницей':
        'a port is taken, or the --env-file exists and was not written by the sandbox',
    'демо прошло':
        'the demo ran',
    'демо не удалось (папка демо недоступна для записи или синхронизация с песочницей не прошла)':
        'the demo failed (its folder is not writable, or the sync with the sandbox failed)',
    'сбоев нет (предупреждения возможны)':
        'no failures (there may be warnings)',
    'есть сбой: синхронизация в таком виде не заработает':
        'a check failed: the sync will not work like this',
    'удалено (или нечего было удалять)':
        'deleted (or nothing to delete)',
    ('Настройки берутся из переменных окружения, файла .env в рабочей папке и файла настроек (список — в README, '
     'раздел «Настройки»). Язык: KASPI_AMO_LANG=ru, kk или en. Подробнее о команде: kaspi-amo КОМАНДА --help.'):
        ('Settings come from environment variables, a .env file in the working folder and the settings file (the '
         'list: README, "Configuration"). Language: KASPI_AMO_LANG=ru, kk or en. More on a command: kaspi-amo '
         'COMMAND --help.'),
    'успех; без команды — выход из приложения в трее':
        'success; without a command: the tray app was quit',
    'сбой (по строке на сбой в stderr); без команды — не установлен Qt':
        'a failure (one line per failure on stderr); without a command: Qt is not installed',
    'ошибка настроек или командной строки':
        'bad configuration or command line',
    'и в другом, в той же папке (poll читает .env из рабочей папки):':
        'and in another one, in the same folder (poll reads .env from the working folder):',
    'Например, в одном терминале:':
        'For example, in one terminal:',
    ('Песочница: эмуляторы API Kaspi и amoCRM на 127.0.0.1 с тестовыми заказами, контактами и товарами, чтобы '
     'попробовать синхронизацию без аккаунтов, ничего не записав в настоящую amoCRM. Работает, пока её не '
     'остановят (Ctrl+C). Печатает переменные окружения для синхронизации с ней в виде, который понимает оболочка, '
     'или пишет их в файл .env (токены в них — только для песочницы).'):
        ('The sandbox: emulators of the Kaspi and amoCRM APIs on 127.0.0.1 with sample orders, contacts and '
         'products, to try the sync without accounts and without writing to a real amoCRM. Runs until stopped '
         '(Ctrl+C). Prints the environment variables for a sync with it in a form the shell loads, or writes them '
         'to a .env file (its tokens work with the sandbox only).'),
    ('{head}: получено заказов Kaspi {fetched}, создано сделок {created}, обновлено {updated}, заказов с ошибкой '
     '{failed}'):
        '{head}: Kaspi orders read {fetched}, deals created {created}, updated {updated}, orders failed {failed}',
    'Опрос пропущен':
        'Poll skipped',
    'Сверка пропущена':
        'Reconcile skipped',
    'Опрос':
        'Poll',
    'Сверка':
        'Reconcile',
    ('{kind} (пробный запуск, в amoCRM ничего не записано): получено заказов {fetched}, было бы создано сделок '
     '{planned}'):
        '{kind} (dry run, nothing written to amoCRM): orders read {fetched}, deals that would be created {planned}',
    '(запросов: Kaspi {kaspi}, amoCRM {amo})':
        '(requests: Kaspi {kaspi}, amoCRM {amo})',
    'ещё не было':
        'never yet',
    'Обработано заказов':
        'Orders processed',
    'Очередь (ожидают/с ошибкой)':
        'Backlog (pending/failed)',
    'На карантине':
        'Quarantined',
    'Последний опрос':
        'Last poll',
    'Последняя сверка':
        'Last reconcile',
    'Последний успех':
        'Last success',
    'Ошибок подряд':
        'Failures in a row',
    'Сегодня (UTC, {day})':
        'Today (UTC, {day})',
    'создано {created}, обновлено {updated}, с ошибкой {failed}':
        'created {created}, updated {updated}, failed {failed}',
    'без контакта':
        'no contact',
    'Опрос не удался':
        'Poll failed',
    'Сверка не удалась':
        'Reconcile failed',
    'в очереди на следующий запуск {count}':
        'queued for the next run {count}',
    'не передан, подробности — в журнале':
        'not synced, details in the log',
    'Заказ {code}: {reason}':
        'Order {code}: {reason}',
    'Последняя ошибка':
        'Last error',
    '{lead}: {price} ₸, {contact}, товаров {items}, теги {tags}':
        '{lead}: {price} ₸, {contact}, items {items}, tags {tags}',
    'В очереди: {codes}':
        'Queued: {codes}',
    'Песочница остановлена.':
        'Sandbox stopped.',
    'Файл {path} уже есть и записан не песочницей: не перезаписываю его. Укажите другой файл в --env-file.':
        '{path} exists and was not written by the sandbox: not overwriting it. Name another file in --env-file.',
    'Песочница Kaspi и amoCRM запущена (Ctrl+C — остановить).':
        'Kaspi and amoCRM sandbox running (Ctrl+C to stop).',
    'Песочница не запустилась: {reason}. Укажите свободные порты в --kaspi-port и --amo-port или не указывайте их.':
        'The sandbox did not start: {reason}. Give free ports in --kaspi-port and --amo-port, or leave them out.',
    ('Переменные записаны в {path} (файл удалится при остановке). В этой папке команды kaspi-amo поработают с '
     'песочницей, например: kaspi-amo poll'):
        ('Variables written to {path} (deleted on stop). kaspi-amo commands run in that folder use the sandbox, '
         'for example: kaspi-amo poll'),
    ('Загрузить в другом терминале: сохраните вывод в файл (kaspi-amo sandbox > sandbox.sh) и выполните . '
     './sandbox.sh'):
        'To load them in another terminal: save the output (kaspi-amo sandbox > sandbox.sh) and run . ./sandbox.sh',
    'Загрузить: выполните эти строки в PowerShell.':
        'To load them: run these lines in PowerShell.',
    'Загрузить: выполните эти строки в cmd.':
        'To load them: run these lines in cmd.',
    'Сохраните эти строки как .env в рабочей папке или запустите с --env-file .env.':
        'Save these lines as .env in the working folder, or run with --env-file .env.',
    'в архиве':
        'archived',
    'новый':
        'new',
    'ждёт подписи':
        'awaiting signature',
    'самовывоз':
        'pickup',
    'доставка':
        'delivery',
    'Kaspi Доставка':
        'Kaspi Delivery',
    'выдан':
        'completed',
    'отменён':
        'cancelled',
    'возвращён':
        'returned',
    '{buyer}, без телефона':
        '{buyer}, no phone',
    'состояние {state} ({word}) не входит в KASPI_ALLOWED_STATES ({allowed}): такие заказы не передаются':
        'state {state} ({word}) is not in KASPI_ALLOWED_STATES ({allowed}): such orders are not synced',
    'не прочитан опросом (создан раньше, чем 14 дней назад)':
        'not read by the poll (created more than 14 days ago)',
    'Демо: песочница Kaspi и amoCRM запущена на этом компьютере.':
        'Demo: a Kaspi and amoCRM sandbox runs on this computer.',
    'Опрос Kaspi → amoCRM:':
        'Poll Kaspi → amoCRM:',
    'Итог: из {orders} Kaspi сделками стали {created}, пропущено {skipped}, с ошибкой {failed}.':
        'Result: of {orders} in Kaspi, {created} became deals, {skipped} skipped, {failed} failed.',
    'Запросов: к amoCRM {amo}, к Kaspi {kaspi}.':
        'Requests: amoCRM {amo}, Kaspi {kaspi}.',
    'В эмулированной amoCRM теперь {leads}, {contacts}, {notes}, {links}.':
        'The emulated amoCRM now has {leads}, {contacts}, {notes}, {links}.',
    'Повторный опрос (проверка на дубли): новых сделок {created}, запросов на запись в amoCRM {writes}.':
        'Second poll (duplicate check): new deals {created}, write requests to amoCRM {writes}.',
    'Посмотреть итог демо: kaspi-amo status --demo (или kaspi-amo status --demo --json).':
        "See the demo's result: kaspi-amo status --demo (or kaspi-amo status --demo --json).",
    '{lead} → сделка №{lead_id}: {buyer}, {items}, {total}, теги: {tags}':
        '{lead} → deal #{lead_id}: {buyer}, {items}, {total}, tags: {tags}',
    'Kaspi #{code}: не передан — {reason}':
        'Kaspi #{code}: not synced: {reason}',
    'Kaspi #{code}: пропущен — {reason}':
        'Kaspi #{code}: skipped: {reason}',
    'Демо не удалось: папка {path} недоступна для записи ({reason}).':
        'The demo failed: the folder {path} is not writable ({reason}).',
    'Демо работает в отдельной папке {path}: ваши настройки, база и токены не тронуты.':
        'The demo keeps to its own folder {path}: your settings, store and tokens are untouched.',
    'В Kaspi {orders}, в amoCRM уже есть {contacts}.':
        'Kaspi has {orders}; amoCRM already has {contacts}.',
    'при следующем запуске она будет отложена в сторону, а сделки подхвачены из amoCRM.':
        'the next run sets it aside and adopts the deals from amoCRM.',
    'собранное приложение в {folder}':
        'the built app in {folder}',
    'Папки доступны для записи: настройки {config}, данные {data}, логи {logs}':
        'Folders are writable: settings {config}, data {data}, logs {logs}',
    'файл настроек {path}':
        'settings file {path}',
    'файл настроек {path} (ещё нет)':
        'settings file {path} (not yet created)',
    'пробный запуск (DRY_RUN)':
        'dry run (DRY_RUN)',
    'рабочий режим':
        'live mode',
    'Настройки полные: Kaspi {kaspi}, amoCRM {amo}, {mode}; {where}':
        'Settings complete: Kaspi {kaspi}, amoCRM {amo}, {mode}; {where}',
    ('Хранилище паролей этой системы ({label}) не отвечает (нет службы или она заблокирована): токены будут '
     'храниться в файле, доступном только владельцу. Запустите службу (на Linux — Secret Service, например '
     'gnome-keyring) или выберите файл явно: KASPI_AMO_SECRETS=file.'):
        ("This system's keyring ({label}) does not answer (no service, or it is locked): tokens will be kept in a "
         'file only the owner can read. Start the service (on Linux, Secret Service such as gnome-keyring) or '
         'choose the file on purpose: KASPI_AMO_SECRETS=file.'),
    'файл {path}':
        'file {path}',
    'Секреты хранятся: {kind}{forced}; проверка записи, чтения и удаления прошла':
        'Secrets are kept in: {kind}{forced}; writing, reading and deleting worked',
    '; миграций к применению: {count}':
        '; migrations to apply: {count}',
    'База SQLite {path}: заказов {orders}, схема {schema}{tail}':
        'SQLite store {path}: orders {orders}, schema {schema}{tail}',
    'PostgreSQL {where} отвечает, схема {schema}{tail}':
        'PostgreSQL {where} answers, schema {schema}{tail}',
    'Переводы загружаются: {languages} ({folder})':
        'Translations load: {languages} ({folder})',
    'Qt {version}: модуль платформы {plugins}, значков трея {count}':
        'Qt {version}: platform plugin {plugins}, tray icons {count}',
    'Сертификаты для HTTPS загружены: {count}':
        'HTTPS certificates loaded: {count}',
    'Kaspi ({host}) отвечает: HTTP {code} за {seconds} с (токен не задан, не проверялся)':
        'Kaspi ({host}) answers: HTTP {code} in {seconds} s (no token set, not checked)',
    'amoCRM ({host}) отвечает: HTTP {code} за {seconds} с':
        'amoCRM ({host}) answers: HTTP {code} in {seconds} s',
    '{app} {version}: проверка установки':
        '{app} {version}: installation check',
    'Итог: ошибок {fails}, предупреждений {warns}. Синхронизация не заработает, пока ошибки не исправлены.':
        'Result: {fails} failed, {warns} warnings. The sync will not work until the failures are fixed.',
    'настройки':
        'settings',
    'данные':
        'data',
    'логи':
        'logs',
    'Нельзя записать в папку: {problems}. Проверьте права доступа.':
        'Cannot write to a folder: {problems}. Check the permissions.',
    ('Синхронизация ещё не настроена: не заданы {names}. Задайте их в переменных окружения или в файле .env в '
     'рабочей папке (все настройки — в README, раздел «Настройки»), затем проверьте: kaspi-amo doctor и kaspi-amo '
     'poll --dry-run. На компьютере с экраном то же делает мастер настройки: kaspi-amo без команды ({where}).'):
        ('The sync is not set up yet: {names} not set. Set them as environment variables or in a .env file in the '
         'working folder (every setting: README, "Configuration"), then check with kaspi-amo doctor and kaspi-amo '
         'poll --dry-run. On a computer with a screen the setup wizard does the same: kaspi-amo without a command '
         '({where}).'),
    ('Модули системных хранилищ паролей не зарегистрированы (нет данных пакета keyring): секреты будут храниться в '
     'файле.'):
        ("No keyring backends are registered (the keyring package's metadata is missing): secrets will be kept in "
         'a file.'),
    'Хранилища паролей в программе: {names}; для этой системы — {label}, отвечает':
        'Keyring backends in the app: {names}; for this system {label}, answering',
    ('Хранилище паролей этой системы ({label}) не отвечает, но и не нужно: секреты хранятся в файле '
     '(KASPI_AMO_SECRETS=file)'):
        ("This system's keyring ({label}) does not answer, and is not needed: secrets are kept in a file "
         '(KASPI_AMO_SECRETS=file)'),
    'Хранилище секретов ({kind}) не вернуло записанное: токены не сохранятся.':
        'The secret store ({kind}) did not return what was written: tokens would not be kept.',
    ('Системное хранилище паролей недоступно: токены хранятся в файле {path}, доступном только владельцу. Проверка '
     'записи, чтения и удаления прошла.'):
        ('No OS keyring is available: tokens are kept in the file {path}, readable by its owner only. Writing, '
         'reading and deleting worked.'),
    'База {path} создана более новой версией программы (схема {schema}): обновите программу.':
        'The store {path} was made by a newer version of the app (schema {schema}): update the app.',
    'Миграции базы данных отсутствуют в программе: переустановите её.':
        'The database migrations are missing from the app: reinstall it.',
    'Миграции на месте ({count}); база SQLite будет создана при первой синхронизации: {path}':
        'Migrations present ({count}); the SQLite store will be created by the first sync: {path}',
    'Нет файлов перевода ({languages}) в {folder}: переустановите программу.':
        'Translation files missing ({languages}) in {folder}: reinstall the app.',
    'Переводы не загружаются ({languages}): файлы повреждены.':
        'Translations do not load ({languages}): the files are damaged.',
    'Нет модуля платформы Qt для этой системы ({plugins}) в {folder}: окно и значок в трее не запустятся.':
        'No Qt platform plugin for this system ({plugins}) in {folder}: the window and tray icon will not start.',
    'Нет файлов значков в {folder}: значки будут нарисованы программой.':
        'No icon files in {folder}: the app will draw its icons.',
    'Список сертификатов для HTTPS пуст: защищённые соединения не установятся.':
        'The HTTPS certificate list is empty: secure connections will fail.',
    'Kaspi ({host}) отвечает и принимает токен: {seconds} с':
        'Kaspi ({host}) answers and accepts the token: {seconds} s',
    'Адрес amoCRM (AMO_BASE_URL) не задан: связь не проверялась.':
        'No amoCRM address (AMO_BASE_URL) set: not checked.',
    'Итог: ошибок нет, предупреждений {warns}.':
        'Result: no failures, {warns} warnings.',
    'Итог: всё в порядке.':
        'Result: all good.',
    'Модуль хранилища паролей этой системы ({label}) не загружается: {error}':
        "This system's keyring backend ({label}) does not load: {error}",
    'Хранилище секретов ({kind}) не работает: {error}':
        'The secret store ({kind}) does not work: {error}',
    'База {path} не читается ({detail}): {aside}':
        'The store {path} cannot be read ({detail}): {aside}',
    'Миграции базы данных не найдены в программе: {error}':
        'The database migrations are not in the app: {error}',
    'Миграции не применяются к новой базе SQLite: {error}':
        'Migrations do not apply to a new SQLite store: {error}',
    'PostgreSQL {where}: схема не читается ({error})':
        'PostgreSQL {where}: the schema cannot be read ({error})',
    'Файлы перевода на месте ({languages}); Qt не установлен, загрузка не проверялась':
        'Translation files present ({languages}); Qt is not installed, loading not checked',
    ('Qt (PySide6) не установлен: работает только командная строка, приложения в трее нет (pip install '
     "'kaspi-amo-sync[gui]')."):
        ('Qt (PySide6) is not installed: only the command line works, no tray app (pip install '
         "'kaspi-amo-sync[gui]')."),
    'Сертификаты для HTTPS не загружаются: {error}':
        'HTTPS certificates do not load: {error}',
    'Отчёт сохранён: {path}':
        'Report saved: {path}',
    'База {path} повреждена ({detail}): {aside}':
        'The store {path} is damaged ({detail}): {aside}',
    'KASPI_BASE_URL не подходит: {error}':
        'KASPI_BASE_URL cannot be used: {error}',
    '{app}: синхронизация запущена (опрос каждые {poll} с, сверка каждые {reconcile} мин). Остановить: Ctrl+C.':
        '{app}: sync started (a poll every {poll} s, a reconcile every {reconcile} min). Stop: Ctrl+C.',
    'Метрики и состояние: {url} (/metrics, /healthz, /readyz)':
        'Metrics and state: {url} (/metrics, /healthz, /readyz)',
    'фоновая работа: опрос и сверка по расписанию (POLL_INTERVAL_SECONDS, RECONCILE_INTERVAL_MINUTES)':
        ('run in the background: poll and reconcile on a schedule (POLL_INTERVAL_SECONDS, '
         'RECONCILE_INTERVAL_MINUTES)'),
    ('Работает, пока его не остановят (Ctrl+C, SIGTERM): опрос и сверка по расписанию (по умолчанию опрос каждую '
     'минуту, сверка каждые 10 минут: POLL_INTERVAL_SECONDS, RECONCILE_INTERVAL_MINUTES), оповещения; с --http — '
     'ещё и /metrics, /healthz, /readyz и страница состояния. Для systemd, Docker или screen. Остановка дожидается '
     'текущей пачки заказов.'):
        ('Runs until stopped (Ctrl+C, SIGTERM): polls and reconciles on a schedule (by default a poll every minute '
         'and a reconcile every 10 minutes: POLL_INTERVAL_SECONDS, RECONCILE_INTERVAL_MINUTES), alerts; with '
         '--http also /metrics, /healthz, /readyz and a status page. For systemd, Docker or screen. Stopping waits '
         'for the current batch of orders.'),
    'ошибка настроек (в том числе --http не на 127.0.0.1 без KASPI_AMO_HTTP_PASSWORD)':
        'bad configuration (including --http off 127.0.0.1 without KASPI_AMO_HTTP_PASSWORD)',
    ('ещё и /metrics, /healthz, /readyz и страница состояния на этом адресе (как KASPI_AMO_HTTP; не 127.0.0.1 — '
     'только с KASPI_AMO_HTTP_PASSWORD)'):
        ('also serve /metrics, /healthz, /readyz and a status page at this address (like KASPI_AMO_HTTP; other '
         'than 127.0.0.1 only with KASPI_AMO_HTTP_PASSWORD)'),
    'Программа не запущена: закрывать нечего.':
        'The app is not running: nothing to close.',
    ('{app}: без Qt окна в трее нет, и закрывать нечего; команда quit работает там, где установлено приложение с '
     'окном.'):
        ('{app}: without Qt there is no tray app and nothing to close; the quit command works where the app with a '
         'window is installed.'),
    'Программа (процесс {pid}) закрывается: доделывает текущую пачку заказов.':
        'The app (process {pid}) is closing: finishing the current batch of orders.',
    'Программа (процесс {pid}) закрылась за {seconds} с.':
        'The app (process {pid}) closed in {seconds} s.',
    'Программа (процесс {pid}) не закрылась за {seconds} с.':
        'The app (process {pid}) did not close within {seconds} s.',
    ('Запущенная программа не поняла просьбу закрыться (версия старше этой?): закройте её через меню значка в трее '
     '(«Выйти»).'):
        ('The running app did not understand the request to close (an older version?): close it from the tray '
         "icon's menu (Quit)."),
    'закрыть запущенное приложение в трее: оно доделает текущую пачку заказов':
        'close the running tray app: it finishes the current batch of orders',
    ('Просит запущенное приложение в трее (этого пользователя и этой папки настроек) доделать текущую пачку '
     'заказов и закрыться, и ждёт, пока его процесс завершится. Так делает установщик Windows перед обновлением '
     'или удалением.'):
        ('Asks the running tray app (of this user and settings folder) to finish its current batch of orders and '
         'exit, and waits until its process has ended. The Windows installer does this before an upgrade or '
         'uninstall.'),
    'СЕКУНДЫ':
        'SECONDS',
    'сколько ждать, секунд (по умолчанию 60; 0 — только попросить)':
        'how long to wait, in seconds (default 60; 0: only ask)',
    'закрылось (или не было запущено)':
        'closed (or was not running)',
    'не закрылось за отведённое время, не поняло просьбу, или Qt не установлен':
        'did not close in time, did not understand the request, or Qt is not installed',
    'Действия Kaspi: выполнено {done}, отказано {refused}, не отправлено {skipped}':
        'Kaspi actions: done {done}, refused {refused}, not sent {skipped}',
    'Действия Kaspi':
        'Kaspi actions',
    'ждут {pending}, отказано {refused}, выполнено {done}, не отправлено {skipped}':
        'waiting {pending}, refused {refused}, done {done}, not sent {skipped}',
    'Действия Kaspi приостановлены':
        'Kaspi actions paused',
    'Kaspi (песочница): покупатель заказа {order} получил код выдачи {code}':
        'Kaspi (sandbox): the buyer of order {order} received the pickup code {code}',
    'Новый заказ №{code} с KASPI_AUTO_ACCEPT=true (принимать новые заказы автоматически):':
        'New order #{code} with KASPI_AUTO_ACCEPT=true (accept new orders automatically):',
    'заказ №{code} в Kaspi: {status} — принят автоматически, в сделке заметка об этом.':
        'order #{code} in Kaspi: {status}: accepted automatically, the deal has a note about it.',
    'заказ №{code} в Kaspi: {status}':
        'order #{code} in Kaspi: {status}',
    # the status page of `run --http` (app/service)
    'Синхронизация Kaspi → amoCRM':
        'Kaspi → amoCRM sync',
    'Обновлено {when}, страница обновляется каждые {seconds} с.':
        'Updated {when}; the page refreshes every {seconds} s.',
    'Работает: последняя успешная синхронизация {when}.':
        'Working: last successful sync {when}.',
    'Успешной синхронизации ещё не было.':
        'There has been no successful sync yet.',
    'Синхронизация не удаётся с {when}.':
        'Syncing has been failing since {when}.',
    'Пробный режим (DRY_RUN): в amoCRM ничего не записывается.':
        'Dry run (DRY_RUN): nothing is written to amoCRM.',
    'в очереди (ожидают и ошибки)':
        'in the queue (waiting and failed)',
    'сделок создано сегодня':
        'deals created today',
    'обновлено сегодня':
        'updated today',
    'ошибок сегодня':
        'errors today',
    'на карантине':
        'in quarantine',
    'обработано всего':
        'processed in total',
    'Циклы':
        'Cycles',
    'Последние заказы':
        'Latest orders',
    'Заказов пока нет.':
        'No orders yet.',
    'без телефона':
        'no phone',
    'База данных недоступна: состояние не прочитать.':
        'The database is unavailable: the status cannot be read.',
    'Последняя успешная синхронизация была {seconds} с назад.':
        'The last successful sync was {seconds} s ago.',
    'Последняя успешная синхронизация была {minutes} мин назад, дольше ALERT_HEARTBEAT_MINUTES ({limit} мин).':
        'The last successful sync was {minutes} min ago, longer than ALERT_HEARTBEAT_MINUTES ({limit} min).',
    'Заказ':
        'Order',
    'Дата':
        'Date',
    'Покупатель':
        'Buyer',
    'Телефон':
        'Phone',
    'Сумма':
        'Total',
    'Kaspi':
        'Kaspi',
    'Передача':
        'Sync',
    'Сделка':
        'Deal',
    'В amoCRM':
        'In amoCRM',
    'Ожидает':
        'Waiting',
    'Ошибка':
        'Failed',
    'Нужна проверка':
        'Needs review',
    'Новый':
        'New',
    'Ждёт подписи':
        'Awaiting signature',
    'Самовывоз':
        'Pickup',
    'Доставка':
        'Delivery',
    'Архив':
        'Archive',
}

PLURALS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("задача", "задачи", "задач"): ("task", "tasks"),
    ("товар", "товара", "товаров"): ("item", "items"),
    ("заказа", "заказов", "заказов"): ("order", "orders"),
    ("заказ", "заказа", "заказов"): ("order", "orders"),
    ("сделка", "сделки", "сделок"): ("deal", "deals"),
    ("контакт", "контакта", "контактов"): ("contact", "contacts"),
    ("примечание", "примечания", "примечаний"): ("note", "notes"),
    ("привязка товара", "привязки товаров", "привязок товаров"): ("product link", "product links"),
}
