"""Managing the documents of an index from a surface (the web app's Documents tab).

Uploads are stored under `settings.data_dir / "uploads"` only, under a sanitised name, after
their type has been checked by content; then they are ingested like any corpus file.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from assistant.settings import PROJECT_DIR, Settings
from ingest.load import SUPPORTED_SUFFIXES, sniff_kind
from ingest.pipeline import ingest, reading_hash, source_name
from ingest.store import Index

MB = 2**20
_SNIFF_BYTES = 1024
_MAX_NAME = 80


@dataclass
class UploadResult:
    """What happened to one uploaded file: `ok` when it is in the index now.

    `status`: "added" (new to the index), "unchanged" (the same content was indexed under
    this name already: nothing was embedded), or "failed" (`message` says why).
    """

    name: str  # the name the user gave
    ok: bool
    message: str
    saved_as: Path | None = None
    status: str = "added"


@dataclass
class UploadBatch:
    results: list[UploadResult] = field(default_factory=list)

    @property
    def ok(self) -> list[UploadResult]:
        return [r for r in self.results if r.ok]


def uploads_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "uploads"


def safe_filename(name: str) -> str:
    """A file name with no directory part, no leading dot and only [A-Za-z0-9._-] characters.

    `../../etc/passwd.txt` -> `passwd.txt`; `Rapport d'été.PDF` -> `Rapport-d-ete.pdf`.
    """
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-._") or "upload"
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix).lower()
    return stem[:_MAX_NAME] + (f".{suffix}" if suffix else "")


def check_upload(path: Path, name: str, max_bytes: int) -> str | None:
    """Why `path` (uploaded as `name`) cannot be accepted, or None when it can."""
    suffix = Path(safe_filename(name)).suffix
    if suffix not in SUPPORTED_SUFFIXES:
        return f"unsupported file type '{suffix or '(none)'}' (supported: {', '.join(SUPPORTED_SUFFIXES)})"
    size = path.stat().st_size
    if size == 0:
        return "empty file"
    if size > max_bytes:
        return f"file too large ({size / MB:.1f} MB; limit {max_bytes / MB:g} MB)"
    with path.open("rb") as f:
        kind = sniff_kind(f.read(_SNIFF_BYTES))
    if kind is None:
        return "not a PDF or text file (binary content)"
    if kind == "pdf" and suffix != ".pdf":
        return f"the content is a PDF but the name ends in '{suffix}'; rename it to .pdf"
    if kind == "text" and suffix == ".pdf":
        return "not a valid PDF (the content is text, with no %PDF header)"
    return None


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(MB), b""):
            h.update(block)
    return h.hexdigest()


def store_upload(path: Path, name: str, settings: Settings) -> tuple[Path, str]:
    """Copy an accepted upload under the uploads dir; returns (saved path, note for the user).

    A different file already saved under the same name is never overwritten: the new one gets
    the next free name (`report-2.pdf`) and the note says so.
    """
    directory = uploads_dir(settings)
    directory.mkdir(parents=True, exist_ok=True)
    wanted = safe_filename(name)
    stem, suffix = Path(wanted).stem, Path(wanted).suffix
    digest = _digest(path)
    target, n = directory / wanted, 1
    while target.exists():
        if _digest(target) == digest:
            return target, "" if target.name == wanted else f"same content as the earlier upload {target.name}"
        n += 1
        target = directory / f"{stem}-{n}{suffix}"
    shutil.copyfile(path, target)
    if target.name != wanted:
        return target, f"a different file named {wanted} already exists; saved as {target.name}"
    if wanted != Path(re.split(r"[\\/]", name)[-1]).name:
        return target, f"saved as {wanted}"
    return target, ""


def add_uploads(settings: Settings, files: list[tuple[Path, str]], wait: float = 30) -> UploadBatch:
    """Check, store and ingest uploaded files given as (temporary path, name the user gave).

    Only indexed uploads are kept: a file that fails to index (or whose ingest raises) is
    removed from the uploads dir again, unless the same content was already indexed under
    that name. The temporary files are the caller's to delete. Raises
    `ingest.store.IndexBusy` when another writer holds the index for `wait` seconds.
    """
    batch = UploadBatch()
    known = Index(settings).hashes()  # source -> (doc_id, content hash), before this batch
    accepted: list[tuple[UploadResult, Path, bool]] = []  # (result, saved file, indexed before)
    for path, name in files:
        display = re.split(r"[\\/]", name)[-1] or name
        problem = check_upload(path, name, settings.max_upload_mb * MB)
        if problem:
            batch.results.append(UploadResult(display, False, problem, status="failed"))
            continue
        saved, note = store_upload(path, name, settings)
        indexed = known.get(source_name(saved), (None, None))[1] == reading_hash(saved)
        result = UploadResult(display, True, note, saved, "unchanged" if indexed else "added")
        batch.results.append(result)
        accepted.append((result, saved, indexed))
    if not accepted:
        return batch
    try:
        report = ingest(settings, [saved for _, saved, _ in accepted], wait=wait)
    except BaseException:
        _discard_unindexed(settings, [(saved, before) for _, saved, before in accepted])
        raise
    failures = {f.path: f.reason for f in report.failed}
    now = Index(settings).hashes()
    for result, saved, _ in accepted:
        source = source_name(saved)
        reason = failures.get(source)
        if reason is None and now.get(source, (None, None))[1] != reading_hash(saved):
            reason = "it could not be indexed"
        if reason:
            result.ok, result.status = False, "failed"
            result.message = reason.replace(str(saved), saved.name)
            result.saved_as = None
            saved.unlink(missing_ok=True)  # keep only files that are in the index
    return batch


def _discard_unindexed(settings: Settings, saved: list[tuple[Path, bool]]) -> None:
    """After an ingest that raised: remove the saved uploads that are not in the index."""
    try:
        now = Index(settings).hashes()
    except Exception:  # the index cannot be read either: keep only what was indexed before
        now = {}
    for path, before in saved:
        if before or not path.exists():
            continue
        if now.get(source_name(path), (None, None))[1] != reading_hash(path):
            path.unlink(missing_ok=True)


def original_path(source: str) -> Path:
    """The file a document was read from (sources are relative to the project when inside it)."""
    path = Path(source)
    return path if path.is_absolute() else PROJECT_DIR / path


def is_upload(source: str, settings: Settings) -> bool:
    try:
        original_path(source).resolve().relative_to(uploads_dir(settings).resolve())
        return True
    except ValueError:
        return False


def remove_document(settings: Settings, doc_id: str, wait: float = 30) -> str:
    """Remove a document from the index (and its file, when it was uploaded); returns a note.

    Raises KeyError for an unknown id and `ingest.store.IndexBusy` when the index stays locked.
    """
    index = Index(settings)
    doc = index.document(doc_id)
    if doc is None:
        raise KeyError(doc_id)
    with index.write_lock(timeout=wait):
        index.write([], [doc_id], {})
    name = Path(doc.source).name  # never the server path: users see titles and file names
    if is_upload(doc.source, settings):
        original_path(doc.source).unlink(missing_ok=True)
        return f"Removed {doc.meta.title or name} and its uploaded file {name}."
    return (
        f"Removed {doc.meta.title or name} from the index. Its file {name} is not an upload "
        "and was kept: the next ingest of the corpus adds it again unless you delete the file."
    )
