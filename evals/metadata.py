"""Score `ingest.describe` against expected document metadata.

    python -m evals.metadata                                  # seeds + challenge documents
    python -m evals.metadata --expected evals/extra/metadata.yaml evals/extra/corpus
    python -m evals.metadata --expected A.yaml --expected B.yaml DIR [DIR ...] [-v]

Each document under the DIRs (`.txt`, `.md`, `.pdf`) is read as ingest reads it (load, pages
joined by form feeds, clean) and described; describe sees the text only. Expectations are
YAML lists of `{source: corpus/<file name>, expect: {field: value}}` (the schema of
evals/extra/metadata.yaml; `split: tune | heldout` optional, tune when absent, tallied apart);
a document is matched to its row by file name, since rows name
files as they stand in one combined corpus.

Scoring, per field present in a row's `expect`:
- force, author_role: equal (case-insensitive).
- author_name, recipient: loose, case-insensitive containment either way ("Home Secretary"
  matches "Rt Hon Sajid Javid MP, Home Secretary"; "PCC's Scrutiny Board" matches "Scrutiny
  Board"; "PCC" is "Police and Crime Commissioner"). Joint authors written "Name One; Name
  Two" also match when every name is contained in the answer ("Name One and Name Two").
- doc_type: equal. Expectation files written before "email" and "action plan" existed say
  "other" for those documents: "other" accepts them (marked "finer"); `--strict` does not.
- date: "YYYY-MM-DD" needs that day (precision "day"), "YYYY-MM" that month with precision
  "month", "YYYY" that year with precision "year".
- A null expectation means the document states no such thing: the answer must be null too
  (a guess is scored wrong, not ignored). A field absent from `expect` is not scored.

Prints one line per document (its fields right or wrong, with what was read and what was
expected for the wrong ones), then the totals: fields right of fields scored, and documents
with every field right (and, when "finer" doc types were accepted, the strict field count).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

import yaml

from ingest.clean import PAGE_BREAK, clean
from ingest.describe import describe
from ingest.load import LoadError, load_file
from ingest.types import DocumentMeta

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXPECTED = [ROOT / "evals" / "challenge" / "metadata.yaml"]
DEFAULT_DIRS = [ROOT / "corpus", ROOT / "evals" / "challenge" / "corpus"]
FIELDS = ("force", "author_name", "author_role", "doc_type", "date", "recipient")
SUFFIXES = {".txt", ".md", ".pdf"}
# Values an older expectation schema folds into "other".
FINER_THAN_OTHER = {"email", "action plan"}


@dataclass
class Mark:
    field: str
    right: bool
    got: str | None
    want: str | None
    note: str = ""


def read_text(path: Path) -> str:
    """The text describe sees at ingest: pages joined by form feeds, cleaned."""
    pages = load_file(path)
    return clean(PAGE_BREAK.join(p.text for p in pages)).text


def expectations(files: list[Path]) -> tuple[dict[str, dict], dict[str, str]]:
    """(file name -> expected fields, file name -> its split), later files overriding earlier
    ones. A row without `split` is tuning material."""
    rows: dict[str, dict] = {}
    splits: dict[str, str] = {}
    for file in files:
        for row in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            rows[Path(row["source"]).name] = row.get("expect") or {}
            splits[Path(row["source"]).name] = row.get("split", "tune")
    return rows, splits


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Date):
        return value.isoformat()
    return str(value)


# The same office written out or as its initials: "PCC's Accountability Meeting" is the
# "Police and Crime Commissioner's Accountability Meeting".
_OFFICE_INITIALS = [(re.compile(r"\bpolice,? (?:fire )?and crime commissioner\b"), "pcc")]


def _folded(value: str) -> str:
    out = " ".join(value.lower().split())
    for pattern, initials in _OFFICE_INITIALS:
        out = pattern.sub(initials, out)
    return out


def _loose(got: str, want: str) -> bool:
    g, w = _folded(got), _folded(want)
    if g in w or w in g:
        return True
    names = [n.strip() for n in w.split(";") if n.strip()]
    return len(names) > 1 and all(n in g for n in names)


def _got(meta: DocumentMeta, field: str) -> str | None:
    if field == "date":
        if not meta.date:
            return None
        return {"day": meta.date.isoformat(), "month": meta.date.isoformat()[:7], "year": str(meta.date.year)}[
            meta.date_precision
        ]
    value = getattr(meta, field)
    return None if value is None else str(getattr(value, "value", value))


def mark(meta: DocumentMeta, field: str, want_raw: object, *, strict: bool) -> Mark:
    want, got = _text(want_raw), _got(meta, field)
    if want is None or got is None:
        return Mark(field, want is None and got is None, got, want)
    if field in ("author_name", "recipient"):
        return Mark(field, _loose(got, want), got, want)
    if field == "doc_type" and not strict and want == "other" and got in FINER_THAN_OTHER:
        return Mark(field, True, got, want, "finer")
    return Mark(field, got.lower() == want.lower(), got, want)


def documents(dirs: list[Path]) -> list[Path]:
    found: list[Path] = []
    for d in dirs:
        found += [d] if d.is_file() else sorted(p for p in d.rglob("*") if p.suffix.lower() in SUFFIXES)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.metadata", description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="folders (or files) of documents")
    parser.add_argument("--expected", action="append", type=Path, help="expectations YAML (repeatable)")
    parser.add_argument("--strict", action="store_true", help='"other" does not accept "email"/"action plan"')
    parser.add_argument("-v", "--verbose", action="store_true", help="print every field and its evidence")
    args = parser.parse_args(argv)
    rows, splits = expectations(args.expected or DEFAULT_EXPECTED)
    right = scored = docs_right = docs = finer = 0
    per_split: dict[str, list[int]] = {}  # split -> [fields right, fields scored]
    for path in documents(args.dirs or DEFAULT_DIRS):
        try:
            meta = describe(read_text(path))
        except LoadError as err:
            print(f"{path.name}: not loaded ({err})")
            continue
        if path.name not in rows:
            print(f"{path.name}: no expectations (not scored)")
            continue
        marks = [mark(meta, f, rows[path.name][f], strict=args.strict) for f in FIELDS if f in rows[path.name]]
        docs += 1
        docs_right += all(m.right for m in marks)
        right += sum(m.right for m in marks)
        scored += len(marks)
        finer += sum(m.note == "finer" for m in marks)
        tally = per_split.setdefault(splits[path.name], [0, 0])
        tally[0] += sum(m.right for m in marks)
        tally[1] += len(marks)
        wrong = [m for m in marks if not m.right]
        status = "ok" if not wrong else f"{len(wrong)} wrong"
        print(f"{path.name}: {sum(m.right for m in marks)}/{len(marks)} {status}")
        for m in marks:
            if not m.right or args.verbose or m.note:
                label = "right" if m.right else "WRONG"
                note = f" ({m.note})" if m.note else ""
                print(f"    {label:5} {m.field}: got {m.got!r}, expected {m.want!r}{note}")
        if args.verbose:
            for key, snippet in meta.evidence.items():
                print(f"    evidence {key}: {snippet!r}")
    print(f"\nfields right: {right}/{scored} ({right / scored:.2f})" if scored else "\nnothing scored")
    print(f"documents with every field right: {docs_right}/{docs}")
    if len(per_split) > 1:
        print("by split: " + ", ".join(f"{split} {r}/{n}" for split, (r, n) in sorted(per_split.items())))
    if finer:
        print(f'strictly (a finer doc_type than an expected "other" counted wrong): {right - finer}/{scored}')
    return 0


if __name__ == "__main__":
    sys.exit(main())
