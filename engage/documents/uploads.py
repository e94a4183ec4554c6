"""Refusing an oversized upload while it streams in, so it never fills memory or disk.

Django keeps any file in memory or a temporary file whatever its size; the form then says it
is too big. This handler drops a file as soon as it passes filetypes.MAX_UPLOAD_BYTES and
remembers that it did, so the form can say why, and the rest of the request is still read.
"""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from . import filetypes


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
