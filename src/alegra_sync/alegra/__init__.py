"""Alegra's API: the HTTP client, the typed models of its bodies and the cached chart."""
