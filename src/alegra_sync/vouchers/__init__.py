"""Export + mapping + company precision -> journal and payment drafts. Pure: no I/O, no client,
no ledger, no settings."""
