"""Which of the six official languages of the United Nations a question is written in.

py3langid (a maintained naive Bayes identifier that ships its model) is restricted to Arabic,
Chinese, English, French, Russian and Spanish. Text it cannot tell with confidence, such as
"para 12" or a name, counts as English: the report's language, and the one whose typo
correction, stemming and word rules apply.
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


MIN_CONFIDENCE = 0.8
"""The identifier's probability below which a text counts as English."""


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([language.value for language in Language])
    return identifier


def identify(text: str) -> Language:
    """The language ``text`` is written in; English when it is not clearly another."""
    code, probability = _identifier().classify(text)
    return Language(code) if probability >= MIN_CONFIDENCE else Language.ENGLISH


REPORT_IN_ENGLISH = {
    Language.ARABIC: "التقرير باللغة الإنكليزية؛ الاقتباسات منه بالإنكليزية.",
    Language.CHINESE: "报告为英文，引文均为英文原文。",
    Language.FRENCH: "Le rapport est en anglais ; citations en anglais.",
    Language.RUSSIAN: "Доклад составлен на английском языке; цитаты приводятся на английском.",
    Language.SPANISH: "El informe está en inglés; las citas se dan en inglés.",
}
"""One line, in the question's language, saying that the answer quotes the English report."""
