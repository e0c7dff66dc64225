<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="kk" sourcelanguage="ru">
<context>
    <name>Alerts</name>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>Почта</source>
        <translation>Пошта</translation>
    </message>
    <message>
        <source>%1: оповещений ещё не было</source>
        <translation>%1: әзірге ескерту жіберілмеген</translation>
    </message>
    <message>
        <source>%1: последнее оповещение доставлено %2</source>
        <translation>%1: соңғы ескерту жеткізілді %2</translation>
    </message>
    <message>
        <source>%1: последнее оповещение НЕ доставлено %2 — %3</source>
        <translation>%1: соңғы ескерту ЖЕТКІЗІЛМЕДІ %2 — %3</translation>
    </message>
    <message>
        <source>Оповещения</source>
        <translation>Ескертулер</translation>
    </message>
    <message>
        <source>Проверьте канал в «Настройки…» → «Оповещения» и нажмите «Отправить проверку».</source>
        <translation>Арнаны «Баптаулар…» → «Ескертулер» бөлімінде тексеріп, «Сынақ хабарын жіберу» түймесін басыңыз.</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>Системное хранилище паролей недоступно: токены хранятся в файле программы, который может читать только ваша учётная запись.</source>
        <translation>Жүйелік құпиясөз қоймасы қолжетімсіз: токендер бағдарламаның өз файлында сақталады, оны тек сіздің есептік жазбаңыз оқи алады.</translation>
    </message>
    <message>
        <source>Пробный режим (DRY_RUN): в amoCRM ничего не записывается.</source>
        <translation>Сынақ режимі (DRY_RUN): amoCRM-ге ештеңе жазылмайды.</translation>
    </message>
    <message>
        <source>доступ проверен %1</source>
        <translation>қолжеткізу тексерілді %1</translation>
    </message>
    <message>
        <source>доступ отклонён (%1)</source>
        <translation>қолжеткізу қабылданбады (%1)</translation>
    </message>
    <message>
        <source>не отвечает (%1)</source>
        <translation>жауап бермейді (%1)</translation>
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
        <source>Ждут магазина до срока Kaspi: %1</source>
        <translation>Kaspi мерзіміне дейін дүкенді күтуде: %1</translation>
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
        <source>Вышла версия %1</source>
        <translation>%1 нұсқасы шықты</translation>
    </message>
    <message>
        <source>Нажмите, чтобы открыть страницу загрузки.</source>
        <translation>Жүктеу бетін ашу үшін басыңыз.</translation>
    </message>
    <message>
        <source>Проверяю обновления…</source>
        <translation>Жаңартуларды тексеріп жатырмын…</translation>
    </message>
    <message>
        <source>Проверка обновлений выключена администратором (UPDATE_FEED_URL).</source>
        <translation>Жаңартуларды тексеруді әкімші өшірген (UPDATE_FEED_URL).</translation>
    </message>
    <message>
        <source>У вас последняя версия (%1).</source>
        <translation>Сізде соңғы нұсқа орнатылған (%1).</translation>
    </message>
    <message>
        <source>Не удалось проверить обновления: нет связи с сайтом программы.</source>
        <translation>Жаңартуларды тексеру мүмкін болмады: бағдарлама сайтымен байланыс жоқ.</translation>
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
    <name>Deadlines</name>
    <message>
        <source>%1 ч %2 мин</source>
        <translation>%1 сағ %2 мин</translation>
    </message>
    <message>
        <source>%1 мин</source>
        <translation>%1 мин</translation>
    </message>
    <message>
        <source>просрочен на %1</source>
        <translation>%1 кешікті</translation>
    </message>
    <message>
        <source>Принять</source>
        <translation>Қабылдау</translation>
    </message>
    <message>
        <source>Собрать и передать</source>
        <translation>Жинап, тапсыру</translation>
    </message>
    <message>
        <source>%1,%2%</source>
        <translation>%1,%2%</translation>
    </message>
    <message>
        <source>Ждут магазина до срока Kaspi: %1</source>
        <translation>Kaspi мерзіміне дейін дүкенді күтуде: %1</translation>
    </message>
    <message>
        <source>Kaspi отменяет заказ, не принятый за 3 рабочих часа (Express — за 60 минут), и ждёт посылки Kaspi Доставки к назначенному времени. Время — Казахстана.</source>
        <translation>Kaspi 3 жұмыс сағатында (Express — 60 минутта) қабылданбаған тапсырыстың күшін жояды, ал Kaspi Жеткізу сәлемдемелерін белгіленген уақытқа дейін күтеді. Уақыт — Қазақстан уақыты.</translation>
    </message>
    <message>
        <source>Заказ</source>
        <translation>Тапсырыс</translation>
    </message>
    <message>
        <source>Покупатель</source>
        <translation>Сатып алушы</translation>
    </message>
    <message>
        <source>Что сделать</source>
        <translation>Не істеу керек</translation>
    </message>
    <message>
        <source>Срок Kaspi</source>
        <translation>Kaspi мерзімі</translation>
    </message>
    <message>
        <source>Осталось</source>
        <translation>Қалды</translation>
    </message>
    <message>
        <source>Открыть сделку в amoCRM</source>
        <translation>amoCRM-дегі мәмілені ашу</translation>
    </message>
    <message>
        <source>Доля отмен Kaspi за 30 дней</source>
        <translation>30 күндегі Kaspi бас тарту үлесі</translation>
    </message>
    <message>
        <source>в норме</source>
        <translation>қалыпты</translation>
    </message>
    <message>
        <source>близко к пределу</source>
        <translation>шекке жақын</translation>
    </message>
    <message>
        <source>выше предела</source>
        <translation>шектен жоғары</translation>
    </message>
    <message>
        <source>Отменено по вине магазина: %1 из %2 заказов · предел Kaspi 3%</source>
        <translation>Дүкен кінәсінен күші жойылды: %2 тапсырыстың %1 · Kaspi шегі 3%</translation>
    </message>
    <message>
        <source>Посчитано %1</source>
        <translation>Есептелді %1</translation>
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
    <name>KaspiActions</name>
    <message>
        <source>принять</source>
        <translation>қабылдау</translation>
    </message>
    <message>
        <source>собрать (накладная)</source>
        <translation>жинау (жүкқұжат)</translation>
    </message>
    <message>
        <source>отменить</source>
        <translation>бас тарту</translation>
    </message>
    <message>
        <source>отправить код выдачи</source>
        <translation>беру кодын жіберу</translation>
    </message>
    <message>
        <source>выдать по коду</source>
        <translation>код бойынша беру</translation>
    </message>
    <message>
        <source>ждёт отправки</source>
        <translation>жіберуді күтуде</translation>
    </message>
    <message>
        <source>ждёт ответа Kaspi</source>
        <translation>Kaspi жауабын күтуде</translation>
    </message>
    <message>
        <source>Kaspi отказал</source>
        <translation>Kaspi бас тартты</translation>
    </message>
    <message>
        <source>Действия Kaspi: ждут %1 · отказано %2</source>
        <translation>Kaspi әрекеттері: күтуде %1 · бас тартылды %2</translation>
    </message>
    <message>
        <source>Приостановлены: %1</source>
        <translation>Тоқтатылды: %1</translation>
    </message>
    <message>
        <source>Заказ %1: %2 — %3</source>
        <translation>Тапсырыс %1: %2 — %3</translation>
    </message>
</context>
<context>
    <name>Notify</name>
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
    <message>
        <source>Заказы Kaspi %1</source>
        <translation>Kaspi тапсырыстары %1</translation>
    </message>
    <message numerus="yes">
        <source>Не удалось передать %n заказов</source>
        <translation>
            <numerusform>%n тапсырысты жіберу мүмкін болмады</numerusform>
            <numerusform>%n тапсырысты жіберу мүмкін болмады</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Создано %n сделок</source>
        <translation>
            <numerusform>%n мәміле құрылды</numerusform>
            <numerusform>%n мәміле құрылды</numerusform>
        </translation>
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
    <message numerus="yes">
        <source>%n мин назад</source>
        <translation>
            <numerusform>%n мин бұрын</numerusform>
            <numerusform>%n мин бұрын</numerusform>
        </translation>
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
        <source>Доступна версия %1 — скачать…</source>
        <translation>%1 нұсқасы қолжетімді — жүктеу…</translation>
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
        <source>&amp;Синхронизация</source>
        <translation>&amp;Синхрондау</translation>
    </message>
    <message>
        <source>Повторить неудачные</source>
        <translation>Сәтсіздерін қайталау</translation>
    </message>
    <message>
        <source>&amp;Вид</source>
        <translation>&amp;Көрініс</translation>
    </message>
    <message>
        <source>Язык</source>
        <translation>Тіл</translation>
    </message>
    <message>
        <source>Как в системе</source>
        <translation>Жүйедегідей</translation>
    </message>
    <message>
        <source>&amp;Справка</source>
        <translation>&amp;Анықтама</translation>
    </message>
    <message>
        <source>Проверить обновления</source>
        <translation>Жаңартуларды тексеру</translation>
    </message>
    <message>
        <source>Проверять обновления раз в день</source>
        <translation>Жаңартуларды күніне бір рет тексеру</translation>
    </message>
    <message>
        <source>О программе</source>
        <translation>Бағдарлама туралы</translation>
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
        <source>Нажмите «Открыть настройки…»: мастер проведёт по шагам. Администратор может задать настройки в файле %1 или в файле .env рядом с программой и нажать «Проверить снова».</source>
        <translation>«Баптауларды ашу…» түймесін басыңыз: шебер сізді қадам-қадаммен бастап өтеді. Әкімші баптауларды %1 файлында немесе бағдарлама жанындағы .env файлында көрсетіп, «Қайта тексеру» түймесін баса алады.</translation>
    </message>
    <message>
        <source>Очередь: %1 (ожидают %2, с ошибкой %3)</source>
        <translation>Кезек: %1 (күтуде %2, қатемен %3)</translation>
    </message>
    <message>
        <source>%1, версия %2.
Заказы Kaspi.kz становятся сделками amoCRM.</source>
        <translation>%1, %2 нұсқасы.
Kaspi.kz тапсырыстары amoCRM мәмілелеріне айналады.</translation>
    </message>
    <message>
        <source>Сегодня: создано %1 · обновлено %2 · заказов с ошибкой %3</source>
        <translation>Бүгін: құрылды %1 · жаңартылды %2 · қатемен тапсырыс %3</translation>
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
        <source>Показано %1 из %2</source>
        <translation>%2 ішінен %1 көрсетілді</translation>
    </message>
    <message>
        <source>Вышла новая версия %1 (у вас %2).</source>
        <translation>Жаңа %1 нұсқасы шықты (сізде %2).</translation>
    </message>
    <message>
        <source>Скачать…</source>
        <translation>Жүктеу…</translation>
    </message>
    <message numerus="yes">
        <source>Передано в amoCRM: %n заказов</source>
        <translation>
            <numerusform>amoCRM-ге жіберілді: %n тапсырыс</numerusform>
            <numerusform>amoCRM-ге жіберілді: %n тапсырыс</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>синхронизация не удалась %n раз подряд</source>
        <translation>
            <numerusform>синхрондау қатарынан %n рет сәтсіз аяқталды</numerusform>
            <numerusform>синхрондау қатарынан %n рет сәтсіз аяқталды</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <source>Оповещения</source>
        <translation>Ескертулер</translation>
    </message>
    <message>
        <source>Куда написать, если заказы перестанут доходить до amoCRM. Можно пропустить.</source>
        <translation>Тапсырыстар amoCRM-ге жетпей қалса, қайда хабарлау керек. Бұл қадамды өткізіп жіберуге болады.</translation>
    </message>
    <message>
        <source>Программа сообщит, когда синхронизация несколько раз подряд не удалась, когда скопилась очередь или когда программа долго молчит, и ещё раз — когда всё наладится.</source>
        <translation>Бағдарлама синхрондау қатарынан бірнеше рет сәтсіз аяқталғанда, кезек жиналып қалғанда немесе бағдарлама ұзақ үнсіз қалғанда хабарлайды, ал бәрі қалпына келгенде тағы бір рет хабарлайды.</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>Как получить токен бота и ID чата</source>
        <translation>Бот токенін және чат ID-ін қалай алуға болады</translation>
    </message>
    <message>
        <source>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;В Telegram найдите &lt;b&gt;@BotFather&lt;/b&gt;, нажмите «Запустить» и отправьте ему &lt;b&gt;/newbot&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Придумайте боту имя, затем адрес, который оканчивается на &lt;b&gt;bot&lt;/b&gt; (например, shop_alerts_bot). BotFather пришлёт токен вида 123456789:AAH…&lt;/li&gt;&lt;li&gt;Скопируйте токен в поле «Токен бота».&lt;/li&gt;&lt;li&gt;Откройте своего бота (ссылка t.me/… в ответе BotFather) и нажмите «Запустить» или напишите ему что угодно. Для группы: добавьте бота в группу и напишите в ней.&lt;/li&gt;&lt;li&gt;Нажмите «Найти чат»: ID чата заполнится сам. Затем «Отправить проверку».&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;Telegram-да &lt;b&gt;@BotFather&lt;/b&gt; ботын тауып, «Бастау» түймесін басып, оған &lt;b&gt;/newbot&lt;/b&gt; жіберіңіз.&lt;/li&gt;&lt;li&gt;Ботқа ат қойыңыз, содан кейін &lt;b&gt;bot&lt;/b&gt; деп аяқталатын мекенжай ойлап табыңыз (мысалы, shop_alerts_bot). BotFather 123456789:AAH… түріндегі токен жібереді.&lt;/li&gt;&lt;li&gt;Токенді «Бот токені» өрісіне көшіріңіз.&lt;/li&gt;&lt;li&gt;Өз ботыңызды ашып (BotFather жауабындағы t.me/… сілтемесі), «Бастау» түймесін басыңыз немесе оған кез келген хабар жазыңыз. Топ үшін: ботты топқа қосып, сол топта жазыңыз.&lt;/li&gt;&lt;li&gt;«Чатты табу» түймесін басыңыз: чат ID-і өзі толады. Содан кейін «Сынақ хабарын жіберу».&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <source>Токен бота:</source>
        <translation>Бот токені:</translation>
    </message>
    <message>
        <source>ID чата:</source>
        <translation>Чат ID:</translation>
    </message>
    <message>
        <source>Найти чат</source>
        <translation>Чатты табу</translation>
    </message>
    <message>
        <source>Читает, кто недавно написал боту, и подставляет ID этого чата.</source>
        <translation>Ботқа жақында кім жазғанын оқып, сол чаттың ID-ін қояды.</translation>
    </message>
    <message>
        <source>Электронная почта</source>
        <translation>Электрондық пошта</translation>
    </message>
    <message>
        <source>Кому:</source>
        <translation>Кімге:</translation>
    </message>
    <message>
        <source>От кого:</source>
        <translation>Кімнен:</translation>
    </message>
    <message>
        <source>SMTP-сервер:</source>
        <translation>SMTP сервері:</translation>
    </message>
    <message>
        <source>Порт:</source>
        <translation>Порт:</translation>
    </message>
    <message>
        <source>Логин:</source>
        <translation>Логин:</translation>
    </message>
    <message>
        <source>Пароль:</source>
        <translation>Құпиясөз:</translation>
    </message>
    <message>
        <source>Отправить проверку</source>
        <translation>Сынақ хабарын жіберу</translation>
    </message>
    <message>
        <source>Когда оповещать</source>
        <translation>Қашан ескерту керек</translation>
    </message>
    <message>
        <source>Неудачных синхронизаций подряд:</source>
        <translation>Қатарынан сәтсіз синхрондаулар:</translation>
    </message>
    <message>
        <source>Заказов в очереди больше чем:</source>
        <translation>Кезектегі тапсырыстар мынадан көп:</translation>
    </message>
    <message>
        <source>Программа молчит дольше, минут:</source>
        <translation>Бағдарлама үнсіз тұрған минуттар мынадан көп:</translation>
    </message>
    <message>
        <source>Сохранён — оставьте пустым, чтобы не менять</source>
        <translation>Сақталған — өзгертпеу үшін бос қалдырыңыз</translation>
    </message>
    <message>
        <source>Введён и сохранится после «Готово» — оставьте пустым, чтобы не менять</source>
        <translation>Енгізілді, «Дайын» басылғанда сақталады — өзгертпеу үшін бос қалдырыңыз</translation>
    </message>
    <message>
        <source>Укажите и токен бота, и ID чата.</source>
        <translation>Бот токенін де, чат ID нөмірін де көрсетіңіз.</translation>
    </message>
    <message>
        <source>почта</source>
        <translation>пошта</translation>
    </message>
    <message>
        <source>Проверка не прошла (%1): оповещения туда не дойдут. Исправьте поля или нажмите «Далее» ещё раз, чтобы сохранить как есть.</source>
        <translation>Тексеру сәтсіз (%1): ескертулер ол жаққа жетпейді. Өрістерді түзетіңіз немесе қалай бар солай сақтау үшін «Келесі» түймесін тағы басыңыз.</translation>
    </message>
    <message>
        <source>Для почты нужны адрес получателя, адрес отправителя и SMTP-сервер.</source>
        <translation>Пошта үшін алушының мекенжайы, жіберушінің мекенжайы және SMTP сервері қажет.</translation>
    </message>
    <message>
        <source>Адрес почты должен содержать @.</source>
        <translation>Пошта мекенжайында @ белгісі болуы керек.</translation>
    </message>
    <message>
        <source>Сначала вставьте токен бота (шаги — по ссылке «Как получить токен бота»).</source>
        <translation>Алдымен бот токенін қойыңыз (қадамдары «Бот токенін қалай алуға болады» бөлімінде).</translation>
    </message>
    <message>
        <source>Ищу, кто писал боту…</source>
        <translation>Ботқа кім жазғанын іздеп жатырмын…</translation>
    </message>
    <message>
        <source>Бот пока не получал сообщений. Откройте бота в Telegram, нажмите «Запустить» (или напишите ему), затем снова «Найти чат».</source>
        <translation>Бот әзірге хабар алмаған. Ботты Telegram-да ашып, «Бастау» түймесін басыңыз (немесе оған жазыңыз), содан кейін қайтадан «Чатты табу».</translation>
    </message>
    <message>
        <source>Найден чат: %1 (ID %2). Теперь нажмите «Отправить проверку».</source>
        <translation>Чат табылды: %1 (ID %2). Енді «Сынақ хабарын жіберу» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Боту писали и другие: %1. Выбран самый недавний.</source>
        <translation>Ботқа басқалар да жазған: %1. Ең соңғысы таңдалды.</translation>
    </message>
    <message>
        <source>Не удалось связаться с Telegram.</source>
        <translation>Telegram-мен байланысу мүмкін болмады.</translation>
    </message>
    <message>
        <source>Заполните поля этого канала.</source>
        <translation>Осы арнаның өрістерін толтырыңыз.</translation>
    </message>
    <message>
        <source>Отправляю…</source>
        <translation>Жіберілуде…</translation>
    </message>
    <message>
        <source>Отправлено. Проверьте, что сообщение пришло.</source>
        <translation>Жіберілді. Хабардың келгенін тексеріңіз.</translation>
    </message>
    <message>
        <source>Не удалось отправить.</source>
        <translation>Жіберу мүмкін болмады.</translation>
    </message>
    <message>
        <source>Укажите ID чата: напишите боту и нажмите «Найти чат».</source>
        <translation>Чат ID-ін көрсетіңіз: ботқа жазып, «Чатты табу» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Исправьте отмеченные поля или очистите их, чтобы не получать оповещения.</source>
        <translation>Белгіленген өрістерді түзетіңіз немесе ескертулер алмау үшін оларды тазалаңыз.</translation>
    </message>
    <message>
        <source>amoCRM</source>
        <translation>amoCRM</translation>
    </message>
    <message>
        <source>Подключите аккаунт amoCRM, в котором появятся сделки из заказов Kaspi.</source>
        <translation>Kaspi тапсырыстарынан мәмілелер пайда болатын amoCRM аккаунтын қосыңыз.</translation>
    </message>
    <message>
        <source>Адрес аккаунта:</source>
        <translation>Аккаунт мекенжайы:</translation>
    </message>
    <message>
        <source>Вставить код авторизации (20 минут)</source>
        <translation>Авторизация кодын қою (20 минут жарамды)</translation>
    </message>
    <message>
        <source>Интеграция amoCRM</source>
        <translation>amoCRM интеграциясы</translation>
    </message>
    <message>
        <source>ID интеграции:</source>
        <translation>Интеграция ID:</translation>
    </message>
    <message>
        <source>Секретный ключ:</source>
        <translation>Құпия кілт:</translation>
    </message>
    <message>
        <source>Адрес перенаправления:</source>
        <translation>Қайта бағыттау мекенжайы:</translation>
    </message>
    <message>
        <source>Открыть amoCRM в браузере</source>
        <translation>amoCRM-ді браузерде ашу</translation>
    </message>
    <message>
        <source>После «Разрешить» браузер откроет адрес перенаправления. Скопируйте адрес из строки браузера целиком и вставьте сюда:</source>
        <translation>«Разрешить» басылғаннан кейін браузер қайта бағыттау мекенжайын ашады. Мекенжайды браузердің мекенжай жолынан толығымен көшіріп, осында қойыңыз:</translation>
    </message>
    <message>
        <source>Подключить</source>
        <translation>Қосу</translation>
    </message>
    <message>
        <source>Код авторизации:</source>
        <translation>Авторизация коды:</translation>
    </message>
    <message>
        <source>Долгосрочный токен:</source>
        <translation>Ұзақ мерзімді токен:</translation>
    </message>
    <message>
        <source>Как в строке браузера, можно без https://: shop.amocrm.ru</source>
        <translation>Браузердің мекенжай жолындағыдай, https:// жазбауға болады: shop.amocrm.ru</translation>
    </message>
    <message>
        <source>Долгосрочный токен — проще всего для своего магазина</source>
        <translation>Ұзақ мерзімді токен — өз дүкеніңіз үшін ең оңай жол</translation>
    </message>
    <message>
        <source>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;Войдите в amoCRM как администратор и откройте раздел &lt;b&gt;«amoМаркет»&lt;/b&gt; в меню слева.&lt;/li&gt;&lt;li&gt;Справа вверху нажмите &lt;b&gt;«Создать интеграцию»&lt;/b&gt; и выберите &lt;b&gt;«Внешняя интеграция»&lt;/b&gt;.&lt;/li&gt;&lt;li&gt;Впишите любое название (например, «Kaspi») и описание, разрешите доступ к данным и сохраните. Адрес перенаправления можно не менять.&lt;/li&gt;&lt;li&gt;В открывшейся интеграции перейдите на вкладку &lt;b&gt;«Ключи и доступы»&lt;/b&gt;, нажмите &lt;b&gt;«Долгосрочный токен»&lt;/b&gt;, выберите срок (до 5 лет) и скопируйте токен: amoCRM показывает его только один раз.&lt;/li&gt;&lt;li&gt;Вставьте токен сюда и нажмите «Подключить».&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;ol style='margin-left:-16px'&gt;&lt;li&gt;amoCRM-ге әкімші ретінде кіріп, сол жақ мәзірден &lt;b&gt;«amoМаркет»&lt;/b&gt; бөлімін ашыңыз.&lt;/li&gt;&lt;li&gt;Жоғарғы оң жақта &lt;b&gt;«Создать интеграцию»&lt;/b&gt; (Интеграция құру) түймесін басып, &lt;b&gt;«Внешняя интеграция»&lt;/b&gt; (Сыртқы интеграция) таңдаңыз.&lt;/li&gt;&lt;li&gt;Кез келген атау (мысалы, «Kaspi») мен сипаттама жазып, деректерге қолжеткізуге рұқсат беріп, сақтаңыз. Қайта бағыттау мекенжайын өзгертпеуге болады.&lt;/li&gt;&lt;li&gt;Ашылған интеграцияда &lt;b&gt;«Ключи и доступы»&lt;/b&gt; (Кілттер мен қолжеткізу) қойындысына өтіп, &lt;b&gt;«Долгосрочный токен»&lt;/b&gt; (Ұзақ мерзімді токен) түймесін басыңыз, мерзімін таңдаңыз (5 жылға дейін) және токенді көшіріңіз: amoCRM оны тек бір рет көрсетеді.&lt;/li&gt;&lt;li&gt;Токенді осында қойып, «Қосу» түймесін басыңыз.&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <source>Другие способы (для администраторов)</source>
        <translation>Басқа тәсілдер (әкімшілерге арналған)</translation>
    </message>
    <message>
        <source>Войти через браузер (нужны ID и секретный ключ интеграции)</source>
        <translation>Браузер арқылы кіру (интеграцияның ID-і мен құпия кілті қажет)</translation>
    </message>
    <message>
        <source>amoCRM → amoМаркет → ваша интеграция → вкладка «Ключи и доступы». Адрес перенаправления должен совпадать с указанным в интеграции; http://127.0.0.1:8765/callback позволяет программе принять ответ amoCRM самой.</source>
        <translation>amoCRM → amoМаркет → сіздің интеграцияңыз → «Ключи и доступы» (Кілттер мен қолжеткізу) қойындысы. Қайта бағыттау мекенжайы интеграцияда көрсетілгенмен сәйкес болуы керек; http://127.0.0.1:8765/callback бағдарламаға amoCRM жауабын өзі қабылдауға мүмкіндік береді.</translation>
    </message>
    <message>
        <source>Ключ сохранён — оставьте пустым, чтобы не менять</source>
        <translation>Кілт сақталған — өзгертпеу үшін бос қалдырыңыз</translation>
    </message>
    <message>
        <source>amoCRM подключён: %1 — доступ проверен только что.</source>
        <translation>amoCRM қосылған: %1 — қолжеткізу жаңа ғана тексерілді.</translation>
    </message>
    <message>
        <source>amoCRM подключён: %1</source>
        <translation>amoCRM қосылған: %1</translation>
    </message>
    <message>
        <source>amoCRM подключён. Чтобы переподключить, выберите способ и нажмите «Подключить».</source>
        <translation>amoCRM қосылған. Қайта қосу үшін тәсілді таңдап, «Қосу» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>amoCRM не пускает программу (%1): %2 Подключите amoCRM заново одним из способов ниже.</source>
        <translation>amoCRM бағдарламаны кіргізбейді (%1): %2 amoCRM-ді төмендегі тәсілдердің бірімен қайта қосыңыз.</translation>
    </message>
    <message>
        <source>Проверить доступ сейчас не удалось: нет связи с amoCRM.</source>
        <translation>Қолжеткізуді қазір тексеру мүмкін болмады: amoCRM-мен байланыс жоқ.</translation>
    </message>
    <message>
        <source>Заполните ID интеграции, секретный ключ и адрес перенаправления.</source>
        <translation>Интеграция ID нөмірін, құпия кілтті және қайта бағыттау мекенжайын толтырыңыз.</translation>
    </message>
    <message>
        <source>В браузере нажмите «Разрешить», затем вставьте адрес из браузера ниже.</source>
        <translation>Браузерде «Разрешить» түймесін басыңыз, содан кейін браузердегі мекенжайды төменге қойыңыз.</translation>
    </message>
    <message>
        <source>Жду ответа amoCRM: в открывшемся окне браузера нажмите «Разрешить»…</source>
        <translation>amoCRM жауабы күтілуде: ашылған браузер терезесінде «Разрешить» түймесін басыңыз…</translation>
    </message>
    <message>
        <source>Сначала нажмите «Открыть amoCRM в браузере».</source>
        <translation>Алдымен «amoCRM-ді браузерде ашу» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Подключаю amoCRM…</source>
        <translation>amoCRM қосылуда…</translation>
    </message>
    <message>
        <source>Нажмите «Открыть amoCRM в браузере» и разрешите доступ.</source>
        <translation>«amoCRM-ді браузерде ашу» түймесін басып, қолжеткізуге рұқсат беріңіз.</translation>
    </message>
    <message>
        <source>Вставьте код авторизации из настроек интеграции.</source>
        <translation>Интеграция баптауларынан авторизация кодын қойыңыз.</translation>
    </message>
    <message>
        <source>Вставьте долгосрочный токен: как его получить, написано выше.</source>
        <translation>Ұзақ мерзімді токенді қойыңыз: оны қалай алу керектігі жоғарыда жазылған.</translation>
    </message>
    <message>
        <source>Проверяю токен в amoCRM…</source>
        <translation>Токен amoCRM-де тексерілуде…</translation>
    </message>
    <message>
        <source>Ключ введён и сохранится после «Готово»</source>
        <translation>Кілт енгізілді, «Дайын» басылғанда сақталады</translation>
    </message>
    <message>
        <source>Подключено: %1 (%2)</source>
        <translation>Қосылды: %1 (%2)</translation>
    </message>
    <message>
        <source>Продолжить без проверки</source>
        <translation>Тексерусіз жалғастыру</translation>
    </message>
    <message>
        <source>Проверяю…</source>
        <translation>Тексерілуде…</translation>
    </message>
    <message>
        <source>Куда попадают сделки</source>
        <translation>Мәмілелер қайда түседі</translation>
    </message>
    <message>
        <source>Выберите воронку и этап для новых сделок и какие заказы Kaspi передавать.</source>
        <translation>Жаңа мәмілелер үшін воронка мен кезеңді және қандай Kaspi тапсырыстарын жіберу керектігін таңдаңыз.</translation>
    </message>
    <message>
        <source>Воронка:</source>
        <translation>Воронка:</translation>
    </message>
    <message>
        <source>Этап новой сделки:</source>
        <translation>Жаңа мәміле кезеңі:</translation>
    </message>
    <message>
        <source>Передавать заказы Kaspi в состояниях</source>
        <translation>Kaspi тапсырыстарын мына күйлерде жіберу</translation>
    </message>
    <message>
        <source>Отметьте хотя бы одно состояние.</source>
        <translation>Кемінде бір күйді белгілеңіз.</translation>
    </message>
    <message>
        <source>Когда заказ в Kaspi меняет статус</source>
        <translation>Kaspi-де тапсырыс мәртебесі өзгергенде</translation>
    </message>
    <message>
        <source>Сверка раз в 10 минут переносит сделку на выбранный этап.</source>
        <translation>10 минут сайын жүретін салыстыру мәмілені таңдалған кезеңге ауыстырады.</translation>
    </message>
    <message>
        <source>Повторить</source>
        <translation>Қайталау</translation>
    </message>
    <message>
        <source>Управлять заказами Kaspi из amoCRM (принимать, собирать, отменять, выдавать)</source>
        <translation>Kaspi тапсырыстарын amoCRM-нен басқару (қабылдау, жинау, бас тарту, беру)</translation>
    </message>
    <message>
        <source>Покупатель отказался</source>
        <translation>Сатып алушы бас тартты</translation>
    </message>
    <message>
        <source>Не удалось связаться с покупателем</source>
        <translation>Сатып алушымен байланысу мүмкін болмады</translation>
    </message>
    <message>
        <source>Товара нет в наличии</source>
        <translation>Тауар қоймада жоқ</translation>
    </message>
    <message>
        <source>Управление заказами Kaspi из amoCRM</source>
        <translation>Kaspi тапсырыстарын amoCRM-нен басқару</translation>
    </message>
    <message>
        <source>Перенос сделки по этапам меняет заказ в Kaspi. Каждое действие включается отдельно.</source>
        <translation>Мәмілені кезеңнен кезеңге ауыстыру Kaspi-дегі тапсырысты өзгертеді. Әр әрекет жеке қосылады.</translation>
    </message>
    <message>
        <source>Внимание: действия в Kaspi нельзя отменить. Принятый, отменённый или выданный заказ не вернуть назад ни из amoCRM, ни из этой программы. Включайте только то, чем будете пользоваться.</source>
        <translation>Назар аударыңыз: Kaspi-дегі әрекеттерді кері қайтаруға болмайды. Қабылданған, бас тартылған немесе берілген тапсырысты amoCRM-нен де, осы бағдарламадан да қайтару мүмкін емес. Тек пайдаланатын әрекеттерді қосыңыз.</translation>
    </message>
    <message>
        <source>ID магазина Kaspi:</source>
        <translation>Kaspi дүкенінің ID-і:</translation>
    </message>
    <message>
        <source>Кабинет продавца Kaspi → Настройки → ID магазина. Нужен для любого действия.</source>
        <translation>Kaspi сатушы кабинеті → Баптаулар → Дүкен ID-і. Кез келген әрекет үшін қажет.</translation>
    </message>
    <message>
        <source>Принимать новые заказы автоматически, как только появилась сделка</source>
        <translation>Мәміле пайда болған бойда жаңа тапсырыстарды автоматты түрде қабылдау</translation>
    </message>
    <message>
        <source>Принимать заказ, когда сделка попадает в этап:</source>
        <translation>Мәміле мына кезеңге түскенде тапсырысты қабылдау:</translation>
    </message>
    <message>
        <source>Собирать заказ Kaspi Доставки (накладная), этап:</source>
        <translation>Kaspi Жеткізу тапсырысын жинау (жүкқұжат), кезең:</translation>
    </message>
    <message>
        <source>Выдавать заказ по коду покупателя, этап:</source>
        <translation>Тапсырысты сатып алушының коды бойынша беру, кезең:</translation>
    </message>
    <message>
        <source>Отменять заказ в Kaspi, когда сделка закрыта с причиной отказа</source>
        <translation>Мәміле бас тарту себебімен жабылғанда Kaspi-дегі тапсырыстан бас тарту</translation>
    </message>
    <message>
        <source>Для каждой причины отказа выберите причину отмены в Kaspi или «Не отменять».</source>
        <translation>Әр бас тарту себебі үшін Kaspi-дегі бас тарту себебін немесе «Бас тартпау» таңдаңыз.</translation>
    </message>
    <message>
        <source>Загрузить этапы и причины</source>
        <translation>Кезеңдер мен себептерді жүктеу</translation>
    </message>
    <message>
        <source>amoCRM не подключён: вернитесь на шаг amoCRM.</source>
        <translation>amoCRM қосылмаған: amoCRM қадамына оралыңыз.</translation>
    </message>
    <message>
        <source>Загружаю этапы и причины отказа из amoCRM…</source>
        <translation>amoCRM-нен кезеңдер мен бас тарту себептерін жүктеп жатырмын…</translation>
    </message>
    <message>
        <source>Этапы и причины отказа загружены из amoCRM.</source>
        <translation>Кезеңдер мен бас тарту себептері amoCRM-нен жүктелді.</translation>
    </message>
    <message>
        <source>Не отменять</source>
        <translation>Бас тартпау</translation>
    </message>
    <message>
        <source>Укажите ID магазина Kaspi: без него действия с заказами не работают.</source>
        <translation>Kaspi дүкенінің ID-ін енгізіңіз: онсыз тапсырыстармен әрекеттер жұмыс істемейді.</translation>
    </message>
    <message>
        <source>ID магазина Kaspi пишется без пробелов.</source>
        <translation>Kaspi дүкенінің ID-і бос орынсыз жазылады.</translation>
    </message>
    <message>
        <source>Выберите этап для каждого включённого действия.</source>
        <translation>Қосылған әр әрекет үшін кезеңді таңдаңыз.</translation>
    </message>
    <message>
        <source>У каждого действия должен быть свой этап.</source>
        <translation>Әр әрекеттің өз кезеңі болуы керек.</translation>
    </message>
    <message>
        <source>Загружаю воронки из amoCRM…</source>
        <translation>amoCRM-нен воронкалар жүктелуде…</translation>
    </message>
    <message>
        <source>В аккаунте amoCRM нет воронок: создайте воронку и нажмите «Повторить».</source>
        <translation>amoCRM аккаунтында воронкалар жоқ: воронка жасап, «Қайталау» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Воронки загружены из amoCRM.</source>
        <translation>Воронкалар amoCRM-нен жүктелді.</translation>
    </message>
    <message>
        <source>Не менять этап</source>
        <translation>Кезеңді өзгертпеу</translation>
    </message>
    <message>
        <source>В этой воронке нет этапа для новых сделок: выберите другую.</source>
        <translation>Бұл воронкада жаңа мәмілелерге арналған кезең жоқ: басқасын таңдаңыз.</translation>
    </message>
    <message>
        <source>Готово</source>
        <translation>Дайын</translation>
    </message>
    <message>
        <source>Проверьте настройки и нажмите «Готово»: синхронизация начнётся сразу.</source>
        <translation>Баптауларды тексеріп, «Дайын» түймесін басыңыз: синхрондау бірден басталады.</translation>
    </message>
    <message>
        <source>Программа</source>
        <translation>Бағдарлама</translation>
    </message>
    <message>
        <source>Запускать вместе с компьютером</source>
        <translation>Компьютермен бірге іске қосу</translation>
    </message>
    <message>
        <source>Не показывать уведомления о новых заказах</source>
        <translation>Жаңа тапсырыстар туралы хабарландыруларды көрсетпеу</translation>
    </message>
    <message>
        <source>Раз в день проверять, не вышла ли новая версия</source>
        <translation>Жаңа нұсқа шыққанын күніне бір рет тексеру</translation>
    </message>
    <message>
        <source>Язык:</source>
        <translation>Тіл:</translation>
    </message>
    <message>
        <source>Как в системе</source>
        <translation>Жүйедегідей</translation>
    </message>
    <message>
        <source>Пробный запуск</source>
        <translation>Сынақ іске қосу</translation>
    </message>
    <message>
        <source>Покажет, какие сделки появятся в amoCRM при первой синхронизации. В amoCRM при этом ничего не записывается.</source>
        <translation>Алғашқы синхрондау кезінде amoCRM-де қандай мәмілелер пайда болатынын көрсетеді. Бұл ретте amoCRM-ге ештеңе жазылмайды.</translation>
    </message>
    <message>
        <source>Показать, что будет создано</source>
        <translation>Не құрылатынын көрсету</translation>
    </message>
    <message>
        <source>Раньше заказы передавались в аккаунт %1. После «Готово» программа начнёт заново с аккаунтом %2: заказы Kaspi за последние 14 дней появятся в нём как новые сделки.</source>
        <translation>Бұрын тапсырыстар %1 аккаунтына жіберілетін. «Дайын» түймесінен кейін бағдарлама %2 аккаунтымен жаңадан бастайды: соңғы 14 күндегі Kaspi тапсырыстары онда жаңа мәмілелер ретінде пайда болады.</translation>
    </message>
    <message>
        <source>нет</source>
        <translation>жоқ</translation>
    </message>
    <message>
        <source>да — проверочное сообщение отправлено</source>
        <translation>иә — сынақ хабары жіберілді</translation>
    </message>
    <message>
        <source>да, но проверка не прошла: %1</source>
        <translation>иә, бірақ тексеру сәтсіз: %1</translation>
    </message>
    <message>
        <source>да — последнее оповещение доставлено %1</source>
        <translation>иә — соңғы ескерту жеткізілді %1</translation>
    </message>
    <message>
        <source>да, но последнее оповещение не доставлено (%1): %2</source>
        <translation>иә, бірақ соңғы ескерту жеткізілмеді (%1): %2</translation>
    </message>
    <message>
        <source>да, но не проверено: нажмите «Отправить проверку» на шаге «Оповещения»</source>
        <translation>иә, бірақ тексерілмеген: «Ескертулер» қадамында «Сынақ хабарын жіберу» түймесін басыңыз</translation>
    </message>
    <message>
        <source>Kaspi</source>
        <translation>Kaspi</translation>
    </message>
    <message>
        <source>токен сохранён</source>
        <translation>токен сақталған</translation>
    </message>
    <message>
        <source>amoCRM сейчас не пускает программу: подключите заново</source>
        <translation>amoCRM қазір бағдарламаны кіргізбейді: қайта қосыңыз</translation>
    </message>
    <message>
        <source>токен введён, сохранится после «Готово»</source>
        <translation>токен енгізілді, «Дайын» басылғанда сақталады</translation>
    </message>
    <message>
        <source>нет токена</source>
        <translation>токен жоқ</translation>
    </message>
    <message>
        <source>Воронка и этап</source>
        <translation>Воронка мен кезең</translation>
    </message>
    <message>
        <source>Заказы в состояниях</source>
        <translation>Күйлердегі тапсырыстар</translation>
    </message>
    <message>
        <source>Оповещения в Telegram</source>
        <translation>Telegram ескертулері</translation>
    </message>
    <message>
        <source>Оповещения на почту</source>
        <translation>Поштаға ескертулер</translation>
    </message>
    <message>
        <source>Читаю заказы Kaspi и ищу покупателей в amoCRM…</source>
        <translation>Kaspi тапсырыстары оқылып, amoCRM-де сатып алушылар ізделуде…</translation>
    </message>
    <message>
        <source>Пробный запуск не удался. Подробности в журнале.</source>
        <translation>Сынақ іске қосу сәтсіз аяқталды. Толығырақ — журналда.</translation>
    </message>
    <message>
        <source>Новых заказов для передачи нет: сделки появятся, когда придут заказы.</source>
        <translation>Жіберетін жаңа тапсырыстар жоқ: тапсырыстар келгенде мәмілелер пайда болады.</translation>
    </message>
    <message>
        <source>без имени</source>
        <translation>аты жоқ</translation>
    </message>
    <message>
        <source>без телефона</source>
        <translation>телефон жоқ</translation>
    </message>
    <message>
        <source>Подключите магазин Kaspi: программа будет читать из него новые заказы.</source>
        <translation>Kaspi дүкеніңізді қосыңыз: бағдарлама одан жаңа тапсырыстарды оқиды.</translation>
    </message>
    <message>
        <source>Токен API находится в &lt;a href="%1"&gt;кабинете продавца Kaspi&lt;/a&gt;: Настройки → Токен API. Скопируйте его и вставьте сюда. Программа только читает заказы и ничего не меняет в магазине.</source>
        <translation>API токені &lt;a href="%1"&gt;Kaspi сатушы кабинетінде&lt;/a&gt;: Баптаулар → API токені. Оны көшіріп, осында қойыңыз. Бағдарлама тек тапсырыстарды оқиды, дүкенде ештеңені өзгертпейді.</translation>
    </message>
    <message>
        <source>Токен API:</source>
        <translation>API токені:</translation>
    </message>
    <message>
        <source>Проверить</source>
        <translation>Тексеру</translation>
    </message>
    <message>
        <source>Дополнительно</source>
        <translation>Қосымша</translation>
    </message>
    <message>
        <source>Адрес API Kaspi:</source>
        <translation>Kaspi API мекенжайы:</translation>
    </message>
    <message>
        <source>Токен сохранён — оставьте пустым, чтобы не менять</source>
        <translation>Токен сақталған — өзгертпеу үшін бос қалдырыңыз</translation>
    </message>
    <message>
        <source>Токен введён и сохранится после «Готово» — оставьте пустым, чтобы не менять</source>
        <translation>Токен енгізілді, «Дайын» басылғанда сақталады — өзгертпеу үшін бос қалдырыңыз</translation>
    </message>
    <message>
        <source>Вставьте токен API</source>
        <translation>API токенін қойыңыз</translation>
    </message>
    <message>
        <source>Токен сохранён. Чтобы заменить его, вставьте новый.</source>
        <translation>Токен сақталған. Оны ауыстыру үшін жаңасын қойыңыз.</translation>
    </message>
    <message>
        <source>Вставьте токен API из кабинета продавца Kaspi.</source>
        <translation>Kaspi сатушы кабинетінен API токенін қойыңыз.</translation>
    </message>
    <message>
        <source>Kaspi принял токен: заказы магазина доступны.</source>
        <translation>Kaspi токенді қабылдады: дүкен тапсырыстары қолжетімді.</translation>
    </message>
    <message>
        <source>Проверяю токен в Kaspi…</source>
        <translation>Токен Kaspi-де тексерілуде…</translation>
    </message>
    <message>
        <source>Kaspi не принял токен. Скопируйте его заново в кабинете продавца: Настройки → Токен API, и вставьте целиком.</source>
        <translation>Kaspi токенді қабылдамады. Оны сатушы кабинетінен қайта көшіріп алыңыз (Баптаулар → API токені) және толығымен қойыңыз.</translation>
    </message>
    <message>
        <source>Проверьте подключение к интернету; если выход в интернет идёт через прокси, VPN или антивирус, проверьте, что они пропускают запросы к kaspi.kz.</source>
        <translation>Интернет байланысын тексеріңіз; егер интернетке прокси, VPN немесе антивирус арқылы шықсаңыз, олардың kaspi.kz сұрауларын өткізетінін тексеріңіз.</translation>
    </message>
    <message>
        <source>Нет ответа от Kaspi: время ожидания истекло.</source>
        <translation>Kaspi жауап бермеді: күту уақыты өтті.</translation>
    </message>
    <message>
        <source>Нет связи с Kaspi.</source>
        <translation>Kaspi-мен байланыс жоқ.</translation>
    </message>
    <message>
        <source>Не удалось проверить сертификат Kaspi: проверьте дату и время на компьютере или антивирус, который проверяет HTTPS.</source>
        <translation>Kaspi сертификатын тексеру мүмкін болмады: компьютердегі күн мен уақытты немесе HTTPS-ті тексеретін антивирусты тексеріңіз.</translation>
    </message>
    <message>
        <source>Kaspi временно не отвечает. Попробуйте позже или продолжите без проверки.</source>
        <translation>Kaspi уақытша жауап бермей тұр. Кейінірек қайталап көріңіз немесе тексерусіз жалғастырыңыз.</translation>
    </message>
    <message>
        <source>Адрес API Kaspi должен начинаться с https://.</source>
        <translation>Kaspi API мекенжайы https:// деп басталуы керек.</translation>
    </message>
    <message>
        <source>Kaspi отклонил проверочный запрос. Если ошибка повторяется, отправьте журнал в поддержку.</source>
        <translation>Kaspi тексеру сұрауын қабылдамады. Қате қайталана берсе, журналды қолдау қызметіне жіберіңіз.</translation>
    </message>
    <message>
        <source>Проверка не удалась из-за непредвиденной ошибки. Подробности в журнале.</source>
        <translation>Күтпеген қатеге байланысты тексеру сәтсіз аяқталды. Толығырақ — журналда.</translation>
    </message>
    <message>
        <source>Доступ не разрешён: в окне amoCRM нажали «Отказать». Нажмите «Открыть amoCRM» ещё раз и выберите «Разрешить».</source>
        <translation>Қолжеткізуге рұқсат берілмеді: amoCRM терезесінде «Отказать» басылды. «amoCRM-ді браузерде ашу» түймесін қайта басып, «Разрешить» таңдаңыз.</translation>
    </message>
    <message>
        <source>Ответ amoCRM относится к другому подключению (не совпадает проверочный код). Ничего не сохранено: начните подключение заново из этого окна.</source>
        <translation>amoCRM жауабы басқа қосылымға қатысты (тексеру коды сәйкес келмейді). Ештеңе сақталмады: қосылуды осы терезеден қайта бастаңыз.</translation>
    </message>
    <message>
        <source>В адресе нет кода авторизации. Скопируйте адрес целиком из строки браузера после «Разрешить».</source>
        <translation>Мекенжайда авторизация коды жоқ. «Разрешить» басылғаннан кейін мекенжайды браузердің мекенжай жолынан толығымен көшіріңіз.</translation>
    </message>
    <message>
        <source>amoCRM не вернул ответ: окно браузера закрыто или подключение не завершено. Нажмите «Открыть amoCRM» ещё раз.</source>
        <translation>amoCRM жауап қайтармады: браузер терезесі жабылған немесе қосылу аяқталмаған. «amoCRM-ді браузерде ашу» түймесін қайта басыңыз.</translation>
    </message>
    <message>
        <source>Нет связи с amoCRM. Проверьте подключение к интернету и адрес аккаунта.</source>
        <translation>amoCRM-мен байланыс жоқ. Интернетке қосылымды және аккаунт мекенжайын тексеріңіз.</translation>
    </message>
    <message>
        <source>Аккаунт amoCRM не оплачен: после оплаты подключите его снова.</source>
        <translation>amoCRM аккаунты төленбеген: төлегеннен кейін оны қайта қосыңыз.</translation>
    </message>
    <message>
        <source>amoCRM не принял данные входа. Код авторизации действует 20 минут и только один раз: получите новый и проверьте ID интеграции, секретный ключ и адрес перенаправления. Долгосрочный токен мог истечь или быть отозван.</source>
        <translation>amoCRM кіру деректерін қабылдамады. Авторизация коды 20 минут ішінде тек бір рет жарамды: жаңасын алып, интеграция ID нөмірін, құпия кілтті және қайта бағыттау мекенжайын тексеріңіз. Ұзақ мерзімді токеннің мерзімі өтіп кеткен немесе ол кері қайтарылған болуы мүмкін.</translation>
    </message>
    <message>
        <source>Не удалось принять ответ amoCRM на этом компьютере: адрес перенаправления занят другой программой. Укажите в интеграции другой порт, например http://127.0.0.1:8766/callback.</source>
        <translation>Бұл компьютерде amoCRM жауабын қабылдау мүмкін болмады: қайта бағыттау мекенжайын басқа бағдарлама пайдаланып тұр. Интеграцияда басқа портты көрсетіңіз, мысалы, http://127.0.0.1:8766/callback.</translation>
    </message>
    <message>
        <source>amoCRM ответил ошибкой. Проверьте адрес аккаунта и попробуйте ещё раз.</source>
        <translation>amoCRM қатемен жауап берді. Аккаунт мекенжайын тексеріп, қайталап көріңіз.</translation>
    </message>
    <message>
        <source>Подключение не удалось из-за непредвиденной ошибки. Подробности в журнале.</source>
        <translation>Күтпеген қатеге байланысты қосылу сәтсіз аяқталды. Толығырақ — журналда.</translation>
    </message>
    <message>
        <source>amoCRM не принимает доступ: вернитесь на шаг amoCRM и подключитесь заново.</source>
        <translation>amoCRM қолжеткізуді қабылдамайды: amoCRM қадамына оралып, қайта қосылыңыз.</translation>
    </message>
    <message>
        <source>Нет связи с amoCRM: воронки не загрузились. Нажмите «Повторить».</source>
        <translation>amoCRM-мен байланыс жоқ: воронкалар жүктелмеді. «Қайталау» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Не удалось загрузить воронки amoCRM. Нажмите «Повторить».</source>
        <translation>amoCRM воронкаларын жүктеу мүмкін болмады. «Қайталау» түймесін басыңыз.</translation>
    </message>
    <message>
        <source>Настройка</source>
        <translation>Баптау</translation>
    </message>
    <message>
        <source>Далее</source>
        <translation>Келесі</translation>
    </message>
    <message>
        <source>Назад</source>
        <translation>Артқа</translation>
    </message>
    <message>
        <source>Отмена</source>
        <translation>Болдырмау</translation>
    </message>
    <message>
        <source>Не удалось сохранить настройки: %1</source>
        <translation>Баптауларды сақтау мүмкін болмады: %1</translation>
    </message>
    <message numerus="yes">
        <source>Будет создано сделок: %n</source>
        <translation>
            <numerusform>%n мәміле құрылады</numerusform>
            <numerusform>%n мәміле құрылады</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Не удастся передать заказов: %n</source>
        <translation>
            <numerusform>%n тапсырысты жіберу мүмкін болмайды</numerusform>
            <numerusform>%n тапсырысты жіберу мүмкін болмайды</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n товаров</source>
        <translation>
            <numerusform>%n тауар</numerusform>
            <numerusform>%n тауар</numerusform>
        </translation>
    </message>
</context>
</TS>
