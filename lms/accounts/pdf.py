"""The one way to turn HTML into a PDF, and the sanitiser of administrators' templates.

Every WeasyPrint call goes through `html_to_pdf`, whose `SafeURLFetcher` resolves only
`data:` URIs and the project's own static files (`SITE_URL/static/…`, read
from the static finders, never over the network): `file://`, `http(s)://` and every
other scheme are refused, so a template can never embed a server file or make the
server request an internal URL. HTML and CSS written by administrators (certificate
templates) are cleaned by `clean_template_html` and `clean_template_css`: an allow-list
of tags, attributes and CSS properties, no at-rule (`@import`, `@font-face`) and no
function but colours and arithmetic (so no `url()`).
"""

import base64
import binascii
import urllib.parse
from html.parser import HTMLParser

import nh3
import tinycss2
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

TEMPLATE_TAGS = {
    "div", "section", "header", "footer", "p", "span", "br", "hr", "h1", "h2", "h3",
    "h4", "strong", "em", "b", "i", "u", "small", "sub", "sup", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
TEMPLATE_ATTRIBUTES = {"*": {"class"}, "td": {"colspan", "rowspan"}}
CSS_PROPERTIES = {
    "color", "background-color", "opacity",
    "font", "font-family", "font-size", "font-style", "font-weight", "font-variant",
    "line-height", "letter-spacing", "word-spacing", "text-align", "text-indent",
    "text-decoration", "text-transform", "white-space", "word-break",
    "overflow-wrap", "vertical-align",
    "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border", "border-top", "border-right", "border-bottom", "border-left",
    "border-width", "border-style", "border-color", "border-radius",
    "border-collapse", "border-spacing",
    "width", "height", "min-width", "min-height", "max-width", "max-height",
    "position", "top", "right", "bottom", "left", "inset", "z-index",
    "display", "float", "clear", "overflow", "box-sizing",
    "break-before", "break-after", "break-inside",
    "page-break-before", "page-break-after", "page-break-inside",
    "list-style-type", "table-layout",
}  # fmt: skip
CSS_FUNCTIONS = {"rgb", "rgba", "hsl", "hsla", "calc", "min", "max", "clamp"}


class RefusedURL(ValueError):
    pass


def _static_bytes(path: str) -> bytes:
    relative = urllib.parse.unquote(path[len(settings.STATIC_URL) :])
    if ".." in relative.split("/"):
        raise RefusedURL(path)
    found = finders.find(relative)
    if not found:
        raise RefusedURL(path)
    with open(found, "rb") as handle:
        return handle.read()


def fetch_resource(url: str) -> tuple[bytes, str]:
    """(bytes, MIME type) of a resource a PDF may use; RefusedURL for anything else."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        header, _sep, payload = url[5:].partition(",")
        mime = header.split(";", 1)[0] or "text/plain"
        try:
            if header.endswith(";base64"):
                return base64.b64decode(payload, validate=False), mime
        except binascii.Error as exc:
            raise RefusedURL(url[:40]) from exc
        return urllib.parse.unquote_to_bytes(payload), mime
    static_prefix = settings.SITE_URL + settings.STATIC_URL
    if url.startswith(static_prefix):
        return _static_bytes(url[len(settings.SITE_URL) :]), "application/octet-stream"
    raise RefusedURL(url[:200])


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415 (heavy; only where a PDF is drawn)

    class SafeURLFetcher(URLFetcher):
        """WeasyPrint's fetcher with no network and no file system."""

        def fetch(self, url, headers=None):
            content, mime = fetch_resource(url)
            return URLFetcherResponse(url, content, {"Content-Type": mime})

    return SafeURLFetcher()


def html_to_pdf(document: str) -> bytes:
    """PDF bytes of a complete HTML document; external resources are refused."""
    from weasyprint import HTML  # noqa: PLC0415 (heavy; only where a PDF is drawn)

    return HTML(string=document, base_url=None, url_fetcher=_fetcher()).write_pdf()


def clean_template_html(markup: str) -> str:
    """Administrator-written layout HTML reduced to the allowed tags and classes."""
    return nh3.clean(
        markup,
        tags=TEMPLATE_TAGS,
        attributes=TEMPLATE_ATTRIBUTES,
        clean_content_tags={"script", "style"},
        url_schemes=set(),
        link_rel=None,
    )


class _MarkupCheck(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refused: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TEMPLATE_TAGS:
            self.refused.append(f"<{tag}>")
        allowed = TEMPLATE_ATTRIBUTES["*"] | TEMPLATE_ATTRIBUTES.get(tag, set())
        self.refused += [
            f"{tag} {name}=" for name, _value in attrs if name not in allowed
        ]

    def handle_comment(self, data):
        self.refused.append("<!-- -->")

    def handle_decl(self, decl):
        self.refused.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.refused.append(f"<?{data}>")


def template_html_refused(markup: str) -> list[str]:
    """The tags and attributes of `markup` outside the allow-list (for a clear error
    when an administrator saves a template)."""
    check = _MarkupCheck()
    check.feed(markup)
    check.close()
    return list(dict.fromkeys(check.refused))


def _refused_tokens(tokens) -> list[str]:
    found = []
    for token in tokens:
        if token.type == "url":
            found.append("url()")
        elif token.type == "function":
            if token.lower_name not in CSS_FUNCTIONS:
                found.append(f"{token.lower_name}()")
            found += _refused_tokens(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            found += _refused_tokens(token.content)
        elif token.type == "at-keyword":
            found.append(f"@{token.lower_value}")
    return found


def clean_template_css(css: str) -> tuple[str, list[str]]:
    """(the allowed part of `css`, what was refused): only style rules, allowed
    properties, no url() or other function beyond colours and arithmetic."""
    refused: list[str] = []
    kept: list[str] = []
    for rule in tinycss2.parse_stylesheet(
        css, skip_comments=True, skip_whitespace=True
    ):
        if rule.type == "at-rule":
            refused.append(f"@{rule.lower_at_keyword}")
            continue
        if rule.type != "qualified-rule":
            refused.append(rule.type)
            continue
        selector_problems = _refused_tokens(rule.prelude)
        if selector_problems:
            refused += selector_problems
            continue
        declarations = []
        for item in tinycss2.parse_blocks_contents(
            rule.content, skip_comments=True, skip_whitespace=True
        ):
            if item.type != "declaration":
                refused.append(getattr(item, "lower_at_keyword", item.type))
                continue
            problems = _refused_tokens(item.value)
            if item.lower_name not in CSS_PROPERTIES:
                problems.insert(0, item.lower_name)
            if problems:
                refused += problems
                continue
            important = " !important" if item.important else ""
            declarations.append(
                f"{item.lower_name}: {tinycss2.serialize(item.value).strip()}"
                f"{important};"
            )
        selector = tinycss2.serialize(rule.prelude).strip()
        kept.append(f"{selector} {{ {' '.join(declarations)} }}")
    return "\n".join(kept), list(dict.fromkeys(refused))


def refusal_message(refused: list[str]) -> str:
    return _("Not allowed here: %(items)s") % {"items": ", ".join(refused)}
