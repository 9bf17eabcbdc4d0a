"""What `status` shows: every period the state knows, with its documents."""

from __future__ import annotations

from typing import Any

from alegra_sync.config import Paths
from alegra_sync.sync.ledger import CompanyRecord, Ledger


def read_status(paths: Paths) -> tuple[CompanyRecord | None, list[dict[str, Any]]]:
    """The company the state belongs to and its periods; nothing for a state not created yet
    (``status`` never creates one)."""
    if not paths.database.exists():
        return None, []
    with Ledger.open(paths.database) as ledger:
        return ledger.company(), collect_status(ledger)


def collect_status(ledger: Ledger) -> list[dict[str, Any]]:
    """Periods and their documents; a period with an uncertain document is `uncertain`."""
    documents: dict[str, list[dict[str, Any]]] = {}
    for doc in ledger.documents():
        documents.setdefault(doc.period, []).append({
            "key": doc.key, "kind": doc.kind, "alegra_id": doc.alegra_id,
            "status": doc.status, "posted_at": doc.posted_at, "hash": doc.hash,
            "verified": {"at": doc.verified_at, "result": doc.verify_result},
        })
    result = []
    for period in ledger.periods():
        docs = documents.get(period.period, [])
        state = period.state
        if any(d["status"] in ("uncertain", "posting", "replacing") for d in docs):
            state = "uncertain"
        result.append({"period": period.period, "end": period.end_date, "state": state,
                       "error": period.error,
                       "verified": {"at": period.verified_at, "result": period.verify_result},
                       "documents": docs})
    return result
