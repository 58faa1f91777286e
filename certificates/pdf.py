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
from pypdf import PdfReader
from pypdf.generic import IndirectObject

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
    """The QR code as a small PNG. A fixed mask pattern (any of the eight is valid)
    skips segno's penalty search, and a bitmap is far cheaper for WeasyPrint to
    place than an SVG of a few hundred paths."""
    return segno.make(url, error="m", mask=2).png_data_uri(scale=4, border=1)


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
    from weasyprint import HTML  # noqa: PLC0415 (imported late: heavy, and only workers need it)

    return HTML(string=document, base_url=None).write_pdf()


def _pdf_string(text: str) -> bytes:
    """A PDF text string (UTF-16BE with BOM, so Chinese titles survive)."""
    return b"<" + (b"\xfe\xff" + text.encode("utf-16-be")).hex().encode() + b">"


class _PageSplitter:
    """Cut a multi-page PDF into one PDF per page, fast.

    pypdf's PdfWriter clones every object graph for every output file, and the CJK
    font's width arrays make that ~30 ms a page. Here each object is serialised once
    (kept under its original number, so its references stay valid); a page's file is
    the bytes of the objects it reaches, a one-page /Pages node that reuses the old
    node's number (the page's /Parent), a catalogue, an info dictionary and an xref.
    """

    def __init__(self, content: bytes):
        self.reader = PdfReader(io.BytesIO(content))
        self.serialised: dict[int, bytes] = {}
        self.reach: dict[int, frozenset[int]] = {}

    def _refs(self, obj, found: set[int]) -> None:
        stack = [obj]
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                found.add(item.idnum)
            elif isinstance(item, dict):  # DictionaryObject and StreamObject
                stack.extend(v for k, v in item.items() if k != "/Parent")
            elif isinstance(item, list):
                stack.extend(
                    v for v in item if isinstance(v, (IndirectObject, dict, list))
                )

    def _closure(self, idnum: int) -> frozenset[int]:
        if idnum in self.reach:
            return self.reach[idnum]
        self.reach[idnum] = frozenset([idnum])  # guards cycles
        direct: set[int] = set()
        self._refs(self.reader.get_object(idnum), direct)
        result = {idnum}
        for ref in direct:
            result |= self._closure(ref)
        self.reach[idnum] = frozenset(result)
        return self.reach[idnum]

    def _bytes(self, idnum: int) -> bytes:
        if idnum not in self.serialised:
            out = io.BytesIO()
            self.reader.get_object(idnum).write_to_stream(out)
            self.serialised[idnum] = out.getvalue()
        return self.serialised[idnum]

    def page(self, index: int, *, title: str, subject: str) -> bytes:
        page_ref = self.reader.trailer["/Root"]["/Pages"]["/Kids"][index]
        page = page_ref.get_object()
        parent = page.raw_get("/Parent").idnum
        numbers = sorted(self._closure(page_ref.idnum))
        top = max([*numbers, parent, self.reader.trailer["/Size"] - 1])
        catalog, info = top + 1, top + 2
        bodies = {n: self._bytes(n) for n in numbers}
        bodies[parent] = (
            f"<< /Type /Pages /Kids [{page_ref.idnum} 0 R] /Count 1 >>".encode()
        )
        bodies[catalog] = f"<< /Type /Catalog /Pages {parent} 0 R >>".encode()
        bodies[info] = (
            b"<< /Title "
            + _pdf_string(title)
            + b" /Subject "
            + _pdf_string(subject)
            + b" /Creator (certificates) >>"
        )
        out = io.BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        for number in sorted(bodies):
            offsets[number] = out.tell()
            out.write(b"%d 0 obj\n" % number)
            out.write(bodies[number])
            out.write(b"\nendobj\n")
        xref = out.tell()
        size = info + 1
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for number in range(1, size):
            if number in offsets:
                out.write(b"%010d 00000 n \n" % offsets[number])
            else:
                out.write(b"0000000000 65535 f \n")
        out.write(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, catalog, info, xref)
        )
        return out.getvalue()


def render_naive(template: TemplateData, item: CertificateData) -> bytes:
    """One certificate, one `HTML().write_pdf()`: the baseline the benchmark beats."""
    fixed = _fixed_parts(template)
    return _write_pdf(_document(template, [_page_html(template, item, fixed)]))


def render_single(template: TemplateData, item: CertificateData) -> bytes:
    """One certificate as its own document, metadata included."""
    fixed = _fixed_parts(template)
    content = _write_pdf(_document(template, [_page_html(template, item, fixed)]))
    splitter = _PageSplitter(content)
    if len(splitter.reader.pages) != 1:
        raise LayoutOverflow(len(splitter.reader.pages))
    return splitter.page(
        0, title=f"{template.heading} {item.serial}", subject=item.serial
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
        splitter = _PageSplitter(content)
        if len(splitter.reader.pages) != len(chunk):
            # Some certificate overflowed its page: render each on its own.
            results.extend(render_single(template, item) for item in chunk)
            continue
        for index, item in enumerate(chunk):
            results.append(
                splitter.page(
                    index,
                    title=f"{template.heading} {item.serial}",
                    subject=item.serial,
                )
            )
    return results


def pdf_text(content: bytes) -> str:
    """All text of a PDF, as a reader would copy it."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
