"""Config precedence (argument > environment > profile > defaults) and config errors that name file, key, problem."""

from pathlib import Path

import pytest

from biopipelines.core.errors import ConfigError
from biopipelines.core.settings import Profile, load_settings


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_default_profile_is_offline_with_builtin_defaults():
    settings = load_settings(env={})
    assert settings.profile.name == "offline"
    assert settings.profile.roles == {}
    assert settings.profile.max_attempts == Profile.model_fields["max_attempts"].default == 3


def test_profile_yaml_beats_builtin_default(tmp_path):
    path = write(tmp_path, "name: t\nmax_attempts: 5\n")
    assert load_settings(str(path), env={}).profile.max_attempts == 5


def test_environment_beats_profile(tmp_path):
    path = write(tmp_path, "name: t\nmax_attempts: 5\n")
    env = {"BIOPIPELINES_MAX_ATTEMPTS": "7"}
    assert load_settings(str(path), env=env).profile.max_attempts == 7


def test_argument_beats_environment(tmp_path):
    path = write(tmp_path, "name: t\nmax_attempts: 5\n")
    env = {"BIOPIPELINES_MAX_ATTEMPTS": "7"}
    assert load_settings(str(path), overrides={"max_attempts": 2}, env=env).profile.max_attempts == 2


def test_profile_chosen_by_environment_when_no_argument(tmp_path):
    path = write(tmp_path, "name: from-env\n")
    assert load_settings(env={"BIOPIPELINES_PROFILE": str(path)}).profile.name == "from-env"
    assert load_settings("offline", env={"BIOPIPELINES_PROFILE": str(path)}).profile.name == "offline"


def test_every_shipped_profile_loads():
    for name in ("offline", "h100_2xt4", "t4_cloud"):
        assert load_settings(name, env={}).profile.name == name


def test_unknown_profile_names_the_known_ones():
    with pytest.raises(ConfigError, match=r"unknown profile 'nope'.*offline"):
        load_settings("nope", env={})


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, "name: t\nroles: [unclosed\n")
    with pytest.raises(ConfigError) as info:
        load_settings(str(path), env={})
    assert str(path) in str(info.value) and "line" in str(info.value) and "YAML syntax error" in str(info.value)


def test_bad_key_is_named_with_its_path(tmp_path):
    path = write(tmp_path, "name: t\nroles:\n  intent:\n    endpoints: [{url: 'ftp://x', model: intent}]\n")
    with pytest.raises(ConfigError) as info:
        load_settings(str(path), env={})
    message = str(info.value)
    assert str(path) in message and "roles.intent.endpoints.0.url" in message and "http://" in message


def test_unknown_field_and_unknown_role_are_errors(tmp_path):
    with pytest.raises(ConfigError, match="max_atempts"):
        load_settings(str(write(tmp_path, "name: t\nmax_atempts: 3\n")), env={})
    with pytest.raises(ConfigError, match="roles.inten"):
        load_settings(str(write(tmp_path, "name: t\nroles: {inten: {}}\n", "q.yaml")), env={})


def test_bad_environment_value_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="max_attempts"):
        load_settings("offline", env={"BIOPIPELINES_MAX_ATTEMPTS": "many"})


def test_missing_profile_path(tmp_path):
    with pytest.raises(ConfigError, match="profile file not found"):
        load_settings(str(tmp_path / "missing.yaml"), env={})


def test_profile_must_be_a_mapping(tmp_path):
    with pytest.raises(ConfigError, match="mapping"):
        load_settings(str(write(tmp_path, "- a\n- b\n")), env={})
