"""The two languages of everything a person reads: Colombian Spanish (``es``) and English.

Write each text in English inside one of these, so that Babel finds it (``scripts/i18n.py``)
and the Spanish catalogue (``locale/es/LC_MESSAGES/alegra_sync.po``) translates it::

    from alegra_sync.i18n import N_, _, ngettext

    _("no period to sync")                              # translated where it is drawn
    _("{period}: posted").format(period=name)           # named placeholders, str.format
    ngettext("{n} employee", "{n} employees", n).format(n=n)   # "1 empleado", "2 empleados"
    HELP = N_("Post the quincena that just closed.")    # defined at import time: only marked;
                                                        # whoever draws it calls _(HELP)

One whole sentence per text (never glue translated pieces); named placeholders only; command
and option names, ``--json`` keys and values, the run log and what comes from Alegra or from the
export are never translated. ``# TRANSLATORS:`` comments above a text reach the catalogue.

The language, the first that is set: ``--lang`` (``configure(flag=…)``) > ``ALEGRA_SYNC_LANG``
> ``lang`` in config.toml (``configure(config=…)``) > the locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``: the first non-empty; ``es*`` is Spanish) > English. Start-up is
budgeted, so the choice is made, and the catalogue read, only when the first text is drawn.

Core: imports only the standard library and ``alegra_sync.env``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from alegra_sync import env

if TYPE_CHECKING:
    from gettext import NullTranslations

Language = Literal["es", "en"]
LANGUAGES: tuple[Language, ...] = ("es", "en")
DEFAULT_LANGUAGE: Language = "en"  # also the language of every text in the code
DOMAIN = "alegra_sync"
LOCALE_DIR = Path(__file__).with_name("locale")
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's order

ConfigLanguage = Callable[[], "str | None"]  # reads `lang` from config.toml, when asked


@dataclass
class _Choice:
    flag: str | None = None
    config: ConfigLanguage | None = None
    chosen: Language | None = None
    catalogues: dict[str, NullTranslations] = field(default_factory=dict)


_choice = _Choice()


def configure(flag: str | None = None, config: ConfigLanguage | None = None) -> None:
    """What the choice reads beyond the environment: a ``--lang`` value and where config.toml's
    ``lang`` comes from. Forgets the previous choice; the next text drawn makes it again."""
    _choice.flag = flag
    _choice.config = config
    _choice.chosen = None


def language() -> Language:
    """The language texts are drawn in (chosen on the first call after ``configure``)."""
    if _choice.chosen is None:
        _choice.chosen = choose_language(_choice.flag, config=_choice.config)
    return _choice.chosen


def choose_language(flag: str | None = None, *, environ: Mapping[str, str] | None = None,
                    config: ConfigLanguage | None = None) -> Language:
    """product.md's order. A value that is neither ``es`` nor ``en`` counts as unset here: the
    command line rejects a bad ``--lang``/``ALEGRA_SYNC_LANG``, the settings a bad ``lang``."""
    environ = os.environ if environ is None else environ
    for candidate in (flag, environ.get(env.LANG)):
        chosen = as_language(candidate)
        if chosen is not None:
            return chosen
    if config is not None:
        chosen = as_language(config())
        if chosen is not None:
            return chosen
    return locale_language(environ)


def as_language(value: object) -> Language | None:
    if value == "es":
        return "es"
    if value == "en":
        return "en"
    return None


def locale_language(environ: Mapping[str, str]) -> Language:
    """Spanish when the first non-empty locale variable starts with ``es`` (es_CO.UTF-8,
    es:en…), English otherwise (C, POSIX, en_US, fr_FR…)."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "es" if value.lower().startswith("es") else "en"
    return DEFAULT_LANGUAGE


def _catalogue() -> NullTranslations | None:
    """The chosen language's catalogue, read once; None for English, the code's own."""
    chosen = language()
    if chosen == DEFAULT_LANGUAGE:
        return None
    found = _choice.catalogues.get(chosen)
    if found is None:
        import gettext

        # fallback: a checkout whose .mo is missing still runs, in English
        found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[chosen], fallback=True)
        _choice.catalogues[chosen] = found
    return found


def _(message: str) -> str:
    """``message`` (an English text of the code) in the chosen language."""
    catalogue = _catalogue()
    if catalogue is None or not message:  # gettext("") is the catalogue's header
        return message
    return catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` of a text with a plural: format ``{n}`` into it afterwards."""
    catalogue = _catalogue()
    if catalogue is None:
        return singular if n == 1 else plural
    return catalogue.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """For a short text whose translation depends on where it is (``pgettext("month", "May")``)."""
    catalogue = _catalogue()
    if catalogue is None:
        return message
    return catalogue.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Marks a text for the catalogue without translating it now (it is defined at import
    time, before the language is known): translate it with ``_()`` where it is drawn."""
    return message


# --- dates in prose -----------------------------------------------------------------------------


def _month(day: date) -> str:
    # TRANSLATORS: a month's abbreviation, as in "1–15 nov 2026": lowercase in Spanish.
    names = (pgettext("month", "Jan"), pgettext("month", "Feb"), pgettext("month", "Mar"),
             pgettext("month", "Apr"), pgettext("month", "May"), pgettext("month", "Jun"),
             pgettext("month", "Jul"), pgettext("month", "Aug"), pgettext("month", "Sep"),
             pgettext("month", "Oct"), pgettext("month", "Nov"), pgettext("month", "Dec"))
    return names[day.month - 1]


def period_prose(start: date, end: date) -> str:
    """A period as a sentence reads it: ``Nov 1–15, 2026`` / ``1–15 nov 2026``. Tables, data,
    files and ``--json`` keep ISO dates (``2026-11-01``)."""
    if start == end:
        # TRANSLATORS: one day, e.g. "Nov 30, 2026"; Spanish: "30 nov 2026".
        return _("{month} {day}, {year}").format(month=_month(start), day=start.day,
                                                 year=start.year)
    if (start.year, start.month) == (end.year, end.month):
        # TRANSLATORS: a period within a month, e.g. "Nov 1–15, 2026"; Spanish: "1–15 nov 2026".
        return _("{month} {first}–{last}, {year}").format(
            month=_month(start), first=start.day, last=end.day, year=start.year)
    if start.year == end.year:
        # TRANSLATORS: e.g. "Nov 16 – Dec 15, 2026"; Spanish: "16 nov – 15 dic 2026".
        return _("{first_month} {first} – {last_month} {last}, {year}").format(
            first_month=_month(start), first=start.day, last_month=_month(end), last=end.day,
            year=start.year)
    # TRANSLATORS: e.g. "Dec 16, 2026 – Jan 15, 2027"; Spanish: "16 dic 2026 – 15 ene 2027".
    return _("{first_month} {first}, {first_year} – {last_month} {last}, {last_year}").format(
        first_month=_month(start), first=start.day, first_year=start.year,
        last_month=_month(end), last=end.day, last_year=end.year)


# --- texts that are data too ---------------------------------------------------------------------


class Text:
    """A message shown to a person and kept as data: an error, its hint, a warning. It is
    drawn in the chosen language (``local()``) and stays English in ``--json``, the run log
    and the state (``english()``, also ``str()``), so those never depend on the language.

    Made with ``T()`` (and ``Tn()`` for plurals), whose first arguments are what Babel
    extracts: ``T("period {period} failed", period=name)``. A placeholder's value may be a
    Text itself: it is drawn in the same language as the text around it.
    """

    __slots__ = ("_singular", "_plural", "_n", "_params", "_translated")

    def __init__(self, singular: str, plural: str | None = None, n: int | None = None, *,
                 translated: bool = True, params: Mapping[str, object] | None = None) -> None:
        self._singular, self._plural, self._n = singular, plural, n
        self._params = dict(params or {})
        self._translated = translated  # False: words from elsewhere (Alegra's, the export's)

    def english(self) -> str:
        return self._render(local=False)

    def local(self) -> str:
        return self._render(local=True)

    def _render(self, *, local: bool) -> str:
        if self._plural is not None and self._n is not None:
            template = (ngettext(self._singular, self._plural, self._n) if local
                        else self._singular if self._n == 1 else self._plural)
        else:
            template = _(self._singular) if local and self._translated else self._singular
        if not self._params and self._plural is None:
            return template
        values = {key: (value.local() if local else value.english())
                  if isinstance(value, Text) else value for key, value in self._params.items()}
        if self._n is not None:
            values.setdefault("n", self._n)
        return template.format(**values)

    def __str__(self) -> str:
        return self.english()

    def __repr__(self) -> str:
        return f"Text({self.english()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and self.english() == other.english()

    def __hash__(self) -> int:
        return hash(self.english())


def T(message: str, /, **params: object) -> Text:  # noqa: N802 (short, like _)
    """A text that is data too (see ``Text``): translated when drawn, English as data."""
    return Text(message, params=params)


def Tn(singular: str, plural: str, n: int, /, **params: object) -> Text:  # noqa: N802
    """``T`` with a plural: ``Tn("{n} employee", "{n} employees", n)``."""
    return Text(singular, plural, n, params=params)


def verbatim(text: str) -> Text:
    """Words that are not ours to translate (Alegra's message, a file name), as a Text."""
    return Text("{text}", translated=False, params={"text": text})


def joined(separator: str, parts: Iterable[str | Text]) -> Text:
    """Texts one after the other (``"; "``), each drawn in the same language."""
    items = [part if isinstance(part, Text) else verbatim(part) for part in parts]
    template = separator.replace("{", "{{").replace("}", "}}").join(
        f"{{p{index}}}" for index in range(len(items)))
    return Text(template, translated=False,
                params={f"p{index}": item for index, item in enumerate(items)})


def reason_of(exc: BaseException) -> str | Text:
    """An exception's message as it was raised: the Text of ``ValueError(T("no digits"))``
    (so that whoever turns it into an error of ours keeps both languages), else ``str()``."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Text) else str(exc)


def local(text: str | Text) -> str:
    """What a person reads of ``text``: a Text in the chosen language, a str as it is."""
    return text.local() if isinstance(text, Text) else text
