"""The SOP as data: the schema, the step kinds, and the registry of SOP files and versions."""

from bot.sop.kinds import KINDS, StepKind
from bot.sop.model import Sop, SopError, Step, load_sop, parse_sop
from bot.sop.registry import SopRegistry, load_checked, load_folder

__all__ = [
    "KINDS",
    "Sop",
    "SopError",
    "SopRegistry",
    "Step",
    "StepKind",
    "load_checked",
    "load_folder",
    "load_sop",
    "parse_sop",
]
