"""Cleaning a batch: inputs -> worker processes -> outputs, in input order, with nothing lost.

The work is split by input file, and a big JSON Lines file into parts of whole lines: byte
ranges that the workers read themselves from a plain file, or chunks that the parent
decompresses from a compressed one (which cannot be entered in the middle). A task is a few
inputs (or one part). A worker reads its task's inputs, cleans them and writes the results,
compressed as each output's name says: straight to their final files in an output directory
(each written atomically), or to a part file that the parent appends to the single output, in
input order (compressed streams concatenate). Only small reports (counts and messages) come
back to the parent. With one job, tasks run in the parent, and write to the output directly
unless they are parts of one big file, whose progress is then told part by part as well.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, NoReturn, cast

import orjson

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
from cleaner.compression import compressed, compression_of
from cleaner.errors import CleanerError, InputError, RepeatLimit
from cleaner.patterns import PatternTimeout
from cleaner.reader import (
    Chunk,
    Document,
    InputFile,
    NothingToClean,
    RecordFields,
    Span,
    ascii_compatible,
    jsonl_chunks,
    jsonl_spans,
    read_documents,
)
from cleaner.stats import Stats
from cleaner.writer import RecordFiles, append_file, output_path, render, render_removals

if TYPE_CHECKING:
    import multiprocessing.context
    from multiprocessing.synchronize import Event as _Event

    from tqdm import tqdm

TASK_BYTES = 1 << 20
"""Inputs are grouped into tasks of about this size, so small files share the cost of a task."""
TASK_INPUTS = 256
MIN_RANGE_BYTES = 4 << 20
MAX_RANGE_BYTES = 64 << 20
MAX_CHUNK_BYTES = 16 << 20
"""Decompressed chunks travel to the workers, so fewer of their bytes are in flight at once."""
TASKS_PER_JOB = 4
"""Tasks in flight per worker: enough to keep workers busy, few enough to bound memory and temp
space while the parent waits for the earliest task."""


@dataclass(frozen=True)
class BatchOptions:
    """What a batch does with its inputs; the command line's options, as the library takes them.

    Outputs: a directory (`output_dir`) mirroring the inputs, one file (`output_file`), or
    else the stream given to `run_batch`. `output_format` None means text for text inputs and
    JSON Lines for JSON Lines inputs. `compression` None keeps each input's compression in an
    output directory and writes an output file as its name says; "none" or a compression's
    name chooses for every output. `max_errors` stops the batch after that many failures.
    """

    output_dir: Path | None = None
    output_file: Path | None = None
    output_format: str | None = None
    compression: str | None = None
    fields: RecordFields = field(default_factory=RecordFields)
    site: str | None = None
    url: str | None = None
    encoding: str = "utf-8"
    max_errors: int | None = None
    jobs: int = 1
    resume: bool = False
    removed: Path | None = None
    count_rules: bool = False

    def format_for(self, source: InputFile) -> str:
        """The output format of `source`'s documents."""
        return self.output_format or source.format

    def compression_for(self, source: InputFile) -> str | None:
        """The compression of `source`'s output in the output directory."""
        if self.compression is None:
            return source.compression
        return None if self.compression == "none" else self.compression

    @property
    def stream_compression(self) -> str | None:
        """The compression of the one output file, or of the output stream."""
        if self.output_file is not None:
            return compression_of(self.output_file.name)
        return None if self.compression in (None, "none") else self.compression

    @property
    def audit_compression(self) -> str | None:
        """The compression of the ``--removed`` file, as its name says."""
        return compression_of(self.removed.name) if self.removed is not None else None

    @property
    def trace(self) -> bool:
        """Whether documents are cleaned with a trace of removals (which costs time)."""
        return self.removed is not None or self.count_rules


class BatchStopped(CleanerError):
    """The batch stopped early; outputs already complete are kept. `why` says why, when it is
    not `max_errors` failures: an output that could not be written, a worker that died."""

    def __init__(self, message: str, stats: Stats, why: str = "") -> None:
        self.stats = stats
        self.why = why
        super().__init__(message)


@dataclass(frozen=True)
class Piece:
    """One input, or one part of it, and the final output it writes itself (None: it writes to
    the task's stream)."""

    source: InputFile
    part: Span | Chunk | None = None
    destination: Path | None = None


@dataclass(frozen=True)
class Chunks:
    """The chunks that the output of a big JSON Lines file is made of in an output directory:
    one file in `directory` per byte range, written whole when its range is cleaned, and kept
    across runs, so that ``--resume`` cleans only the ranges not done. They are joined into
    `destination` once every one is there; `directory` goes with them."""

    destination: Path
    directory: Path
    files: tuple[Path, ...]


@dataclass(frozen=True)
class Task:
    """Pieces cleaned together, and `size` bytes of input on disk. A worker writes their stream
    output and audit trail to `part` and `removed_part`; `joins` names the output that a part
    of a big file is a piece of. `failed` is the error that ended the parts of a file early.
    A `durable` part is a chunk of `joins`, written whole or not at all, and kept across runs;
    after the task with `chunks`, that output is joined from them."""

    pieces: tuple[Piece, ...]
    size: int
    part: Path | None = None
    removed_part: Path | None = None
    joins: Path | None = None
    last_part: bool = False
    failed: InputError | None = None
    durable: bool = False
    chunks: Chunks | None = None


@dataclass
class TaskReport:
    """What a task did: counts, and the warnings and failures to show, in order, each with its
    reason (the message less the input it names), by which repeats are told apart."""

    stats: Stats = field(default_factory=Stats)
    messages: list[tuple[str, str]] = field(default_factory=list)
    incomplete: bool = False  # a piece could not be read, cleaned or written to its end
    unclean: int = 0  # documents read but not cleaned (a rule's pattern ran out of time)
    stopped: str | None = None  # why the batch must stop (a full disk)
    limit: RepeatLimit = field(default_factory=RepeatLimit)

    def warn(self, message: str, source: str = "") -> None:
        self.stats.warnings += 1
        self.say(f"warning: {message}", message.removeprefix(f"{source}: "))

    def fail(self, error: CleanerError | OSError) -> None:
        self.stats.failures += 1
        reason = error.reason if isinstance(error, InputError) else str(error)
        self.say(str(error), reason)

    def timeout(self, source: str, error: PatternTimeout) -> None:
        """A document not cleaned because a rule's pattern ran out of time, counted per rule."""
        self.stats.timeouts[error.rule] += 1
        self.fail(InputError(source, str(error)))

    def output_failed(self, error: OutputError) -> None:
        """A full disk stops the batch (every later write would fail too); another write
        failure fails one input."""
        self.incomplete = True
        if error.disk_full:
            self.stopped = str(error)
        else:
            self.fail(error)

    def nothing_to_clean(self, error: NothingToClean) -> None:
        self.stats.empty_inputs += 1
        self.say(f"warning: {error}", error.reason)

    def say(self, message: str, reason: str) -> None:
        """Keep `message` to show, unless this task has shown enough of its kind."""
        if self.limit.admit(reason):
            self.messages.append((message, reason))

    def finish(self) -> TaskReport:
        """The report to send back: what its limit held back is counted in the stats."""
        self.stats.unshown.update(self.limit.hidden)
        self.limit = RepeatLimit()
        return self


class Reporter:
    """Messages and, when asked, a progress bar, both on standard error."""

    def __init__(self, show_progress: bool, total_bytes: int | None = None) -> None:
        self.limit = RepeatLimit()
        self._counting: set[str] = set()
        self.bar: tqdm[NoReturn] | None = None
        if show_progress:
            from tqdm import tqdm  # imported only for a bar: it takes a tenth of start-up

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

    def message(self, text: str, reason: str | None = None) -> None:
        """Print `text`, unless enough messages of its kind (by `reason`) have been printed."""
        if reason is not None and not self.limit.admit(reason):
            self.counting(self.limit.kind(reason))
            return
        self._print(f"cleaner: {text}")

    def counting(self, kind: str) -> None:
        """Say, once per kind, that messages of `kind` are now counted instead of shown."""
        if kind not in self._counting:
            self._counting.add(kind)
            self._print(f"cleaner: further messages of this kind are counted, not shown: {kind}")

    def _print(self, line: str) -> None:
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
    directory nor a file). Failures are reported and counted, and the batch goes on until it
    has `options.max_errors` of them, when it raises `BatchStopped`; so it does at an output
    that cannot be written (a full disk) and at a worker process that died. An output
    directory is locked for the run (`cleaner.atomic.OutputBusy` if another run holds it)."""
    stats = Stats()
    try:
        with ExitStack() as stack:
            stack.callback(lambda: stats.unshown.update(reporter.limit.hidden))
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
    for path in (options.output_file, options.removed):
        if path is not None:
            remove_stale(path.parent)
    final = AtomicFile(options.output_file) if options.output_file is not None else None
    output = stack.enter_context(final) if final is not None else Sink(stream, "standard output")
    stack.callback(output.flush)  # last, after the compressor writing into it has ended
    audit = None
    if options.removed is not None:
        audit = stack.enter_context(AtomicFile(options.removed))
    planner = _Planner(options, stats)
    stack.callback(planner.remove_parts)
    # With one job, tasks write through one compressor; workers' parts are compressed each
    # and appended to the raw outputs.
    direct_stream: IO[bytes] | None = None
    direct_audit: IO[bytes] | None = None
    if options.output_dir is None:
        direct_stream = _io(output)
        if options.jobs == 1:
            direct_stream = stack.enter_context(
                compressed(direct_stream, options.stream_compression)
            )
    if audit is not None:
        direct_audit = _io(audit)
        if options.jobs == 1:
            direct_audit = stack.enter_context(compressed(direct_audit, options.audit_compression))
    runner = _Runner(cleaner, options, direct_stream, direct_audit)
    executor: Executor | None = None
    if options.jobs > 1:
        # A pool's modules (a fifth of the start-up's imports) load only for a batch that uses one.
        from concurrent.futures import ProcessPoolExecutor

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
    collector = _Collector(stats, reporter, options, output, audit)
    pending: deque[tuple[Task | None, Future[TaskReport]]] = deque()
    window = max(1, options.jobs * TASKS_PER_JOB)
    for item in planner.tasks(inputs):
        pending.append((item if isinstance(item, Task) else None, _submit(item, runner, executor)))
        while pending and (len(pending) > window or pending[0][1].done()):
            collector.collect(*pending.popleft())
    while pending:
        collector.collect(*pending.popleft())
    if final is not None and collector.unclean:
        final.discard()
        reporter.message(
            f"{options.output_file}: not written, since {collector.unclean} document(s) could "
            "not be cleaned (reported above); fix their rules, then run again"
        )


def _io(sink: Sink) -> IO[bytes]:
    """`sink` where a binary file is expected (a compressor writes into it)."""
    return cast(IO[bytes], sink)


def _submit(
    item: Task | InputError, runner: _Runner, executor: Executor | None
) -> Future[TaskReport]:
    if isinstance(item, InputError):
        report = TaskReport()
        if isinstance(item, NothingToClean):
            report.nothing_to_clean(item)
        else:
            report.fail(item)
        return _done(report.finish())
    if executor is None or any(piece.source.path is None for piece in item.pieces):
        return _done(runner.run(item))  # standard input can only be read here
    return executor.submit(_work, item)


def _done(report: TaskReport) -> Future[TaskReport]:
    future: Future[TaskReport] = Future()
    future.set_result(report)
    return future


class _Collector:
    """Takes finished tasks in input order: prints their messages, merges their counts,
    appends their parts to the outputs, and stops the batch at `max_errors` failures."""

    def __init__(
        self,
        stats: Stats,
        reporter: Reporter,
        options: BatchOptions,
        stream: Sink,
        audit: Sink | None,
    ) -> None:
        self.stats = stats
        self.reporter = reporter
        self.max_errors = options.max_errors
        self.stream = stream
        self.audit = audit
        self.parts: list[Path] = []
        self.parts_complete = True
        self.unclean = 0

    def collect(self, task: Task | None, future: Future[TaskReport]) -> None:
        try:
            report = future.result()
        except BrokenExecutor:  # the pool's: a worker died
            raise BatchStopped(
                "a worker process died (killed, or out of memory?); the outputs complete so "
                "far are kept: run again (with --resume for an output directory) to go on",
                self.stats,
                "a worker process died",
            ) from None
        for message, reason in report.messages:
            self.reporter.message(message, reason)
        for kind in report.stats.unshown:  # held back by the task itself
            self.reporter.counting(kind)
        self.stats.merge(report.stats)
        self.unclean += report.unclean
        if task is not None:
            self._append_parts(task, report.incomplete)
            self.reporter.advance(task.size, report.stats.documents)
        if report.stopped is not None:
            raise BatchStopped(report.stopped, self.stats, "an output could not be written")
        if self.max_errors is not None and self.stats.failures >= self.max_errors:
            raise BatchStopped(
                f"stopped after {self.stats.failures} failure(s) (at most {self.max_errors})",
                self.stats,
            )

    def _append_parts(self, task: Task, incomplete: bool) -> None:
        if task.removed_part is not None and self.audit is not None:
            append_file(task.removed_part, self.audit)
            task.removed_part.unlink()
        if task.chunks is not None:
            self._join(task.chunks)
        if task.part is None or task.durable:
            return
        if task.joins is None:
            append_file(task.part, self.stream)
            task.part.unlink()
            return
        self.parts.append(task.part)
        self.parts_complete = self.parts_complete and not incomplete
        if task.last_part:
            if self.parts_complete:
                with AtomicFile(task.joins) as joined:
                    for part in self.parts:
                        append_file(part, joined)
            else:
                self._not_joined(task.joins, "fix that, then run again with --resume")
            for part in self.parts:
                part.unlink(missing_ok=True)
            self.parts, self.parts_complete = [], True

    def _join(self, chunks: Chunks) -> None:
        if not all(chunk.exists() for chunk in chunks.files):
            self._not_joined(
                chunks.destination,
                "fix that, then run again with --resume, which cleans only the parts not done",
            )
            return
        with AtomicFile(chunks.destination) as joined:
            for chunk in chunks.files:
                append_file(chunk, joined)
        shutil.rmtree(chunks.directory, ignore_errors=True)

    def _not_joined(self, destination: Path, advice: str) -> None:
        self.reporter.message(
            f"{destination}: not written, since part of its input could not be read or "
            f"cleaned (reported above); {advice}"
        )


class _Planner:
    """Turns inputs into tasks, in order: small inputs grouped, big JSON Lines files split into
    parts, inputs whose output is complete left out under ``--resume``."""

    def __init__(self, options: BatchOptions, stats: Stats) -> None:
        self.options = options
        self._parts_dir: Path | None = None
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
            if _splittable(source, size, self.options, destination):
                yield from self._flush()
                if destination is not None and source.compression is None:
                    yield from self._chunk_tasks(source, size, destination)
                else:
                    yield from self._split(source, size, destination)
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
            options.output_dir,
            source.relative,
            source.format,
            options.format_for(source),
            options.compression_for(source),
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

    def _part_bytes(self, size: int) -> int:
        return min(
            max(size // (self.options.jobs * TASKS_PER_JOB), MIN_RANGE_BYTES), MAX_RANGE_BYTES
        )

    def _chunk_tasks(self, source: InputFile, size: int, destination: Path) -> Iterator[Task]:
        """Tasks for the chunks of `destination` not yet done (under ``--resume``, those a
        stopped run left, if the input has not changed since), and the join after them."""
        assert source.path is not None, "only a file on disk is split"
        directory = _chunk_directory(destination)
        manifest = directory / "manifest.json"
        try:
            facts = source.path.stat()
            wanted = {"size": facts.st_size, "mtime_ns": facts.st_mtime_ns}
            known = orjson.loads(manifest.read_bytes()) if self.options.resume else None
        except (OSError, orjson.JSONDecodeError):
            known = None
        if isinstance(known, dict) and all(known.get(k) == v for k, v in wanted.items()):
            spans = [Span(*span) for span in known["spans"]]
        else:
            try:
                spans = list(jsonl_spans(source.path, self._part_bytes(size)))
            except (InputError, OSError) as error:
                failed = (
                    error if isinstance(error, InputError) else InputError(source.name, str(error))
                )
                yield self._task([], size, failed=failed)
                return
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
            yield dataclasses.replace(task, part=file, joins=destination, durable=True, chunks=last)

    def _split(self, source: InputFile, size: int, destination: Path | None) -> Iterator[Task]:
        """Tasks for the parts of a big JSON Lines file, the last one marked as such."""
        assert source.path is not None, "only a file on disk is split"
        part_bytes = self._part_bytes(size)
        parts: Iterator[tuple[Span | Chunk, int]]
        if source.compression is None:
            parts = ((span, span.end - span.start) for span in jsonl_spans(source.path, part_bytes))
        else:
            parts = jsonl_chunks(source.path, min(part_bytes, MAX_CHUNK_BYTES))
        held: tuple[Span | Chunk, int] | None = None
        done = 0
        try:
            for found in parts:
                if held is not None:
                    yield self._task([Piece(source, held[0])], held[1], destination)
                    done += held[1]
                held = found
        except (InputError, OSError) as error:
            failed = error if isinstance(error, InputError) else InputError(source.name, str(error))
            if held is not None:
                yield self._task([Piece(source, held[0])], held[1], destination)
                done += held[1]
            yield self._task([], max(size - done, 0), destination, last=True, failed=failed)
            return
        if held is not None:
            yield self._task([Piece(source, held[0])], held[1], destination, last=True)

    def parts_dir(self) -> Path:
        """A temporary directory for part files, made when first needed, beside the outputs
        so that renames stay cheap."""
        if self._parts_dir is None:
            options = self.options
            near = options.output_dir or (
                options.output_file.parent if options.output_file else None
            )
            near = near if near is not None else Path(tempfile.gettempdir())
            make_directory(near)
            remove_stale(near)
            parts = temp_path(near / "parts")
            make_directory(parts)
            self._parts_dir = parts
        return self._parts_dir

    def remove_parts(self) -> None:
        if self._parts_dir is not None:
            shutil.rmtree(self._parts_dir, ignore_errors=True)

    def _flush(self) -> Iterator[Task]:
        if self.group:
            yield self._task(self.group, self.group_size)
            self.group, self.group_size = [], 0

    def _task(
        self,
        pieces: list[Piece],
        size: int,
        joins: Path | None = None,
        *,
        last: bool = False,
        failed: InputError | None = None,
    ) -> Task:
        """A task. The parts of one big output, and the stream output and audit trail of a
        task for a worker, go to part files, to be appended in order."""
        number = next(self.numbers)
        workers = self.options.jobs > 1
        part = removed_part = None
        if joins is not None or (workers and self.options.output_dir is None):
            part = self.parts_dir() / f"{number}.out"
        if workers and self.options.removed is not None:
            removed_part = self.parts_dir() / f"{number}.removed"
        return Task(tuple(pieces), size, part, removed_part, joins, last, failed)


def _chunk_directory(destination: Path) -> Path:
    return destination.with_name(f".{destination.name}.cleaner-chunks")


def _splittable(
    source: InputFile, size: int, options: BatchOptions, destination: Path | None
) -> bool:
    """Whether `source` is a JSON Lines file big enough to be cleaned in parts, whatever the
    number of jobs (with one, its progress is then told part by part)."""
    return (
        source.format == "jsonl"
        and source.path is not None
        and ascii_compatible(options.encoding)  # else lines are not split at b"\n"
        and size >= 2 * MIN_RANGE_BYTES
        and not (destination is not None and options.format_for(source) == "text")
    )


_worker: tuple[Cleaner, BatchOptions, _Event] | None = None
_in_task = False


def _worker_context() -> multiprocessing.context.BaseContext:
    import multiprocessing

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
    global _worker
    _worker = (cleaner, options, cancel)
    parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            # prctl(PR_SET_PDEATHSIG, SIGTERM): a parent killed with -9 takes its workers along
            ctypes.CDLL(None).prctl(1, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before that
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
        stream: IO[bytes] | None,
        audit: IO[bytes] | None,
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
            report.output_failed(error)
        return report.finish()

    def _run(self, task: Task, report: TaskReport) -> None:
        options = self.options
        with ExitStack() as stack:
            stream = self.stream
            chunk = None
            if task.part is not None:
                compression = (
                    compression_of(task.joins.name)
                    if task.joins is not None
                    else options.stream_compression
                )
                if task.durable:
                    chunk = AtomicFile(task.part)
                    raw = stack.enter_context(chunk)
                else:
                    raw = Sink.create(task.part, str(task.joins or self._stream_name))
                    stack.callback(raw.close)
                stream = stack.enter_context(compressed(_io(raw), compression))
            audit = self.audit
            if task.removed_part is not None:
                audit_raw = Sink.create(task.removed_part, str(options.removed))
                stack.callback(audit_raw.close)
                audit = stack.enter_context(compressed(_io(audit_raw), options.audit_compression))
            if task.failed is not None:
                report.fail(task.failed)
                report.incomplete = True
            for piece in task.pieces:
                try:
                    self._piece(piece, stream, audit, report)
                except _Stop:
                    break
                except BrokenPipeError:
                    raise  # the reader of the output is gone: no input is at fault
                except OutputError as error:
                    report.output_failed(error)
                    if error.disk_full:
                        break
                except (InputError, OSError) as error:
                    report.fail(error)
                    report.incomplete = True
            if chunk is not None and (report.incomplete or report.stopped):
                chunk.discard()  # --resume cleans this range again

    @property
    def _stream_name(self) -> str:
        return str(self.options.output_file or "standard output")

    def _piece(
        self,
        piece: Piece,
        stream: IO[bytes] | None,
        audit: IO[bytes] | None,
        report: TaskReport,
    ) -> None:
        source, options = piece.source, self.options
        if source.note is not None:
            report.warn(source.note, source.name)
        output_format = options.format_for(source)
        documents = read_documents(source, options.fields, piece.part, options.encoding)
        destination = piece.destination
        if destination is None:
            assert stream is not None, "a piece without its own output writes to the stream"
            unclean = self._clean(
                documents, output_format, lambda _doc, data: stream.write(data), audit, report
            )
            if unclean and piece.part is not None:
                report.incomplete = True  # a part of an output that must be whole
            return
        if source.format == "jsonl" and output_format == "text":
            tree = AtomicDirectory(destination)
            with tree as directory:
                files = RecordFiles(directory, str(destination), options.compression_for(source))
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
            with (
                target as raw,
                compressed(_io(raw), compression_of(destination.name)) as handle,
            ):
                unclean = self._clean(
                    documents, output_format, lambda _doc, data: handle.write(data), audit, report
                )
                if unclean:
                    target.discard()
        if unclean:
            report.incomplete = True
            report.say(
                f"{destination}: not written, since {unclean} document(s) could not be "
                "cleaned (reported above); fix their rules, then run again with --resume",
                "not written, since documents could not be cleaned",
            )

    def _clean(
        self,
        documents: Iterator[Document | InputError],
        output_format: str,
        write: Callable[[Document, bytes], object],
        audit: IO[bytes] | None,
        report: TaskReport,
    ) -> int:
        """Clean and write `documents`; return how many could not be cleaned."""
        options, cleaner, cancel = self.options, self.cleaner, self.cancel
        unclean = 0
        for document in documents:
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            if isinstance(document, InputError):
                report.fail(document)
                if options.max_errors is not None and report.stats.failures >= options.max_errors:
                    raise _Stop()
                continue
            for warning in document.warnings:
                report.warn(warning, document.source)
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


class _Stop(Exception):
    """A task has as many failures as the batch may have: it stops there."""


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
