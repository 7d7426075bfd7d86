"""PDF documents rendered from Django templates with WeasyPrint (HTML and CSS to PDF)."""

from django.template.loader import render_to_string
from weasyprint import HTML


def render_pdf(template_name: str, context: dict) -> bytes:
    """The PDF of `template_name` rendered with `context`; its print styles are in the
    template, so nothing is fetched from the network or the disk while rendering."""
    return HTML(string=render_to_string(template_name, context)).write_pdf()
