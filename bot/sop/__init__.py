"""The SOP as data: the schema, and the loader that validates a SOP file at start-up."""

from bot.sop.model import Sop, SopError, Step, StepKind, load_sop

__all__ = ["Sop", "SopError", "Step", "StepKind", "load_sop"]
