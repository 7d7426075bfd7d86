"""What an uploaded file really is, judged by its content, and what each slot accepts.

A name or a browser's Content-Type is whatever the uploader says; the bytes are what a reader's
software will open. A file is accepted only when both agree: a name that says PDF on content
that is not a PDF is a wrong file, not a PDF. Only the standard library is used, so no parser
of untrusted input is added.
"""

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass

from .models.records import DocumentKind


@dataclass(frozen=True)
class DocumentType:
    name: str
    extension: str
    content_type: str


PDF = DocumentType("PDF", "pdf", "application/pdf")
DOCX = DocumentType(
    "DOCX", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
ODT = DocumentType("ODT", "odt", "application/vnd.oasis.opendocument.text")
XLSX = DocumentType(
    "XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
ODS = DocumentType("ODS", "ods", "application/vnd.oasis.opendocument.spreadsheet")
CSV = DocumentType("CSV", "csv", "text/csv")

#: Every type the portal accepts, in the order they are named to users.
ACCEPTED_TYPES = (PDF, DOCX, ODT, XLSX, ODS, CSV)
#: Letters, reports and orders: what people read as a document.
WRITTEN_TYPES = (PDF, DOCX, ODT)

#: What each document slot accepts. Only "other" takes spreadsheets and CSV (costings, tallies
#: of responses): a spreadsheet is never the business case or a decision letter.
ACCEPTED_TYPES_BY_KIND = {
    DocumentKind.BUSINESS_CASE: WRITTEN_TYPES,
    DocumentKind.CONSULTATION_REPORT: WRITTEN_TYPES,
    DocumentKind.COUNCIL_RESPONSE: WRITTEN_TYPES,
    DocumentKind.ASSESSMENT: WRITTEN_TYPES,
    DocumentKind.DECISION_LETTER: WRITTEN_TYPES,
    DocumentKind.ORDER: WRITTEN_TYPES,
    DocumentKind.REPRESENTATION: WRITTEN_TYPES,
    DocumentKind.SUBMISSION_PACK: (PDF,),
    DocumentKind.FIRE_AUTHORITY_RESPONSE: WRITTEN_TYPES,
    DocumentKind.FIRE_AUTHORITY_AGREEMENT: WRITTEN_TYPES,
    DocumentKind.TRANSFER_SCHEME: WRITTEN_TYPES,
    DocumentKind.OTHER: ACCEPTED_TYPES,
}

PDF_MAGIC = b"%PDF-"
# Office Open XML: every package has a content-types part; the main part names the application.
OOXML_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}
OOXML_CONTENT_TYPES = "[Content_Types].xml"
# OpenDocument: the `mimetype` member holds the media type, and nothing else.
ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}
ODF_MIMETYPE_MAX_BYTES = 100  # longer than any real one: never inflate a large member to check
# Text other than tab, CR and LF that no spreadsheet writes: the mark of a binary file.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def listed(words, conjunction: str = "or") -> str:
    """ "PDF, DOCX or ODT"; "business case and decision letter"."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def types_in_words(types) -> str:
    return listed(document_type.name for document_type in types)


def type_named(filename: str) -> DocumentType | None:
    """The accepted type `filename`'s extension says it is, or None."""
    extension = os.path.splitext(filename.strip())[1].lower().lstrip(".")
    return next((t for t in ACCEPTED_TYPES if t.extension == extension), None)


def detect_document_type(uploaded_file) -> DocumentType | None:
    """The accepted type `uploaded_file`'s content is, or None when it is none of them.

    Reads from the file object and leaves it at position 0, ready to be stored.
    """
    try:
        for detect in (_pdf, _zip_package, _csv):
            uploaded_file.seek(0)
            document_type = detect(uploaded_file)
            if document_type is not None:
                return document_type
        return None
    finally:
        uploaded_file.seek(0)


def _pdf(uploaded_file) -> DocumentType | None:
    return PDF if uploaded_file.read(len(PDF_MAGIC)) == PDF_MAGIC else None


def _zip_package(uploaded_file) -> DocumentType | None:
    """DOCX, XLSX, ODT and ODS are ZIP packages; which one is told by the members inside."""
    if not zipfile.is_zipfile(uploaded_file):
        return None
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as package:
            members = {info.filename: info for info in package.infolist()}
            mimetype = members.get("mimetype")
            if mimetype is not None and mimetype.file_size <= ODF_MIMETYPE_MAX_BYTES:
                odf_type = ODF_MIMETYPES.get(package.read(mimetype).decode("ascii", "replace"))
                if odf_type is not None:
                    return odf_type
            if OOXML_CONTENT_TYPES in members:
                for part, ooxml_type in OOXML_MAIN_PARTS.items():
                    if part in members:
                        return ooxml_type
    # A damaged, encrypted or oddly compressed archive is not a document we can accept.
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        return None
    return None


def _csv(uploaded_file) -> DocumentType | None:
    """UTF-8 text (a spreadsheet's byte-order mark allowed) that parses into at least one row."""
    try:
        text = uploaded_file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if CONTROL_CHARACTERS.search(text):
        return None
    try:
        has_a_row = any(any(cell.strip() for cell in row) for row in csv.reader(io.StringIO(text)))
    except csv.Error:
        return None
    return CSV if has_a_row else None
