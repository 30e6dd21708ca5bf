"""The planner: every preset fits its GPUs, precision falls back only to real checkpoints, infeasible selections
explain the smallest fix and exit 2."""

import json

import pytest

from biopipelines.core.errors import InputError
from biopipelines.core.model_catalogue import default_catalogue
from biopipelines.deploy.gpus import default_gpu_catalogue, parse_inventory
from biopipelines.deploy.memory import footprint
from biopipelines.deploy.planner import SHARE_CAP, PlanRequest, Selection, plan
from biopipelines.deploy.presets import load_presets
from biopipelines.deploy.selection import from_preset
from biopipelines.graph.cli import main

PRESETS = sorted(load_presets())


def run_plan(req: PlanRequest):
    return plan(req, parse_inventory(req.inventory), default_catalogue(), default_gpu_catalogue())


def test_the_seed_fleets_are_presets():
    assert {p.inventory for p in load_presets().values()} == {
        "l4:1", "l4:2", "l4:3", "l4:1,t4:1", "l4:4,t4:4", "t4:10", "h100:1", "h100:2", "h100:1,t4:4", "h100:1,t4:2"}


@pytest.mark.parametrize("name", PRESETS)
def test_preset_places_everything_within_each_gpu_budget(name):
    preset = load_presets()[name]
    result = run_plan(from_preset(name, preset))
    assert result.unplaced == []
    local_roles = {r for g in result.gpus for p in g.processes for r in p.roles}
    assert local_roles == set(preset.select) - set(preset.cloud)
    cat = default_catalogue()
    for gpu in result.gpus:
        total = sum(p.gpu_memory_utilization for p in gpu.processes)
        assert total <= SHARE_CAP + 1e-9
        assert total * gpu.usable_gb + gpu.outside_budget_gb <= gpu.usable_gb + 1e-6
        for p in gpu.processes:
            budget = p.gpu_memory_utilization * gpu.usable_gb
            assert p.weights_gb + p.activation_gb + p.kv_cache_gb == pytest.approx(budget, abs=0.02)
            fp = footprint(cat.model(p.model), p.precision, p.max_model_len)
            if fp.kv_per_token_bytes:  # at least one full-length sequence fits the KV cache
                assert p.kv_tokens >= p.max_model_len
            expected = cat.model(p.model).quantized.get(p.precision) if p.precision != "fp16" else p.model
            assert p.checkpoint == expected
            assert (p.quantization is None) == (p.precision == "fp16")
    ports = [p.port for g in result.gpus for p in g.processes]
    assert len(ports) == len(set(ports))


def test_fp16_first_and_quantized_only_where_fp16_does_not_fit():
    h100 = run_plan(from_preset("h100_b", load_presets()["h100_b"]))
    assert {p.precision for g in h100.gpus for p in g.processes} == {"fp16"}
    t4 = run_plan(from_preset("t4x10", load_presets()["t4x10"]))
    planner = [p for g in t4.gpus for p in g.processes if p.role == "planner"]
    # 7.62B in FP16 is 14.2 GiB of weights: more than a T4 allows, so the published GPTQ-Int8 checkpoint is used
    assert {p.checkpoint for p in planner} == {"Qwen/Qwen2.5-7B-Instruct-GPTQ-Int8"}
    assert {p.quantization for p in planner} == {"gptq"}  # no Marlin kernels on a T4 (compute capability 7.5)


def test_single_l4_quantizes_the_coder_so_three_models_share_it():
    result = run_plan(from_preset("l4x1", load_presets()["l4x1"]))
    (gpu,) = result.gpus
    assert len(gpu.processes) == 3
    coder = next(p for p in gpu.processes if p.role == "coder")
    assert coder.roles == ["coder", "validator"] and coder.precision == "gptq_int8"
    assert coder.quantization == "gptq_marlin"


def test_replicas_go_to_different_gpus():
    result = run_plan(from_preset("t4x10", load_presets()["t4x10"]))
    coder_gpus = [g.id for g in result.gpus for p in g.processes if p.role == "coder"]
    assert len(coder_gpus) == 2 == len(set(coder_gpus))


def test_gemma_fp16_on_a_t4_is_unplaced_with_the_awq_checkpoint_as_the_fix():
    req = PlanRequest(inventory="t4:1", selections={"docs": Selection(model="google/gemma-2-9b-it",
                                                                      precision="fp16")})
    result = run_plan(req)
    (missing,) = result.unplaced
    assert missing.role == "docs"
    assert "docs=google/gemma-2-9b-it:awq" in missing.suggestion
    assert "hugging-quants/gemma-2-9b-it-AWQ-INT4" in missing.suggestion
    assert any("l4" in alt for alt in missing.alternatives)


def test_a_precision_without_a_checkpoint_is_refused():
    req = PlanRequest(inventory="t4:1", selections={"math": Selection(model="Qwen/Qwen2.5-Math-7B-Instruct",
                                                                      precision="awq")})
    with pytest.raises(InputError, match="no published awq checkpoint"):
        run_plan(req)


def test_cli_infeasible_selection_exits_2_with_a_suggestion(capsys):
    code = main(["plan-gpus", "--inventory", "t4:1", "--select", "docs=google/gemma-2-9b-it:fp16"])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "docs does not fit" in err and "google/gemma-2-9b-it:awq" in err


def test_cli_json_has_the_documented_shape(capsys):
    assert main(["plan-gpus", "--preset", "l4x2_cloud", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"gpus", "unplaced"}
    proc = data["gpus"][0]["processes"][0]
    assert set(data["gpus"][0]) >= {"id", "type", "memory_gb", "processes"}
    assert set(proc) >= {"role", "model", "precision", "gpu_memory_utilization", "weights_gb", "kv_cache_gb",
                         "max_model_len", "port"}
    assert data["cloud_roles"] == ["planner", "analysis", "math", "bio", "docs"]


def test_cli_preset_shows_where_the_seed_estimates_differ(capsys):
    assert main(["plan-gpus", "--preset", "t4x10", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["seed_comparison"]
    planner = next(r for r in rows if r.get("role") == "planner")
    assert planner["seed_weights_gb"] == 7 and planner["served_as"] == "gptq_int8" and planner["differs"]
    assert any("int8" in r.get("note", "") for r in rows)


@pytest.mark.parametrize("argv,message", [
    (["--inventory", "t4"], "TYPE:COUNT"),
    (["--inventory", "v100:2", "--select", "intent=Qwen/Qwen2.5-1.5B-Instruct"], "unknown GPU type"),
    (["--inventory", "t4:1", "--select", "nope=Qwen/Qwen2.5-1.5B-Instruct"], "unknown role"),
    (["--inventory", "t4:1", "--select", "docs=google/gemma-2-9b-it:int8"], "unknown precision"),
    (["--inventory", "t4:1", "--select", "docs=acme/none"], "not in config/models.yaml"),
    (["--inventory", "t4:1", "--select", "math=Qwen/Qwen2.5-Math-7B-Instruct", "--min-context", "math=99999"],
     "exceeds"),
    (["--preset", "nope"], "unknown preset"),
])
def test_cli_bad_input_is_one_line_exit_2(capsys, argv, message):
    assert main(["plan-gpus", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
