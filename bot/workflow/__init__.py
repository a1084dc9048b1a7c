"""The workflow engine: the SOP's acts over the database. Never imports `telegram`.

`Workflow` holds one small service per use case over one shared core (clock, guard + audit,
outbox, runs); a handler calls `workflow.<service>.<act>(...)`. Each act is one transaction.
"""

from bot.workflow.acts import Acts
from bot.workflow.admin import Admin
from bot.workflow.announce import announce_run
from bot.workflow.calendar_days import CalendarDays
from bot.workflow.collect import Collect, TypedRow
from bot.workflow.consequence import ConsequenceTest, ItemTest
from bot.workflow.core import Deps, Outcome, WorkflowCore
from bot.workflow.delegation import Delegation
from bot.workflow.delivery import Delivery
from bot.workflow.files import Files
from bot.workflow.holidays import Holidays
from bot.workflow.meeting import Meetings
from bot.workflow.nudges import Nudges
from bot.workflow.officials import Officials
from bot.workflow.onboarding import Onboarding
from bot.workflow.publication import Publication
from bot.workflow.receipts import Receipts
from bot.workflow.registers import Registers
from bot.workflow.report import Report
from bot.workflow.views import Views


class Workflow:
    """The services of one application, built over one core."""

    def __init__(self, deps: Deps) -> None:
        core = WorkflowCore(deps)
        core.announcer = announce_run
        self.core = core
        # The infrastructure every layer above may read (never reassigned).
        self.db = core.db
        self.settings = core.settings
        self.paperwork = core.paperwork
        self.clock = core.clock
        self.sops = core.sops
        self.acts = Acts(core)
        self.collect = Collect(core)
        self.consequence = ConsequenceTest(core)
        self.files = Files(core, self.acts, self.collect, self.consequence)
        self.meetings = Meetings(core)
        self.calendar_days = CalendarDays(core)
        self.receipts = Receipts(core)
        self.views = Views(core)
        self.nudges = Nudges(core, self.calendar_days, self.receipts, self.views)
        self.holidays = Holidays(core, self.calendar_days, self.nudges)
        self.onboarding = Onboarding(core)
        self.delivery = Delivery(core)
        self.delegation = Delegation(core)
        self.officials = Officials(core)
        self.admin = Admin(core, self.officials)
        self.registers = Registers(core)
        self.publication = Publication(core)
        self.report = Report(core)


__all__ = ["Deps", "ItemTest", "Outcome", "TypedRow", "Workflow", "WorkflowCore"]
