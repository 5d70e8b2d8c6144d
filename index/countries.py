"""The world's countries by name, from ISO 3166 (pycountry): what a question or a list names."""

from __future__ import annotations

from functools import cache


@cache
def country_names() -> frozenset[str]:
    """Short names of the world's countries (ISO 3166, from pycountry): "Iran", "Syria"."""
    import pycountry

    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.add(value.split(",")[0].strip())
    return frozenset(names | {"Syria", "Russia", "United States", "United Kingdom"})
