"""Token prices: the default table, price files that override it, cost of usage, bad tables."""

from __future__ import annotations

import asyncio

import pytest
from conftest import REPORTS

from summarizer.chunking import DEFAULT_CHUNK_CHARS
from summarizer.engines.rules import RulesEngine
from summarizer.errors import UsageError
from summarizer.ingest import read_report
from summarizer.pipeline import assemble, prepare
from summarizer.pricing import DEFAULT_PRICES, cost, load_prices, price_of


def _price_file(tmp_path, content: str):
    path = tmp_path / "prices.json"
    path.write_text(content, encoding="utf-8")
    return path


def test_no_price_file_gives_the_default_table_as_a_copy():
    table = load_prices(None)
    assert table == DEFAULT_PRICES
    table["gpt-4o"] = (0.0, 0.0)  # a caller's edit must not change the defaults
    assert DEFAULT_PRICES["gpt-4o"] != (0.0, 0.0)
    assert load_prices("") == DEFAULT_PRICES


def test_a_price_file_overrides_one_model_and_adds_another(tmp_path):
    path = _price_file(tmp_path, '{"gpt-4o": [5, "20"], "my-model": [1.5, 3]}')
    table = load_prices(path)
    assert table["gpt-4o"] == (5.0, 20.0)
    assert table["my-model"] == (1.5, 3.0)
    assert table["gpt-4o-mini"] == DEFAULT_PRICES["gpt-4o-mini"]  # the rest stays
    assert load_prices(str(path)) == table  # a str path reads the same


def test_a_dated_model_is_priced_as_its_longest_known_base_name():
    table = load_prices(None)
    assert price_of("gpt-4o-mini-2024-07-18", table) == table["gpt-4o-mini"]
    assert price_of("gpt-4o-2024-08-06", table) == table["gpt-4o"]
    assert price_of("gpt-4o", table) == table["gpt-4o"]
    assert price_of("llama-3-70b", table) is None
    assert price_of(None, table) is None and price_of("", table) is None


def test_cost_is_tokens_times_price_per_million():
    table = {"m": (2.0, 8.0)}
    assert cost("m", 1_000_000, 0, table) == 2.0
    assert cost("m", 0, 1_000_000, table) == 8.0
    assert cost("m", 1234, 567, table) == pytest.approx(1234 * 2e-6 + 567 * 8e-6)
    assert cost("m-2025-01-01", 500_000, 250_000, table) == 3.0
    assert cost("unpriced", 10**6, 10**6, table) == 0.0
    assert cost(None, 10**6, 10**6, table) == 0.0


@pytest.mark.parametrize(
    "content",
    [
        "[1, 2]",  # not an object
        '{"m": 5}',  # a number, not a pair
        '{"m": [1]}',  # one price only
        '{"m": ["cheap", 2]}',  # not a number
        '{"m": [null, 2]}',
        "{not json",
        "",
    ],
)
def test_a_bad_price_table_is_a_usage_error_naming_the_file(tmp_path, content):
    path = _price_file(tmp_path, content)
    with pytest.raises(UsageError) as info:
        load_prices(path)
    message = str(info.value)
    assert str(path) in message and "not a price file" in message
    assert "\n" not in message
    assert info.value.exit_code == 2


def test_a_missing_price_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not a price file"):
        load_prices(tmp_path / "absent.json")


def test_the_pipeline_prices_a_report_once_from_its_model_and_tokens():
    report = prepare(read_report(str(REPORTS / "luoxi-2019.txt")), DEFAULT_CHUNK_CHARS)
    engine = RulesEngine()
    output = asyncio.run(engine.summarize(report))
    output.usage.prompt_tokens, output.usage.completion_tokens = 2_000, 500
    priced = _Named(engine, "gpt-4o-mini-2024-07-18")  # a dated variant of a priced model
    summary = assemble(report, priced, output, prices={"gpt-4o-mini": (0.15, 0.60)}).summary
    assert summary.meta.usage.cost == pytest.approx(2_000 * 0.15e-6 + 500 * 0.60e-6)
    assert summary.meta.usage.prompt_tokens == 2_000  # the counts are kept
    # No price table: no cost; the rules engine names no model: no price, cost 0.
    assert assemble(report, priced, output).summary.meta.usage.cost == 0.0
    assert assemble(report, engine, output, prices=DEFAULT_PRICES).summary.meta.usage.cost == 0


class _Named:
    """The rules engine's answers, attributed to a model (what the live engine reports)."""

    name = "llm"

    def __init__(self, engine: RulesEngine, model: str) -> None:
        self.engine, self.model = engine, model
