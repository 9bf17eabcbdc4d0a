"""The real `alegra-sync` in a subprocess against the sandbox, in the accountant's language.

The same five runs (a dry run, a bad export: 65, a missing export: 66, a wrong token: 77, a
held lock: 75) under four ways of choosing the language: ``LANG=es_CO.UTF-8`` (Spanish),
``LANG=C`` (English), ``--lang en`` over ``LANG=es_CO.UTF-8`` (English), and cron's bare
environment with only ``ALEGRA_SYNC_LANG=es`` (Spanish). Each asserts its exact lines and exit
code; a Spanish run also has none of a list of common English words. ``--json`` and the run
log are the same bytes, English, whatever the language.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from alegra_sync.sync.ledger import RunLock
from e2e.helpers import write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from secrets_scan import assert_no_secret

SCRIPT = Path(sys.executable).parent / "alegra-sync"
TODAY = "2026-11-16"  # the quincena due is 2026-11-01
LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
EXPORT = "nomina_2026-11-01_2026-11-15.csv"
# Common English words: a Spanish run's output holds none of them (the names of accounts,
# concepts and employees in these runs are Spanish, and the home's path is taken out).
ENGLISH_WORDS = (" the ", " posted ", " period ", " export ", " file ", " not ", " with ")


@dataclass(frozen=True)
class Language:
    environment: dict[str, str]
    flags: tuple[str, ...] = ()
    bare: bool = False  # cron: nothing but what the crontab sets (no LANG, no PATH…)
    spanish: bool = True


LANGUAGES = {
    "LANG=es_CO.UTF-8": Language({"LANG": "es_CO.UTF-8"}),
    "LANG=C": Language({"LANG": "C"}, spanish=False),
    "--lang en beats LANG=es_CO.UTF-8": Language({"LANG": "es_CO.UTF-8"}, ("--lang", "en"),
                                                 spanish=False),
    "cron: ALEGRA_SYNC_LANG=es, no locale": Language({"ALEGRA_SYNC_LANG": "es"}, bare=True),
}


def alegra_sync(home: Path, sandbox: SandboxServer, language: Language, *args: str,
                token: str | None = None) -> subprocess.CompletedProcess[str]:
    """The console script, with the language's environment and flags (flags first, as the
    global --lang goes), pointed at the home and the sandbox."""
    environment = {} if language.bare else {
        name: value for name, value in os.environ.items()
        if not name.startswith("ALEGRA_SYNC_") and name not in LOCALE}
    environment.update({"ALEGRA_SYNC_HOME": str(home), "ALEGRA_SYNC_BASE_URL": sandbox.url,
                        "ALEGRA_SYNC_USER": sandbox.USER,
                        "ALEGRA_SYNC_TOKEN": token or sandbox.TOKEN,
                        "ALEGRA_SYNC_TODAY": TODAY, **language.environment})
    done = subprocess.run([str(SCRIPT), *language.flags, *args], env=environment,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=180)
    assert_no_secret(done.stdout + done.stderr, f"alegra-sync {' '.join(args)}")
    return done


# --- the five runs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    spanish: list[str]  # lines the output holds (stdout and stderr, in order per stream)
    english: list[str]
    token: str | None = None
    whole: bool = False  # the lines are all of stderr, and nothing goes to stdout
    held: Callable[[], AbstractContextManager[object]] = nullcontext


def dry_run(home: Path) -> Run:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    return Run(("sync", "--period", "2026-11-01", "--dry-run"), 0, spanish=[
        "Simulación del periodo 2026-11-01 (1–15 nov 2026): no se contabiliza nada.",
        "Resumen por cuenta y centro de costos — comprobante 2026-11-01/J1 (2026-11-15)",
        "Egreso: el neto a pagar sale del banco",
        "Lo que sync haría en Alegra:",
        "  contabilizar 2026-11-01/J1",
        "  contabilizar 2026-11-01/P1",
        "aviso: 2026-11-01: 2 terceros aún no son contactos de Alegra; sync los creará",
        "`alegra-sync sync --dry-run --detail` muestra cada línea, por tercero.",
        "2026-11-01: simulación, no se contabilizó nada (débitos 4.379.820 = créditos "
        "4.379.820, neto a pagar 3.270.000)",
    ], english=[
        "Dry run of the period 2026-11-01 (Nov 1–15, 2026): nothing is posted.",
        "Summary by account and cost center — comprobante 2026-11-01/J1 (2026-11-15)",
        "Egreso: the net pay leaves the bank",
        "What sync would do in Alegra:",
        "  post 2026-11-01/J1",
        "  post 2026-11-01/P1",
        "warning: 2026-11-01: 2 terceros are not Alegra contacts yet; sync will create them",
        "`alegra-sync sync --dry-run --detail` shows every line, by tercero.",
        "2026-11-01: dry run, nothing posted (debits 4.379.820 = credits 4.379.820, net pay "
        "3.270.000)",
    ])


def bad_export(home: Path) -> Run:
    export = write_export(home, NOV1, NOV15, [ANA, BRUNO])
    export.write_text(export.read_text(encoding="utf-8").replace("2000000", "dos millones", 1),
                      encoding="utf-8")
    return Run(("sync", "--period", "2026-11-01"), 65, whole=True, spanish=[
        f"error: 2026-11-01: {EXPORT}, fila 2, columna 'Salario', valor 'dos millones': no es "
        "un valor numérico (caracteres inesperados)",
    ], english=[
        f"error: 2026-11-01: {EXPORT}, row 2, column 'Salario', value 'dos millones': not an "
        "amount (unexpected characters)",
    ])


def missing_export(home: Path) -> Run:
    exports = home / "exports"
    return Run(("sync", "--period", "2026-11-01"), 66, whole=True, spanish=[
        f"error: 2026-11-01: no hay archivo de nómina para 2026-11-01–2026-11-15 en {exports} "
        "(patrón '*.*') — ponga allí el archivo de nómina, con las fechas del periodo en el "
        "nombre, y luego ejecute `alegra-sync sync --period 2026-11-01`: cron no lo vuelve "
        "a intentar antes de su próxima fecha (el 1 o el 16)",
    ], english=[
        f"error: 2026-11-01: no export for 2026-11-01–2026-11-15 in {exports} (pattern '*.*') "
        "— put the export there, named with the period's dates, and run `alegra-sync sync "
        "--period 2026-11-01` once it is there: cron does not try again before its next date "
        "(the 1st or the 16th)",
    ])


def wrong_token(home: Path) -> Run:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    return Run(("sync", "--period", "2026-11-01"), 77, token="not-the-token", whole=True,
               spanish=[
        "error: 2026-11-01: Alegra rechazó el usuario o el token (401 a GET /company) — "
        "ejecute `alegra-sync connect`, o corrija ALEGRA_SYNC_USER y ALEGRA_SYNC_TOKEN si "
        "están definidas: tienen prioridad sobre credentials.toml",
    ], english=[
        "error: 2026-11-01: Alegra refused the user or token (401 to GET /company) — run "
        "`alegra-sync connect`, or fix ALEGRA_SYNC_USER and ALEGRA_SYNC_TOKEN if set: they "
        "override credentials.toml",
    ])


def locked(home: Path) -> Run:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    lock = home / "sync.lock"
    return Run(("sync", "--period", "2026-11-01"), 75, whole=True,
               held=lambda: RunLock(lock), spanish=[
        f"error: otra sincronización de alegra-sync está en curso (pid {os.getpid()}, bloqueo "
        f"{lock}) — espere a que termine; vuelva a ejecutarlo más tarde",
    ], english=[
        f"error: another alegra-sync sync is running (pid {os.getpid()}, lock {lock}) — wait "
        "for it to finish; run again later",
    ])


RUNS = {"dry run": dry_run, "bad export (65)": bad_export,
        "missing export (66)": missing_export, "wrong token (77)": wrong_token,
        "locked run (75)": locked}


@pytest.mark.parametrize("language", LANGUAGES.values(), ids=LANGUAGES.keys())
@pytest.mark.parametrize("prepare", RUNS.values(), ids=RUNS.keys())
def test_each_run_speaks_the_chosen_language(home: Path, sandbox: SandboxServer,
                                             prepare: Callable[[Path], Run],
                                             language: Language) -> None:
    run = prepare(home)
    with run.held():
        done = alegra_sync(home, sandbox, language, *run.args, token=run.token)
    expected = run.spanish if language.spanish else run.english
    assert done.returncode == run.code, done.stderr
    if run.whole:
        assert (done.stdout, done.stderr.splitlines()) == ("", expected)
    else:
        lines = done.stdout.splitlines() + done.stderr.splitlines()
        assert [line for line in expected if line not in lines] == []
    if language.spanish:
        said = (done.stdout + done.stderr).replace(str(home), "HOME").lower()
        assert [word for word in ENGLISH_WORDS if word in said] == []
    assert sandbox.store.dump()["journals"] == []


# --- what is data stays English -----------------------------------------------------------------


SPANISH, ENGLISH = LANGUAGES["LANG=es_CO.UTF-8"], LANGUAGES["LANG=C"]


def last_run(home: Path) -> dict[str, Any]:
    lines = (home / "alegra-sync.log").read_text(encoding="utf-8").splitlines()
    return [entry for entry in map(json.loads, lines) if entry["event"] == "run"][-1]


def both_languages(home: Path, sandbox: SandboxServer, *args: str
                   ) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """The same command in Spanish, then in English."""
    return (alegra_sync(home, sandbox, SPANISH, *args),
            alegra_sync(home, sandbox, ENGLISH, *args))


def test_the_json_of_a_dry_run_and_of_a_refusal_is_the_same_in_both_languages(
        home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    spanish, english = both_languages(home, sandbox, "sync", "--period", "2026-11-01",
                                      "--dry-run", "--json")
    assert (spanish.returncode, english.returncode) == (0, 0)
    assert spanish.stdout == english.stdout
    assert spanish.stderr.startswith("aviso: ") and english.stderr.startswith("warning: ")
    document = json.loads(spanish.stdout)
    assert document["periods"][0]["outcome"] == "dry-run"
    assert document["warnings"] == [
        "2026-11-01: 2 terceros are not Alegra contacts yet; sync will create them"]

    # a refusal: its message is English in --json and in the run log, Spanish on stderr
    spanish, english = both_languages(home, sandbox, "sync", "--period", "2026-10-16",
                                      "--json")
    assert (spanish.returncode, english.returncode) == (66, 66)
    assert spanish.stdout == english.stdout
    error = json.loads(spanish.stdout)["periods"][0]["error"]
    assert error["message"].startswith("no export for 2026-10-16–2026-10-31 in ")
    said = alegra_sync(home, sandbox, SPANISH, "sync", "--period", "2026-10-16").stderr
    assert said.startswith("error: 2026-10-16: no hay archivo de nómina para 2026-10-16–")
    logged = last_run(home)
    assert logged["exit_code"] == 66
    assert logged["periods"][0]["error"]["message"] == error["message"]


def test_status_json_is_the_same_in_both_languages(home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA, BRUNO])
    assert alegra_sync(home, sandbox, SPANISH, "sync", "--period", "2026-11-01").returncode == 0
    spanish, english = both_languages(home, sandbox, "status", "--json")
    assert (spanish.returncode, english.returncode) == (0, 0)
    assert spanish.stdout == english.stdout  # the same state: the same times too
    periods = json.loads(spanish.stdout)["periods"]
    assert [(p["period"], p["state"]) for p in periods] == [("2026-11-01", "posted")]
    spanish, english = both_languages(home, sandbox, "status")
    assert "Periodos en el registro local" in spanish.stdout
    assert "Periods in the local state" in english.stdout
