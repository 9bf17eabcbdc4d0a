"""The connection to Alegra: a client from the settings and credentials, the check `connect`
makes, and what a new connection makes stale."""

from __future__ import annotations

from alegra_sync.alegra.catalog import clear_chart_cache
from alegra_sync.alegra.client import AlegraClient
from alegra_sync.alegra.models import Company
from alegra_sync.config import Credentials, Paths, Settings, alegra_base_url
from alegra_sync.sync.ledger import CompanyRecord, Ledger


def client_for(settings: Settings, credentials: Credentials) -> AlegraClient:
    alegra = settings.alegra
    return AlegraClient(
        alegra_base_url(settings, credentials),
        credentials.user,
        credentials.token,
        connect_timeout=alegra.connect_timeout,
        read_timeout=alegra.read_timeout,
        requests_per_minute=alegra.requests_per_minute,
        max_retries=alegra.retries,
    )


def verify_credentials(settings: Settings, credentials: Credentials) -> Company:
    """The company the credentials open: ``GET /users/self`` then ``GET /company``."""
    with client_for(settings, credentials) as client:
        client.self_user()
        return client.company()


def forget_caches(paths: Paths) -> None:
    """The chart and the contact ids cached for the previous credentials may be another
    company's; they are fetched again when needed."""
    clear_chart_cache(paths.cache)
    if paths.database.exists():
        with Ledger.open(paths.database) as ledger:
            ledger.forget_contacts()


def company_record(company: Company) -> CompanyRecord:
    return CompanyRecord((company.identification or "").strip(), company.name.strip())


def remember_company(paths: Paths, company: Company) -> CompanyRecord:
    """Record the connected company in the state (a firm's company, at `connect`), unless
    one is recorded already; the recorded one. The firm's other slugs see it from then on."""
    with Ledger.open(paths.database) as ledger:
        return ledger.bind_company(company_record(company))
