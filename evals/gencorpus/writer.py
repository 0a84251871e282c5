"""The sentence writer of one document: fills template slots, draws filler, and states the planned topics."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from evals.gencorpus.data import (
    COMMENTS,
    F_GENERIC,
    F_STALKING,
    FILLER_BANKS,
    FOLLOW_ONS,
    FORCE_INFO,
    GROUPS,
    LEADS,
    LETTER,
    PARTNERS,
    RANKS,
    REPORTS,
    TOPIC_BY_ID,
    UNITS,
)
from evals.gencorpus.people import People, display, info, person
from evals.gencorpus.plan import DocPlan
from evals.gencorpus.text import long_date, month_year, number, ordinal, rand_date

_ALT_RE = re.compile(r"\[\[(.*?)\]\]")  # [[a|b|c]]: one of the alternatives
_FIRST_PERSON = re.compile(r"\b(?:I|my|My|me)\b")
_BIG_FORCES = ("Metropolitan", "Greater Manchester", "West Midlands", "West Yorkshire")

Makers = dict[str, Callable[[], Any]]


class Slots(dict):
    """str.format_map mapping that draws slot values on demand and remembers the numbers."""

    def __init__(self, makers: Makers, fixed: dict[str, str]):
        super().__init__(fixed)
        self.makers = makers
        self.numbers: dict[str, str] = {}

    def __missing__(self, key: str) -> str:
        value = self.makers[key]()
        if isinstance(value, int):
            value = number(value)
            self.numbers[key] = value
        self[key] = value
        return value


class Writer:
    """Writes the sentences of the document `plan` with its own random number generator."""

    def __init__(self, seed: int, plan: DocPlan, people: People, sussex_pcc: str):
        self.p = plan
        self.rng = random.Random(f"{seed}:doc:{plan.index}")
        self.people = people
        self.report = REPORTS[plan.report]
        self.info = info(plan.force)
        self.display = display(plan.force)
        self.sussex_pcc = sussex_pcc
        self.used: set[str] = set()
        self.voice = "pcc" if plan.kind in (LETTER, COMMENTS) else "cc"
        org = self.info.org
        self.subjects = [self.display, "the force"] + (["the Constabulary"] if org == "Constabulary" else [])
        if plan.force == "Metropolitan":
            self.subjects = [self.display, "the MPS", "the Service"]

    # ------------------------------------------------------------ slots
    def makers(self, lower: date | None) -> Makers:
        """Slot name -> a function drawing its value (only the slots a template uses are drawn)."""
        return {**self._date_makers(lower), **self._number_makers(), **self._word_makers()}

    def _date_makers(self, lower: date | None) -> Makers:
        """Dates relative to the document's; past ones after `lower` (a previous mention) when given."""
        rng, d = self.rng, self.p.date
        lo = max(lower + timedelta(days=1) if lower else d - timedelta(days=330), d - timedelta(days=330))
        hi = d - timedelta(days=20)
        if hi < lo:
            hi = lo = min(d, max(lo, d - timedelta(days=20)))

        def past() -> date:
            return rand_date(rng, lo, hi)

        def period() -> str:
            a = past()
            b = min(d - timedelta(days=5), a + timedelta(days=rng.randrange(60, 180)))
            return f"{long_date(a)} to {long_date(max(a, b))}"

        def future_date() -> str:
            cands = [date(y, m, dd) for y in (d.year, d.year + 1) for m, dd in ((3, 31), (6, 30), (9, 30), (12, 31))]
            return long_date(rng.choice([c for c in cands if c > d + timedelta(days=45)][:3]))

        return {
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
            "nsaw": lambda: f"April {d.year if d.month > 4 else d.year - 1}",
        }

    def _number_makers(self) -> Makers:
        """Numbers (ints are recorded as the sentence's facts), scaled up for the largest forces."""
        rng = self.rng
        big = 4 if self.p.force in _BIG_FORCES else 1
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
            "n_csp": lambda: rng.randint(3, 14),
            "n_orgs": lambda: rng.randint(8, 60),
            "meet_weeks": lambda: rng.choice((2, 4, 6, 8)),
            "n_victims": lambda: rng.randrange(2000, 40000, 10) * big,
            "n_days": lambda: rng.randint(2, 10),
            "n_days_big": lambda: rng.randint(30, 90),
            "n_days_mid": lambda: rng.randint(12, 29),
            "n_calls": lambda: rng.randrange(60000, 300000, 100) * big,
            "n_m": lambda: rng.randint(8, 45) * big,
            "n_recruits": lambda: rng.randrange(60, 400, 5) * big,
            "n_attendees": lambda: rng.randrange(40, 250, 5),
        }

    def _word_makers(self) -> Makers:
        rng, force = self.rng, self.p.force
        others = [f for f in FORCE_INFO if f != force]
        return {
            "board": lambda: self.people.board,
            "group": lambda: rng.choice(GROUPS),
            "unit": lambda: rng.choice(UNITS),
            "rank": lambda: rng.choice(RANKS),
            "name": lambda: person(rng),
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
            "other_display": lambda: display(rng.choice(others)),
            "grade": lambda: rng.choice(("good", "requires improvement", "good", "outstanding")),
            "subject": lambda: self.report.subject,
            "sussex_pcc": lambda: self.sussex_pcc,
            "display_cap": lambda: self.display,
        }

    def town(self) -> str:
        parts = [x.strip() for x in self.info.street.split(",")]
        return parts[-1]

    def _office(self) -> str:
        """The PCC's office as a sentence subject."""
        rng = self.rng
        if self.voice == "pcc" and self.p.kind == LETTER:
            office = rng.choice(("My office", "The OPCC"))
        else:
            office = rng.choice(("The OPCC", "The Office of the Police and Crime Commissioner"))
        return "MOPAC" if self.p.force == "Metropolitan" else office

    def fill(self, template: str, lower: date | None = None, status: str | None = None) -> tuple[str, dict[str, str]]:
        """The template with its slots filled, and the numbers drawn for it (slot -> "1,234")."""
        rng = self.rng
        subj = rng.choice(self.subjects)
        office = self._office()
        if template.startswith("{S}") and status and self.p.kind == LETTER and rng.random() < 0.5:
            template = rng.choice(LEADS[status]) + "{s}" + template[3:]
        slots = Slots(
            self.makers(lower),
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

    # ------------------------------------------------------------ filler
    def filler(self, banks: Sequence[Sequence[str]], voice: str) -> str:
        """A filler sentence not yet used in this document, in the given voice ("pcc" may say I/my)."""

        def fits(t: str) -> bool:
            if self.report.key != "sussex" and ("Sussex" in t or "Stalking Protection Act" in t):
                return False  # the 2019 inspection and Act do not belong in other responses
            return voice == "pcc" or not _FIRST_PERSON.search(t)

        context = F_STALKING if self.report.stalking else F_GENERIC
        pool = [t for b in banks for t in b if t not in self.used and fits(t)]
        if not pool:
            pool = [t for b in (context, *FILLER_BANKS.values()) for t in b if t not in self.used and fits(t)]
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
        extra = list(FILLER_BANKS.values())
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
            follow = self.rng.choice(FOLLOW_ONS)
            para = sentence + (" " + self.fill(follow)[0] if follow and status != "done" else "")
            mention = {
                "topic": topic.name,
                "topic_id": topic_id,
                "status": status,
                "sentence": sentence,
                "numbers": numbers,
                "rec": topic.rec,
            }
            out.append((para, mention))
        self.rng.shuffle(out)
        return out
