"""The workflow engine: the SOP's acts over the database. Never imports `telegram`."""

from bot.workflow.admin import AdminMixin
from bot.workflow.collect import TypedRow
from bot.workflow.consequence import ItemTest
from bot.workflow.core import Deps, Outcome
from bot.workflow.delegation import DelegationMixin
from bot.workflow.delivery import DeliveryMixin
from bot.workflow.files import FilesMixin
from bot.workflow.holidays import HolidaysMixin
from bot.workflow.meeting import MeetingMixin
from bot.workflow.officials import OfficialsMixin
from bot.workflow.onboarding import OnboardingMixin
from bot.workflow.publication import PublicationMixin
from bot.workflow.registers import RegistersMixin
from bot.workflow.report import ReportMixin
from bot.workflow.views import ViewsMixin


class Workflow(
    FilesMixin,
    MeetingMixin,
    HolidaysMixin,
    ViewsMixin,
    OnboardingMixin,
    DeliveryMixin,
    DelegationMixin,
    OfficialsMixin,
    AdminMixin,
    RegistersMixin,
    PublicationMixin,
    ReportMixin,
):
    """One object per application; every public method is one act in one transaction."""


__all__ = ["Deps", "ItemTest", "Outcome", "TypedRow", "Workflow"]
