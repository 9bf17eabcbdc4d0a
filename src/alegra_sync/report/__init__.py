"""The accountant's period report (report.md): its content, as HTML and as XLSX."""
