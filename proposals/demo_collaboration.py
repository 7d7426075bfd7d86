"""The collaboration register's demo entries (issue 14): the agreements the public record names,
each with its source, and one illustrative entry for each other area, marked as such.

Demo data only (`manage.py seed_demo`). Review dates are not in the sources: they are set a
few days either side of the day the demo is loaded, so the register and the reminders show
something, and each entry's summary says so.
"""

from dataclasses import dataclass
from datetime import date

from .models import AgreementStatus, CollaborationSubject

HERTS_MOU = "https://www.lgcplus.com/politics/governance-and-structure/county-agrees-deal-with-pcc-after-fire-service-stand-off/7025864.article"
SUSSEX_REPORT = "http://spccweb.thco.co.uk/about/news/sussex-pcc-seeks-renewed-commitment-from-fire-authorities-to-seize-transformation-opportunity/"
SUSSEX_HQ = "https://www.eastbourneherald.co.uk/news/katy-bourne-will-not-take-over-east-sussex-fire-service-1100194"

REVIEW_ILLUSTRATIVE = " The review date is illustrative: the sources give none."


@dataclass(frozen=True)
class DemoAgreement:
    pcc: str  # the PCC's slug
    title: str
    subject: str
    status: str
    fire_authorities: tuple | None  # names (None: all the area's); the police are always a party
    summary: str
    source_url: str = ""
    starts_on: date | None = None
    notified_on: date | None = None
    review_in_days: int | None = None  # from the day the demo is loaded
    ambulance: bool = False
    provisions: tuple = ("PCA 2017 s.1", "PCA 2017 s.2(1)")
    is_illustrative: bool = False


AGREEMENTS = (
    DemoAgreement(
        "hertfordshire",
        "Memorandum of understanding on emergency services collaboration",
        CollaborationSubject.GOVERNANCE,
        AgreementStatus.IN_FORCE,
        ("Hertfordshire County Council (fire and rescue authority)",),
        "Signed by the PCC and Hertfordshire County Council (the fire and rescue authority) "
        "instead of continuing the PCC's governance business case, which he asked the Home "
        "Secretary to suspend. Governance stays separate; a Hertfordshire Emergency Services "
        "Collaboration Board oversees joint working, including a single control room, joint "
        "estates and a possible shared police and fire headquarters (LGC; Royston Crow). "
        "Start date: the day the signing was reported, 6 September 2018; the exact signing "
        "date was not found." + REVIEW_ILLUSTRATIVE,
        HERTS_MOU,
        # Reported 6 September 2018: royston-crow.co.uk/news/herts-pcc-david-lloyd-suspends-
        # plans-to-take-over-control-of-fire-service-1-5680649 (FACTS.md section 4).
        starts_on=date(2018, 9, 6),
        review_in_days=7,
    ),
    DemoAgreement(
        "sussex",
        "Independent report on fire governance options and closer collaboration",
        CollaborationSubject.GOVERNANCE,
        AgreementStatus.PROPOSED,
        (
            "East Sussex Fire Authority",
            "West Sussex County Council (fire and rescue authority)",
        ),
        "Commissioned by the PCC under the Policing and Crime Act 2017 duty to explore "
        "emergency service collaboration and presented on 14 July 2017: it found savings of "
        "at least £7m over 10 years from closer collaboration (common operating and training "
        "procedures, joint procurement, compatible equipment). The PCC did not pursue "
        "governance. The parties' considerations are not in the sources.",
        SUSSEX_REPORT,
        notified_on=date(2017, 7, 14),
        provisions=("PCA 2017 s.2(1)", "PCA 2017 s.2(2)"),
    ),
    DemoAgreement(
        "sussex",
        "Shared headquarters with Sussex Police in Lewes",
        CollaborationSubject.ESTATES,
        AgreementStatus.IN_FORCE,
        ("East Sussex Fire Authority",),
        "East Sussex Fire Authority said on 14 July 2017 that it had most recently moved into "
        "shared service headquarters with Sussex Police in Lewes. Start date: that statement; "
        "the move's exact date was not found." + REVIEW_ILLUSTRATIVE,
        SUSSEX_HQ,
        starts_on=date(2017, 7, 14),
        review_in_days=-3,
    ),
    *(
        DemoAgreement(
            slug,
            title,
            subject,
            AgreementStatus.IN_FORCE,
            None,
            "Illustrative: made up for the demo, not taken from a public source.",
            starts_on=date(2021, 4, 1),
            review_in_days=days,
            ambulance=True,
            is_illustrative=True,
        )
        for slug, title, subject, days in (
            (
                "essex",
                "Joint prevention visits",
                CollaborationSubject.PREVENTION,
                14,
            ),
            (
                "staffordshire",
                "Shared fleet workshop",
                CollaborationSubject.FLEET,
                30,
            ),
            (
                "north-yorkshire",
                "Joint training site",
                CollaborationSubject.TRAINING,
                1,
            ),
            ("northamptonshire", "Shared estates", CollaborationSubject.ESTATES, 60),
            (
                "cambridgeshire",
                "Joint procurement",
                CollaborationSubject.PROCUREMENT,
                -10,
            ),
            (
                "west-mercia",
                "Shared control room",
                CollaborationSubject.CONTROL_ROOMS,
                21,
            ),
            (
                "gloucestershire",
                "Joint support services",
                CollaborationSubject.SUPPORT_SERVICES,
                90,
            ),
        )
    ),
)
