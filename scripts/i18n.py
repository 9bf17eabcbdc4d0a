"""Keep the Spanish catalogue in step with the code: extract, merge, compile (Babel).

Run after adding or changing a text (from anywhere; the paths are the repository's)::

    .venv/bin/python scripts/i18n.py

It runs, from the repository root (``-F pyproject.toml`` reads ``[tool.babel]``)::

    pybabel extract -F pyproject.toml -c TRANSLATORS: --add-location=file \\
        -o $TMP/alegra_sync.pot src/alegra_sync
    pybabel update -i $TMP/alegra_sync.pot -D alegra_sync -d src/alegra_sync/locale -l es \\
        --init-missing --ignore-obsolete --previous
    pybabel compile -D alegra_sync -d src/alegra_sync/locale -l es --statistics

and then lists what is left to translate. Translate those entries in
``src/alegra_sync/locale/es/LC_MESSAGES/alegra_sync.po`` (a ``#, fuzzy`` one is Babel's guess
from a similar old text: fix it and delete that line), run it again so that the ``.mo`` is
compiled, and commit the ``.po`` and the ``.mo`` together. ``tests/test_i18n.py`` fails while a
text lacks its Spanish, is fuzzy, has other placeholders, or the ``.mo`` is stale.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path("src") / "alegra_sync"
LOCALE = PACKAGE / "locale"
DOMAIN = "alegra_sync"
LANGUAGES = ("es",)
# alegra_sync.i18n's texts that are data too, beside Babel's default keywords
EXTRA_KEYWORDS = ("T", "Tn:1,2")


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT,
                   check=True)


def left_to_translate(po_file: Path) -> list[str]:
    from babel.messages.pofile import read_po

    with po_file.open("rb") as handle:
        catalog = read_po(handle)
    left = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            first = message.id[0] if isinstance(message.id, tuple) else message.id
            left.append(("fuzzy: " if message.fuzzy else "empty: ") + first.splitlines()[0])
    return left


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="alegra-sync-i18n-") as folder:
        template = Path(folder) / f"{DOMAIN}.pot"
        pybabel("-q", "extract", "-F", "pyproject.toml", "-c", "TRANSLATORS:",
                "--add-location=file", *(f"-k{keyword}" for keyword in EXTRA_KEYWORDS),
                "--project", "alegra-sync", "-o", str(template), str(PACKAGE))
        for language in LANGUAGES:
            pybabel("-q", "update", "-i", str(template), "-D", DOMAIN, "-d", str(LOCALE), "-l",
                    language, "--init-missing", "--ignore-obsolete", "--previous")
    for language in LANGUAGES:
        pybabel("compile", "-D", DOMAIN, "-d", str(LOCALE), "-l", language, "--statistics")
        po_file = ROOT / LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        left = left_to_translate(po_file)
        for entry in left:
            print(f"  {language} {entry}")
        if left:
            print(f"{len(left)} texts to translate in {po_file.relative_to(ROOT)}; then run "
                  "this again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
