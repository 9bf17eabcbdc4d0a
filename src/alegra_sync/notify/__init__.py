"""Notifications about runs (operations.md): e-mail over SMTP and a webhook, in the configured
language; a notification that cannot be sent never changes a run's outcome."""
