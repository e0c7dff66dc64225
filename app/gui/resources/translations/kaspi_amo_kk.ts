<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="kk" sourcelanguage="ru">
<context>
    <name>Controller</name>
    <message>
        <source>Пробный режим (DRY_RUN): в amoCRM ничего не записывается.</source>
        <translation>Сынақ режимі (DRY_RUN): amoCRM-ге ештеңе жазылмайды.</translation>
    </message>
    <message>
        <source>Запуск…</source>
        <translation>Іске қосылуда…</translation>
    </message>
    <message>
        <source>Последняя успешная синхронизация: %1</source>
        <translation>Соңғы сәтті синхрондау: %1</translation>
    </message>
    <message>
        <source>Последняя синхронизация: %1</source>
        <translation>Соңғы синхрондау: %1</translation>
    </message>
    <message>
        <source>Идёт синхронизация…</source>
        <translation>Синхрондау жүріп жатыр…</translation>
    </message>
    <message>
        <source>Синхронизация на паузе</source>
        <translation>Синхрондау кідіртілді</translation>
    </message>
    <message>
        <source>Следующая: %1</source>
        <translation>Келесісі: %1</translation>
    </message>
    <message>
        <source>В очереди: %1</source>
        <translation>Кезекте: %1</translation>
    </message>
    <message>
        <source>Последняя ошибка</source>
        <translation>Соңғы қате</translation>
    </message>
    <message>
        <source>Синхронизация не запущена: не хватает настроек.</source>
        <translation>Синхрондау басталмады: кейбір баптаулар жетіспейді.</translation>
    </message>
    <message>
        <source>Проверяю настройки и базу данных…</source>
        <translation>Баптаулар мен дерекқор тексерілуде…</translation>
    </message>
    <message>
        <source>Не удалось изменить автозапуск: %1</source>
        <translation>Автоіске қосуды өзгерту мүмкін болмады: %1</translation>
    </message>
    <message>
        <source>Программа продолжает работать в трее. Значок показывает, как идёт синхронизация.</source>
        <translation>Бағдарлама жүйелік тақтада жұмысын жалғастырады. Белгіше синхрондаудың қалай жүріп жатқанын көрсетеді.</translation>
    </message>
    <message>
        <source>завершаю текущую пачку заказов…</source>
        <translation>ағымдағы тапсырыстар топтамасы аяқталуда…</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Kaspi не принимает токен</source>
        <translation>Kaspi токенді қабылдамайды</translation>
    </message>
    <message>
        <source>Скопируйте новый токен API в кабинете продавца Kaspi (Настройки → Токен API) и укажите его в настройках.</source>
        <translation>Kaspi сатушы кабинетінен жаңа API токенін көшіріп алыңыз (Баптаулар → API токені) және оны баптауларда көрсетіңіз.</translation>
    </message>
    <message>
        <source>Kaspi недоступен</source>
        <translation>Kaspi қолжетімсіз</translation>
    </message>
    <message>
        <source>Не удалось связаться с Kaspi. Проверьте интернет; синхронизация повторится сама.</source>
        <translation>Kaspi-мен байланыс орнамады. Интернетті тексеріңіз; синхрондау өзі қайталанады.</translation>
    </message>
    <message>
        <source>Kaspi отклонил запрос</source>
        <translation>Kaspi сұрауды қабылдамады</translation>
    </message>
    <message>
        <source>Kaspi не принял запрос. Если ошибка повторяется, отправьте журнал в поддержку.</source>
        <translation>Kaspi сұрауды қабылдамады. Қате қайталана берсе, журналды қолдау қызметіне жіберіңіз.</translation>
    </message>
    <message>
        <source>Непонятный заказ Kaspi</source>
        <translation>Түсініксіз Kaspi тапсырысы</translation>
    </message>
    <message>
        <source>Заказ Kaspi пришёл в непонятном виде и отложен для проверки.</source>
        <translation>Kaspi тапсырысы түсініксіз түрде келді және тексеру үшін бөлек қойылды.</translation>
    </message>
    <message>
        <source>Нужно заново подключить amoCRM</source>
        <translation>amoCRM-ді қайта қосу қажет</translation>
    </message>
    <message>
        <source>Доступ к amoCRM отозван. Подключите amoCRM заново в настройках.</source>
        <translation>amoCRM-ге қолжеткізу кері қайтарылды. amoCRM-ді баптауларда қайта қосыңыз.</translation>
    </message>
    <message>
        <source>amoCRM не принимает доступ</source>
        <translation>amoCRM қолжеткізуді қабылдамайды</translation>
    </message>
    <message>
        <source>amoCRM не принимает ключ доступа. Подключите amoCRM заново в настройках.</source>
        <translation>amoCRM қолжеткізу кілтін қабылдамайды. amoCRM-ді баптауларда қайта қосыңыз.</translation>
    </message>
    <message>
        <source>amoCRM просит подождать</source>
        <translation>amoCRM күте тұруды сұрайды</translation>
    </message>
    <message>
        <source>amoCRM временно ограничил число запросов. Синхронизация продолжится сама.</source>
        <translation>amoCRM сұраулар санын уақытша шектеді. Синхрондау өзі жалғасады.</translation>
    </message>
    <message>
        <source>amoCRM временно заблокировал доступ</source>
        <translation>amoCRM қолжеткізуді уақытша бұғаттады</translation>
    </message>
    <message>
        <source>amoCRM заблокировал доступ из-за слишком частых запросов (часто из-за других интеграций). Синхронизация продолжится позже.</source>
        <translation>amoCRM тым жиі сұраулар салдарынан қолжеткізуді бұғаттады (көбіне басқа интеграциялар себеп болады). Синхрондау кейінірек жалғасады.</translation>
    </message>
    <message>
        <source>Аккаунт amoCRM не оплачен</source>
        <translation>amoCRM аккаунты төленбеген</translation>
    </message>
    <message>
        <source>Оплатите аккаунт amoCRM: после этого сделки снова будут создаваться.</source>
        <translation>amoCRM аккаунтын төлеңіз: содан кейін мәмілелер қайтадан құрылады.</translation>
    </message>
    <message>
        <source>amoCRM отклонил данные</source>
        <translation>amoCRM деректерді қабылдамады</translation>
    </message>
    <message>
        <source>amoCRM не принял данные сделки. Проверьте воронку и этап в настройках.</source>
        <translation>amoCRM мәміле деректерін қабылдамады. Баптаулардағы воронка мен кезеңді тексеріңіз.</translation>
    </message>
    <message>
        <source>amoCRM недоступен</source>
        <translation>amoCRM қолжетімсіз</translation>
    </message>
    <message>
        <source>Не удалось связаться с amoCRM. Проверьте интернет; синхронизация повторится сама.</source>
        <translation>amoCRM-мен байланыс орнамады. Интернетті тексеріңіз; синхрондау өзі қайталанады.</translation>
    </message>
    <message>
        <source>Синхронизация уже идёт</source>
        <translation>Синхрондау қазірдің өзінде жүріп жатыр</translation>
    </message>
    <message>
        <source>Заказы сейчас передаёт другая копия программы; эта попробует снова через минуту.</source>
        <translation>Тапсырыстарды қазір бағдарламаның басқа көшірмесі жіберіп жатыр; бұл көшірме бір минуттан кейін қайта тырысады.</translation>
    </message>
    <message>
        <source>Ошибка базы данных</source>
        <translation>Дерекқор қатесі</translation>
    </message>
    <message>
        <source>Не удалось прочитать или записать базу данных программы. Подробности — в журнале.</source>
        <translation>Бағдарлама дерекқорын оқу немесе жазу мүмкін болмады. Толығырақ — журналда.</translation>
    </message>
    <message>
        <source>Ошибка настроек</source>
        <translation>Баптаулар қатесі</translation>
    </message>
    <message>
        <source>Проверьте настройки программы.</source>
        <translation>Бағдарлама баптауларын тексеріңіз.</translation>
    </message>
    <message>
        <source>Ошибка синхронизации</source>
        <translation>Синхрондау қатесі</translation>
    </message>
    <message>
        <source>Синхронизация не удалась. Подробности — в журнале.</source>
        <translation>Синхрондау сәтсіз аяқталды. Толығырақ — журналда.</translation>
    </message>
</context>
<context>
    <name>Kaspi</name>
    <message>
        <source>Новый</source>
        <translation>Жаңа</translation>
    </message>
    <message>
        <source>Ждёт подписи</source>
        <translation>Қол қоюды күтуде</translation>
    </message>
    <message>
        <source>Самовывоз</source>
        <translation>Өзі алып кету</translation>
    </message>
    <message>
        <source>Доставка</source>
        <translation>Жеткізу</translation>
    </message>
    <message>
        <source>Kaspi Доставка</source>
        <translation>Kaspi Жеткізу</translation>
    </message>
    <message>
        <source>Архив</source>
        <translation>Мұрағат</translation>
    </message>
    <message>
        <source>Одобрен банком</source>
        <translation>Банк мақұлдады</translation>
    </message>
    <message>
        <source>Принят</source>
        <translation>Қабылданды</translation>
    </message>
    <message>
        <source>Выдан</source>
        <translation>Берілді</translation>
    </message>
    <message>
        <source>Отменён</source>
        <translation>Бас тартылды</translation>
    </message>
    <message>
        <source>Отменяется</source>
        <translation>Бас тартылуда</translation>
    </message>
    <message>
        <source>Запрошен возврат</source>
        <translation>Қайтару сұралды</translation>
    </message>
    <message>
        <source>Возврат принят</source>
        <translation>Қайтару қабылданды</translation>
    </message>
    <message>
        <source>Возвращён</source>
        <translation>Қайтарылды</translation>
    </message>
</context>
<context>
    <name>Notify</name>
    <message numerus="yes">
        <source>Не удалось передать %n заказов</source>
        <translation>
            <numerusform>%n тапсырысты жіберу мүмкін болмады</numerusform>
            <numerusform>%n тапсырысты жіберу мүмкін болмады</numerusform>
        </translation>
    </message>
    <message>
        <source>Синхронизация восстановлена</source>
        <translation>Синхрондау қалпына келді</translation>
    </message>
    <message>
        <source>Заказы Kaspi снова передаются в amoCRM.</source>
        <translation>Kaspi тапсырыстары қайтадан amoCRM-ге жіберіліп жатыр.</translation>
    </message>
    <message>
        <source>Новая сделка в amoCRM</source>
        <translation>amoCRM-де жаңа мәміле</translation>
    </message>
    <message numerus="yes">
        <source>Создано %n сделок</source>
        <translation>
            <numerusform>%n мәміле құрылды</numerusform>
            <numerusform>%n мәміле құрылды</numerusform>
        </translation>
    </message>
    <message>
        <source>Заказы Kaspi %1</source>
        <translation>Kaspi тапсырыстары %1</translation>
    </message>
    <message numerus="yes">
        <source>и ещё %n</source>
        <translation>
            <numerusform>және тағы %n</numerusform>
            <numerusform>және тағы %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Orders</name>
    <message>
        <source>Заказ</source>
        <translation>Тапсырыс</translation>
    </message>
    <message>
        <source>Дата</source>
        <translation>Күні</translation>
    </message>
    <message>
        <source>Покупатель</source>
        <translation>Сатып алушы</translation>
    </message>
    <message>
        <source>Телефон</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Сумма</source>
        <translation>Сомасы</translation>
    </message>
    <message>
        <source>Kaspi</source>
        <translation>Kaspi</translation>
    </message>
    <message>
        <source>Передача</source>
        <translation>Синхрондау</translation>
    </message>
    <message>
        <source>Сделка</source>
        <translation>Мәміле</translation>
    </message>
    <message>
        <source>нет телефона</source>
        <translation>телефон жоқ</translation>
    </message>
    <message>
        <source>№ %1</source>
        <translation>№ %1</translation>
    </message>
    <message>
        <source>Открыть сделку в amoCRM: %1</source>
        <translation>Мәмілені amoCRM-де ашу: %1</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Настройки</source>
        <translation>Баптаулар</translation>
    </message>
    <message>
        <source>Подключение</source>
        <translation>Қосылым</translation>
    </message>
    <message>
        <source>Программа</source>
        <translation>Бағдарлама</translation>
    </message>
    <message>
        <source>Как в системе</source>
        <translation>Жүйедегідей</translation>
    </message>
    <message>
        <source>Язык:</source>
        <translation>Тіл:</translation>
    </message>
    <message>
        <source>Не показывать уведомления</source>
        <translation>Хабарландыруларды көрсетпеу</translation>
    </message>
    <message>
        <source>Запускать при входе в систему</source>
        <translation>Жүйеге кіргенде іске қосу</translation>
    </message>
    <message>
        <source>Сохранить</source>
        <translation>Сақтау</translation>
    </message>
    <message>
        <source>Отмена</source>
        <translation>Болдырмау</translation>
    </message>
    <message>
        <source>Мастер подключения появится в следующем обновлении. Пока подключение задаётся в файле %1 или в файле .env рядом с программой.</source>
        <translation>Қосылу шебері келесі жаңартуда пайда болады. Әзірге қосылым %1 файлында немесе бағдарлама жанындағы .env файлында көрсетіледі.</translation>
    </message>
    <message>
        <source>Kaspi и amoCRM подключены. amoCRM: %1</source>
        <translation>Kaspi мен amoCRM қосылған. amoCRM: %1</translation>
    </message>
    <message>
        <source>Проверяю настройки…</source>
        <translation>Баптаулар тексерілуде…</translation>
    </message>
    <message>
        <source>Не хватает:</source>
        <translation>Жетіспейді:</translation>
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <source>Токен API Kaspi</source>
        <translation>Kaspi API токені</translation>
    </message>
    <message>
        <source>Кабинет продавца Kaspi → Настройки → Токен API.</source>
        <translation>Kaspi сатушы кабинеті → Баптаулар → API токені.</translation>
    </message>
    <message>
        <source>Адрес вашего amoCRM</source>
        <translation>amoCRM мекенжайыңыз</translation>
    </message>
    <message>
        <source>Например, https://mojmagazin.amocrm.ru</source>
        <translation>Мысалы, https://dukenim.amocrm.ru</translation>
    </message>
    <message>
        <source>Доступ к amoCRM</source>
        <translation>amoCRM-ге қолжеткізу</translation>
    </message>
    <message>
        <source>Ключ интеграции amoCRM: долгосрочный токен или пара токенов.</source>
        <translation>amoCRM интеграция кілті: ұзақ мерзімді токен немесе токендер жұбы.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Нужно завершить настройку</source>
        <translation>Баптауды аяқтау қажет</translation>
    </message>
    <message>
        <source>Всё в порядке</source>
        <translation>Бәрі дұрыс</translation>
    </message>
    <message>
        <source>Идёт синхронизация…</source>
        <translation>Синхрондау жүріп жатыр…</translation>
    </message>
    <message>
        <source>Нужно внимание</source>
        <translation>Назар аудару қажет</translation>
    </message>
    <message>
        <source>Синхронизация не удалась</source>
        <translation>Синхрондау сәтсіз аяқталды</translation>
    </message>
    <message>
        <source>Синхронизация на паузе</source>
        <translation>Синхрондау кідіртілді</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>В amoCRM</source>
        <translation>amoCRM-де</translation>
    </message>
    <message>
        <source>Ожидает</source>
        <translation>Күтуде</translation>
    </message>
    <message>
        <source>Ошибка</source>
        <translation>Қате</translation>
    </message>
    <message>
        <source>Нужна проверка</source>
        <translation>Тексеру қажет</translation>
    </message>
</context>
<context>
    <name>Time</name>
    <message>
        <source>ещё не было</source>
        <translation>әлі болған жоқ</translation>
    </message>
    <message>
        <source>только что</source>
        <translation>жаңа ғана</translation>
    </message>
    <message numerus="yes">
        <source>%n мин назад</source>
        <translation>
            <numerusform>%n мин бұрын</numerusform>
            <numerusform>%n мин бұрын</numerusform>
        </translation>
    </message>
    <message>
        <source>сегодня в %1</source>
        <translation>бүгін %1</translation>
    </message>
    <message>
        <source>вчера в %1</source>
        <translation>кеше %1</translation>
    </message>
    <message>
        <source>через %1 с</source>
        <translation>%1 с кейін</translation>
    </message>
    <message>
        <source>через %1 мин</source>
        <translation>%1 мин кейін</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Синхронизировать сейчас</source>
        <translation>Қазір синхрондау</translation>
    </message>
    <message>
        <source>Открыть окно</source>
        <translation>Терезені ашу</translation>
    </message>
    <message>
        <source>Возобновить синхронизацию</source>
        <translation>Синхрондауды жалғастыру</translation>
    </message>
    <message>
        <source>Приостановить синхронизацию</source>
        <translation>Синхрондауды кідірту</translation>
    </message>
    <message>
        <source>Настройки…</source>
        <translation>Баптаулар…</translation>
    </message>
    <message>
        <source>Открыть папку журналов</source>
        <translation>Журналдар қалтасын ашу</translation>
    </message>
    <message>
        <source>Выйти</source>
        <translation>Шығу</translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <source>&amp;Файл</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>Синхронизировать сейчас</source>
        <translation>Қазір синхрондау</translation>
    </message>
    <message>
        <source>Настройки…</source>
        <translation>Баптаулар…</translation>
    </message>
    <message>
        <source>Открыть папку журналов</source>
        <translation>Журналдар қалтасын ашу</translation>
    </message>
    <message>
        <source>Выйти</source>
        <translation>Шығу</translation>
    </message>
    <message>
        <source>Повторить неудачные</source>
        <translation>Сәтсіздерін қайталау</translation>
    </message>
    <message>
        <source>Запустить опрос сейчас: заказы с ошибкой пробуются снова при каждом опросе.</source>
        <translation>Қазір сұрау жіберу: қатесі бар тапсырыстар әр сұрау сайын қайта жіберіледі.</translation>
    </message>
    <message>
        <source>Поиск: номер заказа, покупатель, телефон…</source>
        <translation>Іздеу: тапсырыс нөмірі, сатып алушы, телефон…</translation>
    </message>
    <message>
        <source>Все заказы</source>
        <translation>Барлық тапсырыстар</translation>
    </message>
    <message>
        <source>С ошибками</source>
        <translation>Қателері барлар</translation>
    </message>
    <message>
        <source>Ожидают передачи</source>
        <translation>Жіберуді күтуде</translation>
    </message>
    <message>
        <source>Заказов пока нет.
Новые заказы Kaspi появятся здесь в течение минуты после оформления.</source>
        <translation>Әзірге тапсырыстар жоқ.
Жаңа Kaspi тапсырыстары рәсімделгеннен кейін бір минут ішінде осында пайда болады.</translation>
    </message>
    <message>
        <source>Нужно завершить настройку</source>
        <translation>Баптауды аяқтау қажет</translation>
    </message>
    <message>
        <source>Открыть настройки…</source>
        <translation>Баптауларды ашу…</translation>
    </message>
    <message>
        <source>Проверить снова</source>
        <translation>Қайта тексеру</translation>
    </message>
    <message>
        <source>Возобновить</source>
        <translation>Жалғастыру</translation>
    </message>
    <message>
        <source>Возобновить синхронизацию</source>
        <translation>Синхрондауды жалғастыру</translation>
    </message>
    <message>
        <source>Пауза</source>
        <translation>Кідірту</translation>
    </message>
    <message>
        <source>Приостановить синхронизацию</source>
        <translation>Синхрондауды кідірту</translation>
    </message>
    <message>
        <source>amoCRM: %1</source>
        <translation>amoCRM: %1</translation>
    </message>
    <message>
        <source>Сегодня: создано %1 · обновлено %2 · ошибок %3</source>
        <translation>Бүгін: құрылды %1 · жаңартылды %2 · қате %3</translation>
    </message>
    <message numerus="yes">
        <source>Передано в amoCRM: %n заказов</source>
        <translation>
            <numerusform>amoCRM-ге жіберілді: %n тапсырыс</numerusform>
            <numerusform>amoCRM-ге жіберілді: %n тапсырыс</numerusform>
        </translation>
    </message>
    <message>
        <source>Очередь: %1 (ожидают %2, с ошибкой %3)</source>
        <translation>Кезек: %1 (күтуде %2, қатемен %3)</translation>
    </message>
    <message>
        <source>Очередь пуста</source>
        <translation>Кезек бос</translation>
    </message>
    <message>
        <source>Красным, когда в очереди больше %1 заказов.</source>
        <translation>Кезекте %1-ден көп тапсырыс болса, қызыл түске боялады.</translation>
    </message>
    <message>
        <source>Чтобы начать передавать заказы Kaspi в amoCRM, не хватает:</source>
        <translation>Kaspi тапсырыстарын amoCRM-ге жіберуді бастау үшін мыналар жетіспейді:</translation>
    </message>
    <message>
        <source>Настройки не удалось прочитать:</source>
        <translation>Баптауларды оқу мүмкін болмады:</translation>
    </message>
    <message>
        <source>Мастер подключения появится в следующем обновлении. Пока настройки можно задать в файле %1 или в файле .env рядом с программой, затем нажать «Проверить снова».</source>
        <translation>Қосылу шебері келесі жаңартуда пайда болады. Әзірге баптауларды %1 файлында немесе бағдарлама жанындағы .env файлында көрсетіп, «Қайта тексеру» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Показано %1 из %2</source>
        <translation>%2 ішінен %1 көрсетілді</translation>
    </message>
</context>
</TS>
