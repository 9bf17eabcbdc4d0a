"""Rounding to the company's precision: the export's own totals and Neto against the mapping's
rounded sums, and the ajuste al peso that brings a payable to the export's Neto. Pure.

accounting.md, "Rounding: the ajuste al peso". Every (employee, concept) amount rounds half up
to the company's precision before its debit/credit pair is made (build.py), so every concept
balances by itself; the employee's net pay is then the rounded devengos minus the rounded
deducciones. When the export's Neto, rounded the same way, differs from it by at most
``[journal] rounding_tolerance`` and the mapping names ``[accounts] rounding``, a pair of lines
moves the difference between the employee's payable and the rounding account, so that the
payable and the egreso are the export's Neto: what the bank really pays. Anything else is
refused (65), naming the employee, both amounts and the setting.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from alegra_sync.errors import ExportRowError
from alegra_sync.i18n import T, Text
from alegra_sync.payroll.model import Employee, PayrollExport
from alegra_sync.vouchers.model import ZERO, VoucherOptions
from alegra_sync.vouchers.payloads import format_amount

# The ajuste's lines say so in Alegra. A Colombian company's books are in Spanish whatever
# the language of the interface: this text is data, as the concept names are, not translated.
AJUSTE_AL_PESO = "Ajuste al peso"
# What a totals column is called when the export does not say (a PayrollExport built in code).
_TOTAL_HEADERS = {"total_devengado": "Total devengado", "total_deducciones": "Total deducciones"}


def quantum(precision: int) -> Decimal:
    return Decimal(1).scaleb(-precision)


def rounded(amount: Decimal, precision: int) -> Decimal:
    """Half up to the company's precision: 0,5 → 1, 91.666,67 → 91.667 at precision 0."""
    return amount.quantize(quantum(precision), ROUND_HALF_UP)


def as_written(value: Decimal) -> str:
    """An amount in Colombian style with its own decimals: 1.058.365 or 1.058.365,4."""
    exponent = value.as_tuple().exponent
    return format_amount(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)


def who(employee: Employee) -> Text:
    return T("employee {id} ({name})", id=employee.identification, name=employee.name)


def check_totals(
    export: PayrollExport, employee: Employee, options: VoucherOptions,
    sums: tuple[Decimal, Decimal], raw_sums: tuple[Decimal, Decimal],
) -> None:
    """The export's Total devengado / Total deducciones cells against the mapping's sums, all
    rounded as the Neto is. ``sums`` are the rounded devengos and deducciones the vouchers
    post, ``raw_sums`` the same before rounding: a total equal to either is right (an export
    with cents totals the cents; one that rounds each amount totals the rounded ones)."""
    precision = options.precision
    for kind, written in employee.totals.items():
        column = export.total_columns.get(kind) or _TOTAL_HEADERS[kind]
        value = written
        if kind == "total_devengado":
            found, raw = sums[0], raw_sums[0]
            hint = T("check the export or the mapping of its devengos")
        else:  # "total_deducciones"
            found, raw = sums[1], raw_sums[1]
            hint = T("check the export or the mapping of its deducciones")
            if value < 0 and options.negative_deductions:
                value = -value  # written negative, as the deductions themselves
        total = rounded(value, precision)
        if total != found and total != rounded(raw, precision):
            raise ExportRowError(
                export.file,
                T("{employee}: {column} {total} but the mapping computes {computed}",
                  employee=who(employee), column=column,
                  total=format_amount(total, precision),
                  computed=format_amount(found, precision)),
                row=employee.row, column=column, value=as_written(written), hint=hint,
            )


def settle_net(
    export: PayrollExport, employee: Employee, net: Decimal, options: VoucherOptions,
    has_rounding_account: bool,
) -> Decimal:
    """The ajuste al peso the employee's payable takes: the export's Neto (rounded) minus the
    mapping's rounded net pay; 0 when they agree or the export has no Neto. Refused (65) when
    they differ and no rounding account or the tolerance allows it, or when the net pay is
    negative."""
    precision = options.precision
    difference = ZERO
    if employee.neto is not None:
        neto = rounded(employee.neto, precision)
        difference = neto - net
        if difference:
            _refuse_difference(export, employee, neto, net, difference, options,
                               has_rounding_account)
        net = neto
    if net < 0:
        raise ExportRowError(
            export.file,
            T("{employee}: negative net pay {net}", employee=who(employee),
              net=format_amount(net, precision)),
            row=employee.row,
            hint=T("deductions exceed devengos; check the export or the mapping"),
        )
    return difference


def _refuse_difference(
    export: PayrollExport, employee: Employee, neto: Decimal, net: Decimal,
    difference: Decimal, options: VoucherOptions, has_rounding_account: bool,
) -> None:
    precision, tolerance = options.precision, options.rounding_tolerance
    if has_rounding_account and abs(difference) <= tolerance:
        return
    amounts: dict[str, object] = {
        "employee": who(employee), "neto": format_amount(neto, precision),
        "computed": format_amount(net, precision),
        "difference": format_amount(abs(difference), precision),
        "tolerance": format_amount(tolerance, precision)}
    if abs(difference) > tolerance:
        message = T("{employee}: Neto a pagar {neto} but the mapping computes {computed}: a "
                    "difference of {difference}, more than [journal] rounding_tolerance = "
                    "{tolerance}", **amounts)
        hint = T("check the export or the mapping of its devengos and deducciones")
    else:
        message = T("{employee}: Neto a pagar {neto} but the mapping computes {computed}: a "
                    "difference of {difference} that only an ajuste al peso can take, and the "
                    "mapping has no [accounts] rounding", **amounts)
        hint = T("if the difference is rounding, add rounding = {table} (an account such as "
                 "4295 or 5315) under [accounts] in the mapping; else check the export",
                 table='{ id = "…" }')
    raise ExportRowError(export.file, message, row=employee.row, hint=hint)
