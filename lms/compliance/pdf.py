"""The appraisal form (年度培训考核表) as PDF bytes, from plain data (no ORM here).

One form lists the workers of a community or street with their required and achieved
days and status, then a signature area; every page carries "page N of M".
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif'


@dataclass(frozen=True)
class AppraisalForm:
    title: str
    org_name: str
    org_code: str
    year: int
    generated: str
    # Column headings and footer labels, already translated by the caller.
    labels: dict[str, str]
    # One dict per worker: name, id_number, post, required_days, achieved_days,
    # online_days, shortfall_days, status, reasons (already translated strings).
    rows: list[dict] = field(default_factory=list)
    summary: str = ""


COLUMNS = (
    "name",
    "id_number",
    "post",
    "required_days",
    "achieved_days",
    "online_days",
    "shortfall_days",
    "status",
    "reasons",
)

CSS = """
@page {
  size: A4 landscape;
  margin: 16mm 12mm 18mm 12mm;
  @bottom-center {
    content: "%(page_label)s";
    font-family: %(font)s; font-size: 9pt; color: #444;
  }
}
body { font-family: %(font)s; font-size: 9.5pt; color: #111; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
p.meta { text-align: center; margin: 0 0 4mm; color: #333; }
table { width: 100%%; border-collapse: collapse; }
thead { display: table-header-group; }
th, td { border: 0.6pt solid #555; padding: 1.4mm 1.6mm; text-align: left;
  vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
tr { page-break-inside: avoid; }
.signatures { margin-top: 10mm; display: flex; justify-content: space-between;
  page-break-inside: avoid; }
.signatures div { width: 30%%; border-top: 0.6pt solid #111; padding-top: 2mm; }
.summary { margin-top: 4mm; }
"""


def _esc(value) -> str:
    return html.escape(str(value))


def appraisal_html(form: AppraisalForm) -> str:
    labels = form.labels
    head = "".join(f"<th>{_esc(labels[c])}</th>" for c in COLUMNS)
    body = []
    for row in form.rows:
        cells = []
        for column in COLUMNS:
            value = row.get(column, "")
            if column == "reasons":
                value = "；".join(value) if isinstance(value, list) else value
            css = ""
            if column.endswith("_days"):
                css = ' class="num"'
            elif column in ("name", "id_number", "status"):
                css = ' class="nowrap"'
            cells.append(f"<td{css}>{_esc(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    page_label = (
        labels["page"]
        .replace('"', "")
        .replace("{page}", '" counter(page) "')
        .replace("{pages}", '" counter(pages) "')
    )
    css = CSS % {"font": FONT_STACK, "page_label": page_label}
    signatures = "".join(
        f"<div>{_esc(labels[key])}</div>"
        for key in ("sign_reviewer", "sign_head", "sign_date")
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<style>{css}</style></head><body>"
        f"<h1>{_esc(form.title)}</h1>"
        f"<p class='meta'>{_esc(form.org_name)} ({_esc(form.org_code)}) · "
        f"{_esc(form.year)} · {_esc(form.generated)}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<p class='summary'>{_esc(form.summary)}</p>"
        f"<div class='signatures'>{signatures}</div>"
        "</body></html>"
    )


def render_appraisal_pdf(form: AppraisalForm) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 (heavy; loaded only where a PDF is drawn)

    return HTML(string=appraisal_html(form)).write_pdf()
