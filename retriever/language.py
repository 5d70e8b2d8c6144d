"""Which of the six official languages of the United Nations a question is written in.

Lingua (a maintained identifier that ships its models) is restricted to Arabic, Chinese, English,
French, Russian and Spanish, in its low-accuracy mode, which loads in about 30 ms (py3langid took
0.6 s, the high-accuracy mode 0.75 s: a cold question must not pay that). Text it cannot tell with
confidence, such as "para 12" or a name, counts as English: the report's language, and the one
whose typo correction, stemming and word rules apply.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache


class Language(StrEnum):
    """The official languages of the United Nations, by ISO 639-1 code."""

    ARABIC = "ar"
    CHINESE = "zh"
    ENGLISH = "en"
    FRENCH = "fr"
    RUSSIAN = "ru"
    SPANISH = "es"


MIN_CONFIDENCE = 0.95
"""The identifier's confidence below which a text counts as English: on the dev questions and
conversation turns (1,211), the lowest at which no English one was read as another language
(0.8: 4, 0.9: 1) and every other one was still identified."""


@cache
def _identifier():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, language.value.upper()) for language in Language]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def identify(text: str) -> Language:
    """The language ``text`` is written in; English when it is not clearly another."""
    values = _identifier().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return Language.ENGLISH
    return Language(values[0].language.iso_code_639_1.name.lower())


REPORT_IN_ENGLISH = {
    Language.ARABIC: "التقرير باللغة الإنكليزية؛ الاقتباسات منه بالإنكليزية.",
    Language.CHINESE: "报告为英文，引文均为英文原文。",
    Language.FRENCH: "Le rapport est en anglais ; citations en anglais.",
    Language.RUSSIAN: "Доклад составлен на английском языке; цитаты приводятся на английском.",
    Language.SPANISH: "El informe está en inglés; las citas se dan en inglés.",
}
"""One line, in the question's language, saying that the answer quotes the English report."""
