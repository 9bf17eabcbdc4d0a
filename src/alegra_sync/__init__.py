"""alegra-sync: post a Colombian company's payroll to Alegra, exactly once."""

__version__ = "0.1.0"
