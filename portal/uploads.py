"""A request body over REQUEST_BODY_MAX_BYTES is refused before any of it is read.

Django's own DATA_UPLOAD_MAX_MEMORY_SIZE covers form fields, not files: a multipart body is
streamed to its upload handlers, and past 2.5 MB to a temporary file, however large it is
(even on the sign-in page, whose form has no file). This handler comes first in
FILE_UPLOAD_HANDLERS and refuses a body whose declared length is over the limit before the
parser reads a byte of it; the request answers 413 (portal.views.bad_request). Django never
reads past the declared length, and reads nothing of a body without one.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler

TOO_BIG = "The request body is over REQUEST_BODY_MAX_BYTES"


class RequestBodyLimitHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.REQUEST_BODY_MAX_BYTES:
            raise RequestDataTooBig(TOO_BIG)

    def receive_data_chunk(self, raw_data, start):
        return raw_data  # within the limit: the next handler stores it

    def file_complete(self, file_size):
        return None
