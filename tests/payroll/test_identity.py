"""Who a tercero is (payroll/identity.py): names split the Colombian way, identification types,
identifications compared as the DIAN does, check digits; and the export's columns for them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from alegra_sync.errors import ExitCode, ExportRowError
from alegra_sync.payroll.export import read_export
from alegra_sync.payroll.identity import (
    PersonName,
    check_digit,
    identification_key,
    identification_type,
    name_units,
    person_from_columns,
    split_person_name,
)

Make = Callable[..., Path]


@pytest.mark.parametrize(("name", "expected"), [
    # 1 word: a given name
    ("Ana", PersonName("Ana")),
    # 2 words: one and one
    ("Ana Gómez", PersonName("Ana", "", "Gómez")),
    # 3 words: one given name, two surnames
    ("Carlos Pérez Londoño", PersonName("Carlos", "", "Pérez", "Londoño")),
    # 4 words: the last two are the surnames
    ("Ana María Gómez Rincón", PersonName("Ana", "María", "Gómez", "Rincón")),
    # 5 words: the rest is the second name
    ("Luis Carlos Alberto Pérez Londoño",
     PersonName("Luis", "Carlos Alberto", "Pérez", "Londoño")),
    # 6 words with particles: each particle stays with the word after it
    ("José de Jesús Gómez del Castillo",
     PersonName("José", "de Jesús", "Gómez", "del Castillo")),
    ("María de los Ángeles Pérez de la Hoz",
     PersonName("María", "de los Ángeles", "Pérez", "de la Hoz")),
    ("MARÍA DE LOS ÁNGELES PÉREZ DE LA HOZ",
     PersonName("MARÍA", "DE LOS ÁNGELES", "PÉREZ", "DE LA HOZ")),
    ("Ana Gómez de la Hoz", PersonName("Ana", "", "Gómez", "de la Hoz")),
    ("Pedro de la Hoz", PersonName("Pedro", "", "de la Hoz")),
    ("Juan San Martín López", PersonName("Juan", "", "San Martín", "López")),
    ("  Ana   María  Gómez   Rincón ", PersonName("Ana", "María", "Gómez", "Rincón")),
    ("", PersonName("")),
])
def test_names_split_the_colombian_way(name: str, expected: PersonName) -> None:
    assert split_person_name(name) == expected


def test_name_units_and_a_particle_at_the_end() -> None:
    assert name_units("María de los Ángeles Pérez de la Hoz") == [
        "María", "de los Ángeles", "Pérez", "de la Hoz"]
    assert name_units("Juan de") == ["Juan de"]
    assert name_units("de") == ["de"]
    assert split_person_name("Ana María Gómez Rincón").full == "Ana María Gómez Rincón"


def test_separate_columns_win_and_fill_what_they_have() -> None:
    assert person_from_columns("María Fernanda", "", "de la Hoz", "Pérez") == PersonName(
        "María Fernanda", "", "de la Hoz", "Pérez")
    assert person_from_columns(given="María de los Ángeles", surnames="Pérez de la Hoz") == \
        PersonName("María", "de los Ángeles", "Pérez", "de la Hoz")
    assert person_from_columns("", "", "", "") is None
    assert person_from_columns("Ana", None, "Gómez", None) == PersonName("Ana", "", "Gómez")


@pytest.mark.parametrize(("written", "code"), [
    (None, "CC"), ("", "CC"), ("CC", "CC"), ("C.C.", "CC"), ("cédula de ciudadanía", "CC"),
    ("13", "CC"), ("CE", "CE"), ("Cédula de extranjería", "CE"), ("PA", "PA"),
    ("Pasaporte", "PA"), ("PP", "PA"), ("TI", "TI"), ("Tarjeta de identidad", "TI"),
    ("NIT", "NIT"), ("n.i.t.", "NIT"), ("PEP", "PEP"), ("ppt", "PPT"),
    ("Cédula de nadie", None), ("123", None),
])
def test_identification_types(written: str | None, code: str | None) -> None:
    assert identification_type(written) == code


@pytest.mark.parametrize(("written", "key"), [
    ("800.197.268-4", "800197268"), ("800197268-4", "800197268"), ("800197268", "800197268"),
    (" 800 197 268 - 4 ", "800197268"), ("1.020.304.050", "1020304050"),
    ("E-123456", "E123456"), ("AB123456", "AB123456"),
])
def test_identifications_compare_without_dots_dashes_spaces_or_check_digit(
        written: str, key: str) -> None:
    assert identification_key(written) == key


def test_the_dian_check_digit() -> None:
    # 800197268 (the DIAN): 8·3 + 6·7 + 2·13 + 7·17 + 9·19 + 1·23 + 0·29 + 0·37 + 8·41 = 733;
    # 733 mod 11 = 7; 11 − 7 = 4
    assert check_digit("800197268") == "4"
    assert check_digit("800.197.268") == "4"
    assert check_digit("899999239") == "2"  # ICBF
    assert check_digit("899999034") == "1"  # SENA
    with pytest.raises(ValueError):
        check_digit("ABC")


def test_the_export_type_and_name_columns(csv_file: Make) -> None:
    path = csv_file([
        ["Tipo de documento", "Identificación", "Primer nombre", "Segundo nombre",
         "Primer apellido", "Segundo apellido", "Salario"],
        ["Cédula de extranjería", "E-445566", "María", "de los Ángeles", "Pérez", "de la Hoz",
         "1.000.000"],
        ["", "1020304050", "Ana", "María", "Gómez", "Rincón", "900.000"],
        ["PA", "AB123456", "John", "", "Smith", "", "800.000"],
    ])
    employees = read_export(path).employees
    assert [(e.id_type, e.identification, e.name) for e in employees] == [
        ("CE", "E445566", "María de los Ángeles Pérez de la Hoz"),
        ("CC", "1020304050", "Ana María Gómez Rincón"),
        ("PA", "AB123456", "John Smith"),
    ]
    assert employees[0].person == PersonName("María", "de los Ángeles", "Pérez", "de la Hoz")


def test_nombres_and_apellidos_beside_the_full_name(csv_file: Make) -> None:
    path = csv_file([
        ["Identificación", "Nombre", "Nombres", "Apellidos", "Salario"],
        ["1020304050", "GOMEZ RINCON ANA MARIA", "Ana María", "Gómez Rincón", "900.000"],
    ])
    [ana] = read_export(path).employees
    assert ana.name == "GOMEZ RINCON ANA MARIA"  # the name as the export writes it
    assert ana.person == PersonName("Ana", "María", "Gómez", "Rincón")  # the contact's


def test_an_unknown_identification_type_is_refused(csv_file: Make) -> None:
    path = csv_file([
        ["Identificación", "Nombre", "Tipo de documento", "Salario"],
        ["1020304050", "Ana", "Cédula de nadie", "900.000"],
    ])
    with pytest.raises(ExportRowError) as caught:
        read_export(path)
    assert caught.value.exit_code == ExitCode.DATA == 65
    assert str(caught.value) == (
        "nomina.csv, row 2, column 'Tipo de documento', value 'Cédula de nadie': not a type "
        "of identification (write one of CC, CE, PA, TI, NIT, or the type's name (Cédula de "
        "ciudadanía, Pasaporte…))")


def test_the_long_layout_reads_them_too(csv_file: Make) -> None:
    path = csv_file([
        ["Identificación", "Tipo de documento", "Primer nombre", "Primer apellido", "Concepto",
         "Valor"],
        ["1020304050", "C.C.", "Ana", "Gómez", "Salario", "900.000"],
        ["1020304050", "", "", "", "Salud empleado", "36.000"],
    ])
    [ana] = read_export(path).employees
    assert (ana.id_type, ana.name, ana.person) == ("CC", "Ana Gómez",
                                                    PersonName("Ana", "", "Gómez"))
