"""Questions in the six official languages: identified, and found by meaning in the English report."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import SYMBOL
from workshop_qa.index.e5 import E5Model
from workshop_qa.retriever.language import REPORT_IN_ENGLISH, Language, identify
from workshop_qa.retriever.other_languages import countries_named, number_of, units_in_english


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


@pytest.mark.parametrize(("text", "english"), [
    ("¿Qué recoge el párrafo 7?", "paragraph 7"),
    ("Résumez le paragraphe 21", "paragraph 21"),
    ("О чём пункт 9?", "paragraph 9"),
    ("Что в девятнадцатом пункте?", "paragraph 19"),
    ("اقرأ لي الفقرة 18", "paragraph 18"),
    ("ما مضمون الفقرة السابعة؟", "paragraph 7"),
    ("第二十段讲什么?", "paragraph 20"),
    ("Qui a pris la parole à la sixième séance ?", "6th meeting"),
    ("¿Qué delegaciones hablaron en la 6.ª sesión?", "6th meeting"),
    ("Кто выступал на четвёртом заседании?", "4th meeting"),
    ("من تحدث في الجلسة الرابعة؟", "4th meeting"),
    ("第6次会议有谁发言?", "6th meeting"),
    ("Sur quoi portait la deuxième table ronde ?", "second panel"),
    ("¿De qué trató la cuarta mesa redonda?", "fourth panel"),
    ("Что обсуждала третья секция?", "third panel"),
    ("ماذا ناقشت حلقة النقاش الرابعة؟", "fourth panel"),
    ("第三个小组讨论了什么?", "third panel"),
])
def test_the_report_s_units_named_in_another_language_read_as_english_references(text, english):
    assert english in units_in_english(text)


@pytest.mark.parametrize("text", ["la sesión de la mañana", "преступных групп", "ce paragraphe-là",
                                  "哪个小组讨论了文物?"])
def test_a_unit_without_a_number_is_left_as_written(text):
    assert units_in_english(text) == text


@pytest.mark.parametrize(("word", "language", "number"), [
    ("douzième", Language.FRENCH, 12), ("tercera", Language.SPANISH, 3), ("пятого", Language.RUSSIAN, 5),
    ("الثالثة", Language.ARABIC, 3), ("十二", Language.CHINESE, 12), ("5-м", Language.RUSSIAN, 5),
    ("cuál", Language.SPANISH, None), ("которой", Language.RUSSIAN, None),
])
def test_numbers_in_words_are_read_in_each_language(word, language, number):
    assert number_of(word, language) == number


@pytest.mark.parametrize(("text", "language", "countries"), [
    ("L'Algérie et l'Égypte ont-elles parlé ?", Language.FRENCH, {"Algeria", "Egypt"}),
    ("¿Intervino Japón?", Language.SPANISH, {"Japan"}),
    ("Что говорили представители Японии и Пакистана?", Language.RUSSIAN, {"Japan", "Pakistan"}),
    ("Выступала ли Нигерия?", Language.RUSSIAN, {"Nigeria"}),
    ("هل تحدثت الهند؟", Language.ARABIC, {"India"}),
    ("印度尼西亚和苏丹发言了吗?", Language.CHINESE, {"Indonesia", "Sudan"}),
])
def test_countries_named_in_another_language_are_known_by_their_english_names(text, language, countries):
    assert set(countries_named(text, language)) == countries


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


@pytest.mark.parametrize(("language", "question", "english"), [
    (Language.CHINESE, "博物馆应该如何保护藏品免遭盗窃？",
     "How should museums protect their collections from theft?"),
    (Language.RUSSIAN, "Какие страны выступали против нового договора?",
     "Which countries spoke against a new treaty?"),
    (Language.ARABIC, "ما هو دور الجمارك في مكافحة التهريب؟",
     "What is the role of customs in fighting smuggling?"),
])
def test_a_question_centred_on_english_is_nearer_its_english_translation(retriever, language, question,
                                                                         english):
    vectors = retriever._multilingual
    assert vectors.index.manifest["second_vectors"]["languages"][0] == Language.ENGLISH
    asked, translated = vectors.embed([question, english])
    centred = vectors.centred(asked, language.value, retriever.config.language_centring)
    assert np.isclose(np.linalg.norm(centred), 1, atol=1e-5)
    assert float(centred @ translated) > float(asked @ translated) + 0.005
    assert np.array_equal(vectors.centred(translated, Language.ENGLISH.value, 0.25), translated)


@pytest.mark.index
def test_the_shipped_language_means_are_those_the_installed_model_gives():
    from workshop_qa.index.e5 import UN_LANGUAGES, _computed_means, language_means

    shipped = language_means(UN_LANGUAGES)
    assert shipped.shape == (len(UN_LANGUAGES), 384)
    assert np.allclose(shipped, _computed_means(UN_LANGUAGES), atol=1e-5)


def test_an_off_topic_question_in_another_language_is_refused(assistant):
    answer = assistant.answer("¿Cuál es la mejor receta de paella valenciana con mariscos?")
    assert answer.kind == "refusal" and answer.note == REPORT_IN_ENGLISH[Language.SPANISH]


def test_an_english_question_keeps_the_english_search(assistant):
    answer = assistant.answer("Who asked States to stop the illicit trade in Iraqi and Syrian cultural "
                              "objects?")
    assert answer.citations[0] == f"{SYMBOL}#16" and answer.note == ""


@pytest.mark.parametrize(("question", "paragraph"), [
    ("¿Qué recoge el párrafo 7?", 7),
    ("Что обсуждала третья секция?", 13),
    ("第6次会议有哪些国家发言?", 6),
    ("Les Pays-Bas ont-ils pris la parole ?", 6),
])
def test_a_unit_or_a_country_named_in_another_language_finds_its_paragraph(assistant, question, paragraph):
    answer = assistant.answer(question)
    assert answer.kind == "extractive" and answer.citations[0] == f"{SYMBOL}#{paragraph}"


def test_a_question_in_another_language_asking_a_number_the_report_lacks_is_answered_in_part(assistant):
    answer = assistant.answer("¿Cuántos objetos robados se recuperaron en Libia?")
    assert answer.kind in ("partial", "refusal")
    assert answer.kind == "refusal" or answer.text.startswith("The report does not give the number")


@pytest.mark.parametrize("question", ["¿Qué propuso Argelia en la sexta sesión?",
                                      "Какую позицию заняла Япония на пятом заседании?"])
def test_what_a_delegation_only_listed_said_is_not_claimed_in_another_language(assistant, question):
    answer = assistant.answer(question)
    assert answer.kind == "partial" and "does not report what they said" in answer.text


AFTER = "records the workshop, not what happened"


@pytest.mark.parametrize(("question", "missing"), [
    ("Что стало с проектом Всемирного банка после семинара?", AFTER),
    ("¿Se ha creado el sistema de alerta temprana desde el taller?", AFTER),
    ("会议结束后中国加入了哪些公约?", AFTER),
    ("¿Cuándo se reunirá de nuevo el grupo de expertos sobre ciberdelincuencia?", "does not give the date"),
    ("متى سيبدأ المشروع التجريبي للبنك الدولي؟", "does not give the date"),
])
def test_what_came_after_or_a_date_the_report_lacks_is_answered_in_part_in_another_language(
        assistant, question, missing):
    answer = assistant.answer(question)  # refused when nothing comes close enough, never claimed
    assert answer.kind == "refusal" or (answer.kind == "partial"
                                        and answer.text.startswith(f"The report {missing}"))
