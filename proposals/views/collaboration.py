"""The collaboration register (issue 14): each area's agreements, their review dates, the s.2
notifications and each party's consideration. The Home Office reads every area; PCC people
read and record their own; another area's entry answers 404."""

import rules
from django.http import Http404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from .. import selectors
from ..filters import CollaborationFilter
from ..forms.collaboration import AgreementForm, ConsiderationsForm
from ..models import CollaborationAgreement
from ..services import collaboration
from .base import RulePermissionMixin, ServiceFormView
from .exports import csv_response
from .stage import StaleEditMixin

SAVED = "The agreement is saved in the register."
CONSIDERATIONS_SAVED = "The considerations are saved."


def register_filters(request) -> CollaborationFilter:
    return CollaborationFilter(
        request.GET,
        queryset=CollaborationAgreement.objects.visible_to(request.user),
        request=request,
    )


class RegisterView(RulePermissionMixin, TemplateView):
    """Every agreement of the areas the reader may see, by area, with its review date."""

    permission_required = "proposals.view_collaboration"
    template_name = "proposals/collaboration/register.html"

    def get_context_data(self, **kwargs):
        filters = register_filters(self.request)
        return super().get_context_data(
            filters=filters,
            query=self.request.GET.urlencode(),
            agreements=selectors.collaboration_register(agreements=filters.qs),
            today=timezone.localdate(),
            can_record=rules.has_perm("proposals.record_collaboration", self.request.user),
            **kwargs,
        )


class RegisterCsvView(RulePermissionMixin, View):
    """The agreements the register's filters select, one row each."""

    permission_required = "proposals.view_collaboration"
    HEADER = [
        "Area",
        "Agreement",
        "Subject",
        "Status",
        "Parties",
        "Provisions",
        "Notified under s.2(2)",
        "Start date",
        "Review date",
        "End date",
        "Source",
        "Illustrative",
    ]

    def get(self, request, *args, **kwargs):
        agreements = selectors.collaboration_register(agreements=register_filters(request).qs)

        def rows():
            for agreement in agreements:
                yield [
                    agreement.pcc.name,
                    agreement.title,
                    agreement.get_subject_display(),
                    agreement.get_status_display(),
                    "; ".join(party.name for party in agreement.parties()),
                    "; ".join(duty.provision for duty in agreement.duties.all()),
                    *(
                        day.isoformat() if day else ""
                        for day in (
                            agreement.notified_on,
                            agreement.starts_on,
                            agreement.review_on,
                            agreement.ends_on,
                        )
                    ),
                    agreement.source_url,
                    "yes" if agreement.is_illustrative else "no",
                ]

        return csv_response("collaboration-register.csv", self.HEADER, rows())


class AgreementMixin(RulePermissionMixin):
    """`self.agreement` from the URL's `pk`, among those the reader may see (else 404)."""

    permission_required = "proposals.view_collaboration"

    @cached_property
    def agreement(self) -> CollaborationAgreement:
        try:
            return selectors.agreement_detail(pk=self.kwargs["pk"], user=self.request.user)
        except CollaborationAgreement.DoesNotExist:
            raise Http404("No such agreement") from None

    def may_edit(self) -> bool:
        return rules.has_perm("proposals.edit_collaboration", self.request.user, self.agreement.pcc)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)


class AgreementDetailView(AgreementMixin, TemplateView):
    template_name = "proposals/collaboration/agreement.html"

    def get_context_data(self, **kwargs):
        considered = {item.party_key: item for item in self.agreement.considerations.all()}
        return super().get_context_data(
            parties=[(party, considered.get(party.key)) for party in self.agreement.parties()],
            can_edit=self.may_edit(),
            **kwargs,
        )


class AgreementFormMixin(StaleEditMixin, ServiceFormView):
    """Record or change an agreement: the area's PCC people only (403 for everyone else)."""

    template_name = "proposals/form_page.html"
    form_class = AgreementForm
    version_field = "version"
    success_message = SAVED

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pcc": self.pcc}

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption="Collaboration register", back=self.back, **kwargs)

    def perform(self, form):
        return collaboration.agreement_save(
            pcc=self.pcc,
            agreement=self.existing,
            values=form.values(),
            fire_authorities=form.cleaned_data["fire_authorities"],
            ambulance_trusts=form.cleaned_data["ambulance_trusts"],
            duties=form.cleaned_data["duties"],
            version=form.cleaned_data["version"],
            by=self.request.user,
        )

    def current_version(self):
        return collaboration.agreement_version(self.existing)

    def get_success_url(self):
        return reverse("proposals:agreement", kwargs={"pk": self.result.pk})


class AgreementCreateView(RulePermissionMixin, AgreementFormMixin):
    permission_required = "proposals.record_collaboration"
    existing = None
    back = reverse_lazy("proposals:collaboration")

    @property
    def pcc(self):
        return self.request.user.pcc

    def get_initial(self):
        return {"police_is_party": True, "version": ""}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading="Record a collaboration agreement", **kwargs)


class AgreementEditView(AgreementMixin, AgreementFormMixin):
    def forbidden(self) -> bool:
        return not self.may_edit()

    @property
    def existing(self):
        return self.agreement

    @property
    def pcc(self):
        return self.agreement.pcc

    @property
    def back(self):
        return reverse("proposals:agreement", kwargs={"pk": self.agreement.pk})

    def get_initial(self):
        agreement = self.agreement
        return {
            **{field: getattr(agreement, field) for field in AgreementForm.record_fields},
            "fire_authorities": list(agreement.fire_authorities.all()),
            "ambulance_trusts": list(agreement.ambulance_trusts.all()),
            "duties": list(agreement.duties.all()),
            "version": self.current_version(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"Change {self.agreement.title}", **kwargs)


class ConsiderationsView(AgreementMixin, StaleEditMixin, ServiceFormView):
    """Each party's consideration of a proposed collaboration (PCA 2017 s.2(3))."""

    template_name = "proposals/form_page.html"
    form_class = ConsiderationsForm
    version_field = "version"
    success_message = CONSIDERATIONS_SAVED

    def forbidden(self) -> bool:
        return not self.may_edit()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "parties": self.agreement.parties()}

    def current_version(self):
        return collaboration.considerations_version(self.agreement)

    def get_initial(self):
        initial = {"version": self.current_version()}
        for item in self.agreement.considerations.all():
            for field in ("decision", "decided_on", "reasons"):
                initial[f"{item.party_key}_{field}"] = getattr(item, field)
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading="Each party's consideration",
            caption=self.agreement.title,
            intro="Under the Policing and Crime Act 2017 s.2(3), each body notified of a "
            "proposed collaboration must consider whether it would be in the interests of its "
            "efficiency or effectiveness.",
            back=reverse("proposals:agreement", kwargs={"pk": self.agreement.pk}),
            **kwargs,
        )

    def perform(self, form):
        return collaboration.considerations_save(
            agreement=self.agreement,
            decisions=form.decisions(),
            version=form.cleaned_data["version"],
            by=self.request.user,
        )

    def get_success_url(self):
        return reverse("proposals:agreement", kwargs={"pk": self.agreement.pk})
