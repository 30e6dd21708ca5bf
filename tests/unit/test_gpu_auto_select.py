"""`plan-gpus --inventory X` alone: each role's model chosen by priority, within every GPU's budget, with a reason."""

import json

import pytest

from biopipelines.core.settings import ROLES
from biopipelines.deploy.presets import load_presets
from biopipelines.graph.cli import main

INVENTORIES = sorted({p.inventory for p in load_presets().values()})


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_each_strategy_inventory_plans_with_a_reason_per_role(inventory, capsys):
    assert main(["plan-gpus", "--inventory", inventory, "--allow-cloud", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unplaced"] == []
    assert all(g["utilization_sum"] <= 0.95 for g in data["gpus"])
    assert set(data["selection_reasons"]) == set(ROLES)
    local = {r: p for g in data["gpus"] for p in g["processes"] for r in p["roles"]}
    for role, why in data["selection_reasons"].items():
        if role in local:
            assert why.startswith("P") and local[role]["model"] in why
        else:
            assert role in data["cloud_roles"] and why.startswith("cloud")


def test_p1_wins_where_it_fits_and_a_quantized_p1_before_a_p2(capsys):
    assert main(["plan-gpus", "--inventory", "h100:2", "--json"]) == 0
    reasons = json.loads(capsys.readouterr().out)["selection_reasons"]
    assert all(why.startswith("P1 ") for why in reasons.values())
    assert main(["plan-gpus", "--inventory", "t4:10", "--allow-cloud", "--json"]) == 0
    reasons = json.loads(capsys.readouterr().out)["selection_reasons"]
    assert reasons["coder"].startswith("P1 Qwen/Qwen2.5-Coder-7B-Instruct at gptq_int8")
    # the orchestrator has only FP16 weights (16.4 GB): too large for a T4, so P2 takes the role
    assert reasons["planner"].startswith("P2 Qwen/Qwen2.5-7B-Instruct")
    assert "P1 nvidia/Nemotron-Orchestrator-8B: too large" in reasons["planner"]


def test_without_cloud_the_offline_tier_takes_what_fits_nowhere(capsys):
    assert main(["plan-gpus", "--inventory", "l4:1", "--json"]) == 0
    out, err = capsys.readouterr()
    reasons = json.loads(out)["selection_reasons"]
    assert reasons["bio"].startswith("offline tier") and "offline tier serves them" in err


def test_select_pins_a_role_and_the_rest_is_chosen(capsys):
    argv = ["plan-gpus", "--inventory", "l4:2", "--allow-cloud", "--json",
            "--select", "intent=Qwen/Qwen2.5-1.5B-Instruct"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    intent = next(p for g in data["gpus"] for p in g["processes"] if p["role"] == "intent")
    assert intent["model"] == "Qwen/Qwen2.5-1.5B-Instruct"
    assert data["selection_reasons"]["intent"] == "--select Qwen/Qwen2.5-1.5B-Instruct"


def test_without_cloud_earlier_roles_may_drop_a_precision_so_a_role_gets_a_model(capsys):
    assert main(["plan-gpus", "--inventory", "l4:4,t4:4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    reasons = data["selection_reasons"]
    assert not [r for r, why in reasons.items() if why.startswith("offline")]
    assert "earlier roles moved to a lower precision" in reasons["bio"]
    assert "not chosen: P1 BioMistral" not in reasons["bio"]
    assert all(g["utilization_sum"] <= 0.95 for g in data["gpus"])
