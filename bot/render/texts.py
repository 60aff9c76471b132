"""Every string the Telegram user reads, in Hindi (``hi``) and English (``en``), and the commands.

Which language a user gets is `bot.render.language`'s rule; report text is never translated.
Strings are HTML templates: every value put into them must be escaped by the caller.

Over 300 lines because most of it is data: the string table, each message with its Hindi and
English side by side so that a translation is checked where it is written, and the command list
that /help, the command menu and the README test all read.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.render.language import DEFAULT_LANGUAGE

# Questions longer than this get a short "too long" reply instead of a search: a real question is
# a sentence or two, and a pasted article makes every report look relevant.
MAX_QUESTION_CHARS = 500


@dataclass(frozen=True, slots=True)
class Command:
    """A command as the menu and /help show it."""

    name: str
    hi: str
    en: str
    examples: tuple[str, ...] = ()


COMMANDS: tuple[Command, ...] = (
    Command("start", "शुरुआत और उदाहरण", "welcome and example questions"),
    Command("help", "सारे कमांड और उदाहरण", "every command, with examples"),
    Command(
        "ask",
        "सवाल पूछें",
        "ask a question",
        ("/ask अखिलेश यादव ने कोलकाता में किससे मुलाकात की?", "/ask akhilesh yadav ne kolkata me kisse mulakat ki"),
    ),
    Command("latest", "नई रिपोर्टें", "the newest reports"),
    Command("report", "पूरी रिपोर्ट पढ़ें", "read a whole report", ("/report 2",)),
    Command(
        "lang", "भाषा बदलें: हिंदी या English", "interface language: Hindi or English", ("/lang en", "/lang hi")
    ),
    Command(
        "meetings",
        "कौन किससे मिला",
        "who met whom",
        ("/meetings ममता बनर्जी", "/meetings akhilesh", "/meetings"),
    ),
    Command("about", "स्रोत और गिनती", "sources and counts"),
    Command(
        "subscribe",
        "नई रिपोर्टों की सदस्यता: सब, या किसी विषय की",
        "get new reports: all, or on a topic",
        ("/subscribe ममता बनर्जी", "/subscribe akhilesh", "/subscribe सहकारिता चुनाव -क्रिकेट"),
    ),
    Command(
        "unsubscribe",
        "सदस्यता हटाएँ: विषय या all",
        "stop a subscription: a topic, or all",
        ("/unsubscribe akhilesh", "/unsubscribe all"),
    ),
    Command("subscriptions", "आपकी सदस्यताएँ", "your subscriptions"),
)

# For the user ids in KHABRI_ADMINS only: not in the public menu, listed by /help for them.
ADMIN_COMMANDS: tuple[Command, ...] = (
    Command(
        "stats", "गिनती: रिपोर्टें, चैट, सवाल, आउटबॉक्स, फ़ीड", "counts: reports, chats, questions, outbox, feeds"
    ),
    Command(
        "feeds",
        "फ़ीड: सूची, जोड़ें, हटाएँ",
        "feeds: list, add, remove",
        ("/feeds", "/feeds add https://example.org/rss.xml", "/feeds remove 1"),
    ),
)

# The three examples offered by /start: Devanagari, romanised, and "who met whom".
EXAMPLES = (
    "शिवपाल यादव कोलकाता से क्यों लौटे?",
    "akhilesh yadav ne kolkata me kisse mulakat ki",
    "अखिलेश यादव ने किससे मुलाकात की?",
)

_TEXTS: dict[str, dict[str, str]] = {
    "meetings_heading": {"hi": "<b>कौन किससे मिला</b>", "en": "<b>Who met whom</b>"},
    "meetings_none": {
        "hi": "इस नाम की कोई मुलाकात मेरी रिपोर्टों में नहीं है। नाम दूसरी वर्तनी में लिखकर देखिए।",
        "en": "No meeting with that name in my reports. Try another spelling.",
    },
    "meetings_empty": {
        "hi": "मेरी रिपोर्टों में अभी कोई मुलाकात दर्ज नहीं है।",
        "en": "My reports record no meetings yet.",
    },
    "welcome": {
        "hi": (
            "<b>नमस्ते! मैं खबरी हूँ।</b> हिंदी खबरों के बारे में सवाल पूछिए — देवनागरी में या रोमन में।\n"
            "Hello! Ask me about Hindi news reports, in Devanagari or in Latin letters.\n\n"
            "मेरे पास {count} रिपोर्टें हैं{newest}।\n"
            "नीचे का कोई सवाल आज़माइए, या /help देखिए।"
        ),
        "en": (
            "<b>Hello! I am Khabri.</b> Ask me about Hindi news reports, in Devanagari or in Latin letters.\n"
            "नमस्ते! हिंदी खबरों के बारे में सवाल पूछिए।\n\n"
            "I know {count} reports{newest}.\n"
            "Try a question below, or see /help."
        ),
    },
    "newest": {"hi": ", सबसे नई {date} की", "en": ", the newest from {date}"},
    "help_intro": {
        "hi": (
            "<b>खबरी से सवाल पूछिए</b>\n"
            "सीधे सवाल लिखिए, देवनागरी या रोमन में:\n"
            "• अखिलेश यादव ने कोलकाता में किससे मुलाकात की?\n"
            "• akhilesh yadav ne kolkata me kisse mulakat ki\n"
            "समूह (group) में मुझे @{bot} लिखकर या मेरे संदेश का जवाब देकर पूछिए।\n"
            "किसी भी चैट में: @{bot} सवाल\n\n"
            "<b>कमांड</b>"
        ),
        "en": (
            "<b>Ask Khabri</b>\n"
            "Just write a question, in Devanagari or in Latin letters:\n"
            "• अखिलेश यादव ने कोलकाता में किससे मुलाकात की?\n"
            "• akhilesh yadav ne kolkata me kisse mulakat ki\n"
            "In a group, mention @{bot} or reply to my message.\n"
            "In any chat: @{bot} question\n\n"
            "<b>Commands</b>"
        ),
    },
    "help_limits": {
        "hi": "सवाल {limit} अक्षरों तक का हो; एक मिनट में {rate} सवाल तक।",
        "en": "Questions up to {limit} characters; up to {rate} questions a minute.",
    },
    "nothing_found": {
        "hi": (
            "कुछ नहीं मिला — इस सवाल का जवाब मेरी रिपोर्टों में नहीं है।\n"
            "सुझाव: नाम दूसरी वर्तनी में लिखकर देखिए, या /latest से नई रिपोर्टें देखिए।"
        ),
        "en": (
            "Nothing found — the reports I have do not answer this question.\n"
            "Hint: the reports are in Hindi, so asking in Hindi (in Devanagari or in Latin letters) finds "
            "more; try another spelling of the names, or see /latest for the newest reports."
        ),
    },
    "partial_answer": {
        "hi": "{missing} के बारे में कुछ नहीं मिला — पास की ये रिपोर्टें हैं, पर इनमें इसका जवाब नहीं है:",
        "en": "Nothing about {missing} — these reports are related, but they do not answer it:",
    },
    "missing_only": {
        "hi": (
            "{missing} के बारे में मेरी रिपोर्टों में कुछ नहीं मिला।\n"
            "सुझाव: नाम दूसरी वर्तनी में लिखकर देखिए, या /latest से नई रिपोर्टें देखिए।"
        ),
        "en": (
            "Nothing about {missing} in the reports I have.\n"
            "Hint: the reports are in Hindi, so asking in Hindi (in Devanagari or in Latin letters) finds "
            "more; or see /latest for the newest reports."
        ),
    },
    "no_more": {"hi": "और परिणाम नहीं हैं।", "en": "No more results."},
    "ask_usage": {
        "hi": "/ask के बाद सवाल लिखिए, जैसे:\n/ask अखिलेश यादव ने कोलकाता में किससे मुलाकात की?",
        "en": "Write the question after /ask, e.g.:\n/ask akhilesh yadav ne kolkata me kisse mulakat ki",
    },
    "no_words": {
        "hi": "सवाल शब्दों में लिखिए, जैसे: अखिलेश यादव ने किससे मुलाकात की?",
        "en": "Please write the question in words, e.g.: akhilesh yadav ne kisse mulakat ki",
    },
    "too_long": {
        "hi": "सवाल बहुत लंबा है ({length} अक्षर)। {limit} अक्षरों तक का छोटा सवाल लिखिए।",
        "en": "That question is too long ({length} characters). Please ask in at most {limit}.",
    },
    "slow_down": {
        "hi": "थोड़ा धीरे! एक मिनट में {rate} सवाल तक पूछ सकते हैं। कुछ सेकंड बाद फिर पूछिए।",
        "en": "Slow down, please: up to {rate} questions a minute. Ask again in a few seconds.",
    },
    "report_usage": {
        "hi": "रिपोर्ट का नंबर लिखिए, जैसे /report 2 — नंबर /latest में दिखते हैं।",
        "en": "Give a report number, e.g. /report 2 — /latest shows the numbers.",
    },
    "report_missing": {
        "hi": "रिपोर्ट {id} नहीं मिली। /latest से नई रिपोर्टें देखिए।",
        "en": "There is no report {id}. See /latest for the newest reports.",
    },
    "sub_admins_only": {
        "hi": "इस ग्रुप की सदस्यताएँ सिर्फ़ ग्रुप के एडमिन बदल सकते हैं।",
        "en": "Only the group's admins can change its subscriptions.",
    },
    "report_rest": {
        "hi": "बाकी रिपोर्ट स्रोत पर पढ़िए",
        "en": "the rest is at the source",
    },
    "report_cut": {
        "hi": "रिपोर्ट लंबी है; इतना ही भेजा गया",
        "en": "the report is long; this is as much as is sent",
    },
    "latest_title": {"hi": "<b>नई रिपोर्टें</b>", "en": "<b>Newest reports</b>"},
    "latest_empty": {"hi": "अभी कोई रिपोर्ट नहीं है।", "en": "There are no reports yet."},
    "latest_end": {"hi": "इसके आगे कोई रिपोर्ट नहीं।", "en": "No reports beyond these."},
    "stale_button": {
        "hi": "यह बटन पुराना है — सवाल फिर से पूछिए।",
        "en": "This button is from an older message — please ask again.",
    },
    "lang_prompt": {
        "hi": "भाषा चुनिए / Choose the interface language:",
        "en": "Choose the interface language / भाषा चुनिए:",
    },
    "lang_set": {
        "hi": "ठीक है, अब से हिंदी में। (/lang en — English)",
        "en": "OK, English from now on. (/lang hi — हिंदी)",
    },
    "about": {
        "hi": (
            "<b>खबरी के बारे में</b>\n"
            "रिपोर्टें: {count}\nअंश (passages): {passages}\nसबसे नई: {newest}\nस्रोत: {sources}\n"
            "जवाब रिपोर्टों के वाक्यों से ही आते हैं; हर जवाब में स्रोत का लिंक है।"
        ),
        "en": (
            "<b>About Khabri</b>\n"
            "Reports: {count}\nPassages: {passages}\nNewest: {newest}\nSources: {sources}\n"
            "Answers quote the reports' own sentences, each with a link to its source."
        ),
    },
    "unknown_command": {
        "hi": "यह कमांड मैं नहीं जानता। /help में सारे कमांड हैं।",
        "en": "I don't know that command. /help lists them all.",
    },
    "unknown": {"hi": "अज्ञात", "en": "unknown"},
    "admin_only": {
        "hi": "यह कमांड सिर्फ़ इस बॉट के संचालकों (KHABRI_ADMINS) के लिए है।",
        "en": "This command is for the operators of this bot (KHABRI_ADMINS) only.",
    },
    "admin_help": {"hi": "<b>संचालकों के लिए</b>", "en": "<b>For operators</b>"},
    "stats": {
        "hi": (
            "<b>खबरी: गिनती</b>\n"
            "रिपोर्टें: {reports} · अंश: {passages} · सबसे नई: {newest}\n"
            "चैट: {chats} · सदस्यताएँ: {subscriptions} · पिछले 24 घंटों में सवाल: {questions}\n"
            "आउटबॉक्स: {outbox}\n"
            "फ़ीड: {feeds_ok} ठीक, {feeds_failing} विफल"
        ),
        "en": (
            "<b>Khabri: counts</b>\n"
            "Reports: {reports} · passages: {passages} · newest: {newest}\n"
            "Chats: {chats} · subscriptions: {subscriptions} · questions in the last 24 hours: {questions}\n"
            "Outbox: {outbox}\n"
            "Feeds: {feeds_ok} healthy, {feeds_failing} failing"
        ),
    },
    "feeds_title": {"hi": "<b>फ़ीड</b>", "en": "<b>Feeds</b>"},
    "feeds_none": {
        "hi": "अभी कोई फ़ीड नहीं। जोड़ने के लिए: /feeds add URL",
        "en": "No feeds yet. Add one with /feeds add URL",
    },
    "feeds_usage": {
        "hi": "ऐसे लिखिए: /feeds · /feeds add https://… (RSS या Atom) · /feeds remove ID",
        "en": "Use: /feeds · /feeds add https://… (RSS or Atom) · /feeds remove ID",
    },
    "feed_ok": {"hi": "ठीक", "en": "healthy"},
    "feed_failing": {"hi": "विफल ({failures} बार): {error}", "en": "failing ({failures} times): {error}"},
    "never": {"hi": "अभी नहीं पढ़ा", "en": "never polled"},
    "feed_added": {"hi": "फ़ीड {id} जोड़ी: {url}", "en": "Added feed {id}: {url}"},
    "feed_exists": {"hi": "फ़ीड {id} पहले से है: {url}", "en": "Feed {id} is already there: {url}"},
    "feed_removed": {"hi": "फ़ीड {feed} हटा दी।", "en": "Removed feed {feed}."},
    "feed_missing": {"hi": "फ़ीड {feed} नहीं मिली; /feeds देखिए।", "en": "No feed {feed}; see /feeds."},
    "more": {"hi": "और परिणाम", "en": "More results"},
    "full_report": {"hi": "पूरी रिपोर्ट", "en": "Full report"},
    "previous": {"hi": "◀ पिछली", "en": "◀ Newer"},
    "next": {"hi": "अगली ▶", "en": "Older ▶"},
    "source": {"hi": "स्रोत", "en": "Source"},
    "inline_nothing_title": {"hi": "कुछ नहीं मिला", "en": "Nothing found"},
    "inline_nothing_description": {
        "hi": "नाम दूसरी वर्तनी में लिखकर देखिए",
        "en": "Try another spelling of the names",
    },
    "inline_hint_title": {"hi": "सवाल लिखिए", "en": "Type a question"},
    "inline_hint_description": {
        "hi": "जैसे: अखिलेश यादव ने किससे मुलाकात की?",
        "en": "e.g. akhilesh yadav ne kisse mulakat ki",
    },
    "sub_added": {
        "hi": "✅ सदस्यता जुड़ गई: <b>{topic}</b>\nजिस नई रिपोर्ट में यह विषय होगा, वह मैं यहाँ भेजूँगा{without}।",
        "en": "✅ Subscribed: <b>{topic}</b>\nI will send every new report about it here{without}.",
    },
    "sub_added_all": {
        "hi": "✅ सदस्यता जुड़ गई: हर नई रिपोर्ट यहाँ आएगी।",
        "en": "✅ Subscribed: every new report will be sent here.",
    },
    "sub_without": {"hi": " (जिनमें {words} हो, वे नहीं)", "en": " (except those mentioning {words})"},
    "sub_exists": {
        "hi": "आपकी यह सदस्यता पहले से है: <b>{topic}</b>",
        "en": "You are already subscribed to <b>{topic}</b>.",
    },
    "sub_exists_all": {
        "hi": "आपको हर नई रिपोर्ट पहले से मिल रही है।",
        "en": "You already get every new report.",
    },
    "sub_cap": {
        "hi": "एक चैट में {cap} सदस्यताएँ हो सकती हैं। नई जोड़ने से पहले /subscriptions से कोई हटाइए।",
        "en": "A chat can have {cap} subscriptions. Remove one with /subscriptions before adding another.",
    },
    "sub_usage": {
        "hi": (
            "विषय शब्दों में लिखिए, {limit} अक्षरों तक, जैसे:\n/subscribe ममता बनर्जी\n/subscribe akhilesh\n"
            "/subscribe सहकारिता चुनाव -क्रिकेट (-शब्द वाली रिपोर्टें नहीं)\n/subscribe — हर नई रिपोर्ट"
        ),
        "en": (
            "Write the topic in words, up to {limit} characters, e.g.:\n/subscribe akhilesh\n"
            "/subscribe ममता बनर्जी\n/subscribe सहकारिता चुनाव -क्रिकेट (-word excludes)\n"
            "/subscribe — every new report"
        ),
    },
    "sub_removed": {"hi": "सदस्यता हटा दी: <b>{topic}</b>", "en": "Unsubscribed: <b>{topic}</b>"},
    "sub_removed_all": {
        "hi": "सारी सदस्यताएँ हटा दीं ({count})।",
        "en": "All subscriptions removed ({count}).",
    },
    "sub_not_found": {
        "hi": "<b>{topic}</b> की कोई सदस्यता नहीं है। /subscriptions देखिए।",
        "en": "There is no subscription to <b>{topic}</b>. See /subscriptions.",
    },
    "sub_none": {
        "hi": "अभी कोई सदस्यता नहीं है। /subscribe विषय — जैसे /subscribe ममता बनर्जी",
        "en": "No subscriptions yet. /subscribe TOPIC — e.g. /subscribe akhilesh",
    },
    "sub_list": {
        "hi": "<b>आपकी सदस्यताएँ</b> (हटाने के लिए बटन दबाइए):",
        "en": "<b>Your subscriptions</b> (press a button to remove one):",
    },
    "sub_everything": {"hi": "हर नई रिपोर्ट", "en": "every new report"},
    "sub_because": {"hi": "🔔 सदस्यता: {topic}", "en": "🔔 Subscription: {topic}"},
    "sub_because_all": {"hi": "🔔 सदस्यता: हर नई रिपोर्ट", "en": "🔔 Subscription: every new report"},
    "sub_stop": {"hi": "🔕 सदस्यता हटाएँ", "en": "🔕 Unsubscribe"},
    "sub_button": {"hi": "🔔 सदस्यता", "en": "🔔 Subscribe"},
    "sub_gone": {"hi": "यह सदस्यता पहले ही हट चुकी है।", "en": "That subscription is already gone."},
}

# What the error handler says, always in Hindi with one English line: it may not know the user's choice.
ERROR = (
    "माफ़ कीजिए, कुछ गड़बड़ हो गई। थोड़ी देर बाद फिर कोशिश कीजिए।\nSorry, something went wrong; please try again."
)


def text(key: str, lang: str, **values: object) -> str:
    """The string ``key`` in ``lang`` (falling back to Hindi), with ``values`` filled in.

    Raises:
        KeyError: there is no string ``key``.
    """
    choices = _TEXTS[key]
    template = choices.get(lang, choices[DEFAULT_LANGUAGE])
    return template.format(**values) if values else template


def command_description(command: Command, lang: str) -> str:
    """The command's one-line description in ``lang``."""
    return command.en if lang == "en" else command.hi
