"""Approval before posting (operations.md): with ``[sync] approval = "required"`` a sync
*stages* each period — every check a dry run makes, then the content hash and a summary in the
state, nothing posted — and `approve` posts exactly what was staged, through the same
exactly-once protocol.

What "exactly what was staged" means: the plan `approve` builds from the export and the
mapping as they are then has the staged content hash. If it does not (the export or the
mapping changed since), nothing is posted: the new content is staged in its place (65), and
the message says what changed, from the two summaries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from alegra_sync.errors import DataError
from alegra_sync.i18n import T, Text, joined
from alegra_sync.sync.ledger import Ledger, PeriodRecord, StagedRecord, now
from alegra_sync.vouchers.model import AccountInfo, VoucherPlan

SUMMARY_VERSION = 1
_SHOWN = 8  # accounts or employees named in one "what changed" line


class StagedContentChanged(DataError):
    """The export or the mapping changed since the period was staged: staged again, 65."""


@dataclass(frozen=True)
class Staged:
    """A staged period as `approve` shows it."""

    period: str
    hash: str
    since: str  # UTC ISO
    replace: bool
    export: str | None
    summary: dict[str, Any]
    export_digest: str | None = None
    mapping_digest: str | None = None

    def files_changed(self, mapping: Path) -> list[str]:
        """The files whose bytes differ from staging (their names), read locally."""
        changed = []
        if self.export and self.export_digest != file_digest(Path(self.export)):
            changed.append(Path(self.export).name)
        if self.mapping_digest != file_digest(mapping):
            changed.append(mapping.name)
        return changed


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def plan_summary(plan: VoucherPlan, accounts: Mapping[str, AccountInfo],
                 bank_accounts: Mapping[str, str]) -> dict[str, Any]:
    """What a person approves: totals per account, the employees and their net pay, the
    egresos. Money as exact decimal strings."""
    per_account: dict[str, list[Decimal]] = {}
    for journal in plan.journals:
        for line in journal.lines:
            sums = per_account.setdefault(line.account_id, [Decimal(0), Decimal(0)])
            sums[0] += line.debit
            sums[1] += line.credit
    names: dict[str, str] = {}
    for party in plan.parties():
        if party.kind == "employee":
            names[party.identification] = party.name
    return {
        "version": SUMMARY_VERSION,
        "period": plan.period.name, "end": plan.period.end.isoformat(),
        "debit_total": str(plan.debit_total), "credit_total": str(plan.credit_total),
        "net_pay": str(plan.net_pay), "journals": len(plan.journals),
        "accounts": {
            account: {"label": _label(accounts.get(account), account),
                      "debit": str(debit), "credit": str(credit)}
            for account, (debit, credit) in sorted(per_account.items(),
                                                   key=lambda item: _label(
                                                       accounts.get(item[0]), item[0]))
        },
        "employees": {ident: {"name": names.get(ident, ident), "net": str(net)}
                      for ident, net in sorted(plan.net_by_employee.items())},
        "payments": [{"key": p.key, "date": p.date.isoformat(), "amount": str(p.amount),
                      "bank_account": bank_accounts.get(p.bank_account_id, p.bank_account_id),
                      "employees": len(p.employees)} for p in plan.payments],
    }


def _label(account: AccountInfo | None, account_id: str) -> str:
    if account is None:
        return account_id
    return f"{account.code} {account.name}" if account.code else account.name


def stage_period(ledger: Ledger, plan: VoucherPlan, export: Path | None, mapping: Path,
                 summary: dict[str, Any], *, replace: bool) -> StagedRecord:
    """Record the period as staged with its content hash; the time it was first staged
    stays while the content is the same (the reminders count from it)."""
    period = plan.period.name
    found = ledger.staged(period)
    same = bool(found) and plan.matches(found[0].hash)
    record = StagedRecord(
        period=period, hash=plan.content_hash,
        staged_at=found[0].staged_at if same else now(), replace_posted=replace,
        export=str(export) if export else None,
        export_digest=file_digest(export) if export else None,
        mapping_digest=file_digest(mapping),
        summary=json.dumps(summary, ensure_ascii=False, sort_keys=True))
    ledger.stage(record)
    recorded = ledger.period(period)
    if recorded is None or recorded.state != "posted":  # a posted period stays posted
        ledger.set_period(PeriodRecord(
            period=period, end_date=plan.period.end.isoformat(), hash=plan.content_hash,
            debit_total=str(plan.debit_total), credit_total=str(plan.credit_total),
            net_pay=str(plan.net_pay), export=record.export, state="staged", error=None,
            updated_at=now()))
    return record


def check_staged(ledger: Ledger, plan: VoucherPlan, export: Path | None, mapping: Path,
                 summary: dict[str, Any]) -> Staged:
    """Before `approve` posts: the plan must be what was staged. Otherwise the new content
    is staged in its place and StagedContentChanged says what changed (nothing posted)."""
    period = plan.period.name
    found = ledger.staged(period)
    if not found:
        raise DataError(T("period {period} is not staged: nothing to approve", period=period),
                        hint=T("`alegra-sync sync --period {period}` stages it",
                               period=period))
    staged = as_staged(found[0])
    if plan.matches(staged.hash):
        return staged
    change = describe_change(staged, summary, export, mapping)
    stage_period(ledger, plan, export, mapping, summary, replace=staged.replace)
    raise StagedContentChanged(
        T("period {period} changed since it was staged ({since}): {change}; nothing was "
          "posted, and the new content is staged in its place", period=period,
          since=staged.since, change=change),
        hint=T("check it, then `alegra-sync approve --period {period}` posts the new "
               "content", period=period))


def as_staged(record: StagedRecord) -> Staged:
    try:
        summary = json.loads(record.summary)
    except ValueError:
        summary = {}
    return Staged(record.period, record.hash, record.staged_at, record.replace_posted,
                  record.export, summary if isinstance(summary, dict) else {},
                  record.export_digest, record.mapping_digest)


def read_staged(database: Path) -> list[Staged]:
    """Every staged period (none for a state not created yet)."""
    if not database.exists():
        return []
    with Ledger.open(database) as ledger:
        return [as_staged(record) for record in ledger.staged()]


def describe_change(staged: Staged, summary: dict[str, Any], export: Path | None,
                    mapping: Path) -> Text:
    """Which files changed, then the totals, accounts and employees that differ."""
    old = staged.summary
    parts: list[Text] = []
    if export is not None and staged.export_digest != file_digest(export):
        parts.append(T("the export {file} changed", file=export.name))
    if staged.mapping_digest != file_digest(mapping):
        parts.append(T("the mapping {file} changed", file=mapping.name))
    for key, label in (("debit_total", T("debits")), ("net_pay", T("net pay"))):
        before, after = old.get(key), summary.get(key)
        if before != after:
            parts.append(T("{what} {before} → {after}", what=label, before=before,
                           after=after))
    accounts_before, accounts_after = old.get("accounts", {}), summary.get("accounts", {})
    accounts = sorted({(accounts_after.get(a) or accounts_before.get(a))["label"]
                       for a in accounts_before.keys() | accounts_after.keys()
                       if accounts_before.get(a, {}).get("debit") != accounts_after.get(a, {})
                       .get("debit") or accounts_before.get(a, {}).get("credit")
                       != accounts_after.get(a, {}).get("credit")})
    if accounts:
        parts.append(T("accounts {names}", names=_some(accounts)))
    people_before, people_after = old.get("employees", {}), summary.get("employees", {})
    people = sorted({(people_after.get(i) or people_before.get(i))["name"] + f" ({i})"
                     for i in people_before.keys() | people_after.keys()
                     if people_before.get(i) != people_after.get(i)})
    if people:
        parts.append(T("employees {names}", names=_some(people)))
    return joined("; ", parts) if parts else T("its lines changed (terceros, cost centers or "
                                                "dates)")


def _some(names: list[str]) -> str:
    return ", ".join(names[:_SHOWN]) + (" …" if len(names) > _SHOWN else "")
