"""Who is told of each hand-off, and in which words: the one table of workflow messages.

Read top to bottom:
  1. the groups of people a message can go to;
  2. the table: for each event, who is told, the words, the page it links to, and whether
     its e-mail may be turned off;
  3. who exactly that is for one proposal (the actor is never told of their own action);
  4. what a page may truthfully say about who was told.

The services call `services.messages.messages_dispatch` after a change, inside its transaction:
it writes each person's in-app notification and e-mail delivery with the change, and the e-mails
go from the Celery worker once the transaction has committed (DESIGN.md s.2, "hand-offs").
Reminders about deadlines are another matter: proposals/reminders.py.
"""

from dataclasses import dataclass

from portal.models import Role, User

from .models import MessageEvent, Step
from .reminders import home_office_ids

# --- 1. Groups ----------------------------------------------------------------------------------

PCC_PEOPLE = "the PCC's staff and signatories"
PCC_STAFF = "the PCC's staff"
PCC_SIGNATORIES = "the PCC's signatories"
HOME_OFFICE = "the proposal's case officer, or every reviewer when it has none"
FUNDING_ADMINS = "the funding admins"
NAMED = "the people the change names (the new and the previous case officer)"
BODY_OFFICERS = "the consultees of the body that made the representation"


def home_office_people(proposal) -> list:
    """The case officer when the proposal has one who is an active reviewer, else every
    reviewer: the same rule as reminders (reminders.home_office_ids)."""
    reviewers = {person.pk: person for person in User.objects.reviewers()}
    chosen = home_office_ids(reviewer_ids=reviewers, case_officer_id=proposal.case_officer_id)
    return [reviewers[pk] for pk in chosen]


# --- 2. The table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One kind of message. `title` and `body` are formatted with: stage, proposal, pcc, actor,
    reason and what the event adds (see each service's call)."""

    audiences: tuple[str, ...]
    title: str
    body: str
    told: str  # the sentence a page adds when someone was told
    always_emailed: bool = False  # its e-mail cannot be turned off


MESSAGES = {
    MessageEvent.STAGE_SUBMITTED: Message(
        (HOME_OFFICE,),
        "Submitted for review: the {stage} stage of {proposal}",
        "{actor} submitted the {stage} stage of {proposal} ({pcc}) for review.",
        "The Home Office has been told.",
    ),
    MessageEvent.STAGE_RETURNED: Message(
        (PCC_PEOPLE,),
        "Returned: the {stage} stage of {proposal}",
        "{actor} returned the {stage} stage of {proposal} with these reasons: {reason}",
        "The PCC's staff and signatories have been told.",
        always_emailed=True,
    ),
    MessageEvent.STAGE_APPROVED: Message(
        (PCC_PEOPLE,),
        "The {stage} stage of {proposal} is {done}",
        "{actor} {done} the {stage} stage of {proposal}. {next}",
        "The PCC has been told.",
    ),
    MessageEvent.SIGN_OFF_NEEDED: Message(
        (PCC_SIGNATORIES,),
        "Ready for your sign-off: the submission of {proposal}",
        "The submission of {proposal} to the Home Secretary is open and needs a PCC "
        "signatory's sign-off before it can be submitted.",
        "The PCC's signatories have been asked to sign it off.",
        always_emailed=True,
    ),
    MessageEvent.SIGNED_OFF: Message(
        (PCC_STAFF,),
        "Signed off: the submission of {proposal}",
        "{actor} signed off the submission of {proposal} to the Home Secretary. It can now "
        "be submitted.",
        "The PCC's staff have been told.",
    ),
    MessageEvent.RECORD_SAVED: Message(
        (PCC_PEOPLE,),
        "Recorded: the {stage} of {proposal}",
        "{actor} recorded the details of the {stage} stage of {proposal}.",
        "The PCC has been told.",
    ),
    MessageEvent.DUE_DATE_CHANGED: Message(
        (PCC_PEOPLE,),
        "Due date {due}: the {stage} stage of {proposal}",
        "{actor} set the due date of the {stage} stage of {proposal} to {due}. Reason: {reason}",
        "The PCC has been told.",
    ),
    MessageEvent.LEGAL_CHALLENGE: Message(
        (PCC_PEOPLE, HOME_OFFICE),
        "Legal challenge {flagged}: {proposal}",
        "{actor} {flagged_sentence} Reason: {reason}",
        "The PCC and the Home Office have been told.",
    ),
    MessageEvent.PROPOSAL_STATUS: Message(
        (HOME_OFFICE,),
        "{status}: {proposal}",
        "{actor} changed {proposal} ({pcc}) to {status_lower}. Reason: {reason}",
        "The Home Office has been told.",
    ),
    MessageEvent.COMMENT_ADDED: Message(
        (),  # the other side: see comment_audiences
        "New comment on {proposal}",
        "{actor} commented on {proposal}: {comment}",
        "The other side has been told.",
    ),
    MessageEvent.MONEY_CHANGED: Message(
        (PCC_PEOPLE, FUNDING_ADMINS),
        "{what}: {pcc}",
        "{actor}: {details}",
        "The PCC and the funding admins have been told.",
    ),
    MessageEvent.CASE_OFFICER: Message(
        (NAMED,),
        "Case officer for {proposal}: {officer}",
        "{actor} made {officer} the case officer for {proposal} ({pcc}).",
        "The case officers have been told.",
    ),
    MessageEvent.REPRESENTATION_LODGED: Message(
        (PCC_PEOPLE,),
        "Representation {lodged}: {body} on {proposal}",
        "{actor} {lodged} the representation of {body} on {proposal}: {position}. Record the "
        "PCC's response to it on the consultation stage.",
        "The PCC has been told.",
    ),
    MessageEvent.REPRESENTATION_ANSWERED: Message(
        (BODY_OFFICERS,),
        "The PCC has responded to the representation of {body} on {proposal}",
        "{actor} recorded the response of the {pcc} PCC to the representation of {body} on "
        "{proposal}.",
        "The body's consultees have been told.",
    ),
}


def comment_audiences(*, author, home_office_only: bool) -> tuple[str, ...]:
    """A comment goes to the other side; one kept within the Home Office never to the PCC."""
    if author.is_pcc_member:
        return (HOME_OFFICE,)
    return () if home_office_only else (PCC_PEOPLE,)


def may_turn_off(event: str) -> bool:
    return not MESSAGES[event].always_emailed


# --- 3. Who exactly -----------------------------------------------------------------------------


def _group(audience: str, *, proposal, pcc, named) -> list:
    pcc_people = User.objects.for_pcc(pcc)
    if audience == PCC_PEOPLE:
        return list(pcc_people)
    if audience == PCC_STAFF:
        return list(pcc_people.filter(role=Role.PCC_STAFF))
    if audience == PCC_SIGNATORIES:
        return list(pcc_people.filter(role=Role.PCC_SIGNATORY))
    if audience == HOME_OFFICE:
        return home_office_people(proposal)
    if audience == FUNDING_ADMINS:
        return list(User.objects.filter(role=Role.FUNDING_ADMIN, is_active=True))
    if audience == NAMED:
        return [person for person in named if person is not None and person.is_active]
    if audience == BODY_OFFICERS:
        return list(User.objects.consultees_of(named[0]))
    raise ValueError(audience)


def recipients(*, audiences, proposal, pcc, by, named=()) -> list:
    """Everyone in `audiences` for this proposal (or PCC), each once, never the actor `by`."""
    people = {}
    for audience in audiences:
        for person in _group(audience, proposal=proposal, pcc=pcc, named=named):
            people.setdefault(person.pk, person)
    if by is not None:
        people.pop(by.pk, None)
    return list(people.values())


def stage_name(stage) -> str:
    return Step(stage.step).label.lower()


# --- 4. What a page may say ---------------------------------------------------------------------


@dataclass(frozen=True)
class Told:
    """Who a change told: a page says so only when someone was."""

    event: str
    people: tuple

    @property
    def sentence(self) -> str:
        """The message's own sentence; for one that goes to several sides, one that names
        only the sides someone was told on ("The PCC has been told." when the only funding
        admin made the change)."""
        if not self.people:
            return ""
        message = MESSAGES[self.event]
        if len(message.audiences) < 2:
            return message.told
        sides = list(dict.fromkeys(_side(person) for person in self.people))
        sides.sort(key=SIDES.index)
        plural = len(sides) > 1 or sides[0] == FUNDING_SIDE
        named = " and ".join(sides)
        return f"{named[0].upper()}{named[1:]} {'have' if plural else 'has'} been told."


FUNDING_SIDE = "the funding admins"
SIDES = ["the PCC", "the Home Office", FUNDING_SIDE]


def _side(person) -> str:
    if person.is_pcc_member:
        return "the PCC"
    return FUNDING_SIDE if person.role == Role.FUNDING_ADMIN else "the Home Office"


def with_told(message: str, result) -> str:
    """A page's success message, adding who was told when the service's `result` told anyone."""
    told = getattr(result, "told", None)
    return f"{message} {told.sentence}".strip() if told and told.sentence else message
