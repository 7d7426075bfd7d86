"""The nine PCCs, the bodies around them, the Act's provisions and the fund.

Frozen here, not imported, so the history of the schema never changes under an old migration.
Every fact comes from shared/domain/FACTS.md; the source address is kept beside it.
"""

from decimal import Decimal

from django.db import migrations

RELEASE = "https://gov.uk/government/news/home-office-funds-pccs-to-support-further-police-and-fire-collaboration"
LEGISLATION_PCA = "https://legislation.data.gov.uk/ukpga/2017/3/part/1/chapter/1"
LEGALIZE = "https://legalize.dev/uk/law/ukpga-2017-3"
BUCKSFIRE = "https://bucksfire.gov.uk/publications/collaboration-report/"

AMBULANCE_TRUSTS = {
    "EEAST": "East of England Ambulance Service NHS Trust",
    "WMAS": "West Midlands Ambulance Service University NHS Foundation Trust",
    "YAS": "Yorkshire Ambulance Service NHS Trust",
    "EMAS": "East Midlands Ambulance Service NHS Trust",
    "SECAmb": "South East Coast Ambulance Service NHS Foundation Trust",
    "SWASFT": "South Western Ambulance Service NHS Foundation Trust",
}

# slug: (area, police force, commissioner in 2017, ambulance trust,
#        [(fire authority, fire and rescue service, note, source)], [upper-tier councils])
PCCS = {
    "essex": (
        "Essex",
        "Essex Police",
        "Roger Hirst",
        "EEAST",
        [
            (
                "Essex Fire Authority",
                "Essex County Fire & Rescue Service",
                "Covered Essex County Council, Southend-on-Sea and Thurrock. Abolished on 1 October 2017 by S.I. 2017/864, art. 17.",
                "https://www.legislation.gov.uk/uksi/2017/864",
            )
        ],
        ["Essex County Council", "Southend-on-Sea Borough Council", "Thurrock Council"],
    ),
    "staffordshire": (
        "Staffordshire",
        "Staffordshire Police",
        "Matthew Ellis",
        "WMAS",
        [
            (
                "Staffordshire Fire and Rescue Authority",
                "Staffordshire Fire and Rescue Service",
                "21 councillors from Stoke-on-Trent City Council and Staffordshire County Council. The formal name 'Stoke-on-Trent and Staffordshire FRA' is uncertain.",
                "",
            )
        ],
        ["Staffordshire County Council", "Stoke-on-Trent City Council"],
    ),
    "north-yorkshire": (
        "North Yorkshire",
        "North Yorkshire Police",
        "Julia Mulligan",
        "YAS",
        [
            (
                "North Yorkshire Fire and Rescue Authority",
                "North Yorkshire Fire and Rescue Service",
                "16 councillors.",
                "",
            )
        ],
        ["North Yorkshire County Council", "City of York Council"],
    ),
    "northamptonshire": (
        "Northamptonshire",
        "Northamptonshire Police",
        "Stephen Mold",
        "EMAS",
        [
            (
                "Northamptonshire County Council (fire and rescue authority)",
                "Northamptonshire Fire and Rescue Service",
                "The county council (57 councillors) was the fire and rescue authority until 1 January 2019.",
                "https://www.legislation.gov.uk/uksi/2018/1072",
            )
        ],
        ["Northamptonshire County Council"],
    ),
    "cambridgeshire": (
        "Cambridgeshire",
        "Cambridgeshire Constabulary",
        "Jason Ablewhite",
        "EEAST",
        [
            (
                "Cambridgeshire and Peterborough Fire Authority",
                "Cambridgeshire Fire and Rescue Service",
                "17 members: 13 from Cambridgeshire County Council and 4 from Peterborough City Council.",
                "",
            )
        ],
        ["Cambridgeshire County Council", "Peterborough City Council"],
    ),
    "west-mercia": (
        "West Mercia",
        "West Mercia Police",
        "John Campion",
        "WMAS",
        [
            (
                "Hereford & Worcester Fire Authority",
                "Hereford & Worcester Fire and Rescue Service",
                "With Shropshire and Wrekin, 42 councillors in total.",
                "",
            ),
            (
                "Shropshire and Wrekin Fire and Rescue Authority",
                "Shropshire Fire and Rescue Service",
                "With Hereford & Worcester, 42 councillors in total.",
                "",
            ),
        ],
        [
            "Herefordshire Council",
            "Shropshire Council",
            "Telford & Wrekin Council",
            "Worcestershire County Council",
        ],
    ),
    "hertfordshire": (
        "Hertfordshire",
        "Hertfordshire Constabulary",
        "David Lloyd",
        "EEAST",
        [
            (
                "Hertfordshire County Council (fire and rescue authority)",
                "Hertfordshire Fire and Rescue Service",
                "The county council is the fire and rescue authority.",
                "https://hertscommissioner.org/2017-07-commissioner-meets-minister-over-fire-governance-plans",
            )
        ],
        ["Hertfordshire County Council"],
    ),
    "sussex": (
        "Sussex",
        "Sussex Police",
        "Katy Bourne",
        "SECAmb",
        [
            (
                "East Sussex Fire Authority",
                "East Sussex Fire and Rescue Service",
                "12 members from East Sussex County Council and 6 from Brighton & Hove.",
                "",
            ),
            (
                "West Sussex County Council (fire and rescue authority)",
                "West Sussex Fire and Rescue Service",
                "The county council is the fire and rescue authority.",
                "",
            ),
        ],
        [
            "Brighton & Hove City Council",
            "East Sussex County Council",
            "West Sussex County Council",
        ],
    ),
    "gloucestershire": (
        "Gloucestershire",
        "Gloucestershire Constabulary",
        "Martin Surl",
        "SWASFT",
        [
            (
                "Gloucestershire County Council (fire and rescue authority)",
                "Gloucestershire Fire and Rescue Service",
                "The county council is the fire and rescue authority.",
                "https://www.gloucestershire-pcc.gov.uk/majority-call-for-change-in-who-governs-fire-rescue-service/",
            )
        ],
        ["Gloucestershire County Council"],
    ),
}

# (position, provision, title, kind, binds, requires, confidence, source)
DUTIES = [
    (
        1,
        "PCA 2017 s.1",
        "Power to make collaboration agreements",
        "power",
        "Ambulance trusts, fire and rescue bodies and police bodies in England",
        "One or more persons from one category may make a collaboration agreement with one or more "
        "from another: an agreement in writing that sets out how the parties will work together in "
        "discharging their functions.",
        "verified",
        LEGISLATION_PCA,
    ),
    (
        2,
        "PCA 2017 s.2(1)",
        "Duty to keep collaboration under consideration",
        "duty",
        "Each relevant emergency service in England",
        "Keep under consideration whether a collaboration agreement with one or more other relevant "
        "emergency services could be in the interests of the efficiency or effectiveness of that "
        "service and the others.",
        "verified",
        LEGALIZE,
    ),
    (
        3,
        "PCA 2017 s.2(2)",
        "Duty to notify a proposed collaboration",
        "duty",
        "The relevant emergency service that identifies a proposed collaboration",
        "Notify the other services of the proposed collaboration.",
        "verified",
        LEGALIZE,
    ),
    (
        4,
        "PCA 2017 s.2(3)",
        "Duty to consider a proposed collaboration",
        "duty",
        "All proposed parties",
        "Consider whether the proposed collaboration would be in the interests of the efficiency or "
        "effectiveness of the proposed parties.",
        "verified",
        LEGALIZE,
    ),
    (
        5,
        "PCA 2017 s.2(4)-(5)",
        "Duty to give effect to a collaboration",
        "duty",
        "The proposed parties",
        "Enter into a collaboration agreement where the parties agree the collaboration would be in "
        "the interests of their efficiency or effectiveness and would not have an adverse effect on "
        "public safety. (Summarised from a fire authority's reading of the Act; exact statutory "
        "wording not retrieved.)",
        "uncertain",
        BUCKSFIRE,
    ),
    (
        6,
        "PCA 2017 s.2 (ambulance trusts)",
        "Ambulance trusts' wider functions",
        "duty",
        "Ambulance trusts",
        "When judging efficiency or effectiveness, consider the effect on their non-emergency "
        "functions and on the NHS; trusts are not obliged to enter agreements that would harm either.",
        "verified",
        BUCKSFIRE,
    ),
    (
        7,
        "PCA 2017 s.6 and Sch 1",
        "PCC may become the fire and rescue authority",
        "power",
        "The Secretary of State, PCCs and fire and rescue authorities in England",
        "Inserts ss.4A-4M and Schedules A1 and A2 into the Fire and Rescue Services Act 2004: on a "
        "local case, the PCC can become the fire and rescue authority (the governance model), "
        "optionally with a single employer (s.4H).",
        "verified",
        "https://www.legislation.gov.uk/ukpga/2017/3/schedule/1",
    ),
    (
        8,
        "PCA 2017 s.7",
        "PCC representation on the fire and rescue authority",
        "power",
        "Fire and rescue authorities of all types",
        "Enables a PCC to be represented, as a voting member, on the fire and rescue authority, with "
        "the authority's consent (the representation model).",
        "verified",
        "https://www.legislation.gov.uk/uksi/2017/1165",
    ),
]


def load(apps, schema_editor):
    AmbulanceTrust = apps.get_model("proposals", "AmbulanceTrust")
    Pcc = apps.get_model("proposals", "Pcc")
    FireAuthority = apps.get_model("proposals", "FireAuthority")
    LocalAuthority = apps.get_model("proposals", "LocalAuthority")
    CollaborationDuty = apps.get_model("proposals", "CollaborationDuty")
    Fund = apps.get_model("proposals", "Fund")

    trusts = {
        key: AmbulanceTrust.objects.create(name=name) for key, name in AMBULANCE_TRUSTS.items()
    }
    for slug, (area, force, commissioner, trust, fire_authorities, councils) in PCCS.items():
        pcc = Pcc.objects.create(
            slug=slug,
            name=area,
            police_force=force,
            commissioner_in_2017=commissioner,
            ambulance_trust=trusts[trust],
            source_url=RELEASE,
        )
        for name, service, note, source in fire_authorities:
            FireAuthority.objects.create(
                pcc=pcc, name=name, service_name=service, note=note, source_url=source
            )
        for council in councils:
            LocalAuthority.objects.create(pcc=pcc, name=council)

    for position, provision, title, kind, binds, requires, confidence, source in DUTIES:
        CollaborationDuty.objects.create(
            position=position,
            provision=provision,
            title=title,
            kind=kind,
            binds=binds,
            requires=requires,
            confidence=confidence,
            source_url=source,
        )

    Fund.objects.create(
        name="Police Transformation Fund: fire governance",
        source="Police Transformation Fund",
        awarded_by="Home Office",
        purpose=(
            "Awarded to nine PCCs for their work in developing proposals to take on the "
            "additional responsibility for the governance of fire and rescue, on the "
            "recommendation of the Police Reform and Transformation Board."
        ),
        total=Decimal("1000000.00"),
        announced="2017, between February and June (exact date not published)",
        source_url=RELEASE,
    )


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
