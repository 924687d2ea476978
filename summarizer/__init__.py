"""summarizer: typed, number-checked summaries of Chinese government work reports.

The library entry points live in `summarizer.pipeline`; the contract models in
`summarizer.models`.
"""

__version__ = "0.1.0"
