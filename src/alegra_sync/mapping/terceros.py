"""The well-known payroll entities (DIAN, ICBF, SENA, EPS, AFP, ARL, cajas de compensación) by
NIT, and what a mapping knows of an entity: its NIT and its legal name.

The table is data: ``alegra_sync/data/entities.toml`` says where each entry comes from. Pure;
the file is read once, when first needed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from alegra_sync.mapping.model import Mapping
from alegra_sync.payroll.columns import normalise
from alegra_sync.payroll.identity import check_digit, identification_key

KINDS = ("dian", "parafiscal", "eps", "afp", "arl", "caja")
# The State's three: what a fixed tercero most often is (retención, ICBF, SENA).
STATE_NITS = ("800197268", "899999239", "899999034")

# Words of a concept name → the kind of entity its tercero usually is.
_CONCEPT_KINDS = (
    ("retencion", "dian"), ("icbf", "parafiscal"), ("sena", "parafiscal"),
    ("caja", "caja"), ("compensacion", "caja"), ("arl", "arl"), ("riesgos", "arl"),
    ("salud", "eps"), ("eps", "eps"), ("pension", "afp"), ("solidaridad", "afp"),
    ("afp", "afp"),
)


@dataclass(frozen=True)
class KnownEntity:
    """An entity a tercero may be: its NIT (without check digit), the check digit, its name,
    what kind of entity it is, other names exports use for it, and where the entry comes from."""

    nit: str
    dv: str
    name: str
    kinds: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    source: str = ""

    @property
    def nit_with_dv(self) -> str:
        """``800197268-4``: as an accountant writes it."""
        return f"{self.nit}-{self.dv}"


@cache
def known_entities() -> tuple[KnownEntity, ...]:
    """The built-in table, in the file's order."""
    text = resources.files("alegra_sync").joinpath("data", "entities.toml").read_text(
        encoding="utf-8")
    return tuple(
        KnownEntity(nit=str(row["nit"]), dv=str(row["dv"]), name=str(row["name"]),
                    kinds=tuple(row.get("kinds", ())), aliases=tuple(row.get("aliases", ())),
                    source=str(row.get("source", "")))
        for row in tomllib.loads(text)["entity"]
    )


@cache
def _by_nit() -> dict[str, KnownEntity]:
    return {entity.nit: entity for entity in known_entities()}


@cache
def _by_name() -> dict[str, KnownEntity | None]:
    """Normalised name or alias -> the entity; None where two entities share it."""
    found: dict[str, KnownEntity | None] = {}
    for entity in known_entities():
        for name in {normalise(n) for n in (entity.name, *entity.aliases)}:
            found[name] = entity if found.get(name, entity) is entity else None
    return found


def known_entity(nit: str) -> KnownEntity | None:
    """The table's entry for a NIT, written with or without dots and check digit."""
    return _by_nit().get(identification_key(nit))


def known_entity_named(name: str) -> KnownEntity | None:
    """The table's entity an export's EPS/AFP value names (``EPS Sura``, ``Comfama``,
    ``Porvenir``), compared without case, accents or punctuation; None if none or unclear."""
    return _by_name().get(normalise(name))


def legal_name(mapping: Mapping, nit: str, export_name: str | None = None) -> str:
    """What to call an entity's contact (accounting.md): the name [entities] gives it, else
    the built-in table's, else the export's, else ``NIT 800197268-4`` — never a bare number."""
    key = identification_key(nit)
    for written, name in mapping.entity_names().items():
        if identification_key(written) == key:
            return name
    known = known_entity(key)
    if known is not None:
        return known.name
    if export_name and not identification_key(export_name).isdigit():
        return export_name.strip()
    try:
        return f"NIT {key}-{check_digit(key)}"
    except ValueError:
        return f"NIT {key}"


def concept_kinds(concept: str) -> list[str]:
    """The kinds of entity a concept's tercero likely is: ``ARL`` → arl, ``Retención en la
    fuente`` → dian, ``Caja de compensación`` → caja."""
    words = normalise(concept)
    return list(dict.fromkeys(kind for word, kind in _CONCEPT_KINDS if word in words))


def proposed_terceros(
    mapping: Mapping | None = None, *, concept: str | None = None,
    kinds: Iterable[str] | None = None,
) -> list[KnownEntity]:
    """The NITs `alegra-sync map` proposes as a fixed tercero (``nit:…``), best first.

    Every entry once, by NIT: those fitting ``concept`` first (the ICBF for "ICBF", the ARLs
    for "ARL", the DIAN for "Retención en la fuente"); then the DIAN, ICBF and SENA; then the
    entities the mapping's [entities] already names (with the name it gives, or the table's);
    then the rest of the built-in table (EPS, AFP, ARL, cajas de compensación). ``kinds``
    keeps only entities of those kinds ("dian", "parafiscal", "eps", "afp", "arl", "caja");
    an entity of [entities] that the table lacks has no kind and is dropped by it.
    """
    table = known_entities()
    by_nit = _by_nit()
    mine: list[KnownEntity] = []
    if mapping is not None:
        names = mapping.entity_names()
        for written in (mapping.entity_nit_of(name) for name in mapping.entities):
            key = identification_key(written or "")
            if not key.isdigit():
                continue
            known = by_nit.get(key)
            name = names.get(written or "") or (known.name if known else f"NIT {key}")
            mine.append(KnownEntity(key, known.dv if known else check_digit(key), name,
                                    known.kinds if known else (), known.aliases if known else (),
                                    known.source if known else "mapping.toml [entities]"))
    state = [by_nit[nit] for nit in STATE_NITS]
    ordered = [*state, *mine, *table]
    wanted = concept_kinds(concept) if concept else []
    if concept and "icbf" in normalise(concept):
        ordered.insert(0, by_nit["899999239"])
    elif concept and "sena" in normalise(concept):
        ordered.insert(0, by_nit["899999034"])
    if wanted:
        ordered = ([e for e in ordered if set(e.kinds) & set(wanted)]
                   + [e for e in ordered if not set(e.kinds) & set(wanted)])
    if kinds is not None:
        keep = set(kinds)
        ordered = [e for e in ordered if set(e.kinds) & keep]
    unique: dict[str, KnownEntity] = {}
    for entity in ordered:
        unique.setdefault(entity.nit, entity)
    return list(unique.values())
