"""Filled-in Form DIK files for tests (shared with the demo and the benchmark)."""

from bot.formdik.samples import SAMPLE_ROWS, filled_form

DINKES_ROWS = SAMPLE_ROWS

__all__ = ["DINKES_ROWS", "filled_form"]
