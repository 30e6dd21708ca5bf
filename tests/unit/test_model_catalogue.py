"""The strategy's 20 models are in config/models.yaml under their published ids, each with the source that confirmed it,
and the memory model runs on every entry."""

import pytest

from biopipelines.core.errors import ConfigError
from biopipelines.core.model_catalogue import default_catalogue, load_catalogue
from biopipelines.deploy.memory import footprint
from biopipelines.deploy.precision import available

# id -> where the search tool confirmed it (issue 19). Two differ from the strategy's own ids: see `strategy_id`.
RECORDED = {
    "meta-llama/Llama-3.2-3B-Instruct": "huggingface.co/meta-llama/Llama-3.2-3B-Instruct",
    "nvidia/Nemotron-Orchestrator-8B": "huggingface.co/nvidia/Nemotron-Orchestrator-8B",
    "Qwen/Qwen2.5-7B-Instruct": "huggingface.co/Qwen/Qwen2.5-7B-Instruct",
    "ibm-granite/granite-3.3-8b-instruct": "whatmodel granite-3-3-8b (8.17B, apache-2.0)",
    "01-ai/Yi-1.5-9B-Chat": "huggingface.co/01-ai/Yi-1.5-9B-Chat",
    "Qwen/Qwen2.5-Coder-7B-Instruct": "huggingface.co/Qwen/Qwen2.5-Coder-7B-Instruct",
    "deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct": "huggingface.co/deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct",
    "bigcode/starcoder2-7b": "huggingface.co/bigcode/starcoder2-7b",
    "Qwen/Qwen2.5-Coder-1.5B-Instruct": "huggingface.co/Qwen/Qwen2.5-Coder-1.5B-Instruct",
    "Qwen/Qwen2.5-Math-7B-Instruct": "huggingface.co/Qwen/Qwen2.5-Math-7B-Instruct",
    "deepseek-ai/deepseek-math-7b-instruct": "huggingface.co/deepseek-ai/deepseek-math-7b-instruct",
    "BioMistral/BioMistral-7B": "huggingface.co/BioMistral/BioMistral-7B",
    "m42-health/Llama3-Med42-8B": "huggingface.co/m42-health/Llama3-Med42-8B",
    "microsoft/BioGPT-Large": "huggingface.co/microsoft/BioGPT-Large",
    "google/gemma-2-9b-it": "huggingface.co/google/gemma-2-9b-it",
    "microsoft/Phi-3.5-mini-instruct": "huggingface.co/microsoft/Phi-3.5-mini-instruct",
    "BAAI/bge-m3": "huggingface.co/BAAI/bge-m3",
    "BAAI/bge-base-en-v1.5": "huggingface.co/Xenova/bge-base-en-v1.5 (_name_or_path BAAI/bge-base-en-v1.5)",
    "meta-llama/Llama-Guard-3-8B": "huggingface.co/meta-llama/Llama-Guard-3-8B",
    "nvidia/Llama-3.1-Nemotron-Safety-Guard-8B-v3": "catalog.ngc.nvidia.com llama-3.1-nemotron-safety-guard-8b-v3",
}


def test_the_strategys_twenty_models_are_the_recorded_ids():
    strategy = {m.id for m in default_catalogue().models if m.strategy}
    assert len(RECORDED) == 20
    assert strategy == set(RECORDED)


def test_renamed_ids_record_what_the_strategy_wrote():
    cat = default_catalogue()
    assert cat.model("nvidia/Nemotron-Orchestrator-8B").strategy_id == "nvidia/Orchestrator-8B"
    assert all(m.source.startswith("https://") and m.license for m in cat.models)


@pytest.mark.parametrize("model", default_catalogue().models, ids=lambda m: m.id)
def test_memory_model_runs_on_every_entry_and_precision(model):
    ctx = min(8192, model.architecture.context_length)
    sizes = [footprint(model, p, ctx).weights_gib for p in available(model)]
    assert sizes[0] > 0 and sizes == sorted(sizes, reverse=True)  # each quantized checkpoint is smaller than FP16


def test_every_role_has_a_priority_list_of_catalogue_models():
    cat = default_catalogue()
    assert set(cat.priorities) == set(cat.priority_order) == {
        "intent", "planner", "coder", "validator", "analysis", "math", "bio", "docs", "embeddings", "safety"}
    assert cat.priorities["intent"].models[0] == "meta-llama/Llama-3.2-3B-Instruct"
    assert all(cat.model(m) for p in cat.priorities.values() for m in p.models)


def test_a_priority_naming_an_unknown_model_is_a_config_error(tmp_path):
    text = ("models: []\npriority_order: [intent]\n"
            "priorities: {intent: {models: [acme/none]}}\n")
    (tmp_path / "models.yaml").write_text(text)
    with pytest.raises(ConfigError, match="priorities.intent: not in models: acme/none"):
        load_catalogue(tmp_path / "models.yaml")
