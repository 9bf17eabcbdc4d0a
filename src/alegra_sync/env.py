"""Every ``ALEGRA_SYNC_*`` environment variable the program reads, named once.

Core: imports nothing, so the CLI's start-up can use it.
"""

from __future__ import annotations

PREFIX = "ALEGRA_SYNC_"  # also of every setting: ALEGRA_SYNC_<SECTION>__<KEY>

HOME = "ALEGRA_SYNC_HOME"
CONFIG = "ALEGRA_SYNC_CONFIG"
BASE_URL = "ALEGRA_SYNC_BASE_URL"
USER = "ALEGRA_SYNC_USER"
TOKEN = "ALEGRA_SYNC_TOKEN"
TODAY = "ALEGRA_SYNC_TODAY"  # rehearse a date (tests, demos, cron rehearsals)
QUIET = "ALEGRA_SYNC_QUIET"
VERBOSE = "ALEGRA_SYNC_VERBOSE"  # a number: 1 like -v, 2 like -vv
LANG = "ALEGRA_SYNC_LANG"  # es | en: beats `lang` in config.toml and the locale (i18n.py)
TEST_CRASH = "ALEGRA_SYNC_TEST_CRASH"  # test hook: kill the process at a named point
COMPANY = "ALEGRA_SYNC_COMPANY"  # a firm home's company: like --company SLUG
SMTP_PASSWORD = "ALEGRA_SYNC_SMTP_PASSWORD"  # beats [smtp] password in credentials.toml
# Set by `sync --all-companies` for each company's run: the firm's run sends the one digest,
# so the company's own run notifies nobody.
FIRM_RUN = "ALEGRA_SYNC_FIRM_RUN"

# What `demo` and the tests set for every command they run.
SESSION = (HOME, CONFIG, BASE_URL, USER, TOKEN, TODAY, COMPANY)
