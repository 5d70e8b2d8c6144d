"""The query encoder without torch: a sentence-transformers model exported to ONNX at build time.

Queries are tokenized with ``tokenizers``, run through onnxruntime, mean-pooled over the attention
mask and L2-normalized in numpy, which reproduces the vectors sentence-transformers puts in the index.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_FILE = "model.onnx"
WEIGHTS_FILE = "model.onnx.data"
"""The model's weights, apart from its graph: onnxruntime maps them rather than parsing them, which
opens the encoder in about a third of the time (what a cold question waits for)."""
TOKENIZER_FILE = "tokenizer.json"
ENCODER_FILES = (MODEL_FILE, WEIGHTS_FILE, TOKENIZER_FILE)
MIN_COSINE = 0.999
_OUTPUT = "last_hidden_state"


class EncoderUnavailable(RuntimeError):
    """The ONNX query encoder cannot be used or made; the message says why, in a few words."""


class OnnxEncoder:
    """Encodes texts into the index's embedding space with onnxruntime, tokenizers and numpy."""

    def __init__(self, directory: Path, max_seq_length: int, threads: int = 1) -> None:
        try:
            self._tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            self._session = onnxruntime.InferenceSession(
                str(directory / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime and tokenizers raise their own kinds
            raise EncoderUnavailable(
                f"The query encoder in {directory} is unreadable ({type(error).__name__})") from None
        self._tokenizer.enable_truncation(max_length=max_seq_length)
        self._tokenizer.enable_padding()
        self._inputs = [i.name for i in self._session.get_inputs()]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length float32 vectors of ``texts``, one row each."""
        if not texts:
            return np.zeros((0, self._session.get_outputs()[0].shape[-1]), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # batches of similar length
        rows: list[np.ndarray] = []
        for start in range(0, len(texts), batch_size):
            rows.append(self._encode_batch([texts[i] for i in order[start : start + batch_size]]))
        vectors = np.empty((len(texts), rows[0].shape[1]), dtype=np.float32)
        vectors[order] = np.vstack(rows)
        return vectors

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch([text.strip() for text in texts])
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (hidden,) = self._session.run([_OUTPUT], {name: feeds[name] for name in self._inputs})
        mask = feeds["attention_mask"][:, :, None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(
            np.float32)


def export_encoder(
    model: SentenceTransformer, directory: Path, texts: list[str], reference: np.ndarray,
) -> dict:
    """Export ``model`` to ONNX in ``directory`` and check it against ``reference`` vectors of ``texts``.

    Returns the manifest entry; raises :class:`EncoderUnavailable` (files removed) when the model
    cannot be exported or its ONNX vectors differ (cosine below :data:`MIN_COSINE`).
    """
    try:
        _export(model, directory)
        encoder = OnnxEncoder(directory, model.max_seq_length, threads=0)  # 0: all cores, as at build
        cosines = np.sum(encoder.encode(texts) * reference, axis=1)
        if len(cosines) and cosines.min() < MIN_COSINE:
            raise EncoderUnavailable(f"its ONNX vectors differ (cosine {cosines.min():.4f} < {MIN_COSINE})")
    except EncoderUnavailable:
        _remove(directory)
        raise
    except Exception as error:  # torch's exporter raises many kinds; all mean "not exportable"
        _remove(directory)
        raise EncoderUnavailable(f"it cannot be exported to ONNX ({type(error).__name__})") from None
    return {"model": MODEL_FILE, "weights": WEIGHTS_FILE, "tokenizer": TOKENIZER_FILE,
            "max_seq_length": model.max_seq_length,
            "pooling": "mean", "min_cosine": round(float(cosines.min()), 7) if len(cosines) else None}


def _export(model: SentenceTransformer, directory: Path) -> None:
    """Write the transformer of ``model`` as ONNX and its fast tokenizer as tokenizer.json."""
    import torch

    transformer = model[0].auto_model.eval()
    tokenizer = model.tokenizer
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in tokenizer.model_input_names]
    sample = tokenizer(["a sample question"], return_tensors="pt")

    class Wrapper(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.transformer(**dict(zip(names, inputs, strict=True))).last_hidden_state

    axes = {name: {0: "batch", 1: "sequence"} for name in [*names, _OUTPUT]}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(Wrapper(), tuple(sample[n] for n in names), str(directory / MODEL_FILE),
                          input_names=names, output_names=[_OUTPUT], dynamic_axes=axes,
                          opset_version=17, dynamo=False)
    _weights_apart(directory)
    tokenizer.backend_tokenizer.save(str(directory / TOKENIZER_FILE))


def _weights_apart(directory: Path) -> None:
    """Move the weights of ``directory``'s ONNX model into :data:`WEIGHTS_FILE`."""
    import onnx

    graph = onnx.load(str(directory / MODEL_FILE))
    (directory / WEIGHTS_FILE).unlink(missing_ok=True)  # onnx appends to an existing file
    onnx.save_model(graph, str(directory / MODEL_FILE), save_as_external_data=True,
                    all_tensors_to_one_file=True, location=WEIGHTS_FILE, size_threshold=1024)
    (directory / WEIGHTS_FILE).chmod((directory / MODEL_FILE).stat().st_mode)  # onnx makes it private


def _remove(directory: Path) -> None:
    for name in ENCODER_FILES:
        (directory / name).unlink(missing_ok=True)
