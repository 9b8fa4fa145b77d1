"""Cleaning a batch: inputs -> worker processes -> outputs, in input order, with nothing lost.

The work is split by input file, and a big JSON Lines file by byte ranges that start at line
starts. A task is a few inputs (or one range). A worker reads its task's inputs itself, cleans
them and writes the results: straight to their final files in an output directory (each written
atomically), or to a part file that the parent appends to the single output, in input order.
Only small reports (counts and messages) come back to the parent, so documents never travel
between processes. With one job, tasks run in the parent and write to the output directly.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import itertools
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field
from multiprocessing.synchronize import Event as _Event
from pathlib import Path
from types import FrameType
from typing import IO, NoReturn

import orjson
from tqdm import tqdm

from cleaner.api import Cleaner
from cleaner.atomic import (
    AtomicDirectory,
    AtomicFile,
    OutputError,
    Sink,
    directory_lock,
    make_directory,
    remove_stale,
    temp_path,
    write_atomic,
)
from cleaner.errors import CleanerError, InputError
from cleaner.patterns import PatternTimeout
from cleaner.reader import (
    Document,
    InputFile,
    RecordFields,
    Span,
    ascii_compatible,
    jsonl_spans,
    read_records,
    read_text,
)
from cleaner.stats import Stats
from cleaner.writer import RecordFiles, append_file, output_path, render, render_removals

TASK_BYTES = 1 << 20
"""Inputs are grouped into tasks of about this size, so small files share the cost of a task."""
TASK_INPUTS = 256
MIN_RANGE_BYTES = 4 << 20
MAX_RANGE_BYTES = 64 << 20
TASKS_PER_JOB = 4
"""Tasks in flight per worker: enough to keep workers busy, few enough to bound memory and temp
space while the parent waits for the earliest task."""


@dataclass(frozen=True)
class BatchOptions:
    """What a batch does with its inputs; the command line's options, as the library takes them.

    Outputs: a directory (`output_dir`) mirroring the inputs, one JSON Lines file
    (`output_file`), or else the stream given to `run_batch`. `output_format` None means text
    for text inputs and JSON Lines for JSON Lines inputs.
    """

    output_dir: Path | None = None
    output_file: Path | None = None
    output_format: str | None = None
    fields: RecordFields = field(default_factory=RecordFields)
    site: str | None = None
    url: str | None = None
    encoding: str = "utf-8"
    strict: bool = False
    jobs: int = 1
    resume: bool = False
    removed: Path | None = None
    count_rules: bool = False

    def format_for(self, source: InputFile) -> str:
        """The output format of `source`'s documents."""
        if self.output_file is not None:
            return "jsonl"
        return self.output_format or source.format

    @property
    def trace(self) -> bool:
        """Whether documents are cleaned with a trace of removals (which costs time)."""
        return self.removed is not None or self.count_rules


class BatchStopped(CleanerError):
    """The batch stopped early (`why`: at a bad record under ``--strict``, at an output that
    could not be written, or at a worker that died); outputs already complete are kept."""

    def __init__(self, message: str, stats: Stats, why: str) -> None:
        self.stats = stats
        self.why = why
        super().__init__(message)


@dataclass(frozen=True)
class Piece:
    """One input, or one byte range of it, and the final output it writes itself (None: it
    writes to the task's stream)."""

    source: InputFile
    span: Span | None = None
    destination: Path | None = None


@dataclass(frozen=True)
class Chunks:
    """The chunks that the output of a big JSON Lines input is made of in an output directory:
    one file in `directory` per byte range, written whole when its range is cleaned, and kept
    across runs, so that ``--resume`` cleans only the ranges not done. They are joined into
    `destination` once every one is there; `directory` goes with them."""

    destination: Path
    directory: Path
    files: tuple[Path, ...]


@dataclass(frozen=True)
class Task:
    """Pieces cleaned together. A worker writes their stream output and audit trail to `part`
    and `removed_part`; `joins` names the output whose chunk `part` is (written whole, or not
    at all); after the task with `chunks`, that output is joined from them."""

    pieces: tuple[Piece, ...]
    size: int
    part: Path | None = None
    removed_part: Path | None = None
    joins: Path | None = None
    chunks: Chunks | None = None


@dataclass
class TaskReport:
    """What a task did: counts, and the warnings and failures to show, in order."""

    stats: Stats = field(default_factory=Stats)
    messages: list[str] = field(default_factory=list)
    stopped: str | None = None
    why: str = ""  # why it stopped, for the last line of the run
    incomplete: bool = False  # a piece could not be read, cleaned or written to its end
    unclean: int = 0  # documents read but not cleaned (a rule's pattern ran out of time)

    def warn(self, message: str) -> None:
        self.stats.warnings += 1
        self.messages.append(f"warning: {message}")

    def fail(self, error: CleanerError | OSError) -> None:
        message = str(error)
        self.stats.failures.append(message)
        self.messages.append(message)

    def stop(self, message: str, why: str) -> None:
        self.stopped, self.why = message, why

    def timeout(self, source: str, error: PatternTimeout) -> None:
        """A document not cleaned because a rule's pattern ran out of time, counted per rule."""
        self.stats.timeouts[error.rule] += 1
        self.fail(InputError(source, str(error)))


class Reporter:
    """Messages and, when asked, a progress bar, both on standard error."""

    def __init__(self, show_progress: bool, total_bytes: int | None = None) -> None:
        self.bar: tqdm[NoReturn] | None = None
        if show_progress:
            self.bar = tqdm(
                total=total_bytes,
                unit="B",
                unit_scale=True,
                unit_divisor=1000,
                file=sys.stderr,
                dynamic_ncols=True,
            )
        self.documents = 0
        self.started = time.perf_counter()

    def message(self, text: str) -> None:
        line = f"cleaner: {text}"
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def advance(self, size: int, documents: int) -> None:
        if self.bar is None:
            return
        self.documents += documents
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        self.bar.set_postfix_str(
            f"{self.documents:,} docs, {self.documents / elapsed:,.0f} docs/s", refresh=False
        )
        self.bar.update(size)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_batch(
    inputs: Iterable[InputFile | InputError],
    cleaner: Cleaner,
    options: BatchOptions,
    stream: IO[bytes],
    reporter: Reporter,
) -> Stats:
    """Clean `inputs` in order into the outputs `options` name (`stream` for neither a
    directory nor a file). Failures are reported and counted, and the batch goes on; it stops
    with `BatchStopped` at a bad record under ``--strict``, at an output that cannot be
    written (a full disk) and at a worker process that died. An output directory is locked
    for the run (`OutputBusy` if another run holds it)."""
    stats = Stats()
    try:
        with ExitStack() as stack:
            _run(inputs, cleaner, options, stream, reporter, stats, stack)
    except OutputError as error:
        raise BatchStopped(str(error), stats, "an output could not be written") from None
    return stats


def _run(
    inputs: Iterable[InputFile | InputError],
    cleaner: Cleaner,
    options: BatchOptions,
    stream: IO[bytes],
    reporter: Reporter,
    stats: Stats,
    stack: ExitStack,
) -> None:
    if options.output_dir is not None:
        stack.enter_context(directory_lock(options.output_dir))
        remove_stale(options.output_dir)
    final = AtomicFile(options.output_file) if options.output_file is not None else None
    output = stack.enter_context(final) if final is not None else Sink(stream, "standard output")
    audit = None
    if options.removed is not None:
        audit = stack.enter_context(AtomicFile(options.removed))
    for path in (options.output_file, options.removed):
        if path is not None:
            remove_stale(path.parent)
    parts_dir = None
    if options.jobs > 1:
        parts_dir = _parts_directory(options)
        stack.callback(shutil.rmtree, parts_dir, ignore_errors=True)
    direct = options.output_dir is None
    runner = _Runner(cleaner, options, output if direct else None, audit)
    executor: Executor | None = None
    if options.jobs > 1:
        context = _worker_context()
        cancel = context.Event()
        executor = ProcessPoolExecutor(
            options.jobs,
            mp_context=context,
            initializer=_start_worker,
            initargs=(cleaner, options, cancel),
        )
        stack.callback(executor.shutdown, cancel_futures=True)
        stack.callback(cancel.set)  # first on the way out: running tasks stop at a document
    collector = _Collector(stats, reporter, output, audit)
    pending: deque[tuple[Task | None, Future[TaskReport]]] = deque()
    window = max(1, options.jobs * TASKS_PER_JOB)
    for item in _Planner(options, parts_dir, stats).tasks(inputs):
        pending.append((item if isinstance(item, Task) else None, _submit(item, runner, executor)))
        while pending and (len(pending) > window or pending[0][1].done()):
            collector.collect(*pending.popleft())
    while pending:
        collector.collect(*pending.popleft())
    output.flush()
    if final is not None and collector.unclean:
        final.discard()
        reporter.message(
            f"{options.output_file}: not written, since {collector.unclean} document(s) could "
            "not be cleaned (reported above); fix their rules, then run again"
        )


def _parts_directory(options: BatchOptions) -> Path:
    """A temporary directory for part files, beside the outputs so that renames stay cheap."""
    near = options.output_dir or (options.output_file.parent if options.output_file else None)
    near = near if near is not None else Path(tempfile.gettempdir())
    near.mkdir(parents=True, exist_ok=True)
    remove_stale(near)
    parts = temp_path(near / "parts")
    parts.mkdir()
    return parts


def _submit(
    item: Task | InputError, runner: _Runner, executor: Executor | None
) -> Future[TaskReport]:
    if isinstance(item, InputError):
        report = TaskReport()
        report.fail(item)
        return _done(report)
    if executor is None or any(piece.source.path is None for piece in item.pieces):
        return _done(runner.run(item))  # standard input can only be read here
    return executor.submit(_work, item)


def _done(report: TaskReport) -> Future[TaskReport]:
    future: Future[TaskReport] = Future()
    future.set_result(report)
    return future


class _Collector:
    """Takes finished tasks in input order: prints their messages, merges their counts, and
    appends their parts to the outputs."""

    def __init__(self, stats: Stats, reporter: Reporter, stream: Sink, audit: Sink | None) -> None:
        self.stats = stats
        self.reporter = reporter
        self.stream = stream
        self.audit = audit
        self.unclean = 0

    def collect(self, task: Task | None, future: Future[TaskReport]) -> None:
        try:
            report = future.result()
        except BrokenProcessPool:
            raise BatchStopped(
                "a worker process died (killed, or out of memory?); the outputs complete so "
                "far are kept: run again (with --resume under --output-dir) to go on",
                self.stats,
                "a worker process died",
            ) from None
        for message in report.messages:
            self.reporter.message(message)
        self.stats.merge(report.stats)
        self.unclean += report.unclean
        if task is not None:
            self._append_parts(task)
            self.reporter.advance(task.size, report.stats.documents)
        if report.stopped is not None:
            raise BatchStopped(report.stopped, self.stats, report.why)

    def _append_parts(self, task: Task) -> None:
        if task.removed_part is not None and self.audit is not None:
            append_file(task.removed_part, self.audit)
            task.removed_part.unlink()
        if task.part is not None and task.joins is None:
            append_file(task.part, self.stream)
            task.part.unlink()
        if task.chunks is not None:
            self._join(task.chunks)

    def _join(self, chunks: Chunks) -> None:
        if not all(chunk.exists() for chunk in chunks.files):
            self.reporter.message(
                f"{chunks.destination}: not written, since part of its input could not be read "
                "or cleaned (reported above); fix that, then run again with --resume, which "
                "cleans only the parts not done"
            )
            return
        with AtomicFile(chunks.destination) as joined:
            for chunk in chunks.files:
                append_file(chunk, joined)
        shutil.rmtree(chunks.directory, ignore_errors=True)


class _Planner:
    """Turns inputs into tasks, in order: small inputs grouped, big JSON Lines files split into
    ranges (with several jobs), inputs whose output is complete left out under ``--resume``."""

    def __init__(self, options: BatchOptions, parts_dir: Path | None, stats: Stats) -> None:
        self.options = options
        self.parts_dir = parts_dir
        self.stats = stats
        self.numbers = itertools.count()
        self.outputs: set[Path] = set()
        self.swept: set[Path] = set()
        self.group: list[Piece] = []
        self.group_size = 0

    def tasks(self, inputs: Iterable[InputFile | InputError]) -> Iterator[Task | InputError]:
        for source in inputs:
            try:
                if isinstance(source, InputError):
                    raise source
                destination = self._destination(source)
            except InputError as error:
                yield from self._flush()
                yield error
                continue
            if self.options.resume and destination is not None and destination.exists():
                self.stats.resumed += 1
                shutil.rmtree(_chunk_directory(destination), ignore_errors=True)
                continue
            size = source.size
            spans = _ranges(source, size, self.options, destination)
            if spans and destination is not None:
                yield from self._flush()
                yield from self._chunk_tasks(source, destination, spans)
                continue
            if spans:
                yield from self._flush()
                yield from (
                    self._task([Piece(source, span)], span.end - span.start) for span in spans
                )
                continue
            self.group.append(Piece(source, None, destination))
            self.group_size += size
            if self.group_size >= TASK_BYTES or len(self.group) >= TASK_INPUTS:
                yield from self._flush()
        yield from self._flush()

    def _destination(self, source: InputFile) -> Path | None:
        """The output file (or directory) of `source` in the output directory, if there is one."""
        options = self.options
        if options.output_dir is None:
            return None
        destination = output_path(
            options.output_dir, source.relative, source.format, options.format_for(source)
        )
        if destination in self.outputs:
            raise InputError(
                source.name,
                f"its output {destination} is also an earlier input's output; skipped "
                "(rename it, or clean it in a separate run)",
            )
        self.outputs.add(destination)
        if destination.parent not in self.swept:  # once per directory written into
            self.swept.add(destination.parent)
            remove_stale(destination.parent)
        return destination

    def _chunk_tasks(
        self, source: InputFile, destination: Path, spans: list[Span]
    ) -> Iterator[Task]:
        """Tasks for the chunks of `destination` not yet done (under ``--resume``, those a
        stopped run left, if the input has not changed since), and the join after them."""
        directory = _chunk_directory(destination)
        manifest = directory / "manifest.json"
        assert source.path is not None
        facts = source.path.stat()
        wanted = {"size": facts.st_size, "mtime_ns": facts.st_mtime_ns}
        try:
            known = orjson.loads(manifest.read_bytes()) if self.options.resume else None
        except (OSError, orjson.JSONDecodeError):
            known = None
        if isinstance(known, dict) and all(known.get(k) == v for k, v in wanted.items()):
            spans = [Span(*span) for span in known["spans"]]
        else:
            shutil.rmtree(directory, ignore_errors=True)
            make_directory(directory, str(destination))
            spans_json = [[span.start, span.end, span.first_line] for span in spans]
            write_atomic(manifest, orjson.dumps({**wanted, "spans": spans_json}))
        remove_stale(directory)
        files = tuple(directory / f"{span.start:016d}.jsonl" for span in spans)
        chunks = Chunks(destination, directory, files)
        todo = [(span, file) for span, file in zip(spans, files, strict=True) if not file.exists()]
        if not todo:
            yield Task((), 0, chunks=chunks)
        for index, (span, file) in enumerate(todo):
            last = chunks if index == len(todo) - 1 else None
            task = self._task([Piece(source, span)], span.end - span.start)
            yield dataclasses.replace(task, part=file, joins=destination, chunks=last)

    def _flush(self) -> Iterator[Task]:
        if self.group:
            yield self._task(self.group, self.group_size)
            self.group, self.group_size = [], 0

    def _task(self, pieces: list[Piece], size: int) -> Task:
        """A task; with workers, its stream output and audit trail go to part files."""
        part = removed_part = None
        if self.parts_dir is not None:
            number = next(self.numbers)
            if self.options.output_dir is None:
                part = self.parts_dir / f"{number}.out"
            if self.options.removed is not None:
                removed_part = self.parts_dir / f"{number}.removed"
        return Task(tuple(pieces), size, part, removed_part)


def _chunk_directory(destination: Path) -> Path:
    return destination.with_name(f".{destination.name}.cleaner-chunks")


def _ranges(
    source: InputFile, size: int, options: BatchOptions, destination: Path | None
) -> list[Span]:
    """Byte ranges of a big JSON Lines file: for the workers to share, and in an output
    directory for ``--resume`` to pick up where a stopped run left it; one range for the rest."""
    splittable = (
        (options.jobs > 1 or destination is not None)
        and source.format == "jsonl"
        and source.path is not None
        and not source.path.name.endswith(".gz")
        and ascii_compatible(options.encoding)
        and not (destination is not None and options.format_for(source) == "text")
    )
    range_bytes = min(max(size // (options.jobs * TASKS_PER_JOB), MIN_RANGE_BYTES), MAX_RANGE_BYTES)
    if not splittable or size < 2 * range_bytes or source.path is None:
        return []  # one piece, not split
    try:
        return jsonl_spans(source.path, range_bytes)
    except OSError:
        return []  # reading it whole then reports the problem with the file


_worker: tuple[Cleaner, BatchOptions, _Event] | None = None
_in_task = False
_parent = 0


def _worker_context() -> multiprocessing.context.BaseContext:
    method = start_method(multiprocessing.get_all_start_methods(), threading.active_count())
    if method == "fork":
        # A forked worker must have nothing of this process's left to write.
        sys.stdout.flush()
        sys.stderr.flush()
    return multiprocessing.get_context(method)


def start_method(available: list[str], threads: int) -> str:
    """How workers start: forked on Linux when this process runs no other thread, so that
    they begin at once with the rules loaded; otherwise from a clean process, since forking a
    process that runs threads (a progress bar's, a host application's) can deadlock.

    A clean process imports `cleaner` and loads the rules again after this one has: 0.33 s
    before the first document, in a run that may take seconds.
    """
    if sys.platform == "linux" and "fork" in available and threads == 1:
        return "fork"
    return "forkserver" if "forkserver" in available else "spawn"


def _start_worker(cleaner: Cleaner, options: BatchOptions, cancel: _Event) -> None:
    """A worker leaves Ctrl-C to the parent (the terminal sends it to every process of the
    run), which stops it through `cancel`; SIGTERM, and the death of the parent, end it after
    its task's temporary files are removed."""
    global _worker, _parent
    _worker = (cleaner, options, cancel)
    _parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            # prctl(PR_SET_PDEATHSIG, SIGTERM): a parent killed with -9 takes its workers along
            ctypes.CDLL(None).prctl(1, signal.SIGTERM)
        if os.getppid() != _parent:  # the parent died before that
            os._exit(0)


def _on_terminate(signum: int, frame: FrameType | None) -> None:
    if _in_task:
        raise _Cancelled  # unwinds the task, removing its temporary files, then exits
    os._exit(128 + signum)


def _work(task: Task) -> TaskReport:
    global _in_task
    assert _worker is not None, "the pool's initializer sets the worker's cleaner"
    cleaner, options, cancel = _worker
    _in_task = True
    try:
        return _Runner(cleaner, options, None, None, cancel).run(task)
    except _Cancelled:
        os._exit(0)  # the parent is stopping the run, or was told to
    finally:
        _in_task = False


class _Cancelled(BaseException):
    """The run is being stopped: a task gives up between documents (not an input's fault)."""


class _Runner:
    """Runs tasks: reads each piece, cleans its documents and writes them."""

    def __init__(
        self,
        cleaner: Cleaner,
        options: BatchOptions,
        stream: Sink | None,
        audit: Sink | None,
        cancel: _Event | None = None,
    ) -> None:
        self.cleaner = cleaner
        self.options = options
        self.stream = stream
        self.audit = audit
        self.cancel = cancel

    def run(self, task: Task) -> TaskReport:
        report = TaskReport()
        try:
            self._run(task, report)
        except OutputError as error:  # closing a part file
            _output_failed(report, error)
        return report

    def _run(self, task: Task, report: TaskReport) -> None:
        options = self.options
        with ExitStack() as stack:
            stream = self.stream
            chunk = None
            if task.joins is not None and task.part is not None:
                chunk = AtomicFile(task.part)
                stream = stack.enter_context(chunk)
            elif task.part is not None:
                stream = Sink.create(task.part, str(options.output_file or "standard output"))
                stack.callback(stream.close)
            audit = self.audit
            if task.removed_part is not None:
                audit = Sink.create(task.removed_part, str(options.removed))
                stack.callback(audit.close)
            for piece in task.pieces:
                try:
                    self._piece(piece, stream, audit, report)
                except _Stop as stop:
                    report.stop(f"{stop.error} (stopped by --strict)", "--strict")
                    break
                except BrokenPipeError:
                    raise  # the reader of the output is gone: no input is at fault
                except OutputError as error:
                    _output_failed(report, error)
                    if error.disk_full:
                        break
                except (InputError, OSError) as error:
                    report.fail(error)
                    report.incomplete = True
            if chunk is not None and (report.incomplete or report.stopped):
                chunk.discard()  # --resume cleans this range again

    def _piece(
        self,
        piece: Piece,
        stream: Sink | None,
        audit: Sink | None,
        report: TaskReport,
    ) -> None:
        source, options = piece.source, self.options
        output_format = options.format_for(source)
        documents: Iterator[Document | InputError]
        if source.format == "text":
            documents = iter([read_text(source, options.encoding)])  # before any output exists
        else:
            documents = read_records(source, options.fields, piece.span, options.encoding)
        destination = piece.destination
        if destination is None:
            assert stream is not None, "a piece without its own output writes to the stream"
            unclean = self._clean(
                documents, output_format, lambda _doc, data: stream.write(data), audit, report
            )
            if unclean and piece.span is not None:
                report.incomplete = True  # a range of an output that must be whole
            return
        if source.format == "jsonl" and output_format == "text":
            tree = AtomicDirectory(destination)
            with tree as directory:
                files = RecordFiles(directory, str(destination))
                unclean = self._clean(
                    documents,
                    output_format,
                    lambda doc, data: files.write(doc.id, data),
                    audit,
                    report,
                )
                if unclean:
                    tree.discard()
        else:
            target = AtomicFile(destination)
            with target as handle:
                unclean = self._clean(
                    documents, output_format, lambda _doc, data: handle.write(data), audit, report
                )
                if unclean:
                    target.discard()
        if unclean:
            report.incomplete = True
            report.messages.append(
                f"{destination}: not written, since {unclean} document(s) could not be "
                "cleaned (reported above); fix their rules, then run again with --resume"
            )

    def _clean(
        self,
        documents: Iterator[Document | InputError],
        output_format: str,
        write: Callable[[Document, bytes], object],
        audit: Sink | None,
        report: TaskReport,
    ) -> int:
        """Clean and write `documents`; return how many could not be cleaned."""
        options, cleaner, cancel = self.options, self.cleaner, self.cancel
        unclean = 0
        for document in documents:
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            if isinstance(document, InputError):
                if options.strict:
                    raise _Stop(document)
                report.fail(document)
                continue
            for warning in document.warnings:
                report.warn(warning)
            try:
                result = cleaner.clean(
                    document.text,
                    url=options.url or document.url,
                    site=options.site,
                    explain=options.trace,
                )
            except PatternTimeout as timeout:
                report.timeout(document.source, timeout)
                unclean += 1
                continue
            except Exception as exc:  # one document's bug must not stop the batch
                report.fail(
                    InputError(
                        document.source,
                        f"cleaning failed ({type(exc).__name__}: {exc}); this is a bug in "
                        "cleaner: please report it with this input",
                    )
                )
                unclean += 1
                continue
            data = render(document, result, output_format, options.fields.text)
            write(document, data)
            if audit is not None and result.removals:
                audit.write(render_removals(document.id, result.removals))
            report.stats.add(result, document.size, len(data))
        report.unclean += unclean
        return unclean


def _output_failed(report: TaskReport, error: OutputError) -> None:
    """A full disk stops the batch (every later write would fail too); other write failures
    fail one input."""
    report.incomplete = True
    if error.disk_full:
        report.stop(str(error), "an output could not be written")
    else:
        report.fail(error)


class _Stop(Exception):
    """A bad record under ``--strict``: the task stops there."""

    def __init__(self, error: InputError) -> None:
        self.error = error
        super().__init__(str(error))


def available_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


PARALLEL_MIN_BYTES = 4 * 1024 * 1024
"""Below this much input, starting workers (each loading the rules) costs more than it saves."""


def input_bytes(found: Iterable[InputFile | InputError], enough: int | None = None) -> int:
    """The size of the input files found, counted only up to `enough` when that is given."""
    total = 0
    for item in found:
        if isinstance(item, InputFile):
            total += item.size
            if enough is not None and total >= enough:
                break
    return total


def default_jobs(total_bytes: int) -> int:
    """One process for small inputs, one per core for the rest."""
    return available_cores() if total_bytes >= PARALLEL_MIN_BYTES else 1
