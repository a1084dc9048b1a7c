"""The Form DIP of the DIP SOP: the row model, the pre-filled form, the upload reader, typed
entry in chat, the comparison against the DIK and the DIP in force, and the compiled list."""

from bot.formdip.compare import (
    Change,
    DikConflict,
    DikItemRef,
    DipDiff,
    against_dik,
    diff,
    similarity,
)
from bot.formdip.compiled import (
    CompiledDipRow,
    DipOfficeStatus,
    DipOfficeSummary,
    build_compiled_dip,
)
from bot.formdip.model import (
    BERKALA,
    CETAK,
    ELEKTRONIK,
    JENIS_KEYS,
    SERTA_MERTA,
    SETIAP_SAAT,
    DipRow,
    jenis_choice,
    jenis_text,
    parse_bentuk,
    parse_jenis,
)
from bot.formdip.reader import FormDipResult, read_form_dip
from bot.formdip.template import HEADER, build_form_dip, classify_header
from bot.formdip.typed import FIELD_ORDER, TypedRow, parse_field, parse_typed_row

__all__ = [
    "BERKALA",
    "CETAK",
    "ELEKTRONIK",
    "FIELD_ORDER",
    "HEADER",
    "JENIS_KEYS",
    "SERTA_MERTA",
    "SETIAP_SAAT",
    "Change",
    "CompiledDipRow",
    "DikConflict",
    "DikItemRef",
    "DipDiff",
    "DipOfficeStatus",
    "DipOfficeSummary",
    "DipRow",
    "FormDipResult",
    "TypedRow",
    "against_dik",
    "build_compiled_dip",
    "build_form_dip",
    "classify_header",
    "diff",
    "jenis_choice",
    "jenis_text",
    "parse_bentuk",
    "parse_field",
    "parse_jenis",
    "parse_typed_row",
    "read_form_dip",
    "similarity",
]
