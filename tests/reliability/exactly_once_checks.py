"""What "posted exactly once" means, checked on the sandbox's dump and the home's state.

Shared by the fault matrix and the killed-at-random backfill (issue 7). Nothing here asserts:
the checks count duplicates, lost periods and disagreements, so the tests can record them in
their tables before they fail.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from alegra_sync.sandbox import SandboxServer
from alegra_sync.vouchers.payloads import parse_document_tag

Tagged = tuple[str, str, dict[str, Any]]  # (key, content hash, the document)


@dataclass
class Tally:
    duplicates: int = 0
    lost: int = 0
    problems: list[str] = field(default_factory=list)


def _tagged(documents: list[dict[str, Any]], text_field: str) -> list[Tagged]:
    """(key, hash, document) of every document alegra-sync made."""
    found = []
    for document in documents:
        tag = parse_document_tag(document.get(text_field))
        if tag is not None:
            found.append((tag[0], tag[1], document))
    return found


def live_documents(dump: dict[str, Any]) -> tuple[list[Tagged], list[Tagged]]:
    """The tagged live journals and the tagged egresos that are not void."""
    journals = _tagged(dump["journals"], "reference")
    payments = _tagged([p for p in dump["payments"] if p.get("status") != "void"],
                       "observations")
    return journals, payments


def tally(dump: dict[str, Any], net_pay: dict[str, Decimal], identifications: set[str],
          journal_parts: int = 1) -> Tally:
    """Duplicates and lost periods in Alegra for the expected periods (name -> net pay)."""
    result = Tally()
    journals, payments = live_documents(dump)
    for kind, documents in (("journal", journals), ("egreso", payments)):
        for key, count in Counter(key for key, _, _ in documents).items():
            if count > 1:
                result.duplicates += count - 1
                result.problems.append(f"{count} live {kind}s with key {key}")
            if key.split("/")[0] not in net_pay:
                result.problems.append(f"a {kind} of an unexpected period: {key}")
    contacts = Counter(str(c.get("identification")) for c in dump["contacts"])
    for identification in sorted(identifications):
        if contacts[identification] != 1:
            result.problems.append(f"{contacts[identification]} contacts {identification}")
            result.duplicates += max(0, contacts[identification] - 1)
    for period, expected in sorted(net_pay.items()):
        parts = {key for key, _, _ in journals if key.startswith(f"{period}/J")}
        paid = sum((Decimal(str(p["amount"])) for key, _, p in payments
                    if key.startswith(f"{period}/P")), Decimal(0))
        hashes = {h for key, h, _ in [*journals, *payments] if key.startswith(f"{period}/")}
        if len(parts) != journal_parts or paid != expected or len(hashes) != 1:
            result.lost += 1
            result.problems.append(f"period {period}: journals {sorted(parts)}, egresos "
                                   f"{paid} of {expected}, hashes {sorted(hashes)}")
    return result


def state_problems(home: Path, dump: dict[str, Any], periods: set[str]) -> list[str]:
    """Where the home's state and the sandbox disagree for these periods."""
    problems: list[str] = []
    journals, payments = live_documents(dump)
    remote: dict[str, set[str]] = {}
    for key, content_hash, document in [*journals, *payments]:
        remote.setdefault(key.split("/")[0], set()).add(f"{key}#{content_hash}={document['id']}")
    with sqlite3.connect(f"file:{home / 'state.sqlite3'}?mode=ro", uri=True) as db:
        stated = {row[0]: (row[1], row[2]) for row in
                  db.execute("SELECT period, state, hash FROM periods")}
        rows = db.execute("SELECT period, key, hash, status, alegra_id FROM documents "
                          "WHERE status != 'replaced'").fetchall()
    local: dict[str, set[str]] = {}
    for period, key, content_hash, status, alegra_id in rows:
        if status != "posted":
            problems.append(f"{key} is {status} in the state")
        local.setdefault(period, set()).add(f"{key}#{content_hash}={alegra_id}")
    for period in sorted(periods):
        state, period_hash = stated.get(period, (None, None))
        if state != "posted":
            problems.append(f"period {period} is {state} in the state")
        if local.get(period) != remote.get(period):
            problems.append(f"period {period}: state {sorted(local.get(period, ()))}, "
                            f"Alegra {sorted(remote.get(period, ()))}")
        elif any(not doc.split("#")[1].startswith(f"{period_hash}=")
                 for doc in local.get(period, ())):
            problems.append(f"period {period}: documents not of the period's hash {period_hash}")
    return problems


def subprocess_env(home: Path, sandbox: SandboxServer,
                   extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a `python -m alegra_sync` child pointed at this home and sandbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEGRA_SYNC_")}
    env.update({"ALEGRA_SYNC_HOME": str(home), "ALEGRA_SYNC_BASE_URL": sandbox.url,
                "ALEGRA_SYNC_USER": sandbox.USER, "ALEGRA_SYNC_TOKEN": sandbox.TOKEN,
                "NO_COLOR": "1", **(extra or {})})
    return env


def start_sync(home: Path, sandbox: SandboxServer, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "alegra_sync", "sync", *args],
                            env=subprocess_env(home, sandbox), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
