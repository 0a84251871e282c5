"""describe(): document metadata from the text alone, for the seeds and for other forces' styles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.describe import describe
from ingest.types import AuthorRole, DocType, DocumentMeta

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SUSSEX_2019 = "Stalking and harassment: inspection of Sussex Police (2019)"
LIVING_IN_FEAR = "Living in Fear (2017)"


def seed(name: str) -> DocumentMeta:
    return describe((CORPUS / name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- seeds


def test_cambridgeshire_pcc_letter_is_the_commissioners_letter_to_the_home_secretary():
    meta = seed("cambridgeshire-pcc-letter-2019-05-28.txt")
    assert meta.force == "Cambridgeshire"
    assert meta.author_name == "Jason Ablewhite"
    assert meta.author_role == AuthorRole.pcc
    assert meta.doc_type == DocType.letter_home_secretary
    assert meta.date == date(2019, 5, 28)
    assert meta.recipient == "Rt Hon Sajid Javid MP, Home Secretary"
    # It calls it a "national thematic report", but it answers the Sussex recommendations.
    assert meta.report == SUSSEX_2019
    assert meta.title == "Cambridgeshire PCC letter to the Home Secretary, 28 May 2019"


def test_cambridgeshire_2019_board_paper_is_from_the_chief_constable_and_dated_by_its_header():
    meta = seed("cambridgeshire-board-paper-2019-09-18.txt")
    assert meta.force == "Cambridgeshire"
    assert meta.author_name is None
    assert meta.author_role == AuthorRole.chief_constable
    assert meta.doc_type == DocType.board_paper
    assert meta.date == date(2019, 9, 18)  # not 10 April or 16 May 2019 from the body
    assert meta.recipient == "Business Coordination Board"
    assert meta.report == SUSSEX_2019
    assert meta.title.startswith("Cambridgeshire board paper: ")
    assert meta.title.endswith("(18 September 2019)")


def test_cambridgeshire_2018_board_paper_answers_living_in_fear():
    meta = seed("cambridgeshire-board-paper-2018-05-10.txt")
    assert meta.force == "Cambridgeshire"
    assert meta.author_name is None
    assert meta.author_role == AuthorRole.chief_constable
    assert meta.doc_type == DocType.board_paper
    assert meta.date == date(2018, 5, 10)
    assert meta.recipient == "Business Coordination Board"
    assert meta.report == LIVING_IN_FEAR
    assert meta.title == "Cambridgeshire board paper: A report on Stalking and Harassment (10 May 2018)"


def test_devon_and_cornwall_comments_are_signed_by_the_pcc_and_answer_the_sussex_inspection():
    meta = seed("devon-and-cornwall-comments-2019.txt")
    assert meta.force == "Devon and Cornwall"  # not Sussex, the inspection's subject
    assert meta.author_name == "Alison Hernandez"
    assert meta.author_role == AuthorRole.pcc
    assert meta.doc_type == DocType.published_comments
    assert meta.date is None  # it carries no date of its own
    assert meta.recipient is None
    assert meta.report == SUSSEX_2019  # though it also mentions Living in Fear
    assert meta.title == "Devon and Cornwall comments on the HMICFRS Sussex stalking inspection"


def test_gwent_letter_strips_post_nominals_and_ignores_the_copied_chief_constable():
    meta = seed("gwent-pcc-2019-05-14.txt")
    assert meta.force == "Gwent"
    assert meta.author_name == "Jeff Cuthbert"
    assert meta.author_role == AuthorRole.pcc
    assert meta.doc_type == DocType.letter_home_secretary
    assert meta.date == date(2019, 5, 14)
    assert meta.recipient == "Rt Hon Sajid Javid MP, Home Secretary"
    assert meta.report == SUSSEX_2019
    assert meta.title == "Gwent PCC letter to the Home Secretary, 14 May 2019"
    assert meta.copied == "Wendy Williams, HMI Julian Williams, Chief Constable"
    assert meta.evidence["copied"].startswith("Cc: Wendy Williams")


def test_a_copy_line_is_read_wherever_it_stands_and_only_once():
    assert seed("cambridgeshire-pcc-letter-2019-05-28.txt").copied == "PCC@hmic.gsi.gov.uk"
    assert describe("Dear Chief Constable\n\nThank you.\n\nYours sincerely\nJane Doe").copied is None
    assert describe("Subject: x\nTo: a@b.uk\nCC: c@d.uk\n\nHello").copied == "c@d.uk"
    assert describe("Sent: 3 May | To: a@b.uk | Cc: c@d.uk | Subject: x").copied == "c@d.uk"


# ------------------------------------------------------------- other forces' styles

KENT_CHIEF_CONSTABLE_LETTER = """\
**Kent Police**
Office of the Chief Constable
Police Headquarters, Sutton Road, Maidstone, Kent ME15 9BZ

3 March 2021

The Rt Hon Priti Patel MP
Home Secretary
Home Office
2 Marsham Street
London SW1P 4DF

Dear Home Secretary

**Response to the HMICFRS report ‘Roads policing: Not optional – An inspection of roads policing in England and Wales’**

I write in response to the HMICFRS report ‘Roads policing: Not optional – An inspection of roads policing in England and Wales’, published in July 2020, which made recommendations to all chief constables.

Kent Police has reviewed its roads policing strategy against the report. On 14<sup>th</sup> January 2021 the force board agreed a new plan, which draws on the good practice the inspectorate found in Essex Police and in Surrey Police.

Yours sincerely

Alan Pughsley QPM
Chief Constable of Kent Police

cc: Matthew Scott, Police and Crime Commissioner for Kent
"""

NORTH_WALES_BILINGUAL_LETTER = """\
Comisiynydd Heddlu a Throseddu Gogledd Cymru | Police and Crime Commissioner for North Wales
Swyddfa'r Comisiynydd, Pencadlys yr Heddlu, Ffordd Glan y Môr, Bae Colwyn LL29 8AW
Office of the Commissioner, Police Headquarters, Glan y Môr Road, Colwyn Bay LL29 8AW

Dyddiad | Date: 20/05/2019
Ein Cyf | Our Ref: AJ/HMICFRS/19

Annwyl Ysgrifennydd Cartref | Dear Home Secretary

Arolwg HMICFRS o Heddlu Sussex | HMICFRS inspection of Sussex Police – stalking and harassment

Under section 55 of the Police Act 1996 I enclose my response to the HMICFRS inspection of Sussex Police, commissioned by Katy Bourne, the Police and Crime Commissioner for Sussex, published on 10 April 2019.

The report asks that within six months chief constables ensure that forces record stalking or harassment crimes if appropriate when victims report breaches of orders. North Wales Police has audited every breach recorded since January. Heddlu Gogledd Cymru will report the results to my Strategic Executive Board.

Yn gywir | Yours sincerely

Arfon Jones
Comisiynydd Heddlu a Throseddu Gogledd Cymru
Police and Crime Commissioner for North Wales
"""

WEST_MIDLANDS_BOARD_PAPER = """\
AGENDA ITEM 8

STRATEGIC POLICING AND CRIME BOARD
Date of meeting: 2019-07-02

Title: Progress against the Living in Fear recommendations
Presented by: Chief Constable Dave Thompson

## Purpose of paper

1. This paper updates the Board on how West Midlands Police has responded to the 2017 HMIC and HMCPSI report 'Living in Fear – the police and CPS response to harassment and stalking'.

2. West Midlands Police has trained 1,200 officers since 12 March 2018 and shares a regional stalking clinic with Staffordshire Police and West Mercia Police.

3. The Board is asked to note the progress made.

Author: Detective Chief Superintendent Sam Ryder, Public Protection
"""

SUSSEX_PCC_LETTER = """\
Office of the Sussex Police & Crime Commissioner
Sackville House, Brooks Close, Lewes BN7 2FZ

Rt Hon Sajid Javid MP
Home Secretary
2 Marsham Street
London SW1P 4DF

2019-06-05

Dear Home Secretary,

Stalking and harassment: An inspection of Sussex Police

I commissioned HMICFRS to carry out this inspection of Sussex Police. Sussex Police has accepted every recommendation and I will hold the Chief Constable to account for them.

Yours sincerely,

Katy Bourne OBE
Sussex Police & Crime Commissioner
"""

NORTHUMBRIA_COMMENTS = """\
# THE POOR RELATION: THE POLICE AND CROWN PROSECUTION SERVICE'S RESPONSE TO CRIMES AGAINST OLDER PEOPLE

Police and Crime Commissioner's comments

I welcome this report, published on 17 July 2019. Northumbria Police has already begun to act on it, and I have asked the Chief Constable for a plan by the autumn. The report praised the work of Durham Constabulary with older victims, and we will learn from it.

Kim McGuinness
Police and Crime Commissioner for Northumbria
"""


def test_kent_chief_constable_letter_on_an_unknown_report_falls_back_to_its_quoted_title():
    meta = describe(KENT_CHIEF_CONSTABLE_LETTER)
    assert meta.force == "Kent"
    assert meta.author_name == "Alan Pughsley"  # not the copied PCC
    assert meta.author_role == AuthorRole.chief_constable
    assert meta.doc_type == DocType.letter_home_secretary
    assert meta.date == date(2021, 3, 3)
    assert meta.recipient == "Rt Hon Priti Patel MP, Home Secretary"
    assert meta.report == ("Roads policing: Not optional – An inspection of roads policing in England and Wales (2020)")
    assert meta.title == "Kent Chief Constable letter to the Home Secretary, 3 March 2021"


def test_north_wales_bilingual_letter_reads_the_welsh_and_english_letterhead():
    meta = describe(NORTH_WALES_BILINGUAL_LETTER)
    assert meta.force == "North Wales"
    assert meta.author_name == "Arfon Jones"
    assert meta.author_role == AuthorRole.pcc
    assert meta.doc_type == DocType.letter_home_secretary
    assert meta.date == date(2019, 5, 20)  # 20/05/2019 is day first
    assert meta.recipient == "Home Secretary"
    assert meta.report == SUSSEX_2019


def test_west_midlands_board_paper_without_to_from_lines_is_still_a_board_paper():
    meta = describe(WEST_MIDLANDS_BOARD_PAPER)
    assert meta.force == "West Midlands"
    assert meta.author_name == "Dave Thompson"
    assert meta.author_role == AuthorRole.chief_constable
    assert meta.doc_type == DocType.board_paper
    assert meta.date == date(2019, 7, 2)
    assert meta.recipient == "Strategic Policing and Crime Board"
    assert meta.report == LIVING_IN_FEAR
    assert meta.title == (
        "West Midlands board paper: Progress against the Living in Fear recommendations (2 July 2019)"
    )


def test_a_force_writing_about_its_own_inspection_is_still_the_author():
    meta = describe(SUSSEX_PCC_LETTER)
    assert meta.force == "Sussex"
    assert meta.author_name == "Katy Bourne"
    assert meta.author_role == AuthorRole.pcc
    assert meta.doc_type == DocType.letter_home_secretary
    assert meta.date == date(2019, 6, 5)
    assert meta.recipient == "Rt Hon Sajid Javid MP, Home Secretary"
    assert meta.report == SUSSEX_2019


def test_northumbria_comments_on_a_known_report_carry_no_date_from_the_body():
    meta = describe(NORTHUMBRIA_COMMENTS)
    assert meta.force == "Northumbria"  # not Durham, praised in the body
    assert meta.author_name == "Kim McGuinness"
    assert meta.author_role == AuthorRole.pcc
    assert meta.doc_type == DocType.published_comments
    assert meta.date is None
    assert meta.recipient is None
    assert meta.report == "The poor relation (2019)"


ESSEX_FLATTENED_LETTER = (
    "Office of the Police, Fire and Crime Commissioner for Essex Kelvedon Park, London Road, "
    "Rivenhall, Witham CM8 3HB Rt Hon Sajid Javid MP Home Secretary 2 Marsham Street London "
    "SW1P 4DF Monday 3rd June 2019 Dear Home Secretary HMICFRS inspection of Sussex Police "
    "I respond to the inspection of Sussex Police, published on 10 April 2019. Essex Police has "
    "audited its recording of breaches. Yours sincerely Roger Hirst Police, Fire and Crime "
    "Commissioner for Essex cc Ben-Julian Harrington, Chief Constable"
)

HAMPSHIRE_LETTER_TO_THE_INSPECTORATE = """\
Hampshire Constabulary
Mottisfont Court, Winchester SO23 8ZD

September 18, 2019

Sir Thomas Winsor
HM Chief Inspector of Constabulary

Dear Sir Thomas

Thank you for the report 'The poor relation', which I read alongside Thames Valley Police's plan.

Yours faithfully

Olivia Pinkney
Chief Constable
Hampshire Constabulary
"""


def test_letter_flattened_onto_one_line_by_the_pdf_extractor_is_still_read():
    meta = describe(ESSEX_FLATTENED_LETTER)
    assert meta.force == "Essex"
    assert meta.author_name == "Roger Hirst"
    assert meta.author_role == AuthorRole.pcc  # a Police, Fire and Crime Commissioner
    assert meta.doc_type == DocType.letter_home_secretary
    assert meta.date == date(2019, 6, 3)
    assert meta.recipient == "Rt Hon Sajid Javid MP, Home Secretary"
    assert meta.report == SUSSEX_2019


def test_letter_to_someone_other_than_the_home_secretary_is_a_plain_letter():
    meta = describe(HAMPSHIRE_LETTER_TO_THE_INSPECTORATE)
    assert meta.force == "Hampshire"
    assert meta.author_name == "Olivia Pinkney"
    assert meta.author_role == AuthorRole.chief_constable
    assert meta.doc_type == DocType.letter
    assert meta.date == date(2019, 9, 18)
    assert meta.recipient == "Sir Thomas"
    assert meta.report == "The poor relation (2019)"


AVON_AND_SOMERSET_COMMENTS = """\
PCC response to the HMICFRS inspection of Sussex Police

We share a stalking clinic with Wiltshire Police. Wiltshire Police hosts the clinic, Wiltshire Police
trains its staff and Wiltshire Police audits breaches of orders for both forces.

Sue Mountstevens
Police and Crime Commissioner for Avon and Somerset
"""


def test_the_signature_outweighs_a_neighbour_named_more_often_in_the_body():
    meta = describe(AVON_AND_SOMERSET_COMMENTS)
    assert meta.force == "Avon and Somerset"
    assert meta.author_name == "Sue Mountstevens"
    assert meta.author_role == AuthorRole.pcc
    assert meta.doc_type == DocType.published_comments
    assert meta.report == SUSSEX_2019


def test_a_force_named_as_the_inspections_subject_is_not_the_author():
    meta = describe(
        "The inspection of Sussex Police found gaps in recording. The inspection of Sussex Police, "
        "commissioned by its PCC, made two recommendations. Lessons from the inspection of Sussex "
        "Police are being applied in Norfolk."
    )
    assert meta.force == "Norfolk"


def test_the_letterhead_outweighs_a_force_mentioned_in_passing():
    meta = describe(
        "Office of the Police and Crime Commissioner for Surrey\nGuildford GU3 1HG\n\n"
        "Dear Home Secretary\n\nWe have learnt from Sussex Police and from Sussex Police's victim service.\n\n"
        "Yours sincerely\n\nDavid Munro\nPolice and Crime Commissioner\n"
    )
    assert meta.force == "Surrey"
    assert (meta.author_name, meta.author_role) == ("David Munro", AuthorRole.pcc)


def test_the_report_in_the_title_beats_background_mentions_of_another():
    meta = describe(
        "Response to the HMICFRS report The poor relation\n\n"
        "Our Living in Fear action plan still runs. Living in Fear changed how we record, and the "
        "Living in Fear lead now also leads on older victims."
    )
    assert meta.report == "The poor relation (2019)"


def test_the_report_a_document_says_it_responds_to_beats_one_it_merely_cites():
    meta = describe(
        "Update for partners\n\nOur work since Living in Fear continues. This paper responds to "
        "the findings of The poor relation."
    )
    assert meta.report == "The poor relation (2019)"


def test_text_with_no_signals_gives_empty_metadata_rather_than_guesses():
    meta = describe("Some notes about training.\n\nNothing here names a force or a report.")
    assert meta == DocumentMeta(title=meta.title)
    assert meta.doc_type == DocType.other
    assert describe("").doc_type == DocType.other


# ------------------------------------------------------------------- properties

SEEDS = sorted(CORPUS.glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_describe_ignores_pdf_debris(path: Path):
    text = path.read_text(encoding="utf-8")
    clean = text.replace("**", "").replace("<sup>", "").replace("</sup>", "")
    assert describe(text).model_dump(exclude={"title"}) == describe(clean).model_dump(exclude={"title"})


def test_describe_is_deterministic():
    # Speed is measured in the benchmark, not asserted here (numbers in benchmarks, not tests).
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    assert [describe(t) for t in texts] == [describe(t) for t in texts]


def test_a_published_line_dates_published_comments():
    text = (
        "Northumbria Police\nPublished: 3 June 2019\n\nChief Constable's comments\n\n"
        "The force has reviewed its approach to stalking.\n\nKim McGuinness\nPolice and Crime Commissioner\n"
    )
    assert describe(text).date == date(2019, 6, 3)


# ------------------------------------------------------------------ other layouts

DEPUTY_BILINGUAL_LETTER = """\
Comisiynydd Heddlu a Throseddu Dyfed-Powys | Police and Crime Commissioner for Dyfed-Powys
Blwch Post 99, Llangunnor, Caerfyrddin SA31 2PF | PO Box 99, Llangunnor, Carmarthen SA31 2PF

Medi / September 2020

Yr Ysgrifennydd Cartref | The Home Secretary
2 Marsham Street, London SW1P 4DF

Annwyl Ysgrifennydd Cartref | Dear Home Secretary

HMICFRS inspection of Sussex Police: stalking and harassment

I write on the Commissioner's behalf to respond to this inspection. Dyfed-Powys Police has audited how breaches of orders are recorded.

Yn gywir | Yours sincerely

Rhian Evans-Morgan
Dirprwy Gomisiynydd Heddlu a Throseddu Dyfed-Powys
Deputy Police and Crime Commissioner for Dyfed-Powys
Ar ran / On behalf of Dafydd Llywelyn, Police and Crime Commissioner for Dyfed-Powys
"""


def test_a_deputy_commissioners_letter_has_the_deputy_role():
    meta = describe(DEPUTY_BILINGUAL_LETTER)
    assert meta.force == "Dyfed-Powys"
    assert meta.author_name == "Rhian Evans-Morgan"  # not the Commissioner she signs for
    assert meta.author_role == AuthorRole.deputy_pcc
    assert meta.doc_type == DocType.letter_home_secretary
    assert meta.recipient == "Home Secretary"
    assert meta.evidence["author"] == "Rhian Evans-Morgan"
    assert "Gomisiynydd" in meta.evidence["role"] or "Deputy" in meta.evidence["role"]
    assert meta.title == "Dyfed-Powys Deputy PCC letter to the Home Secretary, September 2020"


def test_a_month_only_date_in_a_bilingual_letterhead_is_the_first_of_the_month():
    meta = describe(DEPUTY_BILINGUAL_LETTER)
    assert (meta.date, meta.date_precision) == (date(2020, 9, 1), "month")
    assert meta.evidence["date"] == "Medi / September 2020"


def test_a_month_only_date_field_is_read_the_same_way():
    meta = describe("Gwent Police\nDyddiad | Date: Gorffennaf 2019\n\nDear Chief Constable\n\nThank you.\n")
    assert (meta.date, meta.date_precision) == (date(2019, 7, 1), "month")


def test_a_year_alone_in_a_date_field_has_year_precision():
    meta = describe("Surrey Police\nPublished: 2021\n\nA note on stalking.\n")
    assert (meta.date, meta.date_precision) == (date(2021, 1, 1), "year")


def test_other_deputies_and_assistants_do_not_hold_an_office_of_their_own():
    letter = "Dear Sir Thomas\n\nThank you for the report.\n\nYours sincerely\n\nJane Roe\nDeputy Chief Constable\nKent Police\n"
    assert describe(letter).author_role == AuthorRole.other
    assert describe(letter.replace("Deputy Chief Constable", "DPCC, Kent")).author_role == AuthorRole.deputy_pcc


JOINT_LETTER_STACKED = """\
Office of the Police and Crime Commissioner for Cheshire
Clemonds Hey, Oakmere Road, Winsford CW7 2UA

12 March 2020

Sir Thomas Winsor
HM Chief Inspector of Constabulary

Dear Sir Thomas

The poor relation: our joint response

We write together, as Commissioner and Chief Constable, to set out how Cheshire Constabulary is responding to the report.

Yours sincerely

David Keane
Police and Crime Commissioner for Cheshire

Darren Martland QPM
Chief Constable
Cheshire Constabulary
"""


def test_a_letter_signed_by_the_commissioner_and_the_chief_constable_has_two_authors():
    meta = describe(JOINT_LETTER_STACKED)
    assert meta.force == "Cheshire"
    assert [(a.name, a.role) for a in meta.authors] == [
        ("David Keane", AuthorRole.pcc),
        ("Darren Martland", AuthorRole.chief_constable),
    ]
    # The pair reads as one name; the role is the first signatory's.
    assert (meta.author_name, meta.author_role) == ("David Keane and Darren Martland", AuthorRole.pcc)
    assert [a.evidence for a in meta.authors] == ["David Keane", "Darren Martland QPM"]
    assert meta.doc_type == DocType.letter
    assert meta.date == date(2020, 3, 12)
    assert meta.title == "Cheshire PCC and Chief Constable letter to Sir Thomas, 12 March 2020"


def test_signature_blocks_side_by_side_are_two_authors_too():
    text = JOINT_LETTER_STACKED.split("Yours sincerely")[0] + (
        "Yours sincerely\n\n"
        "David Keane                                  Darren Martland QPM\n"
        "Police and Crime Commissioner for Cheshire   Chief Constable, Cheshire Constabulary\n"
    )
    meta = describe(text)
    assert [(a.name, a.role) for a in meta.authors] == [
        ("David Keane", AuthorRole.pcc),
        ("Darren Martland", AuthorRole.chief_constable),
    ]


def test_a_joint_statement_signed_at_its_end_without_a_valediction_keeps_both_signatories():
    text = (
        "Joint statement on the HMICFRS inspection of Sussex Police\n\n"
        "Cleveland Police has audited how breaches of orders are recorded, and will report the findings in June.\n\n"
        "Steve Turner\nPolice and Crime Commissioner for Cleveland\n\nMark Webster\nChief Constable\n"
    )
    meta = describe(text)
    assert [a.name for a in meta.authors] == ["Steve Turner", "Mark Webster"]
    assert meta.author_role == AuthorRole.pcc


WEB_PAGE = """\
[Skip to main content](#main)

[Home](/) > [Our work](/our-work) > [HMICFRS responses](/our-work/hmicfrs)

# Response to the HMICFRS inspection of fraud

Hardyal Dhindsa, the Police and Crime Commissioner for Derbyshire, has responded to the HMICFRS report Fraud: Time to choose, published on 2 April 2019.

Derbyshire Constabulary has set up a new economic crime unit, which began work on 1 October 2019.

Share this page

Page last updated: 21 August 2019
"""


def test_a_web_page_whose_only_date_is_last_updated_is_dated_by_it():
    meta = describe(WEB_PAGE)
    assert meta.doc_type == DocType.web_page
    assert meta.force == "Derbyshire"
    assert (meta.author_name, meta.author_role) == ("Hardyal Dhindsa", AuthorRole.pcc)
    assert (meta.date, meta.date_precision) == (date(2019, 8, 21), "day")  # not dates in its sentences
    assert meta.evidence["date"] == "Page last updated: 21 August 2019"
    assert meta.recipient is None
    assert meta.title == "Derbyshire web page: Response to the HMICFRS inspection of fraud (21 August 2019)"


def test_a_web_pages_publication_date_beats_its_last_updated_stamp():
    meta = describe(WEB_PAGE.replace("# Response", "Published: 3 June 2019\n\n# Response"))
    assert meta.date == date(2019, 6, 3)


PANEL_MINUTES = """\
SUFFOLK POLICE AND CRIME PANEL

Minutes of the Suffolk Police and Crime Panel meeting held on Friday 24 January 2020 at Endeavour House, Ipswich

Present:
Councillor Jane Storey (Chair)
Councillor Tim Wilson

In attendance:
Tim Passmore - Police and Crime Commissioner for Suffolk
Gareth Wilson - Chief Constable

12. HMICFRS stalking report
The Commissioner reported that Suffolk Constabulary had audited breaches of orders, on 3 December 2019.
RESOLVED that the report be noted.
"""


def test_minutes_name_their_meeting_and_its_date_and_no_author_or_recipient():
    meta = describe(PANEL_MINUTES)
    assert meta.doc_type == DocType.minutes
    assert meta.force == "Suffolk"
    assert meta.meeting == "Suffolk Police and Crime Panel"
    assert meta.date == date(2020, 1, 24)
    # The Panel minutes its meeting: the Commissioner attending is not the author.
    assert (meta.author_name, meta.author_role) == (None, AuthorRole.other)
    assert meta.recipient is None
    assert meta.evidence["meeting"].startswith("Minutes of the Suffolk Police and Crime Panel meeting held on")
    assert meta.title == "Minutes of the Suffolk Police and Crime Panel, 24 January 2020"


def test_minutes_headed_by_the_word_alone_take_the_body_from_the_header():
    meta = describe("MINUTES\n\nJOINT AUDIT COMMITTEE\n\nDate: 4 March 2020\n\nPresent: Mr A Bell (Chair)\n")
    assert (meta.doc_type, meta.meeting, meta.date) == (DocType.minutes, "Joint Audit Committee", date(2020, 3, 4))


PRESS_RELEASE = """\
PRESS RELEASE

For immediate release: 14 November 2019

Commissioner welcomes new stalking clinic

Kent's Police and Crime Commissioner Matthew Scott said the new clinic would help victims of stalking. Katy Bourne, the Sussex Police and Crime Commissioner, attended the launch.

ENDS

Media enquiries: press office, 01622 604 000
"""


def test_a_press_release_is_the_commissioner_it_introduces():
    meta = describe(PRESS_RELEASE)
    assert meta.doc_type == DocType.press_release
    assert meta.force == "Kent"
    assert (meta.author_name, meta.author_role) == ("Matthew Scott", AuthorRole.pcc)  # not Sussex's PCC
    assert meta.date == date(2019, 11, 14)
    assert meta.recipient is None
    assert meta.title == "Kent press release: Commissioner welcomes new stalking clinic (14 November 2019)"


def test_a_news_item_reached_through_a_news_trail_is_a_press_release():
    text = (
        "Home > News > Commissioner backs stalking advocates\n\n# Commissioner backs stalking advocates\n\n"
        "Published: 2 May 2019\n\nThe Police and Crime Commissioner for Norfolk, Lorne Green, has funded two advocates.\n"
    )
    meta = describe(text)
    assert meta.doc_type == DocType.press_release
    assert (meta.author_name, meta.author_role, meta.date) == ("Lorne Green", AuthorRole.pcc, date(2019, 5, 2))


ANNUAL_REPORT_CHAPTER = """\
Police and Crime Commissioner for Gloucestershire

Annual Report 2019/20

Published October 2020

Chapter 2 - Safer communities

This chapter reports on the second priority of my plan. Gloucestershire Constabulary recorded 1,200 stalking crimes in 2019/20, and on 1 March 2020 it opened a stalking clinic.

Martin Surl
Police and Crime Commissioner for Gloucestershire

2.1 Burglary

Burglary fell again this year.
"""


def test_an_annual_report_chapter_is_signed_under_its_foreword_and_dated_by_month():
    meta = describe(ANNUAL_REPORT_CHAPTER)
    assert meta.doc_type == DocType.annual_report
    assert meta.force == "Gloucestershire"
    assert (meta.author_name, meta.author_role) == ("Martin Surl", AuthorRole.pcc)
    assert (meta.date, meta.date_precision) == (date(2020, 10, 1), "month")
    assert meta.evidence["date"] == "Published October 2020"
    assert meta.title == "Gloucestershire PCC annual report: Annual Report 2019/20 (October 2020)"


TRACKER = """\
Durham Constabulary
Stalking and Harassment Improvement Plan

Status as at: 31 January 2020
Reporting to: Vulnerability Delivery Board (chair: ACC Dave Ashton)

Ref\tAction\tOwner\tDue date\tRAG
1\tAudit breaches of orders\tDCI Hall\t31/03/2020\tAmber
2\tRefresh the stalking policy\tSupt Reed\t30/04/2020\tGreen
"""


def test_a_tracker_export_is_an_action_plan_dated_by_its_status_line_for_its_board():
    meta = describe(TRACKER)
    assert meta.doc_type == DocType.action_plan
    assert meta.force == "Durham"
    assert meta.date == date(2020, 1, 31)  # not a due date in the table
    assert meta.meeting == meta.recipient == "Vulnerability Delivery Board"
    assert meta.evidence["recipient"].startswith("Reporting to: Vulnerability Delivery Board")
    # A unit's export: no person is its author.
    assert (meta.author_name, meta.author_role) == (None, AuthorRole.other)


def test_a_tracker_whose_title_says_whom_it_reports_to_is_for_that_board():
    text = TRACKER.replace("Reporting to: Vulnerability Delivery Board (chair: ACC Dave Ashton)\n", "").replace(
        "Status as at:", "RAG status report to the Vulnerability Delivery Board\nStatus as at:"
    )
    assert "Reporting to" not in text
    meta = describe(text)
    assert meta.meeting == meta.recipient == "Vulnerability Delivery Board"


def test_meeting_notes_titled_by_their_meeting_with_who_was_present_are_minutes_of_it():
    text = (
        "# Surrey Police and Crime Commissioner: Performance and Accountability Meeting\n\n"
        "**Date:** 3 March 2020\n**Present:** David Munro (PCC), Gavin Stephens (Chief Constable)\n\n"
        "## Item 4: Stalking and harassment\n\nThe Chief Constable reported that the force has not yet "
        "appointed stalking single points of contact.\n\nAction: the Chief Constable to report at the next meeting.\n"
    )
    meta = describe(text)
    assert (meta.doc_type, meta.meeting, meta.date) == (
        DocType.minutes,
        "Performance and Accountability Meeting",
        date(2020, 3, 3),
    )


def test_a_markdown_tracker_with_an_exported_stamp_is_an_action_plan_too():
    text = (
        "# Essex Police - HMICFRS Recommendations Tracker\n\n**Exported:** 02/12/2019 10:00 by Strategic Change\n\n"
        "| Ref | Recommendation | Status | Owner |\n|---|---|---|---|\n| 1 | Audit breaches | Open | DCI Ross |\n"
    )
    meta = describe(text)
    assert (meta.doc_type, meta.date, meta.force) == (DocType.action_plan, date(2019, 12, 2), "Essex")
    assert meta.evidence["role"] == "Exported: 02/12/2019 10:00 by Strategic Change"


EMAIL = """\
From: Okafor, Grace (Supt) <grace.okafor@wiltshire.police.uk>
Sent: Thursday, 5 March 2020 09:14
To: Mark Ellison <mark.ellison@wiltshire.pcc.pnn.gov.uk>
Cc: Public Protection SLT
Subject: RE: Stalking recommendations - breach audit

Mark,

The audit of breaches of orders is complete; 22 of 140 occurrences should have had a stalking crime recorded.

Kind regards

Grace Okafor
Superintendent, Head of Public Protection
Wiltshire Police

From: Mark Ellison
Sent: 27 February 2020 16:02
To: Okafor, Grace (Supt)
Subject: Stalking recommendations - breach audit

Grace, where has the breach audit got to?
"""


def test_an_email_is_from_its_sender_sent_on_its_date_to_its_addressee():
    meta = describe(EMAIL)
    assert meta.doc_type == DocType.email
    assert meta.force == "Wiltshire"
    assert (meta.author_name, meta.author_role) == ("Grace Okafor", AuthorRole.other)
    assert meta.date == date(2020, 3, 5)  # not the quoted message's
    assert meta.recipient == "Mark Ellison"  # not the copy list, no address
    assert meta.evidence["author"].startswith("From: Okafor, Grace")
    assert meta.evidence["date"] == "Sent: Thursday, 5 March 2020 09:14"
    assert meta.evidence["recipient"].startswith("To: Mark Ellison")


def test_an_email_to_a_name_written_surname_first_is_to_that_person():
    text = EMAIL.replace(
        "To: Mark Ellison <mark.ellison@wiltshire.pcc.pnn.gov.uk>", "To: Ellison, Mark (OPCC) <m@x.uk>"
    )
    assert describe(text).recipient == "Mark Ellison"


def test_an_email_from_a_commissioner_takes_the_role_from_the_signature():
    text = EMAIL.replace("Okafor, Grace (Supt)", "Philip Wilkinson").replace(
        "Grace Okafor\nSuperintendent, Head of Public Protection", "Philip Wilkinson\nPolice and Crime Commissioner"
    )
    meta = describe(text)
    assert (meta.author_name, meta.author_role) == ("Philip Wilkinson", AuthorRole.pcc)


PAPER_WITH_RUNNING_HEADER = (
    "OFFICIAL - Lincolnshire Police - Joint Audit Committee\n\n"
    "LINCOLNSHIRE POLICE\nJOINT AUDIT COMMITTEE\n\n"
    "Meeting date: 4 February 2020\nAgenda item: 7\nReport of: Chief Constable\n"
    "Author: Detective Inspector Kerry Wilson, Public Protection\nSecurity marking: OFFICIAL\n\n"
    "STALKING ACTION PLAN UPDATE\n\n1. This paper updates the Committee on the stalking action plan.\n"
    "2. The Committee is asked to note the report.\n\nPage 1 of 2\n"
    "\fOFFICIAL - Lincolnshire Police - Joint Audit Committee\n\n"
    "3. Lincolnshire Police has audited its breaches of orders.\n\nPage 2 of 2\n"
)


def test_a_running_header_is_neither_recipient_nor_title():
    meta = describe(PAPER_WITH_RUNNING_HEADER)
    assert meta.doc_type == DocType.board_paper
    assert meta.recipient == meta.meeting == "Joint Audit Committee"
    assert meta.evidence["recipient"] == "JOINT AUDIT COMMITTEE"
    assert meta.title == "Lincolnshire board paper: STALKING ACTION PLAN UPDATE (4 February 2020)"


def test_a_paper_takes_its_role_from_report_of_and_its_writer_from_author():
    meta = describe(PAPER_WITH_RUNNING_HEADER)
    assert (meta.author_name, meta.author_role) == ("Kerry Wilson", AuthorRole.chief_constable)
    assert meta.evidence["author"] == "Author: Detective Inspector Kerry Wilson, Public Protection"
    assert meta.evidence["role"] == "Report of: Chief Constable"
    # A paper from an office that is not the PCC's or the Chief Constable's is "other".
    other = PAPER_WITH_RUNNING_HEADER.replace(
        "Report of: Chief Constable", "Report of: Head of Internal Audit, Mercia Audit Partnership"
    )
    assert (describe(other).author_name, describe(other).author_role) == ("Kerry Wilson", AuthorRole.other)


# ------------------------------------------------------------------- evidence

CHALLENGE = CORPUS.parent / "evals" / "challenge" / "corpus"
ALL_DOCUMENTS = [*sorted(CORPUS.glob("*.txt")), *sorted(CHALLENGE.glob("*"))]
SYNTHETIC = [
    DEPUTY_BILINGUAL_LETTER,
    JOINT_LETTER_STACKED,
    WEB_PAGE,
    PANEL_MINUTES,
    PRESS_RELEASE,
    ANNUAL_REPORT_CHAPTER,
    TRACKER,
    EMAIL,
    PAPER_WITH_RUNNING_HEADER,
]


def test_evidence_is_the_line_each_field_was_read_from():
    meta = seed("gwent-pcc-2019-05-14.txt")
    assert meta.evidence["date"] == "14th May 2019"
    assert meta.evidence["author"] == "Jeff Cuthbert B.Sc., MCIPD Police and Crime Commissioner for Gwent"
    assert meta.evidence["recipient"].startswith("The Rt Hon Sajid Javid MP Home Secretary")
    board = seed("cambridgeshire-board-paper-2018-05-10.txt")
    assert (board.evidence["date"], board.evidence["role"]) == ("Date: 10 May 2018", "From: Chief Constable")
    assert "author" not in board.evidence  # no name, no evidence for one


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in ALL_DOCUMENTS] + SYNTHETIC)
def test_every_evidence_snippet_stands_in_the_text_and_is_short(text: str):
    from ingest.describe import _normalise

    flat = " ".join(_normalise(text).split())
    meta = describe(text)
    for key, snippet in meta.evidence.items():
        assert snippet and snippet in flat, key
        assert len(snippet) <= 300, key
    filled = {"author": meta.author_name, "role": meta.author_role, "date": meta.date, "recipient": meta.recipient}
    for key, value in {**filled, "meeting": meta.meeting}.items():
        if value is not None and not (key == "role" and value == AuthorRole.other and meta.doc_type == DocType.other):
            assert key in meta.evidence, key


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in ALL_DOCUMENTS] + SYNTHETIC)
def test_describe_reads_the_cleaned_text_the_pipeline_gives_it_the_same_way(text: str):
    from ingest.clean import clean

    assert describe(clean(text).text) == describe(text)


def test_the_challenge_documents_are_described_as_their_expectations_say():
    from evals.metadata import DEFAULT_DIRS, DEFAULT_EXPECTED, FIELDS, documents, expectations, mark, read_text

    rows, _ = expectations(DEFAULT_EXPECTED)
    wrong = []
    for path in documents(DEFAULT_DIRS):
        meta = describe(read_text(path))
        wrong += [
            (path.name, m.field, m.got, m.want)
            for f in FIELDS
            if not (m := mark(meta, f, rows[path.name][f], strict=True)).right
        ]
    assert wrong == []


# ------------------------------------------------------------------- robustness

_FRAGMENTS = [
    "Dear Home Secretary",
    "Yours sincerely",
    "Yn gywir | Yours sincerely",
    "Police and Crime Commissioner for Gwent",
    "Deputy Police and Crime Commissioner",
    "Chief Constable",
    "DPCC",
    "From: ",
    "Sent: ",
    "To: ",
    "Date: ",
    "Report of: ",
    "Author: ",
    "Governance: ",
    "Status as at: ",
    "Exported: ",
    "Last updated: ",
    "Published ",
    "MINUTES of a meeting of the ",
    "held on Tuesday ",
    "PRESS RELEASE",
    "Notes to editors",
    "Home > News > ",
    "Annual Report 2019-20",
    "Action Plan",
    "| RAG | Owner |",
    "OFFICIAL - Kent Police - Board",
    "Page 1 of 2",
    "Gorffennaf / July 2019",
    "31/02/2019",
    "14th May 2019",
    "on behalf of",
    "Jeff Cuthbert B.Sc., MCIPD",
    "Blakemore, Joanna (Det Supt) <j.b@x.police.uk>",
    "Scrutiny Board",
    "**",
    "<sup>",
    "[link](http://x)",
    "*",
    "\t",
    "   ",
    "\n",
    "\f",
    "'",
    '"',
    "é",
    "\u00a0",
]


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=20)), max_size=60))
def test_describe_never_raises_and_keeps_its_promises_on_any_text(parts: list[str]):
    text = "".join(parts)
    meta = describe(text)
    assert isinstance(meta, DocumentMeta)
    assert meta.date_precision in ("day", "month", "year")
    assert all(isinstance(v, str) and len(v) <= 300 for v in meta.evidence.values())
    assert meta.author_role is None or meta.author_role in AuthorRole
    assert meta.author_name is None or meta.author_name.strip() == meta.author_name


INSPECTORATE_LETTER = """Office of the Police and Crime Commissioner for Kent
Sutton Road
Maidstone ME15 9BZ

3 March 2021

Ms Wendy Williams CBE
HM Inspector of Constabulary
HM Inspectorate of Constabulary and Fire & Rescue Services
London SW1V 1PN

Dear Ms Williams

Thank you for your report on roads policing. The Force has reviewed its collision investigation.

Yours sincerely

Matthew Scott
Police and Crime Commissioner for Kent
"""


def test_a_letter_greeting_by_surname_is_addressed_to_the_full_name_and_office_in_its_address_block():
    meta = describe(INSPECTORATE_LETTER)
    # the office under the name, not the organisation under that; no honorific or post-nominals
    assert meta.recipient == "Wendy Williams, HM Inspector of Constabulary"
    assert meta.evidence["recipient"].startswith("Ms Wendy Williams CBE")
    no_office = INSPECTORATE_LETTER.replace("HM Inspector of Constabulary\n", "")
    assert describe(no_office).recipient == "Wendy Williams"


def test_a_salutation_without_a_matching_address_line_is_the_recipient():
    meta = describe(INSPECTORATE_LETTER.replace("Ms Wendy Williams CBE\n", ""))
    assert meta.recipient == "Ms Williams"


TABLE_HEADED_PAPER = """# Suffolk Constabulary: Stalking Progress Update

| | |
|---|---|
| **To** | Tim Passmore, Police and Crime Commissioner for Suffolk |
| **From** | Rachel Kearton, Chief Constable |
| **For** | Accountability and Performance Panel, 9 April 2021 |
| **Date of report** | 30 March 2021 |

1. **Purpose.** This update sets out progress on the stalking recommendations.

Rachel Kearton, Chief Constable
"""


def test_header_fields_in_a_key_and_value_table_are_read_as_header_lines():
    meta = describe(TABLE_HEADED_PAPER)
    assert meta.author_name == "Rachel Kearton"
    assert meta.author_role == AuthorRole.chief_constable
    assert meta.recipient is not None and meta.recipient.startswith("Tim Passmore")
    assert meta.date == date(2021, 3, 30)  # the report's own date, not the panel's
    # going to a panel through its "For" line makes the memo a board paper
    assert meta.doc_type == DocType.board_paper
    assert meta.meeting == "Accountability and Performance Panel"


FOI_RESPONSE = """Durham Constabulary - Freedom of Information Disclosure Log

FOI reference 2021/0042: stalking protection orders

Request received: 2 February 2021
Response sent: 1 March 2021

Request 1
"How many Stalking Protection Orders has the force applied for?"

Response
Twelve applications were made in 2020.

Prepared by: Alan Smith, Disclosure Officer, Information Rights Unit
"""


def test_an_foi_response_is_dated_by_its_response_and_written_by_whoever_prepared_it():
    meta = describe(FOI_RESPONSE)
    assert meta.date == date(2021, 3, 1)  # not when the request was received
    assert meta.author_name == "Alan Smith"
    assert meta.author_role == AuthorRole.other
    assert meta.evidence["author"].startswith("Prepared by:")


SECTION_55_STATEMENT = """JOINT STATEMENT

Office of the Police and Crime Commissioner for Surrey and Surrey Police

This statement is published under section 55 of the Police Act 1996, which requires the
Commissioner to publish comments on inspection reports that concern the force.

We welcome the report. The force has appointed four stalking advocates.

Issued on the 21st of June 2021 by:

Lisa Townsend
Police and Crime Commissioner for Surrey
"""


def test_a_statement_under_section_55_is_published_comments_dated_by_its_issue_line():
    meta = describe(SECTION_55_STATEMENT)
    assert meta.doc_type == DocType.published_comments
    assert meta.date == date(2021, 6, 21)
    assert meta.author_name == "Lisa Townsend"
    # "issued" alone is no date line: "Guidance was issued to all officers in May 2021" is an event
    event = SECTION_55_STATEMENT.replace(
        "Issued on the 21st of June 2021 by:", "Guidance issued to all officers in May 2021."
    )
    assert describe(event).date is None


SIGNED_ON_BEHALF = """Office of the Police and Crime Commissioner for Cheshire
Clemonds Hey, Winsford CW7 2UA

14 April 2020

Ms Helen Garside
12 Orchard Way
Crewe CW1 3AB

Dear Ms Garside

Thank you for your email about how your report of a breach was handled.

Yours sincerely

[signed]

Claire Haworth
Chief Executive
Office of the Police and Crime Commissioner for Cheshire
On behalf of Daniel Holroyd, Police and Crime Commissioner for Cheshire
"""


def test_a_letter_signed_by_a_chief_executive_for_the_commissioner_is_hers_in_her_own_office():
    meta = describe(SIGNED_ON_BEHALF)
    assert meta.author_name == "Claire Haworth"
    # the office she works in, and the principal she signs for, are not the office she holds
    assert meta.author_role == AuthorRole.other
    assert meta.evidence["role"] == "Chief Executive"


PANEL_REPORT = """\
WESTSHIRE POLICE AND CRIME PANEL

Meeting date:       9 July 2020 (held remotely)
Agenda item:        7
Report title:       Stalking and harassment: progress
Report of:          Ann Example, Police and Crime Commissioner for Westshire
Date of report:     29 June 2020

1   PURPOSE OF THE REPORT

1.1  The Panel asked the Commissioner for a report on stalking.
"""


def test_a_paper_is_dated_by_its_own_date_not_by_the_meeting_it_goes_to():
    meta = describe(PANEL_REPORT)
    assert meta.doc_type == DocType.board_paper
    assert meta.date == date(2020, 6, 29)
    assert "Date of report" in meta.evidence["date"]


def test_a_paper_with_only_a_meeting_date_is_dated_by_the_meeting():
    meta = describe(PANEL_REPORT.replace("Date of report:     29 June 2020\n", ""))
    assert meta.date == date(2020, 7, 9)


BILINGUAL_RELEASE = """\
SWYDDFA COMISIYNYDD YR HEDDLU A THROSEDDU DYFED-POWYS
OFFICE OF THE POLICE AND CRIME COMMISSIONER FOR DYFED-POWYS

DATGANIAD I'R WASG / PRESS NOTICE
I'w gyhoeddi ar unwaith / For immediate release
Dydd Iau 11 Mehefin 2020 / Thursday 11 June 2020

New programme to tackle stalkers

Dyfed-Powys Police and Crime Commissioner Aled Wynne Jenkins has welcomed the launch of a programme \
that began work on 1 June 2020.
"""


def test_a_bilingual_release_is_dated_by_its_twin_date_line_and_written_by_the_commissioner_it_names():
    meta = describe(BILINGUAL_RELEASE)
    assert meta.doc_type == DocType.press_release
    assert meta.date == date(2020, 6, 11)
    # "Office of the PCC" in the letterhead says which office; the first paragraph says who
    assert meta.author_name == "Aled Wynne Jenkins"
    assert meta.author_role == AuthorRole.pcc


SLIDE_DECK = """\
Westshire Police | Stalking and harassment: progress update | OFFICIAL
Slide 1 of 8
Stalking and harassment: where we are
- Update for the Police and Crime Commissioner's Accountability Meeting
- Meeting: 19 May 2020, agenda item 6
- Deck version 1.2, dated 12 May 2020
- Presented by Detective Superintendent Helen Marchetti, Head of Public Protection
Speaker notes: Commissioner, this deck answers your request of 3 March 2020.
Slide 2 of 8
Breaches of orders: what the audit found
- 180 breach occurrences checked
"""


def test_a_slide_deck_for_a_meeting_is_a_board_paper_read_from_its_bullets():
    meta = describe(SLIDE_DECK)
    assert meta.doc_type == DocType.board_paper
    assert meta.date == date(2020, 5, 12)
    assert meta.author_name == "Helen Marchetti"
    assert meta.author_role == AuthorRole.other
    assert meta.recipient == "Police and Crime Commissioner's Accountability Meeting"


def test_evidence_of_a_field_read_from_an_overlong_line_is_cut_to_a_snippet():
    # found by the property test above: a salutation line with no line break in it
    meta = describe("Dear Home Secretary" * 18)
    assert meta.evidence and all(len(v) <= 300 for v in meta.evidence.values())


SELF_ASSESSMENT = """\
FORCE SELF-ASSESSMENT RETURN                                          Form SA-SH/2 (v1.1)

Force:                North Yorkshire Police
Completed by:         Temporary Detective Superintendent Rachel Thwaite
                      Head of Safeguarding
Date completed:       03.07.2020
Return to:            Police, Fire and Crime Commissioner for North Yorkshire
Deadline for return:  10.07.2020

Q1  Has the force stopped issuing Police Information Notices (PINs)?
    [X] Yes      [ ] Partly      [ ] Planned      [ ] No
"""
PROCEDURE = """\
# Stalking and Harassment: Investigation Procedure

| Document control | |
|---|---|
| Reference | WP/PVP/017 |
| Procedure owner | Detective Superintendent Clare Hennessy, Head of Protecting Vulnerable People |
| Date of issue | 1st September 2020 |
| Next review | 31/08/2021 |

1.1 This procedure tells Warwickshire Police officers how to recognise and record stalking.
"""


def test_a_forms_completed_by_date_completed_and_return_to_fields_are_its_metadata():
    meta = describe(SELF_ASSESSMENT)
    assert (meta.author_name, meta.date) == ("Rachel Thwaite", date(2020, 7, 3))
    assert meta.recipient == "Police, Fire and Crime Commissioner for North Yorkshire"


def test_a_procedures_owner_in_its_document_control_table_is_its_author():
    meta = describe(PROCEDURE)
    assert (meta.author_name, meta.date) == ("Clare Hennessy", date(2020, 9, 1))


BLOG = """\
[Home](/) > [News and blog](/news) > Deputy Commissioner's blog

# Why one unwanted message is rarely just one

*By Laura Fenwick, Deputy Police and Crime Commissioner for Wiltshire and Swindon*

This blog, published on 14 July 2020, is the third in my series on the Police and Crime Plan.

In 2017 the inspectorate published its report on 5 July 2017, and Wiltshire Police has acted since.
"""
INTRANET_POST = """\
[Intranet home](/) › [News](/news)

# A breach is never just a breach

**Chief Constable Nadia Harcourt** · Posted 12/03/2020 · 4 min read

Last week I sat with a team leader in our Force Control Room. Gloucestershire Constabulary has changed how it
records breaches of orders since 1 February 2020.
"""
THREAD = """\
ThreadSaver export | saved 22/07/2020 10:02 | format: plain text
Thread by Julian Marlowe (@HertsCommissioner), Police and Crime Commissioner for Hertfordshire
14 posts | first post 9:14 AM · Jul 21, 2020 | 38 replies

[1/14]
Today I'm publishing my update on how Hertfordshire Constabulary has answered the inspection of stalking.
"""
BULLETIN = """\
# Suffolk Police and Crime Commissioner: Community Bulletin

**Issue 14 | May 2020**

Welcome to the May bulletin. On 3 April 2020 the Rural Crime Team got a second drone.
"""
TRANSCRIPT = """\
ESSEX POLICE, FIRE AND CRIME PANEL

Transcript of questions to the Commissioner

Meeting held in Committee Room 1, County Hall, Chelmsford, on Thursday 30 January 2020 at 2.00 pm

The Chair asked about the audit of breaches, which the force began on 3 March 2019.
"""


@pytest.mark.parametrize(
    ("text", "when", "precision"),
    [
        (BLOG, date(2020, 7, 14), "day"),  # "This blog, published on ...", not the report it cites
        (INTRANET_POST, date(2020, 3, 12), "day"),  # a byline's "· Posted 12/03/2020"
        (THREAD, date(2020, 7, 21), "day"),  # the thread's first post, not the day it was saved
        (BULLETIN, date(2020, 5, 1), "month"),  # a masthead's "Issue 14 | May 2020"
        (TRANSCRIPT, date(2020, 1, 30), "day"),  # the meeting it records
    ],
)
def test_a_document_is_dated_by_where_its_layout_says_when_it_was_written(text, when, precision):
    meta = describe(text)
    assert (meta.date, meta.date_precision) == (when, precision), meta.evidence.get("date")


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (INTRANET_POST, "Nadia Harcourt", AuthorRole.chief_constable),
        (THREAD, "Julian Marlowe", AuthorRole.pcc),
    ],
)
def test_a_byline_names_the_writer(text, name, role):
    meta = describe(text)
    assert (meta.author_name, meta.author_role) == (name, role)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (TRANSCRIPT, DocType.minutes),  # a meeting's transcript records it, as minutes do
        (BLOG, DocType.web_page),  # a trail through News to a blog: a page, not a release
        (INTRANET_POST, DocType.web_page),
    ],
)
def test_what_a_document_is_follows_its_furniture(text, kind):
    assert describe(text).doc_type == kind


CONSULTATION = """\
Stalking Protection Orders: draft statutory guidance for the police

Consultation response from the Police and Crime Commissioner for South Yorkshire

Submitted to: Home Office, Stalking Protection Orders consultation
Submitted by: Margaret Oduya, Police and Crime Commissioner for South Yorkshire
Date: 25 October 2019

I welcome the chance to comment on the draft guidance.
"""
AGENDA_PAPER = """\
STALKING AND HARASSMENT: PROGRESS AGAINST THE HMICFRS RECOMMENDATIONS
Strategic Policing and Crime Board - public session - agenda item 7
Report of: Chief Constable of West Midlands Police
Date of paper: 8 September 2020

1. Purpose
1.1 This paper updates the Board on what West Midlands Police has done since July 2017.
"""


def test_a_response_submitted_to_a_body_that_is_no_board_is_addressed_to_it():
    meta = describe(CONSULTATION)
    assert meta.recipient and meta.recipient.startswith("Home Office"), meta.recipient
    assert meta.meeting is None


def test_a_board_named_with_a_qualifier_after_a_dash_is_the_papers_board():
    meta = describe(AGENDA_PAPER)
    assert (meta.meeting, meta.recipient) == ("Strategic Policing and Crime Board",) * 2
