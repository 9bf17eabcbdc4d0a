"""Firm mode (operations.md): a firm home with many company homes, the portfolio view, and
runs over every company in parallel."""
