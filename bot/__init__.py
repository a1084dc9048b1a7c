"""The DIK bot: the application core (config, SOP engine, calendar, documents, wiring)."""

import os

# PTB 22 deprecates float `retry_after`; opt in to timedelta so no deprecation warning fires.
os.environ.setdefault("PTB_TIMEDELTA", "true")
