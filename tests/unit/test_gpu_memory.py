"""The memory model against hand calculations: weights = params x bytes, KV/token = 2 x layers x kv_heads x head_dim x 2."""

import pytest

from biopipelines.core.model_catalogue import default_catalogue
from biopipelines.deploy.memory import GIB, footprint, kv_bytes_per_token, unquantized_params, weights_bytes


def model(model_id: str):
    found = default_catalogue().model(model_id)
    assert found is not None, model_id
    return found


# (model, KV bytes per token worked out by hand, FP16 weight bytes = params_b x 1e9 x 2)
HAND = [
    ("Qwen/Qwen2.5-7B-Instruct", 2 * 28 * 4 * 128 * 2, 57_344, 15.24e9),
    ("Qwen/Qwen2.5-1.5B-Instruct", 2 * 28 * 2 * 128 * 2, 28_672, 3.08e9),
    ("google/gemma-2-9b-it", 2 * 42 * 8 * 256 * 2, 344_064, 18.48e9),
    ("microsoft/Phi-3.5-mini-instruct", 2 * 32 * 32 * 96 * 2, 393_216, 7.64e9),
    ("BioMistral/BioMistral-7B", 2 * 32 * 8 * 128 * 2, 131_072, 14.48e9),
    ("meta-llama/Llama-Guard-3-1B", 2 * 16 * 8 * 64 * 2, 32_768, 3.00e9),
]


@pytest.mark.parametrize("model_id,formula,kv,weights", HAND)
def test_kv_and_fp16_weights_match_hand_calculation(model_id, formula, kv, weights):
    assert formula == kv
    assert kv_bytes_per_token(model(model_id)) == kv
    assert weights_bytes(model(model_id), "fp16") == pytest.approx(weights, rel=1e-9)


def test_grouped_query_attention_shrinks_kv_by_heads_over_kv_heads():
    qwen = model("Qwen/Qwen2.5-7B-Instruct")  # 28 query heads share 4 KV heads
    full_mha = 2 * 28 * 28 * 128 * 2
    assert full_mha / kv_bytes_per_token(qwen) == 7


def test_awq_keeps_embedding_and_untied_lm_head_in_fp16():
    qwen = model("Qwen/Qwen2.5-7B-Instruct")
    tables = 2 * 152_064 * 3_584  # embed_tokens + lm_head (tie_word_embeddings: false)
    assert unquantized_params(qwen) == tables == 1_089_994_752
    # 4-bit weights plus an FP16 scale and a 4-bit zero per group of 128: 0.5 + 2.5/128 bytes per weight
    by_hand = (7.62e9 - tables) * (0.5 + 2.5 / 128) + tables * 2
    assert weights_bytes(qwen, "awq") == pytest.approx(by_hand)
    assert 5.5e9 < by_hand < 5.7e9  # the published Qwen2.5-7B-Instruct-AWQ safetensors are about 5.6 GB


def test_gptq_int8_is_about_half_of_fp16_for_a_tied_small_model():
    qwen = model("Qwen/Qwen2.5-1.5B-Instruct")
    table = 151_936 * 1_536  # tied: one table stays FP16
    by_hand = (1.54e9 - table) * (1 + 3 / 128) + table * 2
    assert weights_bytes(qwen, "gptq_int8") == pytest.approx(by_hand)


def test_footprint_kv_minimum_is_one_full_sequence_and_embedders_keep_no_kv():
    qwen = model("Qwen/Qwen2.5-7B-Instruct")
    fp = footprint(qwen, "fp16", 8192)
    assert fp.kv_min_gib == pytest.approx(57_344 * 8192 / GIB)  # 0.4375 GiB
    assert fp.outside_budget_gib == pytest.approx(1.0)  # CUDA context + graphs allowance
    bge = footprint(model("BAAI/bge-m3"), "fp16", 8192)
    assert bge.kv_per_token_bytes == 0
    assert bge.weights_gib == pytest.approx(0.568e9 * 2 / GIB)


def test_awq_estimate_matches_the_published_gemma_checkpoint_size():
    gemma = model("google/gemma-2-9b-it")
    table = 256_000 * 3_584  # tied embedding, kept in FP16
    by_hand = (9.24e9 - table) * (0.5 + 2.5 / 128) + table * 2
    assert weights_bytes(gemma, "awq") == pytest.approx(by_hand)
    # hugging-quants/gemma-2-9b-it-AWQ-INT4 ships 5 GB + 1.16 GB of safetensors
    assert weights_bytes(gemma, "awq") == pytest.approx(6.16e9, rel=0.02)
