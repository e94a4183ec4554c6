"""Reading an upload: refusing an oversized one while it streams in, so it never fills memory
or disk, then reading what arrived and judging it by its content (`read_upload`), for every
app that takes a file (documents, a body's dissemination confirmation).

Django keeps any file in memory or a temporary file whatever its size; the form then says it
is too big. This handler drops a file as soon as it passes filetypes.MAX_UPLOAD_BYTES and
remembers that it did, so the form can say why, and the rest of the request is still read.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.files.base import File
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from . import filetypes

MAX_NAME_CHARS = 255
# Characters a file name shown on a page never needs: controls, and the format characters
# (bidirectional overrides among them) that make "report\u202efdp.exe" read as "report.pdf".
HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
SPACES = re.compile(r"\s+")


class SizeLimitUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > filetypes.MAX_UPLOAD_BYTES:
            oversized_fields(self.request).add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) keeps the file


def oversized_fields(request) -> set[str]:
    if not hasattr(request, "_oversized_uploads"):
        request._oversized_uploads = set()
    return request._oversized_uploads


def limit_upload_size(request) -> None:
    """Call before anything reads request.POST or request.FILES (so the view is csrf_exempt
    and checks CSRF itself, with csrf_protect, after this)."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))


def display_name(name: str) -> str:
    """The uploader's file name, for display only (never a name on disk): its last path part,
    without control or direction-changing characters, spaces collapsed, at most 255
    characters with the extension kept."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(c for c in base if unicodedata.category(c) not in HIDDEN_CATEGORIES)
    base = SPACES.sub(" ", base).strip()
    if len(base) > MAX_NAME_CHARS:
        stem, dot, extension = base.rpartition(".")
        if dot and 0 < len(extension) < 16:
            base = f"{stem[: MAX_NAME_CHARS - len(extension) - 1]}.{extension}"
        else:
            base = base[:MAX_NAME_CHARS]
    return base


@dataclass(frozen=True)
class Upload:
    data: bytes
    name: str  # display_name: for pages and history, never for storage
    checked: filetypes.Checked

    @property
    def size(self) -> int:
        return len(self.data)


def read_upload(file: File) -> Upload:
    """The upload's bytes, its name for display and its type judged by content
    (`filetypes.check_upload`: size, type, formula-safe CSV, PDF checks); an oversized file
    is refused before it is read. A ValidationError says what is wrong."""
    name = display_name(file.name or "")
    if file.size is not None:
        filetypes.check_size(file.size)
    file.seek(0)
    data = file.read(filetypes.MAX_UPLOAD_BYTES + 1)
    return Upload(data=data, name=name, checked=filetypes.check_upload(data, name))
