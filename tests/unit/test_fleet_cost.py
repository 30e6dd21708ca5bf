"""`biopipelines cost`: GPU-hours against cloud tokens, in the strategy's cost-comparison form."""

import json

import pytest

from biopipelines.core.model_catalogue import default_catalogue
from biopipelines.core.schemas import RouteEntry
from biopipelines.deploy.fleet_cost import RecordedTokens, RoleTokens, fleet_cost, load_recorded_tokens, tokens_from_routes
from biopipelines.graph.cli import main


def tokens(**roles: tuple[int, int]) -> RecordedTokens:
    return RecordedTokens(source="test", requests=1,
                          roles={r: RoleTokens(tokens_in=i, tokens_out=o) for r, (i, o) in roles.items()})


def test_local_cloud_and_hybrid_figures():
    cloud = default_catalogue().cloud("deepseek-chat")  # 0.27 in / 1.10 out per million tokens
    result = fleet_cost(preset="p", inventory={"l4": 2}, local_roles={"coder"}, cloud_roles={"planner"},
                        tokens=tokens(coder=(1_000_000, 0), planner=(0, 1_000_000)), cloud=cloud,
                        gpu_usd_per_hour={"l4": 0.5}, requests_per_day=10)
    rows = {r.option.split(" ")[0]: r for r in result.rows}
    assert rows["cloud-only"].total_usd_month == pytest.approx(300 * (0.27 + 1.10))
    assert rows["local"].total_usd_month == pytest.approx(2 * 24 * 30 * 0.5)
    assert rows["hybrid"].total_usd_month == pytest.approx(720 + 300 * 1.10)
    assert result.gpu_hours_month == 1440
    # the fleet pays off where the cloud cost it saves per day reaches its daily GPU cost
    assert result.break_even_requests_per_day == pytest.approx(720 / 30 / 0.27, rel=1e-3)


def test_tokens_from_routes_map_nodes_to_roles_and_skip_offline():
    routes = [RouteEntry(node="safety_in", tier="local", model="m", latency_ms=1, tokens_in=10, tokens_out=2),
              RouteEntry(node="safety_out", tier="local", model="m", latency_ms=1, tokens_in=30, tokens_out=4),
              RouteEntry(node="coder", tier="offline", model="offline", latency_ms=1),
              RouteEntry(node="bio_expert", tier="cloud", model="c", latency_ms=1, tokens_in=100, tokens_out=50)]
    got = tokens_from_routes(routes, requests=2, source="t")
    assert got.roles["safety"] == RoleTokens(tokens_in=20, tokens_out=3)
    assert got.roles["bio"] == RoleTokens(tokens_in=50, tokens_out=25)
    assert "coder" not in got.roles


def test_recorded_tokens_say_where_they_came_from():
    recorded = load_recorded_tokens()
    assert "generate" in recorded.source and recorded.roles
    assert all(t.tokens_in > 0 for t in recorded.roles.values())


def test_cli_prints_the_three_options(capsys):
    assert main(["cost", "--profile", "l4x2_cloud", "--requests-per-day", "1000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["option"].split(" ")[0] for r in data["rows"]] == ["cloud-only", "local", "hybrid"]
    assert data["gpu_usd_per_hour"] == {"l4": 0.7} and data["gpu_hours_month"] == 1440
    assert main(["cost", "--profile", "l4x2_cloud", "--requests-per-day", "1000", "--gpu-price", "l4=1"]) == 0
    assert "1,440.00" in capsys.readouterr().out


@pytest.mark.parametrize("argv,message", [
    (["--profile", "nope", "--requests-per-day", "1"], "unknown preset"),
    (["--profile", "t4x10", "--requests-per-day", "0"], "--requests-per-day"),
    (["--profile", "t4x10", "--requests-per-day", "5", "--gpu-price", "t4=cheap"], "TYPE=USD"),
    (["--profile", "t4x10", "--requests-per-day", "5", "--routes", "/nonexistent.json"], "--routes"),
    (["--profile", "t4x10", "--requests-per-day", "5", "--cloud-model", "nope"], "not in config/models.yaml"),
])
def test_cli_bad_input_is_one_line_exit_2(capsys, argv, message):
    assert main(["cost", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_roles_without_recorded_tokens_are_marked_not_measured():
    cloud = default_catalogue().cloud("deepseek-chat")
    result = fleet_cost(preset="p", inventory={"t4": 1}, local_roles=set(), cloud_roles={"bio"},
                        tokens=tokens(intent=(10, 1)), cloud=cloud, gpu_usd_per_hour={"t4": 0.35}, requests_per_day=1)
    by_role = {r.role: r for r in result.roles}
    assert by_role["intent"].measured and not by_role["bio"].measured
    assert by_role["bio"].cloud_usd_month == 0 and by_role["bio"].served == "cloud"
