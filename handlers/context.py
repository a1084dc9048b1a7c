"""The typed context every handler receives: `context.workflow` instead of bot_data casts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.workflow import Workflow


@dataclass
class Services:
    """What lives as long as the application (PTB's bot_data, not persisted)."""

    workflow: Workflow | None = None
    settings: Settings | None = None
    sender: Any = None
    extras: dict[str, Any] = field(default_factory=dict)


class BotContext(CallbackContext[ExtBot[None], dict[str, Any], dict[str, Any], Services]):
    @property
    def workflow(self) -> Workflow:
        wf = self.bot_data.workflow
        assert wf is not None, "workflow is wired in bot.app.build_application"
        return wf

    @property
    def settings(self) -> Settings:
        settings = self.bot_data.settings
        assert settings is not None
        return settings

    @property
    def sender(self) -> Any:
        return self.bot_data.sender


BotApp = Application[Any, BotContext, dict[str, Any], dict[str, Any], Services, Any]
