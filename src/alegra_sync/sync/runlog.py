"""The run log: one JSON line per run and per document, appended under the home, no secret.

Never translated (product.md, "Language"): it is read by scripts and by people debugging.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alegra_sync.sync.ledger import DocumentRecord, now
from alegra_sync.sync.result import RunResult, SyncRequest


class RunLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, request: SyncRequest, result: RunResult) -> None:
        """The run's line; ``retries`` lists every request the client sent again (what the
        attempt before met, how long it waited), so a slow run's log says why."""
        self._append([{"time": now(), "event": "run", "arguments": request.arguments,
                       "dry_run": request.dry_run, "exit_code": result.exit_code,
                       **result.to_json(),
                       "retries": [retry.__dict__ for retry in result.retries]}])

    def event(self, line: dict[str, Any]) -> None:
        """One line of its own: ``{"event": "adopted", …}``, ``{"event": "skip", …}``."""
        self._append([{"time": now(), **line}])

    def note(self, event: str, **fields: Any) -> None:
        """Any other event of a run (a notification that could not be sent, a firm run)."""
        self._append([{"time": now(), "event": event, **fields}])

    def documents(self, documents: list[DocumentRecord]) -> None:
        self._append([{"time": now(), "event": "document", **doc.__dict__}
                      for doc in documents])

    def _append(self, lines: list[dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            for line in lines:
                handle.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
