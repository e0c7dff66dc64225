"""English for the engine's error kinds: THE table that explains an error to an owner, shown by
the CLI ("title: advice") and by the tray (title and text) through app.lang.Translator.explain.
Russian needs none: the engine's own messages are Russian and precise."""

from __future__ import annotations

#: Engine errors by class (the most specific class in an error's MRO wins): (title, what to do).
ERRORS: dict[str, tuple[str, str]] = {
    'KaspiDuplicateCode': (
        'Two Kaspi orders with one number',
        'two different Kaspi orders carry the same order number; neither is written until Kaspi shows one',
    ),
    'ClockSkewError': (
        "The computer's clock is wrong",
        "set this computer's date, time and time zone correctly (automatic time); syncing waits until then",
    ),
    'KaspiActionError': (
        'Kaspi did not carry out the action',
        'the action on the Kaspi order did not happen; the deal has a note with the reason',
    ),
    'KaspiRefused': (
        'Kaspi refused',
        "the order's status in Kaspi does not allow this action; the deal stays where the manager put it",
    ),
    'KaspiWrongCode': (
        'Wrong pickup code',
        ("the code in the deal is not the one Kaspi sent the buyer; ask the buyer for the code in the Kaspi.kz app "
         "and type it into the deal's pickup code field again"),
    ),
    'KaspiMerchantError': (
        'Kaspi refuses the shop ID',
        ('set the shop ID (KASPI_MERCHANT_ID) as the Kaspi seller cabinet shows it: Settings → Shop ID; Kaspi '
         'actions wait until then, new orders keep syncing'),
    ),
    'KaspiWriteUncertain': (
        'Kaspi did not answer the action',
        'the app re-reads the order and never sends the action twice',
    ),
    'SyncError': (
        'Sync error',
        'the sync failed; details are in the log',
    ),
    'ConfigError': (
        'Configuration error',
        ('a setting is missing or invalid; set it in the environment, in .env in the working folder, or in the '
         "app's setup wizard"),
    ),
    'KaspiError': (
        'Kaspi error',
        'Kaspi answered with an error; if it repeats, send the log to support',
    ),
    'KaspiAuthError': (
        'Kaspi refuses the token',
        ('the API token (KASPI_API_TOKEN) is wrong or outdated; copy the current one in the Kaspi seller cabinet: '
         'Settings → API token'),
    ),
    'KaspiBadRequest': (
        'Kaspi rejected the request',
        'if it repeats, send the log to support',
    ),
    'KaspiUnavailable': (
        'Kaspi is unavailable',
        'Kaspi does not answer; check the internet connection, the sync will retry by itself',
    ),
    'KaspiUnreachable': (
        'Kaspi is unreachable',
        'no connection could be made; check the address and the internet connection',
    ),
    'KaspiParseError': (
        'Unreadable Kaspi order',
        'the order came in a form the app does not understand and was set aside for a check',
    ),
    'AmoError': (
        'amoCRM error',
        'amoCRM answered with an error; if it repeats, send the log to support',
    ),
    'AmoAuthError': (
        'amoCRM refuses access',
        'amoCRM does not accept the access key; connect amoCRM again',
    ),
    'AmoTokenRevoked': (
        'amoCRM must be connected again',
        'access to amoCRM was revoked; connect amoCRM again',
    ),
    'AmoRateLimited': (
        'amoCRM asks to slow down',
        'amoCRM limited the number of requests for a while; the sync goes on by itself',
    ),
    'AmoBlocked': (
        'amoCRM blocked access for a while',
        'too many requests (often from other integrations); the sync goes on later',
    ),
    'AmoPaymentRequired': (
        'The amoCRM account is not paid',
        'pay for the account and deals will be created again',
    ),
    'AmoValidationError': (
        'amoCRM rejected the data',
        'check the pipeline and stage in the settings',
    ),
    'AmoNotFound': (
        'Not found in amoCRM',
        'check the amoCRM account address (AMO_BASE_URL)',
    ),
    'AmoUnavailable': (
        'amoCRM is unavailable',
        'amoCRM does not answer; check the internet connection, the sync will retry by itself',
    ),
    'AmoUnreachable': (
        'amoCRM is unreachable',
        'no connection could be made; check the address and the internet connection',
    ),
    'StoreError': (
        'Database error',
        "the app's database could not be read or written; details are in the log",
    ),
    'StoreConfigError': (
        'Database error',
        ('the database in DATABASE_URL cannot be used as configured (no such database or schema, a refused login, '
         'or psycopg not installed)'),
    ),
    'RunLockLost': (
        'Another run took over the sync',
        'this run was taken for hung and stopped; the one that took over finishes its orders, nothing is written twice',
    ),
    'StoreCorruptError': (
        'Database error',
        'the database file is damaged; the next run sets it aside',
    ),
    'StoreLockedError': (
        'A sync is already running',
        'another copy of the app is syncing; this one tries again later',
    ),
}
