"""The catalogue and the language choice (alegra_sync.i18n, product.md "Language").

The catalogue tests extract the texts from the source with Babel, as scripts/i18n.py does, so
an English text added without its Spanish fails here.
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from alegra_sync import i18n
from alegra_sync.i18n import choose_language, locale_language, period_prose

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "alegra_sync"
PO_FILE = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "alegra_sync.po"
MO_FILE = PO_FILE.with_suffix(".mo")
LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "ALEGRA_SYNC_LANG")


@pytest.fixture(autouse=True)
def fresh_choice() -> Iterator[None]:
    i18n.configure()
    yield
    i18n.configure()


def catalogue() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle)


def code_texts() -> set[tuple[str | None, str]]:
    """(context, msgid) of every text the source marks, as Babel extracts them."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")],
        keywords={**DEFAULT_KEYWORDS, "T": None, "Tn": (1, 2)},
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.add((context, msgid))
    return found


def entries() -> list[Message]:
    return [message for message in catalogue() if message.id]


def forms(message: Message) -> list[tuple[str, str]]:
    """(English, Spanish) pairs: each plural form against the English it stands for."""
    if isinstance(message.id, tuple):
        singular, plural = message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return [(singular if index == 0 else plural, text) for index, text in enumerate(strings)]
    assert isinstance(message.string, str)
    return [(message.id, message.string)]


def key(message: Message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return message.context, msgid


# --- the catalogue ------------------------------------------------------------------------------


def test_every_text_of_the_code_has_a_spanish_translation() -> None:
    translated = {key(m) for m in entries() if not m.fuzzy and all(s for _, s in forms(m))}
    missing = sorted(text for _, text in code_texts() - translated)
    assert not missing, ("texts without Spanish (run scripts/i18n.py, translate them in "
                         f"{PO_FILE.relative_to(ROOT)}): {missing}")


MARKERS = frozenset({"_", "N_", "ngettext", "pgettext", "T", "Tn"})
# report/run.py is another change's, in flight: its table headers are fixed there
NOT_YET_FIXED = {"report/run.py"}


def test_no_text_is_marked_inside_an_f_string() -> None:
    """Babel (on Python 3.11) does not look inside f-strings: ``f"[yellow]{_('warning:')}[/]"``
    never reaches the catalogue and stays English in Spanish. Draw it outside the f-string."""
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).as_posix() in NOT_YET_FIXED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                        and inner.func.id in MARKERS):
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not hidden


def test_the_catalogue_holds_no_text_the_code_no_longer_has() -> None:
    stale = sorted(text for _, text in {key(m) for m in entries()} - code_texts())
    assert not stale, f"run scripts/i18n.py: the .po still has {stale}"


def test_no_translation_is_fuzzy_or_empty() -> None:
    bad = [m.id for m in entries() if m.fuzzy or not all(s for _, s in forms(m))]
    assert not bad


PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdif]|%[sdif]")
OPTION = re.compile(r"(?<![\w-])--?[a-z][\w-]*")
CODE = re.compile(r"`[^`]+`")
MARKUP = re.compile(r"\[/?(?:blue|bold|dim|green|red|yellow|cyan)?\]")


@pytest.mark.parametrize("pattern", [PLACEHOLDER, OPTION, CODE, MARKUP],
                         ids=["placeholders", "option names", "code", "rich markup"])
def test_translations_keep_the_placeholders_option_names_and_code(pattern: re.Pattern[str]
                                                                   ) -> None:
    differ = [(english, spanish) for m in entries() for english, spanish in forms(m)
              if sorted(pattern.findall(english)) != sorted(pattern.findall(spanish))]
    assert not differ


def test_spanish_plurals_are_the_two_of_gettext() -> None:
    assert catalogue().plural_forms == "nplurals=2; plural=(n != 1);"


def test_the_compiled_catalogue_is_the_po_compiled() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue())
    assert MO_FILE.read_bytes() == compiled.getvalue(), "stale .mo: run scripts/i18n.py"


def test_the_compiled_catalogue_ships_in_the_package() -> None:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as handle:
        package_data = tomllib.load(handle)["tool"]["setuptools"]["package-data"]["alegra_sync"]
    assert "locale/*/LC_MESSAGES/*.mo" in package_data


# --- the language, product.md's order ----------------------------------------------------------


@pytest.mark.parametrize(("flag", "environ", "config", "expected"), [
    ("en", {"ALEGRA_SYNC_LANG": "es", "LANG": "es_CO.UTF-8"}, "es", "en"),  # --lang first
    (None, {"ALEGRA_SYNC_LANG": "es", "LANG": "C.UTF-8"}, "en", "es"),  # then the variable
    (None, {"LANG": "es_CO.UTF-8"}, "en", "en"),  # then config.toml, before the locale
    (None, {"LANG": "en_US.UTF-8"}, "es", "es"),
    (None, {"LANG": "es_CO.UTF-8"}, None, "es"),  # then the locale
    (None, {}, None, "en"),  # then English
    ("fr", {"ALEGRA_SYNC_LANG": "de"}, "it", "en"),  # unknown values count as unset
    ("fr", {"ALEGRA_SYNC_LANG": "es"}, None, "es"),
])
def test_the_first_that_is_set_chooses(flag: str | None, environ: dict[str, str],
                                       config: str | None, expected: str) -> None:
    assert choose_language(flag, environ=environ, config=lambda: config) == expected


def test_config_is_read_only_when_flag_and_variable_are_unset() -> None:
    def config() -> str:
        raise AssertionError("read config.toml although the choice was made")

    assert choose_language("es", environ={}, config=config) == "es"
    assert choose_language(None, environ={"ALEGRA_SYNC_LANG": "en"}, config=config) == "en"


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANGUAGE": "es:en", "LC_ALL": "C", "LANG": "en_US.UTF-8"}, "es"),
    ({"LANGUAGE": "", "LC_ALL": "en_US.UTF-8", "LANG": "es_CO.UTF-8"}, "en"),
    ({"LC_ALL": "es_CO.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "es"),
    ({"LC_MESSAGES": "es_ES", "LANG": "en_US.UTF-8"}, "es"),
    ({"LANG": "es_CO.UTF-8"}, "es"),
    ({"LANG": "es"}, "es"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_locale_is_the_first_non_empty_variable(environ: dict[str, str],
                                                    expected: str) -> None:
    assert locale_language(environ) == expected


def test_the_variable_alone_gives_spanish_without_any_locale(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALEGRA_SYNC_LANG", "es")
    i18n.configure()
    assert (i18n.language(), i18n._("Options")) == ("es", "Opciones")


def test_a_text_in_both_languages_one_after_the_other() -> None:
    i18n.configure(flag="es")
    assert i18n._("Show this message and exit.") == "Muestra esta ayuda y termina."
    assert i18n.pgettext("month", "May") == "may"
    i18n.configure(flag="en")
    assert i18n._("Show this message and exit.") == "Show this message and exit."
    assert i18n.pgettext("month", "May") == "May"
    assert i18n.N_("Options") == "Options"
    assert i18n._("") == ""  # not the catalogue's header


def test_a_text_missing_from_the_catalogue_stays_english() -> None:
    i18n.configure(flag="es")
    assert i18n._("a text nobody translated") == "a text nobody translated"


def test_plurals_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = ('msgid ""\nmsgstr ""\n"Language: es\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
          'msgid "{n} employee"\nmsgid_plural "{n} employees"\n'
          'msgstr[0] "{n} empleado"\nmsgstr[1] "{n} empleados"\n')
    catalog = read_po(io.StringIO(po))
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / f"{i18n.DOMAIN}.mo").open("wb") as handle:
        write_mo(handle, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_choice", i18n._Choice())
    texts = {}
    for language in ("es", "en"):
        i18n.configure(flag=language)
        texts[language] = [i18n.ngettext("{n} employee", "{n} employees", n).format(n=n)
                           for n in (1, 2, 0)]
    assert texts == {"es": ["1 empleado", "2 empleados", "0 empleados"],
                     "en": ["1 employee", "2 employees", "0 employees"]}


def test_the_catalogue_is_read_only_when_a_text_is_drawn() -> None:
    """Start-up is budgeted: importing the CLI reads no catalogue and chooses no language."""
    probe = ("import alegra_sync.cli.app, alegra_sync.i18n as i; "
             "print(i._choice.chosen, len(i._choice.catalogues))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={"ALEGRA_SYNC_LANG": "es", "PATH": ""})
    assert done.stdout.split() == ["None", "0"]


# --- periods in prose ---------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "es", "en"), [
    (date(2026, 11, 1), date(2026, 11, 15), "1–15 nov 2026", "Nov 1–15, 2026"),
    (date(2026, 11, 16), date(2026, 11, 30), "16–30 nov 2026", "Nov 16–30, 2026"),
    (date(2027, 2, 16), date(2027, 2, 28), "16–28 feb 2027", "Feb 16–28, 2027"),
    (date(2026, 1, 1), date(2026, 1, 31), "1–31 ene 2026", "Jan 1–31, 2026"),
    (date(2026, 11, 16), date(2026, 12, 15), "16 nov – 15 dic 2026", "Nov 16 – Dec 15, 2026"),
    (date(2026, 12, 16), date(2027, 1, 15), "16 dic 2026 – 15 ene 2027",
     "Dec 16, 2026 – Jan 15, 2027"),
    (date(2026, 8, 30), date(2026, 8, 30), "30 ago 2026", "Aug 30, 2026"),
])
def test_a_period_in_prose(start: date, end: date, es: str, en: str) -> None:
    i18n.configure(flag="es")
    spanish = period_prose(start, end)
    i18n.configure(flag="en")
    assert (spanish, period_prose(start, end)) == (es, en)
