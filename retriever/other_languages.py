"""What a question in another official language names in the report's English: the report's
numbered units ("párrafo 12", "пятом заседании", "第四个小组"), its conclusions and the countries
("Pays-Bas", "Argelia").

The units are rewritten as the English references read them ("paragraph 12", "5th meeting",
"4th panel"), so that a lookup or a question about a meeting works in any of the six languages.
Numbers in words are read by text2num (French, Spanish), by Unicode's numeric values (Chinese)
and by the ordinals below (Russian, Arabic, which text2num does not read). Country names come
from the Unicode CLDR (Babel) and ISO 3166's translations (pycountry), matched on Snowball stems
(PyStemmer), so that an inflected name ("Нидерландов") is found too.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from enum import StrEnum
from functools import cache

from text_to_num import alpha2digit

from workshop_qa.index.parse import ORDINALS
from workshop_qa.retriever.language import Language
from workshop_qa.retriever.references import ordinal_suffix
from workshop_qa.retriever.rules import Rule, rule


class Unit(StrEnum):
    """The report's numbered units that a question may name."""

    PARAGRAPH = "paragraph"
    MEETING = "meeting"
    PANEL = "panel"


_NAMES: dict[Unit, dict[Language, str]] = {
    Unit.PARAGRAPH: {
        Language.FRENCH: r"paragraphes?", Language.SPANISH: r"p[áa]rrafos?",
        Language.RUSSIAN: r"(?:пункт|параграф|абзац)\w*", Language.ARABIC: r"(?:ال)?فقر(?:ة|ات)",
        Language.CHINESE: r"段落?",
    },
    Unit.MEETING: {
        Language.FRENCH: r"séances?|réunions?", Language.SPANISH: r"sesi[óo]n(?:es)?|reuni[óo]n(?:es)?",
        Language.RUSSIAN: r"заседани\w*", Language.ARABIC: r"(?:ال)?جلس(?:ة|ات)|(?:ال)?اجتماع",
        Language.CHINESE: r"会议",
    },
    Unit.PANEL: {
        Language.FRENCH: r"tables?[- ]rondes?|panels?|réunions?-débats?|groupes? de discussion",
        Language.SPANISH: r"mesas? redondas?|panel(?:es)?",
        Language.RUSSIAN: r"(?:секци|групп|дискусси|панел)\w*|кругл\w+ стол\w*",
        Language.ARABIC: r"(?:ال)?حلق(?:ة|ات) (?:ال)?نقاش|(?:ال)?جلس(?:ة|ات) (?:ال)?نقاش|(?:ال)?فريق",
        Language.CHINESE: r"小组|专题(?:讨论)?",
    },
}

# A number in digits with the ordinal ending of its language ("5e", "5.ª", "5-м"), or one word.
_NUMBER = r"\d{1,3}(?:\.?[^\W\d_]{1,4}|-[^\W\d_]{1,3}|[ªº])?|[^\W\d_]+(?: عشرة?)?"
_CHINESE_NUMBER = r"\d{1,3}|[〇零一二三四五六七八九十百]+"


def _unit_rule(unit: Unit, language: Language, examples: tuple[str, ...],
               counterexamples: tuple[str, ...] = ()) -> Rule:
    names = _NAMES[unit][language]
    if language == Language.CHINESE:
        pattern = rf"第\s*(?P<before>{_CHINESE_NUMBER})\s*[个次场]?\s*(?:{names})"
    else:
        pattern = (rf"(?<!\w)(?:(?P<before>{_NUMBER})\s+)?(?:{names})"
                   rf"(?:\s+(?:n[°º.]\s*)?(?P<after>{_NUMBER}))?(?!\w)")
    return rule(f"{unit} in {language.name.lower()}", f"a {unit} of the report named by its number "
                f"in {language.name.title()}", pattern, examples, counterexamples)


# Each unit in each language, with examples of its own that its rule must match (and must not).
_UNIT_EXAMPLES: dict[tuple[Unit, Language], tuple[tuple[str, ...], tuple[str, ...]]] = {
    (Unit.PARAGRAPH, Language.FRENCH):
        (("Que dit le paragraphe 14 ?", "au paragraphe 3, qui préside ?"), ()),
    (Unit.PARAGRAPH, Language.SPANISH): (("¿Qué dice el párrafo 12?", "en el parrafo 9"), ()),
    (Unit.PARAGRAPH, Language.RUSSIAN):
        (("Что сказано в пункте 10?", "о чём говорится в восьмом пункте?"), ()),
    (Unit.PARAGRAPH, Language.ARABIC): (("ماذا تقول الفقرة 12؟", "ما الذي ورد في الفقرة الثامنة؟"), ()),
    (Unit.PARAGRAPH, Language.CHINESE): (("第12段说了什么?", "第八段提到了谁?"), ("这一段说了什么?",)),
    (Unit.MEETING, Language.FRENCH): (("Qui a présidé la 5e séance ?", "lors de la quatrième séance"), ()),
    (Unit.MEETING, Language.SPANISH): (("¿Quién presidió la quinta sesión?", "en la 4.ª sesión"), ()),
    (Unit.MEETING, Language.RUSSIAN): (("Кто выступал на 4-м заседании?", "на шестом заседании"), ()),
    (Unit.MEETING, Language.ARABIC): (("من ترأس الجلسة الخامسة؟", "في الجلسة 6"), ()),
    (Unit.MEETING, Language.CHINESE):
        (("谁主持了第五次会议?", "第6次会议上有哪些国家发言?"), ("会议在哪里举行?",)),
    (Unit.PANEL, Language.FRENCH): (("De quoi parlait la troisième table ronde ?", "le 2e panel"), ()),
    (Unit.PANEL, Language.SPANISH): (("¿Qué se dijo en la segunda mesa redonda?", "el tercer panel"), ()),
    (Unit.PANEL, Language.RUSSIAN):
        (("О чём говорили в третьей секции?", "на второй дискуссионной группе", "в 4-й группе"), ()),
    (Unit.PANEL, Language.ARABIC): (("ماذا نوقش في حلقة النقاش الثالثة؟", "الفريق الثاني"), ()),
    (Unit.PANEL, Language.CHINESE): (("第四个小组讲了什么?", "第二小组"), ()),
}
UNIT_RULES: dict[tuple[Unit, Language], Rule] = {
    (unit, language): _unit_rule(unit, language, examples, counterexamples)
    for (unit, language), (examples, counterexamples) in _UNIT_EXAMPLES.items()}

NAMES_CONCLUSIONS = rule(
    "conclusions in another language",
    "the question names the report's conclusions, in French, Spanish, Russian, Arabic or Chinese",
    r"(?<!\w)(?:(?:les|des|aux|ces)\s+conclusions|conclusiones|вывод(?:ы|ах|ов|ам)|(?:ال)?استنتاجات|"
    r"(?:ال)?خلاصات)(?!\w)|结论",
    ("Que disent les conclusions ?", "según las conclusiones", "в выводах семинара",
     "ما الذي ورد في الاستنتاجات؟", "结论中提到了什么?"),
    ("Quelle conclusion en tirer ?", "вывод серверов из строя", "What are the conclusions?"))

ASKS_QUANTITY = rule(
    "asks a quantity in another language",
    "the question asks how many or how much, in French, Spanish, Russian, Arabic or Chinese",
    r"(?<!\w)(?:combien|cu[áa]nt[oa]s?|сколько|كم)(?!\w)|多少|(?<!哪)几(?:个|位|名|次|项|家|年|种)",
    ("Combien de pays ont ratifié la convention ?", "¿Cuántas víctimas hubo?",
     "Сколько стоил проект?", "كم عدد الدول؟", "损失有多少?", "有几个国家发言?"),
    ("几乎所有国家都同意吗?", "墨西哥在哪几次会议上发言?", "¿Cuándo se celebró?",
     "Comment les pays coopèrent-ils ?"))

COUNTS_PARTICIPANTS = rule(
    "counts participants in another language",
    "the question, in French, Spanish, Russian, Arabic or Chinese, is about the workshop's people or "
    "sittings (panellists, speakers, delegations, experts, meetings), which the report counts",
    r"(?<!\w)(?:pan[ée]listes?|intervenants?|orateurs?|délégations?|experts?|séances?|"
    r"panelistas?|ponentes?|oradores?|delegaciones?|expertos?|sesiones?|"
    r"докладчик\w*|выступа\w*|делегаци\w*|эксперт\w*|участник\w*|заседани\w*|"
    r"(?:ال)?(?:محاضر|متحدث|مشارك)\w*|(?:ال)?وفود|(?:ال)?خبراء|(?:ال)?جلسات)(?!\w)|"
    r"发言人|发言者|专家|代表团|嘉宾|小组成员|演讲者",
    ("Combien de panélistes ont parlé ?", "¿Cuántos ponentes hubo?", "Сколько было докладчиков?",
     "كم عدد المحاضرين؟", "有几位发言人?"),
    ("Combien d'objets ont été volés ?", "¿Cuántos dólares costó?", "Сколько стран ратифицировали?"))

ASKS_WHAT_WAS_SAID = rule(
    "asks what was said in another language",
    "the question, in French, Spanish, Russian, Arabic or Chinese, asks what someone said, proposed "
    "or called for, or their position (not whether or when they spoke)",
    r"(?<!\w)(?:dit|déclaré|proposé|défendu|plaidé|demandé|suggéré|souligné|position|avis|"
    r"dijo|declaró|propuso|planteó|defendió|pidió|sugirió|subrayó|posición|postura|opinión|"
    r"сказал\w*|заявил\w*|предложил\w*|позици\w*|мнени\w*|призвал\w*|подчеркнул\w*|"
    r"قال|قالت|موقف|اقترح|اقترحت|طالب|طالبت|دعا|دعت|أكد|أكدت|رأي)(?!\w)|说了|说过|立场|主张|观点|建议",
    ("Qu'a dit l'Algérie ?", "¿Qué propuso Turquía?", "Какую позицию заняла Индия?",
     "ما موقف مصر؟", "日本的立场是什么?"),
    ("La Suisse a-t-elle pris la parole ?", "¿Intervino Japón en la sesión?", "Выступала ли Индия?",
     "هل تحدثت مصر؟", "日本在哪几次会议上发言?"))

ASKS_AFTER = rule(
    "asks what happened after in another language",
    "the question, in French, Spanish, Russian, Arabic or Chinese, asks what has happened since the "
    "workshop or by now, which a report of its meetings does not record",
    r"(?<!\w)(?:depuis\s+(?:l'atelier|le congr[èe]s|lors|cette date)|apr[èe]s\s+(?:l'atelier|le congr[èe]s)|"
    r"[àa] ce jour|jusqu'[àa] pr[ée]sent|"
    r"desde (?:entonces|el taller|el congreso)|despu[ée]s del (?:taller|congreso)|hasta (?:ahora|la fecha)|"
    r"posteriormente|"
    r"после\s+(?:семинар|конгресс)\w*|с тех пор|до сих пор|на сегодняшний день|к настоящему времени|"
    r"впоследствии|بعد\s+(?:ال)?(?:ورشة|مؤتمر)\w*|منذ ذلك|حتى الآن|لاحقا)(?!\w)|"
    r"(?:研讨会|讲习班|会议|大会)(?:结束)?(?:之后|以后|后)|至今|迄今|此后|后来",
    ("Qu'est-il advenu du projet depuis l'atelier ?", "¿Se ha creado el registro hasta ahora?",
     "Что произошло после семинара?", "هل صادقت مصر حتى الآن؟", "研讨会结束后有什么决定?"),
    ("Qu'a dit la France lors de la séance ?", "¿Qué se dijo en el taller?", "Что сказали на семинаре?",
     "ماذا قيل في الورشة؟", "研讨会上讨论了什么?"))

ASKS_WHEN = rule(
    "asks when in another language",
    "the question, in French, Spanish, Russian, Arabic or Chinese, asks when: a date or a year",
    r"^\W*(?:et\s+)?quand\b|(?<!\w)(?:depuis quand|[àa] quelle date|en quelle ann[ée]e|cu[áa]ndo|"
    r"en qu[ée] (?:fecha|a[ñn]o)|в каком году|какого числа|متى|في أي (?:عام|سنة|تاريخ))(?!\w)|"
    r"^\W*когда(?!\w)|什么时候|何时|哪一?年|几月|哪天",
    ("Quand la convention a-t-elle été adoptée ?", "¿Cuándo se reúne el grupo?", "В каком году?",
     "Когда прошла встреча?", "متى اعتمدت المبادئ؟", "准则是什么时候通过的?"),
    ("Qu'a dit le Canada quand on a parlé du traité ?", "¿Qué dijo México?",
     "Что сказала Индия, когда выступала?", "ماذا قالت مصر؟", "会上谁发言了?"))

_RUSSIAN_ORDINALS = ("перв", "втор", "трет", "четв[её]рт", "пят", "шест", "седьм", "восьм", "девят",
                     "десят")
_RUSSIAN_TEENS = ("одиннадцат", "двенадцат", "тринадцат", "четырнадцат", "пятнадцат", "шестнадцат",
                  "семнадцат", "восемнадцат", "девятнадцат", "двадцат")
_ARABIC_ORDINALS = (("أول", "اولى", "أولى", "حادي", "حادية"), ("ثاني", "ثانية"), ("ثالث", "ثالثة"),
                    ("رابع", "رابعة"), ("خامس", "خامسة"), ("سادس", "سادسة"), ("سابع", "سابعة"),
                    ("ثامن", "ثامنة"), ("تاسع", "تاسعة"), ("عاشر", "عاشرة"))


def number_of(word: str, language: Language) -> int | None:
    """The number that ``word`` (digits, a numeral or an ordinal in ``language``) stands for."""
    digits = re.match(r"\d+", word)
    if digits:
        return int(digits.group())
    if language in (Language.FRENCH, Language.SPANISH):
        digits = re.match(r"\d+", alpha2digit(word, language.value, threshold=0))
        return int(digits.group()) if digits else None
    if language == Language.CHINESE:
        return _chinese_number(word)
    if language == Language.RUSSIAN:
        for number, stem in enumerate(_RUSSIAN_ORDINALS + _RUSSIAN_TEENS, 1):
            if re.fullmatch(rf"{stem}\w{{1,4}}", word.lower()):
                return number
        return None
    if language == Language.ARABIC:
        unit, _, teen = word.removeprefix("ال").partition(" ")
        for number, forms in enumerate(_ARABIC_ORDINALS, 1):
            if unit in forms:
                return number + 10 if teen else number
    return None


def _chinese_number(numeral: str) -> int | None:
    """二 is 2, 十五 is 15, 二十三 is 23: the numerals' values by Unicode, tens before units."""
    try:
        values = [int(unicodedata.numeric(character)) for character in numeral]
    except ValueError:
        return None
    total, current = 0, 0
    for value in values:
        if value in (10, 100):
            total += (current or 1) * value
            current = 0
        else:
            current = current * 10 + value
    return total + current or None


def units_in_english(text: str) -> str:
    """``text`` with the report's units named in another official language rewritten as the
    English references read them: "la quinta sesión" as "the 5th meeting"."""
    for (unit, language), unit_rule in UNIT_RULES.items():
        text = unit_rule.pattern.sub(lambda match, u=unit, lang=language: _in_english(match, u, lang), text)
    return NAMES_CONCLUSIONS.pattern.sub(" the conclusions ", text)


def _in_english(match: re.Match[str], unit: Unit, language: Language) -> str:
    before, after = match.group("before"), match.groupdict().get("after")
    number = number_of(before, language) if before else None
    kept = "" if number is not None or not before else before
    if number is None and after:
        number = number_of(after, language)
    if number is None:
        return match.group(0)
    if unit == Unit.PARAGRAPH:
        return f"{kept} paragraph {number} "
    if unit == Unit.PANEL and number <= len(ORDINALS):  # as the references read a panel
        return f"{kept} {ORDINALS[number - 1]} panel "
    return f"{kept} {number}{ordinal_suffix(number)} {unit} "


def countries_named(text: str, language: Language) -> tuple[str, ...]:
    """The English names of the countries that ``text``, written in ``language``, names; the
    longest name wins where one holds another ("印度尼西亚" is Indonesia, not India)."""
    by_stems, by_words = _country_keys(language)
    if language == Language.CHINESE:
        found = []
        for name in by_stems:
            if name in text:
                found.append(by_stems[name])
                text = text.replace(name, " ")
        return tuple(dict.fromkeys(found))
    found = _take(_stems(text, language), by_stems) + _take(_words(text), by_words)
    return tuple(dict.fromkeys(found))


def _take(words: list[str], names: dict[str, str]) -> list[str]:
    """The countries whose names (as word sequences, longest first) ``words`` holds, each place in
    ``words`` read once."""
    found = []
    for name in names:
        parts = name.split()
        for start in range(len(words) - len(parts) + 1):
            if words[start : start + len(parts)] == parts:
                found.append(names[name])
                words[start : start + len(parts)] = [""] * len(parts)
    return found


@cache
def _country_keys(language: Language) -> tuple[dict[str, str], dict[str, str]]:
    """Each country's name in ``language`` -> its English name, longest names first: by its stems
    (whole in Chinese), and by its words unstemmed where two countries' names share their stems
    ("Niger", "Nigeria" in Russian). The names are the everyday ones of the Unicode CLDR (Babel:
    "Argelia", "Россия") and ISO 3166's translations shipped with pycountry (official names:
    "Российская Федерация")."""
    import pycountry
    from babel import Locale

    locale = "zh_CN" if language == Language.CHINESE else language.value
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True)
    everyday = Locale.parse(language.value).territories
    owners: dict[str, set[str]] = {}
    words: dict[str, str] = {}
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name.split(",")[0]
        local = {translation.gettext(value).split(",")[0].strip()
                 for value in (getattr(country, a, None) for a in ("name", "common_name", "official_name"))
                 if value}
        local |= {everyday[country.alpha_2]} if country.alpha_2 in everyday else set()
        for name in local:
            key = name if language == Language.CHINESE else " ".join(_stems(name, language))
            owners.setdefault(key, set()).add(english)
            words[" ".join(_words(name))] = english
    shortest = 2 if language == Language.CHINESE else 3
    by_stems = {key: next(iter(found)) for key, found in owners.items()
                if len(found) == 1 and len(key) >= shortest}
    ambiguous = {english for found in owners.values() if len(found) > 1 for english in found}
    by_words = {key: english for key, english in words.items()
                if english in ambiguous and len(key) >= shortest}
    return _longest_first(by_stems), ({} if language == Language.CHINESE else _longest_first(by_words))


def _longest_first(names: dict[str, str]) -> dict[str, str]:
    """``names`` ordered by their number of words, then of characters, longest first."""
    return dict(sorted(names.items(), key=lambda item: (-len(item[0].split()), -len(item[0]))))


def _words(text: str) -> list[str]:
    """``text``'s words in lower case, without accents or Arabic's short vowels and shadda."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
    return re.findall(r"[^\W\d_]+", plain)


def _stems(text: str, language: Language) -> list[str]:
    """Snowball stems of ``text``'s words (see :func:`_words`)."""
    return list(_stemmer(language).stemWords(_words(text)))


@cache
def _stemmer(language: Language):
    import Stemmer

    return Stemmer.Stemmer({Language.ARABIC: "arabic", Language.FRENCH: "french", Language.RUSSIAN: "russian",
                            Language.SPANISH: "spanish"}[language])
