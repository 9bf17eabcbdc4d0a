"""Wrong answers that blocked work or posted twice, end to end (issue 12, items 2, 5, 6, 7, 11).

Each test runs the real command against the sandbox and asserts what landed in Alegra (the
documents, counted, with their amounts), the exit code and message, and what `status` says.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from alegra_sync.sandbox.documents import dumps, loads
from alegra_sync.vouchers.payloads import document_tag
from e2e.helpers import cli, sync_json, write_export
from reliability.second_pass_checks import (
    ANA,
    BRUNO,
    CARLA,
    NET,
    document_writes,
    egresos,
    journals,
    landed,
    move_state_aside,
    paid_on,
    per_employee_mapping,
    run_child,
    set_config,
    status,
    tag,
    writes,
)

NOV1, NOV15, NOV16, NOV30 = (date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 16),
                             date(2026, 11, 30))
DEC1, DEC15 = date(2026, 12, 1), date(2026, 12, 15)
FIRST, SECOND = "2026-11-01", "2026-11-16"
BOTH = NET["1001"] + NET["1002"]


@pytest.fixture(autouse=True)
def december_16(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-12-16")


def quincena(home: Path, start: date, end: date, *rows: dict[str, Any]) -> Path:
    """The period's export, each employee paid on its last day."""
    return write_export(home, start, end, [paid_on(row, end.isoformat()) for row in rows])


def contact_id(sandbox: SandboxServer, identification: str) -> str:
    [found] = [c for c in sandbox.store.dump()["contacts"]
               if c["identification"] == identification]
    return str(found["id"])


# --- item 2: one undated export, never two periods -------------------------------------------

UNDATED = ("error: nomina.csv names no period: it has no period columns and no dates in its "
           "name — say which with --period YYYY-MM-DD (the period's first day)\n")


def test_an_undated_export_needs_its_period_on_the_1st_and_on_the_16th(
    home: Path, sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    undated = tmp_path / "nomina.csv"
    quincena(home, NOV16, NOV30, ANA, BRUNO).rename(undated)
    for day in ("2026-12-01", "2026-12-16"):  # due: 2026-11-16, then 2026-12-01
        monkeypatch.setenv("ALEGRA_SYNC_TODAY", day)
        refused = cli("sync", "--export", str(undated))
        assert (refused.exit_code, refused.stdout, refused.stderr) == (2, "", UNDATED)
    assert sandbox.store.dump()["requests"] == {"GET": 0, "POST": 0, "PUT": 0, "DELETE": 0}

    code, result = sync_json("--export", str(undated), "--period", SECOND)
    assert (code, result["periods"][0]["outcome"]) == (0, "posted"), result
    code, result = sync_json("--export", str(undated), "--period", SECOND)
    assert (code, result["periods"][0]["outcome"]) == (0, "already-posted"), result
    assert landed(sandbox, SECOND) == ([f"{SECOND}/J1"], [(f"{SECOND}/P1", "2026-11-30", BOTH)])
    assert [tag(j)[0] for j in sandbox.store.dump()["journals"]] == [f"{SECOND}/J1"]


def test_a_dated_export_alone_posts_its_own_period_not_the_due_one(
    home: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    dated = tmp_path / "nomina_2026-11-01_2026-11-15.csv"
    quincena(home, NOV1, NOV15, ANA, BRUNO).rename(dated)
    code, result = sync_json("--export", str(dated))  # today 2026-12-16: 2026-12-01 is due
    assert code == 0, result
    assert [(p["period"], p["outcome"]) for p in result["periods"]] == [(FIRST, "posted")]
    assert landed(sandbox, FIRST) == ([f"{FIRST}/J1"], [(f"{FIRST}/P1", "2026-11-15", BOTH)])
    assert landed(sandbox, "2026-12-01") == ([], [])
    assert list(status()) == [FIRST]


def test_an_export_alone_dated_off_the_calendar_is_refused(
    home: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    off = tmp_path / "nomina_2026-11-03_2026-11-17.csv"
    write_export(home, date(2026, 11, 3), date(2026, 11, 17), [ANA, BRUNO]).rename(off)
    refused = cli("sync", "--export", str(off))
    assert (refused.exit_code, refused.stdout, refused.stderr) == (65, "", (
        "error: nomina_2026-11-03_2026-11-17.csv: its period 2026-11-03–2026-11-17 is not a "
        "biweekly payroll period — check the export's dates or [payroll] frequency\n"))
    assert sandbox.store.dump()["requests"] == {"GET": 0, "POST": 0, "PUT": 0, "DELETE": 0}


# --- item 5: an account recoded in Alegra, a document tagged by an older release ---------------

class PersistedSandbox:
    """A sandbox whose company is edited between runs, as someone edits it in Alegra: it is
    stopped, its state file changed, and started again on the same data."""

    def __init__(self, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.data_dir, self._monkeypatch = data_dir, monkeypatch
        self.server = self._start()

    def _start(self) -> SandboxServer:
        server = SandboxServer(data_dir=self.data_dir).start()
        self._monkeypatch.setenv("ALEGRA_SYNC_BASE_URL", server.url)
        return server

    def edit(self, change: Callable[[dict[str, Any]], None]) -> SandboxServer:
        self.server.stop()
        path = self.data_dir / "sandbox-state.json"
        state = loads(path.read_text(encoding="utf-8"))
        assert isinstance(state, dict)
        change(state)
        path.write_text(dumps(state, indent=1), encoding="utf-8")
        self.server = self._start()
        return self.server


@pytest.fixture
def persisted(home: Path, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[PersistedSandbox]:
    sandbox = PersistedSandbox(tmp_path / "alegra", monkeypatch)
    yield sandbox
    sandbox.server.stop()


def recode(account_id: str, code: str) -> Callable[[dict[str, Any]], None]:
    def change(state: dict[str, Any]) -> None:
        [account] = [a for a in state["categories"] if a["id"] == account_id]
        account["code"] = code
    return change


def test_recoding_an_account_leaves_posted_periods_posted(
    home: Path, persisted: PersistedSandbox
) -> None:
    quincena(home, NOV1, NOV15, ANA, BRUNO)
    quincena(home, NOV16, NOV30, ANA, BRUNO)
    code, first = sync_json("--from", FIRST, "--to", SECOND)
    assert code == 0, first
    quincena(home, DEC1, DEC15, ANA, BRUNO)
    # Sueldos 510506 becomes 529995: its lines now sort after the 5205 accounts'
    sandbox = persisted.edit(recode("5053", "529995"))

    code, result = sync_json("--period", FIRST)
    assert (code, result["periods"][0]["outcome"]) == (0, "already-posted"), result
    code, result = sync_json("--from", FIRST, "--to", "2026-12-01")  # the backfill
    assert code == 0, result
    assert [(p["period"], p["outcome"]) for p in result["periods"]] == [
        (FIRST, "already-posted"), (SECOND, "already-posted"), ("2026-12-01", "posted")]
    assert document_writes(sandbox) == ["POST /journals -> 201", "POST /payments -> 201"]

    move_state_aside(home)  # and looked up in Alegra, by the hash in the tags
    code, result = sync_json("--from", FIRST, "--to", "2026-12-01")
    assert code == 0, result
    assert [p["outcome"] for p in result["periods"]] == ["already-posted"] * 3
    assert [p["journal_ids"] for p in result["periods"][:2]] == [
        p["journal_ids"] for p in first["periods"]]
    for period, paid in ((FIRST, "2026-11-15"), (SECOND, "2026-11-30"),
                         ("2026-12-01", "2026-12-15")):
        assert landed(sandbox, period) == ([f"{period}/J1"], [(f"{period}/P1", paid, BOTH)])


def test_documents_tagged_with_the_older_hash_are_adopted(
    home: Path, persisted: PersistedSandbox
) -> None:
    from alegra_sync.vouchers.payloads import legacy_content_hash

    quincena(home, NOV1, NOV15, ANA, BRUNO)
    code, first = sync_json("--period", FIRST)
    assert code == 0, first
    plan = plan_of(home / "exports" / "nomina_2026-11-01_2026-11-15.csv", NOV1)
    legacy = legacy_content_hash(plan.period, plan.journals, plan.payments, 0)
    assert legacy != plan.content_hash

    def tagged_by_0_1(state: dict[str, Any]) -> None:  # as alegra-sync 0.1 tagged them
        for document, text in [*((j, "reference") for j in state["journals"]),
                               *((p, "observations") for p in state["payments"])]:
            key, _hash = tag(document)
            document[text] = document[text].replace(document_tag(key, plan.content_hash),
                                                    document_tag(key, legacy))

    sandbox = persisted.edit(tagged_by_0_1)
    assert {tag(d)[1] for d in [*journals(sandbox, FIRST), *egresos(sandbox, FIRST)]} == {legacy}
    move_state_aside(home)

    code, result = sync_json("--period", FIRST)
    assert (code, result["periods"][0]["outcome"]) == (0, "already-posted"), result
    assert (result["periods"][0]["journal_ids"], result["periods"][0]["payment_ids"]) == (
        first["periods"][0]["journal_ids"], first["periods"][0]["payment_ids"])
    assert writes(sandbox) == (0, 0, 0)
    assert landed(sandbox, FIRST) == ([f"{FIRST}/J1"], [(f"{FIRST}/P1", "2026-11-15", BOTH)])
    assert status()[FIRST] == {"state": "posted", "error": None, "documents": [
        (f"{FIRST}/J1", "posted"), (f"{FIRST}/P1", "posted")]}
    code, result = sync_json("--period", FIRST)  # and the next run is quiet
    assert (code, result["periods"][0]["outcome"], writes(sandbox)) == (0, "already-posted",
                                                                        (0, 0, 0))


def plan_of(export: Path, start: date) -> Any:
    """The period's VoucherPlan, built as `sync` builds it."""
    from alegra_sync.alegra.catalog import Catalog
    from alegra_sync.config import load_credentials, load_settings, paths_for
    from alegra_sync.mapping.model import load_mapping
    from alegra_sync.payroll.export import read_export
    from alegra_sync.payroll.options import export_options
    from alegra_sync.periods import period_starting
    from alegra_sync.sync.connection import client_for
    from alegra_sync.sync.plan import account_infos, voucher_options
    from alegra_sync.vouchers.build import build_vouchers

    settings = load_settings()
    paths = paths_for(settings)
    period = period_starting(start, settings.payroll.frequency)
    payroll = read_export(export, export_options(settings), period=(period.start, period.end))
    with Catalog(lambda: client_for(settings, load_credentials(paths.credentials))) as catalog:
        return build_vouchers(payroll, load_mapping(paths.mapping), account_infos(catalog.chart),
                              period, voucher_options(settings, catalog.company, payroll, period))


# --- item 6: a contact id Alegra no longer knows ---------------------------------------------

def cache_contact(home: Path, sql: str, *parameters: str) -> None:
    with closing(sqlite3.connect(home / "state.sqlite3")) as db, db:
        assert db.execute(sql, parameters).rowcount == 1


def test_a_stale_contact_id_is_resolved_again_and_the_write_retried(
    home: Path, sandbox: SandboxServer
) -> None:
    quincena(home, NOV1, NOV15, ANA, BRUNO)
    assert sync_json("--period", FIRST)[0] == 0
    ana = contact_id(sandbox, "1001")
    # Ana's contact merged in Alegra: the cache still holds an id that no longer exists
    cache_contact(home, "UPDATE contacts SET alegra_id = '999999' WHERE identification = ?",
                  "1001")
    quincena(home, NOV16, NOV30, ANA, BRUNO)
    before = len(document_writes(sandbox))

    code, result = sync_json("--period", SECOND)
    assert (code, result["periods"][0]["outcome"]) == (0, "posted"), result
    assert document_writes(sandbox)[before:] == [
        "POST /journals -> 400", "POST /journals -> 201", "POST /payments -> 201"]
    [journal] = journals(sandbox, SECOND)
    assert {(str(e["client"]["id"]), Decimal(str(e["debit"])), Decimal(str(e["credit"])))
            for e in journal["entries"]
            if e.get("client") and e["client"]["identification"] == "1001"} == {
        (ana, Decimal(2000000), Decimal(0)), (ana, Decimal(100000), Decimal(0)),
        (ana, Decimal(0), Decimal(1940000))}
    assert landed(sandbox, SECOND) == ([f"{SECOND}/J1"], [(f"{SECOND}/P1", "2026-11-30", BOTH)])
    with closing(sqlite3.connect(home / "state.sqlite3")) as db:
        assert db.execute("SELECT alegra_id FROM contacts WHERE identification = '1001'"
                          ).fetchall() == [(ana,)]
    assert status()[SECOND]["state"] == "posted"


def test_a_contact_gone_from_alegra_fails_the_period_with_what_to_do(
    home: Path, sandbox: SandboxServer
) -> None:
    quincena(home, NOV1, NOV15, ANA, BRUNO)
    assert sync_json("--period", FIRST)[0] == 0
    set_config(home, "create_missing = true", "create_missing = false")
    # Carla's contact was deleted in Alegra after an earlier run cached its id
    cache_contact(home, "INSERT INTO contacts VALUES ('employee', ?, '999999')", "1003")
    quincena(home, NOV16, NOV30, ANA, BRUNO, CARLA)
    before = len(document_writes(sandbox))

    refused = cli("sync", "--period", SECOND)
    assert (refused.exit_code, refused.stdout) == (78, "")
    said = f"{SECOND}: 1 tercero is not an Alegra contact: Carla Ruiz (CC 1003)"
    hint = "create them in Alegra, or set [contacts] create_missing = true in config.toml"
    message = f"{said} ({hint})"  # as the state keeps it
    assert refused.stderr == f"error: {said} — {hint}\n"
    assert document_writes(sandbox)[before:] == ["POST /journals -> 400"]
    assert landed(sandbox, SECOND) == ([], [])
    shown = status()[SECOND]
    assert (shown["state"], shown["documents"]) == ("failed", [])
    assert shown["error"] == message.removeprefix(f"{SECOND}: ")


# --- item 7: a replace cut short, then the export changes again ------------------------------

def test_a_replace_killed_after_its_last_delete_needs_replace_for_another_export(
    home: Path, sandbox: SandboxServer
) -> None:
    quincena(home, NOV1, NOV15, ANA, BRUNO)
    assert sync_json("--period", FIRST)[0] == 0
    quincena(home, NOV1, NOV15, ANA, {**BRUNO, "Salario": 1600000})
    killed = run_child(home, sandbox, "sync", "--period", FIRST, "--replace",
                       crash=f"after-remove:{FIRST}/J1")  # the egreso voided, then this
    assert killed.returncode == 137, killed.stderr
    assert landed(sandbox, FIRST) == ([], [])
    assert [j["id"] for j in sandbox.store.dump()["deleted_journals"]] == ["1001"]
    assert status()[FIRST] == {"state": "uncertain", "error": None, "documents": [
        (f"{FIRST}/J1", "replacing"), (f"{FIRST}/P1", "replaced")]}

    raised_again = {**BRUNO, "Salario": 1700000}
    quincena(home, NOV1, NOV15, ANA, raised_again)
    before = document_writes(sandbox)
    refused = cli("sync", "--period", FIRST)
    assert (refused.exit_code, refused.stdout) == (65, "")
    assert refused.stderr == (
        f"error: {FIRST}: period {FIRST} was posted from other content, and those documents "
        f"are no longer in Alegra — check the export; `alegra-sync sync --period {FIRST} "
        "--replace` posts it again\n")
    assert document_writes(sandbox) == before
    assert landed(sandbox, FIRST) == ([], [])

    code, result = sync_json("--period", FIRST, "--replace")
    # "posted": the removals were the killed run's; this one finishes the replace and posts
    assert (code, result["periods"][0]["outcome"]) == (0, "posted"), result
    assert document_writes(sandbox)[len(before):] == ["POST /journals -> 201",
                                                      "POST /payments -> 201"]
    assert landed(sandbox, FIRST) == ([f"{FIRST}/J1"], [
        (f"{FIRST}/P1", "2026-11-15", BOTH + 200000)])
    [journal] = journals(sandbox, FIRST)
    assert Decimal(str(journal["total"])) == Decimal(2100000 + 1750000)  # the devengos
    assert status()[FIRST]["documents"] == [
        (f"{FIRST}/J1", "posted"), (f"{FIRST}/J1", "replaced"),
        (f"{FIRST}/P1", "posted"), (f"{FIRST}/P1", "replaced")]
    assert sync_json("--period", FIRST)[1]["periods"][0]["outcome"] == "already-posted"


# --- item 11: per-employee egresos, one employee changed ------------------------------------

def test_a_replace_in_per_employee_mode_reposts_only_the_changed_egreso(
    home: Path, sandbox: SandboxServer
) -> None:
    per_employee_mapping(home)
    quincena(home, NOV1, NOV15, ANA, BRUNO, CARLA)
    code, first = sync_json("--period", FIRST)
    assert code == 0, first
    old = {tag(p)[0]: p["id"] for p in egresos(sandbox, FIRST)}
    [old_journal] = [j["id"] for j in journals(sandbox, FIRST)]
    quincena(home, NOV1, NOV15, ANA, {**BRUNO, "Salario": 1600000}, CARLA)
    before = len(document_writes(sandbox))

    code, result = sync_json("--period", FIRST, "--replace")
    assert (code, result["periods"][0]["outcome"]) == (0, "replaced"), result
    [new_journal] = [j["id"] for j in journals(sandbox, FIRST)]
    assert document_writes(sandbox)[before:] == [
        f"POST /payments/{old[f'{FIRST}/P-1002']}/void -> 200",
        f"DELETE /journals/{old_journal} -> 200",
        "POST /journals -> 201", "POST /payments -> 201"]
    now = {tag(p)[0]: p["id"] for p in egresos(sandbox, FIRST)}
    assert now[f"{FIRST}/P-1001"] == old[f"{FIRST}/P-1001"]
    assert now[f"{FIRST}/P-1003"] == old[f"{FIRST}/P-1003"]
    assert now[f"{FIRST}/P-1002"] != old[f"{FIRST}/P-1002"]
    assert new_journal != old_journal
    assert landed(sandbox, FIRST) == ([f"{FIRST}/J1"], [
        (f"{FIRST}/P-1001", "2026-11-15", NET["1001"]),
        (f"{FIRST}/P-1002", "2026-11-15", NET["1002"] + 100000),
        (f"{FIRST}/P-1003", "2026-11-15", NET["1003"])])
    assert [p["id"] for p in sandbox.store.dump()["payments"] if p["status"] == "void"] == [
        old[f"{FIRST}/P-1002"]]
    assert result["periods"][0]["payment_ids"] == [now[f"{FIRST}/P-{i}"]
                                                   for i in ("1001", "1002", "1003")]
    code, again = sync_json("--period", FIRST)
    assert (code, again["periods"][0]["outcome"]) == (0, "already-posted")
    assert len(document_writes(sandbox)) == before + 4
