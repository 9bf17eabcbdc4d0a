"""The command line: only this package prints."""
