"""Operations on a whole installation: backup and restore (``motcua backup``, ``motcua restore``;
docs/backup.md)."""
