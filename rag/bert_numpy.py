"""A BERT encoder's forward pass in numpy, over weights read straight from a `model.safetensors` file.

The embedded default (all-MiniLM-L6-v2: 6 layers, 384 wide) embeds a short query in a few milliseconds this way, and
loading it costs a memory map instead of `import torch` and sentence-transformers (seconds on a cold CLI). The math
is BERT's own in float32 (post-norm layers, exact-erf GELU, additive attention mask), so its hidden states match
transformers' to float32 rounding; tests/unit/test_embedded_minilm.py holds this against sentence-transformers.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from biopipelines.core.errors import ConfigError

_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
_HEADER_LIMIT = 100_000_000  # a header larger than this is a damaged file, not a model
_NEG = np.float32(-1e9)  # additive mask for padding: exp() of it is exactly 0 in float32


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file as a read-only memory map (nothing is copied until it is used)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            (header_len,) = struct.unpack("<Q", handle.read(8))
            if not 0 < header_len <= min(_HEADER_LIMIT, size - 8):
                raise ValueError(f"header length {header_len} does not fit a {size}-byte file")
            header = json.loads(handle.read(header_len))
        data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_len)
        tensors = {}
        for name, spec in header.items():
            if name == "__metadata__":
                continue
            start, end = spec["data_offsets"]
            dtype = np.dtype(_DTYPES[spec["dtype"]])
            if not 0 <= start <= end <= data.size or end - start != dtype.itemsize * int(np.prod(spec["shape"])):
                raise ValueError(f"tensor {name} lies outside the file or has the wrong size")
            tensors[name] = data[start:end].view(dtype).reshape(spec["shape"])
        return tensors
    except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
        raise ConfigError(f"cannot read the embedding model weights {path} ({exc}); "
                          f"reinstall the package that ships them") from None


@dataclass(frozen=True)
class BertConfig:
    hidden: int
    heads: int
    layers: int
    eps: float
    max_positions: int

    @classmethod
    def from_file(cls, path: Path) -> "BertConfig":
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("model_type") != "bert" or raw.get("hidden_act") != "gelu" or \
                    raw.get("position_embedding_type", "absolute") != "absolute":
                raise ValueError("not a BERT model with GELU and absolute positions")
            return cls(hidden=int(raw["hidden_size"]), heads=int(raw["num_attention_heads"]),
                       layers=int(raw["num_hidden_layers"]), eps=float(raw["layer_norm_eps"]),
                       max_positions=int(raw["max_position_embeddings"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path}: the numpy encoder cannot run this model ({exc})") from None


def _erf(x: np.ndarray) -> np.ndarray:
    """erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, below float32 rounding of the activations);
    numpy has no erf, and scipy's import would cost more than the whole forward pass of a query."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * weight + bias


class BertEncoder:
    """`encode(ids, mask)`: the last hidden states of a batch of token ids (batch, tokens, hidden)."""

    def __init__(self, model_dir: Path) -> None:
        self.config = BertConfig.from_file(model_dir / "config.json")
        weights = read_safetensors(model_dir / "model.safetensors")
        try:
            # the word embeddings stay memory-mapped (only the rows of a text's tokens are read); the rest is small
            self._embeddings = {k: weights[f"embeddings.{k}"] if k.startswith("word") else
                                np.array(weights[f"embeddings.{k}"], dtype=np.float32) for k in (
                "word_embeddings.weight", "position_embeddings.weight", "token_type_embeddings.weight",
                "LayerNorm.weight", "LayerNorm.bias")}
            self._layers = [self._layer(weights, f"encoder.layer.{i}.") for i in range(self.config.layers)]
        except KeyError as exc:
            raise ConfigError(f"{model_dir}: the model weights lack {exc.args[0]}") from None

    @staticmethod
    def _layer(w: dict[str, np.ndarray], p: str) -> dict[str, np.ndarray]:
        # Query, key and value fused into one (in, 3*hidden) matrix: one matmul instead of three.
        # Copied out of the memory map into aligned, contiguous (in, out) float32 arrays: the file's tensors need
        # not be 4-byte aligned, and numpy's matmul skips BLAS (100x slower) for unaligned operands.
        def dense(name: str) -> np.ndarray:
            return np.ascontiguousarray(w[name].T, dtype=np.float32)

        def vec(name: str) -> np.ndarray:
            return np.array(w[name], dtype=np.float32)

        qkv = [f"{p}attention.self.{n}" for n in ("query", "key", "value")]
        return {
            "qkv_w": np.concatenate([dense(f"{n}.weight") for n in qkv], axis=1),
            "qkv_b": np.concatenate([vec(f"{n}.bias") for n in qkv]),
            "out_w": dense(f"{p}attention.output.dense.weight"), "out_b": vec(f"{p}attention.output.dense.bias"),
            "ln1_w": vec(f"{p}attention.output.LayerNorm.weight"), "ln1_b": vec(f"{p}attention.output.LayerNorm.bias"),
            "up_w": dense(f"{p}intermediate.dense.weight"), "up_b": vec(f"{p}intermediate.dense.bias"),
            "down_w": dense(f"{p}output.dense.weight"), "down_b": vec(f"{p}output.dense.bias"),
            "ln2_w": vec(f"{p}output.LayerNorm.weight"), "ln2_b": vec(f"{p}output.LayerNorm.bias"),
        }

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        if length > self.config.max_positions:
            raise ValueError(f"{length} tokens exceed the model's {self.config.max_positions} positions")
        e = self._embeddings
        x = e["word_embeddings.weight"][ids] + e["position_embeddings.weight"][:length] \
            + e["token_type_embeddings.weight"][0]
        x = _layer_norm(x.astype(np.float32), e["LayerNorm.weight"], e["LayerNorm.bias"], self.config.eps)
        additive = np.where(mask[:, None, None, :] > 0, np.float32(0.0), _NEG)  # (batch, 1, 1, keys)
        for layer in self._layers:
            x = self._block(x, additive, layer)
        return x

    def _block(self, x: np.ndarray, additive: np.ndarray, w: dict[str, np.ndarray]) -> np.ndarray:
        batch, length, hidden = x.shape
        heads = self.config.heads
        size = hidden // heads
        qkv = (x @ w["qkv_w"] + w["qkv_b"]).reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # each (batch, heads, tokens, size)
        scores = q @ k.transpose(0, 1, 3, 2) * np.float32(1.0 / np.sqrt(size)) + additive
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = _layer_norm(context @ w["out_w"] + w["out_b"] + x, w["ln1_w"], w["ln1_b"], self.config.eps)
        up = _gelu(x @ w["up_w"] + w["up_b"])
        return _layer_norm(up @ w["down_w"] + w["down_b"] + x, w["ln2_w"], w["ln2_b"], self.config.eps)
