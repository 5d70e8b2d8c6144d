"""Questions in the six official languages: identified, and found by meaning in the English report."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import SYMBOL
from workshop_qa.index.e5 import E5Model
from workshop_qa.retriever.language import REPORT_IN_ENGLISH, Language, identify


@pytest.mark.parametrize(("text", "language"), [
    ("What did the delegates think of a new convention?", Language.ENGLISH),
    ("¿Qué opinaron los delegados sobre una nueva convención?", Language.SPANISH),
    ("Qu'ont pensé les délégués d'une nouvelle convention ?", Language.FRENCH),
    ("Что думали делегаты о новой конвенции?", Language.RUSSIAN),
    ("ما رأي المندوبين في اتفاقية جديدة؟", Language.ARABIC),
    ("代表们对新公约有何看法？", Language.CHINESE),
    ("para 12", Language.ENGLISH),
    ("UNESCO?", Language.ENGLISH),
])
def test_a_question_s_language_is_identified_and_unclear_text_counts_as_english(text, language):
    assert identify(text) == language


def test_every_other_language_says_the_quotes_are_english():
    assert set(REPORT_IN_ENGLISH) == set(Language) - {Language.ENGLISH}


def test_the_multilingual_model_matches_a_question_to_its_translation_not_to_another_topic():
    model = E5Model()
    passages = model.encode(["The workshop discussed the illicit trafficking of cultural property.",
                             "Several speakers called for a new treaty on cybercrime."])
    assert passages.shape == (2, 384) and np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-3)
    for question in ("¿Se habló del tráfico de bienes culturales?", "文化财产的贩运问题讨论了吗？"):
        assert int(np.argmax(passages @ model.query([question])[0])) == 0
    for question in ("Хотели ли выступающие новый договор о киберпреступности?",
                     "هل طالب المتحدثون بمعاهدة جديدة بشأن الجريمة الإلكترونية؟"):
        assert int(np.argmax(passages @ model.query([question])[0])) == 1


@pytest.fixture(scope="module")
def assistant(retriever):
    from workshop_qa.app.answer import Assistant
    from workshop_qa.app.settings import Settings

    return Assistant(retriever, Settings())


@pytest.mark.parametrize(("question", "paragraph", "language"), [
    ("¿Quién presidió las reuniones quinta y sexta?", 3, Language.SPANISH),
    ("Какой проект Всемирного банка был представлен для борьбы с киберпреступностью?", 17,
     Language.RUSSIAN),
    ("世界银行介绍了什么打击网络犯罪的项目？", 17, Language.CHINESE),
    ("ما هو مشروع البنك الدولي لمكافحة الجريمة السيبرانية؟", 17, Language.ARABIC),
])
def test_a_question_in_another_language_is_answered_from_its_english_paragraph(
        assistant, question, paragraph, language):
    answer = assistant.answer(question)
    assert answer.kind == "extractive" and answer.citations[0] == f"{SYMBOL}#{paragraph}"
    assert answer.note == REPORT_IN_ENGLISH[language]
    assert all(q.text in q.passage.text for q in answer.quotes)  # English quotes, verbatim


def test_an_off_topic_question_in_another_language_is_refused(assistant):
    answer = assistant.answer("¿Cuál es la mejor receta de paella valenciana con mariscos?")
    assert answer.kind == "refusal" and answer.note == REPORT_IN_ENGLISH[Language.SPANISH]


def test_an_english_question_keeps_the_english_search(assistant):
    answer = assistant.answer("Who asked States to stop the illicit trade in Iraqi and Syrian cultural "
                              "objects?")
    assert answer.citations[0] == f"{SYMBOL}#16" and answer.note == ""
