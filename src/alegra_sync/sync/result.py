"""What a sync is asked to do and what it did: the request, per-period results, the run's.

Plain data for the CLI to render and for the run log and ``--json``; no I/O.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from alegra_sync.alegra.transport import Retried
from alegra_sync.errors import AlegraSyncError, ExitCode
from alegra_sync.periods import Period
from alegra_sync.sync.ledger import DocumentRecord
from alegra_sync.sync.posting import Preview
from alegra_sync.vouchers.model import AccountInfo, VoucherPlan

# skipped: posted outside alegra-sync (`skip`), so never posted here; staged: prepared for
# `approve` ([sync] approval = "required"), nothing posted
Outcome = Literal["posted", "already-posted", "dry-run", "failed", "replaced", "skipped",
                  "staged"]
JSON_VERSION = 1


@dataclass(frozen=True)
class PeriodSelection:
    """Which periods a run covers, as the flags said; resolved by the run, under its lock
    (``--catch-up`` reads the state). At most one of them is given; none: the period due."""

    period: date | None = None
    first: date | None = None  # --from
    last: date | None = None  # --to
    catch_up: bool = False


@dataclass
class SyncRequest:
    selection: PeriodSelection = field(default_factory=PeriodSelection)
    export: Path | None = None
    dry_run: bool = False
    replace: bool = False
    arguments: str = "sync"  # the command line, for the state's and the log's run record
    approve: bool = False  # `approve`: post what was staged, only if it is still that


@dataclass
class PeriodResult:
    period: Period
    outcome: Outcome
    journal_ids: list[str] = field(default_factory=list)
    payment_ids: list[str] = field(default_factory=list)
    plan: VoucherPlan | None = None
    export: Path | None = None
    error: AlegraSyncError | None = None
    already: list[DocumentRecord] = field(default_factory=list)  # for the dry run
    preview: Preview | None = None  # the dry run: what a sync would delete, void and post
    contact_names: dict[str, str] = field(default_factory=dict)  # alegra id -> name
    reason: str | None = None  # why the period is skipped, as `skip --reason` gave it
    # (debits, credits, net pay) as the state recorded them, for a posted period whose export
    # was archived (no plan)
    totals: tuple[Decimal, Decimal, Decimal] | None = None

    @property
    def figures(self) -> tuple[Decimal, Decimal, Decimal] | None:
        """(debits, credits, net pay): the plan's, else the recorded ones."""
        if self.plan is not None:
            return self.plan.debit_total, self.plan.credit_total, self.plan.net_pay
        return self.totals

    def to_json(self) -> dict[str, Any]:
        figures = self.figures
        return {
            "period": self.period.name,
            "end": self.period.end.isoformat(),
            "outcome": self.outcome,
            "journal_ids": self.journal_ids,
            "payment_ids": self.payment_ids,
            "debit_total": str(figures[0]) if figures else None,
            "credit_total": str(figures[1]) if figures else None,
            "net_pay": str(figures[2]) if figures else None,
            "error": error_json(self.error),
        }


@dataclass
class RunResult:
    periods: list[PeriodResult] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    retries: list[Retried] = field(default_factory=list)  # the client's, for the run log
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)
    # names for display: the chart, cost centers and bank accounts the run read
    accounts: dict[str, AccountInfo] = field(default_factory=dict)
    cost_centers: dict[str, str] = field(default_factory=dict)
    bank_accounts: dict[str, str] = field(default_factory=dict)
    # a refusal of the whole run (lock held, mapping invalid, another company's state…)
    error: AlegraSyncError | None = None

    @property
    def failures(self) -> list[PeriodResult]:
        return [p for p in self.periods if p.outcome == "failed"]

    @property
    def status(self) -> str:
        if self.error is not None:
            return "error"
        if not self.periods:
            return "nothing-to-do"
        failed = self.failures
        if not failed:
            return "success"
        return "partial" if len(failed) < len(self.periods) else "error"

    @property
    def exit_code(self) -> int:
        first = self.error or next((p.error for p in self.failures if p.error is not None),
                                   None)
        return int(first.exit_code) if first else int(ExitCode.OK)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": JSON_VERSION,
            "command": "sync",
            "status": self.status,
            "periods": [p.to_json() for p in self.periods],
            "requests": {m: self.requests.get(m, 0) for m in ("GET", "POST", "PUT", "DELETE")},
            "warnings": self.warnings,
            "error": error_json(self.error),
        }


def error_json(error: AlegraSyncError | None) -> dict[str, Any] | None:
    return {"code": int(error.exit_code), "message": str(error)} if error else None
