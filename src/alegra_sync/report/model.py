"""The period report's content (report.md, "What it holds"), the same for HTML and XLSX.

Built from a ``ReportSource`` (source.py: the state for a posted period, the plan for one not
posted yet) into plain sections of typed cells — text, money as ``Decimal``, dates as
``date`` — that html.py and xlsx.py only lay out. Every text is in the interface's language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from alegra_sync.i18n import _, period_prose
from alegra_sync.mapping.model import format_percentage
from alegra_sync.report.source import ReportSource, SourceDocument
from alegra_sync.sync.ledger import LineRecord
from alegra_sync.vouchers.figures import COST_GROUPS, Group
from alegra_sync.vouchers.model import ZERO

Value = str | Decimal | date | int | bool | None
Kind = Literal["text", "code", "money", "date", "percent", "count", "check", "auto"]
RowStyle = Literal["", "group", "subtotal", "total"]
PNL_TYPES = frozenset({"income", "expense", "cost", "productionCost"})


@dataclass(frozen=True)
class Col:
    header: str
    kind: Kind = "text"


@dataclass
class Row:
    values: list[Value]
    style: RowStyle = ""


@dataclass
class Section:
    key: str  # anchor and sheet order
    title: str
    columns: list[Col]
    rows: list[Row] = field(default_factory=list)
    intro: str | None = None


@dataclass
class Check:
    label: str
    ok: bool | None  # None: could not be checked
    detail: str
    key: str = ""  # what --json names it, never translated: "balanced/J1", "egresos-pay"…


@dataclass
class Bar:
    label: str
    amounts: list[Decimal]  # one per COST_GROUPS


@dataclass
class PeriodReport:
    name: str  # the period's name, 2026-11-01
    title: str
    company: str
    simulated: bool
    state: str
    facts: list[tuple[str, Value]]
    totals: list[tuple[str, Value]]
    checks: list[Check]
    sections: list[Section]  # the cover first
    chart: list[Bar]
    chart_groups: list[str]
    precision: int
    # the totals by the names --json gives them (devengos, net_pay, debits…), never translated
    amounts: dict[str, Value] = field(default_factory=dict)
    staged: bool = False  # staged for approval ([sync] approval = "required"), not posted

    @property
    def json_state(self) -> str:
        """posted | staged | simulation, as --json says it."""
        return "staged" if self.staged else ("simulation" if self.simulated else "posted")

    @property
    def marker(self) -> str:
        """What every page and sheet of a simulation says."""
        return _("simulation — not posted") if self.simulated else ""


def group_label(group: Group) -> str:
    return {"devengo": _("devengos"), "deduccion": _("deducciones"),
            "aporte": _("employer contributions"), "provision": _("provisions")}[group]


def build_report(source: ReportSource) -> PeriodReport:
    journals = [d for d in source.documents if d.kind == "journal"]
    payments = [d for d in source.documents if d.kind == "payment"]
    lines = [line for doc in journals for line in doc.lines or []]
    checks = _checks(source, journals, payments, lines)
    facts = _facts(source, journals, payments)
    keyed = _totals(source, lines)
    totals = [(label, value) for _key, label, value in keyed]
    chart = _chart(source, lines)
    sections = [
        _cover(facts, totals, checks),
        _journal(journals),
        _by_account(lines),
        _by_tercero(lines),
        _by_cost_center(source, lines, chart),
        _employees(source, lines, payments),
        _entities(source, lines),
        _verification(source, checks),
    ]
    period = source.period
    return PeriodReport(
        name=period.name,
        title=_("Payroll report {period}").format(period=period_prose(period.start, period.end)),
        company=_company(source), simulated=source.simulated, state=_state(source),
        facts=facts, totals=totals, checks=checks, sections=sections, chart=chart,
        chart_groups=[group_label(g) for g in COST_GROUPS], precision=source.precision,
        amounts={key: value for key, _label, value in keyed}, staged=source.staged)


# --- the cover -------------------------------------------------------------------------------


def _company(source: ReportSource) -> str:
    if source.company_identification:
        return _("{name} (NIT {nit})").format(name=source.company_name,
                                              nit=source.company_identification)
    return source.company_name


def _state(source: ReportSource) -> str:
    if source.staged:
        return _("staged, waiting for approval — not posted")
    return _("simulation — not posted") if source.simulated else _("posted")


def _facts(source: ReportSource, journals: list[SourceDocument],
           payments: list[SourceDocument]) -> list[tuple[str, Value]]:
    period = source.period
    dates = sorted({date.fromisoformat(p.date) for p in payments if p.date})
    facts: list[tuple[str, Value]] = [
        (_("Company"), _company(source)),
        (_("Period"), f"{period_prose(period.start, period.end)} "
                      f"({period.start.isoformat()} – {period.end.isoformat()})"),
        (_("Payment date"), dates[0] if len(dates) == 1 else
         ", ".join(d.isoformat() for d in dates) or None),
        (_("State"), _state(source)),
        (_("Export file"), source.export_file),
        (_("Export file hash (SHA-256)"), source.export_sha256[:16]
         if source.export_sha256 else _("not recorded")),
        (_("Content hash"), f"#{source.content_hash}"),
    ]
    if not source.simulated:
        facts.append((_("Posted at"), source.posted_at))
        facts.append((_("Posted by the run"), source.run or _("not recorded")))
        facts.append((_("Comprobantes in Alegra"), ", ".join(
            f"{d.key.split('/')[-1]}: {d.alegra_id}" for d in journals) or "—"))
        facts.append((_("Egresos in Alegra"), ", ".join(
            f"{d.key.split('/')[-1]}: {d.alegra_id}" for d in payments) or "—"))
    return facts


def _totals(source: ReportSource,
            lines: list[LineRecord]) -> list[tuple[str, str, Value]]:
    """(the --json name, the label, the value) of each total of the cover."""
    debit = sum((line.debit for line in lines), ZERO)
    credit = sum((line.credit for line in lines), ZERO)
    figures = source.figures
    found: list[tuple[str, str, Value]] = []
    if figures is not None:
        found += [("devengos", _("Devengos"), figures.total("devengo")),
                  ("deducciones", _("Deducciones"), figures.total("deduccion")),
                  ("employer_contributions", _("Employer contributions"),
                   figures.total("aporte")),
                  ("provisions", _("Provisions"), figures.total("provision")),
                  ("net_pay", _("Net pay"), sum((e.neto for e in figures.employees), ZERO))]
    found += [("debits", _("Σ debits"), debit), ("credits", _("Σ credits"), credit)]
    if figures is not None:
        found.append(("employees", _("Employees"), len(figures.employees)))
    return found


def _cover(facts: list[tuple[str, Value]], totals: list[tuple[str, Value]],
           checks: list[Check]) -> Section:
    rows = [Row([label, value]) for label, value in facts]
    rows.append(Row([_("Totals"), None], "group"))
    rows += [Row([label, value]) for label, value in totals]
    rows.append(Row([_("Checks"), None], "group"))
    rows += [Row([check.label, _mark(check.ok) + " " + check.detail]) for check in checks]
    return Section("summary", _("Summary"), [Col(_("Item")), Col(_("Value"), "auto")], rows)


def _mark(ok: bool | None) -> str:
    return "✓" if ok else ("—" if ok is None else "✗")


# --- the comprobante, by account, by tercero -------------------------------------------------


def _part(key: str) -> str:
    return key.rsplit("/", 1)[-1]


def _tercero(line: LineRecord) -> tuple[str, str]:
    """(identification, name) of a line's tercero; ("", "") without one."""
    if line.tercero_identification or line.contact_id:
        return (line.tercero_identification or line.contact_id or "",
                line.tercero_name or "")
    return "", ""


def _journal(journals: list[SourceDocument]) -> Section:
    section = Section("journal", _("Comprobante"), [
        Col(_("Part"), "code"), Col(_("Account code"), "code"), Col(_("Account")),
        Col(_("Cost center")), Col(_("Tercero NIT/ID"), "code"), Col(_("Tercero")),
        Col(_("Description")), Col(_("Debit"), "money"), Col(_("Credit"), "money")],
        intro=_("Every line as posted, in posting order."))
    total_debit = total_credit = ZERO
    for doc in journals:
        part = _part(doc.key)
        if doc.lines is None:
            section.rows.append(Row([part, None, _("lines not recorded (posted by an earlier "
                                                  "version): run alegra-sync verify"),
                                     None, None, None, None, None, None]))
            continue
        for line in doc.lines:
            identification, name = _tercero(line)
            section.rows.append(Row([
                part, line.account_code, line.account_name or line.account_id,
                line.cost_center_name or line.cost_center_id, identification, name,
                line.description, line.debit, line.credit]))
        debit = sum((line.debit for line in doc.lines), ZERO)
        credit = sum((line.credit for line in doc.lines), ZERO)
        total_debit, total_credit = total_debit + debit, total_credit + credit
        section.rows.append(Row([part, None, _("Subtotal {part}").format(part=part), None,
                                 None, None, None, debit, credit], "subtotal"))
    section.rows.append(Row([None, None, _("Total"), None, None, None, None, total_debit,
                             total_credit], "total"))
    return section


_CLASSES = {"1": "1 Activo", "2": "2 Pasivo", "3": "3 Patrimonio", "4": "4 Ingresos",
            "5": "5 Gastos", "6": "6 Costos de ventas", "7": "7 Costos de producción",
            "8": "8 Cuentas de orden deudoras", "9": "9 Cuentas de orden acreedoras"}


def _class_of(line: LineRecord) -> str:
    code = line.account_code or ""
    return code[:1] if code[:1].isdigit() else "?"


def _by_account(lines: list[LineRecord]) -> Section:
    section = Section("accounts", _("By account"), [
        Col(_("Account code"), "code"), Col(_("Account")), Col(_("Debit"), "money"),
        Col(_("Credit"), "money"), Col(_("Net"), "money")],
        intro=_("Debit, credit and net per account, grouped by PUC class."))
    by_account: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    info: dict[str, LineRecord] = {}
    for line in lines:
        sums = by_account[line.account_id]
        sums[0] += line.debit
        sums[1] += line.credit
        info.setdefault(line.account_id, line)
    classes: dict[str, list[str]] = defaultdict(list)
    for account_id, line in info.items():
        classes[_class_of(line)].append(account_id)
    total = [ZERO, ZERO]
    for klass in sorted(classes):
        label = _CLASSES.get(klass, _("No PUC code"))
        section.rows.append(Row([klass if klass != "?" else None, label, None, None, None],
                                "group"))
        sub = [ZERO, ZERO]
        for account_id in sorted(classes[klass], key=lambda a: (info[a].account_code or "", a)):
            debit, credit = by_account[account_id]
            line = info[account_id]
            section.rows.append(Row([line.account_code, line.account_name or account_id,
                                     debit, credit, debit - credit]))
            sub = [sub[0] + debit, sub[1] + credit]
        section.rows.append(Row([None, _("Subtotal {name}").format(name=label), sub[0], sub[1],
                                 sub[0] - sub[1]], "subtotal"))
        total = [total[0] + sub[0], total[1] + sub[1]]
    section.rows.append(Row([None, _("Total"), total[0], total[1], total[0] - total[1]],
                            "total"))
    return section


def _by_tercero(lines: list[LineRecord]) -> Section:
    section = Section("terceros", _("By tercero"), [
        Col(_("Tercero NIT/ID"), "code"), Col(_("Tercero")), Col(_("Account code"), "code"),
        Col(_("Account")), Col(_("Debit"), "money"), Col(_("Credit"), "money"),
        Col(_("Net"), "money")],
        intro=_("Per tercero and account: the view the exógena (formato 2276) and the "
                "balances by tercero need."))
    sums: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    names: dict[str, str] = {}
    accounts: dict[str, LineRecord] = {}
    for line in lines:
        identification, name = _tercero(line)
        names.setdefault(identification, name)
        accounts.setdefault(line.account_id, line)
        pair = sums[(identification, line.account_id)]
        pair[0] += line.debit
        pair[1] += line.credit
    by_tercero: dict[str, list[str]] = defaultdict(list)
    for identification, account_id in sums:
        by_tercero[identification].append(account_id)
    for identification in sorted(names, key=lambda i: (i == "", _id_order(i))):
        keys = sorted(by_tercero[identification],
                      key=lambda a: (accounts[a].account_code or "", a))
        sub = [ZERO, ZERO]
        for account_id in keys:
            debit, credit = sums[(identification, account_id)]
            account = accounts[account_id]
            section.rows.append(Row([identification or None, names[identification] or
                                     (None if identification else _("(no tercero)")),
                                     account.account_code, account.account_name or account_id,
                                     debit, credit, debit - credit]))
            sub = [sub[0] + debit, sub[1] + credit]
        section.rows.append(Row([identification or None, _("Subtotal {name}").format(
            name=names[identification] or identification or _("(no tercero)")), None, None,
            sub[0], sub[1], sub[0] - sub[1]], "subtotal"))
    return section


def _id_order(identification: str) -> tuple[int, int, str]:
    return (0, len(identification), identification) if identification.isdigit() \
        else (1, 0, identification)


# --- cost centers, employees, entities ---------------------------------------------------


def _center_names(source: ReportSource, lines: Iterable[LineRecord]) -> dict[str, str]:
    names = {line.cost_center_id: line.cost_center_name or line.cost_center_id
             for line in lines if line.cost_center_id}
    for employee in source.figures.employees if source.figures else []:
        if employee.cost_center_id and employee.cost_center:
            names.setdefault(employee.cost_center_id, employee.cost_center)
    return names


def _chart(source: ReportSource, lines: list[LineRecord]) -> list[Bar]:
    names = _center_names(source, lines)
    if source.figures is None:  # only the lines: the cost of each center, in one group
        cost: dict[str, Decimal] = defaultdict(Decimal)
        for line in lines:
            if line.account_type in PNL_TYPES:
                cost[line.cost_center_id or ""] += line.debit - line.credit
        return [Bar(names.get(c, c) or _("no cost center"), [amount, ZERO, ZERO])
                for c, amount in sorted(cost.items())]
    amounts: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for concept in source.figures.concepts:
        if concept.group in COST_GROUPS:
            index = COST_GROUPS.index(concept.group)
            for center, amount in concept.by_cost_center.items():
                amounts[center][index] += amount
    return [Bar(names.get(c, c) or _("no cost center"), values)
            for c, values in sorted(amounts.items(), key=lambda item: item[0] or "~")]


def _by_cost_center(source: ReportSource, lines: list[LineRecord],
                    chart: list[Bar]) -> Section:
    groups = [group_label(g) for g in COST_GROUPS]
    section = Section("cost_centers", _("By cost center"), [
        Col(_("Cost center")), *(Col(g, "money") for g in groups), Col(_("Payroll cost"),
                                                                        "money"),
        Col(_("Share"), "percent")],
        intro=_("Payroll cost per cost center and concept group."))
    grand = sum((sum(bar.amounts, ZERO) for bar in chart), ZERO)
    totals = [ZERO, ZERO, ZERO]
    for bar in chart:
        cost = sum(bar.amounts, ZERO)
        section.rows.append(Row([bar.label, *bar.amounts, cost,
                                 cost / grand if grand else None]))
        totals = [a + b for a, b in zip(totals, bar.amounts, strict=True)]
    section.rows.append(Row([_("Total"), *totals, grand, Decimal(1) if grand else None],
                            "total"))
    return section


def _payable_by_employee(source: ReportSource, lines: list[LineRecord]) -> dict[str, Decimal]:
    payable = source.figures.payable_account_id if source.figures else None
    if payable is None:
        payable = next((line.account_id for doc in source.documents if doc.kind == "payment"
                        for line in doc.lines or []), None)
    found: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.account_id == payable:
            found[line.tercero_identification or ""] += line.credit - line.debit
    return found


def _employees(source: ReportSource, lines: list[LineRecord],
               payments: list[SourceDocument]) -> Section:
    section = Section("employees", _("Employees"), [
        Col(_("ID"), "code"), Col(_("Employee")), Col(_("Cost center")),
        Col(_("Devengos"), "money"), Col(_("Deducciones"), "money"), Col(_("Net pay"), "money"),
        Col(_("Payable line"), "money"), Col(_("Egreso"), "code"),
        Col(_("Egreso in Alegra"), "code")])
    payable = _payable_by_employee(source, lines)
    egreso_ids = {doc.key: doc.alegra_id for doc in payments}
    if source.figures is None:
        section.intro = _("Posted by an earlier version: only the payable lines are known.")
        for identification, amount in sorted(payable.items()):
            section.rows.append(Row([identification or None, None, None, None, None, None,
                                     amount, None, None]))
        return section
    total = [ZERO, ZERO, ZERO, ZERO]
    names = _center_names(source, lines)
    per_employee = bool(payable.keys() - {""})  # summary detail: the payable has no tercero
    for employee in sorted(source.figures.employees, key=lambda e: _id_order(e.identification)):
        owed = payable.get(employee.identification, ZERO) if per_employee else None
        center = names.get(employee.cost_center_id or "", employee.cost_center or "")
        if len(employee.shares) > 1:  # shared: every cost center with its percentage
            center = ", ".join(f"{names.get(c, c)} {format_percentage(share)} %"
                               for c, share in employee.shares)
        section.rows.append(Row([
            employee.identification, employee.name, center or None, employee.devengos,
            employee.deducciones, employee.neto, owed, employee.payment_key,
            egreso_ids.get(employee.payment_key or "")]))
        total = [total[0] + employee.devengos, total[1] + employee.deducciones,
                 total[2] + employee.neto, total[3] + (owed or ZERO)]
    section.rows.append(Row([None, _("Total"), None, *total, None, None], "total"))
    return section


def _entities(source: ReportSource, lines: list[LineRecord]) -> Section:
    """The liabilities the period leaves for the PILA and the entities: every credit on a
    balance-sheet account but the payable (paid by the egreso) and the provisions (owed to the
    employees), whose tercero is not an employee."""
    section = Section("entities", _("Payable to entities"), [
        Col(_("Tercero NIT/ID"), "code"), Col(_("Entity")), Col(_("Account code"), "code"),
        Col(_("Account")), Col(_("Amount"), "money")],
        intro=_("What the company must pay next: per EPS, AFP, ARL, caja, ICBF, SENA, DIAN "
                "(retención) and libranza, with its account."))
    figures = source.figures
    skip = {figures.payable_account_id} if figures and figures.payable_account_id else set()
    skip |= set(figures.provision_accounts) if figures else set()
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    info: dict[tuple[str, str], LineRecord] = {}
    for line in lines:
        if (line.account_type in PNL_TYPES or line.account_id in skip
                or line.tercero_kind == "employee"):
            continue
        key = (line.tercero_identification or line.contact_id or "", line.account_id)
        sums[key] += line.credit - line.debit
        info.setdefault(key, line)
    total = ZERO
    for key in sorted(sums, key=lambda k: (info[k].account_code or "", _id_order(k[0]))):
        line, amount = info[key], sums[key]
        if not amount:
            continue
        section.rows.append(Row([key[0] or None, line.tercero_name or line.account_name,
                                 line.account_code, line.account_name or line.account_id,
                                 amount]))
        total += amount
    section.rows.append(Row([None, _("Total"), None, None, total], "total"))
    return section


# --- checks --------------------------------------------------------------------------------


def money_text(amount: Decimal, precision: int = 0) -> str:
    """Colombian format: 1.234.567 (1.234.567,50 with cents)."""
    places = precision if precision else (2 if amount != amount.to_integral_value() else 0)
    text = f"{amount:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _checks(source: ReportSource, journals: list[SourceDocument],
            payments: list[SourceDocument], lines: list[LineRecord]) -> list[Check]:
    checks: list[Check] = []
    for doc in journals:
        if doc.lines is None:
            checks.append(Check(_("Lines of {part} recorded").format(part=_part(doc.key)), False,
                                _("posted by an earlier version: run alegra-sync verify to "
                                  "read them from Alegra"), f"lines-recorded/{_part(doc.key)}"))
            continue
        debit = sum((line.debit for line in doc.lines), ZERO)
        credit = sum((line.credit for line in doc.lines), ZERO)
        checks.append(Check(_("Σ debits = Σ credits, {part}").format(part=_part(doc.key)),
                            debit == credit, f"{money_text(debit)} = {money_text(credit)}"
                            if debit == credit else f"{money_text(debit)} ≠ {money_text(credit)}",
                            f"balanced/{_part(doc.key)}"))
    payable = _payable_by_employee(source, lines)
    if source.figures is not None:
        net = {e.identification: e.neto for e in source.figures.employees}
        if payable.keys() - {""}:
            wrong = sorted(i for i in net if payable.get(i, ZERO) != net[i])
            checks.append(Check(_("The payable nets to each employee's net pay"), not wrong,
                                _("{n} employees agree").format(n=len(net)) if not wrong
                                else _("differs for {ids}").format(ids=", ".join(wrong[:10])),
                                "payable-per-employee"))
        else:
            owed, due = payable.get("", ZERO), sum(net.values(), ZERO)
            checks.append(Check(_("The payable nets to the total net pay"), owed == due,
                                f"{money_text(owed)} / {money_text(due)}", "payable-total"))
    owed_total = sum(payable.values(), ZERO)
    paid = sum((doc.amount for doc in payments), ZERO)
    checks.append(Check(_("The egresos pay exactly the payable"), paid == owed_total,
                        _("{paid} paid, {owed} owed").format(paid=money_text(paid),
                                                              owed=money_text(owed_total)),
                        "egresos-pay-payable"))
    typed = [line for line in lines if line.account_type]
    bare = sorted({line.account_name or line.account_id for line in typed
                   if line.account_type == "liability" and not _tercero(line)[0]})
    checks.append(Check(_("Every liability line has a tercero"),
                        None if not typed else not bare,
                        _("account types not recorded") if not typed else
                        (_("yes") if not bare else _("without tercero: {accounts}").format(
                            accounts=", ".join(bare[:5]))), "liabilities-have-tercero"))
    nameless = [line for line in lines if line.contact_id and not line.tercero_identification]
    checks.append(Check(_("Every tercero has an identification"), not nameless,
                        _("yes") if not nameless else _("{n} lines name a contact without "
                                                        "identification").format(
                            n=len(nameless)), "terceros-identified"))
    rounding = source.figures.rounding_account_id if source.figures else None
    adjust = [line for line in lines if rounding and line.account_id == rounding]
    checks.append(Check(_("Ajuste al peso"), True, _("none") if not adjust else
                        _("{n} lines, {amount}").format(n=len(adjust), amount=money_text(
                            sum((line.debit - line.credit for line in adjust), ZERO))),
                        "ajuste-al-peso"))
    if source.lines_from_alegra:
        checks.append(Check(_("Lines as posted"), None,
                            _("{keys}: read from Alegra at the first verify (posted by an "
                              "earlier version)").format(keys=", ".join(source.lines_from_alegra)),
                            "lines-from-alegra"))
    if source.verify_asked:
        result = source.verify.result if source.verify else "unknown"
        checks.append(Check(_("Alegra holds what was posted (verify)"),
                            None if result == "unknown" else result == "match",
                            {"match": _("every document matches"),
                             "drift": _("Alegra differs: see the documents below"),
                             "unknown": _("Alegra could not be read")}[result], "verify"))
    return checks


def _verification(source: ReportSource, checks: list[Check]) -> Section:
    section = Section("checks", _("Checks"), [Col(_("Check")), Col(_("Result"), "check"),
                                              Col(_("Figures"))])
    section.rows = [Row([check.label, check.ok, check.detail]) for check in checks]
    if source.verify_asked:
        section.rows.append(Row([_("Verify, document by document"), None, None], "group"))
        for doc in source.documents:
            result = doc.verify.result if doc.verify else "unknown"
            section.rows.append(Row([f"{doc.key} ({doc.alegra_id or '—'})",
                                     result == "match" if result != "unknown" else None,
                                     _verify_label(result)]))
    return section


def _verify_label(result: str) -> str:
    from alegra_sync.i18n import pgettext

    return {"match": pgettext("verify result", "match"),
            "missing": pgettext("verify result", "missing"),
            "voided": pgettext("verify result", "voided"),
            "changed": pgettext("verify result", "changed"),
            "duplicate": pgettext("verify result", "duplicate"),
            "unknown": pgettext("verify result", "unknown")}.get(result, result)
