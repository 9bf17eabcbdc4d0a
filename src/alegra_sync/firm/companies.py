"""The firm home and its company homes (operations.md, "Firm mode"): adding and removing
companies, and the rule that keeps two slugs off one Alegra company.

A firm home is a home with a ``companies/`` folder; each ``companies/<slug>/`` is a complete
company home. Removing a company never deletes it: the folder moves to
``removed/<slug>-<timestamp>/``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alegra_sync.config import (
    COMPANIES_FOLDER,
    REMOVED_FOLDER,
    Home,
    check_slug,
    company_home,
    firm_slugs,
    home_dir,
    state_dir,
)
from alegra_sync.errors import ConfigError
from alegra_sync.i18n import _
from alegra_sync.sync.ledger import CompanyRecord, RunLock
from alegra_sync.sync.snapshot import read_snapshot

FOLDER_MODE = 0o700  # a company's folder holds its credentials: only the owner enters
COMPANY_CONFIG = """\
# Settings of the company {slug}: each one here overrides the firm's config.toml
# ({firm_config}); the environment and the command line override both.
"""


@dataclass(frozen=True)
class Added:
    home: Home
    firm_created: bool  # the home became a firm home with this company


@dataclass(frozen=True)
class Removed:
    slug: str
    moved_to: Path
    documents_in_alegra: int


def add_company(slug: str) -> Added:
    """Create ``companies/<slug>/`` (config.toml, exports/) in the firm home.

    A home already used as one company (credentials or a state in it) is not turned into a
    firm home: its company would be left outside every companies/ folder.
    """
    check_slug(slug)
    root = home_dir()
    slugs = firm_slugs(root)
    if slugs is None:
        _refuse_single_company_home(root)
    elif slug in slugs:
        raise ConfigError(_("the company {slug} exists already: {folder}").format(
            slug=repr(slug), folder=root / COMPANIES_FOLDER / slug),
            hint=_("`alegra-sync --company {slug} status` shows it").format(slug=slug))
    home = company_home(root, slug)
    (root / COMPANIES_FOLDER).mkdir(parents=True, exist_ok=True)
    home.folder.mkdir(mode=FOLDER_MODE)
    os.chmod(home.folder, FOLDER_MODE)  # whatever the umask
    (home.folder / "exports").mkdir()
    (home.folder / "config.toml").write_text(
        COMPANY_CONFIG.format(slug=slug, firm_config=root / "config.toml"), encoding="utf-8")
    return Added(home, firm_created=slugs is None)


def _refuse_single_company_home(root: Path) -> None:
    used = [path for path in (root / "credentials.toml", state_dir() / "state.sqlite3",
                              root / "mapping.toml") if path.exists()]
    if used:
        raise ConfigError(
            _("{home} is the home of one company already ({file} is there): adding a company "
              "would make it a firm home and leave that company outside companies/").format(
                home=root, file=used[0].name),
            hint=_("move it first: mkdir -p {folder} and move credentials.toml, mapping.toml, "
                   "exports/, state.sqlite3 and alegra-sync.log into it; or give the firm its "
                   "own home (ALEGRA_SYNC_HOME=<another folder>)").format(
                folder=root / COMPANIES_FOLDER / "<slug>"))


def remove_company(firm: Path, slug: str, *, force: bool = False,
                   now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Removed:
    """Move ``companies/<slug>/`` to ``removed/<slug>-<timestamp>/``; refused while its
    state holds documents posted to Alegra (unless ``force``) or while a sync runs in it."""
    check_slug(slug)
    if slug not in (firm_slugs(firm) or []):
        raise ConfigError(_("no company {slug} in {folder}").format(
            slug=repr(slug), folder=firm / COMPANIES_FOLDER),
            hint=_("`alegra-sync companies` lists them"))
    home = company_home(firm, slug)
    snapshot = read_snapshot(home.state / "state.sqlite3")
    if snapshot.documents_in_alegra and not force:
        company = f" ({snapshot.company})" if snapshot.company else ""
        raise ConfigError(
            _("{slug}: its state records {count} documents posted to Alegra{company}; removing "
              "it loses the record of what is posted").format(
                slug=slug, count=snapshot.documents_in_alegra, company=company),
            hint=_("`alegra-sync companies remove {slug} --force` moves it to removed/ anyway "
                   "(nothing is deleted)").format(slug=slug))
    lock = RunLock(home.state / "sync.lock")
    lock.acquire()  # a sync running in it: 75, try later
    try:
        stamp = now().strftime("%Y%m%dT%H%M%SZ")
        target = firm / REMOVED_FOLDER / f"{slug}-{stamp}"
        serial = 1
        while target.exists():
            serial += 1
            target = firm / REMOVED_FOLDER / f"{slug}-{stamp}-{serial}"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(home.folder, target)
    finally:
        lock.release()
    return Removed(slug, target, snapshot.documents_in_alegra)


def nit_guard(firm: Path, slug: str) -> Callable[[CompanyRecord], None]:
    """What refuses (78) connecting ``slug`` to an Alegra company another slug of the firm
    is connected to: two homes posting one company's books are how duplicates start."""

    def guard(current: CompanyRecord) -> None:
        for other in firm_slugs(firm) or []:
            if other == slug:
                continue
            recorded = read_snapshot(company_home(firm, other).state / "state.sqlite3").company
            if recorded is not None and recorded.same_as(current):
                raise ConfigError(
                    _("{slug}: Alegra connects it to {company}, which the company {other} of "
                      "this firm is connected to already; nothing was done").format(
                        slug=slug, company=current, other=other),
                    hint=_("each company of the firm needs its own Alegra account: check "
                           "`alegra-sync --company {slug} connect`, or remove one of the two "
                           "(`alegra-sync companies remove …`)").format(slug=slug))

    return guard
