"""The command line: a thin layer that parses options, calls the library and sets the exit code.

Exit codes: 0 success; 1 some input failed (each reported on stderr, the rest still done);
2 a usage error or a bad rule file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cleaner import __version__
from cleaner.api import Cleaner
from cleaner.errors import CleanerError, InputError, RuleFileError, UnknownSiteError
from cleaner.reader import STDIN, read_document
from cleaner.writer import FORMATS, output_path, render, write_atomic

EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2


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
@click.argument("files", nargs=-1)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one output file per input into this directory.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Plain text, or one JSON record per document.",
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
    files: tuple[str, ...],
    output_dir: Path | None,
    output_format: str,
    site: str | None,
    url: str | None,
    rules: tuple[Path, ...],
) -> None:
    """Clean FILES (or standard input, for none or '-') and print or write the result."""
    cleaner = _load(rules)
    if site is not None and site not in cleaner.rulebook.sites:
        raise click.BadParameter(
            str(UnknownSiteError(site, sorted(cleaner.rulebook.sites))), param_hint="--site"
        )
    failed = 0
    stdout = sys.stdout.buffer
    for name in files or (STDIN,):
        try:
            document = read_document(name)
            for warning in document.warnings:
                click.echo(f"cleaner: warning: {warning}", err=True)
            result = cleaner.clean(document.text, url=url or document.url, site=site)
            data = render(document, result, output_format)
            if output_dir is not None:
                write_atomic(output_path(output_dir, document, output_format), data)
            else:
                stdout.write(data)
        except (InputError, OSError) as exc:
            failed += 1
            click.echo(f"cleaner: {exc}", err=True)
        except CleanerError as exc:
            failed += 1
            click.echo(f"cleaner: {name}: {exc}", err=True)
    stdout.flush()
    if failed:
        click.echo(f"cleaner: {failed} input(s) failed; the others were cleaned", err=True)
        sys.exit(EXIT_INPUT_FAILED)
