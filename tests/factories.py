import factory
from factory.django import DjangoModelFactory

from portal.models import User
from proposals.models import Proposal, Stage
from proposals.services.drafting import proposal_stages_build

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(TEST_PASSWORD)


class ProposalFactory(DjangoModelFactory):
    """A new proposal as the drafting service makes it: six stages, the business case open."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Proposal {n}")
    governance_model = "governance"

    @factory.post_generation
    def stages(proposal, create, extracted, **kwargs):
        if create:
            proposal.fire_authorities.set(proposal.pcc.fire_authorities.all())
            Stage.objects.bulk_create(proposal_stages_build(proposal=proposal))
