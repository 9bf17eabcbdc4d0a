"""Pure helpers for editing a mapping: finding accounts, defaults, what is still missing.

Shared by the interactive ``map`` and the scriptable ``map set``; no Typer, no rich, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Literal

from alegra_sync.alegra.catalog import normalise, search_accounts
from alegra_sync.alegra.models import Account, BankAccount, Contact, CostCenter
from alegra_sync.errors import ConfigError
from alegra_sync.i18n import T
from alegra_sync.mapping.model import (
    HUNDRED,
    PAYABLE,
    AccountRef,
    AccountSide,
    ConceptMapping,
    CostCenterTarget,
    Mapping,
    NitTercero,
    SideOverride,
    Tercero,
    distribution_problem,
)
from alegra_sync.mapping.terceros import proposed_terceros
from alegra_sync.payroll.identity import identification_key
from alegra_sync.payroll.model import PayrollExport

Side = Literal["debit", "credit"]
SIDES: tuple[Side, Side] = ("debit", "credit")
TerceroWord = Literal["employee", "eps", "afp", "none"]
TERCERO_WORDS: dict[str, TerceroWord] = {"employee": "employee", "eps": "eps", "afp": "afp",
                                         "none": "none"}
_SHOWN_CANDIDATES = 5
# Words of a concept name too common to find an account by ("Salud empleado" → "salud").
_NOISE = {"empleado", "empleador", "aportes", "aporte", "de", "del", "la", "el", "los", "las"}

# The PUC's word for what payroll exports call otherwise.
_ALIASES = {"salario": "sueldo", "extras": "horas extras", "caja": "cajas de compensacion"}


# --- finding accounts ------------------------------------------------------------------------


def find_accounts(chart: Iterable[Account], text: str) -> list[Account]:
    """Accounts that take postings matching ``text`` (code or name, accents ignored), best first.

    When the whole text matches nothing, its words are tried one by one and accounts matching
    more of them come first, so "Salud empleado" still finds the EPS accounts.
    """
    postable = [account for account in chart if account.postable]
    found = search_accounts(postable, text)
    if found or not text.strip():
        return found
    words = [w for w in normalise(text).split() if len(w) >= 3 and w not in _NOISE]
    score: dict[str, tuple[int, int]] = {}  # id -> (-words matched, best position)
    by_id = {account.id: account for account in postable}
    for word in words:
        for position, account in enumerate(search_accounts(postable, word)):
            matched, best = score.get(account.id, (0, position))
            score[account.id] = (matched - 1, min(best, position))
    return [by_id[i] for i in sorted(score, key=lambda i: score[i])]


ConceptKind = Literal["earning", "deduction", "employer"]

# How Colombian payroll exports name their concepts. A deduction is taken from the employee's
# pay (its debit is the payable); an earning is owed to them (its credit is the payable); the
# employer's contributions and provisions are owed to an entity or a fund.
_DEDUCTION_WORDS = {"empleado", "trabajador", "retencion", "libranza", "libranzas", "embargo",
                    "embargos", "solidaridad", "prestamo", "prestamos", "descuento",
                    "descuentos", "anticipo", "anticipos", "cooperativa", "afc", "deduccion",
                    "deducciones", "voluntario", "voluntaria", "sindicato", "sindical"}
_EMPLOYER_WORDS = {"empleador", "arl", "caja", "cajas", "compensacion", "icbf", "sena",
                   "cesantias", "intereses", "prima", "vacaciones", "provision", "provisiones",
                   "parafiscales", "riesgos", "dotacion"}
_EARNING_WORDS = {"salario", "sueldo", "sueldos", "basico", "auxilio", "transporte",
                  "conectividad", "extra", "extras", "recargo", "recargos", "nocturno",
                  "nocturnos", "dominical", "dominicales", "festivo", "festivos", "comision",
                  "comisiones", "bonificacion", "bonificaciones", "incapacidad", "incapacidades",
                  "licencia", "viaticos", "devengado", "salarial", "integral", "alimentacion"}


def concept_kind(concept: str) -> ConceptKind | None:
    """What a concept's name says it is, when it says it: a deduction ("Salud empleado",
    "Retención en la fuente"), the employer's ("Pensión empleador", "ARL", "Cesantías") or an
    earning ("Salario", "Auxilio de transporte"); None when the name tells nothing."""
    words = set(re.split(r"\W+", normalise(concept)))
    if words & _DEDUCTION_WORDS:
        return "deduction"
    if words & _EMPLOYER_WORDS:
        return "employer"
    if words & _EARNING_WORDS:
        return "earning"
    return None


def suggest_accounts(
    chart: Iterable[Account], concept: str, side: Side, exclude: str | None = None, *,
    payable: Account | None = None,
) -> list[Account]:
    """Accounts named like the concept, those fitting the side first: P&L for a debit
    (the expense), balance-sheet for a credit (what is owed), and among them those that
    carry a word of the concept whole ("Cesantías consolidadas" for Cesantías, not
    "Retención … salarios" for Salario). ``exclude`` is an account id offered otherwise.

    With ``payable``: it is the first suggestion where it is the likely answer, the credit of
    an earning and the debit of a deduction."""
    chart = list(chart)
    found = find_accounts(chart, concept)
    key = normalise(concept)
    for word, alias in _ALIASES.items():
        if word in key:
            found = find_accounts(chart, alias) + found
    words = _concept_words(concept)
    unique = list({a.id: a for a in found if a.id != exclude}.values())
    ranked = sorted(unique, key=lambda a: (a.is_profit_and_loss != (side == "debit"),
                                           not _has_a_word(a, words)))
    kind = concept_kind(concept)
    if payable is not None and (kind, side) in (("earning", "credit"), ("deduction", "debit")):
        return [payable, *(a for a in ranked if a.id != payable.id)]
    return ranked


def _concept_words(concept: str) -> set[str]:
    """The words of a concept that name it (and their PUC aliases)."""
    key = normalise(concept)
    words = {w for w in re.split(r"\W+", key) if len(w) >= 3 and w not in _NOISE}
    for word, alias in _ALIASES.items():
        if word in key:
            words.update(alias.split())
    return words


def _has_a_word(account: Account, words: set[str]) -> bool:
    return bool(words & set(re.split(r"\W+", normalise(account.name))))


def account_by_code(chart: Iterable[Account], text: str) -> Account | None:
    """The account that takes postings whose PUC code is exactly ``text`` (typed at a
    prompt: "510506" picks it at once); None when no such account, or it is a group."""
    code = text.strip()
    if not code.isdigit():
        return None
    found = [a for a in chart if a.code == code and a.postable]
    return found[0] if len(found) == 1 else None


def cost_center_account(chart: Iterable[Account], debit: Account,
                        cost_center: str) -> Account | None:
    """The account a cost center's share of ``debit`` likely goes to: the one account that
    takes postings, of the same kind (P&L or not), named like ``debit`` plus the cost
    center's name ("Sueldos ventas" for Sueldos in Ventas); None when there is none."""
    wanted = set(normalise(debit.name).split()) | set(normalise(cost_center).split())
    found = [a for a in chart if a.postable and a.id != debit.id
             and a.is_profit_and_loss == debit.is_profit_and_loss
             and wanted <= set(re.split(r"\W+", normalise(a.name)))]
    return found[0] if len(found) == 1 else None


def groups_matching(chart: Iterable[Account], text: str) -> list[Account]:
    """Accounts matching ``text`` that cannot take postings (to explain an empty search)."""
    return [a for a in search_accounts(chart, text) if not a.postable]


def resolve_account(chart: Sequence[Account], text: str) -> Account:
    """The one account ``text`` names: an Alegra id, a PUC code or an exact name (accents and
    case ignored); ``id:`` or ``code:`` in front settles a clash. It must take postings."""
    value = text.strip()
    kind, _, rest = value.partition(":")
    if kind in ("id", "code") and rest:
        key = rest.strip()
        found = [a for a in chart if (a.id if kind == "id" else a.code) == key]
    else:
        by_key = [a for a in chart if value in (a.id, a.code)]
        wanted = normalise(value)
        by_name = [a for a in chart if normalise(a.name) == wanted]
        # A name shared by a group and its only leaf (2505/250505) means the leaf.
        if len(by_name) > 1 and sum(a.postable for a in by_name) == 1:
            by_name = [a for a in by_name if a.postable]
        found = list({a.id: a for a in by_key + by_name}.values())
    if not found:
        near = find_accounts(chart, value)[:_SHOWN_CANDIDATES]
        hint = (T("did you mean {accounts}?", accounts=_list(near)) if near else
                T("see `alegra-sync accounts --search TEXT`"))
        raise ConfigError(T("no Alegra account has id, code or name {text}", text=repr(value)),
                          hint=hint)
    if len(found) > 1:
        raise ConfigError(
            T("{text} names {count} accounts: {accounts}", text=repr(value), count=len(found),
              accounts=_list(found)),
            hint=T("give the id (id:NNNN) or the code (code:NNNNNN) instead"),
        )
    account = found[0]
    check_postable(account)
    return account


def check_postable(account: Account) -> None:
    label = describe(account)
    if account.status != "active":
        raise ConfigError(T("account {account} is inactive in Alegra", account=label),
                          hint=T("activate it in Alegra or choose another"))
    if account.use != "movement":
        raise ConfigError(T("account {account} is a group and cannot take postings",
                            account=label),
                          hint=T("choose one of its accounts: `alegra-sync accounts --search "
                                 "{text}`", text=account.code or account.name))


def describe(account: Account) -> str:
    code = f"{account.code} " if account.code else ""
    return f"{code}{account.name} (id {account.id})"


def _list(accounts: Iterable[Account]) -> str:
    return ", ".join(describe(a) for a in accounts)


def as_side(mapping: Mapping, account: Account) -> AccountSide:
    """What a concept stores for ``account``: "payable" for the payable account, so the file
    says what it means, else the id with Alegra's name beside it for people."""
    payable = mapping.payable
    if payable is not None and payable.id == account.id:
        return PAYABLE
    return AccountRef(id=account.id, name=account.name)


def side_account_id(mapping: Mapping, side: AccountSide | None) -> str | None:
    if side is None:
        return None
    if isinstance(side, AccountRef):
        return side.id
    ref = mapping.accounts.get(side)
    return ref.id if ref else None


# --- terceros and cost centers ------------------------------------------------------------------


def default_tercero(side: Side, account: Account | None, is_payable: bool) -> TerceroWord:
    """The likely tercero: the employee on the payable account (the net pay is theirs); on a
    credit, the EPS for a health account, the AFP for a pension one, the employee for an
    obligación laboral (25xx: cesantías, prima, vacaciones owed to them); else none."""
    if is_payable:
        return "employee"
    if account is None or side != "credit":
        return "none"
    name = normalise(account.name)
    words = set(re.split(r"\W+", name))
    if "salud" in words or "eps" in words:
        return "eps"
    if "pension" in name or "afp" in words:
        return "afp"
    if (account.code or "").startswith("25"):
        return "employee"
    return "none"


def propose_tercero(side: Side, account: Account | None, is_payable: bool,
                    concept: str) -> Tercero:
    """``default_tercero``, and where that is none on a credit, a well-known entity the
    concept or the account names (the DIAN for the retención, the ICBF, the SENA)."""
    word = default_tercero(side, account, is_payable)
    if word != "none" or side != "credit":
        return word
    entity = known_entity_for(concept, account.name if account else "")
    return NitTercero(nit=entity[0]) if entity else "none"


def known_entity_nits() -> list[tuple[str, str]]:
    """(NIT, short name) of the well-known payroll entities proposed as terceros: the built-in
    table (data/entities.toml), the DIAN, ICBF and SENA first."""
    return [(entity.nit, entity.aliases[0] if entity.aliases else entity.name)
            for entity in proposed_terceros()]


# Words that name an entity's role in a concept or an account, by NIT, beyond its names.
_ENTITY_WORDS = {"800197268": {"dian", "retencion", "retenciones", "impuestos"},
                 "899999239": {"icbf", "bienestar"}, "899999034": {"sena", "aprendizaje"}}


@cache
def _entity_phrases() -> list[tuple[str, str, tuple[str, ...]]]:
    """(NIT, short name, the names that name it, normalised) for every known entity."""
    return [(nit, short, tuple({normalise(n) for n in (short, *entity.aliases)}))
            for (nit, short), entity in zip(known_entity_nits(), proposed_terceros(),
                                            strict=True)]


def known_entity_for(concept: str, account_name: str = "") -> tuple[str, str] | None:
    """The one well-known entity the concept names, else the one the account names; None
    when none, or several (the 237010 "ICBF, SENA y cajas" account names three).

    An entity is named by one of its names as whole words ("Aportes Comfama", "ARL Sura"),
    the longest name winning ("ARL Sura" is the ARL, not the EPS Sura), or by its role for the
    three that are the same for every company ("Retención en la fuente" is the DIAN's)."""
    for text in (concept, account_name):
        split = [word for word in re.split(r"\W+", normalise(text)) if word]
        words, padded = set(split), " " + " ".join(split) + " "
        found: dict[tuple[str, str], int] = {}
        for nit, short, names in _entity_phrases():
            longest = max((len(n) for n in names if f" {n} " in padded), default=0)
            if words & _ENTITY_WORDS.get(nit, set()):
                longest = max(longest, 1)
            if longest:
                found[(nit, short)] = longest
        best = [entity for entity, length in found.items() if length == max(found.values())]
        if len(best) == 1:
            return best[0]
        if best:
            return None
    return None


def entity_name(nit: str) -> str | None:
    return next((name for known, name in known_entity_nits() if known == nit), None)


def parse_tercero(text: str) -> Tercero:
    """``employee``, ``eps``, ``afp``, ``none`` or ``nit:NNN`` (as ``map set`` takes them)."""
    value = text.strip().lower()
    if value in TERCERO_WORDS:
        return TERCERO_WORDS[value]
    if value.startswith("nit:"):
        nit = clean_nit(value[4:])
        if nit is not None:
            return NitTercero(nit=nit)
    raise ConfigError(T("{text} is not a tercero", text=repr(text)),
                      hint=T("use employee, eps, afp, none or nit:NNN"))


def tercero_to_store(choice: Tercero, is_payable: bool) -> Tercero:
    """Keep the file short: "none" is written only where it differs from leaving it out
    (the payable side, which defaults to the employee)."""
    if choice == "none" and not is_payable:
        return None
    return choice


def tercero_label(tercero: Tercero, is_payable: bool) -> str:
    if tercero is None:
        return "employee" if is_payable else "none"
    if isinstance(tercero, NitTercero):
        name = entity_name(tercero.nit)
        return f"nit {tercero.nit} ({name})" if name else f"nit {tercero.nit}"
    return tercero


def clean_nit(text: str) -> str | None:
    """A NIT as Alegra keeps it: digits only, without dots and without the check digit
    (``800.088.702-1`` → ``800088702``); None if it is not one."""
    value = re.sub(r"[\s.,]", "", text.strip())
    value = re.sub(r"-\d$", "", value)
    return value if value.isdigit() and 5 <= len(value) <= 15 else None


def default_cost_center(debit: Account | None, credit: Account | None) -> bool | None:
    """Cost centers go on P&L lines: yes when the debit is P&L; None when neither side is
    (the question does not apply)."""
    if not any(a is not None and a.is_profit_and_loss for a in (debit, credit)):
        return None
    return debit is not None and debit.is_profit_and_loss


# --- what the export names that the mapping lacks ----------------------------------------------


def missing_cost_centers(export: PayrollExport, mapping: Mapping) -> list[str]:
    own = mapping.employee_cost_center_index()
    names = {(e.cost_center or "").strip() for e in export.employees
             if identification_key(e.identification) not in own}
    return sorted(n for n in names if n and n not in mapping.cost_centers)


def missing_entities(export: PayrollExport, mapping: Mapping) -> list[tuple[str, str]]:
    """(kind, name) of each EPS/AFP the export names, the mapping uses as a tercero and
    [entities] does not give a NIT for; a value that is all digits is already a NIT."""
    used = {t for rule in mapping.concepts.values()
            for t in (rule.debit_tercero, rule.credit_tercero) if t in ("eps", "afp")}
    found: dict[tuple[str, str], None] = {}
    for employee in export.employees:
        for kind, value in (("eps", employee.eps), ("afp", employee.afp)):
            name = (value or "").strip()
            if (kind in used and name and not identification_key(name).isdigit()
                    and name not in mapping.entities):
                found[(kind, name)] = None
    return sorted(found, key=lambda pair: (pair[0] != "eps", pair[1]))


def best_cost_center(name: str, centers: Sequence[CostCenter]) -> int | None:
    """Index of the Alegra cost center named (or coded) like the export's, if any."""
    wanted = normalise(name)
    for index, center in enumerate(centers):
        if wanted in (normalise(center.name), normalise(center.code or "")):
            return index
    return None


def contact_named(name: str, contacts: Iterable[Contact]) -> Contact | None:
    """The one Alegra contact with a NIT whose name is the export's (or holds it, as
    "EPS SURA S.A." holds "EPS Sura"); None when none or several."""
    wanted = normalise(name)
    found = {identification_key(c.identification): c for c in contacts
             if identification_key(c.identification).isdigit() and wanted in normalise(c.name)}
    exact = [c for c in found.values() if normalise(c.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    return next(iter(found.values())) if len(found) == 1 else None


def bank_accounts_for_payment(banks: Iterable[BankAccount]) -> list[BankAccount]:
    """Active accounts, real banks before cash boxes and the rest."""
    active = [b for b in banks if b.status == "active"]
    return sorted(active, key=lambda b: b.type != "bank")


def choose_concepts(
    known: Sequence[str], mapping: Mapping, chosen: Sequence[str], every: bool
) -> list[str]:
    """The concepts to ask about: those named (accents and case ignored), all, or the
    unmapped ones. A name that is not a known concept is a ValueError listing them."""
    if every:
        return list(known)
    if not chosen:
        return [c for c in known if c not in mapping.concepts]
    by_key = {normalise(c): c for c in known}
    picked: list[str] = []
    for name in chosen:
        concept = name if name in known else by_key.get(normalise(name))
        if concept is None:
            raise ValueError(T("no concept {name} in the export or the mapping; it has: "
                               "{known}", name=repr(name), known=", ".join(known)))
        if concept not in picked:
            picked.append(concept)
    return picked


# --- scriptable edits (`map set`) ------------------------------------------------------------


def side_from_text(mapping: Mapping, chart: Sequence[Account], text: str) -> AccountSide:
    """``payable`` or an account that ``text`` names (see ``resolve_account``)."""
    if text.strip().lower() == PAYABLE:
        if mapping.payable is None:
            raise ConfigError(T("the mapping has no payable account yet"),
                              hint=T("set it first: alegra-sync map set-payable ACCOUNT"))
        return PAYABLE
    return as_side(mapping, resolve_account(chart, text))


def edit_concept(
    mapping: Mapping, chart: Sequence[Account], concept: str, *,
    debit: str | None = None, credit: str | None = None,
    debit_tercero: str | None = None, credit_tercero: str | None = None,
    cost_center: bool | None = None,
) -> ConceptMapping:
    """Map one concept as `map set` is told: a new concept needs both accounts; for a mapped
    one what is not given is kept; terceros and the cost center not given default as `map`
    proposes them. Changes ``mapping``; the caller saves it."""
    current = mapping.concepts.get(concept)
    if current is None and (debit is None or credit is None):
        raise ConfigError(T("concept {concept} is new: give both --debit and --credit",
                            concept=repr(concept)),
                          hint=T("e.g. map set Salario --debit 510506 --credit payable"))
    by_id = {a.id: a for a in chart}
    given: tuple[tuple[Side, str | None], ...] = (("debit", debit), ("credit", credit))
    sides: dict[Side, AccountSide] = {}
    for which, text in given:
        if text is not None:
            sides[which] = side_from_text(mapping, chart, text)
        else:
            assert current is not None  # a new concept has both; checked above
            sides[which] = getattr(current, which)
    accounts = {which: by_id.get(side_account_id(mapping, side) or "")
                for which, side in sides.items()}
    terceros: dict[Side, Tercero] = {}
    given = (("debit", debit_tercero), ("credit", credit_tercero))
    for which, text in given:
        payable = sides[which] == PAYABLE
        if text is not None:
            terceros[which] = tercero_to_store(parse_tercero(text), payable)
        elif current is not None:
            terceros[which] = getattr(current, f"{which}_tercero")
        else:
            terceros[which] = tercero_to_store(
                propose_tercero(which, accounts[which], payable, concept), payable)
    if cost_center is None:
        cost_center = (current.cost_center if current is not None
                       else bool(default_cost_center(accounts["debit"], accounts["credit"])))
    rule = ConceptMapping.model_validate({
        "debit": sides["debit"], "credit": sides["credit"], "cost_center": cost_center,
        "debit_tercero": terceros["debit"], "credit_tercero": terceros["credit"],
    })
    mapping.concepts[concept] = rule
    return rule


# --- per cost center: another account for a concept (`[cost_center_accounts]`) ---------------


def set_cost_center_account(mapping: Mapping, cost_center: str, concept: str, side: Side,
                            account: AccountSide | None) -> None:
    """The ``side`` account of ``concept`` for the employees of ``cost_center`` (an export
    cost-center name); None, or the concept's own account, removes the override."""
    overrides = mapping.cost_center_accounts.setdefault(cost_center, {})
    current = overrides.get(concept) or SideOverride()
    if account is not None and side_account_id(mapping, account) == side_account_id(
            mapping, getattr(mapping.concepts[concept], side)):
        account = None  # the concept's own account: nothing to override
    chosen = current.model_copy(update={side: account})
    if chosen.debit is None and chosen.credit is None:
        overrides.pop(concept, None)
    else:
        overrides[concept] = chosen
    if not overrides:
        del mapping.cost_center_accounts[cost_center]


def cost_center_override(mapping: Mapping, cost_center: str, concept: str,
                         side: Side) -> AccountSide | None:
    override = mapping.cost_center_accounts.get(cost_center, {}).get(concept)
    return getattr(override, side) if override is not None else None


# --- cost centers: distributions and per-cost-center accounts (`map set-cost-center`) ---------


def resolve_cost_center(centers: Sequence[CostCenter], text: str) -> CostCenter:
    """The one active Alegra cost center ``text`` names: its id, its code or its exact name
    (accents and case ignored)."""
    value = text.strip()
    wanted = normalise(value)
    found = [c for c in centers if value == c.id] or [
        c for c in centers
        if wanted and wanted in (normalise(c.code or ""), normalise(c.name))]
    if not found:
        listed = ", ".join(f"{c.id} {c.name}" for c in centers if c.status == "active")
        raise ConfigError(
            T("no Alegra cost center has id, code or name {text}", text=repr(value)),
            hint=T("Alegra has: {centers}", centers=listed) if listed else T(
                "create the cost centers in Alegra first"),
        )
    if len(found) > 1:
        raise ConfigError(
            T("{text} names {count} cost centers", text=repr(value), count=len(found)),
            hint=T("give the id instead: {ids}", ids=", ".join(c.id for c in found)),
        )
    center = found[0]
    if center.status != "active":
        raise ConfigError(
            T("cost center {center} is inactive in Alegra",
              center=" ".join((center.id, center.name))),
            hint=T("activate it in Alegra or choose another"))
    return center


def parse_share(text: str) -> tuple[str, Decimal]:
    """``2=60``, ``Ventas=33,33``, ``3=40.5`` or ``2`` (all of it): (cost center as written,
    percentage)."""
    center, separator, percentage = text.partition("=")
    if not separator:
        return center.strip(), HUNDRED
    try:
        value = Decimal(percentage.strip().removesuffix("%").strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not center.strip() or not value.is_finite():
        raise ConfigError(
            T("{share} is not a share", share=repr(text)),
            hint=T("write COST_CENTER=PERCENT, e.g. --share 2=60 --share 3=40"))
    return center.strip(), value


def distribution_from_shares(
    centers: Sequence[CostCenter], shares: Sequence[str], entry: str,
) -> CostCenterTarget:
    """What [cost_centers] or [employee_cost_centers] stores for ``--share`` values: one cost
    center of 100 % as its id alone, else the distribution by Alegra id; refused (78) unless
    the percentages add up to exactly 100."""
    if not shares:
        raise ConfigError(T("no --share given"),
                          hint=T("e.g. --share 2=60 --share 3=40, or --share 1 for one cost "
                                 "center"))
    target: dict[str, Decimal] = {}
    for text in shares:
        written, percentage = parse_share(text)
        center = resolve_cost_center(centers, written)
        target[center.id] = target.get(center.id, Decimal(0)) + percentage
    chosen: CostCenterTarget = target
    if len(target) == 1 and next(iter(target.values())) == HUNDRED:
        chosen = next(iter(target))
    problem = distribution_problem(entry, chosen)
    if problem is not None:
        raise ConfigError(problem, hint=T("the percentages must add up to exactly 100"))
    return chosen


def edit_cost_center(
    mapping: Mapping, centers: Sequence[CostCenter], name: str, shares: Sequence[str], *,
    employee: bool = False,
) -> CostCenterTarget:
    """Map an export's cost-center name (or, with ``employee``, an employee's identification)
    to a cost center or a distribution. Changes ``mapping``; the caller saves it."""
    key = name.strip() if not employee else identification_key(name.strip())
    if not key:
        raise ConfigError(T("no cost-center name given") if not employee
                          else T("no identification given"))
    table = mapping.employee_cost_centers if employee else mapping.cost_centers
    entry = f"[{'employee_cost_centers' if employee else 'cost_centers'}] {key!r}"
    target = distribution_from_shares(centers, shares, entry)
    table[key] = target
    return target


def remove_cost_center(mapping: Mapping, name: str, *, employee: bool = False) -> bool:
    """Take an entry out of [cost_centers] (or [employee_cost_centers]); False if absent."""
    table = mapping.employee_cost_centers if employee else mapping.cost_centers
    key = name.strip() if not employee else identification_key(name.strip())
    return table.pop(key, None) is not None


def edit_cost_center_account(
    mapping: Mapping, chart: Sequence[Account], concept: str, cost_center: str, *,
    debit: str | None = None, credit: str | None = None, clear: bool = False,
) -> SideOverride | None:
    """`map set CONCEPT --for-cost-center NAME`: the accounts of a mapped concept for one cost
    center's employees (``clear``: back to the concept's own). Changes ``mapping``; the caller
    saves it. The override that results, None when there is none."""
    if concept not in mapping.concepts:
        raise ConfigError(T("concept {concept} is not mapped yet: map it first, then give "
                            "its account for a cost center", concept=repr(concept)),
                          hint=T("e.g. alegra-sync map set {concept} --debit 510506 --credit "
                                 "payable", concept=repr(concept)))
    name = cost_center.strip()
    if not name:
        raise ConfigError(T("--for-cost-center needs the export's name of a cost center"),
                          hint=T("e.g. --for-cost-center Ventas"))
    if clear:
        mapping.cost_center_accounts.get(name, {}).pop(concept, None)
        if not mapping.cost_center_accounts.get(name, True):
            del mapping.cost_center_accounts[name]
        return None
    if debit is None and credit is None:
        raise ConfigError(T("--for-cost-center needs --debit or --credit (or --clear)"),
                          hint=T("e.g. map set {concept} --for-cost-center {name} --debit "
                                 "520506", concept=repr(concept), name=repr(name)))
    given: tuple[tuple[Side, str | None], ...] = (("debit", debit), ("credit", credit))
    for side, text in given:
        if text is not None:
            set_cost_center_account(mapping, name, concept, side,
                                    side_from_text(mapping, chart, text))
    return mapping.cost_center_accounts.get(name, {}).get(concept)
