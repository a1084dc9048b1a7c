"""The Form DIK spreadsheet: the blank form (template), the upload reader, the compiled list."""

from bot.formdik.compiled import (
    CompiledRow,
    OfficeStatus,
    OfficeSummary,
    build_compiled_usulan,
)
from bot.formdik.reader import FormDikResult, Problem, ProposalRowIn, read_form_dik
from bot.formdik.template import HEADER, SYNONYMS, build_form_dik, classify_header

__all__ = [
    "HEADER",
    "SYNONYMS",
    "CompiledRow",
    "FormDikResult",
    "OfficeStatus",
    "OfficeSummary",
    "Problem",
    "ProposalRowIn",
    "build_compiled_usulan",
    "build_form_dik",
    "classify_header",
    "read_form_dik",
]
