"""PDF documents rendered from the portal's own templates, with WeasyPrint."""

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    """The PDF of `template_name` rendered with `context`.

    The template carries its own styles, so nothing is fetched: no URL in the page, whoever
    typed it, makes the server open a file or a connection.
    """
    # Imported here: WeasyPrint loads Debian's pango when imported, and a machine without it
    # should lose only its PDFs, not every page.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
