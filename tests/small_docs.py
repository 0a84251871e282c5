"""Short response texts that tests write into corpora: each answers one question."""

KENT_V1 = (
    "Kent Police response to the stalking and harassment inspection, 3 March 2020.\n\n"
    "Kent Police has appointed a stalking coordinator in each of its three divisions.\n"
)
KENT_V2 = KENT_V1 + (
    "\nKent Police has trained 450 frontline officers to recognise stalking behaviour since January 2020.\n"
)
SURREY = (
    "Surrey Police response to the stalking inspection, 12 June 2020.\n\n"
    "Surrey Police now reviews every breach of a stalking protection order within 48 hours.\n"
)
SUFFOLK = (
    "Suffolk Constabulary comments, 2 February 2020.\n\n"
    "Suffolk Constabulary has commissioned an external audit of how breaches of orders are recorded.\n"
)
