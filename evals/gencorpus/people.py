"""Who writes, signs and receives the documents: force names and titles, and each force's office holders."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from evals.gencorpus.data import BOARDS, FIRST, FORCE_INFO, HOME_SECRETARIES, LAST, POSTNOMINALS, ForceInfo
from evals.gencorpus.text import rand_date, slug


def info(force: str) -> ForceInfo:
    if force in FORCE_INFO:
        return FORCE_INFO[force]
    domain = slug(force).replace("-", "")
    return ForceInfo("Police", f"Police Headquarters, {force}", "AB1 2CD", domain, "01000 000000")


def display(force: str) -> str:
    """The force's own name: "Gwent Police", "Cambridgeshire Constabulary"."""
    if force == "Metropolitan":
        return "Metropolitan Police Service"
    return f"{force} {info(force).org}"


def pcc_title(force: str) -> tuple[str, str]:
    """(signature title, office name) of the force's local policing body."""
    if force == "Metropolitan":
        return ("Deputy Mayor for Policing and Crime, London", "Mayor's Office for Policing and Crime")
    if force == "City of London":
        return ("Chairman of the Police Authority Board, City of London", "City of London Police Authority")
    if force == "Greater Manchester":
        return ("Deputy Mayor for Policing and Crime, Greater Manchester", "Greater Manchester Combined Authority")
    return (f"Police and Crime Commissioner for {force}", f"Office of the Police and Crime Commissioner for {force}")


def chief_title(force: str) -> str:
    return "Commissioner" if force in ("Metropolitan", "City of London") else "Chief Constable"


def home_secretary(d: date) -> str:
    return [n for start, n in HOME_SECRETARIES if start <= d][-1]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def bare_name(name: str) -> str:
    """ "Jeff Cuthbert B.Sc., MCIPD" -> "Jeff Cuthbert" (generated names are two words)."""
    return " ".join(name.split()[:2])


@dataclass
class People:
    """A force's PCCs and chief officers over time, and the board its PCC chairs."""

    pccs: list[tuple[date, str]]
    chiefs: list[tuple[date, str]]
    board: str

    def pcc(self, d: date) -> str:
        return [n for start, n in self.pccs if start <= d][-1]

    def chief(self, d: date) -> str:
        return [n for start, n in self.chiefs if start <= d][-1]


def office_holders(seed: int, force: str) -> People:
    rng = random.Random(f"{seed}:people:{force}")
    first = person(rng) + rng.choice(POSTNOMINALS)
    pccs = [(date(2000, 1, 1), first)]
    if rng.random() < 0.5:
        pccs.append((date(2021, 5, 13), person(rng)))
    chiefs = [(date(2000, 1, 1), person(rng) + rng.choice(POSTNOMINALS))]
    if rng.random() < 0.5:
        chiefs.append((rand_date(rng, date(2018, 1, 1), date(2021, 12, 31)), person(rng) + rng.choice(POSTNOMINALS)))
    if force == "Metropolitan":
        board = "MOPAC Oversight Board"
    elif force == "City of London":
        board = "Police Authority Board"
    else:
        board = rng.choice(BOARDS)
    return People(pccs, chiefs, board)
