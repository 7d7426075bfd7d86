"""A proposal's history reads in words: transitions, fields, dates and sources, never codes."""

import csv
import io
import re
from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from proposals.models import DocumentKind, Proposal, Step
from proposals.services import documents
from proposals.services.demo import HISTORY_SOURCE
from proposals.services.workflow import stage_set_due_date, stage_transition

from .factories import complete_business_case, stage_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
DETAILS = re.compile(r'<details class="govuk-details.*?</details>', re.DOTALL)


def history_of(client, proposal) -> str:
    return client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()


def history_csv(client, proposal) -> list[dict]:
    response = client.get(reverse("proposals:history-csv", args=[proposal.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_stage_transition_reads_in_words(client_for, essex_staff, essex_proposal):
    complete_business_case(essex_proposal, essex_staff)
    stage_transition(
        stage=stage_of(essex_proposal, Step.BUSINESS_CASE), action="submit", by=essex_staff
    )
    client = client_for(essex_staff)
    page = history_of(client, essex_proposal)
    assert "<dt>Status</dt><dd><del>In progress</del> → Submitted</dd>" in page
    assert "in_progress" not in page
    rows = history_csv(client, essex_proposal)
    (submitted,) = [row for row in rows if row["What happened"].endswith("for review")]
    assert submitted["What happened"] == "Business case submitted for review"
    assert submitted["Changes"] == "Status: In progress → Submitted"


def test_a_document_reads_as_its_kind_and_size_with_the_checksum_only_in_details(
    client_for, essex_staff, essex_proposal
):
    stage = stage_of(essex_proposal, Step.BUSINESS_CASE)
    document = documents.document_upload(
        stage=stage,
        kind=DocumentKind.BUSINESS_CASE,
        uploaded_file=SimpleUploadedFile("case.pdf", PDF),
        by=essex_staff,
    )
    page = history_of(client_for(essex_staff), essex_proposal)
    assert "<dt>Kind of document</dt><dd>Business case</dd>" in page
    assert f"<dt>Size</dt><dd>{len(PDF)}\xa0bytes</dd>" in page
    assert "Sha256" not in page
    (details,) = [part for part in DETAILS.findall(page) if document.sha256 in part]
    assert "Document checksum" in details
    assert document.sha256 not in DETAILS.sub("", page)


def test_dates_and_flags_read_as_people_write_them(client_for, reviewer, essex_proposal):
    stage_set_due_date(
        stage=stage_of(essex_proposal, Step.BUSINESS_CASE),
        due_date=date(2030, 10, 1),
        reason="Agreed with the PCC",
        by=reviewer,
    )
    page = history_of(client_for(reviewer), essex_proposal)
    assert "<dt>Due date</dt><dd>1 October 2030</dd>" in page
    assert "2030-10-01" not in page


def test_the_demo_history_names_its_sources_in_words_and_each_stage_by_name(
    client_for, reviewer, settings
):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", stdout=StringIO())
    essex = Proposal.objects.get(title="Essex: PCC to become the fire and rescue authority")
    page = history_of(client_for(reviewer), essex)
    assert escape(HISTORY_SOURCE) in page
    assert "FACTS.md" not in page
    assert "<dt>Stages</dt><dd>Business case: Approved; Consultation: Approved;" in page
    assert "Independent assessment: Skipped" in page
