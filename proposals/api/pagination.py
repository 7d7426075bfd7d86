"""Pages of lists, and the cursor of the events feed."""

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=2&page_size=100`: 50 a page unless asked, at most 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class EventCursorPagination(pagination.CursorPagination):
    """The events feed, oldest first, by (created_at, id): `next` carries on after the last
    event of the page, and is given even on the last page (or an empty one), so a system that
    follows the portal's changes asks `next` again later and gets only what happened since.

    DRF's own cursor keeps only the first ordering field's value and counts ties by offset,
    and gives no `next` on the last page; this one keeps both values, so events with the same
    time are never skipped or repeated.
    """

    ordering = ("created_at", "id")
    cursor_query_description = "Where to carry on: the `next` link of the last answer."
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.cursor = self.decode_cursor(request)
        queryset = queryset.order_by(*self.ordering)
        if self.cursor is not None:
            created_at, pk = self._after(self.cursor.position)
            queryset = queryset.filter(
                Q(created_at__gt=created_at) | Q(created_at=created_at, pk__gt=pk)
            )
        self.page = list(queryset[: self.page_size])
        return self.page

    def _after(self, position):
        created_at, _, pk = (position or "").rpartition("|")
        try:
            moment = parse_datetime(created_at)
            number = int(pk)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None or not 0 <= number < 2**63:
            raise NotFound(self.invalid_cursor_message)
        return moment, number

    def get_next_link(self):
        if self.page:
            last = self.page[-1]
            position = f"{last.created_at.isoformat()}|{last.pk}"
        elif self.cursor is not None:
            position = self.cursor.position
        else:
            return None
        return self.encode_cursor(pagination.Cursor(offset=0, reverse=False, position=position))

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "Where the feed carries on: ask it again for later events. "
                    "Empty only while the feed itself is empty.",
                },
                "results": schema,
            },
        }
