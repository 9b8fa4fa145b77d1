"""The command line: a thin layer that parses options, calls the library and sets the exit code.

Exit codes: 0 success; 1 some input failed (each reported on stderr, the rest still done), or
an output could not be written; 2 a usage error or a bad rule file; 130 Ctrl-C, 143 SIGTERM.
"""

from __future__ import annotations

import codecs
import gc
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, Any, NoReturn, TypeVar

import click
import orjson

from cleaner import __version__, build
from cleaner.api import Cleaner
from cleaner.atomic import OutputBusy, OutputError, write_atomic
from cleaner.batch import (
    PARALLEL_MIN_BYTES,
    BatchOptions,
    BatchStopped,
    Reporter,
    default_jobs,
    input_bytes,
    run_batch,
)
from cleaner.compression import COMPRESSIONS, STREAM_BUFFER_BYTES
from cleaner.detect import detect as detect_site
from cleaner.errors import CleanerError, InputError, RuleFileError, UnknownSiteError
from cleaner.paths import overlap_problem
from cleaner.patterns import PatternTimeout
from cleaner.reader import (
    DEFAULT_GLOBS,
    INPUT_FORMATS,
    STDIN,
    Document,
    InputFile,
    RecordFields,
    find_inputs,
    find_record,
    input_formats,
    read_documents,
    read_text,
)
from cleaner.thresholds import MIN_TEMPLATE_SHARE, MIN_TERMINAL_SHARE
from cleaner.writer import FORMATS, OutputTarget, output_target

EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: the status of a pipe stage whose reader went away."""
EXIT_INTERRUPTED = 130
"""128 + SIGINT: Ctrl-C."""
EXIT_TERMINATED = 143
"""128 + SIGTERM."""

GC_THRESHOLD = 50_000
"""New container objects between two collections of the youngest generation while cleaning
(Python's default is 700)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is so that every output in progress is cleaned up on
    the way out, as for Ctrl-C."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def _stopped_cleanly() -> Iterator[None]:
    """Turn SIGTERM into `Terminated` inside (where this thread can handle signals), and end
    Ctrl-C and SIGTERM with one line and their exit codes instead of a traceback."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    except KeyboardInterrupt as stop:
        click.echo(
            "cleaner: stopped; outputs already complete are kept and no partial one is left "
            "(for an output directory, run again with --resume to go on)",
            err=True,
        )
        sys.exit(EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


OUTPUT_HELP = (
    "Where to write: one file if the name ends in .jsonl or .txt (then maybe .gz, .zst, .bz2 or "
    ".xz, compressed so), a directory mirroring the inputs' tree if it ends in '/' or is one "
    "(with --format text, a JSON Lines input becomes a directory of one text file per "
    "record), '-' for standard output [default]. Any other name is refused, with the fix."
)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Garbage collection tuned for a batch, and restored after it.

    What is loaded before it (modules, rules, compiled patterns) lives as long as the batch:
    frozen, it is not walked by every collection of the garbage that cleaning makes, and
    forked workers share its pages. Cleaning makes few reference cycles, so collections can
    be rarer (as mypy has them). Both spare 3 % of the instructions of a 5 MB run. A host
    that froze objects of its own keeps them as they were: nothing more is frozen then.
    """
    threshold, ours = gc.get_threshold(), gc.get_freeze_count() == 0
    if ours:
        gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if ours:
            gc.unfreeze()


@contextmanager
def _standard_output() -> Iterator[IO[bytes]]:
    """Standard output for a batch's records, with the buffer of its files
    (`STREAM_BUFFER_BYTES`) instead of one of 4 KiB, flushed on the way out; a terminal, or
    an output without a file descriptor (a test's), keeps its own."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        descriptor = -1
    if descriptor < 0 or os.isatty(descriptor):
        yield sys.stdout.buffer
        return
    sys.stdout.flush()
    with open(descriptor, "wb", buffering=STREAM_BUFFER_BYTES, closefd=False) as stream:
        yield stream


def _load(rules: tuple[Path, ...]) -> Cleaner:
    try:
        return Cleaner(rules)
    except RuleFileError as exc:
        for problem in exc.problems:
            click.echo(f"cleaner: {problem}", err=True)
        click.echo(
            f"cleaner: {len(exc.problems)} problem(s) in rule files; nothing was cleaned", err=True
        )
        sys.exit(EXIT_USAGE)


class _Commands(click.Group):
    """The commands. Whichever runs, a reader of its output that goes away (``| head``) ends
    it quietly with the status of a pipe stage, as `cat` or `grep` would."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except BrokenPipeError:
            # Keep Python from complaining about the closed stdout when it exits.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="cleaner", message=f"%(prog)s, version %(version)s ({build()})"
)
def main() -> None:
    """Strip site chrome from scraped news text."""


def run() -> NoReturn:
    """The `cleaner` program: `main`, then an exit without tearing the interpreter down.

    By the end of a command every output is written, renamed into place and its workers
    joined; what is left is freeing the objects of the run (modules, rules, compiled
    patterns, what the matchers remember) one by one, 30 to 90 ms of nothing a user waits
    for. So standard output and standard error are flushed and the process ends there, as
    mypy's does. A library caller of `main` (click's CliRunner, a host program) exits as
    usual.
    """
    code: object = 0
    try:
        main()
    except SystemExit as done:  # how click ends every command
        code = done.code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    sys.stderr.flush()
    logging.shutdown()  # a handler a plug-in set up writes what it holds
    os._exit(_exit_status(code))


def _exit_status(code: object) -> int:
    """The status `sys.exit(code)` ends with: None is 0, an int itself, anything else is
    printed (as Python would) and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr, flush=True)
    return 1


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _field_options(command: _Command) -> _Command:
    """The options that name the fields of a JSON record, for every command that reads them."""
    command = click.option(
        "--id-field", default="id", show_default=True, help="JSON field of the id."
    )(command)
    command = click.option(
        "--url-field", default="url", show_default=True, help="JSON field of the URL."
    )(command)
    return click.option(
        "--text-field", default="text", show_default=True, help="JSON field of the text."
    )(command)


INPUT_FORMAT_OPTION = click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    default="auto",
    show_default=True,
    help="auto: .jsonl files (compressed or not) are JSON Lines, other files text, and "
    "standard input JSON Lines when its first line starts with '{'.",
)


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("-o", "--output", "output", metavar="PATH", help=OUTPUT_HELP)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write into this directory, whatever its name (as -o DIR/ does).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Plain text, or one JSON record per document [default: the input's format, or what "
    "the name of the output file says].",
)
@click.option(
    "--compression",
    type=click.Choice(["none", *COMPRESSIONS]),
    help="Compress every output file so, or not at all [default: an output file as its name "
    "says, each file of an output directory as its input is; standard output not at all].",
)
@INPUT_FORMAT_OPTION
@click.option(
    "--glob",
    "globs",
    multiple=True,
    help="Files of a directory to clean (repeatable), each also compressed "
    "[default: *.txt, *.jsonl].",
)
@_field_options
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help="Encoding of the inputs; bytes that do not decode are replaced, with a warning.",
)
@click.option(
    "--max-errors",
    type=click.IntRange(min=1),
    help="Stop once this many inputs or records have failed [default: go on to the end].",
)
@click.option("--strict", is_flag=True, help="Stop at the first failure (--max-errors 1).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes [default: one per core, or one for less than 4 MiB of input].",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr [default: when stderr is a terminal].",
)
@click.option(
    "--summary/--no-summary", default=True, show_default=True, help="Print a summary on stderr."
)
@click.option(
    "--removed",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every removed or changed line (id, line, rule) to this JSON Lines file "
    "(compressed as its name says).",
)
@click.option(
    "--stats",
    "stats_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the documents per site and per rule to this JSON file.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Skip the inputs whose output in the output directory is complete.",
)
@click.option("--site", help="Use this site's rules (a rule file name) instead of detecting.")
@click.option("--url", help="The documents' source URL, used to detect the site.")
@click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra rule directory (repeatable); its files replace bundled ones of the same name.",
)
@_stopped_cleanly()
def clean(
    inputs: tuple[str, ...],
    output: str | None,
    output_dir: Path | None,
    output_format: str | None,
    compression: str | None,
    input_format: str,
    globs: tuple[str, ...],
    text_field: str,
    url_field: str,
    id_field: str,
    encoding: str,
    max_errors: int | None,
    strict: bool,
    jobs: int | None,
    progress: bool | None,
    summary: bool,
    removed: Path | None,
    stats_file: Path | None,
    resume: bool,
    site: str | None,
    url: str | None,
    rules: tuple[Path, ...],
) -> None:
    """Clean INPUTS: files, directories (recursively) and '-' for standard input (the default).

    Output goes to standard output, to one file or to a directory (-o), in the order of the
    inputs. Exit code 1 when an input or record failed, after all the others.
    """
    target = _output_target(output, output_dir, output_format, compression)
    if target.format is not None:
        output_format = target.format
    if resume and not target.directory:
        raise click.BadParameter(
            "--resume needs an output directory (-o DIR/)", param_hint="--resume"
        )
    if strict:
        if max_errors not in (None, 1):
            raise click.UsageError("--strict stops at the first failure: leave out --max-errors")
        max_errors = 1
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise click.BadParameter(
            f"unknown encoding {encoding!r}", param_hint="--encoding"
        ) from None
    output_dir = target.path if target.directory else None
    output_file = None if target.directory else target.path
    overlap = overlap_problem(
        inputs, output_dir, {"-o": output_file, "--removed": removed, "--stats": stats_file}
    )
    if overlap is not None:
        raise click.UsageError(overlap)
    cleaner = _load(rules)
    _site_or_exit(cleaner, site)

    def discovered() -> Iterator[InputFile | InputError]:
        return find_inputs(inputs or (STDIN,), globs or DEFAULT_GLOBS, input_format)

    if output_format is None and not target.directory and len(input_formats(discovered())) > 1:
        raise click.UsageError(
            "the inputs are text and JSON Lines, which cannot share one output: choose the "
            "output format with --format text or --format jsonl, or write a directory "
            "(-o DIR/), where each output keeps its input's format"
        )
    show_progress = sys.stderr.isatty() if progress is None else progress
    # The progress bar needs the whole size; the default job count only whether it is small.
    total = input_bytes(discovered()) if show_progress else None
    if jobs is None:
        jobs = default_jobs(
            total if total is not None else input_bytes(discovered(), enough=PARALLEL_MIN_BYTES)
        )
    options = BatchOptions(
        output_dir=output_dir,
        output_file=output_file,
        output_format=output_format,
        compression=compression,
        fields=RecordFields(text_field, url_field, id_field),
        site=site,
        url=url,
        encoding=encoding,
        max_errors=max_errors,
        jobs=jobs,
        resume=resume,
        removed=removed,
        count_rules=stats_file is not None,
    )
    reporter = Reporter(show_progress, total)
    started = time.perf_counter()
    stopped = ""
    try:
        with _fewer_collections(), _standard_output() as stream:
            stats = run_batch(discovered(), cleaner, options, stream, reporter)
    except OutputBusy as busy:
        reporter.close()
        click.echo(f"cleaner: {busy}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    except BatchStopped as stop:
        reporter.message(str(stop))
        stats = stop.stats
        stopped = stop.why or ("--strict" if strict else f"--max-errors {max_errors}")
    finally:
        reporter.close()
    if stats_file is not None and not stopped:
        try:
            write_atomic(stats_file, orjson.dumps(stats.to_json(), option=orjson.OPT_INDENT_2))
        except OutputError as error:
            click.echo(f"cleaner: {error}", err=True)
            stopped = "an output could not be written"
    if summary:
        for line in stats.summary(time.perf_counter() - started):
            click.echo(f"cleaner: {line}" if not line.startswith(" ") else line, err=True)
    if stats.failures or stopped:
        click.echo(
            f"cleaner: {stats.failures} input(s) or record(s) failed"
            + (f"; stopped early ({stopped})" if stopped else "; the others were cleaned"),
            err=True,
        )
    if stats.failures or stopped or stats.empty_inputs:
        sys.exit(EXIT_INPUT_FAILED)


def _output_target(
    output: str | None, output_dir: Path | None, output_format: str | None, compression: str | None
) -> OutputTarget:
    """Where `clean` writes, from -o or --output-dir, checked against --format and
    --compression, which must not contradict the name of an output file."""
    if output is not None and output_dir is not None:
        raise click.UsageError("use either -o/--output or --output-dir, not both")
    if output_dir is not None:
        return OutputTarget(output_dir, directory=True)
    try:
        target = output_target(output or STDIN)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="-o/--output") from None
    if target.path is None or target.directory:
        return target
    if output_format is not None and output_format != target.format:
        raise click.BadParameter(
            f"the name {str(target.path)!r} says {target.format}, but --format says "
            f"{output_format}: name the file for what it holds, or leave out --format",
            param_hint="-o/--output",
        )
    if compression is not None and compression != (target.compression or "none"):
        said = target.compression or "no compression"
        raise click.BadParameter(
            f"the name {str(target.path)!r} says {said}, but --compression says {compression}: "
            "name the file for its compression (.gz, .zst, .bz2, .xz, or none), or leave out "
            "--compression",
            param_hint="-o/--output",
        )
    return target


EXIT_PROBLEMS_FOUND = 1
"""`rules check` found a problem, or `rules health` a sign of trouble."""

RULES_OPTION = click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra rule directory (repeatable); its files replace bundled ones of the same name.",
)


def _site_or_exit(cleaner: Cleaner, site: str | None) -> None:
    if site is not None and site not in cleaner.rulebook.sites:
        raise click.BadParameter(
            str(UnknownSiteError(site, sorted(cleaner.rulebook.sites))), param_hint="--site"
        )


def _input_or_exit(name: str, input_format: str) -> InputFile:
    """The one input a command that reads a single file was given."""
    (found,) = find_inputs([name], input_format=input_format)
    if isinstance(found, InputError):
        click.echo(f"cleaner: {found}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    if found.note is not None:
        click.echo(f"cleaner: warning: {found.note}", err=True)
    return found


def _document_or_exit(source: InputFile, record_id: str | None, fields: RecordFields) -> Document:
    """The document of a text input, or the record `record_id` of a JSON Lines input."""
    try:
        if source.format == "jsonl":
            document = find_record(source, record_id, fields)
        elif record_id is not None:
            raise click.BadParameter(
                f"{source.name} is read as text, one document; --id picks a record of a JSON "
                "Lines file (--input-format jsonl reads it as one)",
                param_hint="--id",
            )
        else:
            document = read_text(source)
    except InputError as exc:
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    for warning in document.warnings:
        click.echo(f"cleaner: warning: {warning}", err=True)
    return document


@main.command()
@click.argument("file")
@click.option("--id", "record_id", help="The record of a JSON Lines FILE to explain, by its id.")
@click.option("--site", help="Use this site's rules (a rule file name) instead of detecting.")
@click.option("--url", help="The document's source URL, used to detect the site.")
@RULES_OPTION
@INPUT_FORMAT_OPTION
@_field_options
@click.option("--only-removed", is_flag=True, help="List only the lines the rules touched.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML report here instead of printing the listing.",
)
def explain(
    file: str,
    record_id: str | None,
    site: str | None,
    url: str | None,
    rules: tuple[Path, ...],
    input_format: str,
    text_field: str,
    url_field: str,
    id_field: str,
    only_removed: bool,
    html_path: Path | None,
) -> None:
    """Show FILE line by line with what the rules did to each line, and why the site was chosen.

    A JSON Lines FILE holds many documents: --id names the record to explain (a file of one
    record needs none).

    Marks: '-' dropped, '@' captured as metadata, '+' joined with the previous line, '~'
    changed by a substitution; the rule follows as [site:rule-id].
    """
    from cleaner.explain import explain as explain_document
    from cleaner.explain import render_text
    from cleaner.report_html import render_html

    cleaner = _load(rules)
    _site_or_exit(cleaner, site)
    fields = RecordFields(text_field, url_field, id_field)
    source = _input_or_exit(file, input_format)
    document = _document_or_exit(source, record_id, fields)
    name = file if source.format == "text" else f"{document.source} (id {document.id})"
    try:
        explanation = explain_document(
            cleaner, document.text, source=name, site=site, url=url or document.url
        )
    except CleanerError as exc:  # a user rule that runs out of time on this document
        click.echo(f"cleaner: {name}: {exc}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    if html_path is not None:
        try:
            write_atomic(html_path, render_html(explanation).encode("utf-8"))
        except OutputError as error:
            click.echo(f"cleaner: {error}", err=True)
            sys.exit(EXIT_INPUT_FAILED)
        click.echo(
            f"cleaner: wrote {html_path} ({explanation.removed_count} removed lines)", err=True
        )
        return
    for line in render_text(explanation, only_removed=only_removed):
        click.echo(line)


@main.group()
def rules() -> None:
    """Check, list and measure rule files."""


@rules.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@RULES_OPTION
def rules_check(paths: tuple[Path, ...], rules: tuple[Path, ...]) -> None:
    """Check rule files: PATHS (files or directories), or every file a run would load.

    Validates each file, runs every example of every rule, and looks for patterns that can never
    match, lines another rule takes first, and patterns that backtrack catastrophically.
    Exit code 1 when anything is wrong; each problem names the file and the rule.
    """
    from cleaner.check import check_rules

    report = check_rules(paths, rules)
    for problem in report.problems:
        click.echo(str(problem))
    click.echo(
        f"{len(report.files)} rule file(s), {report.examples} example(s): "
        + (f"{len(report.problems)} problem(s)" if report.problems else "all good")
    )
    if not report.ok:
        sys.exit(EXIT_PROBLEMS_FOUND)


@rules.command("list")
@RULES_OPTION
def rules_list(rules: tuple[Path, ...]) -> None:
    """List each site: its domains, its rules by kind, and where its file comes from."""
    from cleaner.listing import site_summaries

    for summary in site_summaries(_load(rules).rulebook):
        click.echo(str(summary))


@rules.command("health")
@click.argument("stats_file", metavar="STATS.json", type=click.Path(path_type=Path))
@RULES_OPTION
@click.option(
    "--min-share",
    type=click.FloatRange(0, 1),
    default=MIN_TERMINAL_SHARE,
    show_default=True,
    help="Flag a site whose footer cuts fired in fewer than this share of its documents.",
)
@click.option(
    "--site",
    "sites",
    multiple=True,
    help="Judge only this site (repeatable; 'common' for the common rules).",
)
@click.option(
    "--counts",
    is_flag=True,
    help="First list every rule with the share of its documents it fired in.",
)
def rules_health(
    stats_file: Path,
    rules: tuple[Path, ...],
    min_share: float,
    sites: tuple[str, ...],
    counts: bool,
) -> None:
    """Read STATS.json (written by cleaner clean --stats) and flag rules that never fired and
    sites whose terminal rules (footer cuts) fired too rarely. Exit code 1 when any is flagged.
    """
    from cleaner.health import read_stats, rule_health, rule_usage

    rulebook = _load(rules).rulebook
    try:
        stats = read_stats(stats_file)
    except InputError as exc:
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if counts:
        for usage in rule_usage(stats, rulebook, sites=sites):
            click.echo(str(usage))
    findings = rule_health(stats, rulebook, min_share=min_share, sites=sites)
    for finding in findings:
        click.echo(str(finding))
    click.echo(
        f"{stats.documents} document(s), {len(stats.sites)} site(s): "
        + (f"{len(findings)} finding(s)" if findings else "all rules healthy")
    )
    if findings:
        sys.exit(EXIT_PROBLEMS_FOUND)


@rules.command("learn")
@click.argument("corpus", nargs=-1)
@click.option("--site", help="The site id of the draft (its file name) [default: from the domain].")
@click.option("--domain", help="The site's domain; all pages are taken as its pages.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the draft to this file; with several sites, one file per site into this "
    "directory [default: standard output].",
)
@click.option(
    "--against",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Compare with this rule file: the draft rules it lacks, its rules that never fire.",
)
@click.option(
    "--min-share",
    type=click.FloatRange(0, 1, min_open=True),
    default=MIN_TEMPLATE_SHARE,
    show_default=True,
    help="Share of the pages a template must be on (two pages at least).",
)
@click.option("--text-field", default="text", show_default=True, help="JSON field of the text.")
@click.option("--url-field", default="url", show_default=True, help="JSON field of the URL.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr [default: when stderr is a terminal].",
)
def rules_learn(
    corpus: tuple[str, ...],
    site: str | None,
    domain: str | None,
    output: Path | None,
    against: Path | None,
    min_share: float,
    text_field: str,
    url_field: str,
    progress: bool | None,
) -> None:
    """Draft a site's rule file from CORPUS: files, directories and '-', as clean takes them.

    Lines that recur on many pages (exactly, or with their dates, numbers and names folded),
    the line where the footer starts and the boxes of lines printed together become rules,
    each with its evidence. Without --site and --domain, one draft per domain of the pages'
    URLs. A summary goes to stderr; exit code 1 when an input could not be read.
    """
    from cleaner.learn import LearnError, LearnOptions, learn
    from cleaner.learn.progress import BarProgress

    options = LearnOptions(
        site=site,
        domain=domain.lower().removeprefix("www.") if domain else None,
        against=against,
        min_share=min_share,
        fields=RecordFields(text_field, url_field),
    )
    show = sys.stderr.isatty() if progress is None else progress
    try:
        report = learn(corpus, options, BarProgress() if show else None)
    except LearnError as exc:
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for problem in report.problems:
        click.echo(f"cleaner: {problem}", err=True)
    for line in report.skipped:
        click.echo(f"cleaner: skipped {line}", err=True)
    if len(report.drafts) > 1 and (output is None or output.is_file()):
        names = ", ".join(d.site for d in report.drafts)
        raise click.UsageError(
            f"the corpus has {len(report.drafts)} sites ({names}): give -o DIR to write one "
            "draft per site, or --site and --domain to learn one"
        )
    for draft in report.drafts:
        if output is None:
            click.echo(draft.text, nl=False)
        else:
            target = output / f"{draft.site}.toml" if len(report.drafts) > 1 else output
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, draft.text.encode("utf-8"))
            click.echo(f"cleaner: wrote {target}", err=True)
        for line in draft.summary():
            click.echo(f"cleaner: {line}" if not line.startswith(" ") else line, err=True)
    if report.problems:
        sys.exit(EXIT_INPUT_FAILED)
    if not report.drafts:
        sys.exit(EXIT_INPUT_FAILED)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--url", help="The documents' source URL, used to detect the site.")
@RULES_OPTION
@INPUT_FORMAT_OPTION
@_field_options
def detect(
    files: tuple[str, ...],
    url: str | None,
    rules: tuple[Path, ...],
    input_format: str,
    text_field: str,
    url_field: str,
    id_field: str,
) -> None:
    """Name the site of each of FILES (of each record of a JSON Lines file) and the evidence
    for it, or "unknown". Directories are walked as `clean` walks them."""
    rulebook = _load(rules).rulebook
    fields = RecordFields(text_field, url_field, id_field)
    failed = 0
    for source in find_inputs(files, DEFAULT_GLOBS, input_format):
        if isinstance(source, InputError):
            failed += 1
            click.echo(f"cleaner: {source}", err=True)
            continue
        if source.note is not None:
            click.echo(f"cleaner: warning: {source.note}", err=True)
        try:
            for document in read_documents(source, fields):
                if isinstance(document, InputError):
                    failed += 1
                    click.echo(f"cleaner: {document}", err=True)
                    continue
                name = source.name if source.format == "text" else document.source
                try:
                    found = detect_site(document.text, rulebook, url=url or document.url)
                except PatternTimeout as exc:
                    failed += 1
                    click.echo(f"cleaner: {name}: {exc}", err=True)
                    continue
                record = f" (id {document.id})" if source.format == "jsonl" else ""
                click.echo(f"{name}{record}: {found.site or 'unknown'} ({found.evidence})")
        except InputError as exc:
            failed += 1
            click.echo(f"cleaner: {exc}", err=True)
            continue
    if failed:
        sys.exit(EXIT_INPUT_FAILED)
