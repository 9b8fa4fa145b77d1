"""The command line: a thin layer that parses options, calls the library and sets the exit code.

Exit codes: 0 success; 1 some input failed (each reported on stderr, the rest still done);
2 a usage error or a bad rule file.
"""

from __future__ import annotations

import codecs
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import orjson

from cleaner import __version__
from cleaner.api import Cleaner
from cleaner.batch import (
    PARALLEL_MIN_BYTES,
    BatchOptions,
    BatchStopped,
    Reporter,
    default_jobs,
    input_bytes,
    run_batch,
)
from cleaner.check import check_rules
from cleaner.detect import detect as detect_site
from cleaner.errors import CleanerError, InputError, RuleFileError, UnknownSiteError
from cleaner.explain import explain as explain_document
from cleaner.explain import render_text
from cleaner.health import MIN_TERMINAL_SHARE, read_stats, rule_health, rule_usage
from cleaner.learn import MIN_SHARE, LearnError, LearnOptions, learn
from cleaner.learn.progress import BarProgress
from cleaner.listing import site_summaries
from cleaner.reader import (
    DEFAULT_GLOBS,
    INPUT_FORMATS,
    STDIN,
    InputFile,
    RecordFields,
    find_inputs,
    read_document,
)
from cleaner.report_html import render_html
from cleaner.writer import FORMATS, write_atomic

EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: the status of a pipe stage whose reader went away."""


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Strip site chrome from scraped news text."""


@main.command()
@click.argument("inputs", nargs=-1)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write into this directory, mirroring the inputs' tree: a file per input (with "
    "--format text, a JSON Lines input becomes a directory of one text file per record).",
)
@click.option(
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every document to this one JSON Lines file.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Plain text, or one JSON record per document [default: the input's format].",
)
@click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    default="auto",
    show_default=True,
    help="auto: .jsonl and .jsonl.gz files are JSON Lines, other files text.",
)
@click.option(
    "--glob",
    "globs",
    multiple=True,
    help="Files of a directory to clean (repeatable) [default: *.txt, *.jsonl, *.jsonl.gz].",
)
@click.option("--text-field", default="text", show_default=True, help="JSON field of the text.")
@click.option("--url-field", default="url", show_default=True, help="JSON field of the URL.")
@click.option("--id-field", default="id", show_default=True, help="JSON field of the id.")
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help="Encoding of the inputs; bytes that do not decode are replaced, with a warning.",
)
@click.option(
    "--strict", is_flag=True, help="Stop at a bad JSON Lines record instead of skipping it."
)
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
    help="Write every removed or changed line (id, line, rule) to this JSON Lines file.",
)
@click.option(
    "--stats",
    "stats_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the documents per site and per rule to this JSON file.",
)
@click.option(
    "--resume", is_flag=True, help="Skip the inputs whose output in --output-dir is complete."
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
def clean(
    inputs: tuple[str, ...],
    output_dir: Path | None,
    output_file: Path | None,
    output_format: str | None,
    input_format: str,
    globs: tuple[str, ...],
    text_field: str,
    url_field: str,
    id_field: str,
    encoding: str,
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

    Output goes to standard output, to one file (--output) or to a directory (-o), in the
    order of the inputs. Exit code 1 when an input or record failed, after all the others.
    """
    if output_dir is not None and output_file is not None:
        raise click.UsageError("use either --output-dir or --output, not both")
    if output_file is not None and output_format == "text":
        raise click.BadParameter("--output writes JSON Lines", param_hint="--format")
    if resume and output_dir is None:
        raise click.BadParameter("--resume needs --output-dir", param_hint="--resume")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise click.BadParameter(
            f"unknown encoding {encoding!r}", param_hint="--encoding"
        ) from None
    cleaner = _load(rules)
    _site_or_exit(cleaner, site)

    def discovered() -> Iterator[InputFile | InputError]:
        return find_inputs(inputs or (STDIN,), globs or DEFAULT_GLOBS, input_format, output_dir)

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
        fields=RecordFields(text_field, url_field, id_field),
        site=site,
        url=url,
        encoding=encoding,
        strict=strict,
        jobs=jobs,
        resume=resume,
        removed=removed,
        count_rules=stats_file is not None,
    )
    reporter = Reporter(show_progress, total)
    started = time.perf_counter()
    stopped = False
    try:
        stats = run_batch(discovered(), cleaner, options, sys.stdout.buffer, reporter)
        sys.stdout.flush()
    except BatchStopped as stop:
        reporter.message(str(stop))
        stats, stopped = stop.stats, True
    except BrokenPipeError:
        # The reader stopped reading (`cleaner clean ... | head`): end quietly, as a pipe
        # stage does, and keep Python from complaining about the closed stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)
    finally:
        reporter.close()
    if stats_file is not None:
        write_atomic(stats_file, orjson.dumps(stats.to_json(), option=orjson.OPT_INDENT_2))
    if summary:
        for line in stats.summary(time.perf_counter() - started):
            click.echo(f"cleaner: {line}" if not line.startswith(" ") else line, err=True)
    if stats.failures or stopped:
        click.echo(
            f"cleaner: {len(stats.failures)} input(s) or record(s) failed"
            + ("; stopped early (--strict)" if stopped else "; the others were cleaned"),
            err=True,
        )
        sys.exit(EXIT_INPUT_FAILED)


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


def _read_or_exit(name: str) -> str:
    try:
        document = read_document(name)
    except InputError as exc:
        click.echo(f"cleaner: {exc}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    for warning in document.warnings:
        click.echo(f"cleaner: warning: {warning}", err=True)
    return document.text


@main.command()
@click.argument("file")
@click.option("--site", help="Use this site's rules (a rule file name) instead of detecting.")
@click.option("--url", help="The document's source URL, used to detect the site.")
@RULES_OPTION
@click.option("--only-removed", is_flag=True, help="List only the lines the rules touched.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML report here instead of printing the listing.",
)
def explain(
    file: str,
    site: str | None,
    url: str | None,
    rules: tuple[Path, ...],
    only_removed: bool,
    html_path: Path | None,
) -> None:
    """Show FILE line by line with what the rules did to each line, and why the site was chosen.

    Marks: '-' dropped, '@' captured as metadata, '+' joined with the previous line, '~'
    changed by a substitution; the rule follows as [site:rule-id].
    """
    cleaner = _load(rules)
    _site_or_exit(cleaner, site)
    text = _read_or_exit(file)
    try:
        explanation = explain_document(cleaner, text, source=file, site=site, url=url)
    except CleanerError as exc:  # a user rule that runs out of time on this document
        click.echo(f"cleaner: {file}: {exc}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    if html_path is not None:
        write_atomic(html_path, render_html(explanation).encode("utf-8"))
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
    default=MIN_SHARE,
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
def detect(files: tuple[str, ...], url: str | None, rules: tuple[Path, ...]) -> None:
    """Name the site of each of FILES and the evidence for it, or "unknown"."""
    rulebook = _load(rules).rulebook
    failed = 0
    for name in files:
        try:
            document = read_document(name)
        except InputError as exc:
            failed += 1
            click.echo(f"cleaner: {exc}", err=True)
            continue
        found = detect_site(document.text, rulebook, url=url or document.url)
        click.echo(f"{name}: {found.site or 'unknown'} ({found.evidence})")
    if failed:
        sys.exit(EXIT_INPUT_FAILED)
