"""Downloads: CSV files people open in a spreadsheet, and each person's deadlines calendar."""

import csv
from datetime import date, timedelta

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

#: How a cell starts when a spreadsheet program would run it as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """`value` for a CSV cell: typed text that would start a formula is kept as text, by the
    apostrophe spreadsheet programs read as "this is text" and do not show."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns what it is given, for streaming CSV rows."""

    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """Stream `rows` as a CSV download, so a large export never sits in memory."""
    writer = csv.writer(_Echo())

    def lines():
        # A byte-order mark so spreadsheet programs read the pound sign as UTF-8.
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_text(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def deadlines_calendar(stages, *, site_url: str) -> bytes:
    """An iCalendar file with one all-day event per stage due date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Home Office//Fire governance proposals//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Fire governance deadlines")
    stamp = timezone.now()
    for stage in stages:
        event = Event()
        event.add("uid", f"stage-{stage.pk}-{stage.due_date:%Y%m%d}@fire-governance")
        event.add("summary", f"{stage.proposal.pcc.name}: {stage.get_step_display()} due")
        event.add("dtstart", stage.due_date)
        if stage.due_date < date.max:  # no day after the last one; an all-day event needs none
            event.add("dtend", stage.due_date + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("description", stage.proposal.title)
        event.add(
            "url",
            site_url
            + reverse("proposals:stage", kwargs={"pk": stage.proposal_id, "step": stage.step_slug}),
        )
        calendar.add_component(event)
    return calendar.to_ical()
