"""Exit codes of `python -m bot`, chosen so that systemd can tell what to do.

A wrong setting (a missing or rejected token, a database folder that does not exist, a bad
value) will be just as wrong after a restart: the unit's ``RestartPreventExitStatus=78`` stops
it. A database or a network that is away for a while is transient: the unit restarts the bot.
The numbers are those of BSD's ``sysexits.h`` where one fits.
"""

from __future__ import annotations

OK = 0
#: The command ran and its answer is "no": a check failed, an act was refused, nothing found.
FAILED = 1
#: The command line itself is wrong (argparse's own code).
USAGE = 2
#: An unexpected error (a bug); its traceback is logged with every secret removed.
SOFTWARE = 70
#: Transient: the database or the network cannot be reached now; trying again may work.
TEMPFAIL = 75
#: Configuration: a setting is missing or wrong, or Telegram rejected the token. Fix, then start.
CONFIG = 78
#: Stopped by Ctrl-C.
INTERRUPTED = 130
