"""Who a tercero is, the Colombian way: identification types, identifications compared as the
DIAN compares them, NIT check digits, and persons' names split into given names and surnames.

Pure; shared by the readers (the export's columns), the vouchers (the terceros of the lines)
and the syncer (the contacts it creates and looks up). accounting.md, "Contacts as a Colombian
accountant expects them", is the spec.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DEFAULT_ID_TYPE = "CC"
# DIAN's weights for the NIT check digit, from the rightmost digit leftwards.
_WEIGHTS = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)
_CHECK_DIGIT = re.compile(r"\s*-\s*[0-9]\s*$")

# The export's identification types: the code, then what exports write for it (PILA's codes,
# DIAN's numeric codes, the names), compared without case, accents or punctuation.
_ID_TYPES: dict[str, tuple[str, ...]] = {
    "CC": ("CC", "C.C.", "Cédula", "Cédula de ciudadanía", "Cedula ciudadania", "13"),
    "CE": ("CE", "C.E.", "Cédula de extranjería", "Cedula extranjeria", "22"),
    "PA": ("PA", "PP", "Pasaporte", "41"),
    "TI": ("TI", "T.I.", "Tarjeta de identidad", "12"),
    "NIT": ("NIT", "N.I.T.", "31"),
}
ID_TYPE_CODES = tuple(_ID_TYPES)
# Other short codes (PEP, PPT, RC, TE…) pass as written: Alegra knows several of them.
_OTHER_CODE = re.compile(r"[A-Z]{2,5}").fullmatch


def _plain(text: str) -> str:
    """Lowercase, without accents, spaces or punctuation: ``C.C.`` → ``cc``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and ch.isascii())


_ID_TYPE_INDEX = {_plain(alias): code for code, aliases in _ID_TYPES.items() for alias in aliases}


def identification_type(text: str | None) -> str | None:
    """The code of what the export's type column says (``Cédula de ciudadanía`` → ``CC``); CC
    when blank; an unknown short code (``PEP``) as written; None when it is not a type."""
    if text is None or not text.strip():
        return DEFAULT_ID_TYPE
    found = _ID_TYPE_INDEX.get(_plain(text))
    if found is not None:
        return found
    code = text.strip().upper()
    return code if _OTHER_CODE(code) else None


def identification_key(text: str) -> str:
    """What two identifications are compared by: letters and digits only, without a check
    digit written after a dash. ``800.197.268-4``, ``800197268-4`` and ``800197268`` are one
    NIT; ``1.020.304.050`` is ``1020304050``. Letters keep their case, as the content hash
    always kept them."""
    if text.isalnum() and text.isascii():  # nearly every identification: already clean
        return text
    value = _CHECK_DIGIT.sub("", text)
    return "".join(ch for ch in value if ch.isalnum())


def check_digit(nit: str) -> str:
    """The NIT's check digit by DIAN's algorithm (``800197268`` → ``4``): each digit times its
    weight (3, 7, 13, … from the right), the sum modulo 11; 0 and 1 stand, else 11 minus it."""
    digits = identification_key(nit)
    if not digits.isdigit() or len(digits) > len(_WEIGHTS):
        raise ValueError(f"not a NIT: {nit!r}")
    total = sum(int(digit) * weight for digit, weight in zip(reversed(digits), _WEIGHTS,
                                                             strict=False))
    rest = total % 11
    return str(rest if rest < 2 else 11 - rest)


# --- persons' names --------------------------------------------------------------------------

# Words that belong to the word after them: "de la Hoz", "del Castillo", "de los Ángeles".
PARTICLES = frozenset({"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "van",
                       "von", "der", "san", "santa"})


@dataclass(frozen=True)
class PersonName:
    """A person's name as Alegra's ``nameObject`` holds it; "" where there is none."""

    first_name: str
    second_name: str = ""
    last_name: str = ""
    second_last_name: str = ""

    @property
    def full(self) -> str:
        """Given names, then surnames: ``Ana María Gómez Rincón``."""
        parts = (self.first_name, self.second_name, self.last_name, self.second_last_name)
        return " ".join(part for part in parts if part)


def name_units(text: str) -> list[str]:
    """The words of a name, each particle joined to the word that follows it:
    ``María de los Ángeles Pérez de la Hoz`` → ``María``, ``de los Ángeles``, ``Pérez``,
    ``de la Hoz``. A particle with nothing after it stays with the word before it."""
    units: list[str] = []
    pending: list[str] = []
    for word in text.split():
        pending.append(word)
        if word.casefold() not in PARTICLES:
            units.append(" ".join(pending))
            pending = []
    if pending:
        if units:
            units[-1] = " ".join([units[-1], *pending])
        else:
            units.append(" ".join(pending))
    return units


def split_person_name(text: str) -> PersonName:
    """Given names first, two surnames last (accounting.md): 1 word → a given name; 2 → one
    and one; 3 → one given name, two surnames; 4 or more → the last two are the surnames, the
    first is the first name and the rest the second name. Particles count with the word after
    them, so ``María de los Ángeles Pérez de la Hoz`` is María / de los Ángeles / Pérez /
    de la Hoz."""
    units = name_units(text)
    if not units:
        return PersonName("")
    if len(units) == 1:
        return PersonName(units[0])
    if len(units) == 2:
        return PersonName(units[0], last_name=units[1])
    if len(units) == 3:
        return PersonName(units[0], last_name=units[1], second_last_name=units[2])
    return PersonName(units[0], " ".join(units[1:-2]), units[-2], units[-1])


def person_from_columns(
    first: str | None = None, second: str | None = None, last: str | None = None,
    second_last: str | None = None, *, given: str | None = None, surnames: str | None = None,
) -> PersonName | None:
    """A name from an export's separate columns: Primer nombre, Segundo nombre, Primer
    apellido, Segundo apellido, or Nombres and Apellidos (each split at its first unit).
    The four columns win where both are given; None when every cell is blank."""
    def clean(value: str | None) -> str:
        return " ".join((value or "").split())

    given_units, surname_units = name_units(clean(given)), name_units(clean(surnames))
    name = PersonName(
        clean(first) or (given_units[0] if given_units else ""),
        clean(second) or " ".join(given_units[1:]),
        clean(last) or (surname_units[0] if surname_units else ""),
        clean(second_last) or " ".join(surname_units[1:]),
    )
    if not name.full:
        return None
    if not name.first_name:  # only surnames, or only a second name: keep what is there first
        parts = name.full
        return split_person_name(parts) if parts else None
    return name
