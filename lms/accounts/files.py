"""Private files: where they are stored, how they are named, and the one way to serve them.

Imports, job results, certificates, external evidence, agreements and lesson files live
in the ``private`` storage (``settings.STORAGES["private"]``: a folder outside
MEDIA_ROOT, or a private prefix of the bucket), which has no public URL. Views send
them with `serve_file` after their own permission check; it

- decides the content type from the file's checked kind (its server-chosen extension,
  and locally its first bytes as well), never from the browser;
- sends ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox``;
- shows inline only a PDF, image or video whose bytes agree; everything else is a
  download (``Content-Disposition: attachment``);
- streams local files itself (with single byte ranges for the player), or hands the
  bytes to nginx (``PRIVATE_FILES_SERVE = "accel"``: X-Accel-Redirect to an internal
  location), or redirects to a short-lived signed URL on S3 with the same headers
  forced by the bucket's response parameters.
"""

import os
import re
import secrets
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .uploads import HEAD_BYTES, detect

# Extension (chosen by the server from the checked kind) → content type.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "mov": "video/quicktime",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "json": "application/json",
}
INLINE = {"pdf", "jpg", "png", "gif", "webp", "mp4", "m4v", "webm", "mov"}
SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"
CHUNK = 256 * 1024


class _PrivateStorage(Storage):
    """``storages["private"]`` looked up at each use, so a FileField (whose storage
    is fixed when models load) follows the settings, in tests as in production."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return object.__getattribute__(self, name)
        return getattr(storages["private"], name)


_PRIVATE = _PrivateStorage()


def private_storage() -> Storage:
    """The storage of every private file (the FileFields' `storage` callable)."""
    return _PRIVATE


@deconstructible
class RandomName:
    """``upload_to`` giving ``<prefix>/<yyyy>/<mm>/<random>.<ext>``: a name nobody
    can guess, whose extension is the (already checked) one of the upload."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = _extension(filename)
        suffix = f".{ext}" if ext.isalnum() and len(ext) <= 5 else ""
        now = timezone.now()
        return f"{self.prefix}/{now:%Y/%m}/{secrets.token_urlsafe(16)}{suffix}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.prefix == self.prefix


def _extension(name: str) -> str:
    base = os.path.basename(name)
    ext = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    return {"jpeg": "jpg"}.get(ext, ext)


def _disposition(kind: str, filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "file"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _kind(storage, name: str) -> tuple[str, bool]:
    """(content type, may be shown inline). Local files must also start with the
    bytes of their kind; a remote file's name was chosen by the server at upload."""
    ext = _extension(name)
    content_type = CONTENT_TYPES.get(ext, "application/octet-stream")
    inline = ext in INLINE
    if inline and _local_path(storage, name):
        with storage.open(name, "rb") as handle:
            detected = detect(handle.read(HEAD_BYTES))
        same = detected == ext or {detected, ext} <= {"mp4", "m4v", "mov"}
        if not same:
            return "application/octet-stream", False
    return content_type, inline


def _local_path(storage, name: str) -> str | None:
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def _secure(response, disposition: str):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, max-age=600"
    return response


def serve_file(
    request, file, *, filename: str | None = None, inline: bool = False
) -> HttpResponse:
    """Send a stored file (a FieldFile, or ``(storage, name)``) after the caller's
    permission check. `inline` asks for display in the browser, granted only to a
    verified PDF, image or video."""
    storage, name = file if isinstance(file, tuple) else (file.storage, file.name)
    if not name:
        raise Http404
    filename = filename or os.path.basename(name)
    content_type, may_inline = _kind(storage, name)
    disposition = _disposition(
        "inline" if inline and may_inline else "attachment", filename
    )
    path = _local_path(storage, name)
    if path is None:
        return HttpResponseRedirect(
            storage.url(
                name,
                parameters={
                    "ResponseContentType": content_type,
                    "ResponseContentDisposition": disposition,
                },
                expire=settings.PRIVATE_FILES_URL_SECONDS,
            )
        )
    if not os.path.isfile(path):
        raise Http404
    if settings.PRIVATE_FILES_SERVE == "accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_FILES_ACCEL_PREFIX + quote(name)
        return _secure(response, disposition)
    return _secure(_stream(request, path, content_type), disposition)


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """An HTTP `Range: bytes=a-b` header → (first, last) inclusive; None when absent
    or not a single byte range (serve the whole file); False when unsatisfiable."""
    if not header or size <= 0:
        return None
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not m or (m.group(1) == "" and m.group(2) == ""):
        return None
    if m.group(1) == "":
        length = int(m.group(2))
        if length == 0:
            return False
        return max(0, size - length), size - 1
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else size - 1
    if first >= size or last < first:
        return False
    return first, min(last, size - 1)


def serve_bytes(content: bytes, *, filename: str, inline: bool = False) -> HttpResponse:
    """Send bytes made by the server (a PDF preview, a report) with the same headers;
    the type follows `filename`'s extension, inline only for the inline kinds."""
    ext = _extension(filename)
    response = HttpResponse(
        content, content_type=CONTENT_TYPES.get(ext, "application/octet-stream")
    )
    kind = "inline" if inline and ext in INLINE else "attachment"
    return _secure(response, _disposition(kind, filename))


def _stream(request, path: str, content_type: str) -> HttpResponse:
    fh = open(path, "rb")  # noqa: SIM115 - closed by the generator below
    size = os.fstat(fh.fileno()).st_size
    byte_range = parse_range(request.headers.get("Range"), size)
    if byte_range is False:
        fh.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    first, last = byte_range or (0, size - 1)
    length = last - first + 1
    fh.seek(first)

    def chunks():
        left = length
        try:
            while left > 0:
                block = fh.read(min(CHUNK, left))
                if not block:
                    break
                left -= len(block)
                yield block
        finally:
            fh.close()

    response = StreamingHttpResponse(
        chunks(), status=206 if byte_range else 200, content_type=content_type
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if byte_range:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response
