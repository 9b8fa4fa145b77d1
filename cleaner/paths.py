"""The paths a batch reads and writes, and the overlaps refused before anything is written.

An output that is an input overwrites it; an output inside an input directory is read back in
by the next run over that directory (3 records, then 6, then 9); an output directory that holds
an input, or two outputs on one file, overwrite one another. Each is a usage error, found from
the command line alone, before a file is opened.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from cleaner.reader import STDIN


def _same(first: Path, second: Path) -> bool:
    if first == second:
        return True
    try:
        return os.path.samefile(first, second)  # hard links, and bind mounts
    except OSError:
        return False


def _within(path: Path, directory: Path) -> bool:
    return path == directory or path.is_relative_to(directory)


def overlap_problem(
    inputs: Sequence[str], output_dir: Path | None, files: Mapping[str, Path | None]
) -> str | None:
    """What is wrong with writing `files` (option name -> file, such as ``--removed``) and
    `output_dir` while reading `inputs`, or None when nothing is."""
    named = [Path(name).resolve() for name in inputs if name != STDIN]
    directories = [path for path in named if path.is_dir()]
    outputs = {option: path.resolve() for option, path in files.items() if path is not None}
    seen: dict[Path, str] = {}
    for option, path in outputs.items():
        if path.exists() and not path.is_file():
            return f"{option} {path} is not a regular file, which it would replace; name a file"
        for other_path, other in seen.items():
            if _same(path, other_path):
                return f"{other} and {option} name the same file {path}; give each its own"
        seen[path] = option
        for source in named:
            if source.is_dir() and _within(path, source):
                return (
                    f"{option} {path} is inside the input directory {source}, so the next run "
                    "over it would read it back in; write it outside the inputs"
                )
            if not source.is_dir() and _same(path, source):
                return f"{option} {path} is an input, which it would overwrite; write it elsewhere"
        if output_dir is not None and _within(path, output_dir.resolve()):
            return (
                f"{option} {path} is inside the output directory {output_dir}, where it could take "
                "the place of an output; write it outside that directory"
            )
    if output_dir is None:
        return None
    target = output_dir.resolve()
    for source in named:
        if source in directories and _within(target, source):
            return (
                f"the output directory {output_dir} is the input directory {source} or inside "
                "it: its outputs would overwrite inputs or be read as inputs; choose a "
                "directory outside the inputs"
            )
        if _within(source, target):
            return (
                f"the input {source} is inside the output directory {output_dir}, where an "
                "output could overwrite it; choose an output directory outside the inputs"
            )
    return None
