"""Query expansion with the names delegates use for the report's instruments and bodies."""

from __future__ import annotations

import re
from collections.abc import Callable

from workshop_qa.index.names import name_groups


def expand(query: str, uses: Callable[[str, re.Pattern], bool] | None = None,
           uses_word: Callable[[str], bool] | None = None) -> str:
    """The query followed by the other names of every instrument or body it names.

    With ``uses`` (whether the corpus uses a name, given the name and its pattern), only names the
    corpus uses are added: "UNTOC" gains "Organized Crime Convention", while "the Organized Crime
    Convention" stays as it is, since names the documents never use only add noise; nor does an
    acronym the documents use ("UNESCO" would pull in every word of its full name); and a name of
    several words the documents use gains only shorter names: "the Guidelines" not their 25-word
    title, which would outweigh the rest of the question. With
    ``uses_word`` (whether the corpus uses a word), a country also gains its adjective and an
    adjective its country, as the corpus writes them (see :func:`country_forms`).
    """
    additions: list[str] = []
    for group in name_groups():
        given = [(n, p) for n, p in group if p.search(query)]
        if not given or (uses is not None and any(n.isupper() and uses(n, p) for n, p in given)):
            continue  # no name of the group, or an acronym the corpus itself uses ("UNESCO")
        names = [(n, p) for n, p in group if uses is None or uses(n, p)]
        used = [len(n) for n, p in given if " " in n and uses is not None and uses(n, p)]
        if used:
            names = [(n, p) for n, p in names if len(n) <= max(used)]
        additions.extend(n for n, p in names if not p.search(query) and n not in additions)
    if uses_word is not None:
        additions.extend(form for form in country_forms(query) if uses_word(form) and form not in additions)
    return f"{query} ({'; '.join(additions)})" if additions else query


# Country -> adjective by ending: Syria -> Syrian, Iraq -> Iraqi, Canada -> Canadian, Italy ->
# Italian, China -> Chinese, Mexico -> Mexican.
_ADJECTIVE_ENDINGS = (("", "n"), ("", "i"), ("", "ian"), ("y", "ian"), ("a", "ian"), ("a", "ese"),
                      ("o", "an"), ("e", "ian"), ("", "ese"))


def country_forms(query: str) -> list[str]:
    """The adjectives of the countries ``query`` names and the countries of its adjectives, as
    the endings make them: "Iraq and Syria" -> Iraqi, Iraqui, Iraqian, Syrian, ... (candidates;
    the caller keeps those its corpus uses)."""
    words = set(re.findall(r"(?<!^)\b[A-Z][a-z]{2,}\b", query.strip()))  # not the first word
    forms = [form for word in sorted(words) for form in other_country_forms(word)]
    return [form for form in dict.fromkeys(forms) if form not in words]


def other_country_forms(word: str) -> list[str]:
    """The adjectives of the country ``word`` (candidates), or the countries of the adjective."""
    from workshop_qa.index.countries import country_names

    countries = country_names()
    if word in countries:
        return [word.removesuffix(old) + new for old, new in _ADJECTIVE_ENDINGS if word.endswith(old)]
    return [word.removesuffix(new) + old for old, new in _ADJECTIVE_ENDINGS
            if word.endswith(new) and word.removesuffix(new) + old in countries]
