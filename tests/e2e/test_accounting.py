"""What real payrolls need, end to end against the sandbox: an employee shared between cost
centers, an export with cents and the ajuste al peso, and terceros created and found the
Colombian way. Every amount is worked by hand."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

from alegra_sync.sandbox import SandboxServer
from alegra_sync.sandbox.seed import demo_category
from e2e.helpers import cli, employee, entries, sync_json, write_export
from e2e.test_sync import ANA, NOV1, NOV15

D = Decimal
PERIOD = "2026-11-01"


def edit_mapping(home: Path, change: Any) -> None:
    path = home / "mapping.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def live(sandbox: SandboxServer) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dump = sandbox.store.dump()
    return dump["journals"], [p for p in dump["payments"] if p["status"] != "void"]


# --- cost-center distribution ----------------------------------------------------------------

CARLA = employee("3003", "Carla Ruiz", "Compartido", "EPS Sura", "Protección AFP", "2026-11-15",
                 Salario=1000001, Auxilio_de_transporte=100000, Salud_empleado=40000,
                 Pensión_empleado=40000, Pensión_empleador=120001, Cesantías=83334)


def test_a_shared_employee_posts_one_line_per_cost_center(home: Path,
                                                          sandbox: SandboxServer) -> None:
    edit_mapping(home, lambda m: m["cost_centers"].update({"Compartido": {"1": 60, "2": 40}}))
    write_export(home, NOV1, NOV15, [CARLA])
    code, result = sync_json("--period", PERIOD)
    assert code == 0, result
    [journal], [payment] = live(sandbox)
    # 60 % Administración (1), 40 % Ventas (2), by the largest remainder: Salario 1.000.001 is
    # 600.001 / 400.000, and Ventas' share goes to Ventas' account (5072 Sueldos ventas);
    # Auxilio 60.000 / 40.000 (5074 for Ventas); Pensión empleador 120.001 is 72.001 / 48.000;
    # Cesantías 83.334 is 50.000 / 33.334. Balance-sheet lines stay whole.
    assert entries(journal) == sorted([
        ("5053", D(600001), D(0), "3003", "1"),
        ("5072", D(400000), D(0), "3003", "2"),
        ("5055", D(60000), D(0), "3003", "1"),
        ("5074", D(40000), D(0), "3003", "2"),
        ("5062", D(72001), D(0), None, "1"),
        ("5062", D(48000), D(0), None, "2"),
        ("5056", D(50000), D(0), None, "1"),
        ("5056", D(33334), D(0), None, "2"),
        ("5015", D(0), D(40000), "800088702", None),
        ("5020", D(0), D(160001), "800138188", None),
        ("5023", D(0), D(1020001), "3003", None),
        ("5025", D(0), D(83334), "3003", None),
    ])
    assert D(str(payment["amount"])) == D(1020001)
    descriptions = {e["description"] for e in journal["entries"] if e["id"] in ("5053", "5072")}
    assert descriptions == {"Salario — Carla Ruiz"}

    check = cli("map", "--check", "--export", str(home / "exports" /
                                                  "nomina_2026-11-01_2026-11-15.csv"))
    assert check.exit_code == 0, check.output
    assert "cost center 'Compartido' is shared: 1 Administración 60 %, 2 Ventas 40 %" in \
        check.stdout
    shown = cli("map", "show")  # no Alegra request: the ids the mapping holds
    assert "│ Compartido     │ 1 60 %, 2 40 %" in shown.stdout


def test_a_distribution_on_an_unknown_cost_center_is_refused_before_posting(
        home: Path, sandbox: SandboxServer) -> None:
    edit_mapping(home, lambda m: m["cost_centers"].update({"Compartido": {"1": 60, "7": 40}}))
    write_export(home, NOV1, NOV15, [CARLA])
    result = cli("sync", "--period", PERIOD)
    assert result.exit_code == 78, result.output
    assert "cost center 7 ('Compartido') does not exist or is inactive" in result.output
    assert sandbox.store.dump()["requests"]["POST"] == 0


def test_map_set_cost_center_writes_a_distribution_the_check_accepts(
        home: Path, sandbox: SandboxServer) -> None:
    result = cli("map", "set-cost-center", "Compartido", "--share", "ADM=60", "--share",
                 "Ventas=40")
    assert result.exit_code == 0, result.output
    mapping = tomllib.loads((home / "mapping.toml").read_text(encoding="utf-8"))
    assert mapping["cost_centers"]["Compartido"] == {"1": 60, "2": 40}
    bad = cli("map", "set-cost-center", "Compartido", "--share", "1=60", "--share", "2=30")
    assert bad.exit_code == 78
    assert "error: [cost_centers] 'Compartido': the percentages add up to 90 %, not 100 %" in \
        bad.output
    mapping = tomllib.loads((home / "mapping.toml").read_text(encoding="utf-8"))
    assert mapping["cost_centers"]["Compartido"] == {"1": 60, "2": 40}  # unchanged


# --- the ajuste al peso ----------------------------------------------------------------------

# Ana: 2.000.000,40 + 100.000,40 round to 2.100.000; less 160.000 the mapping computes
# 1.940.000, and the export's Neto 1.940.000,80 rounds to 1.940.001: +1 for Ana. Bruno:
# 1.500.000,60 + 50.000,60 round to 1.550.002; less 120.000: 1.430.002, while his Neto
# 1.430.001,20 rounds to 1.430.001: −1. The egreso pays 1.940.001 + 1.430.001 = 3.370.002.
ANA_CENTS = employee("1001", "Ana Gómez", "Administración", "EPS Sura", "Protección AFP",
                     "2026-11-15", Salario="2000000,40", Auxilio_de_transporte="100000,40",
                     Salud_empleado=80000, Pensión_empleado=80000)
BRUNO_CENTS = employee("1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP",
                       "2026-11-15", Salario="1500000,60", Horas_extras="50000,60",
                       Salud_empleado=60000, Pensión_empleado=60000)


def with_rounding_account(home: Path, sandbox: SandboxServer) -> None:
    sandbox.store._state["categories"].append(demo_category(  # noqa: SLF001 (test set-up)
        ("5099", "5041", "429581", "Ajuste al peso", "income", "credit", "movement", "active")))
    edit_mapping(home, lambda m: m["accounts"].update(
        {"rounding": {"id": "5099", "name": "Ajuste al peso"}}))


def test_an_export_with_cents_posts_the_ajuste_and_an_egreso_of_the_netos(
        home: Path, sandbox: SandboxServer) -> None:
    with_rounding_account(home, sandbox)
    write_export(home, NOV1, NOV15, [ANA_CENTS, BRUNO_CENTS])
    code, result = sync_json("--period", PERIOD)
    assert code == 0, result
    assert result["periods"][0]["net_pay"] == "3370002"
    [journal], [payment] = live(sandbox)
    rows = entries(journal)
    assert [row for row in rows if row[0] == "5099"] == [
        ("5099", D(0), D(1), "1002", None), ("5099", D(1), D(0), "1001", None)]
    payable = [row for row in rows if row[0] == "5023"]
    assert sorted(payable) == sorted([
        ("5023", D(0), D(1940000), "1001", None), ("5023", D(0), D(1), "1001", None),
        ("5023", D(0), D(1430002), "1002", None), ("5023", D(1), D(0), "1002", None)])
    assert D(str(payment["amount"])) == D(3370002)  # exactly the export's Netos
    ajustes = [e["description"] for e in journal["entries"] if e["id"] == "5099"]
    assert sorted(ajustes) == ["Ajuste al peso — Ana Gómez", "Ajuste al peso — Bruno Díaz"]
    assert sync_json("--period", PERIOD)[1]["periods"][0]["outcome"] == "already-posted"


def test_without_the_rounding_account_it_is_refused_with_nothing_written(
        home: Path, sandbox: SandboxServer) -> None:
    write_export(home, NOV1, NOV15, [ANA_CENTS, BRUNO_CENTS])
    result = cli("sync", "--period", PERIOD)
    assert result.exit_code == 65, result.output
    assert (
        "employee 1001 (Ana Gómez): Neto a pagar 1.940.001 but the mapping computes 1.940.000: "
        "a difference of 1 that only an ajuste al peso can take, and the mapping has no "
        "[accounts] rounding") in result.output
    dump = sandbox.store.dump()
    assert (dump["journals"], dump["payments"]) == ([], [])
    assert {m: dump["requests"][m] for m in ("POST", "PUT", "DELETE")} == {
        "POST": 0, "PUT": 0, "DELETE": 0}


# --- terceros the Colombian way ---------------------------------------------------------------

EXPORT_WITH_NAMES = """\
Tipo de documento;Identificación;Primer nombre;Segundo nombre;Primer apellido;Segundo apellido;\
Centro de costos;EPS;AFP;Fecha inicio;Fecha fin;Salario;Salud empleado;Pensión empleado;\
Retención en la fuente;Neto a pagar
CE;E-445566;María;de los Ángeles;Pérez;de la Hoz;Administración;EPS Sura;Protección AFP;\
01/11/2026;15/11/2026;3.000.000;120.000;120.000;50.000;2.710.000
;1020304050;Ana;María;Gómez;Rincón;Ventas;800.251.440-6;Porvenir AFP;01/11/2026;\
15/11/2026;1.500.000;60.000;60.000;;1.380.000
"""


def test_terceros_are_created_as_an_accountant_expects_and_found_again(
        home: Path, sandbox: SandboxServer) -> None:
    # the retención goes to the DIAN, written with its check digit; Alegra has no DIAN yet
    edit_mapping(home, lambda m: m["concepts"]["Retención en la fuente"].update(
        {"credit_tercero": {"nit": "800.197.268-4"}}))
    (home / "exports" / "nomina_2026-11-01_2026-11-15.csv").write_text(
        EXPORT_WITH_NAMES, encoding="utf-8")
    before = {c["id"] for c in sandbox.store.dump()["contacts"]}
    code, result = sync_json("--period", PERIOD)
    assert code == 0, result["periods"][0]["error"]
    contacts = sandbox.store.dump()["contacts"]
    created = {c["identification"]: c for c in contacts if c["id"] not in before}
    assert set(created) == {"E445566", "1020304050", "800197268"}
    maria, dian, ana = created["E445566"], created["800197268"], created["1020304050"]
    assert (ana["identificationObject"], ana["nameObject"]["secondName"]) == (
        {"type": "CC", "number": "1020304050"}, "María")  # a blank type is CC
    assert (maria["kindOfPerson"], maria["identificationObject"], maria["nameObject"]) == (
        "PERSON_ENTITY", {"type": "CE", "number": "E445566"},
        {"firstName": "María", "secondName": "de los Ángeles", "lastName": "Pérez",
         "secondLastName": "de la Hoz"})
    assert maria["name"] == "María de los Ángeles Pérez de la Hoz"
    assert (dian["name"], dian["kindOfPerson"], dian["identificationObject"]) == (
        "Dirección de Impuestos y Aduanas Nacionales - DIAN", "LEGAL_ENTITY",
        {"type": "NIT", "number": "800197268", "dv": "4"})
    # the export wrote Sanitas' NIT with dots and check digit: the seeded contact, not a new one
    [journal] = sandbox.store.dump()["journals"]
    assert ("5015", D(0), D(60000), "800251440", None) in entries(journal)
    assert ("5013", D(0), D(50000), "800197268", None) in entries(journal)
    assert {e["description"] for e in journal["entries"] if e["id"] == "5013"} == {
        "Retención en la fuente"}


def test_a_contact_alegra_holds_with_dots_and_check_digit_is_the_mappings_nit(
        home: Path, sandbox: SandboxServer) -> None:
    dian = sandbox.store.create_contact({"name": "DIAN", "identification": "800.197.268-4"})
    edit_mapping(home, lambda m: m["concepts"]["Retención en la fuente"].update(
        {"credit_tercero": {"nit": "800197268"}}))
    bruno = employee("1002", "Bruno Díaz", "Ventas", "Sanitas EPS", "Porvenir AFP",
                     "2026-11-15", Salario=1500000, Salud_empleado=60000,
                     Pensión_empleado=60000, Retención_en_la_fuente=50000)
    write_export(home, NOV1, NOV15, [ANA, bruno])
    count = len(sandbox.store.dump()["contacts"])
    code, result = sync_json("--period", PERIOD)
    assert code == 0, result
    contacts = sandbox.store.dump()["contacts"]
    assert len(contacts) == count + 2  # Ana and Bruno; the DIAN was found, not created
    [journal] = sandbox.store.dump()["journals"]
    [retencion] = [e for e in journal["entries"] if e["id"] == "5013"]
    assert retencion["client"]["id"] == dian["id"]


# --- descriptions are not content ---------------------------------------------------------------

def test_a_period_whose_journal_only_describes_its_lines_otherwise_is_still_posted(
        home: Path, sandbox: SandboxServer) -> None:
    """A period posted before the new descriptions (account — tercero) is the same period: the
    content hash and the comparison with Alegra's document leave descriptions out."""
    write_export(home, NOV1, NOV15, [ANA])
    code, first = sync_json("--period", PERIOD)
    assert code == 0, first
    with sandbox.store._lock:  # noqa: SLF001 (as the earlier release described the lines)
        for entry in sandbox.store._state["journals"][0]["entries"]:  # noqa: SLF001
            entry["description"] = "Sueldos — Ana Gómez"
    (home / "state.sqlite3").unlink()  # no local record: only Alegra's document decides
    code, again = sync_json("--period", PERIOD)
    assert code == 0, again
    assert again["periods"][0]["outcome"] == "already-posted"
    assert again["periods"][0]["journal_ids"] == first["periods"][0]["journal_ids"]
    journals, payments = live(sandbox)
    assert len(journals) == 1 and len(payments) == 1
