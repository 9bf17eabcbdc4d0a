"""What `status` shows: every period the state knows, with its documents.

Times are kept in UTC in the state; here they are given in America/Bogota (the payroll's
clock), as ISO 8601 with the offset (``2026-11-15T08:30:00-05:00``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from alegra_sync.config import Paths
from alegra_sync.sync.ledger import CompanyRecord, Ledger

BOGOTA = ZoneInfo("America/Bogota")


def read_status(paths: Paths) -> tuple[CompanyRecord | None, list[dict[str, Any]]]:
    """The company the state belongs to and its periods; nothing for a state not created yet
    (``status`` never creates one)."""
    if not paths.database.exists():
        return None, []
    with Ledger.open(paths.database) as ledger:
        return ledger.company(), collect_status(ledger)


def bogota_time(stamp: str | None) -> str | None:
    """A time of the state (ISO, UTC) in America/Bogota, ISO with its offset."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp  # not ours to fix: shown as written
    if moment.tzinfo is None:  # written without an offset: the state writes UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(BOGOTA).isoformat(timespec="seconds")


def collect_status(ledger: Ledger) -> list[dict[str, Any]]:
    """Periods and their documents, in date order; a period with an uncertain document is
    `uncertain`, one recorded by `skip` is `skipped` with its ``reason`` (None elsewhere)."""
    documents: dict[str, list[dict[str, Any]]] = {}
    for doc in ledger.documents():
        documents.setdefault(doc.period, []).append({
            "key": doc.key, "kind": doc.kind, "alegra_id": doc.alegra_id,
            "status": doc.status, "posted_at": bogota_time(doc.posted_at),
            "updated_at": bogota_time(doc.updated_at), "hash": doc.hash,
            "verified": {"at": bogota_time(doc.verified_at), "result": doc.verify_result},
        })
    skipped = ledger.skipped_periods()
    staged = {record.period: record.staged_at for record in ledger.staged()}
    rows: dict[str, dict[str, Any]] = {}
    for period in ledger.periods():
        docs = documents.get(period.period, [])
        state = period.state
        if any(d["status"] in ("uncertain", "posting", "replacing") for d in docs):
            state = "uncertain"
        rows[period.period] = {"period": period.period, "end": period.end_date, "state": state,
                               "error": period.error, "reason": None,
                               "updated_at": bogota_time(period.updated_at),
                               "staged_at": bogota_time(staged.get(period.period)),
                               "verified": {"at": bogota_time(period.verified_at),
                                            "result": period.verify_result},
                               "documents": docs}
    for name, skip in skipped.items():
        # posted outside alegra-sync (`skip`): that is the period's state, whatever an earlier
        # attempt left (skip refuses a period with documents in Alegra)
        rows[name] = {"period": name, "end": skip.end_date, "state": "skipped", "error": None,
                      "reason": skip.reason, "updated_at": bogota_time(skip.skipped_at),
                      "staged_at": None, "verified": {"at": None, "result": None},
                      "documents": documents.get(name, [])}
    return [rows[name] for name in sorted(rows)]
