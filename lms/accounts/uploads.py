"""One check for every uploaded file: its real type (magic bytes) and its size.

The name's extension and the browser's Content-Type are not trusted: the first bytes
of the file must match one of the allowed kinds, and the extension must agree with
what the bytes say. Use it as a model/form field validator::

    from lms.accounts.uploads import UploadValidator

    video = models.FileField(validators=[UploadValidator(kinds=("video",))])
    slides = models.FileField(
        validators=[UploadValidator(kinds=("pdf", "office"), max_bytes=200 * 1024**2)]
    )

or call `validate_upload(file, kinds=..., max_bytes=...)` in a service.
"""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Kind → extensions whose magic bytes `filetype` recognises.
KINDS: dict[str, set[str]] = {
    "image": {"jpg", "png", "gif", "webp"},
    "photo": {"jpg", "png"},
    "video": {"mp4", "m4v", "mov", "webm", "mkv", "avi", "flv", "wmv", "mpg"},
    "audio": {"mp3", "m4a", "aac", "ogg", "wav", "flac"},
    "pdf": {"pdf"},
    "office": {"docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp"},
    "spreadsheet": {"xlsx", "xls", "ods"},
    # Plain text has no magic bytes: it is accepted when it decodes as text.
    "csv": {"csv"},
    "text": {"txt", "csv"},
}
# Extensions that name the same format as the detected one.
SAME_FORMAT = {
    "jpeg": "jpg",
    "jpe": "jpg",
    "tif": "tiff",
    "mpeg": "mpg",
    "qt": "mov",
}
HEAD_BYTES = 8192
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


def _extension(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return SAME_FORMAT.get(ext, ext)


def _head(file) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(position)
    return head if isinstance(head, bytes) else head.encode()


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    # A multibyte character may be cut at the end of the sample.
    for encoding in TEXT_ENCODINGS:
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:
                return True
    return False


def detect(head: bytes) -> str | None:
    """The extension the magic bytes say, or None when unknown."""
    kind = filetype.guess(head)
    return kind.extension if kind is not None else None


def is_damaged(file, detected: str) -> bool:
    """True when the file is not entirely of the kind its first bytes claim: a PDF
    must parse as a PDF with at least one page, an image must decode."""
    if detected not in ("pdf", *KINDS["image"]):
        return False
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    try:
        if detected == "pdf":
            from pypdf import PdfReader  # noqa: PLC0415 (only when a PDF is checked)

            return len(PdfReader(file, strict=True).pages) < 1
        from PIL import Image  # noqa: PLC0415 (only when an image is checked)

        with Image.open(file) as image:
            image.verify()
        return False
    except Exception:  # noqa: BLE001 - any parser failure means "not this kind"
        return True
    finally:
        file.seek(position)


def validate_upload(
    file, *, kinds: tuple[str, ...], max_bytes: int | None = None
) -> str:
    """Raise ValidationError unless `file` is one of `kinds` by content and small
    enough; return the detected extension."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB."),
            code="file_too_large",
            params={"limit": f"{limit / 1024**2:g}"},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    allowed = set().union(*(KINDS[k] for k in kinds))
    name = getattr(file, "name", "") or ""
    ext = _extension(name)
    head = _head(file)
    detected = detect(head)
    if detected is None and ext in allowed and ext in KINDS["text"] and _is_text(head):
        return ext
    if detected is None or detected not in allowed:
        raise ValidationError(
            _("This kind of file is not accepted here (allowed: %(allowed)s)."),
            code="file_type",
            params={"allowed": ", ".join(sorted(allowed))},
        )
    if ext != detected and not (ext in allowed and {ext, detected} <= KINDS["video"]):
        raise ValidationError(
            _("The file name ends in .%(ext)s but its content is %(detected)s."),
            code="file_extension_mismatch",
            params={"ext": ext or "-", "detected": detected},
        )
    if is_damaged(file, detected):
        raise ValidationError(
            _("The file is not a valid %(kind)s file."),
            code="file_damaged",
            params={"kind": detected.upper()},
        )
    return detected


@deconstructible
class UploadValidator:
    """A field validator wrapping `validate_upload`."""

    def __init__(self, kinds: tuple[str, ...], max_bytes: int | None = None):
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, file) -> None:
        validate_upload(file, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )
