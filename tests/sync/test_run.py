"""The Syncer without the CLI: its RunResult against the sandbox, in process on 127.0.0.1.

Outcomes, Alegra ids, exit codes, warnings and the requests counted, exactly; the sandbox's own
counters say the same. The exports are the e2e tests' (helpers.write_export).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.config import load_credentials, load_settings, paths_for
from alegra_sync.errors import ConfigError, ExitCode, NoExportError, TryLaterError, UsageError
from alegra_sync.periods import Period
from alegra_sync.sandbox import SandboxServer
from alegra_sync.sync.connection import client_for
from alegra_sync.sync.ledger import CompanyRecord, Ledger, RunLock
from alegra_sync.sync.result import PeriodResult, PeriodSelection, RunResult, SyncRequest
from alegra_sync.sync.run import Syncer
from e2e.helpers import FAST_CONFIG, employee, write_export

NOV1, NOV15, NOV16, NOV30 = date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 16), date(
    2026, 11, 30)
ANA = employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
               "2026-11-15", Salario=2000000, Salud_empleado=80000, Pensión_empleado=80000)
BRUNO = employee("1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP", "2026-11-15",
                 Salario=1500000, Salud_empleado=60000, Pensión_empleado=60000)
# A first run reads the company, the chart, cost centers, bank accounts and the contacts, and
# looks the period's journals and egresos up in Alegra before it posts and once more after
# (another home may have posted them too): 9 reads. It creates the two employees as contacts
# (the entities are seeded), then one comprobante and one egreso.
FIRST_RUN = Counter({"GET": 9, "POST": 4})


class Recorder:
    """The Syncer's callbacks, kept."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.periods: list[tuple[str, str]] = []
        self.warnings: list[str] = []

    def syncer(self) -> Syncer:
        settings = load_settings()
        paths = paths_for(settings)
        return Syncer(settings, paths,
                      lambda: client_for(settings, load_credentials(paths.credentials)),
                      on_start=self.started.append, on_period=self.period,
                      warn=lambda message: self.warnings.append(str(message)))

    def period(self, result: PeriodResult) -> None:
        self.periods.append((result.period.name, result.outcome))


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_today(day: str) -> None:
        monkeypatch.setenv("ALEGRA_SYNC_TODAY", day)

    set_today("2026-11-16")
    return set_today


def run(request: SyncRequest, recorder: Recorder | None = None) -> RunResult:
    return (recorder or Recorder()).syncer().run(request)


def period(start: date) -> SyncRequest:
    return SyncRequest(PeriodSelection(period=start))


def live(sandbox: SandboxServer) -> tuple[list[str], list[str]]:
    dump = sandbox.store.dump()
    return ([j["id"] for j in dump["journals"]],
            [p["id"] for p in dump["payments"] if p["status"] != "void"])


def sent(sandbox: SandboxServer) -> Counter[str]:
    return Counter({k: v for k, v in sandbox.store.dump()["requests"].items() if v})


def log_lines(home: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in
            (home / "alegra-sync.log").read_text(encoding="utf-8").splitlines()]


def test_the_due_period_posts_once_then_is_already_posted(home: Path, sandbox: SandboxServer,
                                                          today: Any) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    recorder = Recorder()
    result = run(SyncRequest(), recorder)  # no flag: the period due on the 16th
    assert (result.status, result.exit_code, result.error) == ("success", 0, None)
    assert result.warnings == [] and recorder.warnings == []
    [posted] = result.periods
    assert (posted.period, posted.outcome) == (Period(NOV1, NOV15), "posted")
    assert (posted.journal_ids, posted.payment_ids) == (["1001"], ["2001"])
    assert live(sandbox) == (["1001"], ["2001"])
    assert posted.plan is not None and posted.plan.net_pay == 3_220_000
    assert posted.export == home / "exports" / "nomina_2026-11-01_2026-11-15.csv"
    # entities by their legal name: the built-in table's, else the export's (800229739)
    assert posted.contact_names == {"3001": "Ana Gómez", "3002": "Bruno Díaz",
                                    "1": "EPS Sura", "2": "EPS Sanitas S.A.S.",
                                    "3": "Protección S.A. Pensiones y Cesantías",
                                    "4": "Porvenir AFP"}
    assert result.requests == FIRST_RUN == sent(sandbox)
    assert (recorder.started, recorder.periods) == ([1], [("2026-11-01", "posted")])
    assert result.accounts["5023"].name == "Salarios por pagar"
    assert result.bank_accounts == {"1": "Caja general", "2": "Bancolombia nómina"}
    with Ledger.open(home / "state.sqlite3") as ledger:
        record = ledger.period("2026-11-01")
        assert record is not None and (record.state, record.net_pay) == ("posted", "3220000")

    again = run(period(NOV1))
    assert (again.status, again.exit_code) == ("success", 0)
    [same] = again.periods
    assert (same.outcome, same.journal_ids, same.payment_ids) == (
        "already-posted", ["1001"], ["2001"])
    # known as posted, its contacts cached: only the company, chart, cost centers and banks
    assert again.requests == Counter({"GET": 4})
    assert sent(sandbox) == FIRST_RUN + Counter({"GET": 4})
    assert live(sandbox) == (["1001"], ["2001"])
    assert [(line["event"], line["status"], line["exit_code"]) for line in log_lines(home)
            if line["event"] == "run"] == [("run", "success", 0), ("run", "success", 0)]


def test_a_dry_run_reads_warns_and_writes_nothing(home: Path, sandbox: SandboxServer,
                                                  today: Any) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    result = run(SyncRequest(period(NOV1).selection, dry_run=True))
    assert (result.status, result.exit_code, result.dry_run) == ("success", 0, True)
    [dry] = result.periods
    assert (dry.outcome, dry.journal_ids, dry.payment_ids, dry.already) == ("dry-run", [], [],
                                                                            [])
    assert result.warnings == [
        "2026-11-01: 2 terceros are not Alegra contacts yet; sync will create them"]
    assert result.requests == Counter({"GET": 7}) == sent(sandbox)
    assert live(sandbox) == ([], [])
    with Ledger.open(home / "state.sqlite3") as ledger:
        assert ledger.period("2026-11-01") is None
        assert ledger.documents() == []


def test_a_period_not_ended_yet_posts_with_a_warning(home: Path, sandbox: SandboxServer,
                                                     today: Any) -> None:
    today("2026-11-14")
    write_export(home, NOV1, NOV15, [ANA])
    recorder = Recorder()
    result = run(period(NOV1), recorder)
    assert (result.status, result.exit_code) == ("success", 0)
    assert [p.outcome for p in result.periods] == ["posted"]
    expected = ["2026-11-01: the period ends 2026-11-15, after today (2026-11-14); the export "
                "must be its final one"]
    assert result.warnings == recorder.warnings == expected


def test_catch_up_posts_the_closed_periods_the_state_lacks(home: Path, sandbox: SandboxServer,
                                                           today: Any) -> None:
    (home / "config.toml").write_text(FAST_CONFIG.replace("start = 2026-01-01",
                                                          "start = 2026-10-16"))
    today("2026-12-02")
    for start, end in [(date(2026, 10, 16), date(2026, 10, 31)), (NOV1, NOV15), (NOV16, NOV30)]:
        write_export(home, start, end, [ANA])
    assert [p.outcome for p in run(period(NOV1)).periods] == ["posted"]
    before = sent(sandbox)

    recorder = Recorder()
    result = run(SyncRequest(PeriodSelection(catch_up=True)), recorder)
    assert (result.status, result.exit_code) == ("success", 0)
    # 2026-11-01 is posted according to the state: neither selected nor looked up
    assert [(p.period.name, p.outcome) for p in result.periods] == [
        ("2026-10-16", "posted"), ("2026-11-16", "posted")]
    assert recorder.started == [2]
    assert [(p.journal_ids, p.payment_ids) for p in result.periods] == [
        (["1002"], ["2002"]), (["1003"], ["2003"])]
    # the contacts are cached by the first run: 4 reads, then each period's 2 look-ups, its
    # comprobante and egreso and the 2 look-ups after posting — but 2026-11-16's egresos are
    # dated 2026-11-15 like 2026-10-16's, a window read once until the run writes again
    assert result.requests == Counter({"GET": 11, "POST": 4})
    assert sent(sandbox) == before + result.requests
    assert live(sandbox) == (["1001", "1002", "1003"], ["2001", "2002", "2003"])

    nothing = run(SyncRequest(PeriodSelection(catch_up=True)))
    assert (nothing.status, nothing.exit_code, nothing.periods) == ("nothing-to-do", 0, [])
    assert nothing.requests == Counter({"GET": 1})  # the company, before trusting the state


def test_a_later_period_waits_for_an_earlier_one_that_failed(home: Path,
                                                             sandbox: SandboxServer,
                                                             today: Any) -> None:
    today("2026-12-01")
    write_export(home, NOV16, NOV30, [ANA])  # and none for 2026-11-01
    result = run(SyncRequest(PeriodSelection(first=NOV1, last=NOV16)))
    assert (result.status, result.exit_code) == ("error", ExitCode.NO_INPUT)
    first, second = result.periods
    assert (first.period.name, first.outcome) == ("2026-11-01", "failed")
    assert isinstance(first.error, NoExportError)
    assert first.error.message == (
        f"no export for 2026-11-01–2026-11-15 in {home / 'exports'} (pattern '*.*')")
    assert (second.period.name, second.outcome) == ("2026-11-16", "failed")
    assert second.error is not None and second.error.exit_code == 66
    assert str(second.error) == ("not attempted: the earlier period 2026-11-01 failed "
                                 "(fix it and run again; periods post in order)")
    assert "POST" not in result.requests and live(sandbox) == ([], [])


def test_a_failure_after_a_posted_period_is_partial(home: Path, sandbox: SandboxServer,
                                                    today: Any) -> None:
    today("2026-12-01")
    write_export(home, NOV1, NOV15, [ANA])  # and none for 2026-11-16
    result = run(SyncRequest(PeriodSelection(first=NOV1, last=NOV16)))
    assert (result.status, result.exit_code) == ("partial", 66)
    assert [(p.period.name, p.outcome) for p in result.periods] == [
        ("2026-11-01", "posted"), ("2026-11-16", "failed")]
    assert live(sandbox) == (["1001"], ["2001"])


# --- refused as a whole ----------------------------------------------------------------------


def refused(result: RunResult, error: type[Exception], code: int, message: str) -> None:
    assert (result.status, result.exit_code, result.periods) == ("error", code, [])
    assert isinstance(result.error, error)
    assert result.error.message == message


def test_a_missing_mapping_refuses_the_run_before_any_request(home: Path,
                                                              sandbox: SandboxServer,
                                                              today: Any) -> None:
    write_export(home, NOV1, NOV15, [ANA])
    (home / "mapping.toml").unlink()
    recorder = Recorder()
    result = run(period(NOV1), recorder)
    refused(result, ConfigError, 78, f"{home / 'mapping.toml'}: no mapping file")
    assert result.requests == Counter() and sent(sandbox) == Counter()
    assert recorder.periods == [] and recorder.started == [1]
    [line] = log_lines(home)
    assert (line["event"], line["status"], line["exit_code"]) == ("run", "error", 78)
    assert line["error"] == {"code": 78, "message": str(result.error)}


def test_catch_up_without_a_start_is_refused(home: Path, sandbox: SandboxServer,
                                             today: Any) -> None:
    (home / "config.toml").write_text(FAST_CONFIG.replace("start = 2026-01-01\n", ""))
    result = run(SyncRequest(PeriodSelection(catch_up=True)))
    refused(result, ConfigError, 78, "--catch-up needs [sync] start in config.toml")
    assert result.requests == Counter()


def test_one_export_for_several_periods_is_a_usage_error(home: Path, sandbox: SandboxServer,
                                                         today: Any) -> None:
    export = write_export(home, NOV1, NOV15, [ANA])
    result = run(SyncRequest(PeriodSelection(first=NOV1, last=NOV16), export=export))
    refused(result, UsageError, 2, "--export names one file: use it with a single period")
    assert sent(sandbox) == Counter()


def test_a_held_lock_refuses_a_sync_but_not_a_dry_run(home: Path, sandbox: SandboxServer,
                                                      today: Any) -> None:
    write_export(home, NOV1, NOV15, [ANA])
    with RunLock(home / "sync.lock"):
        result = run(period(NOV1))
        refused(result, TryLaterError, 75, f"another alegra-sync sync is running "
                                           f"(pid {os.getpid()}, lock {home / 'sync.lock'})")
        assert sent(sandbox) == Counter()
        dry = run(SyncRequest(period(NOV1).selection, dry_run=True))
        assert [p.outcome for p in dry.periods] == ["dry-run"]
    assert live(sandbox) == ([], [])


def test_the_state_of_another_company_is_refused(home: Path, sandbox: SandboxServer,
                                                 today: Any) -> None:
    write_export(home, NOV1, NOV15, [ANA])
    with Ledger.open(home / "state.sqlite3") as ledger:
        ledger.bind_company(CompanyRecord("901555777", "Otra Empresa S.A.S."))
    result = run(period(NOV1))
    assert (result.status, result.exit_code, result.periods) == ("error", 78, [])
    assert isinstance(result.error, ConfigError)
    assert result.error.message == (
        f"the state database {home / 'state.sqlite3'} belongs to Otra Empresa S.A.S. "
        "(NIT 901555777), but Alegra is connected to Demo Nómina S.A.S. (NIT 900123456); "
        "nothing was synced")
    assert result.requests == Counter({"GET": 1}) == sent(sandbox)  # GET /company only
    assert live(sandbox) == ([], [])
