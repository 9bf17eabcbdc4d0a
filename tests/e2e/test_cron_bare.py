"""crontab.example as cron runs it: a bare environment (`env -i` and the crontab's own
variables, as cron sets them), the command found through the crontab's PATH in pipx's
~/.local/bin, the credentials and their Alegra URL from `connect` alone; quiet on success, the
one line cron mails on failure, and the run log that says what happened (retries, an
uncertain POST adopted)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, write_export
from e2e.test_sync import ANA, BRUNO, NOV1, NOV15
from secrets_scan import assert_no_secret

CRONTAB = Path(__file__).resolve().parents[2] / "crontab.example"
EXAMPLE_HOME = "/home/nomina"  # the user's home as crontab.example writes it out


def crontab() -> tuple[dict[str, str], list[str]]:
    """crontab.example's variables and the commands of its job lines."""
    variables: dict[str, str] = {}
    commands: list[str] = []
    for line in CRONTAB.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assignment = re.fullmatch(r"([A-Z_]+)=(.*)", line)
        if assignment:
            variables[assignment[1]] = assignment[2]
        else:
            commands.append(line.split(None, 5)[5].strip())
    return variables, commands


@pytest.fixture
def user_home(tmp_path: Path) -> Path:
    """The cron user's home, with alegra-sync where pipx puts it: ~/.local/bin (a link to the
    console script, whose first line names its own interpreter)."""
    home = tmp_path / "nomina"
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "alegra-sync").symlink_to(
        Path(sys.executable).parent / "alegra-sync")
    return home


def run_as_cron(command: str, alegra_home: Path, user_home: Path,
                today: str = "2026-11-16") -> subprocess.CompletedProcess[str]:
    """``command`` under /bin/sh with only what cron gives a job: HOME, LOGNAME, SHELL and the
    crontab's variables (its paths moved to this test's folders), plus the rehearsal date."""
    variables, _ = crontab()
    environment = {name: value.replace(EXAMPLE_HOME, str(user_home))
                   for name, value in variables.items()}
    environment.update({"ALEGRA_SYNC_HOME": str(alegra_home), "HOME": str(user_home),
                        "LOGNAME": "nomina", "SHELL": "/bin/sh", "ALEGRA_SYNC_TODAY": today})
    done = subprocess.run(["/bin/sh", "-c", command], env=environment, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=180)
    assert_no_secret(done.stdout + done.stderr, f"cron's mail for {command}")
    return done


def log_lines(home: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in
            (home / "alegra-sync.log").read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def connected(home: Path, sandbox: SandboxServer) -> Path:
    """`connect` once, as the README says; then nothing of the sandbox is in cron's env."""
    result = cli("connect")
    assert result.exit_code == 0, result.output
    return home


def test_the_crontab_is_consistent_and_finds_pipx_installs() -> None:
    variables, commands = crontab()
    assert variables["CRON_TZ"] == "America/Bogota"
    assert f"{EXAMPLE_HOME}/.local/bin" in variables["PATH"].split(":")
    assert "~" not in variables["PATH"] and "$" not in variables["PATH"]  # cron expands neither
    text = CRONTAB.read_text(encoding="utf-8")
    # the comment says the times are Bogotá's, as CRON_TZ makes them (not the machine's)
    comment = text.split("CRON_TZ=America/Bogota")[0].rsplit("\n\n", 1)[-1]
    assert "The times below are Bogotá's" in comment
    assert "Times are the machine's" not in text
    assert commands == ["alegra-sync -q sync", "alegra-sync -q map --check",
                        "alegra-sync -q verify"]


def test_the_crontab_lines_run_silently_in_a_bare_environment(
        connected: Path, user_home: Path, sandbox: SandboxServer) -> None:
    write_export(connected, NOV1, NOV15, [ANA, BRUNO])
    sync, check, verify = crontab()[1]
    for command in (check, sync, verify, "alegra-sync -q connect --check"):
        done = run_as_cron(command, connected, user_home)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), command
    assert [j["reference"].split()[1] for j in sandbox.store.dump()["journals"]] == [
        "2026-11-01/J1"]


def test_a_missing_export_mails_one_line_saying_to_run_again(
        connected: Path, user_home: Path) -> None:
    done = run_as_cron("alegra-sync -q sync", connected, user_home)
    assert (done.returncode, done.stdout) == (66, "")
    assert done.stderr == (
        f"error: 2026-11-01: no export for 2026-11-01–2026-11-15 in {connected / 'exports'} "
        "(pattern '*.*') — put the export there, named with the period's dates, and run "
        "`alegra-sync sync --period 2026-11-01` once it is there: cron does not try again "
        "before its next date (the 1st or the 16th)\n")


def test_map_check_names_its_files_in_the_one_line(connected: Path, user_home: Path) -> None:
    export = write_export(connected, NOV1, NOV15,
                          [{**ANA, "Bonificación": 50000}])  # a concept not in the mapping
    done = run_as_cron("alegra-sync -q map --check", connected, user_home)
    assert (done.returncode, done.stdout) == (65, "")
    assert done.stderr.splitlines() == [
        "✗ concept 'Bonificación' is not in the mapping (employee 1001)",
        f"error: the mapping {connected / 'mapping.toml'} does not cover the export {export}: "
        "1 problem, listed above — run `alegra-sync map` to fix it"]


def test_the_log_records_retries_and_an_uncertain_post_adopted(
        connected: Path, user_home: Path, sandbox: SandboxServer) -> None:
    write_export(connected, NOV1, NOV15, [ANA, BRUNO])
    sandbox.faults.add("GET /categories", "500-before", count=2)  # the client retries twice
    sandbox.faults.add("POST /journals", "500-after")  # stored, but Alegra answers 500
    done = run_as_cron("alegra-sync -q sync", connected, user_home)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    journals = sandbox.store.dump()["journals"]
    assert len(journals) == 1  # adopted, not posted again

    lines = log_lines(connected)
    adopted = [line for line in lines if line["event"] == "adopted"]
    assert [{k: line[k] for k in ("key", "alegra_id", "was", "answer")} for line in adopted] == [
        {"key": "2026-11-01/J1", "alegra_id": str(journals[0]["id"]), "was": "uncertain",
         "answer": "500"}]
    run = next(line for line in lines if line["event"] == "run")
    assert [(r["method"], r["path"], r["after"]) for r in run["retries"]] == [
        ("GET", "/categories", "500"), ("GET", "/categories", "500")]
    assert all(0 < r["wait"] <= 8 for r in run["retries"])
    assert lines.index(adopted[0]) < lines.index(run)  # logged when it happened
