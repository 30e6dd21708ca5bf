"""Per-node and total cost, and the local/cloud share, from route entries; local power pricing from config."""

import pytest

from biopipelines.core.model_catalogue import default_catalogue
from biopipelines.core.schemas import RouteEntry
from biopipelines.core.settings import load_settings
from biopipelines.llm.cost import format_cost, summarize
from biopipelines.llm.factory import ModelFactory


def entry(node, tier, cost=0.0, tin=0, tout=0):
    return RouteEntry(node=node, tier=tier, model="m", latency_ms=1.0, tokens_in=tin, tokens_out=tout, cost_usd=cost)


def test_summary_per_node_totals_and_shares():
    routes = [entry("intent", "local", 0.001, 10, 5), entry("coder", "cloud", 0.01, 100, 50),
              entry("coder", "local", 0.002, 80, 40), entry("docs", "offline")]
    s = summarize(routes)
    coder = next(n for n in s.nodes if n.node == "coder")
    assert (coder.calls, coder.tokens_in, coder.tokens_out, coder.cost_usd) == (2, 180, 90, pytest.approx(0.012))
    assert coder.tiers == {"local": 1, "cloud": 1, "offline": 0}
    assert s.total_usd == pytest.approx(0.013) and s.local_usd == pytest.approx(0.003)
    assert s.cloud_usd == pytest.approx(0.01)
    assert (s.local_share, s.cloud_share) == (pytest.approx(2 / 3, abs=1e-4), pytest.approx(1 / 3, abs=1e-4))
    assert s.calls == {"local": 2, "cloud": 1, "offline": 1}
    text = format_cost(s)
    assert "coder" in text and "local 67% / cloud 33%" in text and "offline calls: 1" in text


def test_offline_only_run_has_no_share():
    s = summarize([entry("intent", "offline")])
    assert s.total_usd == 0 and s.local_share is None and "no model calls" in format_cost(s)


def test_local_gpu_is_priced_in_power(tmp_path):
    cat = default_catalogue()
    h100 = cat.gpus["H100"].watts
    assert cat.power_usd_per_s("H100") == pytest.approx(h100 / 1000 * cat.electricity_usd_per_kwh / 3600)
    assert cat.power_usd_per_s("unknown-gpu") == 0.0
    path = tmp_path / "p.yaml"
    path.write_text("name: t\nroles:\n  coder:\n    endpoints: [{url: 'http://h:1/v1', model: coder, gpu: H100}]\n")
    [tm] = ModelFactory(load_settings(str(path), env={}), env={}).tiers("coder")
    assert tm.power_usd_per_s == pytest.approx(cat.power_usd_per_s("H100"))
