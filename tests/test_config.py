import pytest
from click.testing import CliRunner

from summarizer.cli import main
from summarizer.config import Settings, load_settings
from summarizer.errors import UsageError


def test_auto_engine_is_offline_without_an_endpoint():
    s = load_settings(env={})
    assert s.resolved_engine() == "rules"


def test_auto_engine_uses_the_model_when_a_key_or_base_url_is_set():
    assert load_settings(env={"OPENAI_API_KEY": "sk-x"}).resolved_engine() == "llm"
    assert (
        load_settings(env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}).resolved_engine() == "llm"
    )


def test_flags_override_environment():
    s = load_settings(env={"SUMMARIZER_MODEL": "qwen-plus"}, model="gpt-4o")
    assert s.model == "gpt-4o"
    assert load_settings(env={"SUMMARIZER_MODEL": "qwen-plus"}).model == "qwen-plus"


def test_llm_engine_without_endpoint_is_an_actionable_error():
    with pytest.raises(UsageError, match="OPENAI_API_KEY or pass --base-url"):
        load_settings(env={}, engine="llm")


def test_api_key_is_not_in_repr():
    s = load_settings(env={"OPENAI_API_KEY": "sk-very-secret"})
    assert "sk-very-secret" not in repr(s)


@pytest.mark.parametrize(
    "flags", [{"engine": "magic"}, {"mode": "xml"}, {"concurrency": 0}, {"chunk_chars": 10}]
)
def test_bad_settings_are_usage_errors(flags):
    with pytest.raises(UsageError):
        load_settings(env={}, **flags)


@pytest.mark.parametrize(
    "fields",
    [{"engine": "rulez"}, {"mode": "xml"}, {"timeout": float("nan")}, {"rpm": float("inf")},
     {"concurrency": 0}, {"temperature": -1.0}, {"year": 3000}, {"model": ""}],
)  # fmt: skip
def test_settings_check_themselves_however_they_are_built(fields):
    # A library caller building Settings directly gets the same one-line usage error as a flag.
    with pytest.raises(UsageError):
        Settings(**fields)
    with pytest.raises(UsageError):
        Settings().with_(**fields)


def test_an_unknown_engine_is_a_one_line_error_at_the_command_line():
    r = CliRunner().invoke(main, ["summarize", "x.txt", "--engine", "rulez"], env={})
    assert r.exit_code == 2 and "rulez" in r.output and "Traceback" not in r.output
