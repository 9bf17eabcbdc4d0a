"""The HTML report in a real browser: headless Chromium (Debian's package, which .ci/run
installs) renders it to PNG and prints it to PDF; the PDF's text (pdftotext) holds the totals
and its page count is sane. Skipped only on a developer's machine without Chromium; under CI
(CI set) a missing browser fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from alegra_sync.sandbox import SandboxServer
from e2e.helpers import cli, write_export
from report.worked import ANA, BRUNO, NOV16, NOV30, post_worked_example

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
TIMEOUT = 180  # seconds: a cold browser on a busy 2-core machine


@pytest.fixture(autouse=True)
def browser() -> None:
    if CHROMIUM and PDFTOTEXT:
        return
    missing = "chromium" if not CHROMIUM else "pdftotext (poppler-utils)"
    if os.environ.get("CI"):
        pytest.fail(f"{missing} is not installed: .ci/run installs it (apt-get install -y "
                    "chromium poppler-utils)")
    pytest.skip(f"{missing} is not installed (apt-get install -y chromium poppler-utils); "
                "CI installs it and runs this test")


def chromium(tmp_path: Path, *args: str) -> None:
    profile = tmp_path / "chromium-profile"
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--no-default-browser-check",
               f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                          check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]


def pdf_text(pdf: Path) -> tuple[str, int]:
    assert PDFTOTEXT is not None
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, timeout=TIMEOUT, check=True).stdout
    return text, text.count("\f") or 1


def print_to_pdf(tmp_path: Path, html: Path) -> Path:
    pdf = tmp_path / (html.stem + ".pdf")
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    assert pdf.stat().st_size > 10_000
    return pdf


def test_the_posted_report_prints_to_a_pdf_holding_its_totals(
        home: Path, sandbox: SandboxServer, tmp_path: Path) -> None:
    post_worked_example(home)
    assert cli("report", "--period", "2026-11-01", "--format", "html").exit_code == 0
    html = home / "reports" / "2026-11-01.html"

    png = tmp_path / "report.png"
    chromium(tmp_path, "--window-size=1280,1800", "--hide-scrollbars", f"--screenshot={png}",
             html.as_uri())
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000

    text, pages = pdf_text(print_to_pdf(tmp_path, html))
    assert 8 <= pages <= 14, pages  # a page per section; nothing runs away
    flat = " ".join(text.split())
    for figure in ("4.224.027", "2.986.000", "3.250.000", "703.193", "270.834", "160.000"):
        assert figure in flat, figure
    assert "Payroll report Nov 1–15, 2026" in flat
    assert "Demo Nómina S.A.S. (NIT 900123456)" in flat  # the running header
    assert "page 1 / " in flat


def test_the_simulation_says_so_on_every_printed_page(
        home: Path, sandbox: SandboxServer, tmp_path: Path) -> None:
    write_export(home, NOV16, NOV30, [ANA, BRUNO])
    assert cli("report", "--period", "2026-11-16", "--format", "html").exit_code == 0
    text, pages = pdf_text(print_to_pdf(tmp_path, home / "reports" / "2026-11-16.html"))
    per_page = [" ".join(page.split()) for page in text.split("\f") if page.strip()]
    assert len(per_page) == pages
    assert all("SIMULATION — NOT POSTED" in page for page in per_page)


def test_the_spanish_report_prints_in_spanish(
        home: Path, sandbox: SandboxServer, tmp_path: Path) -> None:
    post_worked_example(home)
    assert cli("--lang", "es", "report", "--period", "2026-11-01", "--format", "html"
               ).exit_code == 0
    text, _pages = pdf_text(print_to_pdf(tmp_path, home / "reports" / "2026-11-01.html"))
    flat: Any = " ".join(text.split())
    assert "Informe de nómina 1–15 nov 2026" in flat
    assert "Neto a pagar" in flat and "Por pagar a entidades" in flat and "página 1 / " in flat
