"""The memory model of one vLLM process: weights, KV cache, activation allowance, and the utilisation fraction.

All figures are GiB (2**30 bytes), the unit of the driver's total that --gpu-memory-utilization multiplies.

Inside vLLM's budget (utilisation x GPU total): weights + the activation peak of the profiling run + the KV cache.
Outside it, per process: the CUDA context and the CUDA graphs (captured after the KV cache is allocated), which is
why two processes on one GPU cannot each take 0.90.
"""

from __future__ import annotations

from pydantic import BaseModel

from biopipelines.core.model_catalogue import CatalogueModel

from biopipelines.deploy.precision import Precision, bytes_per_weight

GIB = 2**30
KV_BYTES = 2  # FP16/BF16 KV cache (vLLM --kv-cache-dtype auto)
CUDA_CONTEXT_GIB = 0.5  # documented allowance: CUDA context + NCCL/cuBLAS workspaces per process
CUDA_GRAPHS_GIB = 0.5  # documented allowance: vLLM's captured decode graphs (up to batch 256); 0 with --enforce-eager
ACTIVATION_BYTES_PER_TOKEN_HIDDEN = 24  # MLP gate/up intermediates (~2 x 5.3 x hidden x 2 B) + attention buffers
MIN_PROFILE_TOKENS = 2048  # vLLM's profiling batch is max(max_model_len, 2048) tokens without chunked prefill
LOGITS_BYTES = 4  # the sampler holds FP32 logits for every running sequence
POOLING_SPARE_GIB = 0.5  # embedding (pooling) processes keep no KV cache; this is their allowance for vLLM's
#                          block pool and batch buffers, so the profiling run never finds zero free memory


def kv_bytes_per_token(model: CatalogueModel) -> int:
    """2 (K and V) x layers x KV heads x head_dim x bytes: grouped-query attention shrinks it by heads/kv_heads."""
    a = model.architecture
    return 2 * a.layers * a.kv_heads * a.head_dim * KV_BYTES


def is_embedding(model: CatalogueModel) -> bool:
    return model.embedding_dim is not None


def unquantized_params(model: CatalogueModel) -> float:
    """Parameters AWQ/GPTQ leave in FP16: the token embedding, plus the lm_head when it is not tied."""
    a = model.architecture
    if a.vocab_size is None:
        return 0.0
    tables = 1 if a.tie_word_embeddings else 2
    return float(tables * a.vocab_size * a.hidden_size)


def weights_bytes(model: CatalogueModel, precision: Precision) -> float:
    total = model.params_b * 1e9
    if precision == "fp16":
        return total * 2.0
    fp16_part = unquantized_params(model)
    return (total - fp16_part) * bytes_per_weight(precision) + fp16_part * 2.0


def activation_bytes(model: CatalogueModel, max_model_len: int, max_num_seqs: int) -> float:
    a = model.architecture
    tokens = max(max_model_len, MIN_PROFILE_TOKENS)
    logits = 0 if is_embedding(model) else max_num_seqs * (a.vocab_size or 0) * LOGITS_BYTES
    return tokens * a.hidden_size * ACTIVATION_BYTES_PER_TOKEN_HIDDEN + logits


class Footprint(BaseModel):
    """What one process needs, before a utilisation fraction is chosen."""

    weights_gib: float
    activation_gib: float
    kv_per_token_bytes: int
    kv_min_gib: float  # room for `min_sequences` full-length sequences
    outside_budget_gib: float  # CUDA context + graphs, not covered by --gpu-memory-utilization

    @property
    def budget_min_gib(self) -> float:
        return self.weights_gib + self.activation_gib + self.kv_min_gib


def footprint(model: CatalogueModel, precision: Precision, max_model_len: int, *, max_num_seqs: int = 64,
              min_sequences: int = 1) -> Footprint:
    kv_tok = 0 if is_embedding(model) else kv_bytes_per_token(model)  # encoder-only pooling keeps no KV cache
    return Footprint(
        weights_gib=weights_bytes(model, precision) / GIB,
        activation_gib=activation_bytes(model, max_model_len, max_num_seqs) / GIB,
        kv_per_token_bytes=kv_tok,
        kv_min_gib=kv_tok * max_model_len * min_sequences / GIB if kv_tok else POOLING_SPARE_GIB,
        outside_budget_gib=CUDA_CONTEXT_GIB + (0.0 if is_embedding(model) else CUDA_GRAPHS_GIB),
    )
