from bot import logs
from bot.cli import early_secrets, main

# For the whole process: what Python prints while it shuts down is redacted as well.
logs.guard_process_output(early_secrets())
raise SystemExit(main())
