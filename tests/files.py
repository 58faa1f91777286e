"""Small real files for upload tests: content checks parse the whole file."""

import io


def pdf_bytes(text: str = "") -> bytes:
    """A valid one-page PDF (`text` kept in its metadata so files differ)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()
