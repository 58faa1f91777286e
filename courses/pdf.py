"""Plain data → PDF bytes (WeasyPrint); no ORM here."""

from html import escape


def slides_pdf(*, title: str, points: list[str]) -> bytes:
    """A small slide deck: a title page and one page per point."""
    from weasyprint import HTML  # noqa: PLC0415 (heavy; loaded only where a PDF is drawn)

    pages = [
        f'<section class="title"><h1>{escape(title)}</h1><p>社区工作者培训课件</p></section>'
    ]
    pages += [
        f"<section><h2>{i}. {escape(p)}</h2><p>要点讲解、案例与讨论。</p></section>"
        for i, p in enumerate(points, 1)
    ]
    css = (
        "@page { size: 254mm 143mm; margin: 15mm; }"
        "body { font-family: 'Noto Sans CJK SC', sans-serif; }"
        "section { page-break-after: always; } h1 { font-size: 28pt; margin-top: 30mm; }"
    )
    html = (
        f"<html><head><style>{css}</style></head><body>{''.join(pages)}</body></html>"
    )
    return HTML(string=html).write_pdf()
