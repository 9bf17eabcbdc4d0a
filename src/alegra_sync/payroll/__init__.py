"""The payroll input: an export file (CSV or XLSX) read and checked into a PayrollExport.

``options`` says how to read a file; ``readers`` turns a file into rows of cells; ``columns``
recognises the header; ``amounts`` parses amounts and dates as exports write them; ``wide``
(wide layout, shared checks), ``long`` (long layout) and ``fast`` (whole-row conversion of the
hot loop) turn rows into Employees; ``export`` puts it together (``read_export``) into the
``model``; ``filenames`` reads periods from file names; ``discover`` finds a period's export
in a folder. Nothing here talks to Alegra or prints.
"""
