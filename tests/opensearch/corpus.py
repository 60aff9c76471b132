"""Made-up Hindi reports for the search tests: one report per (city, group), so each question that
names both has exactly one right report."""

from __future__ import annotations

import random

from bot.archive.report_files import ReportRecord

CITIES = ["नासिक", "पुणे", "लखनऊ", "पटना", "भोपाल", "जयपुर", "इंदौर", "कानपुर", "आगरा", "मेरठ"]
ROMAN_CITIES = ["nasik", "pune", "lucknow", "patna", "bhopal", "jaipur", "indore", "kanpur", "agra", "meerut"]
GROUPS = ["किसानों", "शिक्षकों", "डॉक्टरों", "मजदूरों", "छात्रों", "व्यापारियों"]
ACTIONS = ["धरना दिया", "रैली निकाली", "हड़ताल की", "ज्ञापन सौंपा", "बैठक की"]
DEMANDS = ["वेतन", "बिजली", "पानी", "सड़क", "अस्पताल", "स्कूल", "बीज", "खाद"]


def report(city: int, group: int, *, salt: int = 0) -> ReportRecord:
    """The one report about ``GROUPS[group]`` in ``CITIES[city]``."""
    rng = random.Random(city * 100 + group + salt * 10_000)
    action, demand = rng.choice(ACTIONS), rng.choice(DEMANDS)
    days = rng.randint(2, 30)
    title = f"{CITIES[city]} में {GROUPS[group]} का प्रदर्शन"
    body = (
        f"{CITIES[city]} में {GROUPS[group]} ने {action}। उन्होंने {demand} की मांग की। "
        f"प्रशासन ने {days} दिन में जवाब देने का वादा किया। "
        f"स्थानीय नेताओं ने कहा कि {GROUPS[group]} की बात सुनी जाएगी।"
    )
    if salt:  # a later report on the same pair: never the same text as another
        body += f" यह इस विषय की {salt}वीं रिपोर्ट है।"
    origin = f"https://news.example/{city}-{group}" + (f"-{salt}" if salt else "")
    return ReportRecord(origin=origin, title=title, body=body, where=origin, published="2024-03-01")


def reports() -> list[ReportRecord]:
    """Every (city, group) report, 60 in all."""
    return [report(c, g) for c in range(len(CITIES)) for g in range(len(GROUPS))]


def demand_of(city: int, group: int) -> str:
    """The demand the (city, group) report names."""
    body = report(city, group).body
    return next(d for d in DEMANDS if f"{d} की मांग" in body)


def questions() -> list[tuple[str, str]]:
    """(question, origin of the one right report): Devanagari and romanized."""
    asked = []
    for c in range(len(CITIES)):
        for g in range(0, len(GROUPS), 2):
            asked.append((f"{CITIES[c]} में {GROUPS[g]} ने क्या मांग की", report(c, g).origin))
        asked.append((f"{ROMAN_CITIES[c]} ke kisan", report(c, 0).origin))
    return asked
