"""The workflow engine: the SOP's acts over the database. Never imports `telegram`."""

from bot.workflow.collect import TypedRow
from bot.workflow.consequence import ConsequenceMixin
from bot.workflow.core import Deps, Outcome
from bot.workflow.delivery import DeliveryMixin
from bot.workflow.files import FilesMixin
from bot.workflow.onboarding import OnboardingMixin
from bot.workflow.views import ViewsMixin


class Workflow(FilesMixin, ConsequenceMixin, ViewsMixin, OnboardingMixin, DeliveryMixin):
    """One object per application; every public method is one act in one transaction."""


__all__ = ["Deps", "Outcome", "TypedRow", "Workflow"]
