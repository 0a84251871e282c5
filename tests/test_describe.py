"""describe(): document metadata from the text alone, for the seeds and for other forces' styles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_describe_reads_the_cleaned_text_the_pipeline_gives_it_the_same_way(path: Path):
    from ingest.clean import clean

    text = path.read_text(encoding="utf-8")
    assert describe(clean(text).text) == describe(text)


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
