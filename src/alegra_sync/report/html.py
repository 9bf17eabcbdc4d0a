"""The period report as one self-contained, printable HTML file (report.md, "Formats").

Inline CSS, no script, no external fonts, images or requests; readable on a laptop and on a
phone (tables scroll sideways), and printed on A4 with a page per section, the table headers
and the running header (company, period, state; a simulation says so on every page) repeated on
every page. The payroll cost per cost center and concept group is an inline SVG bar chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from html import escape

from alegra_sync.i18n import _, language
from alegra_sync.report.model import Bar, Col, PeriodReport, Row, Section, money_text

_CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --rule: #d5dae1; --band: #f3f5f8; --accent: #1f5fa8;
  --bad: #b3261e; --good: #1e7b34; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
header.report { border-bottom: 2px solid var(--accent); padding-bottom: 8px; margin-bottom: 12px; }
header.report h1 { font-size: 22px; margin: 0 0 4px; }
header.report p { margin: 0; color: var(--muted); }
.simulation { border: 2px solid var(--bad); color: var(--bad); font-weight: 700;
  text-transform: uppercase; letter-spacing: .04em; padding: 6px 10px; margin: 8px 0; }
nav ol { columns: 2; margin: 8px 0 0; padding-left: 20px; color: var(--muted); }
section { margin: 22px 0; }
h2 { font-size: 18px; margin: 0 0 6px; color: var(--accent); }
p.intro { margin: 0 0 8px; color: var(--muted); }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { padding: 3px 6px; border-bottom: 1px solid var(--rule); text-align: left;
  vertical-align: top; }
th { background: var(--band); font-weight: 600; white-space: nowrap; }
td.money, td.count, td.percent, th.money, th.count, th.percent { text-align: right;
  white-space: nowrap; font-variant-numeric: tabular-nums; }
td.code { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.group td { background: var(--band); font-weight: 600; }
tr.subtotal td { font-weight: 600; border-top: 1px solid var(--muted); }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink);
  border-bottom: 2px solid var(--ink); }
td.ok { color: var(--good); font-weight: 700; } td.bad { color: var(--bad); font-weight: 700; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 12px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px;
  margin: 8px 0 12px; }
.totals div { border: 1px solid var(--rule); border-radius: 6px; padding: 6px 8px; }
.totals span { display: block; color: var(--muted); font-size: 12px; }
.totals strong { font-size: 16px; font-variant-numeric: tabular-nums; }
ul.checks { list-style: none; padding: 0; margin: 0; }
ul.checks li { padding: 2px 0; }
ul.checks b.ok { color: var(--good); } ul.checks b.bad { color: var(--bad); }
svg.chart { width: 100%; height: auto; max-width: 900px; }
@media (max-width: 640px) { body { font-size: 13px; } dl.facts { grid-template-columns: 1fr; }
  dl.facts dt { margin-top: 4px; } nav ol { columns: 1; } }
@page { size: A4; margin: 16mm 12mm 14mm; }
@media print {
  body { font-size: 10.5px; } main { max-width: none; padding: 0; }
  nav { display: none; }
  section { margin: 0; }
  section + section { break-before: page; }
  table { font-size: 9.5px; } tr { break-inside: avoid; }
  thead { display: table-header-group; }
  .scroll { overflow: visible; }
  .totals div, .simulation { break-inside: avoid; }
}
"""


def render_html(report: PeriodReport, *, generated: str) -> str:
    return "".join(html_chunks(report, generated=generated))


def html_chunks(report: PeriodReport, *, generated: str) -> Iterator[str]:
    """The page in pieces, to be written as they come (a 10,000-employee report is 40 MB)."""
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{language()}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)} — {escape(report.company)}</title>",
        f"<style>{_CSS}{_page_header(report)}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="report">',
        f"<h1>{escape(report.title)}</h1>",
        f"<p>{escape(report.company)} · {escape(report.state)} · "
        + escape(_("generated {time}").format(time=generated)) + "</p>",
        _simulation_banner(report),
        "</header>",
        _nav(report.sections),
    ]
    yield "\n".join(p for p in head if p) + "\n"
    for section in report.sections:
        yield from _section(report, section)
    yield "</main>\n</body>\n</html>\n"


def _page_header(report: PeriodReport) -> str:
    """The header and page number of every printed page: the page's margin boxes."""
    header = f"{report.company} · {report.title}"
    if report.simulated:
        header += f" · {report.marker.upper()}"
    colour = "#b3261e" if report.simulated else "#5b6472"
    page = _("page")
    return ("@page { @top-left { content: " + _css_string(header) + "; font-size: 8pt; "
            f"color: {colour}; }} @bottom-right {{ content: {_css_string(page)} \" \" "
            'counter(page) " / " counter(pages); font-size: 8pt; color: #5b6472; } }')


def _css_string(text: str) -> str:
    cleaned = "".join(c for c in text if c >= " ").replace("\\", "\\\\").replace('"', '\\"')
    cleaned = cleaned.replace("<", "\\3c ")  # never a </style> in the stylesheet
    return '"' + cleaned + '"'


def _simulation_banner(report: PeriodReport) -> str:
    if not report.simulated:
        return ""
    # never _() inside an f-string: Babel does not see it there (Python 3.11)
    said = _("what a sync would post; nothing of it is in Alegra")
    return f'<div class="simulation">{escape(report.marker)}: {escape(said)}</div>'


def _nav(sections: list[Section]) -> str:
    items = "".join(f'<li><a href="#{s.key}">{escape(s.title)}</a></li>' for s in sections)
    return f"<nav><ol>{items}</ol></nav>"


def _section(report: PeriodReport, section: Section) -> Iterator[str]:
    yield f'<section id="{section.key}">\n<h2>{escape(section.title)}</h2>\n'
    if report.simulated and section.key != "summary":
        yield f'<div class="simulation">{escape(report.marker)}</div>\n'
    if section.intro:
        yield f'<p class="intro">{escape(section.intro)}</p>\n'
    if section.key == "summary":
        yield _cover(report)
    else:
        if section.key == "cost_centers" and report.chart:
            yield chart_svg(report.chart, report.chart_groups, report.precision)
        yield from _table(section.columns, section.rows, report.precision)
    yield "\n</section>\n"


def _cover(report: PeriodReport) -> str:
    facts = "".join(f"<dt>{escape(label)}</dt><dd>{escape(_text(value, report.precision))}</dd>"
                    for label, value in report.facts)
    totals = "".join(f"<div><span>{escape(label)}</span><strong>"
                     f"{escape(_text(value, report.precision))}</strong></div>"
                     for label, value in report.totals)
    checks = "".join(
        f'<li><b class="{"ok" if c.ok else "bad" if c.ok is False else ""}">'
        f'{"✓" if c.ok else "✗" if c.ok is False else "—"}</b> {escape(c.label)}: '
        f"{escape(c.detail)}</li>" for c in report.checks)
    totals_title, checks_title = escape(_("Totals")), escape(_("Checks"))
    return (f'<dl class="facts">{facts}</dl><h3>{totals_title}</h3>'
            f'<div class="totals">{totals}</div><h3>{checks_title}</h3>'
            f'<ul class="checks">{checks}</ul>')


def _table(columns: list[Col], rows: Iterable[Row], precision: int) -> Iterator[str]:
    head = "".join(f'<th class="{c.kind}">{escape(c.header)}</th>' for c in columns)
    yield f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>'
    batch: list[str] = []
    for row in rows:
        cells = []
        for column, value in zip(columns, row.values, strict=True):
            kind = column.kind
            if kind == "check":
                css = "ok" if value is True else "bad" if value is False else ""
                mark = "✓" if value is True else "✗" if value is False else "—"
                cells.append(f'<td class="{css}">{mark}</td>')
                continue
            cells.append(f'<td class="{kind}">{escape(_text(value, precision, kind))}</td>')
        style = f' class="{row.style}"' if row.style else ""
        batch.append(f"<tr{style}>{''.join(cells)}</tr>\n")
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    batch.append("</tbody></table></div>")
    yield "".join(batch)


def _text(value: object, precision: int, kind: str = "auto") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, Decimal):
        if kind == "percent":
            return f"{value * 100:.1f} %".replace(".", ",")
        return money_text(value, precision)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return str(value)


def chart_svg(bars: list[Bar], groups: list[str], precision: int) -> str:
    """Horizontal stacked bars, one per cost center, a colour per concept group, with the
    amounts written beside them (readable in black and white too)."""
    colours = ("#1f5fa8", "#e08a1e", "#3a9b5c")
    label_width, bar_width, row_height, top = 190, 520, 34, 34
    width = label_width + bar_width + 170
    height = top + row_height * len(bars) + 10
    largest = max((sum(bar.amounts, Decimal(0)) for bar in bars), default=Decimal(0))
    scale = Decimal(bar_width) / largest if largest else Decimal(0)
    title = escape(_("Payroll cost per cost center"))
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, Arial, sans-serif" '
           f'font-size="12"><title>{title}</title>']
    x = label_width
    for index, group in enumerate(groups):  # the legend
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colours[index % 3]}"/>'
                   f'<text x="{x + 16}" y="16">{escape(group)}</text>')
        x += 24 + 8 * len(group)
    for row, bar in enumerate(bars):
        y = top + row * row_height
        out.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">'
                   f"{escape(bar.label[:28])}</text>")
        x_at = Decimal(label_width)
        for index, amount in enumerate(bar.amounts):
            length = (amount * scale) if amount > 0 else Decimal(0)
            if length:
                out.append(f'<rect x="{x_at:.1f}" y="{y + 4}" width="{length:.1f}" height="20" '
                           f'fill="{colours[index % 3]}"><title>{escape(groups[index])}: '
                           f"{escape(money_text(amount, precision))}</title></rect>")
            x_at += length
        total = sum(bar.amounts, Decimal(0))
        out.append(f'<text x="{x_at + 6:.1f}" y="{y + 18}">'
                   f"{escape(money_text(total, precision))}</text>")
    out.append("</svg>")
    return "".join(out)
