"""Deterministic generator of synthetic police / PCC responses to HMICFRS inspection reports.

The documents imitate the real ones in ``corpus/``: PCC letters to the Home Secretary,
Chief Constable board papers with numbered paragraphs, and published comments with a
recommendation / response table.  Every (force, topic) pair gets a ground-truth status
(done, in_progress, planned, declined, not_mentioned); each status other than
not_mentioned is expressed by at least one sentence in that force's documents, and a
later-dated document may update an earlier status (the ground truth is the latest one).

    python -m evals.gencorpus OUT_DIR --docs N [--format pdf|txt] [--seed S] [--jobs J]

writes the documents plus ``ground_truth.json``, ``questions.yaml`` (the question-set
schema of DESIGN.md) and ``compare.yaml`` (``{id, topic, expect: {FORCE: STATUS}}``).
Each document is about 7,000 characters, so N documents give roughly 10 x N chunks of
~700 characters.  The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ingest.forces import FORCES

# Values mirror ingest.types.DocType / AuthorRole.
LETTER = "letter to the Home Secretary"
BOARD = "board paper"
COMMENTS = "published comments"
PCC_ROLE = "PCC"
CC_ROLE = "Chief Constable"

STATUSES = ("done", "in_progress", "planned", "declined", "not_mentioned")
_RANK = {"planned": 0, "in_progress": 1, "done": 2, "declined": 2}

TARGET_CHARS = (6000, 8000)  # per document; ~10 chunks of ~700 characters
GENERATED_FILES = ("ground_truth.json", "questions.yaml", "compare.yaml")

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# --------------------------------------------------------------------------- forces


@dataclass(frozen=True)
class ForceInfo:
    org: str  # "Constabulary", "Police", "Police Service"
    street: str
    postcode: str
    domain: str
    tel: str
    welsh: str | None = None  # Welsh name of the area for bilingual letterheads


_FI = ForceInfo
FORCE_INFO: dict[str, ForceInfo] = {
    "Avon and Somerset": _FI(
        "Constabulary", "Valley Road, Portishead, Bristol", "BS20 8QJ", "avonandsomerset", "01275 816377"
    ),
    "Bedfordshire": _FI("Police", "Woburn Road, Kempston, Bedford", "MK43 9AX", "bedfordshire", "01234 842064"),
    "Cambridgeshire": _FI("Constabulary", "PO Box 688, Huntingdon", "PE29 9LA", "cambs", "0300 333 3456"),
    "Cheshire": _FI("Constabulary", "Clemonds Hey, Oakmere Road, Winsford", "CW7 2UA", "cheshire", "01606 364000"),
    "City of London": _FI("Police", "Guildhall, PO Box 270, London", "EC2P 2EJ", "cityoflondon", "020 7332 1000"),
    "Cleveland": _FI("Police", "Ladgate Lane, Middlesbrough", "TS8 9EH", "cleveland", "01642 301653"),
    "Cumbria": _FI("Constabulary", "Carleton Hall, Penrith", "CA10 2AU", "cumbria", "01768 217734"),
    "Derbyshire": _FI("Constabulary", "Butterley Hall, Ripley", "DE5 3RS", "derbyshire", "0300 122 6000"),
    "Devon and Cornwall": _FI(
        "Police", "Endeavour House, Woodwater Park, Pynes Hill, Exeter", "EX2 5WH", "devonandcornwall", "01392 225555"
    ),
    "Dorset": _FI("Police", "Force Headquarters, Winfrith, Dorchester", "DT2 8DZ", "dorset", "01202 229084"),
    "Durham": _FI("Constabulary", "Aykley Heads, Durham", "DH1 5TT", "durham", "0191 375 2001"),
    "Dyfed-Powys": _FI(
        "Police",
        "Police Headquarters, PO Box 99, Llangunnor, Carmarthen",
        "SA31 2PF",
        "dyfed-powys",
        "01267 226440",
        "Dyfed-Powys",
    ),
    "Essex": _FI("Police", "Kelvedon Park, London Road, Rivenhall, Witham", "CM8 3HB", "essex", "01245 291600"),
    "Gloucestershire": _FI(
        "Constabulary",
        "No.1 Waterwells, Waterwells Drive, Quedgeley, Gloucester",
        "GL2 2AT",
        "gloucestershire",
        "01452 754348",
    ),
    "Greater Manchester": _FI(
        "Police", "Churchgate House, 56 Oxford Street, Manchester", "M1 6EU", "greatermanchester-ca", "0161 778 7000"
    ),
    "Gwent": _FI(
        "Police",
        "Police Headquarters, Turnpike Road, Croesyceiliog, Cwmbrân",
        "NP44 2XJ",
        "gwent",
        "01633 642200",
        "Gwent",
    ),
    "Hampshire": _FI(
        "Constabulary", "St George's Chambers, St George's Street, Winchester", "SO23 8AJ", "hampshire", "01962 871595"
    ),
    "Hertfordshire": _FI("Constabulary", "15 Vaughan Road, Harpenden", "AL5 4GZ", "herts", "01707 806100"),
    "Humberside": _FI("Police", "The Lawns, Harland Way, Cottingham", "HU16 5SN", "humberside", "01482 220787"),
    "Kent": _FI("Police", "Sutton Road, Maidstone", "ME15 9BZ", "kent", "01622 677055"),
    "Lancashire": _FI("Constabulary", "County Hall, Preston", "PR1 0LD", "lancashire", "01772 533587"),
    "Leicestershire": _FI("Police", "Police Headquarters, St Johns, Enderby", "LE19 2BX", "leics", "0116 229 8980"),
    "Lincolnshire": _FI("Police", "Deepdale Lane, Nettleham, Lincoln", "LN2 2LT", "lincs", "01522 947192"),
    "Merseyside": _FI("Police", "Mather Avenue, Allerton, Liverpool", "L18 9TG", "merseyside", "0151 777 5155"),
    "Metropolitan": _FI("Police Service", "City Hall, The Queen's Walk, London", "SE1 2AA", "london", "020 7983 4000"),
    "Norfolk": _FI("Constabulary", "Jubilee House, Falconers Chase, Wymondham", "NR18 0WW", "norfolk", "01953 424455"),
    "North Wales": _FI(
        "Police",
        "Police Headquarters, Glan y Don, Colwyn Bay",
        "LL29 8AW",
        "northwales",
        "01492 805486",
        "Gogledd Cymru",
    ),
    "North Yorkshire": _FI("Police", "12 Granby Road, Harrogate", "HG1 4ST", "northyorkshire", "01423 569562"),
    "Northamptonshire": _FI("Police", "Wootton Hall, Northampton", "NN4 0JQ", "northants", "01604 888113"),
    "Northumbria": _FI(
        "Police", "2-3 Citygate, Gallowgate, Newcastle upon Tyne", "NE1 4WH", "northumbria", "0191 221 9800"
    ),
    "Nottinghamshire": _FI(
        "Police", "Arnot Hill House, Arnot Hill Park, Arnold, Nottingham", "NG5 6LU", "notts", "0115 844 5998"
    ),
    "South Wales": _FI(
        "Police", "Police Headquarters, Cowbridge Road, Bridgend", "CF31 3SU", "southwales", "01656 869366", "De Cymru"
    ),
    "South Yorkshire": _FI(
        "Police", "Carbrook House, 5 Carbrook Hall Road, Sheffield", "S9 2EH", "southyorks", "0114 296 4150"
    ),
    "Staffordshire": _FI("Police", "Block 9, Weston Road, Stafford", "ST18 0YY", "staffordshire", "01785 232385"),
    "Suffolk": _FI(
        "Constabulary", "Police Headquarters, Martlesham Heath, Ipswich", "IP5 3QS", "suffolk", "01473 782773"
    ),
    "Surrey": _FI("Police", "PO Box 412, Guildford", "GU3 1YJ", "surrey", "01483 630200"),
    "Sussex": _FI("Police", "Sackville House, Brooks Close, Lewes", "BN7 2FZ", "sussex", "01273 481582"),
    "Thames Valley": _FI("Police", "The Farmhouse, Oxford Road, Kidlington", "OX5 2NX", "thamesvalley", "01865 541957"),
    "Warwickshire": _FI("Police", "3 Northgate Street, Warwick", "CV34 4SP", "warwickshire", "01926 733050"),
    "West Mercia": _FI("Police", "Hindlip Hall, Worcester", "WR3 8SP", "westmercia", "01905 331656"),
    "West Midlands": _FI(
        "Police", "Lloyd House, Colmore Circus Queensway, Birmingham", "B4 6NQ", "westmidlands", "0121 626 6060"
    ),
    "West Yorkshire": _FI(
        "Police", "Ploughland House, 62 George Street, Wakefield", "WF1 1DL", "westyorkshire", "01924 294000"
    ),
    "Wiltshire": _FI("Police", "London Road, Devizes", "SN10 2DN", "wiltshire", "01380 734022"),
}

BOARDS = (
    "Business Coordination Board",
    "Strategic Governance Board",
    "Police and Crime Board",
    "Accountability Board",
    "Performance and Accountability Board",
    "Joint Executive Board",
    "Strategic Policing and Crime Board",
    "Force Executive Board",
)
GROUPS = (
    "Data Integrity Working Group",
    "Vulnerability Board",
    "Public Protection Board",
    "Crime Standards Board",
    "Organisational Efficiency and Effectiveness Board",
    "Safeguarding Governance Group",
    "Operational Performance Board",
)
UNITS = (
    "Public Protection Unit",
    "Crime Management Unit",
    "Multi-Agency Safeguarding Hub",
    "Harm Reduction Unit",
    "Domestic Abuse Investigation Unit",
    "Victim and Witness Hub",
    "Serious Crime Directorate",
)
RANKS = (
    "Detective Sergeant",
    "Detective Constable",
    "Detective Inspector",
    "Detective Chief Inspector",
    "Police Staff Investigator",
)
PARTNERS = (
    "the local authority",
    "the Clinical Commissioning Group",
    "the National Probation Service",
    "the Community Rehabilitation Company",
    "Victim Support",
    "the Crown Prosecution Service",
    "HM Courts and Tribunals Service",
    "local housing providers",
    "specialist domestic abuse services",
    "the Safeguarding Adults Board",
    "the Local Safeguarding Children Partnership",
    "the fire and rescue service",
    "mental health services",
    "the county council",
    "Public Health",
    "the Youth Offending Service",
)

FIRST = (
    "Alison",
    "Andrew",
    "Angela",
    "Anthony",
    "Barry",
    "Beverley",
    "Bill",
    "Caroline",
    "Catherine",
    "Christopher",
    "Claire",
    "Colin",
    "Darren",
    "David",
    "Deborah",
    "Donna",
    "Emma",
    "Fiona",
    "Gareth",
    "Gillian",
    "Graham",
    "Hannah",
    "Helen",
    "Ian",
    "Jacqueline",
    "James",
    "Jane",
    "Jason",
    "Jeff",
    "Jennifer",
    "John",
    "Jonathan",
    "Julia",
    "Karen",
    "Katy",
    "Keith",
    "Kevin",
    "Laura",
    "Lisa",
    "Louise",
    "Marc",
    "Mark",
    "Martin",
    "Matthew",
    "Michael",
    "Michelle",
    "Nicola",
    "Nigel",
    "Olivia",
    "Owen",
    "Paul",
    "Peter",
    "Philip",
    "Rachel",
    "Rhian",
    "Richard",
    "Robert",
    "Ruth",
    "Sarah",
    "Simon",
    "Sophie",
    "Stephen",
    "Susan",
    "Thomas",
    "Timothy",
    "Victoria",
    "Wendy",
    "William",
    "Yvonne",
    "Zoe",
    "Dafydd",
    "Sian",
    "Gwyn",
    "Carys",
    "Arfon",
    "Emyr",
)
LAST = (
    "Ablewhite",
    "Allen",
    "Ashworth",
    "Bailey",
    "Barker",
    "Bennett",
    "Bourne",
    "Bradley",
    "Brennan",
    "Brunning",
    "Carter",
    "Chapman",
    "Clarke",
    "Collins",
    "Cooper",
    "Cuthbert",
    "Davies",
    "Dawson",
    "Denham",
    "Edwards",
    "Ellis",
    "Evans",
    "Fletcher",
    "Foster",
    "Gibson",
    "Graham",
    "Griffiths",
    "Hall",
    "Harding",
    "Harris",
    "Hernandez",
    "Hewitt",
    "Holland",
    "Hughes",
    "Hussain",
    "Jackson",
    "Jenkins",
    "Johnson",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "Lawrence",
    "Lewis",
    "Lloyd",
    "Marsh",
    "Mason",
    "Matthews",
    "Mills",
    "Moor",
    "Morgan",
    "Morris",
    "Murphy",
    "Nash",
    "Norris",
    "Owen",
    "Palmer",
    "Parry",
    "Patel",
    "Pearce",
    "Phillips",
    "Price",
    "Pritchard",
    "Reed",
    "Rees",
    "Richards",
    "Roberts",
    "Robinson",
    "Rowlands",
    "Saunders",
    "Shaw",
    "Simpson",
    "Singh",
    "Stevens",
    "Sutton",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "Watkins",
    "Webb",
    "White",
    "Wilkinson",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
)
POSTNOMINALS = ("", "", "", "", " OBE", " MBE", " QPM", " B.Sc., MCIPD", " MA", " JP")

HOME_SECRETARIES = (  # (from, name)
    (date(2016, 7, 13), "Amber Rudd"),
    (date(2018, 4, 30), "Sajid Javid"),
    (date(2019, 7, 24), "Priti Patel"),
    (date(2022, 9, 6), "Suella Braverman"),
    (date(2023, 11, 13), "James Cleverly"),
)


def _display(force: str) -> str:
    """The force's own name: "Gwent Police", "Cambridgeshire Constabulary"."""
    if force == "Metropolitan":
        return "Metropolitan Police Service"
    return f"{force} {_info(force).org}"


def _info(force: str) -> ForceInfo:
    if force in FORCE_INFO:
        return FORCE_INFO[force]
    slug = _slug(force).replace("-", "")
    return ForceInfo("Police", f"Police Headquarters, {force}", "AB1 2CD", slug, "01000 000000")


def _pcc_title(force: str) -> tuple[str, str]:
    """(signature title, office name) of the force's local policing body."""
    if force == "Metropolitan":
        return ("Deputy Mayor for Policing and Crime, London", "Mayor's Office for Policing and Crime")
    if force == "City of London":
        return ("Chairman of the Police Authority Board, City of London", "City of London Police Authority")
    if force == "Greater Manchester":
        return ("Deputy Mayor for Policing and Crime, Greater Manchester", "Greater Manchester Combined Authority")
    return (f"Police and Crime Commissioner for {force}", f"Office of the Police and Crime Commissioner for {force}")


def _chief_title(force: str) -> str:
    return "Commissioner" if force in ("Metropolitan", "City of London") else "Chief Constable"


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    short: str
    published: date
    window: tuple[date, date]  # when responses are dated
    subject: str
    stalking: bool
    recs: tuple[tuple[str, str], ...]  # (recommendation text, topic-rec key)
    findings: tuple[str, ...]


def _window(pub: date, lo: int = 25, hi: int = 420) -> tuple[date, date]:
    return pub + timedelta(days=lo), pub + timedelta(days=hi)


REPORTS: dict[str, Report] = {
    r.key: r
    for r in (
        Report(
            "lif",
            "Living in fear – the police and CPS response to harassment and stalking",
            "Living in fear",
            date(2017, 7, 5),
            (date(2017, 9, 4), date(2018, 12, 14)),
            "harassment and stalking",
            True,
            (
                (
                    "Within six months, chief constables should stop using Police Information Notices and their equivalents.",
                    "pin",
                ),
                (
                    "Within six months, chief constables should ensure that all officers and staff who deal with victims of stalking and harassment receive training on recognising these crimes.",
                    "training",
                ),
                (
                    "Chief constables should make sure that forces have suitably trained single points of contact for stalking cases.",
                    "spoc",
                ),
                (
                    "Chief constables should implement the joint NPCC and CPS protocol on the appropriate handling of stalking or harassment offences.",
                    "protocol",
                ),
                (
                    "Police and crime commissioners should consider commissioning specialist support services for victims of stalking.",
                    "advocate",
                ),
                (
                    "Chief constables should work with partners to develop multi-agency arrangements for managing stalking perpetrators.",
                    "clinic",
                ),
            ),
            (
                "The inspection found that stalking is often not recognised and that victims are not always given the support they need.",
                "The report found that too many cases were recorded as malicious communications when the behaviour amounted to a pattern of stalking or harassment.",
                "Inspectors found that the voice of the victim was not always heard throughout the investigation.",
            ),
        ),
        Report(
            "sussex",
            "Stalking and harassment – An inspection of Sussex Police commissioned by the police and crime commissioner, "
            "and an update on national recommendations in HMICFRS's 2017 report",
            "Stalking and harassment",
            date(2019, 4, 10),
            (date(2019, 4, 24), date(2020, 10, 30)),
            "stalking and harassment",
            True,
            (
                (
                    "Within six months chief constables should ensure that forces record stalking or harassment crimes if appropriate when victims report breaches of orders.",
                    "recording",
                ),
                (
                    "Within six months chief constables should ensure that officers are aware of the importance of treating breaches of orders, where appropriate, as part of a wider pattern of offending, and ensure that force policy and guidance helps officers to do this.",
                    "training",
                ),
                (
                    "We recommend that within six months the NPCC lead for stalking and harassment reviews whether all police forces should adopt one single definition of stalking.",
                    "definition",
                ),
                (
                    "Within three months the NPCC lead for stalking and harassment should remind chief constables that they should regularly monitor compliance with the national stalking protocol.",
                    "protocol",
                ),
            ),
            (
                "The inspection of Sussex Police found that the force had made progress but that breaches of orders were not always recognised as part of a wider pattern of offending.",
                "The report noted that most of the recommendations made in 2017 had been addressed nationally, although some remained outstanding.",
                "Inspectors found that victims were not always told about the support available to them.",
            ),
        ),
        Report(
            "fraud",
            "Fraud: Time to choose – An inspection of the police response to fraud",
            "Fraud: Time to choose",
            date(2019, 4, 2),
            _window(date(2019, 4, 2)),
            "fraud",
            False,
            (
                (
                    "By September 2019, chief constables should adopt the guidance on responding to and investigating fraud.",
                    "fraud",
                ),
                (
                    "Chief constables should make sure that their forces have a clear point of contact for the national fraud reporting centre.",
                    "fraud",
                ),
            ),
            (
                "The inspection found that fraud is not given the priority its scale and impact demand.",
                "Inspectors found inconsistent support for victims of fraud across forces.",
            ),
        ),
        Report(
            "older",
            "The Poor Relation – The police and CPS response to crimes against older people",
            "The Poor Relation",
            date(2019, 7, 17),
            _window(date(2019, 7, 17)),
            "crimes against older people",
            False,
            (
                ("Chief constables should make sure that officers understand the needs of older victims.", "older"),
                (
                    "Within six months, forces should review how they identify and record crimes against older people.",
                    "older",
                ),
            ),
            (
                "The inspection found that older victims are not always identified as vulnerable.",
                "Inspectors found that the needs of older victims were often not assessed.",
            ),
        ),
        Report(
            "roads",
            "Roads policing: Not optional – An inspection of roads policing in England and Wales",
            "Roads policing: Not optional",
            date(2020, 7, 16),
            _window(date(2020, 7, 16)),
            "roads policing",
            False,
            (
                (
                    "Chief constables should make sure that their roads policing functions are properly resourced.",
                    "roads",
                ),
                (
                    "Forces should set out clearly how roads policing contributes to reducing road deaths and serious injuries.",
                    "roads",
                ),
            ),
            (
                "The inspection found that roads policing has been reduced in many forces.",
                "Inspectors found little evidence that forces evaluate the effectiveness of their roads policing activity.",
            ),
        ),
        Report(
            "cyber",
            "Cyber: Keep the light on – An inspection of the police response to cyber-dependent crime",
            "Cyber: Keep the light on",
            date(2019, 10, 24),
            _window(date(2019, 10, 24)),
            "cyber-dependent crime",
            False,
            (
                (
                    "Chief constables should make sure that cyber-dependent crime is properly understood within their forces.",
                    "",
                ),
            ),
            (
                "The inspection found that the response to cyber-dependent crime is fragmented.",
                "Inspectors found that victims of cyber crime were not always given prevention advice.",
            ),
        ),
        Report(
            "betrayal",
            "Shining a light on betrayal – Abuse of position for a sexual purpose",
            "Shining a light on betrayal",
            date(2019, 9, 24),
            _window(date(2019, 9, 24)),
            "abuse of position for a sexual purpose",
            False,
            (
                (
                    "Forces should have enough capability in their counter-corruption units to seek intelligence on abuse of position.",
                    "",
                ),
            ),
            (
                "The inspection found that abuse of position for a sexual purpose is the most serious form of corruption facing the service.",
            ),
        ),
        Report(
            "da",
            "The police response to domestic abuse: an update report",
            "Domestic abuse update",
            date(2019, 2, 26),
            _window(date(2019, 2, 26)),
            "domestic abuse",
            False,
            (("Chief constables should make sure that domestic abuse remains a priority for their forces.", ""),),
            (
                "The update report found that the police response to domestic abuse continues to improve.",
                "Inspectors found that the use of domestic violence protection notices varies widely between forces.",
            ),
        ),
        Report(
            "county",
            "Both sides of the coin – The police and National Crime Agency's response to vulnerable people in county lines drug offending",
            "Both sides of the coin",
            date(2020, 1, 13),
            _window(date(2020, 1, 13)),
            "county lines drug offending",
            False,
            (
                (
                    "Forces should make sure that vulnerable people exploited through county lines are treated as victims.",
                    "",
                ),
            ),
            ("The inspection found that children exploited through county lines are too often treated as offenders.",),
        ),
        Report(
            "stopsearch",
            "Disproportionate use of police powers – A spotlight on stop and search and the use of force",
            "Disproportionate use of police powers",
            date(2021, 2, 26),
            _window(date(2021, 2, 26)),
            "stop and search",
            False,
            (("Forces should improve how they record and scrutinise the use of stop and search powers.", ""),),
            ("The inspection found that forces still cannot show that their use of stop and search is fair.",),
        ),
        Report(
            "hate",
            "Understanding the difference – The initial police response to hate crime",
            "Understanding the difference",
            date(2018, 7, 19),
            _window(date(2018, 7, 19)),
            "hate crime",
            False,
            (
                (
                    "Chief constables should make sure that hate crime victims receive an appropriate risk assessment.",
                    "",
                ),
            ),
            ("The inspection found that the initial police response to hate crime is inconsistent.",),
        ),
        Report(
            "vawg",
            "Police response to violence against women and girls – Final inspection report",
            "Violence against women and girls",
            date(2021, 9, 17),
            _window(date(2021, 9, 17)),
            "violence against women and girls",
            False,
            (
                (
                    "Chief constables should make sure that the relentless pursuit of perpetrators is a national priority.",
                    "",
                ),
            ),
            (
                "The inspection found that there is inconsistency in how well forces respond to violence against women and girls.",
            ),
        ),
    )
}
STALKING_REPORTS = ("lif", "sussex")
OTHER_REPORTS = tuple(k for k, r in REPORTS.items() if not r.stalking)

# --------------------------------------------------------------------------- topics


@dataclass(frozen=True)
class Topic:
    id: str
    name: str  # past participle phrase: "Which forces have NAME?"
    infinitive: str  # "Which forces plan to INFINITIVE?"
    reports: tuple[str, ...]
    rec: str  # recommendation key its table responses sit under
    weights: tuple[float, float, float, float, float]  # done, in_progress, planned, declined, not_mentioned
    templates: dict[str, tuple[str, ...]]


_W = (0.34, 0.2, 0.2, 0.08, 0.18)
TOPICS: tuple[Topic, ...] = (
    Topic(
        "audit_breaches",
        "audited how breaches of orders are recorded",
        "audit how breaches of orders are recorded",
        STALKING_REPORTS,
        "recording",
        _W,
        {
            "done": (
                "{S} has completed an audit of how breaches of restraining orders and non-molestation orders are recorded, covering {n_cases} occurrences.",
                "An audit of the recording of breaches of orders was completed in {past_month} and its findings were reported to the {board}.",
                "{S} has audited how breaches of orders are recorded, and the results give assurance that these crimes are being recorded correctly.",
                "{S} has now reviewed the occurrences reported for breaches of restraining orders for the period {period}, and found that most had been recorded correctly.",
            ),
            "in_progress": (
                "{S} is currently auditing the recording of breaches of orders, and the audit is expected to conclude in {future_month}.",
                "An audit of how breaches of orders are recorded is under way, and initial findings have been shared with the {group}.",
                "{S} continues to audit breach of order occurrences each month through the {group} to check that they are recorded correctly.",
            ),
            "planned": (
                "We will commission an audit of the recording of breaches of orders to offer assurance on this process in {place}.",
                "{S} plans to audit how breaches of orders are recorded before the end of {year}.",
                "By {future_date} {s} intends to complete an audit of the recording of breaches of protective orders.",
            ),
            "declined": (
                "{S} does not intend to carry out a separate audit of how breaches of orders are recorded, as compliance is already tested through the routine crime data integrity programme.",
                "A dedicated audit of the recording of breaches of orders is not considered necessary, because every such occurrence is already checked at the daily management meeting.",
                "{S} has decided not to commission a further audit of how breaches of orders are recorded this year.",
            ),
        },
    ),
    Topic(
        "stalking_spoc",
        "appointed a stalking single point of contact",
        "appoint a stalking single point of contact",
        STALKING_REPORTS,
        "spoc",
        _W,
        {
            "done": (
                "{S} has appointed a stalking single point of contact (SPOC), {rank} {name}, who reviews all stalking cases and offers guidance to officers.",
                "A dedicated stalking single point of contact was appointed in {past_month} and now sits within the {unit}.",
                "{S} now has a network of {n_small} stalking single points of contact within its investigation and crime management functions.",
            ),
            "in_progress": (
                "{S} is in the process of appointing stalking single points of contact in each of its {n_small} policing areas.",
                "Recruitment to the new post of stalking single point of contact is under way, and interviews are taking place in {future_month}.",
                "{S} is currently piloting a stalking single point of contact role within the {unit}, and the pilot will be evaluated in {future_month}.",
            ),
            "planned": (
                "{S} plans to appoint a stalking single point of contact within the {unit} during {year}.",
                "By {future_date} {s} intends to have a stalking single point of contact in place to support officers and victims.",
                "{S} will create a stalking single point of contact post once the restructure of the {unit} is complete.",
            ),
            "declined": (
                "{S} has decided not to appoint a dedicated stalking single point of contact, as specialist advice is already available from the {unit} at all times.",
                "A separate stalking single point of contact is not considered necessary given the size of the force.",
                "{S} does not intend to create a stalking single point of contact post at this time.",
            ),
        },
    ),
    Topic(
        "withdraw_pins",
        "withdrew Police Information Notices",
        "withdraw Police Information Notices",
        STALKING_REPORTS,
        "pin",
        (0.45, 0.15, 0.15, 0.07, 0.18),
        {
            "done": (
                "{S} withdrew the use of Police Information Notices (PINs) in {past_month}, and officers have been instructed not to issue them.",
                "Police Information Notices have not been issued in {place} since {past_month}, when their use was formally ended.",
                "{S} has stopped issuing Police Information Notices, and the templates have been removed from force systems.",
            ),
            "in_progress": (
                "{S} is phasing out Police Information Notices, and their use is being monitored until withdrawal is complete.",
                "The withdrawal of Police Information Notices is being rolled out across {place}, with guidance issued to response teams.",
                "{S} is currently removing Police Information Notices from its systems and guidance, and the work is due to finish in {future_month}.",
            ),
            "planned": (
                "{S} will withdraw Police Information Notices in line with the national direction by {future_date}.",
                "{S} plans to end the use of Police Information Notices once replacement guidance has been published.",
                "By {future_date} {s} intends to have withdrawn Police Information Notices from use.",
            ),
            "declined": (
                "{S} has decided not to withdraw Police Information Notices entirely, as they are still considered useful in a small number of harassment cases.",
                "{S} does not intend to withdraw Police Information Notices, which remain available to supervisors in exceptional circumstances.",
                "Withdrawing Police Information Notices altogether is not considered necessary, as their use in {place} is already closely supervised.",
            ),
        },
    ),
    Topic(
        "train_frontline",
        "trained frontline officers on stalking",
        "train frontline officers on stalking",
        STALKING_REPORTS,
        "training",
        (0.4, 0.22, 0.16, 0.04, 0.18),
        {
            "done": (
                "{S} has delivered a {weeks} week programme that trained approximately {n_officers} frontline officers to recognise stalking and harassment.",
                "All frontline officers have now been trained on stalking and harassment, with a further {n_staff} staff trained in the Force Control Room.",
                "Stalking and harassment training was completed in {past_month} for {n_officers} frontline response officers and investigators.",
            ),
            "in_progress": (
                "Stalking awareness training is being rolled out to frontline officers, and {n_officers} officers have attended so far.",
                "{S} is currently delivering stalking and harassment training to all frontline officers, which is due to finish in {future_month}.",
                "{S} continues to train frontline officers on stalking through the College of Policing modules, and {pct} per cent have completed the course so far.",
            ),
            "planned": (
                "All frontline officers are due to receive the College of Policing stalking training modules by {future_date}.",
                "{S} plans to train frontline officers on stalking and harassment during {year}.",
                "{S} will deliver stalking awareness training to all frontline officers in the next training cycle.",
            ),
            "declined": (
                "{S} does not intend to deliver separate stalking training to frontline officers, as the subject is covered in the public protection curriculum.",
                "Additional stalking training for frontline officers is not considered necessary at this time.",
                "{S} has decided not to run a dedicated stalking course for frontline officers this year.",
            ),
        },
    ),
    Topic(
        "npcc_definition",
        "adopted the NPCC definition of stalking",
        "adopt the NPCC definition of stalking",
        STALKING_REPORTS,
        "definition",
        _W,
        {
            "done": (
                "{S} has adopted the NPCC description of stalking to achieve consistency in the understanding of this offence.",
                "The NPCC definition of stalking was adopted by {s} in {past_month} and has been included in force policy.",
                "Following the joint letter from the College of Policing and the NPCC lead, {s} has adopted the common definition of stalking.",
            ),
            "in_progress": (
                "{S} is currently updating its policies to reflect the NPCC definition of stalking.",
                "The NPCC definition of stalking is being incorporated into force guidance and training materials.",
                "{S} is working with partners across {place} to adopt the NPCC definition of stalking, and this work is expected to finish in {future_month}.",
            ),
            "planned": (
                "{S} will adopt the NPCC definition of stalking once the national guidance is published.",
                "{S} plans to adopt the NPCC definition of stalking when force policy is next revised in {future_month}.",
                "By {future_date} {s} intends to adopt the NPCC definition of stalking.",
            ),
            "declined": (
                "{S} has decided not to adopt the NPCC definition of stalking and will continue to use the statutory definitions.",
                "Adopting the NPCC definition of stalking is not considered necessary, as force policy already follows the legislation.",
                "{S} does not intend to adopt the NPCC definition of stalking, preferring the wording of the Protection from Harassment Act 1997.",
            ),
        },
    ),
    Topic(
        "stalking_clinic",
        "set up a multi-agency stalking clinic",
        "set up a multi-agency stalking clinic",
        STALKING_REPORTS,
        "clinic",
        (0.25, 0.2, 0.2, 0.1, 0.25),
        {
            "done": (
                "{S} has launched a multi-agency stalking clinic with mental health and probation partners, which meets {freq}.",
                "A multi-agency stalking clinic was set up in {past_month} and has since reviewed {n_cases} cases.",
                "{S} has established a multi-agency stalking clinic, funded jointly by the force and the Office of the Police and Crime Commissioner.",
            ),
            "in_progress": (
                "{S} has just begun a stalking clinic pilot, where the behaviour of offenders is considered alongside partners such as mental health and probation.",
                "The multi-agency stalking clinic is being rolled out across {place} following a successful pilot in {town}.",
                "{S} is currently setting up a multi-agency stalking clinic with health and probation colleagues.",
            ),
            "planned": (
                "{S} plans to set up a multi-agency stalking clinic with partners during {year}.",
                "A multi-agency stalking clinic will be established by {future_date}, subject to partner funding.",
                "{S} will set up a multi-agency stalking clinic in {town} in {future_month}.",
            ),
            "declined": (
                "{S} has decided not to set up a multi-agency stalking clinic, as high-risk cases are already discussed at the MARAC.",
                "A multi-agency stalking clinic is not considered necessary given the existing case review arrangements in {place}.",
                "{S} does not intend to establish a stalking clinic while partner funding remains unavailable.",
            ),
        },
    ),
    Topic(
        "victim_advocate",
        "funded a dedicated stalking victim advocate",
        "fund a dedicated stalking victim advocate",
        STALKING_REPORTS,
        "advocate",
        (0.3, 0.2, 0.2, 0.1, 0.2),
        {
            "done": (
                "{O} has funded a dedicated stalking advocate within the victim and witness hub.",
                "{O} secured funding for a dedicated stalking and harassment victim advocate, who took up post in {past_month}.",
                "A dedicated stalking victim advocate, funded by {o}, has been in post since {past_month}.",
            ),
            "in_progress": (
                "{O} is currently recruiting a dedicated stalking victim advocate, funded for {n_years} years.",
                "Funding for a dedicated stalking victim advocate is being finalised with {charity}.",
                "{O} is in the process of commissioning a dedicated stalking advocacy service from {charity}.",
            ),
            "planned": (
                "{O} will fund a dedicated stalking victim advocate from {future_month}.",
                "{O} plans to commission a specialist stalking advocate as part of the next victim services contract.",
                "By {future_date} {o} intends to fund a dedicated advocate for victims of stalking.",
            ),
            "declined": (
                "{O} has decided not to fund a separate stalking advocate, as stalking victims are supported by the existing independent domestic violence advisers.",
                "A dedicated stalking victim advocate is not considered necessary, because the commissioned victim care service already supports these victims.",
                "{O} does not intend to fund a dedicated stalking advocate in the current financial year.",
            ),
        },
    ),
    Topic(
        "cps_protocol",
        "implemented the joint CPS/police stalking protocol",
        "implement the joint CPS/police stalking protocol",
        STALKING_REPORTS,
        "protocol",
        (0.42, 0.2, 0.15, 0.05, 0.18),
        {
            "done": (
                "{S} has implemented the joint CPS/police protocol on the handling of stalking and harassment cases.",
                "The joint NPCC/CPS stalking protocol was implemented in {past_month}, and compliance is monitored by the {group}.",
                "{S} complies with the joint CPS/police stalking protocol, which was fully implemented in {past_month}.",
            ),
            "in_progress": (
                "Implementation of the joint CPS/police stalking protocol is being rolled out with the local CPS area.",
                "{S} is currently implementing the joint CPS/police stalking protocol with prosecutors in {place}.",
                "{S} continues to embed the joint CPS/police stalking protocol, working with a named CPS stalking lead.",
            ),
            "planned": (
                "{S} will implement the joint CPS/police stalking protocol by {future_date}.",
                "{S} plans to implement the joint CPS/police protocol on stalking with the local CPS area.",
                "The joint CPS/police stalking protocol is due to be implemented in {future_month}.",
            ),
            "declined": (
                "{S} has decided not to implement the joint CPS/police stalking protocol separately, as its requirements are covered by the existing local prosecution agreement.",
                "A separate implementation of the joint CPS/police stalking protocol is not considered necessary in {place}.",
                "{S} does not intend to implement the joint CPS/police stalking protocol locally.",
            ),
        },
    ),
    Topic(
        "review_spos",
        "reviewed the use of stalking protection orders",
        "review the use of stalking protection orders",
        ("sussex",),
        "",
        _W,
        {
            "done": (
                "{S} has reviewed its use of stalking protection orders, and {n_small} orders have been obtained since the Act came into force.",
                "A review of the use of stalking protection orders was completed in {past_month}, and the findings were shared with the {board}.",
                "{S} has completed a review of stalking protection orders and issued new guidance to investigators.",
            ),
            "in_progress": (
                "{S} is currently reviewing the use of stalking protection orders alongside civil injunctions.",
                "A review of stalking protection orders is under way and will report to the {board} in {future_month}.",
                "{S} continues to monitor the use of stalking protection orders through the {group}.",
            ),
            "planned": (
                "{S} will review the use of stalking protection orders {months} months after the Stalking Protection Act comes into force.",
                "{S} plans to review how stalking protection orders are being used by {future_date}.",
                "A review of stalking protection orders is scheduled for {future_month}.",
            ),
            "declined": (
                "{S} does not intend to review the use of stalking protection orders separately, as they are already monitored within the protective orders performance framework.",
                "A review of stalking protection orders is not considered necessary given the small number issued so far.",
                "{S} has decided not to review stalking protection orders, as the numbers are too small to draw conclusions.",
            ),
        },
    ),
    Topic(
        "record_breaches",
        "recorded breaches of orders as stalking crimes",
        "record breaches of orders as stalking crimes",
        STALKING_REPORTS,
        "recording",
        _W,
        {
            "done": (
                "{S} now records breaches of orders as stalking or harassment crimes where a course of conduct is established.",
                "Since {past_month}, all breaches of restraining orders that form part of a pattern of behaviour have been recorded as stalking or harassment crimes.",
                "{S} has changed its crime recording practice so that breaches of orders are recorded as stalking crimes where appropriate.",
            ),
            "in_progress": (
                "{S} continues to monitor its compliance with crime recording standards for breaches of orders that should be recorded as stalking or harassment.",
                "{S} is reclassifying existing breach of order crimes as stalking where a wider pattern of offending is identified.",
                "Guidance on recording breaches of orders as stalking crimes is being rolled out to the {unit} and response teams.",
            ),
            "planned": (
                "{S} will update its crime recording guidance so that breaches of orders are recorded as stalking crimes where appropriate.",
                "{S} plans to record breaches of orders as stalking or harassment crimes from {future_month}.",
                "By {future_date} {s} intends to record all relevant breaches of orders as stalking or harassment crimes.",
            ),
            "declined": (
                "{S} has decided not to record breaches of orders as separate stalking crimes, and will continue to record them as breach offences.",
                "Changing how breaches of orders are recorded is not considered necessary, as current practice complies with the Home Office Counting Rules.",
                "{S} does not intend to change how breaches of orders are recorded.",
            ),
        },
    ),
    Topic(
        "action_plan",
        "published a stalking and harassment action plan",
        "publish a stalking and harassment action plan",
        STALKING_REPORTS,
        "",
        _W,
        {
            "done": (
                "{S} has published a stalking and harassment action plan, which is overseen by the {board}.",
                "A stalking and harassment strategic action plan was agreed in {past_month} in support of the Police and Crime Plan.",
                "{S} has agreed a stalking and harassment action plan with partners, and progress is reported every quarter.",
            ),
            "in_progress": (
                "The stalking and harassment action plan is being developed with partners and is expected to be agreed in {future_month}.",
                "{S} is currently drafting a stalking and harassment action plan in response to the inspection.",
                "Work on a stalking and harassment action plan is under way through the {group}.",
            ),
            "planned": (
                "A stalking and harassment action plan will be created to make sure that the recommendations of the inspection are embedded in practice.",
                "{S} plans to publish a stalking and harassment action plan by {future_date}.",
                "{S} will produce a stalking and harassment action plan once the gap analysis is complete.",
            ),
            "declined": (
                "{S} has decided not to produce a separate stalking and harassment action plan, as the actions are included in the vulnerability strategy.",
                "A standalone stalking and harassment action plan is not considered necessary.",
                "{S} does not intend to publish a separate stalking and harassment action plan.",
            ),
        },
    ),
    Topic(
        "fraud_spoc",
        "appointed a fraud single point of contact",
        "appoint a fraud single point of contact",
        ("fraud",),
        "fraud",
        _W,
        {
            "done": (
                "{S} has appointed a single point of contact for fraud, {rank} {name}, who coordinates the response to Action Fraud referrals.",
                "A fraud single point of contact was appointed in {past_month} within the Economic Crime Unit.",
                "{S} now has a fraud single point of contact in each of its {n_small} local policing areas.",
            ),
            "in_progress": (
                "{S} is in the process of appointing a fraud single point of contact within the Economic Crime Unit.",
                "Recruitment of a fraud single point of contact is under way, and the post is expected to be filled in {future_month}.",
                "{S} is currently piloting a fraud single point of contact role in {town}.",
            ),
            "planned": (
                "{S} will appoint a fraud single point of contact by {future_date}.",
                "{S} plans to appoint a single point of contact for fraud victims during {year}.",
                "By {future_date} {s} intends to have a fraud single point of contact in post.",
            ),
            "declined": (
                "{S} has decided not to appoint a separate fraud single point of contact, as the regional organised crime unit provides this function.",
                "A dedicated fraud single point of contact is not considered necessary.",
                "{S} does not intend to appoint a fraud single point of contact.",
            ),
        },
    ),
    Topic(
        "older_training",
        "trained officers to recognise abuse of older people",
        "train officers to recognise abuse of older people",
        ("older",),
        "older",
        _W,
        {
            "done": (
                "{S} has trained {n_officers} officers to recognise the abuse of older people.",
                "Training on recognising the abuse of older people was completed in {past_month} for all neighbourhood officers.",
                "All frontline officers have now been trained to recognise the abuse and neglect of older people.",
            ),
            "in_progress": (
                "Training on the abuse of older people is being rolled out to neighbourhood teams.",
                "{S} is currently delivering training on recognising the abuse of older people.",
                "{S} continues to train officers on crimes against older people, and {pct} per cent have been trained so far.",
            ),
            "planned": (
                "{S} will train officers to recognise the abuse of older people during {year}.",
                "{S} plans to include the abuse of older people in the next round of frontline training.",
                "By {future_date} {s} intends to train all neighbourhood officers to recognise the abuse of older people.",
            ),
            "declined": (
                "{S} does not intend to deliver separate training on the abuse of older people, which is covered in existing safeguarding training.",
                "Separate training on the abuse of older people is not considered necessary.",
                "{S} has decided not to run a dedicated course on crimes against older people.",
            ),
        },
    ),
    Topic(
        "roads_strategy",
        "published a roads policing strategy",
        "publish a roads policing strategy",
        ("roads",),
        "roads",
        _W,
        {
            "done": (
                "{S} has published a roads policing strategy, agreed with the {partnership}.",
                "A new roads policing strategy was published in {past_month}.",
                "{S} has adopted and published a roads policing strategy for {place}.",
            ),
            "in_progress": (
                "{S} is currently refreshing its roads policing strategy with the {partnership}.",
                "The roads policing strategy is being drafted, and a consultation with partners closes in {future_month}.",
                "Work on a new roads policing strategy is under way.",
            ),
            "planned": (
                "{S} will publish a roads policing strategy by {future_date}.",
                "{S} plans to publish a roads policing strategy during {year}.",
                "A roads policing strategy will be published in {future_month}.",
            ),
            "declined": (
                "{S} has decided not to publish a separate roads policing strategy, as roads policing is covered by the regional collaboration strategy.",
                "A separate roads policing strategy is not considered necessary.",
                "{S} does not intend to publish a roads policing strategy.",
            ),
        },
    ),
)
TOPIC_BY_ID = {t.id: t for t in TOPICS}

# Phrases that carry a topic status; filler text must never contain them.
TOPIC_PHRASES = re.compile(
    r"audit|single point|SPOC|Information Notice|\bPINs?\b|train|definition|clinic|advoca|protocol|"
    r"protection order|breach|action plan|roads policing strategy|GPS|drone|facial recognition",
    re.I,
)

_LEADS = {
    "done": (
        "I am reassured that ",
        "I can confirm that ",
        "The Chief Constable has assured me that ",
        "I am pleased to report that ",
    ),
    "in_progress": ("I am reassured that ", "The Chief Constable has informed me that ", "I understand that "),
    "planned": ("The Chief Constable has assured me that ", "I understand that ", "I have been informed that "),
    "declined": ("The Chief Constable has informed me that ", "I have been advised that ", "I understand that "),
}
_FOLLOW_ONS = (
    "Progress will be reported to the {board}.",
    "This will be kept under review by the {group}.",
    "The Chief Constable will provide a further update in due course.",
    "",
    "Further detail is available from the force lead for public protection.",
    "",
    "",
)

# --------------------------------------------------------------------------- filler

F_GOV = (
    "The Police and Crime Plan for {area} sets out my priorities for keeping people safe, and protecting vulnerable people remains at its heart.",
    "I hold the Chief Constable to account for the delivery of the Police and Crime Plan through the {board}, which meets {freq}.",
    "Progress against the recommendations of the report will be scrutinised at the {board} and reported to the Police and Crime Panel.",
    "The {board} receives a quarterly performance report covering {subject}, and my office attends as a critical friend.",
    "Under Section 55 of the Police Act 1996, the Police and Crime Commissioner is required to publish a response to HMICFRS reports within 56 days.",
    "My office has considered the findings of the report alongside the force's own self-assessment and the views of partners.",
    "The Chief Constable has provided a detailed response, which has been considered carefully by my office.",
    "Oversight of this work sits with the Assistant Chief Constable for Crime and Justice, who reports to the {board}.",
    "The Joint Audit Committee considered the force's response to HMICFRS recommendations at its meeting in {month_past}.",
    "The findings of the inspection have been discussed at the {group}, where the OPCC sits as a critical friend.",
    "Governance arrangements were strengthened in {year_past} so that every HMICFRS recommendation has a named chief officer lead.",
    "Each recommendation is recorded on the force's HMICFRS tracker and is only closed once the {board} is satisfied with the evidence.",
    "The Deputy Chief Constable chairs a monthly meeting at which the status of all outstanding inspection recommendations is reviewed.",
    "The Police and Crime Panel will receive a summary of this response at its next public meeting.",
    "My office publishes the minutes of the {board} on its website so that the public can see how the force is held to account.",
    "The force's response has been prepared by the strategic lead for {subject}, with contributions from the relevant departments.",
    "I have asked the Chief Constable to provide a further update to the {board} in {month_future}.",
    "The force has a well-established process for responding to national thematic reports, which is overseen by the Strategic Planning team.",
    "The force's response to the report has been [[agreed|endorsed|considered]] by the chief officer group.",
    "Where a recommendation is addressed to national bodies, the force lead monitors progress through the relevant NPCC portfolio.",
    "My office will continue to seek assurance through its scrutiny programme, including dip sampling of case files.",
    "Internal assurance activity is carried out by the [[Professional Standards|Organisational Learning|Corporate Development]] department and reported to the {board}.",
    "A summary of progress will be published on the OPCC website in [[the spring|the summer|the autumn]].",
)
F_PARTNER = (
    "The force works closely with the {n_csp} Community Safety Partnerships in {area} and with local safeguarding boards.",
    "Partners including {partner1} and {partner2} have contributed to the force's response to the report.",
    "Regional collaboration with neighbouring forces, including {other_display}, allows good practice to be shared quickly.",
    "The Local Criminal Justice Board has identified {subject} as a shared priority for {year_now}.",
    "Health, education and housing partners attend the {group}, which meets every {meet_weeks} weeks.",
    "Information sharing agreements with {partner1} were refreshed in {month_past}.",
    "Joint working with {partner1} has improved the way that risk is identified and managed at an early stage.",
    "The force has a strong relationship with {partner1}, and both organisations attend the quarterly strategic partnership meeting.",
    "A partnership event held in {town} on {event_date} brought together more than {n_attendees} practitioners from across {area}.",
    "The Community Safety Partnerships in {area} have agreed to share data so that hotspots of harm can be identified.",
    "Partners have welcomed the opportunity to comment on the force's response, and their feedback has been reflected in this paper.",
    "The force will continue to work with {partner1} and {partner2} to make sure that the needs of victims are understood.",
    "The force is an active member of the regional collaboration for public protection, which shares learning across the [[region|forces in the region]].",
    "Voluntary sector organisations play an important role in supporting victims, and my office provides grant funding to {n_orgs} local charities.",
    "A joint strategic needs assessment, produced with {partner1}, informs the commissioning of services in {area}.",
    "Neighbourhood policing teams in {town} work alongside {partner1} to solve local problems.",
)
F_VICTIM = (
    "Victims in {area} receive support from the commissioned victim care service, which contacted {n_victims} people in the last year.",
    "Every victim is entitled to the services set out in the Code of Practice for Victims of Crime, and compliance is monitored by my office.",
    "Victim satisfaction with the initial police response stands at {pct} per cent, according to the most recent survey.",
    "Listening to the voice of victims remains central to how services are commissioned in {area}.",
    "Feedback from victims has been used to improve the way officers keep people updated about the progress of their case.",
    "The Victim Care Unit contacts every victim within {n_days} days of a crime being reported.",
    "I recently met victims and survivors in {town} to hear directly about their experience of the criminal justice system.",
    "Victims have told us that being believed and kept informed matters as much to them as the outcome of their case.",
    "The victims' panel, which includes people with lived experience, reviewed the draft of this response in {month_past}.",
    "Support for victims does not depend on whether a crime is reported to the police, and self-referrals are welcomed.",
    "The number of victims referred for specialist support rose by {pct_small} per cent in {year_past}.",
    "Vulnerable and intimidated witnesses are offered special measures, and take-up is reviewed every quarter.",
    "Independent sexual violence advisers and independent domestic violence advisers provide specialist support to victims in {area}.",
    "Victims can now [[follow|track]] the progress of their case online, and {pct} per cent of victims say they were kept informed.",
    "A needs assessment is completed for every victim at the point of reporting so that support can be tailored to them.",
)
F_PERF = (
    "Recorded offences of {subject} in {area} increased by {pct_small} per cent in {year_past} compared with the previous year.",
    "The rise in reported offences is thought to reflect greater confidence among victims as well as greater awareness among the public.",
    "The charge rate for {subject} was {pct_tiny} per cent in the twelve months to {month_past}.",
    "Demand on the force has grown significantly, with {n_calls} emergency calls received in {year_past}.",
    "The force faces financial pressures, with savings of £{n_m} million required over the medium term financial plan.",
    "The most recent PEEL assessment graded the force as {grade} at protecting vulnerable people from harm.",
    "Public confidence in policing in {area} remains high, with {pct} per cent of residents agreeing that the police do a good job.",
    "Performance is reported to the {board} each quarter using a dashboard that includes outcome rates and victim feedback.",
    "The average time taken to finalise an investigation has fallen from {n_days_big} days to {n_days_mid} days over the last two years.",
    "Crime data integrity was last inspected in {year_past}, when the force was graded as {grade}.",
    "The volume of crime recorded by the force has increased by {pct_small} per cent over three years, placing additional demand on investigators.",
    "Outcome rates are compared each quarter with those of the most similar group of forces.",
)
F_WORK = (
    "The force has recruited {n_recruits} new officers this year as part of the national uplift programme.",
    "Officer wellbeing remains a priority, and the force has invested in occupational health and trauma support.",
    "New investigators joining the force complete a structured programme of mentoring and supervision.",
    "The workforce plan for {year_now} includes additional investigators for the public protection command.",
    "Supervisors review a sample of investigations each month to make sure that standards are maintained.",
    "The force's leadership programme now includes a module on working with victims and partners.",
)
F_STALKING = (
    "Stalking and harassment can have a devastating and long-lasting impact on victims, and it is right that the police response is scrutinised.",
    "National Stalking Awareness Week in {nsaw} was supported with a series of [[articles|press releases|briefings]] and social media messages.",
    "The Suzy Lamplugh Trust and Paladin continue to provide valuable national advice and support to victims of stalking.",
    "The report made a number of recommendations for chief constables, the College of Policing and the Crown Prosecution Service.",
    "Many of the recommendations are addressed to national bodies, and the force will respond to these as national guidance is issued.",
    "Stalking and harassment remains a priority within the force's vulnerability strategy.",
    "Stalking is often fixated, obsessive and repeated behaviour, and victims can suffer for many months before they report it.",
    "Having heard directly from victims of stalking, I know how frightening and isolating this crime can be.",
    "The force recognises that stalking is frequently linked to domestic abuse and coercive and controlling behaviour.",
    "The number of stalking offences reported in {area} has risen steadily since {year_early}, which reflects increased awareness among victims.",
    "The Stalking Protection Act 2019 introduced new civil orders, and the force has welcomed these additional powers.",
    "The force supported the national media campaign on stalking with local messages on social media.",
    "Cases of stalking and harassment are reviewed at the daily management meeting so that risk to victims is identified quickly.",
    "I would like to thank {sussex_pcc}, the Police and Crime Commissioner for Sussex, for commissioning the inspection that informed these recommendations.",
    "The learning from the inspection of Sussex Police has been considered carefully in {area}.",
    "Stalking behaviours increasingly include the use of social media and other online platforms, which presents new challenges for investigators.",
    "Victims of stalking often experience many incidents before they contact the police for the first time.",
    "The force's public protection command leads the response to stalking and harassment.",
    "Feedback from victims of stalking has highlighted the importance of being believed when they first report.",
    "{display_cap}'s use of a single point of contact to support officers and victims of hate crime was highlighted as good practice in the HMICFRS hate crime inspection.",
)
F_GENERIC = (
    "The report on {subject} has been considered in detail by the force and by my office.",
    "The force welcomes the findings of the inspection and recognises that there is more to do to improve its response to {subject}.",
    "Many of the recommendations are addressed to national bodies, and the force will respond to these as guidance is issued.",
    "The force lead for {subject} has reviewed current practice against each of the areas identified by the inspectorate.",
    "The force's response to {subject} is reported to the {board} every six months.",
    "Officers and staff have been briefed on the findings of the report through the force intranet and team briefings.",
    "The force recognises the importance of {subject} to public confidence in policing.",
    "The strategic lead for {subject} is a chief superintendent, supported by a working group that meets {freq}.",
)
F_CLOSING = (
    "I can confirm that my office will continue to support the Chief Constable to make sure that victims receive the best service possible.",
    "I will continue to monitor progress closely and would be happy to provide further information if required.",
    "I trust this response provides assurance that the recommendations are being taken seriously in {area}.",
    "I am grateful to the inspectorate for its report and to the officers and staff who continue to work hard on behalf of victims.",
)
# Filler sentences that share words with a topic without stating it (hard negatives).
DISTRACTORS = (
    "The Joint Audit Committee considered the force's response to HMICFRS recommendations at its meeting in {month_past}.",
    "{display_cap}'s use of a single point of contact to support officers and victims of hate crime was highlighted as good practice in the HMICFRS hate crime inspection.",
)
_FILLER_BANKS = {"gov": F_GOV, "partner": F_PARTNER, "victim": F_VICTIM, "perf": F_PERF, "work": F_WORK}

WELSH_LANGUAGE = (
    "Rydym yn croesawu gohebiaeth yn y Gymraeg, a phan ddaw i law, byddwn yn ateb yn y Gymraeg – ni fydd hyn yn "
    "gohirio ein hymateb. Os hoffech dderbyn gohebiaeth yn y Gymraeg o hyn ymlaen, anfonwch e-bost at: {email}.",
    "We welcome correspondence in Welsh and where received, we will reply in Welsh – this will not delay our response. "
    "If you wish to receive correspondence in Welsh hereafter, send an email to: {email}.",
)

# --------------------------------------------------------------------------- helpers


def ordinal(d: date) -> str:
    n = d.day
    suf = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf} {MONTHS[d.month - 1]} {d.year}"


def long_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def month_year(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def _num(n: int) -> str:
    return f"{n:,}"


_LATIN1 = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "ŵ": "w", "ŷ": "y", "\u00a0": " "}
)


def to_latin1(s: str) -> str:
    """What the core PDF fonts can show: typographic punctuation simplified, the rest '?'."""
    return s.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    if hi <= lo:
        return lo
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


class _Slots(dict):
    """str.format_map mapping that draws slot values on demand and remembers the numbers."""

    def __init__(self, makers: dict[str, Callable[[], Any]], fixed: dict[str, str]):
        super().__init__(fixed)
        self.makers = makers
        self.numbers: dict[str, str] = {}

    def __missing__(self, key: str) -> str:
        value = self.makers[key]()
        if isinstance(value, int):
            value = _num(value)
            self.numbers[key] = value
        self[key] = value
        return value


# --------------------------------------------------------------------------- planning


@dataclass
class DocPlan:
    force: str
    report: str
    kind: str  # LETTER, BOARD, COMMENTS
    date: date
    index: int = -1
    file: str = ""
    mentions: list[tuple[str, str, date | None]] = field(default_factory=list)  # (topic, status, previous mention date)


@dataclass
class People:
    pccs: list[tuple[date, str]]
    chiefs: list[tuple[date, str]]
    board: str

    def pcc(self, d: date) -> str:
        return [n for start, n in self.pccs if start <= d][-1]

    def chief(self, d: date) -> str:
        return [n for start, n in self.chiefs if start <= d][-1]


def _people(seed: int, force: str) -> People:
    rng = random.Random(f"{seed}:people:{force}")
    first = _person(rng) + rng.choice(POSTNOMINALS)
    pccs = [(date(2000, 1, 1), first)]
    if rng.random() < 0.5:
        pccs.append((date(2021, 5, 13), _person(rng)))
    chiefs = [(date(2000, 1, 1), _person(rng) + rng.choice(POSTNOMINALS))]
    if rng.random() < 0.5:
        chiefs.append((_rand_date(rng, date(2018, 1, 1), date(2021, 12, 31)), _person(rng) + rng.choice(POSTNOMINALS)))
    if force == "Metropolitan":
        board = "MOPAC Oversight Board"
    elif force == "City of London":
        board = "Police Authority Board"
    else:
        board = rng.choice(BOARDS)
    return People(pccs, chiefs, board)


_KIND_WEIGHTS = {"lif": (0.3, 0.5, 0.2), "sussex": (0.45, 0.3, 0.25)}


def _plan_force(seed: int, force: str, k: int) -> list[DocPlan]:
    rng = random.Random(f"{seed}:force:{force}")
    if k <= 3:
        n_stalk = k
    else:
        n_stalk = max(3, min(12, round(k / 4)))
    if n_stalk == 1:
        reports = ["sussex"]
    else:
        n_lif = max(1, n_stalk // 3)
        reports = ["lif"] * n_lif + ["sussex"] * (n_stalk - n_lif)
    others = list(OTHER_REPORTS)
    rng.shuffle(others)
    # The topic-bearing reports first, so that mid-sized corpora carry their topics.
    others.sort(key=lambda r: r not in ("fraud", "older", "roads"))
    reports += [others[i % len(others)] for i in range(k - n_stalk)]
    used: set[date] = set()
    plans = []
    for rep in reports:
        lo, hi = REPORTS[rep].window
        for _ in range(1000):
            d = _rand_date(rng, lo, hi)
            if d not in used and d.weekday() < 5:
                break
        else:  # the window is full: widen it
            d = max(used) + timedelta(days=1)
            while d in used:
                d += timedelta(days=1)
        used.add(d)
        kind = rng.choices((LETTER, BOARD, COMMENTS), _KIND_WEIGHTS.get(rep, (0.4, 0.35, 0.25)))[0]
        plans.append(DocPlan(force, rep, kind, d))
    plans.sort(key=lambda p: p.date)
    return plans


def _plan_topics(seed: int, force: str, plans: list[DocPlan]) -> None:
    """Choose each topic's final status and which documents mention it (in `plans[*].mentions`)."""
    rng = random.Random(f"{seed}:topics:{force}")
    for topic in TOPICS:
        eligible = [p for p in plans if p.report in topic.reports]
        status = rng.choices(STATUSES, topic.weights)[0]
        if not eligible or status == "not_mentioned":
            continue
        m = min(len(eligible), rng.choice((1, 1, 2, 2, 3)))
        chosen = sorted(rng.sample(eligible, m), key=lambda p: p.date)
        earlier = {
            "done": ("planned", "in_progress"),
            "in_progress": ("planned", "in_progress"),
            "planned": ("planned",),
            "declined": ("planned", "in_progress"),
        }[status]
        statuses = sorted((rng.choice(earlier) for _ in range(m - 1)), key=_RANK.__getitem__) + [status]
        prev: date | None = None
        for p, st in zip(chosen, statuses):
            p.mentions.append((topic.id, st, prev))
            prev = p.date


def _plan(n_docs: int, seed: int, forces: Sequence[str]) -> list[DocPlan]:
    rng = random.Random(f"{seed}:plan")
    order = list(forces)
    rng.shuffle(order)
    plans: list[DocPlan] = []
    for i, force in enumerate(order):
        k = n_docs // len(order) + (1 if i < n_docs % len(order) else 0)
        if k:
            fp = _plan_force(seed, force, k)
            _plan_topics(seed, force, fp)
            plans += fp
    plans.sort(key=lambda p: (p.date, p.force))
    names: set[str] = set()
    short = {LETTER: "pcc-letter", BOARD: "board-paper", COMMENTS: "comments"}
    for i, p in enumerate(plans):
        p.index = i
        r = random.Random(f"{seed}:name:{i}")
        stem = (
            f"hmicfrs-response-{r.randrange(16**6):06x}"
            if r.random() < 0.15
            else f"{_slug(p.force)}-{short[p.kind]}-{p.date.isoformat()}"
        )
        name, n = stem, 2
        while name in names:
            name, n = f"{stem}-{n}", n + 1
        names.add(name)
        p.file = name
    return plans


# --------------------------------------------------------------------------- writing

Block = tuple  # ("letterhead"|"lines", [str]) | ("heading", str) | ("para", str, evidence) | ("num", str, str, evidence) | ("table", [h1, h2], [[c1, c2]], evidence) | ("blank",)


@dataclass
class Rendered:
    index: int
    file: str
    blocks: list[Block]
    header: str
    title: str
    author_name: str
    author_role: str
    author_title: str
    recipient: str | None
    md: bool
    mentions: list[dict]


class _Writer:
    def __init__(self, seed: int, plan: DocPlan, people: People, sussex_pcc: str):
        self.p = plan
        self.rng = random.Random(f"{seed}:doc:{plan.index}")
        self.people = people
        self.report = REPORTS[plan.report]
        self.info = _info(plan.force)
        self.display = _display(plan.force)
        self.sussex_pcc = sussex_pcc
        self.used: set[str] = set()
        self.voice = "pcc" if plan.kind in (LETTER, COMMENTS) else "cc"
        org = self.info.org
        self.subjects = [self.display, "the force"] + (["the Constabulary"] if org == "Constabulary" else [])
        if plan.force == "Metropolitan":
            self.subjects = [self.display, "the MPS", "the Service"]

    # ------------------------------------------------------------ slots
    def _makers(self, lower: date | None) -> dict[str, Callable[[], Any]]:
        rng, d, force = self.rng, self.p.date, self.p.force
        big = 4 if force in ("Metropolitan", "Greater Manchester", "West Midlands", "West Yorkshire") else 1
        lo = max(lower + timedelta(days=1) if lower else d - timedelta(days=330), d - timedelta(days=330))
        hi = d - timedelta(days=20)
        if hi < lo:
            hi = lo = min(d, max(lo, d - timedelta(days=20)))

        def past() -> date:
            return _rand_date(rng, lo, hi)

        def period() -> str:
            a = past()
            b = min(d - timedelta(days=5), a + timedelta(days=rng.randrange(60, 180)))
            return f"{long_date(a)} to {long_date(max(a, b))}"

        def future_date() -> str:
            cands = [date(y, m, dd) for y in (d.year, d.year + 1) for m, dd in ((3, 31), (6, 30), (9, 30), (12, 31))]
            return long_date(rng.choice([c for c in cands if c > d + timedelta(days=45)][:3]))

        others = [f for f in FORCE_INFO if f != force]
        return {
            "n_officers": lambda: rng.randrange(150, 1900, 10) * big,
            "n_staff": lambda: rng.randrange(40, 400, 5),
            "n_cases": lambda: rng.randrange(25, 480),
            "n_small": lambda: rng.randint(3, 18),
            "weeks": lambda: rng.choice((6, 8, 10, 12, 16, 20, 24)),
            "pct": lambda: rng.randint(40, 92),
            "pct_small": lambda: rng.randint(3, 38),
            "pct_tiny": lambda: rng.randint(4, 19),
            "months": lambda: rng.choice((6, 12)),
            "n_years": lambda: rng.choice(("two", "three")),
            "past_month": lambda: month_year(past()),
            "month_past": lambda: month_year(past()),
            "future_month": lambda: month_year(d + timedelta(days=rng.randrange(40, 240))),
            "month_future": lambda: month_year(d + timedelta(days=rng.randrange(40, 240))),
            "future_date": future_date,
            "year": lambda: str(d.year if d.month <= 8 else d.year + 1),
            "year_now": lambda: str(d.year),
            "year_past": lambda: str(d.year - 1),
            "year_early": lambda: str(d.year - rng.randint(3, 6)),
            "event_date": lambda: ordinal(past()),
            "period": period,
            "board": lambda: self.people.board,
            "group": lambda: rng.choice(GROUPS),
            "unit": lambda: rng.choice(UNITS),
            "rank": lambda: rng.choice(RANKS),
            "name": lambda: _person(rng),
            "town": lambda: self.town(),
            "place": lambda: force,
            "area": lambda: force,
            "charity": lambda: rng.choice(
                ("the Suzy Lamplugh Trust", "Paladin", "Victim Support", "a local domestic abuse charity")
            ),
            "freq": lambda: rng.choice(("fortnightly", "monthly", "every week", "every month")),
            "partnership": lambda: rng.choice(
                ("Road Safety Partnership", "Safer Roads Partnership", "regional roads policing collaboration")
            ),
            "partner1": lambda: rng.choice(PARTNERS),
            "partner2": lambda: rng.choice(PARTNERS),
            "other_display": lambda: _display(rng.choice(others)),
            "n_csp": lambda: rng.randint(3, 14),
            "n_orgs": lambda: rng.randint(8, 60),
            "meet_weeks": lambda: rng.choice((2, 4, 6, 8)),
            "nsaw": lambda: f"April {d.year if d.month > 4 else d.year - 1}",
            "n_victims": lambda: rng.randrange(2000, 40000, 10) * big,
            "n_days": lambda: rng.randint(2, 10),
            "n_days_big": lambda: rng.randint(30, 90),
            "n_days_mid": lambda: rng.randint(12, 29),
            "n_calls": lambda: rng.randrange(60000, 300000, 100) * big,
            "n_m": lambda: rng.randint(8, 45) * big,
            "n_recruits": lambda: rng.randrange(60, 400, 5) * big,
            "n_attendees": lambda: rng.randrange(40, 250, 5),
            "grade": lambda: rng.choice(("good", "requires improvement", "good", "outstanding")),
            "subject": lambda: self.report.subject,
            "sussex_pcc": lambda: self.sussex_pcc,
            "display_cap": lambda: self.display,
        }

    def town(self) -> str:
        parts = [x.strip() for x in self.info.street.split(",")]
        return parts[-1]

    def fill(self, template: str, lower: date | None = None, status: str | None = None) -> tuple[str, dict[str, str]]:
        rng = self.rng
        subj = rng.choice(self.subjects)
        if self.voice == "pcc":
            office = (
                rng.choice(("My office", "The OPCC"))
                if self.p.kind == LETTER
                else rng.choice(("The OPCC", "The Office of the Police and Crime Commissioner"))
            )
        else:
            office = rng.choice(("The OPCC", "The Office of the Police and Crime Commissioner"))
        if self.p.force == "Metropolitan":
            office = "MOPAC"
        if template.startswith("{S}") and status and self.p.kind == LETTER and rng.random() < 0.5:
            template = rng.choice(_LEADS[status]) + "{s}" + template[3:]
        slots = _Slots(
            self._makers(lower),
            {
                "S": subj[0].upper() + subj[1:],
                "s": subj,
                "O": office,
                "o": office[0].lower() + office[1:] if office.startswith(("My", "The")) else office,
            },
        )
        template = _ALT_RE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
        text = template.format_map(slots)
        return text[0].upper() + text[1:], slots.numbers

    def filler(self, banks: Sequence[Sequence[str]], voice: str) -> str:
        """A filler sentence not yet used in this document, in the given voice ("pcc" may say I/my)."""

        def fits(t: str) -> bool:
            if self.report.key != "sussex" and ("Sussex" in t or "Stalking Protection Act" in t):
                return False  # the 2019 inspection and Act do not belong in other responses
            return voice == "pcc" or not _FIRST_PERSON.search(t)

        context = F_STALKING if self.report.stalking else F_GENERIC
        pool = [t for b in banks for t in b if t not in self.used and fits(t)]
        if not pool:
            pool = [t for b in (context, *_FILLER_BANKS.values()) for t in b if t not in self.used and fits(t)]
        if not pool:
            self.used.clear()
            pool = [t for b in banks for t in b if fits(t)]
        t = self.rng.choice(pool)
        self.used.add(t)
        # Filler events (meetings, reviews of this response) happen after the report came out.
        return self.fill(t, lower=self.report.published)[0]

    def filler_para(self, n: int | None = None, voice: str | None = None) -> str:
        voice = voice or self.voice
        banks = [F_STALKING if self.report.stalking else F_GENERIC]
        extra = list(_FILLER_BANKS.values())
        n = n or self.rng.randint(2, 4)
        out = []
        for i in range(n):
            b = banks if i == 0 or self.rng.random() < 0.35 else [self.rng.choice(extra)]
            out.append(self.filler(b, voice))
        return " ".join(out)

    # ------------------------------------------------------------ topic paragraphs
    def topic_sentences(self) -> list[tuple[str, dict]]:
        """(paragraph text, mention record) per planned mention."""
        out = []
        for topic_id, status, prev in self.p.mentions:
            topic = TOPIC_BY_ID[topic_id]
            template = self.rng.choice(topic.templates[status])
            sentence, numbers = self.fill(template, prev, status)
            follow = self.rng.choice(_FOLLOW_ONS)
            para = sentence + (" " + self.fill(follow)[0] if follow and status != "done" else "")
            out.append(
                (
                    para,
                    {
                        "topic": topic.name,
                        "topic_id": topic_id,
                        "status": status,
                        "sentence": sentence,
                        "numbers": numbers,
                        "rec": topic.rec,
                    },
                )
            )
        self.rng.shuffle(out)
        return out


def _letterhead(w: _Writer, role: str) -> list[str]:
    force, info = w.p.force, w.info
    title, office = _pcc_title(force)
    email = f"opcc@{info.domain}.pnn.police.uk" if force not in ("Metropolitan",) else "mopac@london.gov.uk"
    pcc = w.people.pcc(w.p.date)
    if role == "cc":
        lines = [w.display] if not info.welsh else [f"Heddlu {info.welsh} | {w.display}"]
        lines += [info.street, info.postcode, f"Tel: {info.tel}"]
        return lines
    if info.welsh:
        return [
            f"Swyddfa Comisiynydd Heddlu a Throseddu {info.welsh} | Office of the Police and Crime Commissioner for {force}",
            f"{info.street}, {info.postcode}",
            f"Ffôn | Tel: {info.tel}   E-bost | Email: {email}",
            f"Comisiynydd Heddlu a Throseddu {info.welsh} | Police and Crime Commissioner for {force}: {pcc}",
        ]
    lines = [office, *[s.strip() for s in info.street.split(",")], info.postcode, f"Tel: {info.tel}", f"Email: {email}"]
    if w.rng.random() < 0.5:
        lines.append(f"Twitter: @PCC{force.replace(' ', '').replace('-', '')}")
    return lines


def _home_secretary(d: date) -> str:
    return [n for start, n in HOME_SECRETARIES if start <= d][-1]


def _target(w: _Writer) -> int:
    return w.rng.randint(*TARGET_CHARS)


def _size(blocks: list[Block]) -> int:
    n = 0
    for b in blocks:
        if b[0] in ("letterhead", "lines"):
            n += sum(len(x) + 1 for x in b[1])
        elif b[0] == "heading" or b[0] == "para":
            n += len(b[1]) + 2
        elif b[0] == "num":
            n += len(b[2]) + len(b[1]) + 3
        elif b[0] == "table":
            n += sum(len(c) + 1 for row in [b[1], *b[2]] for c in row)
    return n


def _write_letter(w: _Writer) -> Rendered:
    p, rep, rng = w.p, w.report, w.rng
    title, office = _pcc_title(p.force)
    pcc = w.people.pcc(p.date)
    hs = _home_secretary(p.date)
    blocks: list[Block] = [("letterhead", _letterhead(w, "pcc")), ("blank",)]
    blocks.append(
        ("lines", [f"The Rt Hon {hs} MP", "Home Secretary", "Home Office", "2 Marsham Street", "London", "SW1P 4DF"])
    )
    blocks.append(("blank",))
    blocks.append(("lines", [ordinal(p.date)]))
    blocks.append(("lines", ["Dear Home Secretary"]))
    subject = rng.choice(
        (
            f"HMICFRS Inspection: {rep.short}",
            f"Response to the HMICFRS report – {rep.title}",
            f"The police response to HMICFRS national thematic report – {rep.short}",
        )
    )
    blocks.append(("heading", subject))
    opening = rng.choice(
        (
            f"Under Section 55(5) of the Police Act 1996, I am pleased to provide my formal response to the HMICFRS report '{rep.title}'.",
            f"As required by statute, I am writing to you to respond, from a {p.force} perspective, to the recommendations within the HMICFRS report '{rep.title}'.",
            f"I write in response to the HMICFRS report '{rep.title}', published on {long_date(rep.published)}, as required by Section 55 of the Police Act 1996.",
        )
    )
    blocks.append(("para", opening + " " + w.filler_para(1), False))
    if rng.random() < 0.6:
        for i, (rec, _) in enumerate(rep.recs[: rng.randint(1, 2)], 1):
            blocks.append(("heading", f"Recommendation {i}:"))
            blocks.append(("para", rec, False))
    mentions = w.topic_sentences()
    body: list[Block] = [("para", text, True) for text, _ in mentions]
    target = _target(w)
    closing = ("para", w.fill(rng.choice(F_CLOSING))[0], False)  # letters only: first person
    sign = [("lines", ["Yours sincerely"]), ("blank",), ("lines", [pcc, *title.split(", ", 1)])]
    cc = ("lines", [f"cc: HM Inspector of Constabulary; {w.people.chief(p.date)}, {_chief_title(p.force)}"])
    welsh = []
    if w.info.welsh:
        email = f"opcc@{w.info.domain}.pnn.police.uk"
        welsh = [("para", t.format(email=email), False) for t in WELSH_LANGUAGE]
    while _size(blocks + body + welsh + [closing] + sign) < target:
        body.insert(rng.randint(0, len(body)), ("para", w.filler_para(), False))
    if welsh:
        at = rng.randint(0, len(body))
        body[at:at] = welsh
    blocks += body + [closing] + sign + [cc]
    header = (
        f"Comisiynydd Heddlu a Throseddu {w.info.welsh} | Police and Crime Commissioner for {p.force}"
        if w.info.welsh
        else office
    )
    if p.force in ("Metropolitan", "City of London", "Greater Manchester"):
        header = f"{office} | {w.display}"
    return Rendered(
        p.index,
        p.file,
        blocks,
        header,
        subject,
        pcc,
        PCC_ROLE,
        title,
        f"The Rt Hon {hs} MP, Home Secretary",
        rng.random() < 0.4,
        [m for _, m in mentions],
    )


def _write_board(w: _Writer) -> Rendered:
    p, rep, rng = w.p, w.report, w.rng
    chief = w.people.chief(p.date)
    chief_title = _chief_title(p.force)
    board = w.people.board
    blocks: list[Block] = []
    blocks.append(("letterhead", rng.choice(([f"Creating a safer {p.force}"], _letterhead(w, "cc")))))
    blocks.append(("blank",))
    sender = chief_title if rng.random() < 0.5 else f"{_bare_name(chief)}, {chief_title}"
    blocks.append(("lines", [f"To: {board}", f"From: {sender}", f"Date: {long_date(p.date)}"]))
    title = rng.choice(
        (
            f"A report on the response to the HMICFRS report '{rep.short}'.",
            f"The {w.info.org} response to the HMICFRS report “{rep.title}”.",
            f"Progress update: HMICFRS {rep.short} recommendations",
        )
    )
    blocks.append(("heading", title))
    mentions = w.topic_sentences()
    sections: list[tuple[str, list[tuple[str, bool]]]] = [
        (
            "Purpose",
            [
                (
                    f"The purpose of this paper is to update the {board} (the “Board”) on the response to the report "
                    f"“{rep.title}”, published by HMICFRS on {long_date(rep.published)}.",
                    False,
                )
            ],
        ),
        ("Recommendations", [("The Board is recommended to note the contents of the report.", False)]),
        ("Background", [(rng.choice(rep.findings), False)]),
        ("Progress", [(t, True) for t, _ in mentions]),
        ("Next steps", []),
    ]
    target = _target(w)
    tail = [
        ("heading", "Recommendation"),
        ("para", "The Board is asked to note the response and progress against the HMICFRS recommendations.", False),
        ("lines", [f"Contact Officer: {rng.choice(RANKS)} {_person(rng)}, force lead for {rep.subject}"]),
        ("blank",),
        (
            "lines",
            [chief, chief_title if p.force in ("Metropolitan", "City of London") else f"Chief Constable, {w.display}"],
        ),
    ]

    def build() -> list[Block]:
        out = list(blocks)
        for si, (name, paras) in enumerate(sections, 1):
            out.append(("heading", f"{si}. {name}"))
            for pi, (text, ev) in enumerate(paras, 1):
                out.append(("num", f"{si}.{pi}", text, ev))
        return out + tail

    while _size(build()) < target:
        sec = rng.choice((2, 3, 3, 4))
        paras = sections[sec][1]
        paras.insert(rng.randint(0 if sec != 2 else 1, len(paras)), (w.filler_para(rng.randint(1, 3)), False))
    return Rendered(
        p.index,
        p.file,
        build(),
        f"{w.display} | {board} | OFFICIAL",
        title,
        chief,
        CC_ROLE,
        chief_title,
        board,
        rng.random() < 0.5,
        [m for _, m in mentions],
    )


def _write_comments(w: _Writer) -> Rendered:
    p, rep, rng = w.p, w.report, w.rng
    title, office = _pcc_title(p.force)
    pcc = w.people.pcc(p.date)
    dated = rng.choice(("Date: {}", "Date: {}", "Published: {}", "Date of publication: {}")).format(long_date(p.date))
    blocks: list[Block] = [("heading", rep.title.upper()), ("lines", [dated])]
    mentions = w.topic_sentences()
    in_table = [(t, m) for t, m in mentions if m["rec"] and any(m["rec"] == k for _, k in rep.recs)]
    loose = [(t, m) for t, m in mentions if (t, m) not in in_table]
    cc_paras: list[tuple[str, bool]] = [
        (
            rng.choice(
                (
                    f"The Chief Constable intends to use the learning from this inspection to make sure that the best possible service is delivered in {p.force}.",
                    f"The Chief Constable welcomes the report and has considered its recommendations carefully for {p.force}.",
                )
            ),
            False,
        )
    ]
    cc_paras += [(t, True) for t, _ in loose]
    rows = []
    lead = f"Force Lead for {rep.subject[0].upper()}{rep.subject[1:]}"
    for rec, key in rep.recs:
        cell = [t for t, m in in_table if m["rec"] == key]
        if not cell:
            cell = [
                rng.choice(
                    (
                        "This recommendation is addressed to the NPCC lead. The force will await further information.",
                        f"The force is reviewing its current practice against this recommendation and will report progress to the {w.people.board}.",
                        "The force's policy and guidance are being reviewed in the light of this recommendation.",
                    )
                )
            ]
        rows.append([rec, cell + [lead]])
    pcc_paras: list[str] = [
        rng.choice(
            (
                f"I am pleased to see that {w.display} has taken a number of the steps that HMICFRS identified from its inspection.",
                f"I welcome this report and the response of {w.display} to its recommendations.",
            )
        )
    ]
    target = _target(w)
    sig = ("lines", [pcc, *title.split(", ", 1)] if "," in title else [pcc, "Police and Crime Commissioner", p.force])
    short = {"Devon and Cornwall": "D&C"}.get(p.force, p.force)

    def build() -> list[Block]:
        out = list(blocks)
        out.append(("heading", "Chief Constable's comments"))
        out += [("para", t, ev) for t, ev in cc_paras]
        out.append(("table", ["Recommendations", f"{short} Response"], rows, True))
        out.append(("heading", "Police and Crime Commissioner's comments"))
        out += [("para", t, False) for t in pcc_paras]
        out.append(("blank",))
        out.append(sig)
        return out

    while _size(build()) < target:
        if rng.random() < 0.4:
            cc_paras.insert(rng.randint(1, len(cc_paras)), (w.filler_para(voice="cc"), False))
        else:
            pcc_paras.insert(rng.randint(1, len(pcc_paras)), w.filler_para(voice="pcc"))
    return Rendered(
        p.index,
        p.file,
        build(),
        f"{w.display} | Response to HMICFRS: {rep.short}",
        rep.title,
        pcc,
        PCC_ROLE,
        title,
        None,
        rng.random() < 0.5,
        [m for _, m in mentions],
    )


_WRITERS = {LETTER: _write_letter, BOARD: _write_board, COMMENTS: _write_comments}

# --------------------------------------------------------------------------- rendering

_ALT_RE = re.compile(r"\[\[(.*?)\]\]")
_FIRST_PERSON = re.compile(r"\b(?:I|my|My|me)\b")
_ORD_RE = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b")


def render_txt(doc: Rendered) -> str:
    """Plain text, with the markdown-ish debris of PDF extraction in some documents."""
    md = doc.md
    out: list[str] = []
    for b in doc.blocks:
        kind = b[0]
        if kind in ("letterhead", "lines"):
            out.append("\n".join(b[1]))
        elif kind == "blank":
            out.append("")
        elif kind == "heading":
            out.append(f"**{b[1]}**" if md else b[1])
        elif kind == "para":
            text = b[1] if (b[2] or not md) else _ORD_RE.sub(r"\1<sup>\2</sup>", b[1])
            out.append(text)
        elif kind == "num":
            out.append(f"{'- ' if md else ''}{b[1]} {b[2]}")
        elif kind == "table":
            rows = ["\t".join(b[1])]
            for rec, cell in b[2]:
                resp = " ".join(f"<p>{c}</p>" for c in cell) if md else " ".join(cell)
                rows.append(f"{rec}\t{resp}")
            out.append("\n".join(rows))
    return "\n\n".join(out) + "\n"


def render_pdf(doc: Rendered, doc_date: date) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    header = to_latin1(doc.header)

    class _PDF(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, header, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0, 0, 0)
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _PDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(20, 15, 20)
    pdf.set_creation_date(datetime(doc_date.year, doc_date.month, doc_date.day, 9, 0, tzinfo=UTC))
    pdf.set_title(to_latin1(doc.title))
    pdf.set_author(to_latin1(doc.author_name))
    pdf.set_creator("evals.gencorpus")
    pdf.add_page()
    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    for b in doc.blocks:
        kind = b[0]
        if kind == "letterhead":
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 5, to_latin1(b[1][0]), **nl)
            pdf.set_font("Helvetica", "", 9)
            for line in b[1][1:]:
                pdf.multi_cell(0, 4.5, to_latin1(line), **nl)
            pdf.ln(2)
        elif kind == "lines":
            pdf.set_font("Helvetica", "", 10)
            for line in b[1]:
                pdf.multi_cell(0, 5, to_latin1(line), **nl)
        elif kind == "blank":
            pdf.ln(4)
        elif kind == "heading":
            pdf.ln(1)
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 5.5, to_latin1(b[1]), **nl)
            pdf.ln(1)
        elif kind == "para":
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, to_latin1(b[1]), **nl)
            pdf.ln(2)
        elif kind == "num":
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, to_latin1(f"{b[1]} {b[2]}"), **nl)
            pdf.ln(2)
        elif kind == "table":
            pdf.set_font("Helvetica", "", 9)
            with pdf.table(col_widths=(70, 100), line_height=4.5, text_align="LEFT") as table:
                row = table.row()
                for h in b[1]:
                    row.cell(to_latin1(h))
                for rec, cell in b[2]:
                    row = table.row()
                    row.cell(to_latin1(rec))
                    row.cell(to_latin1("\n".join(cell)))
            pdf.ln(3)
    return bytes(pdf.output())


# --------------------------------------------------------------------------- ground truth


@dataclass
class GroundTruth:
    seed: int
    n_docs: int
    format: str
    documents: list[dict]
    topics: list[str]
    status: dict[str, dict[str, dict]]
    questions: list[dict]
    compare: list[dict]
    topic_details: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _questions(status: dict[str, dict[str, dict]], forces: Sequence[str], present: set[str]) -> list[dict]:
    rng = random.Random("questions")
    qs: list[dict] = []

    def latest_files(fs: list[str], tname: str) -> list[str]:
        return sorted({status[f][tname]["evidence"][0]["file"] for f in fs})

    for t in TOPICS:
        by: dict[str, list[str]] = {s: [] for s in STATUSES}
        for f in forces:
            by[status[f][t.name]["status"]].append(f)
        neg_done = sorted(by["planned"] + by["not_mentioned"] + by["declined"])
        if by["done"]:
            qs.append(
                {
                    "id": f"gen-{t.id}-done",
                    "question": rng.choice(
                        (
                            f"Which forces have {t.name}?",
                            f"Which police forces report that they have {t.name}?",
                            f"List the forces that have {t.name}.",
                        )
                    ),
                    "expect": {
                        "docs": latest_files(by["done"], t.name),
                        "forces": sorted(by["done"]),
                        "not_forces": neg_done,
                    },
                }
            )
        if by["planned"]:
            qs.append(
                {
                    "id": f"gen-{t.id}-planned",
                    "question": f"Which forces plan to {t.infinitive}?",
                    "expect": {
                        "docs": latest_files(by["planned"], t.name),
                        "forces": sorted(by["planned"]),
                        "not_forces": sorted(by["done"] + by["declined"] + by["not_mentioned"]),
                    },
                }
            )
        if by["declined"]:
            qs.append(
                {
                    "id": f"gen-{t.id}-declined",
                    "question": f"Which forces have decided not to {t.infinitive}?",
                    "expect": {
                        "docs": latest_files(by["declined"], t.name),
                        "forces": sorted(by["declined"]),
                        "not_forces": sorted(by["done"] + by["in_progress"] + by["planned"] + by["not_mentioned"]),
                    },
                }
            )
        mentioned = sorted(f for f in forces if by_status(status, f, t) != "not_mentioned")
        if mentioned:
            f = rng.choice(mentioned)
            ev = status[f][t.name]["evidence"][0]
            item = {
                "id": f"gen-{t.id}-{_slug(f)}",
                "question": f"Has {f} {t.name}?",
                "expect": {"docs": [ev["file"]], "forces": [f]},
            }
            if ev.get("numbers"):
                item["expect"]["facts"] = [_fact(n) for n in list(ev["numbers"].values())[:2]]
            qs.append(item)
            other = rng.choice(mentioned)
            ev2 = status[other][t.name]["evidence"][0]
            qs.append(
                {
                    "id": f"gen-{t.id}-followup-{_slug(other)}",
                    "turns": [f"Which forces have {t.name}?", f"And what about {other}?"],
                    "expect": {"docs": [ev2["file"]], "forces": [other]},
                }
            )
        unmentioned = sorted(f for f in by["not_mentioned"] if f in present)
        if unmentioned:
            f = rng.choice(unmentioned)
            qs.append(
                {
                    "id": f"gen-{t.id}-absent-{_slug(f)}",
                    "question": f"What has {f} said about whether it has {t.name}?",
                    "expect": {"abstain": True, "docs": [], "forces": []},
                }
            )
    for t in TOPICS:
        if t.id not in ("train_frontline", "older_training"):
            continue
        for f in forces:
            ev = status[f][t.name]["evidence"]
            if status[f][t.name]["status"] == "done" and ev and "n_officers" in ev[0]["numbers"]:
                n = ev[0]["numbers"]["n_officers"]
                what = "on stalking" if t.id == "train_frontline" else "to recognise abuse of older people"
                qs.append(
                    {
                        "id": f"gen-{t.id}-count-{_slug(f)}",
                        "question": f"How many officers has {f} trained {what}?",
                        "expect": {"docs": [ev[0]["file"]], "forces": [f], "facts": [_fact(n)]},
                    }
                )
                break
    for i, q in enumerate(
        (
            "Which forces have started GPS tagging of stalking perpetrators?",
            "Has any force introduced facial recognition to identify stalkers?",
            "Which forces use drones to monitor stalking suspects?",
        ),
        1,
    ):
        qs.append({"id": f"gen-abstain-{i}", "question": q, "expect": {"abstain": True, "docs": [], "forces": []}})
    return qs


def _bare_name(name: str) -> str:
    """ "Jeff Cuthbert B.Sc., MCIPD" -> "Jeff Cuthbert" (generated names are two words)."""
    return " ".join(name.split()[:2])


def _fact(n: str) -> list[str]:
    return [n, n.replace(",", "")] if "," in n else [n]


def by_status(status: dict, force: str, topic: Topic) -> str:
    return status[force][topic.name]["status"]


def _ground_truth(
    plans: list[DocPlan],
    rendered: list[Rendered],
    fmt: str,
    seed: int,
    n_docs: int,
    forces: Sequence[str],
    pages: dict[int, int],
) -> GroundTruth:
    ext = "pdf" if fmt == "pdf" else "txt"
    docs = []
    status: dict[str, dict[str, dict]] = {
        f: {t.name: {"status": "not_mentioned", "evidence": [], "history": []} for t in TOPICS} for f in forces
    }
    for p, r in zip(plans, rendered):
        fname = f"{r.file}.{ext}"
        d = {
            "file": fname,
            "force": p.force,
            "doc_type": p.kind,
            "date": p.date.isoformat(),
            "author_name": _bare_name(r.author_name),
            "author_signature": r.author_name,
            "author_role": r.author_role,
            "author_title": r.author_title,
            "recipient": r.recipient,
            "report": REPORTS[p.report].title,
            "report_key": p.report,
            "title": r.title,
        }
        if r.index in pages:
            d["pages"] = pages[r.index]
        docs.append(d)
        for m in r.mentions:
            sentence = to_latin1(m["sentence"]) if fmt == "pdf" else m["sentence"]
            cell = status[p.force][m["topic"]]
            cell["history"].append(
                {
                    "file": fname,
                    "date": p.date.isoformat(),
                    "status": m["status"],
                    "sentence": sentence,
                    "numbers": m["numbers"],
                }
            )
    for f in forces:
        for cell in status[f].values():
            if cell["history"]:
                cell["history"].sort(key=lambda h: h["date"])
                last = cell["history"][-1]
                cell["status"] = last["status"]
                cell["evidence"] = [{k: last[k] for k in ("file", "date", "sentence", "numbers")}]
    present = {p.force for p in plans}
    questions = _questions(status, forces, present)
    compare = [
        {"id": f"cmp-{t.id}", "topic": t.name, "expect": {f: status[f][t.name]["status"] for f in forces}}
        for t in TOPICS
    ]
    details = [
        {"id": t.id, "topic": t.name, "infinitive": t.infinitive, "reports": [REPORTS[k].title for k in t.reports]}
        for t in TOPICS
    ]
    return GroundTruth(seed, n_docs, fmt, docs, [t.name for t in TOPICS], status, questions, compare, details)


# --------------------------------------------------------------------------- driver


def _render_one(args: tuple[Rendered, str, date]) -> tuple[int, bytes]:
    doc, fmt, d = args
    if fmt == "pdf":
        return doc.index, render_pdf(doc, d)
    return doc.index, render_txt(doc).encode("utf-8")


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def generate(
    out_dir: Path,
    n_docs: int,
    *,
    seed: int = 7,
    fmt: str = "pdf",
    forces: Sequence[str] = FORCES,
    jobs: int | None = None,
) -> GroundTruth:
    """Write `n_docs` documents plus ground_truth.json, questions.yaml and compare.yaml into `out_dir`."""
    if fmt not in ("pdf", "txt"):
        raise ValueError(f"fmt must be 'pdf' or 'txt', not {fmt!r}")
    if n_docs < 0:
        raise ValueError("n_docs must be >= 0")
    forces = list(dict.fromkeys(forces))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_previous(out_dir)

    plans = _plan(n_docs, seed, forces)
    people = {f: _people(seed, f) for f in sorted({p.force for p in plans} | {"Sussex"})}
    sussex_pcc = people["Sussex"].pcc(date(2019, 4, 10))
    rendered = [_WRITERS[p.kind](_Writer(seed, p, people[p.force], sussex_pcc)) for p in plans]

    ext = "pdf" if fmt == "pdf" else "txt"
    work = [(r, fmt, p.date) for r, p in zip(rendered, plans)]
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 8) if (fmt == "pdf" and n_docs >= 40) or n_docs >= 2000 else 1
    pages: dict[int, int] = {}

    def store(index: int, data: bytes) -> None:
        (out_dir / f"{rendered[index].file}.{ext}").write_bytes(data)
        if fmt == "pdf":
            pages[index] = _pdf_pages(data)

    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            for index, data in pool.map(_render_one, work, chunksize=8):
                store(index, data)
    else:
        for item in work:
            index, data = _render_one(item)
            store(index, data)

    gt = _ground_truth(plans, rendered, fmt, seed, n_docs, forces, pages)
    (out_dir / "ground_truth.json").write_text(
        json.dumps(gt.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    _write_yaml(
        out_dir / "questions.yaml",
        gt.questions,
        f"Generated by evals.gencorpus (seed {seed}, {n_docs} {fmt} documents). Paths in docs are relative to this directory.",
    )
    _write_yaml(
        out_dir / "compare.yaml",
        gt.compare,
        f"Generated by evals.gencorpus (seed {seed}, {n_docs} {fmt} documents): expected status per force and topic.",
    )
    return gt


def _remove_previous(out_dir: Path) -> None:
    """Delete the files a previous run wrote here (and only those)."""
    gt = out_dir / "ground_truth.json"
    if not gt.exists():
        return
    try:
        old = json.loads(gt.read_text(encoding="utf-8"))
        for d in old.get("documents", []):
            name = Path(d["file"]).name
            (out_dir / name).unlink(missing_ok=True)
    except (ValueError, KeyError, TypeError):
        pass
    for name in GENERATED_FILES:
        (out_dir / name).unlink(missing_ok=True)


def _write_yaml(path: Path, items: list[dict], comment: str) -> None:
    import yaml

    text = yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=120)
    path.write_text(f"# {comment}\n" + text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.gencorpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--docs", type=int, required=True, help="number of documents (about 10 chunks each)")
    ap.add_argument("--format", choices=("pdf", "txt"), default="pdf")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=None, help="processes for rendering (default: automatic)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    gt = generate(a.out_dir, a.docs, seed=a.seed, fmt=a.format, jobs=a.jobs)
    secs = time.perf_counter() - t0
    counts: dict[str, int] = {}
    for cells in gt.status.values():
        for c in cells.values():
            counts[c["status"]] = counts.get(c["status"], 0) + 1
    print(
        json.dumps(
            {
                "out_dir": str(a.out_dir),
                "documents": len(gt.documents),
                "format": a.format,
                "seed": a.seed,
                "forces": len({d["force"] for d in gt.documents}),
                "questions": len(gt.questions),
                "status_counts": counts,
                "seconds": round(secs, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
