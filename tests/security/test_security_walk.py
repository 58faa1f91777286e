"""CI check: every file-serving view and every export goes through the shared helpers.

Walks the URL resolver: a Wagtail listing that can export must use the
guarded SpreadsheetExportMixin (lms.accounts.exports.guard_wagtail_exports); a project view that sends a file or a download must call
`serve_file`/`serve_bytes`. And across the code, only the shared modules may write
spreadsheets (lms.accounts.exports), render PDFs (lms.accounts.pdf) or stream files
(lms.accounts.files)."""

import inspect
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.admin.views.mixins import SpreadsheetExportMixin

ROOT = Path(__file__).resolve().parents[2]
# Every first-party top-level package (an app or the project), found on disk so a new
# app is walked without anyone remembering to list it here.
PACKAGES = tuple(
    sorted(
        p.parent.name
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in {"tests", "benchmarks", "scripts"}
    )
)
SENDS_A_FILE = re.compile(
    r"FileResponse|StreamingHttpResponse|\.open\(|Content-Disposition|write_table\(|"
    r"render_\w*pdf\(|\.write_pdf\("
)
USES_HELPER = re.compile(r"\bserve_file\(|\bserve_bytes\(")
# Shared module → what only it may do.
ONLY_IN = {
    "lms/accounts/exports.py": re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\("),
    "lms/accounts/pdf.py": re.compile(r"^\s*(from|import) weasyprint", re.M),
    "lms/accounts/files.py": re.compile(r"\bFileResponse\b|StreamingHttpResponse\("),
}


def _callbacks(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _callbacks(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _ours(func) -> bool:
    return (func.__module__ or "").split(".")[0] in PACKAGES


def _source(obj) -> str:
    """The source of a function, or of each function a class defines itself. Functions
    only: `inspect.getsource` of a class parses its module with `ast`, which CPython
    3.11 does not do safely while a live-server thread of an earlier test runs."""
    if not inspect.isclass(obj):
        return inspect.getsource(obj)
    parts = []
    for attr in vars(obj).values():
        func = getattr(attr, "__func__", attr)
        if inspect.isfunction(func):
            parts.append(inspect.getsource(func))
    return "\n".join(parts)


def test_every_listing_export_uses_the_safe_mixin():
    exporting = []
    for route, callback in _callbacks():
        view_class = getattr(callback, "view_class", None)
        initkwargs = getattr(callback, "view_initkwargs", {})
        list_export = initkwargs.get("list_export") or getattr(
            view_class, "list_export", None
        )
        if (
            view_class
            and issubclass(view_class, SpreadsheetExportMixin)
            and list_export
        ):
            exporting.append(route)
            # Wagtail's mixin, guarded at start-up, is not overridden on the way.
            for method in ("write_csv_row", "generate_xlsx_row"):
                assert getattr(view_class, method) is getattr(
                    SpreadsheetExportMixin, method
                ), (route, method)
    assert SpreadsheetExportMixin.text_safe
    assert len(exporting) >= 9  # trainers, experts, bases, … and Wagtail's reports


def test_every_file_or_download_view_uses_serve_file():
    checked = []
    for route, callback in _callbacks():
        view_class = getattr(callback, "view_class", None)
        parts = view_class.__mro__ if view_class else [inspect.unwrap(callback)]
        sources = []
        for func in parts:
            if not _ours(func):
                continue
            try:
                sources.append(_source(func))
            except OSError:  # made with type() or exec: its bases are walked too
                continue
        source = "\n".join(sources)
        if SENDS_A_FILE.search(source):
            assert USES_HELPER.search(source), route
        if USES_HELPER.search(source):
            checked.append(route)
    assert len(checked) >= 10  # certificates, agreements, jobs, lessons, templates…


def test_only_the_shared_modules_write_spreadsheets_pdfs_and_file_responses():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            text = path.read_text()
            for owner, pattern in ONLY_IN.items():
                if relative != owner:
                    assert not pattern.search(text), f"{relative}: use {owner}"
