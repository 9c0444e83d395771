"""Words in the reader's language: one catalogue per language (en.json, ru.json), and numbers,
dates and quarters written as that language writes them (Babel, CLDR)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOCALES = ("en", "ru")
_CATALOGUES = Path(__file__).parent
_SCRIPTS = {"ru": re.compile("[А-Яа-яЁё]"), "en": re.compile("[A-Za-z]")}

__all__ = ["ENGLISH", "LOCALES", "Message", "Words", "catalogue", "plural_form"]


@cache
def catalogue(locale: str) -> dict[str, str | dict[str, str]]:
    return json.loads((_CATALOGUES / f"{locale}.json").read_text(encoding="utf-8"))


@cache
def _babel(locale: str):
    from babel import Locale

    return Locale.parse(locale)


def plural_form(locale: str, count) -> str:
    """ "one", "few", "many" or "other": the form a number takes in a language."""
    try:
        return _babel(locale).plural_form(abs(int(count)))
    except (TypeError, ValueError):
        return "other"


@dataclass(frozen=True)
class Words:
    """The interface of one language: its strings, numbers and dates."""

    locale: str = "en"

    def __call__(self, key: str, **values) -> str:
        """The string for key; one that counts holds a form for each plural category of the
        language ("one", "few", "many", "other" in Russian), chosen by its n or total.
        Fractions among the values are written as the language writes them (7,1 in Russian)."""
        text = catalogue(self.locale).get(key) or catalogue("en").get(key, key)
        if isinstance(text, dict):
            count = values.get("n", values.get("total", 0))
            text = text.get(plural_form(self.locale, count)) or text["other"]
        if not values:
            return text
        shown = {k: self._shown(v) for k, v in values.items()}
        return text.format(**shown)

    def _shown(self, value):
        """A value as the language writes it: a fraction by Babel, a Message said (a reason
        within a reason: "line 3: not a JSON object")."""
        if isinstance(value, Message):
            return self.message(value)
        return self.number(value) if isinstance(value, float) else value

    def has(self, key: str) -> bool:
        return key in catalogue(self.locale)

    def number(self, value: float) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=_babel(self.locale))

    def date(self, iso: str | None) -> str:
        """An ISO date as the language writes it: "6 June 2023", "6 июня 2023"."""
        if not iso:
            return ""
        from babel.dates import format_date

        try:
            return format_date(dt.date.fromisoformat(iso[:10]), "d MMMM y", locale=self.locale)
        except ValueError:
            return iso

    def quarter(self, year: int, quarter: int) -> str:
        """A quarter: "Q3 2018", "3-й кв. 2018"."""
        from babel.dates import format_date

        return format_date(dt.date(year, 3 * quarter - 2, 1), "QQQ y", locale=self.locale)

    def month(self, year: int, month: int) -> str:
        """A month: "June 2023", "июнь 2023"."""
        from babel.dates import format_date

        return format_date(dt.date(year, month, 1), "LLLL y", locale=self.locale)

    def period(self, label: str) -> str:
        """A timeline's period ("2023-06" or "2023 Q2") as the language writes it."""
        year, _, part = label.replace(" Q", "-Q").partition("-")
        if part.startswith("Q"):
            return self.quarter(int(year), int(part[1:]))
        return self.month(int(year), int(part)) if part else year

    def name_among(self, names: list[str]) -> str:
        """The name a reader knows an organisation by: its first name when written in the
        reader's script, else the first other name in it that is more than an acronym
        ("Чжэцзянский университет", not "ЦПУ"), else any in it, else the first."""
        script = _SCRIPTS[self.locale]
        if script.search(names[0]):
            return names[0]
        written = [n for n in names if script.search(n)]
        return next((n for n in written if not n.isupper()), written[0] if written else names[0])

    def message(self, said: Message) -> str:
        return self(said.key, **said.values)


ENGLISH = Words("en")  # the words of logs, programs and the CLI


class Message:
    """What an error says, by catalogue key: English for logs and programs (str()), and in
    any language through Words.message()."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values

    def __str__(self) -> str:
        return ENGLISH(self.key, **self.values)
