"""`deploy render`: launch scripts whose flags vLLM's parser accepts, SLURM jobs, and a profile the app loads."""

import json
import subprocess

import pytest

from biopipelines.core.model_catalogue import default_catalogue
from biopipelines.core.settings import load_settings
from biopipelines.deploy.gpus import default_gpu_catalogue, parse_inventory
from biopipelines.deploy.planner import plan
from biopipelines.deploy.presets import load_presets
from biopipelines.deploy.render import render_all
from biopipelines.deploy.render_slurm import SlurmOptions
from biopipelines.deploy.render_vllm import argv_from_script
from biopipelines.deploy.selection import from_preset
from biopipelines.deploy.vllm_flags import FlagError, validate
from biopipelines.graph.cli import main

PRESETS = sorted(load_presets())


def preset_plan(name: str):
    req = from_preset(name, load_presets()[name])
    return plan(req, parse_inventory(req.inventory), default_catalogue(), default_gpu_catalogue())


@pytest.fixture(scope="module", params=PRESETS)
def rendered(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    result = preset_plan(request.param)
    render_all(result, out, name=request.param, slurm=SlurmOptions(partition="gpu-long", time="12:00:00"))
    return request.param, result, out


def test_every_launch_script_passes_vllms_argument_parser(rendered):
    _, result, out = rendered
    for gpu in result.gpus:
        for proc in gpu.processes:
            args = validate(argv_from_script((out / "vllm" / f"{proc.role}-{proc.replica}.sh").read_text()))
            assert args.model_tag == proc.checkpoint
            assert args.served_model_name == proc.roles
            assert args.port == proc.port and args.max_model_len == proc.max_model_len
            assert args.gpu_memory_utilization == pytest.approx(proc.gpu_memory_utilization)
            quantized = default_catalogue().model(proc.model).quantized
            if args.quantization:  # only with the matching published checkpoint
                assert args.model_tag == quantized[proc.precision]
                assert args.quantization.split("_")[0] == ("awq" if proc.precision == "awq" else "gptq")
                assert args.dtype == "half"
            else:
                assert args.model_tag == proc.model
            assert (args.task == "embed") == (proc.role == "embeddings")
            if gpu.type == "t4":
                assert args.dtype == "half"  # T4s have no bfloat16


def test_slurm_jobs_request_one_gpu_and_publish_endpoints(rendered):
    _, result, out = rendered
    for gpu in result.gpus:
        job = out / "slurm" / f"bp-{gpu.id}.sbatch"
        if not gpu.processes:
            assert not job.exists()
            continue
        text = job.read_text()
        for line in ("#SBATCH --gres=gpu:1", "#SBATCH --partition=gpu-long", "#SBATCH --time=12:00:00"):
            assert line in text
        for proc in gpu.processes:
            assert f'start "{proc.role}-{proc.replica}.sh" {proc.port}' in text
        assert f'"$ENDPOINTS/{gpu.id}.json"' in text
    assert "sbatch" in (out / "submit_all.sh").read_text()


def test_rendered_shell_scripts_are_valid_bash(rendered):
    _, _, out = rendered
    scripts = [*out.glob("vllm/*.sh"), *out.glob("slurm/*.sbatch"), out / "submit_all.sh"]
    for script in scripts:
        check = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert check.returncode == 0, f"{script.name}: {check.stderr}"


def test_rendered_profile_loads_in_the_app(rendered):
    name, result, out = rendered
    profile = load_settings(str(out / "profile.yaml"), env={}).profile
    preset = load_presets()[name]
    assert set(profile.roles) == set(preset.select) | set(preset.cloud)
    for gpu in result.gpus:
        for proc in gpu.processes:
            for role in proc.roles:
                urls = {(e.url, e.model, e.structured_output) for e in profile.role(role).endpoints}
                assert (f"http://{gpu.id}:{proc.port}/v1", role, "json_schema") in urls
    for role in preset.cloud:
        assert profile.role(role).endpoints == [] and profile.role(role).cloud is not None
    assert profile.allow_cloud == bool(preset.cloud_model)


def test_endpoint_map_from_the_slurm_jobs_puts_real_hosts_in_the_profile(tmp_path):
    result = preset_plan("l4x2_cloud")
    endpoints = tmp_path / "endpoints"
    endpoints.mkdir()
    for k, gpu in enumerate(result.gpus):
        (endpoints / f"{gpu.id}.json").write_text(json.dumps({"gpu": gpu.id, "host": f"node{k}.cluster",
                                                              "processes": []}))
    render_all(result, tmp_path / "out", name="fleet", slurm=SlurmOptions(), endpoints=endpoints)
    profile = load_settings(str(tmp_path / "out" / "profile.yaml"), env={}).profile
    hosts = {e.url.split("/")[2].split(":")[0] for r in profile.roles.values() for e in r.endpoints}
    assert hosts == {"node0.cluster", "node1.cluster"}


@pytest.mark.parametrize("argv,problem", [
    (["m", "--quantization", "int8"], "invalid choice: 'int8'"),  # the seed's flag: vLLM has no such choice
    (["m", "--gpu-memory-utilization", "1.8"], "gpu_memory_utilization"),
    (["m", "--task", "embedding-model"], "invalid choice"),
    (["m", "--no-such-flag"], "unrecognized arguments"),
])
def test_flag_validator_rejects_what_vllm_rejects(argv, problem):
    with pytest.raises(FlagError, match=problem):
        validate(argv)


def test_cli_plan_then_render(tmp_path, capsys):
    plan_path = tmp_path / "plan.json"
    assert main(["plan-gpus", "--preset", "l4x1", "--out", str(plan_path)]) == 0
    capsys.readouterr()
    assert main(["deploy", "render", "--plan", str(plan_path), "--out", str(tmp_path / "d")]) == 0
    listed = capsys.readouterr().out
    assert "profile.yaml" in listed and "vllm/coder-0.sh" in listed
    assert (tmp_path / "d" / "slurm" / "bp-l4-0.sbatch").is_file()


@pytest.mark.parametrize("content,message", [
    (None, "cannot read plan"),
    ("{not json", "not JSON"),
    ('{"gpus": []}', "plan-gpus --json"),
])
def test_cli_render_bad_plan_is_one_line_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_text(content)
    assert main(["deploy", "render", "--plan", str(path), "--out", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_render_refuses_a_plan_with_unplaced_roles(tmp_path, capsys):
    plan_path = tmp_path / "plan.json"
    assert main(["plan-gpus", "--inventory", "t4:1", "--select", "docs=google/gemma-2-9b-it:fp16",
                 "--out", str(plan_path)]) == 2
    capsys.readouterr()
    assert main(["deploy", "render", "--plan", str(plan_path), "--out", str(tmp_path / "d")]) == 2
    assert "unplaced" in capsys.readouterr().err


def test_rendered_profile_passes_doctors_offline_checks(rendered, capsys):
    """doctor reads the rendered profile: every role is known, its model is a catalogue entry, its cloud model has a
    price entry, and the offline tier backs it. The endpoints are not running here, so their probes fail (exit 1)."""
    name, result, out = rendered
    code = main(["doctor", "--profile", str(out / "profile.yaml"), "--json", "--timeout", "0.2"])
    report = json.loads(capsys.readouterr().out)
    cat = default_catalogue()
    assert code in (0, 1)
    for row in report["roles"]:
        assert row["offline"] is True
        if row["model_id"]:
            assert cat.model(row["model_id"]) is not None
        if row["cloud"]:
            assert cat.cloud(row["cloud"]["model"]).id == row["cloud"]["model"]
    local = {r for g in result.gpus for p in g.processes for r in p.roles}
    assert {row["role"] for row in report["roles"] if row["endpoints"]} == local
