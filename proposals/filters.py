"""Filters for the overview, kept in the URL so a filtered view can be shared."""

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import (
    AgreementStatus,
    CollaborationAgreement,
    CollaborationSubject,
    GovernanceModel,
    Pcc,
    Proposal,
    ProposalStatus,
    Stage,
)
from .models.choices import OPEN_STAGE_STATUSES


class ProposalFilter(django_filters.FilterSet):
    governance_model = django_filters.ChoiceFilter(
        label="Governance model", choices=GovernanceModel.choices, empty_label="Any model"
    )
    status = django_filters.ChoiceFilter(
        label="Proposal status", choices=ProposalStatus.choices, empty_label="Any status"
    )
    overdue = django_filters.BooleanFilter(
        label="Only proposals with an overdue stage",
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Proposal
        fields = ["governance_model", "status", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = FormHelper()
        self.form.helper.form_method = "get"
        # The page's own checks, by the fields, rather than the browser's.
        self.form.helper.attrs = {"novalidate": ""}
        self.form.helper.layout = Layout(
            Field.select("governance_model", legend_size=Size.SMALL),
            Field.select("status", legend_size=Size.SMALL),
            Field.checkbox("overdue", small=True),
            Button.secondary("filter", "Apply filters"),
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        overdue = Stage.objects.filter(
            proposal=OuterRef("pk"),
            status__in=OPEN_STAGE_STATUSES,
            due_date__lt=timezone.localdate(),
        )
        return queryset.filter(Exists(overdue))


def _areas(request):
    return Pcc.objects.visible_to(request.user) if request else Pcc.objects.none()


class CollaborationFilter(django_filters.FilterSet):
    """The collaboration register's filters: area, subject and status."""

    pcc = django_filters.ModelChoiceFilter(
        label="Area", queryset=_areas, to_field_name="slug", empty_label="Every area"
    )
    subject = django_filters.ChoiceFilter(
        label="Subject", choices=CollaborationSubject.choices, empty_label="Any subject"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=AgreementStatus.choices, empty_label="Any status"
    )

    class Meta:
        model = CollaborationAgreement
        fields = ["pcc", "subject", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = FormHelper()
        self.form.helper.form_method = "get"
        self.form.helper.attrs = {"novalidate": ""}
        self.form.helper.layout = Layout(
            *(
                Field(name, context={"label_size": Size.for_label(Size.SMALL)})
                for name in self.Meta.fields
            ),
            Button.secondary("filter", "Apply filters"),
        )
