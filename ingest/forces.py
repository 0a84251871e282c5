"""The 43 territorial police forces of England and Wales and the names people use for them."""

from __future__ import annotations

import re
from functools import lru_cache

FORCES: tuple[str, ...] = (
    "Avon and Somerset",
    "Bedfordshire",
    "Cambridgeshire",
    "Cheshire",
    "City of London",
    "Cleveland",
    "Cumbria",
    "Derbyshire",
    "Devon and Cornwall",
    "Dorset",
    "Durham",
    "Dyfed-Powys",
    "Essex",
    "Gloucestershire",
    "Greater Manchester",
    "Gwent",
    "Hampshire",
    "Hertfordshire",
    "Humberside",
    "Kent",
    "Lancashire",
    "Leicestershire",
    "Lincolnshire",
    "Merseyside",
    "Metropolitan",
    "Norfolk",
    "North Wales",
    "North Yorkshire",
    "Northamptonshire",
    "Northumbria",
    "Nottinghamshire",
    "South Wales",
    "South Yorkshire",
    "Staffordshire",
    "Suffolk",
    "Surrey",
    "Sussex",
    "Thames Valley",
    "Warwickshire",
    "West Mercia",
    "West Midlands",
    "West Yorkshire",
    "Wiltshire",
)

# Other spellings seen in letters and board papers, mapped to the canonical name.
ALIASES: dict[str, str] = {
    "Devon, Cornwall and the Isles of Scilly": "Devon and Cornwall",
    "Devon & Cornwall": "Devon and Cornwall",
    "D&C": "Devon and Cornwall",
    "Cambs": "Cambridgeshire",
    "Cambridge constabulary": "Cambridgeshire",
    "Avon & Somerset": "Avon and Somerset",
    "Dyfed Powys": "Dyfed-Powys",
    "Hampshire and Isle of Wight": "Hampshire",
    "Hampshire & Isle of Wight": "Hampshire",
    "Metropolitan Police": "Metropolitan",
    "Metropolitan Police Service": "Metropolitan",
    "the Met": "Metropolitan",
    "MPS": "Metropolitan",
    "GMP": "Greater Manchester",
    "Heddlu Gwent": "Gwent",
    "Heddlu Dyfed-Powys": "Dyfed-Powys",
    "Heddlu Gogledd Cymru": "North Wales",
    "Heddlu De Cymru": "South Wales",
    "Durham Constabulary": "Durham",
}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = sorted({*FORCES, *ALIASES}, key=len, reverse=True)
    alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?<![\w&])(?:{alternation})(?![\w&])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table = {f.lower(): f for f in FORCES}
    table.update({a.lower(): f for a, f in ALIASES.items()})
    return table


def normalise_force(name: str) -> str | None:
    """Canonical force name for `name` ("devon & cornwall" -> "Devon and Cornwall"), or None."""
    return _lookup().get(" ".join(name.split()).lower())


def find_forces(text: str) -> list[tuple[str, int, int]]:
    """Every mention of a force in `text`, as (canonical name, start, end), in order."""
    found = []
    for m in _pattern().finditer(text):
        raw = m.group(0)
        # Short all-capital aliases only count when written in capitals ("MPS", not "mps").
        if raw.lower() in {"mps", "gmp", "d&c"} and not raw.isupper():
            continue
        force = normalise_force(raw)
        if force:
            found.append((force, m.start(), m.end()))
    return found
