# ruff: noqa: E501  (one account per line reads as a chart)
"""The seeded demo company: a Colombian PUC payroll chart, cost centers, a bank, entities.

Ids are deliberately not the PUC codes, as in a real Alegra company: code and id differ.
Each account: (id, parent id, code, name, type, nature, use, status).
"""

from __future__ import annotations

COMPANY = {
    "name": "Demo Nómina S.A.S.",
    "identification": "900123456",
    "applicationVersion": "colombia",
    "timezone": "America/Bogota",
    "decimalPrecision": "0",
    "calculationScale": "2",
    "currency": {"code": "COP", "symbol": "$"},
    "decimalSeparator": ",",
}

USER = {
    "id": "1",
    "email": "demo@example.com",
    "name": "Demo",
    "role": "admin",
    "status": "active",
    "language": "es_CO",
}

A = "accumulative"
M = "movement"

ACCOUNTS: list[tuple[str, str | None, str, str, str, str, str, str]] = [
    ("5001", None, "1", "Activos", "asset", "debit", A, "active"),
    ("5002", "5001", "11", "Disponible", "asset", "debit", A, "active"),
    ("5003", "5002", "1110", "Bancos", "asset", "debit", A, "active"),
    ("5004", "5003", "111005", "Bancos nacionales", "asset", "debit", M, "active"),
    ("5010", None, "2", "Pasivos", "liability", "credit", A, "active"),
    ("5011", "5010", "23", "Cuentas por pagar", "liability", "credit", A, "active"),
    ("5012", "5011", "2365", "Retención en la fuente", "liability", "credit", A, "active"),
    ("5013", "5012", "236505", "Retención en la fuente salarios y pagos laborales", "liability", "credit", M, "active"),
    ("5014", "5011", "2370", "Retenciones y aportes de nómina", "liability", "credit", A, "active"),
    ("5015", "5014", "237005", "Aportes a entidades promotoras de salud EPS", "liability", "credit", M, "active"),
    ("5016", "5014", "237006", "Aportes a administradoras de riesgos laborales ARL", "liability", "credit", M, "active"),
    ("5017", "5014", "237010", "Aportes parafiscales ICBF, SENA y cajas de compensación", "liability", "credit", M, "active"),
    ("5018", "5014", "237030", "Libranzas", "liability", "credit", M, "active"),
    ("5019", "5011", "2380", "Acreedores varios", "liability", "credit", A, "active"),
    ("5020", "5019", "238030", "Fondos de cesantías y/o pensiones", "liability", "credit", M, "active"),
    ("5021", "5010", "25", "Obligaciones laborales", "liability", "credit", A, "active"),
    ("5022", "5021", "2505", "Salarios por pagar", "liability", "credit", A, "active"),
    ("5023", "5022", "250505", "Salarios por pagar", "liability", "credit", M, "active"),
    ("5024", "5021", "2510", "Cesantías consolidadas", "liability", "credit", A, "active"),
    ("5025", "5024", "251010", "Cesantías consolidadas", "liability", "credit", M, "active"),
    ("5026", "5021", "2515", "Intereses sobre cesantías", "liability", "credit", A, "active"),
    ("5027", "5026", "251505", "Intereses sobre cesantías", "liability", "credit", M, "active"),
    ("5028", "5021", "2520", "Prima de servicios", "liability", "credit", A, "active"),
    ("5029", "5028", "252005", "Prima de servicios", "liability", "credit", M, "active"),
    ("5030", "5021", "2525", "Vacaciones consolidadas", "liability", "credit", A, "active"),
    ("5031", "5030", "252505", "Vacaciones consolidadas", "liability", "credit", M, "active"),
    ("5040", None, "3", "Patrimonio", "equity", "credit", A, "active"),
    ("5041", None, "4", "Ingresos", "income", "credit", A, "active"),
    ("5050", None, "5", "Gastos", "expense", "debit", A, "active"),
    ("5051", "5050", "51", "Operacionales de administración", "expense", "debit", A, "active"),
    ("5052", "5051", "5105", "Gastos de personal administración", "expense", "debit", A, "active"),
    ("5053", "5052", "510506", "Sueldos", "expense", "debit", M, "active"),
    ("5054", "5052", "510515", "Horas extras y recargos", "expense", "debit", M, "active"),
    ("5055", "5052", "510527", "Auxilio de transporte", "expense", "debit", M, "active"),
    ("5056", "5052", "510530", "Cesantías", "expense", "debit", M, "active"),
    ("5057", "5052", "510533", "Intereses sobre cesantías", "expense", "debit", M, "active"),
    ("5058", "5052", "510536", "Prima de servicios", "expense", "debit", M, "active"),
    ("5059", "5052", "510539", "Vacaciones", "expense", "debit", M, "active"),
    ("5060", "5052", "510568", "Aportes a administradoras de riesgos laborales ARL", "expense", "debit", M, "active"),
    ("5061", "5052", "510569", "Aportes a entidades promotoras de salud EPS", "expense", "debit", M, "active"),
    ("5062", "5052", "510570", "Aportes a fondos de pensiones", "expense", "debit", M, "active"),
    ("5063", "5052", "510572", "Aportes cajas de compensación familiar", "expense", "debit", M, "active"),
    ("5064", "5052", "510575", "Aportes ICBF", "expense", "debit", M, "active"),
    ("5065", "5052", "510578", "SENA", "expense", "debit", M, "active"),
    ("5066", "5052", "510595", "Otros gastos de personal (inactiva)", "expense", "debit", M, "inactive"),
    ("5070", "5050", "52", "Operacionales de ventas", "expense", "debit", A, "active"),
    ("5071", "5070", "5205", "Gastos de personal ventas", "expense", "debit", A, "active"),
    ("5072", "5071", "520506", "Sueldos ventas", "expense", "debit", M, "active"),
    ("5073", "5071", "520515", "Horas extras y recargos ventas", "expense", "debit", M, "active"),
    ("5074", "5071", "520527", "Auxilio de transporte ventas", "expense", "debit", M, "active"),
]

COST_CENTERS = [
    {"id": "1", "code": "ADM", "name": "Administración", "description": "", "status": "active"},
    {"id": "2", "code": "VEN", "name": "Ventas", "description": "", "status": "active"},
]

BANK_ACCOUNTS = [
    {"id": "1", "name": "Caja general", "number": None, "description": "", "type": "cash", "status": "active"},
    {"id": "2", "name": "Bancolombia nómina", "number": "0093230987", "description": "Cuenta de nómina",
     "type": "bank", "status": "active"},
]

# Social-security and parafiscal entities, as Alegra contacts (NIT).
ENTITIES = [
    ("800088702", "EPS Sura"),
    ("800251440", "Sanitas EPS"),
    ("800138188", "Protección AFP"),
    ("800229739", "Porvenir AFP"),
    ("860011153", "Positiva ARL"),
    ("890900841", "Comfama"),
    ("899999239", "ICBF"),
    ("899999034", "SENA"),
    ("900336004", "Colpensiones"),
]
