"""Certificate PDFs from plain data (no ORM): the services store what this returns.

WeasyPrint spends most of a certificate's time loading and subsetting the CJK font,
once per document. The batch path lays out a chunk of certificates as one multi-page
document and splits it into one PDF per page with pypdf: the font is subset once per
chunk, and every output file is still a complete PDF with its own text layer (the
holder's name, the class and the serial are searchable and extractable). If a
template ever lays out a certificate on more than one page, the batch falls back to
one document per certificate, so the mapping page → certificate is never guessed.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import segno
from pypdf import PdfReader, PdfWriter

from . import rules

# WeasyPrint logs every layout step at INFO: thousands of lines per batch.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_STACK = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif'


@dataclass(frozen=True)
class TemplateData:
    layout_html: str
    css: str
    orientation: str  # "portrait" or "landscape"
    heading: str
    wording: str
    issuer_name: str
    signatory: str = ""
    seal_image: bytes | None = None
    signature_image: bytes | None = None


@dataclass(frozen=True)
class CertificateData:
    serial: str
    verify_url: str
    # name, title, days, hours, year, issue_date, service_years, organiser, community
    values: dict[str, str] = field(default_factory=dict)
    # Lines of training (date, title, days, hours) for {training}; `more` not shown.
    training: tuple[tuple[str, str, str, str], ...] = ()
    training_more: int = 0


def _data_uri(content: bytes) -> str:
    mime = "image/png"
    if content[:3] == b"\xff\xd8\xff":
        mime = "image/jpeg"
    elif content[:4] == b"GIF8":
        mime = "image/gif"
    elif content.lstrip()[:1] == b"<":
        mime = "image/svg+xml"
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def _page_css(template: TemplateData) -> str:
    size = "A4 landscape" if template.orientation == "landscape" else "A4 portrait"
    height = "210mm" if template.orientation == "landscape" else "297mm"
    return (
        f"@page {{ size: {size}; margin: 0; }}\n"
        f"html, body {{ margin: 0; padding: 0; font-family: {FONT_STACK}; }}\n"
        f".certificate-page {{ position: relative; height: {height}; "
        "overflow: hidden; break-after: page; page-break-after: always; }\n"
        ".certificate-page:last-child { break-after: auto; }\n"
    )


def _fixed_parts(template: TemplateData) -> dict[str, str]:
    """What is the same on every page of a batch (images encoded once)."""
    seal = (
        f'<img class="seal" src="{_data_uri(template.seal_image)}" alt="">'
        if template.seal_image
        else ""
    )
    signature = (
        f'<img class="signature" src="{_data_uri(template.signature_image)}" alt="">'
        if template.signature_image
        else ""
    )
    return {
        "heading": html.escape(template.heading),
        "issuer": html.escape(template.issuer_name),
        "signatory": html.escape(template.signatory),
        "seal": seal,
        "signature": signature,
    }


def _training_table(item: CertificateData) -> str:
    if not item.training:
        return ""
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in line) + "</tr>"
        for line in item.training
    )
    more = (
        f'<tr><td colspan="4">… +{item.training_more}</td></tr>'
        if item.training_more
        else ""
    )
    return (
        '<table class="training"><thead><tr><th>日期</th><th>培训</th><th>天数</th>'
        f"<th>学时</th></tr></thead><tbody>{rows}{more}</tbody></table>"
    )


def _page_html(
    template: TemplateData, item: CertificateData, fixed: dict[str, str]
) -> str:
    values = {"issuer": template.issuer_name, "serial": item.serial, **item.values}
    paragraphs = [
        f"<p>{rules.fill(line, values)}</p>"
        for line in template.wording.splitlines()
        if line.strip()
    ]
    parts = {k: html.escape(str(v)) for k, v in values.items()}
    parts.update(fixed)
    parts["wording"] = "".join(paragraphs)
    parts["verify_url"] = html.escape(item.verify_url)
    parts["qr"] = f'<img class="qr-code" src="{qr_data_uri(item.verify_url)}" alt="">'
    parts["training"] = _training_table(item)
    body = rules.fill(template.layout_html, parts, escape=False)
    return f'<section class="certificate-page">{body}</section>'


def _document(template: TemplateData, pages: Iterable[str]) -> str:
    return (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<style>{_page_css(template)}\n{template.css}</style></head>"
        f"<body>{''.join(pages)}</body></html>"
    )


def _write_pdf(document: str) -> bytes:
    from weasyprint import HTML  # imported late: heavy, and only workers need it

    return HTML(string=document, base_url=None).write_pdf()


def _with_metadata(reader_page, title: str, serial: str) -> bytes:
    writer = PdfWriter()
    writer.add_page(reader_page)
    writer.add_metadata(
        {"/Title": title, "/Subject": serial, "/Creator": "certificates"}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_naive(template: TemplateData, item: CertificateData) -> bytes:
    """One certificate, one `HTML().write_pdf()`: the baseline the benchmark beats."""
    fixed = _fixed_parts(template)
    return _write_pdf(_document(template, [_page_html(template, item, fixed)]))


def render_single(template: TemplateData, item: CertificateData) -> bytes:
    """One certificate as its own document, metadata included."""
    fixed = _fixed_parts(template)
    content = _write_pdf(_document(template, [_page_html(template, item, fixed)]))
    reader = PdfReader(io.BytesIO(content))
    if len(reader.pages) != 1:
        raise LayoutOverflow(len(reader.pages))
    return _with_metadata(
        reader.pages[0], f"{template.heading} {item.serial}", item.serial
    )


class LayoutOverflow(ValueError):
    """The template lays one certificate out over more than one page."""

    def __init__(self, pages: int):
        super().__init__(f"the layout takes {pages} pages; shorten the wording")
        self.pages = pages


def render_batch(
    template: TemplateData, items: Sequence[CertificateData], *, chunk_size: int = 40
) -> list[bytes]:
    """One PDF per item, in order; the font is loaded and subset once per chunk."""
    fixed = _fixed_parts(template)
    results: list[bytes] = []
    for start in range(0, len(items), max(1, chunk_size)):
        chunk = items[start : start + chunk_size]
        content = _write_pdf(
            _document(template, (_page_html(template, i, fixed) for i in chunk))
        )
        reader = PdfReader(io.BytesIO(content))
        if len(reader.pages) != len(chunk):
            # Some certificate overflowed its page: render each on its own.
            results.extend(render_single(template, item) for item in chunk)
            continue
        for page, item in zip(reader.pages, chunk):
            results.append(
                _with_metadata(page, f"{template.heading} {item.serial}", item.serial)
            )
    return results


def pdf_text(content: bytes) -> str:
    """All text of a PDF, as a reader would copy it."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
