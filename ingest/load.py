"""Load one corpus file into pages of text: PDFs page by page (pypdf), text and markdown as one.

Every failure is a `LoadError` whose message is one line a user can act on; the caller prefixes
the path (`broken.pdf: not a valid PDF (pypdf: EOF marker not found)`). The file type is decided
by content, not only by extension: a PDF saved as `.txt` is read as a PDF, and a `.pdf` that is
really text is reported.

PDFs are parsed in a separate, long-lived worker process with a memory cap, so a pathological PDF
(endless loop, decompression bomb) costs only that file: after `pdf_timeout_s` the worker is killed
and the next PDF starts a fresh one.
"""

from __future__ import annotations

import atexit
import codecs
import json
import logging
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
import warnings
from pathlib import Path
from stat import S_ISREG

from ingest.types import Page

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".vtt")  # .vtt: WebVTT captions, read as text

MB = 2**20
PDF_WORKER_MEMORY_BYTES = 2 * 2**30  # RLIMIT_AS of the PDF worker process
_SNIFF_BYTES = 1024  # PDF readers accept the %PDF- header anywhere in the first 1024 bytes
_WORKER_START_TIMEOUT_S = 60.0
_PROJECT_ROOT = Path(__file__).resolve().parent.parent
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\b\x1a\x1b")  # control bytes that do occur in real text


class LoadError(Exception):
    """A file that cannot be ingested; str(err) is a one-line reason a user can act on."""


def load_file(path: Path, *, max_bytes: int = 25 * MB, pdf_timeout_s: float = 60.0) -> list[Page]:
    """Pages of extracted text (1-based numbers). Raises LoadError with a one-line reason.

    - PDF: one `Page` per PDF page, `page.extract_text()` as pypdf returns it; pages without
      text are kept (empty) so numbers match the PDF. An encrypted PDF is opened when the empty
      password works.
    - Text and markdown: one page. UTF-8 (a BOM is dropped), else cp1252, else latin-1, so a
      Windows-encoded file never fails. The only change to the text is "\\r\\n" -> "\\n" (a lone
      "\\r" is kept); everything else is exactly as in the file, since citation offsets point
      into it. UTF-16 with a BOM is decoded too.

    The kind is sniffed from the content (`sniff_kind`): a PDF named .txt/.md is loaded as a PDF;
    a .pdf whose bytes are text or binary is "not a valid PDF (no %PDF header)".
    """
    path = Path(path)
    try:
        return _load(path, max_bytes, pdf_timeout_s)
    except LoadError:
        raise
    except Exception as exc:
        log.exception("unexpected error loading %s", path)
        raise LoadError(f"unexpected error while loading ({type(exc).__name__}: {_short(exc)}); see the log") from exc


def sniff_kind(head: bytes) -> str | None:
    """ "pdf", "text" or None (binary), judged from the first bytes of a file.

    A PDF starts with `%PDF-` (after optional whitespace), or has it within the first 1024 bytes
    after binary junk; `%PDF-` quoted inside text does not make a PDF. Binary means a NUL byte
    (unless the text is UTF-16 with a BOM) or more than 5% control characters. High bytes count
    as text: cp1252 and latin-1 files are text.
    """
    head = head[:_SNIFF_BYTES]
    at = head.find(b"%PDF-")
    if at == 0 or (at > 0 and (not head[:at].strip(b" \t\r\n\f\x00") or _is_binary(head[:at]))):
        return "pdf"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    return None if _is_binary(head) else "text"


def _is_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    controls = sum(1 for b in data if (b < 0x20 or b == 0x7F) and b not in _TEXT_CONTROLS)
    return controls > 0.05 * len(data)


def _load(path: Path, max_bytes: int, pdf_timeout_s: float) -> list[Page]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        named = f"'{suffix}'" if suffix else "(no extension)"
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise LoadError(f"unsupported file type {named} (supported: {supported})")
    try:
        st = path.stat()
        if not S_ISREG(st.st_mode):
            raise LoadError("not a regular file")
        if st.st_size > max_bytes:
            size, limit = st.st_size / MB, max_bytes / MB
            raise LoadError(f"file too large ({size:.1f} MB; limit {limit:g} MB)")
        if st.st_size == 0:
            raise LoadError("empty file")
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
            kind = sniff_kind(head)
            # A .pdf gets the reader's leniency: a header anywhere in the first 1024 bytes.
            if kind == "pdf" or (suffix == ".pdf" and b"%PDF-" in head):
                kind = "pdf"
                data = b""
            else:
                data = head + f.read(max_bytes + 1 - len(head))
    except OSError as exc:
        raise LoadError(f"cannot read file ({exc.strerror or exc})") from exc
    if kind == "pdf":
        return _PDF_WORKER.parse(path, pdf_timeout_s)
    if len(data) > max_bytes:  # grew since stat
        raise LoadError(f"file too large (over {max_bytes / MB:g} MB limit)")
    return _load_text(data, suffix)


def _load_text(data: bytes, suffix: str) -> list[Page]:
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not data.strip():
        raise LoadError("empty file")
    if not utf16 and (b"\x00" in data or _is_binary(data[:_SNIFF_BYTES])):
        if suffix == ".pdf":
            raise LoadError("not a valid PDF (no %PDF header)")
        raise LoadError("not a text file (binary content)")
    text = _decode_text(data)
    if not text.strip():
        raise LoadError("empty file")
    if suffix == ".pdf":
        raise LoadError("not a valid PDF (no %PDF header)")
    return [Page(number=1, text=text)]


def _decode_text(data: bytes) -> str:
    """UTF-8 (BOM dropped), else cp1252, else latin-1 (never fails); "\\r\\n" becomes "\\n"."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return text.replace("\r\n", "\n")


def _short(exc: object, limit: int = 120) -> str:
    """First line of an error message, at most `limit` characters."""
    lines = str(exc).strip().splitlines()
    line = lines[0].strip() if lines else ""
    line = line or type(exc).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- The PDF worker --------------------------------------------------------------------------
#
# A separate interpreter (subprocess) rather than multiprocessing: spawn/forkserver children
# re-import the caller's __main__ (the CLI, Gradio, torch), which is slow and would count
# against the worker's memory cap. Messages are length-prefixed JSON over the child's
# stdin/stdout (no unpickling of anything a PDF parser produced).


class _PdfWorker:
    """One long-lived child process that parses PDFs, restarted after a timeout or a crash."""

    def __init__(self, command: list[str] | None = None) -> None:
        self._command = command
        self._proc: subprocess.Popen[bytes] | None = None
        self._owner_pid = 0
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """Process id of the running worker, if any."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def parse(self, path: Path, timeout_s: float) -> list[Page]:
        with self._lock:
            to_worker, from_worker = _pipe_fds(self._ensure_started())
            try:
                _send(to_worker, {"path": os.path.abspath(path)})
                reply = _recv(from_worker, time.monotonic() + timeout_s)
            except TimeoutError:
                self._kill()
                raise LoadError(f"parsing took longer than {timeout_s:g} s") from None
            except (EOFError, OSError, ValueError) as exc:
                code = self._reap()
                log.error("PDF worker failed on %s: %r (exit status %s)", path, exc, code)
                crash = f"the PDF parser crashed ({_describe_exit(code)})"
                raise LoadError(crash) from None
            except BaseException:
                # e.g. KeyboardInterrupt: the worker is still busy with this file, and its late
                # reply would be taken as the answer for the next one.
                self._kill()
                raise
            if reply.get("restart"):
                self._reap()
        for note in reply.get("notes", []):
            log.warning("%s: %s", path, note)
        for message in reply.get("pypdf_log", []):
            log.debug("%s: pypdf: %s", path, message)
        if "error" in reply:
            if reply.get("trace"):
                log.error("pypdf failed unexpectedly on %s:\n%s", path, reply["trace"])
            raise LoadError(reply["error"])
        return [Page(number=i, text=text) for i, text in enumerate(reply["pages"], start=1)]

    def close(self) -> None:
        """Stop the worker (it exits when its stdin closes)."""
        with self._lock:
            proc = self._proc
            if proc is None or self._owner_pid != os.getpid():
                self._proc = None
                return
            try:
                proc.stdin.close()  # type: ignore[union-attr]
                proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()
            self._drop()

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._owner_pid != os.getpid():
            self._proc = None  # inherited through fork: the parent's worker, not ours
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        if self._proc is not None:
            self._reap()
        command = self._command or _worker_command()
        try:
            proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, close_fds=True)
        except OSError as exc:
            log.exception("cannot start the PDF worker: %s", command)
            raise LoadError(f"the PDF parser could not be started ({_short(exc)})") from exc
        self._proc, self._owner_pid = proc, os.getpid()
        try:
            _recv(_pipe_fds(proc)[1], time.monotonic() + _WORKER_START_TIMEOUT_S)
        except (TimeoutError, EOFError, OSError, ValueError) as exc:
            self._kill()
            log.error("PDF worker did not start: %r (its stderr has the details)", exc)
            raise LoadError("the PDF parser could not be started; see the log") from None
        return proc

    def _kill(self) -> int | None:
        proc = self._proc
        if proc is None:
            return None
        proc.kill()
        code = proc.wait()
        self._drop()
        return code

    def _reap(self) -> int | None:
        """Wait briefly for a worker that is exiting on its own (or has died); kill if not."""
        proc = self._proc
        if proc is None:
            return None
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return self._kill()
        self._drop()
        return code

    def _drop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()


def _pipe_fds(proc: subprocess.Popen[bytes]) -> tuple[int, int]:
    """File descriptors of the worker's stdin (requests) and stdout (replies)."""
    assert proc.stdin is not None and proc.stdout is not None
    return proc.stdin.fileno(), proc.stdout.fileno()


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def _worker_command(setup: str = "") -> list[str]:
    """The command that starts a PDF worker. `setup`: Python statements run in the child before
    it serves requests, with this module bound to `m` (tests use it to stub the parser)."""
    code = (
        f"import sys; sys.path.insert(0, {str(_PROJECT_ROOT)!r}); import ingest.load as m; "
        f"{setup or 'pass'}; m._worker_main({PDF_WORKER_MEMORY_BYTES})"
    )
    return [sys.executable, "-c", code]


def _send(fd: int, message: dict) -> None:
    data = json.dumps(message).encode()
    view = memoryview(struct.pack(">Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _recv(fd: int, deadline: float | None) -> dict:
    """One message from `fd`; TimeoutError past `deadline` (monotonic), EOFError if closed."""
    (size,) = struct.unpack(">Q", _read_exact(fd, 8, deadline))
    return json.loads(_read_exact(fd, size, deadline))


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    buf = bytearray()
    while len(buf) < size:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(size - len(buf), 1 << 20))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


# --- Inside the worker process ---------------------------------------------------------------


def _worker_main(memory_bytes: int) -> None:
    """Serve parse requests from stdin until it closes; replies go to the original stdout."""
    _cap_memory(memory_bytes)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    out_fd = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # a stray print must not corrupt the replies
    _exit_with_parent()

    warnings.simplefilter("ignore")
    pypdf_log: list[str] = []
    _capture_pypdf_log(pypdf_log)
    import pypdf  # noqa: F401  (import before "ready", so the timeout measures parsing only)

    _send(out_fd, {"ready": os.getpid()})
    while True:
        try:
            request = _recv(0, None)
        except EOFError:
            return
        pypdf_log.clear()
        reply = _handle(request["path"])
        reply["pypdf_log"] = pypdf_log[:20]
        _send(out_fd, reply)
        if reply.get("restart"):
            return


def _handle(path: str) -> dict:
    notes: list[str] = []
    try:
        return {"pages": _parse_pdf(path, notes), "notes": notes}
    except LoadError as err:
        return {"error": str(err), "notes": notes}
    except MemoryError:
        # The heap may be left in a bad state: answer, then exit so the next file gets a new worker.
        limit = f"{PDF_WORKER_MEMORY_BYTES / 2**30:g} GiB"
        return {"error": f"parsing needs more than {limit} of memory", "restart": True}
    except Exception as exc:
        return {
            "error": f"not a valid PDF (pypdf: {type(exc).__name__}: {_short(exc)})",
            "trace": traceback.format_exc(),
            "notes": notes,
        }


def _parse_pdf(path: str, notes: list[str]) -> list[str]:
    """Text of each page; LoadError for the expected failures. Runs inside the worker."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    aes = "PDF is encrypted with AES (the 'cryptography' package is needed to read it)"
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise LoadError("PDF is encrypted (password required)")
        pages = reader.pages
        count = len(pages)
    except DependencyError:
        raise LoadError(aes) from None
    except PyPdfError as exc:
        raise LoadError(f"not a valid PDF (pypdf: {_short(exc)})") from None
    if count == 0:
        raise LoadError("not a valid PDF (it has no pages)")
    texts: list[str] = []
    failures: list[BaseException] = []
    for number in range(1, count + 1):
        try:
            texts.append(pages[number - 1].extract_text() or "")
        except DependencyError:
            raise LoadError(aes) from None
        except MemoryError:
            raise
        except Exception as exc:  # one bad page should not cost the others
            failures.append(exc)
            why = f"{type(exc).__name__}: {_short(exc)}"
            notes.append(f"page {number}: no text extracted (pypdf: {why})")
            texts.append("")
    if len(failures) == count:
        raise LoadError(f"not a valid PDF (pypdf: {_short(failures[0])})")
    if not any(text.strip() for text in texts):
        raise LoadError("no extractable text, needs OCR")
    return texts


def _cap_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: no cap
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _capture_pypdf_log(sink: list[str]) -> None:
    """Keep pypdf's warnings for the reply instead of printing them on the parent's terminal."""

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            sink.append(record.getMessage())

    pypdf_logger = logging.getLogger("pypdf")
    pypdf_logger.addHandler(_Collect(logging.WARNING))
    pypdf_logger.propagate = False


def _exit_with_parent() -> None:
    """Exit when the parent dies, even in the middle of a long parse."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


_PDF_WORKER = _PdfWorker()
atexit.register(_PDF_WORKER.close)
