"""Reading a question's shape: what kind of answer it wants, what a "how many" counts, which
office a "who is the ..." names, whether it asks about a document itself, and which forces
it limits itself to (a report named after a force limits nothing)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answer.evidence import is_title
from assistant.answer.kinds import counts, has_date, names_holder
from assistant.answer.terms import acronyms
from assistant.answer.understand import DocFact, Intent, understand
from assistant.types import Status


@pytest.mark.parametrize(
    ("question", "intent", "focus"),
    [
        ("How many stalking offences did the force record in 2018/19?", Intent.how_many, "stalking offences"),
        ("How many detective constables have been trained as SPOCs?", Intent.how_many, "detective constables"),
        ("Who is the Chief Constable of Kent Police?", Intent.who, "Chief Constable"),
        ("By when will the course be delivered?", Intent.when, ""),
        ("Why was the classroom training postponed?", Intent.why, ""),
        ("What led officers to miss stalking crimes when orders were breached?", Intent.why, ""),
        ("What held up the force's audit of breach recording?", Intent.why, ""),
        ("Has the force audited how breaches of orders are recorded?", Intent.yes_no, ""),
        ("Could an officer still give someone a Police Information Notice today?", Intent.yes_no, ""),
        ("If I report a stalker, do I have to ask for an advocate?", Intent.yes_no, ""),
        ("Which board oversees the tracker?", Intent.who, ""),
        ("What is the salary of the stalking advocate?", Intent.how_many, "£"),  # an amount, not any number
        ("What was the number of referrals in 2019?", Intent.how_many, ""),
        ("What is the role of the stalking advocate?", Intent.general, ""),
    ],
)
def test_a_question_says_what_kind_of_answer_it_wants(question, intent, focus):
    query = understand(question)
    assert (query.intent, query.focus) == (intent, focus)


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("Who signed the Kent letter to the Home Secretary?", DocFact.author),
        ("In what capacity did the author write?", DocFact.role),
        ("To whom was the letter addressed?", DocFact.recipient),
        ("When did the Kent PCC write to the Home Secretary?", DocFact.date),
        ("What is the date of the joint Kent letter to the inspectorate?", DocFact.date),
        ("Which committee was the paper presented to?", DocFact.meeting),
        ("Who was copied in on the Kent letter?", DocFact.copied),
        ("Who received a copy of the letter?", DocFact.copied),
        ("What did the Kent letter say about training?", None),
    ],
)
def test_a_question_about_the_document_itself_is_recognised(question, fact):
    assert understand(question).doc_fact is fact


def test_a_force_named_in_a_reports_name_is_no_filter():
    for question in (
        "What did the Sussex report recommend about breaches of orders?",
        "What does the Sussex stalking inspection report say about PINs?",
        "What did the inspection of Sussex Police find?",
    ):
        assert understand(question).filters.forces == [], question
    assert understand("What did Kent Police say about the Sussex report?").filters.forces == ["Kent"]


def test_a_question_that_presumes_an_outcome_is_marked():
    assert understand("What did the audit of breaches of orders find?").outcome
    assert understand("Did the bid to the Home Office succeed?").outcome
    assert not understand("What did the audit of breaches of orders cover?").outcome


def test_the_filters_a_question_names_are_listed_for_the_reader():
    query = understand("Which board papers since 2019 mention Kent?")
    assert query.from_question == ["force Kent", "type board paper", "since 2019-01-01"]


def test_a_follow_up_without_a_topic_of_its_own_points_back_to_the_cited_documents():
    first = understand("Has Kent audited how breaches of orders are recorded?")
    follow = understand("Why not?", first, None, ["kent-letter"])
    assert follow.follow_up and follow.doc_ids == ["kent-letter"]
    assert "audited" in follow.text


def test_a_question_with_a_subject_of_its_own_stands_alone_whatever_its_that():
    question = "Who said that breaking a court order is the offender telling the victim that the order does not matter?"
    follow = understand(question, understand("Which forces have a stalking clinic?"), None, ["kent-letter"])
    assert not follow.follow_up and follow.topic == understand(question).topic and follow.doc_ids == []


def test_it_in_a_question_with_its_own_subject_is_the_topic_not_the_cited_document():
    first = understand("Which forces adopted the NPCC definition of stalking?")
    about_topic = understand(
        "When did the College of Policing and the NPCC lead write to chief constables about it?",
        first,
        None,
        ["kent-letter"],
    )
    assert about_topic.follow_up and about_topic.doc_ids == []
    about_document = understand("When was it sent?", first, None, ["kent-letter"])
    assert about_document.doc_ids == ["kent-letter"]


@pytest.mark.parametrize(
    ("question", "status", "not_done"),
    [
        ("Which forces have not yet appointed stalking SPOCs?", None, True),
        ("Which forces haven't withdrawn PINs?", None, True),
        ("Which forces are yet to audit breach recording?", Status.planned, False),  # a status word says which
        ("Which forces have refused to withdraw PINs?", Status.declined, False),
        ("Which forces have audited breach recording?", None, False),
    ],
)
def test_a_force_question_with_a_negation_asks_for_what_was_not_done(question, status, not_done):
    query = understand(question)
    assert (query.status, query.not_done) == (status, not_done)


def test_a_count_answers_only_the_thing_the_question_counts():
    assert counts("Merseyside Police recorded 1,487 stalking offences in 2018/19.", "stalking offences")
    assert counts("South Yorkshire Police recorded 1,236 stalking crimes in 2018-19.", "stalking offences")
    assert not counts("In 2018/19 the hub supported 146 victims of stalking or harassment.", "stalking offences")
    assert counts("By 31 March 2020 magistrates had granted eleven orders.", "Stalking Protection Orders")
    assert not counts(
        "The force dip-sampled 150 reports of breaches of restraining orders.", "Stalking Protection Orders"
    )
    assert counts("Twenty-four detective constables have been trained.", "detective constables")
    # a unit's name between the number and the thing is one modifier, not four words
    assert counts("Input delivered to 88 of 205 Force Control Room staff by 20/03/2020.", "control room staff")
    assert not counts("Input delivered to 88 officers, a third of the response and control room staff.", "staff")
    # "N of them" counts the thing only in a sentence that names it
    assert counts("Of the 140 victims referred, 81 of them were supported by an advocate.", "victims")
    assert not counts("The check was completed in 81 of them.", "victims")
    before = "In 41 of the 180 occurrences the history showed a course of conduct."
    assert counts("In 12 of those 41 no crime had been recorded.", "breach occurrences", before=before)
    assert not counts("Every one of those 19 cases was a victim who deserved better.", "Stalking Protection Orders")


def test_an_office_holder_is_named_beside_the_office():
    assert names_holder("I have asked the Chief Constable of Kent Police, Jane Doe, to report.", "Chief Constable")
    assert names_holder("Chief Constable Jane Doe has replied.", "Chief Constable")
    assert not names_holder("Report of: Chief Constable. Author: Sam Smith, Head of Unit.", "Chief Constable")


def test_dates_are_recognised_in_the_ways_letters_write_them():
    for text in ("on 1st of August 2019", "from January 2020", "on 01/12/2017", "dated 2019-06-18"):
        assert has_date(text), text
    assert not has_date("the hub supported 146 victims of stalking")


def test_acronyms_are_read_from_the_documents_that_define_them():
    found = acronyms(["The force will withdraw Police Information Notices (PINs) at once.", "a detective (DC)"])
    assert found["pin"] == frozenset({"polic", "inform", "notic"})
    assert "dc" not in found  # one word is no definition


def test_labels_and_title_case_headings_are_no_statements():
    for label in (
        "Police & Crime Commissioner's comments",
        "Force Lead for Stalking and Harassment",
        "Risk assessment.",
    ):
        assert is_title(label), label
    for statement in ("The force has trained 800 officers.", "Protocol signed with CPS Wessex in March 2018"):
        assert not is_title(statement), statement


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        (
            "Who sent the Kent update, to whom, and for which board?",
            [DocFact.recipient, DocFact.author, DocFact.meeting],
        ),
        ("Who signed the Kent letter and when was it sent?", [DocFact.author, DocFact.date]),
        # one phrase asks one fact: the recipient's, not also the writer's
        ("Who was the Kent letter sent to?", [DocFact.recipient]),
    ],
)
def test_a_question_may_ask_several_facts_of_one_document(question, facts):
    query = understand(question)
    assert [query.doc_fact, *query.more_facts] == facts


def test_a_short_question_in_the_previous_ones_words_goes_on_from_it():
    first = understand("When did Kent's PCC write to the Home Secretary?")
    follow = understand("Who was the Home Secretary?", first, None, ["kent-letter"])
    assert follow.follow_up and follow.filters.forces == ["Kent"]
    # a word the previous question did not use is a new subject
    assert not understand("Who was the Policing Minister?", first, None, ["kent-letter"]).follow_up


@pytest.mark.parametrize(
    ("question", "period", "since"),
    [
        ("Did Nottinghamshire get any orders granted in 2019-20?", (2019, 2020), None),
        ("How many stalking crimes were recorded in 2018/19?", (2018, 2019), None),
        ("What was done in 2019?", None, date(2019, 1, 1)),
    ],
)
def test_a_financial_year_is_a_period_asked_about_not_a_filter_on_dates(question, period, since):
    # the 2019-20 annual report is published in the autumn of 2020: "in 2019" would lose it
    query = understand(question)
    assert (query.period, query.filters.since) == (period, since)


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "How many orders has Derbyshire applied for, and how many has it been granted?",
            ["How many orders has Derbyshire applied for?", "and how many has it been granted?"],
        ),
        (
            "Which charity is taking part, and how much is the Commissioner putting into it?",
            ["Which charity is taking part?", "and how much is the Commissioner putting into it?"],
        ),
        # her job is the job of the person the first part's answer names: the signature gives both
        ("Who signed the reply to Ms Garside, and what is her job?", []),
        # a force question asks its second part of each force
        ("Which forces have not yet audited breaches, and when do they plan to?", []),
        ("What did the force find when it audited breaches of orders?", []),
    ],
)
def test_a_question_in_two_parts_is_read_as_two_questions(question, parts):
    assert [part.question for part in understand(question).parts] == parts


def test_the_second_part_of_a_question_goes_on_from_the_first():
    first, second = understand("How many orders has Derbyshire applied for, and how many has it been granted?").parts
    assert first.focus == "orders" and second.focus == ""  # "how many has it": no noun of its own
    assert second.follow_up and second.filters.forces == ["Derbyshire"]
    assert "orders" in second.text  # retrieved with the subject the first part named


def test_a_two_part_follow_up_points_back_by_its_first_part():
    first = understand("Has Kent Police checked how it records breaches of restraining orders?")
    question = "When was that finished, and in how many cases should a stalking crime also have been recorded?"
    follow = understand(question, first, None, ["kent-decision"])
    assert follow.follow_up and follow.filters.forces == ["Kent"]
    assert [p.question for p in follow.parts] == [
        "When was that finished?",
        "and in how many cases should a stalking crime also have been recorded?",
    ]


def test_how_many_people_is_counted_by_any_noun_for_people_but_the_ones_the_question_names():
    asked = "people stalking advocates help"
    assert counts("In 2019-20 they supported one hundred and eighty-seven victims.", "people", asked=asked)
    assert not counts("I have funded two Independent Stalking Advocates.", "people", asked=asked)
    assert not counts("The advocates received 412 referrals.", "people", asked=asked)
