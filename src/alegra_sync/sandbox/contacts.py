"""Contacts as Alegra answers them, built from a ``POST /contacts`` body or from seed data."""

from __future__ import annotations

from collections.abc import Iterable

from alegra_sync.sandbox.documents import JSON, bad_request, require_object

_NAME_PARTS = ("firstName", "secondName", "lastName", "secondLastName")
_DIAN_WEIGHTS = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)


def nit_check_digit(number: str) -> str:
    """DIAN's check digit, written here again: the sandbox checks the client's, it does not
    share its code."""
    total = sum(int(d) * w for d, w in zip(reversed(number), _DIAN_WEIGHTS, strict=False))
    return str(total % 11 if total % 11 < 2 else 11 - total % 11)


def contact_document(
    contact_id: str,
    name: str,
    identification_type: str | None,
    number: str,
    *,
    kind_of_person: str = "",
    types: list[str] | None = None,
    name_object: dict[str, JSON] | None = None,
    accounting: dict[str, JSON] | None = None,
    extra: dict[str, JSON] | None = None,
    dv: str | None = None,
) -> dict[str, JSON]:
    """A contact with the keys of the recorded ones (create_completed_contact.json); a NIT's
    check digit in ``identificationObject.dv``, as Alegra shows the company's."""
    extra = extra or {}
    document: dict[str, JSON] = {
        "id": contact_id,
        "name": name,
        "identification": number,
        "email": extra.get("email"),
        "phonePrimary": extra.get("phonePrimary"),
        "phoneSecondary": extra.get("phoneSecondary"),
        "fax": extra.get("fax"),
        "mobile": extra.get("mobile"),
        "observations": extra.get("observations"),
        "status": "active",
        "kindOfPerson": kind_of_person,
        "regime": extra.get("regime") or "",
    }
    if name_object is not None:
        document["nameObject"] = name_object
    address = extra.get("address")
    if not isinstance(address, dict):
        address = {}
    document.update(
        {
            "identificationObject": {"type": identification_type, "number": number,
                                     **({"dv": dv} if dv is not None else {})},
            "enableHealthSector": False,
            "healthPatients": None,
            "address": {
                key: address.get(key)
                for key in ("address", "city", "department", "country", "zipCode")
            },
            "type": types or [],
            "seller": None,
            "term": extra.get("term"),
            "priceList": None,
            "internalContacts": extra.get("internalContacts") or [],
            "settings": {"sendElectronicDocuments": False},
            "statementAttached": False,
            "accounting": accounting or {"accountReceivable": None, "debtToPay": None},
        }
    )
    return document


def _identification(raw: JSON) -> tuple[str | None, str]:
    if raw is None:
        return None, ""
    if isinstance(raw, bool):
        raise bad_request("La identificación del contacto no es válida.")
    if isinstance(raw, str | int):
        return None, str(raw).strip()
    if isinstance(raw, dict):
        kind = raw.get("type")
        number = raw.get("number")
        if kind is not None and not isinstance(kind, str):
            raise bad_request("El tipo de identificación del contacto debe ser un texto.")
        if isinstance(number, bool) or not isinstance(number, str | int) or not str(number):
            raise bad_request("Falta el número de identificación del contacto.")
        return kind, str(number).strip()
    raise bad_request("La identificación del contacto debe ser un texto o {type, number}.")


def _name(body: dict[str, JSON]) -> tuple[str, dict[str, JSON] | None]:
    name_object = body.get("nameObject")
    if name_object is not None:
        if not isinstance(name_object, dict):
            raise bad_request("El campo nameObject del contacto debe ser un objeto.")
        parts = [name_object.get(key) for key in _NAME_PARTS]
        joined = " ".join(str(part).strip() for part in parts if part)
        name = body.get("name") if isinstance(body.get("name"), str) else joined
        if not name or not str(name).strip():
            raise bad_request("El nombre del contacto es obligatorio (name o nameObject).")
        return str(name).strip(), name_object
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("El nombre del contacto es obligatorio (name o nameObject).")
    return name.strip(), None


def build_contact(
    body: JSON,
    contact_id: str,
    existing: Iterable[dict[str, JSON]],
    accounting: dict[str, JSON] | None,
) -> dict[str, JSON]:
    """The stored contact for ``POST /contacts``; a taken identification number is refused."""
    body = require_object(body)
    name, name_object = _name(body)
    kind, number = _identification(body.get("identification"))
    dv: str | None = None
    written = body.get("identificationObject")
    if written is not None:  # the form Alegra reads back; with a NIT's check digit
        if not isinstance(written, dict):
            raise bad_request("El campo identificationObject del contacto debe ser un objeto.")
        kind, number = _identification({k: v for k, v in written.items() if k != "dv"})
        raw_dv = written.get("dv")
        if raw_dv is not None:
            if isinstance(raw_dv, bool) or not isinstance(raw_dv, str | int) or not (
                    str(raw_dv).isdigit() and len(str(raw_dv)) == 1):
                raise bad_request("El dígito de verificación (dv) debe ser un dígito.")
            dv = str(raw_dv)
            if kind == "NIT" and number.isdigit() and dv != nit_check_digit(number):
                raise bad_request(
                    f"El dígito de verificación {dv} no corresponde al NIT {number}.")
    if number:
        for other in existing:
            if other.get("identification") == number:
                raise bad_request(
                    f"Ya existe un contacto con la identificación {number} "
                    f"(id {other['id']}, {other['name']})."
                )
    raw_types = body.get("type")
    types = [raw_types] if isinstance(raw_types, str) else raw_types
    if types is not None and not (
        isinstance(types, list) and all(isinstance(t, str) for t in types)
    ):
        raise bad_request("El tipo del contacto debe ser una lista de textos (client, provider).")
    kind_of_person = body.get("kindOfPerson") or ""
    if not isinstance(kind_of_person, str):
        raise bad_request("El campo kindOfPerson del contacto debe ser un texto.")
    return contact_document(
        contact_id,
        name,
        kind,
        number,
        kind_of_person=kind_of_person,
        types=types,
        name_object=name_object,
        accounting=accounting,
        extra=body,
        dv=dv,
    )
