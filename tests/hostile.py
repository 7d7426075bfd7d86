"""What the hostile-input tests share: hostile values, a snapshot of everything people can
write, and what a refused post must look like (no 5xx, nothing written, a message, input kept).

Hypothesis runs many examples inside one test's database transaction, so each example runs in
`rolled_back()`: whatever it writes is undone before the next, and every example starts from
the same rows.
"""

import html
import os
import re
from contextlib import contextmanager
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from portal.models import ApiToken, User
from proposals.models import (
    Allocation,
    Assessment,
    AuditEvent,
    BusinessCaseRevision,
    Comment,
    Consultation,
    CouncilPosition,
    Decision,
    Document,
    DutyEvidence,
    MessageDelivery,
    MessagePreference,
    Notification,
    Payment,
    Proposal,
    Stage,
    StatutoryOrder,
)

#: Few examples each (HOSTILE_EXAMPLES=300 for a deeper search), no per-example deadline (a
#: page render can take a while on 2 cores).
HOSTILE = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", 30)),
    deadline=None,
    database=None,  # nothing kept between runs, nothing written to the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NULL_CHARACTERS = "Null characters are not allowed."

# --- Hostile values -------------------------------------------------------------------------

#: Characters that break naive code: controls, NUL, bidi overrides, zero-width, BOM, markup.
NASTY_PIECES = [
    "\x00",
    "\x01",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\r\n",
    "\t",
    "<script>alert(1)</script>",
    "</textarea><b>",
    "\"'&<>",
    "{{ request }}",
    "{% now 'Y' %}",
    "%s%n%(x)s",
    "'; DROP TABLE proposals_proposal; --",
    "../../etc/passwd",
    "C:\\Windows\\",
    "é",
    "😀",
    "\U0001d518\U0001d52b\U0001d526",  # mathematical letters
]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(NASTY_PIECES) | st.text(max_size=5), max_size=8).map("".join),
    # Very long text: a repeated piece, tens of thousands of characters (several fields of it
    # still fit under DATA_UPLOAD_MAX_MEMORY_SIZE; a bigger post is refused with a 413).
    st.builds(
        lambda piece, times: piece * times,
        st.text(min_size=1, max_size=4),
        st.integers(min_value=1000, max_value=12_000),
    ),
)


def mostly(valid, hostile=hostile_text):
    """A form value that is usually fine, often hostile."""
    return st.one_of(valid, valid, hostile)


#: Values posted where a number, a choice or an id is expected.
junk = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "0",
            "1e9",
            "NaN",
            "Infinity",
            "-Infinity",
            "None",
            "null",
            "true",
            "[]",
            "{}",
            "0x10",
            "1_000",
            "١٢",  # Arabic-Indic digits
            "\uff11\uff12",  # full-width digits
            "9" * 30,
            "9" * 5000,
            "1.5",
            "\x00",
            "<b>",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=10),
)

#: The three parts of a GOV.UK date input, as typed: some real dates, most not.
date_part = st.one_of(
    st.integers(min_value=-5, max_value=40).map(str),
    st.sampled_from(["", " ", "0", "00", "31", "29", "99999", "9" * 25, "ab", "1.5", "-0", " 7 "]),
    junk,
)
real_date = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
typed_date = st.one_of(
    real_date.map(lambda day: (str(day.day), str(day.month), str(day.year))),
    st.tuples(date_part, date_part, date_part),
    st.sampled_from(
        [
            ("31", "2", "2017"),  # no 31 February
            ("29", "2", "2017"),  # not a leap year
            ("1", "1", "0"),
            ("1", "1", "99999"),
            ("1", "13", "2017"),
            ("0", "1", "2017"),
            ("1", "1", "9" * 25),
            ("5", "", "2017"),  # part missing
            ("", "", "2017"),
            ("1", "1", "17"),  # two-digit year
            ("a", "b", "c"),
        ]
    ),
)


def date_post(name: str, parts) -> dict:
    return {f"{name}_{index}": part for index, part in enumerate(parts)}


def typed_as_date(parts) -> date | None:
    """The date `parts` name when all three are plain numbers, the year of 4 from 1900 to
    2100, making a real date; else None."""
    day, month, year = (part.strip() for part in parts)
    if not (re.fullmatch(r"[0-9]+", day) and re.fullmatch(r"[0-9]+", month)):
        return None
    if not re.fullmatch(r"[0-9]{4}", year) or not 1900 <= int(year) <= 2100:
        return None
    try:
        return date(int(year), int(month), int(day))
    except (ValueError, OverflowError):
        return None


def all_blank(parts) -> bool:
    return not any(part.strip() for part in parts)


# --- What a form should make of a value: (accepted, the value it stands for) ------------------


def as_date(parts, *, required=False) -> tuple[bool, date | None]:
    if all_blank(parts):
        return not required, None
    typed = typed_as_date(parts)
    return typed is not None, typed


def as_text(raw: str, *, required=False, max_length=None) -> tuple[bool, str]:
    cleaned = raw.strip()
    ok = (
        "\x00" not in raw
        and (bool(cleaned) or not required)
        and (max_length is None or len(cleaned) <= max_length)
    )
    return ok, cleaned


def as_whole_number(raw: str, *, required=False, **limits) -> tuple[bool, int | None]:
    try:
        return True, forms.IntegerField(required=required, **limits).clean(raw)
    except ValidationError:
        return False, None


def as_choice(raw: str, values, *, required=False) -> tuple[bool, str]:
    if raw == "":
        return not required, ""
    return raw in values, raw


# --- Nothing written ------------------------------------------------------------------------

WRITABLE = [
    Proposal,
    Proposal.fire_authorities.through,
    Stage,
    BusinessCaseRevision,
    DutyEvidence,
    Consultation,
    CouncilPosition,
    Assessment,
    Decision,
    StatutoryOrder,
    Comment,
    Document,
    Allocation,
    Payment,
    Notification,
    MessageDelivery,
    MessagePreference,
    AuditEvent,
    ApiToken,
]


def snapshot() -> dict:
    """Every row people can write through the pages, to compare before and after a post."""
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in WRITABLE}
    rows["users"] = list(
        User.objects.order_by("pk").values(
            "pk", "early_reminders", "calendar_token_digest", "password"
        )
    )
    return rows


@contextmanager
def rolled_back():
    """Run one example, then undo whatever it wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- What the person sees -------------------------------------------------------------------

SUMMARY = re.compile(r'class="govuk-error-summary".*?govuk-error-summary__list">(.*?)</ul>', re.S)


def error_messages(page: str) -> list[str]:
    """The messages in the page's GOV.UK error summary, as the person reads them."""
    summary = SUMMARY.search(page)
    if summary is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def assert_not_server_error(response):
    assert response.status_code < 500, response.status_code


def assert_refused(response, before: dict, *, kept=(), expected: str | None = None) -> list[str]:
    """The post was refused: the form is shown again with a message, `kept` values still in
    it (HTML-escaped), and nothing was written. Returns the messages."""
    assert_not_server_error(response)
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    messages = error_messages(page)
    assert messages, "no message in the error summary"
    assert all(messages), f"an empty message in the error summary: {messages}"
    if expected is not None:
        assert expected in messages, messages
    # Whitespace alone means nothing typed (fields trim it), and crispy-forms collapses it.
    for value in (value for value in kept if value.strip()):
        assert escape(value) in page, f"input not kept: {value[:80]!r}"
    assert snapshot() == before, "a refused post wrote something"
    return messages


def assert_out_of_reach(response, before: dict, status=(403, 404)):
    assert_not_server_error(response)
    assert response.status_code in ((status,) if isinstance(status, int) else status), (
        response.status_code
    )
    assert snapshot() == before, "a refused post wrote something"
