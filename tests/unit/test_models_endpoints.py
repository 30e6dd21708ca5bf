"""`--endpoint ROLE=URL` overrides, and the factory's shared endpoint guard."""

import pytest

from biopipelines.core.errors import ConfigError
from biopipelines.core.settings import CHAT_ROLES, load_settings, parse_endpoint_overrides
from biopipelines.llm.factory import ModelFactory


def test_star_points_every_chat_role_at_one_url_keeping_endpoint_options():
    s = load_settings("h100_2xt4", env={}, endpoints=["*=http://127.0.0.1:9/v1/"])
    for role in CHAT_ROLES:
        [ep] = s.profile.role(role).endpoints
        assert ep.url == "http://127.0.0.1:9/v1"
    coder = s.profile.role("coder").endpoints[0]
    assert (coder.model, coder.timeout_s, coder.max_tokens) == ("coder", 120, 4096)  # the profile's options stay
    assert s.profile.role("analysis").endpoints[0].model == "analysis"  # no endpoint before: the role's name
    assert s.profile.role("embeddings").endpoints == []


def test_role_override_and_model_name():
    s = load_settings(env={}, endpoints=["*=http://a:1/v1", "intent=http://b:2/v1#smollm2"])
    assert s.profile.role("intent").endpoints[0].url == "http://b:2/v1"
    assert s.profile.role("intent").endpoints[0].model == "smollm2"
    assert s.profile.role("planner").endpoints[0].url == "http://a:1/v1"


@pytest.mark.parametrize("bad, message", [
    ("intent", "expected ROLE=URL"), ("nope=http://a/v1", "unknown role 'nope'"), ("intent=ftp://a", "http://"),
    ("intent=", "expected ROLE=URL"),
])
def test_bad_overrides_give_one_clear_error(bad, message):
    with pytest.raises(ConfigError, match=message):
        parse_endpoint_overrides([bad])


def test_one_guard_per_factory_shared_by_roles():
    s = load_settings(env={}, endpoints=["*=http://a:1/v1"])
    factory = ModelFactory(s, env={})
    assert factory.tiers("intent")[0].guard is factory.tiers("coder")[0].guard is factory.guard
    assert ModelFactory(s, env={}).guard is not factory.guard
