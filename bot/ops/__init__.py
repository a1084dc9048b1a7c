"""Operations: backups, health checks and webhook serving, for the people who run the bot."""
