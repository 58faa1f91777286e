"""Class 1: no PDF can embed a server file or reach an internal URL.

Every WeasyPrint call goes through lms.accounts.pdf.html_to_pdf (the URL walk test
checks no other module imports WeasyPrint); administrators' template HTML/CSS is
refused at save and cleaned again at render."""

import http.server
import threading

import pytest
from django.core.exceptions import ValidationError

from certificates import pdf as certificate_pdf
from certificates.layout import DEFAULT_CSS, DEFAULT_LAYOUT
from lms.accounts.pdf import (
    RefusedURL,
    clean_template_css,
    clean_template_html,
    fetch_resource,
    html_to_pdf,
    template_html_refused,
)
from tests.certificates.factories import CertificateTemplateFactory

SECRET = "TOP-SECRET-SERVER-FILE-4711"


@pytest.fixture
def server_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


@pytest.fixture
def internal_server():
    """An 'internal' HTTP service recording every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_fetcher_refuses_files_and_network_and_reads_data_uris():
    """Only data: URIs (and the project's static files) are resolved."""
    assert fetch_resource("data:text/plain;base64,aGk=") == (b"hi", "text/plain")
    for url in (
        "file:///etc/passwd",
        "FILE:///proc/self/environ",
        "http://127.0.0.1:8000/admin/",
        "https://example.org/x.png",
        "ftp://127.0.0.1/x",
        "/etc/passwd",
    ):
        with pytest.raises(RefusedURL):
            fetch_resource(url)


def test_pdf_never_embeds_a_server_file_or_calls_an_internal_url(
    server_file, internal_server
):
    """A document naming a file and an internal URL in every way a PDF can load
    them renders without either."""
    base, hits = internal_server
    document = (
        f'<html><head><link rel="stylesheet" href="{base}/link.css">'
        f"<style>@import url({base}/import.css);"
        f"body {{ background: url(file://{server_file}) }}</style></head>"
        f'<body><img src="file://{server_file}"><img src="{base}/img.png">'
        f'<object data="file://{server_file}"></object>'
        f'<iframe src="file://{server_file}"></iframe>'
        f'<a rel="attachment" href="file://{server_file}">x</a>visible</body></html>'
    )
    content = html_to_pdf(document)
    assert content.startswith(b"%PDF")
    assert SECRET.encode() not in content
    assert hits == []


def test_template_with_hostile_html_or_css_is_refused_at_save(tree):
    """Saving a template names what is not allowed; the defaults are accepted."""
    template = CertificateTemplateFactory.build(org=tree["city"], issuer_code="ZZ")
    template.full_clean()
    template.layout_html = DEFAULT_LAYOUT + '<img src="file:///etc/passwd">'
    template.css = "@import url(http://127.0.0.1:8000/); a { background: url(x) }"
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert set(caught.value.message_dict) == {"layout_html", "css"}
    assert "<img>" in caught.value.message_dict["layout_html"][0]
    assert "@import" in caught.value.message_dict["css"][0]


def test_sanitisers_keep_the_default_layout_and_drop_the_rest():
    assert template_html_refused(DEFAULT_LAYOUT) == []
    assert clean_template_css(DEFAULT_CSS)[1] == []
    cleaned = clean_template_html(
        '<div class="a" style="x" onclick="y">{qr}<script>1</script>'
        '<img src="file:///etc/passwd"><link href="http://127.0.0.1/"></div>'
    )
    assert cleaned == '<div class="a">{qr}</div>'
    css, refused = clean_template_css(
        "@font-face { src: url(file:///etc/passwd) } "
        "a { color: red; background: \\75rl(file:///x); content: 'x' } "
        "b { width: calc(1mm + 2mm) }"
    )
    assert css == "a { color: red; }\nb { width: calc(1mm + 2mm); }"
    assert refused == ["@font-face", "background", "url()", "content"]


def test_stored_template_rendered_by_preview_still_cannot_read_files(server_file):
    """A template saved before the check (no full_clean) is cleaned at render."""
    template = certificate_pdf.TemplateData(
        layout_html=f'<p>{{serial}}</p><img src="file://{server_file}">',
        css=f"p {{ background: url(file://{server_file}) }}",
        orientation="portrait",
        heading="H",
        wording="W",
        issuer_name="I",
    )
    item = certificate_pdf.CertificateData(serial="S-1", verify_url="https://x/")
    content = certificate_pdf.render_single(template, item)
    assert SECRET.encode() not in content
