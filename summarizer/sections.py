"""Compatibility name for the structure stage (summarizer.structure); import from there."""

from .structure import *  # noqa: F403
from .structure import __all__  # noqa: F401
