"""Tags of the page frame (header and footer) that every page renders."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@register.simple_tag
def frame_url(name: str, *args) -> str:
    """`{% url %}` for the header's and footer's links, worked out once per process rather
    than on every page: they are the same on every page (about a tenth of a simple page's
    time went on reversing them)."""
    return _reversed(get_script_prefix(), name, args)


@lru_cache(maxsize=256)
def _reversed(prefix: str, name: str, args: tuple) -> str:
    return reverse(name, args=args)
