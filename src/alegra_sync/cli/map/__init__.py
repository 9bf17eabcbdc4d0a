"""`alegra-sync map`: the commands (commands.py), the questions (prompts.py), the tables
(show.py)."""

from alegra_sync.cli.map.commands import map_app

__all__ = ["map_app"]
