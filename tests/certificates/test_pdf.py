"""The PDF module: plain data in, one searchable A4 PDF per certificate out."""

import io

from pypdf import PdfReader

from certificates import pdf
from certificates.layout import DEFAULT_CSS, DEFAULT_LAYOUT, DEFAULT_WORDING
from certificates.rules import new_serial

NAMES = ["张晓明", "欧阳娜娜", "李四光", "覃雨婷", "闫子涵"]


def _template(orientation="landscape", wording=DEFAULT_WORDING["completion"]):
    return pdf.TemplateData(
        layout_html=DEFAULT_LAYOUT,
        css=DEFAULT_CSS,
        orientation=orientation,
        heading="结业证书",
        wording=wording,
        issuer_name="示范市民政局",
    )


def _item(name, title="社区工作者岗位培训班"):
    serial = str(new_serial("SQ", 2026))
    return pdf.CertificateData(
        serial=serial,
        verify_url=f"https://example.org/verify/{serial}/",
        values={
            "name": name,
            "title": title,
            "days": "3",
            "hours": "18",
            "year": "2026",
            "issue_date": "2026年11月24日",
            "organiser": "示范市民政局",
        },
    )


def _fonts(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    return {str(f.get_object()["/BaseFont"]) for f in fonts.values()}


def test_batch_gives_one_searchable_pdf_per_certificate_with_its_own_text():
    """Each file holds exactly its holder's name, the class and its serial, drawn
    with the Noto CJK font (so no glyph falls back to a box)."""
    items = [_item(n) for n in NAMES]
    files = pdf.render_batch(_template(), items, chunk_size=2)
    assert len(files) == len(items)
    for content, item in zip(files, items):
        reader = PdfReader(io.BytesIO(content))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        assert item.values["name"] in text
        assert "社区工作者岗位培训班" in text
        assert item.serial in text
        others = [n for n in NAMES if n != item.values["name"]]
        assert not any(n in text for n in others)
        assert reader.metadata["/Subject"] == item.serial
        assert all("Noto" in f and "CJK" in f for f in _fonts(content))


def test_naive_and_batch_paths_print_the_same_text():
    item = _item("张晓明")
    naive = pdf.pdf_text(pdf.render_naive(_template(), item))
    batch = pdf.pdf_text(pdf.render_batch(_template(), [item])[0])
    assert naive == batch


def test_a4_portrait_and_landscape():
    item = _item("张晓明")
    for orientation, size in (("landscape", (842, 595)), ("portrait", (595, 842))):
        content = pdf.render_single(_template(orientation), item)
        box = PdfReader(io.BytesIO(content)).pages[0].mediabox
        assert (round(box.width), round(box.height)) == size


def test_placeholders_are_escaped_in_the_pdf():
    """A name with markup is printed as text, never interpreted."""
    content = pdf.render_single(_template(), _item("<b>张三</b>"))
    assert "<b>张三</b>" in pdf.pdf_text(content)


def test_overlong_wording_stays_one_page_per_certificate():
    """Wording far too long for a page is clipped by the page box (the preview shows
    it to the editor); each certificate is still exactly one page of its own."""
    long = "{name}同志：\n" + "\n".join(["特发此证，以资鼓励。" * 8] * 30)
    items = [_item(n) for n in NAMES[:2]]
    files = pdf.render_batch(_template(wording=long), items)
    assert [len(PdfReader(io.BytesIO(f)).pages) for f in files] == [1, 1]
    assert NAMES[0] in pdf.pdf_text(files[0]) and NAMES[1] not in pdf.pdf_text(files[0])
    assert NAMES[1] in pdf.pdf_text(files[1])


def test_qr_code_encodes_the_verification_url():
    uri = pdf.qr_data_uri("https://example.org/verify/SQ-2026-AAAAA-BBBBB-CC/")
    assert uri.startswith("data:image/png")
