"""Refused before anything is posted, or failed saying what happened, end to end (issue 12,
items 8, 9 and 10; item 11 of issue 13).

XLSX formulas without their values, a zero-length state, settings and flags that cannot work:
each refused with its exit code and one line naming what to fix, nothing sent to Alegra (or
nothing written, where the refusal needs a read). POSTs that Alegra answers 500 while the
look-ups prove the document absent: 69 saying so, the period failed, not uncertain.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import EMPLOYEE_COLUMNS, cli, sync_json, write_export
from reliability.second_pass_checks import (
    ANA,
    BRUNO,
    NET,
    document_writes,
    landed,
    paid_on,
    set_config,
    status,
    writes,
)

FIRST = "2026-11-01"
START, END = date(2026, 11, 1), date(2026, 11, 15)
ROWS = [paid_on(ANA, "2026-11-15"), paid_on(BRUNO, "2026-11-15")]
BOTH = NET["1001"] + NET["1002"]
NOTHING = {"GET": 0, "POST": 0, "PUT": 0, "DELETE": 0}


@pytest.fixture(autouse=True)
def december_16(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_TODAY", "2026-12-16")


# --- item 8: XLSX formulas without their computed values --------------------------------------

XLSX = "nomina_2026-11-01_2026-11-15.xlsx"
CONCEPTS = ["Salario", "Auxilio de transporte", "Salud empleado", "Pensión empleado"]


def workbook(home: Path, cells: list[list[object]], *, neto: bool) -> None:
    """Ana and Bruno's export as a program writes it: openpyxl, never opened in a spreadsheet
    (a formula is saved without the value a spreadsheet would compute)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*EMPLOYEE_COLUMNS, *CONCEPTS, *(["Neto a pagar"] if neto else [])])
    for row, amounts in zip(ROWS, cells, strict=True):
        sheet.append([row[column] for column in EMPLOYEE_COLUMNS] + amounts)
    book.save(home / "exports" / XLSX)


@pytest.mark.parametrize(("neto", "formulas", "named"), [
    (True, [[2000000, 100000, 80000, 80000, "=G2+H2-I2-J2"],
            [1500000, 0, 60000, 60000, "=G3+H3-I3-J3"]], "K2, K3"),
    (False, [[2000000, 100000, "=G2*0.04", "=G2*0.04"],  # deductions: net pay overstated
             [1500000, 0, "=G3*0.04", "=G3*0.04"]], "I2, J2, I3, J3"),
], ids=["neto", "deductions"])
def test_xlsx_formulas_without_values_are_refused_naming_the_cells(
    home: Path, sandbox: SandboxServer, neto: bool, formulas: list[list[object]], named: str
) -> None:
    workbook(home, formulas, neto=neto)
    refused = cli("sync", "--period", FIRST)
    assert (refused.exit_code, refused.stdout) == (65, "")
    assert refused.stderr == (
        f"error: {FIRST}: {XLSX}: cells {named} hold formulas without their computed value (the "
        "file was written by a program and never opened in a spreadsheet) — open the file in "
        "Excel or LibreOffice and save it, or export it with values\n")
    assert writes(sandbox) == (0, 0, 0)
    assert landed(sandbox, FIRST) == ([], [])

    # the same workbook with the values a spreadsheet computes posts the net pay
    workbook(home, [[2000000, 100000, 80000, 80000, *([1940000] if neto else [])],
                    [1500000, 0, 60000, 60000, *([1380000] if neto else [])]], neto=neto)
    code, result = sync_json("--period", FIRST)
    assert (code, result["periods"][0]["outcome"]) == (0, "posted"), result
    assert landed(sandbox, FIRST) == ([f"{FIRST}/J1"], [
        (f"{FIRST}/P1", "2026-11-15", NET["1001"] + 1380000)])


# --- item 9: a zero-length state --------------------------------------------------------------

def test_a_zero_length_state_is_refused_and_nothing_posted(
    home: Path, sandbox: SandboxServer
) -> None:
    write_export(home, START, END, ROWS)
    state = home / "state.sqlite3"
    state.touch()
    refused = cli("sync", "--period", FIRST)
    assert (refused.exit_code, refused.stdout) == (78, "")
    assert refused.stderr == (
        f"error: {state}: the state database is an empty file (0 bytes), not a state "
        "alegra-sync wrote — restore it from a backup, or move it aside: the next sync looks "
        "every document up in Alegra before posting, so nothing is posted twice\n")
    assert sandbox.store.dump()["requests"] == NOTHING
    assert state.stat().st_size == 0
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("state")) == [
        "state.sqlite3"]


# --- item 10: settings and flags that cannot work -----------------------------------------------

@pytest.mark.parametrize(("old", "new", "says"), [
    ("[alegra]\n", "[alegra]\nrequests_per_minute = 0\n",
     "{config}: invalid setting alegra.requests_per_minute: Input should be greater than or "
     "equal to 1"),
    ("[0.1, 0.3, 0.6, 1.0]", "[0.1, -0.3, 0.6, 1.0]",
     "{config}: invalid setting sync.recheck_delays.1: Input should be greater than or equal "
     "to 0"),
    ("[0.1, 0.3, 0.6, 1.0]", "[]",
     "{config}: invalid setting sync.recheck_delays: List should have at least 1 item after "
     "validation, not 0"),
    ("[0.1, 0.3, 0.6, 1.0]", "[0.1, 0.3]",
     "invalid settings: sync.recheck_delays add up to 0.4 s, less than alegra.read_timeout "
     "(2 s): a document Alegra stores late would be posted twice; make them add up to at least "
     "the read timeout — check {config} and the ALEGRA_SYNC_* variables"),
], ids=["requests_per_minute", "negative-recheck", "no-recheck", "rechecks-shorter-than-read"])
def test_a_setting_that_cannot_work_is_refused_naming_it(
    home: Path, sandbox: SandboxServer, old: str, new: str, says: str
) -> None:
    write_export(home, START, END, ROWS)
    set_config(home, old, new)
    refused = cli("sync", "--period", FIRST)
    assert (refused.exit_code, refused.stdout) == (78, "")
    assert refused.stderr == f"error: {says.format(config=home / 'config.toml')}\n"
    assert sandbox.store.dump()["requests"] == NOTHING


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("ALEGRA_SYNC_ALEGRA__REQUESTS_PER_MINUTE", "0",
     "invalid setting alegra.requests_per_minute: Input should be greater than or equal to 1"),
    ("ALEGRA_SYNC_SYNC__RECHECK_DELAYS", "[-2]",
     "invalid setting sync.recheck_delays.0: Input should be greater than or equal to 0"),
])
def test_a_variable_that_cannot_work_is_refused_naming_it(
    home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, variable: str,
    value: str, says: str,
) -> None:
    write_export(home, START, END, ROWS)
    monkeypatch.setenv(variable, value)
    refused = cli("sync", "--period", FIRST)
    assert (refused.exit_code, refused.stdout) == (78, "")
    assert refused.stderr == f"error: {variable}={value!r}: {says}\n"
    assert sandbox.store.dump()["requests"] == NOTHING


@pytest.mark.parametrize(("flags", "says"), [
    (("--to", "2026-11-16"),  # due on 2026-12-16: the quincena 2026-12-01
     "--to 2026-11-16 is before the period due now (2026-12-01), where a range without --from "
     "starts — give --from too, e.g. --from 2026-11-01"),
    (("--from", "2027-01-01"),
     "--from 2027-01-01 is after the last closed period (2026-12-01), where a range without "
     "--to ends — give --to too, or --period for a period not ended yet"),
], ids=["to-before-due", "from-in-the-future"])
def test_a_range_that_selects_nothing_is_a_usage_error(
    home: Path, sandbox: SandboxServer, flags: tuple[str, str], says: str
) -> None:
    write_export(home, START, END, ROWS)
    refused = cli("sync", *flags)
    assert (refused.exit_code, refused.stdout, refused.stderr) == (2, "", f"error: {says}\n")
    assert sandbox.store.dump()["requests"] == NOTHING
    assert status() == {}


# --- issue 13, item 11: Alegra answers 500 to every POST, the look-ups prove it absent ----------

@pytest.mark.parametrize(("route", "key", "what", "posted"), [
    ("POST /journals", f"{FIRST}/J1", "comprobante", ([], [])),
    ("POST /payments", f"{FIRST}/P1", "egreso", ([f"{FIRST}/J1"], [])),
])
def test_500s_to_every_post_end_69_saying_what_happened(
    home: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch, route: str, key: str,
    what: str, posted: tuple[list[str], list[object]],
) -> None:
    monkeypatch.setenv("ALEGRA_SYNC_ALEGRA__READ_TIMEOUT", "0.5")
    monkeypatch.setenv("ALEGRA_SYNC_SYNC__RECHECK_DELAYS", "[0.1, 0.4]")
    write_export(home, START, END, ROWS)
    sandbox.faults.add(route, "500-before", count=3)

    failed = cli("sync", "--period", FIRST)
    assert (failed.exit_code, failed.stdout) == (69, "")
    said = (f"{key}: Alegra answered 500, 500, 500 to the 3 POSTs of the {what}, and the "
            f"{what} was not in Alegra after each; nothing was posted")
    hint = "Alegra is failing; run sync again later"
    message = f"{said} ({hint})"  # as the state and --json keep it
    assert failed.stderr == f"error: {FIRST}: {said} — {hint}\n"
    assert [w for w in document_writes(sandbox) if w.startswith(route)] == [
        f"{route} -> 500"] * 3
    assert landed(sandbox, FIRST) == posted
    shown = status()[FIRST]
    assert (shown["state"], shown["error"]) == ("failed", message)
    assert shown["documents"] == [(f"{FIRST}/J1", "posted")] * len(posted[0])

    code, result = sync_json("--period", FIRST)  # Alegra answers again
    assert (code, result["periods"][0]["outcome"]) == (0, "posted"), result
    assert landed(sandbox, FIRST) == ([f"{FIRST}/J1"], [(f"{FIRST}/P1", "2026-11-15", BOTH)])
