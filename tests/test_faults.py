"""The faults a batch meets in production: nothing lost, nothing overwritten, nothing unbounded.

Each test stands for one way a real run goes wrong (a slow user pattern, a kill, a full disk, a
FIFO, a second run on the same output, ...) and checks what must hold afterwards: no partial
output under a final name, no temporary file left, one clear message, the right exit code.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner.rulebook
from cleaner import Cleaner
from cleaner.atomic import LOCK_NAME, AtomicDirectory, AtomicFile, directory_lock, temp_path
from cleaner.cli import main
from cleaner.kinds import KINDS
from cleaner.rulefile import EXAMPLE_OPTIONS, RULE_KEYS, SITE_OPTIONS, read_rule_document

ARTICLE = (
    "Harbour tram line opens\n\nAdvertisement\n\n"
    "The new tram line carried its first passengers on Monday.\n\n"
    "City officials said trams would run every ten minutes.\n"
)
CLEANED = ARTICLE.replace("Advertisement\n\n", "")
RUNAWAY = "a" * 30 + "!"
"""A line on which ``(a|aa)+$`` backtracks for a long time (doubling with every extra a)."""
SLOW_RULES = """
[site]
domains = ["slow.example"]
fingerprints = ['^(a|aa)+$']

[[rule]]
id = "runaway"
kind = "drop_line"
pattern = '(a|aa)+b'
"""
FIXED_RULES = """
[site]
domains = ["slow.example"]

[[rule]]
id = "runaway"
kind = "drop_line"
pattern = 'a+cb'
"""


def clean(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(
        main, ["clean", "--no-progress", *args], input=stdin, catch_exceptions=False
    )


def run_cleaner(
    args: Sequence[str], timeout: float = 120, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """`cleaner clean ARGS` in a process of its own (for what cannot happen in this one)."""
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--no-progress", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def write_records(path: Path, records: Sequence[object]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    return path


def leftovers(directory: Path) -> list[str]:
    """Temporary files and directories (and lock files) left under `directory`."""
    return sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if ".cleaner-" in path.name or path.name == LOCK_NAME
    )


@pytest.fixture
def slow_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user rule directory whose line pattern and fingerprint both backtrack without end."""
    monkeypatch.setattr(cleaner.rulebook, "USER_PATTERN_SECONDS", 0.05)
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "slow.toml").write_text(SLOW_RULES, encoding="utf-8")
    return directory


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    directory = tmp_path / "in"
    directory.mkdir()
    return directory


# A document that fails ----------------------------------------------------------------------


def test_a_document_that_times_out_gets_no_output_and_resume_retries_it(
    slow_rules: Path, corpus: Path, tmp_path: Path
) -> None:
    (corpus / "stuck.txt").write_text(f"Title\n\n{'a' * 5000}cb\n")
    (corpus / "fine.txt").write_text(ARTICLE)
    out = tmp_path / "out"
    args = ["--site", "slow", "--rules", str(slow_rules), "--output-dir", str(out), str(corpus)]
    first = clean(*args)
    assert first.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["fine.txt"]
    assert f"{out / 'stuck.txt'}: not written" in first.stderr
    (slow_rules / "slow.toml").write_text(FIXED_RULES, encoding="utf-8")
    second = clean("--resume", *args)
    assert second.exit_code == 0, second.stderr
    assert (out / "stuck.txt").read_text() == "Title\n"
    assert "1 input(s) skipped: their output was complete" in second.stderr


def test_a_record_that_times_out_keeps_its_file_from_being_written(
    slow_rules: Path, corpus: Path, tmp_path: Path
) -> None:
    records = [{"id": 1, "text": ARTICLE}, {"id": 2, "text": "a" * 5000 + "cb"}]
    write_records(corpus / "in.jsonl", records)
    (tmp_path / "all.jsonl").write_text("an earlier run's output\n")
    for output in (
        ["--output-dir", str(tmp_path / "out")],
        ["--output", str(tmp_path / "all.jsonl")],
    ):
        result = clean("--site", "slow", "--rules", str(slow_rules), *output, str(corpus))
        assert result.exit_code == 1
        assert "not written" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.jsonl", "in", "out", "rules"]
    assert list((tmp_path / "out").iterdir()) == []
    assert (tmp_path / "all.jsonl").read_text() == "an earlier run's output\n"  # left whole


def test_a_time_out_names_the_rule_the_input_and_the_line_and_is_counted_per_rule(
    slow_rules: Path, corpus: Path
) -> None:
    for number in range(3):
        (corpus / f"{number}.txt").write_text(f"Title {number}\n\n{'a' * 5000}cb\n")
    result = clean("--site", "slow", "--rules", str(slow_rules), str(corpus))
    assert result.exit_code == 1
    rule = f'{slow_rules / "slow.toml"}: rule "runaway" (drop_line)'
    message = next(line for line in result.stderr.splitlines() if "0.txt" in line)
    assert message.startswith(f"cleaner: {corpus / '0.txt'}: line 3: {rule}: its pattern took")
    assert "The rule's pattern is at fault, not the input" in message
    assert "a bug in cleaner" not in result.stderr
    assert f"    {rule}: 3" in result.stderr.splitlines()


def test_a_fingerprint_that_backtracks_is_bounded_and_named(slow_rules: Path, corpus: Path) -> None:
    (corpus / "fingerprinted.txt").write_text(f"Title\n\n{RUNAWAY}\n")
    (corpus / "fine.txt").write_text(ARTICLE)
    result = clean("--rules", str(slow_rules), str(corpus))
    assert result.exit_code == 1
    assert result.stdout == CLEANED
    fingerprint = f"{slow_rules / 'slow.toml'}: fingerprint '^(a|aa)+$'"
    assert f"{corpus / 'fingerprinted.txt'}: {fingerprint}: its pattern took" in result.stderr
    assert "on this document" in result.stderr


def test_cleaner_detect_reports_a_fingerprint_that_times_out(
    slow_rules: Path, corpus: Path
) -> None:
    path = corpus / "fingerprinted.txt"
    path.write_text(f"{RUNAWAY}\n")
    result = CliRunner().invoke(main, ["detect", "--rules", str(slow_rules), str(path)])
    assert result.exit_code == 1 and "fingerprint '^(a|aa)+$'" in result.stderr


# Inputs -------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_among_the_inputs_is_skipped_without_being_opened(corpus: Path) -> None:
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "story.txt").write_text(ARTICLE)
    for named in ([str(corpus)], [str(corpus / "pipe.txt"), str(corpus / "story.txt")]):
        done = run_cleaner(named, timeout=60)  # opening the FIFO would block for ever
        assert done.returncode == 1
        assert f"{corpus / 'pipe.txt'}: is a FIFO, not a regular file" in done.stderr
        assert done.stdout == CLEANED


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-le"])
def test_wide_encodings_are_read(corpus: Path, encoding: str) -> None:
    (corpus / "story.txt").write_bytes(ARTICLE.encode(encoding))
    write_records(corpus / "more.jsonl", [])
    (corpus / "more.jsonl").write_bytes(
        "".join(orjson.dumps({"id": n, "text": ARTICLE}).decode() + "\n" for n in (1, 2)).encode(
            encoding
        )
    )
    result = clean("--encoding", encoding, "--format", "jsonl", str(corpus))
    assert result.exit_code == 0, result.stderr
    records = [orjson.loads(line) for line in result.stdout_bytes.splitlines()]
    assert [record["text"] for record in records] == [CLEANED] * 3


def test_nul_characters_still_mark_a_binary_file_in_a_wide_encoding(corpus: Path) -> None:
    (corpus / "blob.txt").write_bytes("abc\x00def".encode("utf-16"))
    result = clean("--encoding", "utf-16", str(corpus))
    assert result.exit_code == 1 and "contains NUL characters" in result.stderr


# No overwriting by surprise -----------------------------------------------------------------


def _overlaps(corpus: Path, tmp_path: Path) -> Iterator[list[str]]:
    story = corpus / "story.txt"
    yield ["--output-dir", str(corpus), str(corpus)]
    yield ["--output-dir", str(corpus / "clean"), str(corpus)]
    yield ["--output-dir", str(tmp_path), str(corpus)]
    yield ["--output-dir", str(tmp_path / "out"), str(tmp_path / "out" / "x.txt")]
    yield ["--output", str(corpus / "all.jsonl"), str(corpus)]
    yield ["--removed", str(story), str(story)]
    yield ["--stats", str(corpus / "stats.json"), str(corpus)]
    yield ["--output", str(tmp_path / "a.jsonl"), "--removed", str(tmp_path / "a.jsonl"), "-"]
    yield [
        "--output-dir",
        str(tmp_path / "out"),
        "--stats",
        str(tmp_path / "out" / "s.json"),
        str(story),
    ]


def test_outputs_that_overlap_inputs_or_each_other_are_usage_errors(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / "story.txt").write_text(ARTICLE)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x.txt").write_text(ARTICLE)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    for args in _overlaps(corpus, tmp_path):
        result = clean(*args, stdin=ARTICLE.encode())
        assert result.exit_code == 2, (args, result.stderr)
        assert "Error:" in result.stderr, args
        after = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
        assert after == before, args


# Rule files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "x = " + "[" * 3000 + "]" * 3000 + "\n",
        "x = " + "{ a = " * 3000 + "1" + " }" * 3000 + "\n",
        '[[rule]]\nid = "a"\nkind = "drop_line"\nlines = ' + "[" * 400 + "]" * 400 + "\n",
        'rule = 5\nsite = "x"\n',
        '[[rule]]\nid = "a"\nkind = { drop = "line" }\n',
        '[[rule]]\nid = ["a"]\nkind = "drop_line"\n',
        '[[rule]]\nid = "a"\nkind = "drop_line"\nlines = "' + "x" * 100_000 + '"\n',
    ],
    ids=[
        "deep-array",
        "deep-table",
        "deep-option",
        "wrong-shapes",
        "table-kind",
        "list-id",
        "huge-value",
    ],
)
def test_a_rule_file_of_any_structure_is_a_usage_error_naming_it(tmp_path: Path, body: str) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "odd.toml").write_text(body, encoding="utf-8")
    result = clean("--rules", str(rules), "-", stdin=b"x\n")
    assert result.exit_code == 2
    assert f"{rules / 'odd.toml'}: " in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr) < 2_000


_KEYS = sorted(
    {*SITE_OPTIONS, *RULE_KEYS, *EXAMPLE_OPTIONS, "site", "rule"}
    | {key for kind in KINDS.values() for key in kind.OPTIONS}
)
_SCALARS = st.one_of(
    st.text(max_size=8),
    st.sampled_from([*sorted(KINDS), "(", "a+", "x"]),
    st.integers(-3, 3),
    st.booleans(),
    st.floats(),
    st.datetimes(),
    st.dates(),
    st.times(),
)
_TOML_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(_KEYS), st.text(max_size=4)), inner, max_size=5),
    ),
    max_leaves=30,
)
_RULE_DOCUMENTS = st.one_of(
    st.dictionaries(
        st.one_of(st.sampled_from(["site", "rule"]), st.text(max_size=4)), _TOML_VALUES
    ),
    st.fixed_dictionaries(
        {"rule": st.lists(st.dictionaries(st.sampled_from(_KEYS), _TOML_VALUES, max_size=6))}
    ),
)


@settings(max_examples=150, deadline=None, database=None)
@given(document=_RULE_DOCUMENTS)
def test_a_rule_document_of_any_shape_loads_or_gives_problems_naming_the_file(
    document: dict[str, object],
) -> None:
    path = Path("rules/odd.toml")
    site, problems = read_rule_document(path, document)
    assert (site is None) == bool(problems)
    assert all(problem.path == path and len(str(problem)) < 2_000 for problem in problems)


# Temporary files and interruptions -----------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_run_removes_the_temporary_files_of_dead_runs_only(corpus: Path, tmp_path: Path) -> None:
    (corpus / "story.txt").write_text(ARTICLE)
    out = tmp_path / "out"
    out.mkdir()
    alive = temp_path(out / "story.txt")
    alive.write_text("a live run's")
    dead_pid = _dead_pid()
    dead_file = out / alive.name.replace(f"-{os.getpid()}-", f"-{dead_pid}-")
    dead_file.write_text("a killed run's")
    dead_directory = out / temp_path(out / "records").name.replace(
        f"-{os.getpid()}-", f"-{dead_pid}-"
    )
    dead_directory.mkdir()
    (dead_directory / "1.txt").write_text("x")
    assert clean("--output-dir", str(out), str(corpus)).exit_code == 0
    assert leftovers(out) == [alive.name]


def test_files_and_directories_are_made_with_the_umask(corpus: Path, tmp_path: Path) -> None:
    write_records(corpus / "in.jsonl", [{"id": "r", "text": ARTICLE}])
    (corpus / "story.txt").write_text(ARTICLE)
    out = tmp_path / "out"
    previous = os.umask(0o022)
    try:
        assert clean("--format", "text", "--output-dir", str(out), str(corpus)).exit_code == 0
        assert clean("--output", str(tmp_path / "all.jsonl"), str(corpus)).exit_code == 0
    finally:
        os.umask(previous)
    modes = {
        path.relative_to(tmp_path).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in [out / "in", out / "in" / "r.txt", out / "story.txt", tmp_path / "all.jsonl"]
    }
    assert modes == {
        "out/in": 0o755,
        "out/in/r.txt": 0o644,
        "out/story.txt": 0o644,
        "all.jsonl": 0o644,
    }


def test_a_second_run_on_a_locked_output_directory_is_refused(corpus: Path, tmp_path: Path) -> None:
    (corpus / "story.txt").write_text(ARTICLE)
    out = tmp_path / "out"
    with directory_lock(out):
        result = clean("--output-dir", str(out), str(corpus))
    assert result.exit_code == 1
    assert f"{out}: another cleaner run (process {os.getpid()}) is writing" in result.stderr
    assert list(out.iterdir()) == []
    assert clean("--output-dir", str(out), str(corpus)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["story.txt"]


def _big_corpus(corpus: Path, documents: int = 3000) -> None:
    for number in range(documents):
        (corpus / f"{number:05d}.txt").write_text(ARTICLE.replace("tram", f"tram {number}") * 20)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"]
)
def test_an_interrupted_run_exits_with_its_signal_code_and_leaves_nothing_partial(
    corpus: Path, tmp_path: Path, jobs: str, signum: int, code: int
) -> None:
    _big_corpus(corpus)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cleaner",
            "clean",
            "--no-progress",
            "-j",
            jobs,
            "--output-dir",
            str(out),
            str(corpus),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal's foreground job
    )
    while not out.is_dir() or len(list(out.iterdir())) < 50:
        time.sleep(0.02)
        assert process.poll() is None, process.communicate()
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C: the terminal signals every process of the job
    else:
        process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr and "cleaner: stopped;" in stderr
    assert leftovers(out) == []
    reference = Cleaner(environment=False)
    for path in out.iterdir():
        assert path.read_text() == reference.clean((corpus / path.name).read_text()).text


# Full disk ----------------------------------------------------------------------------------


def _full_disk_runner(tmp_path: Path) -> list[str]:
    """A command prefix that runs a shell script with a 2 MB tmpfs mounted at $DISK, in a mount
    namespace of its own (so no mount outlives it); skips the test where that is not allowed."""
    probes = [["unshare", "--mount"], ["unshare", "--map-root-user", "--mount"]]
    disk = tmp_path / "disk"
    disk.mkdir()
    for prefix in probes:
        try:
            probe = subprocess.run(
                [*prefix, "sh", "-c", f"mount -t tmpfs -o size=2m tmpfs {disk}"],
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return prefix
    pytest.skip("cannot mount a small tmpfs here (needs root, or unprivileged user namespaces)")


@pytest.mark.slow
@pytest.mark.parametrize(
    "output",
    [
        ["--output-dir", "$DISK/out"],
        ["--output", "$DISK/all.jsonl"],
        ["--removed", "$DISK/removed.jsonl", "--output", "$HERE/all.jsonl"],
        ["--stats", "$DISK/stats.json", "--output", "$HERE/all.jsonl"],
        [">", "$DISK/stdout.txt"],
    ],
    ids=["output-dir", "output", "removed", "stats", "stdout"],
)
def test_a_full_disk_gives_one_message_naming_the_output_and_no_partial_file(
    corpus: Path, tmp_path: Path, output: list[str]
) -> None:
    prefix = _full_disk_runner(tmp_path)
    _big_corpus(corpus, 1000)  # 2.7 MB of output, more than the disk holds
    disk = tmp_path / "disk"
    named = " ".join(output).replace("$DISK", str(disk)).replace("$HERE", str(tmp_path))
    fill = f"head -c 3000000 /dev/zero > {disk}/filler 2>/dev/null; " if "stats" in named else ""
    script = (
        f"mount -t tmpfs -o size=2m tmpfs {disk} && {{ {fill}"  # --stats is small: fill first
        f"{sys.executable} -m cleaner clean --no-progress -j 2 {named} {corpus}; "
        f"echo rc=$?; find {disk} -name '*.cleaner-*' -o -name {LOCK_NAME}; echo files:; "
        f"cd {disk} && find . -type f ! -name filler -exec md5sum {{}} + ; }}"
    )
    done = subprocess.run(
        [*prefix, "sh", "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert "rc=1\n" in done.stdout, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    mentions = [line for line in done.stderr.splitlines() if "No space left" in line]
    target = named.split()[1] if output[0] != ">" else "standard output"
    assert len(mentions) == 1 and target in mentions[0], done.stderr
    left, files = done.stdout.split("rc=1\n", 1)[1].split("files:\n")
    assert left == ""  # no temporary file
    written = dict(reversed(line.split()) for line in files.splitlines())
    if output[0] == "--output-dir":
        reference = tmp_path / "reference"
        assert clean("--output-dir", str(reference), str(corpus)).exit_code == 0
        assert written, "some outputs fit on the disk"
        for name, digest in written.items():  # each output there is complete
            expected = (reference / Path(name).name).read_bytes()
            assert hashlib.md5(expected).hexdigest() == digest, name
    elif output[0] == ">":
        assert list(written) == ["./stdout.txt"]  # the shell's file: what fitted
    else:
        assert written == {}  # no partial file under the final name


# Kills and concurrent runs ------------------------------------------------------------------


def _mixed_corpus(corpus: Path) -> None:
    """A JSON Lines file (a directory of record files under --format text) and text files."""
    records = [
        {"id": f"r{n}", "text": ARTICLE.replace("tram", f"tram {n}") * 8} for n in range(400)
    ]
    write_records(corpus / "records.jsonl", records)
    for number in range(300):
        (corpus / f"{number:03d}.txt").write_text(ARTICLE.replace("tram", f"bus {number}") * 8)


def _tree(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in directory.rglob("*")
        if path.is_file()
    }


def _assert_complete_where_present(out: Path, reference: dict[str, bytes]) -> None:
    """Every output under its final name is whole: a text file as the reference has it, the
    record directory with every record file."""
    if not out.is_dir():
        return
    found = _tree(out)
    for name, data in found.items():
        if ".cleaner-" not in name and name != LOCK_NAME:
            assert reference[name] == data, name
    if (out / "records").is_dir():
        records = {name for name in reference if name.startswith("records/")}
        assert {name for name in found if name.startswith("records/")} == records


def _wait_for_group(pgid: int) -> None:
    """Until every process of the group is gone (the workers end when their parent dies)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    os.killpg(pgid, signal.SIGKILL)
    pytest.fail("workers outlived their parent by 30 s")


@pytest.mark.slow
def test_kill_9_during_runs_and_reruns_never_leaves_a_partial_output(
    corpus: Path, tmp_path: Path
) -> None:
    _mixed_corpus(corpus)
    reference_dir = tmp_path / "reference"
    assert clean("--format", "text", "--output-dir", str(reference_dir), str(corpus)).exit_code == 0
    reference = _tree(reference_dir)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cleaner", "clean", "--no-progress", "--no-summary"]
    command += ["-j", "2", "--format", "text", "--output-dir", str(out), str(corpus)]
    delays = [0.4 + 0.25 * step for step in range(12)]  # from early in a run to its end
    for delay in delays:
        process = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.kill()  # kill -9 of the run, as an out-of-memory killer would
        process.wait()
        _wait_for_group(process.pid)
        _assert_complete_where_present(out, reference)
    resumed = run_cleaner(
        ["--resume", "--format", "text", "-j", "2", "--output-dir", str(out), str(corpus)]
    )
    assert resumed.returncode == 0, resumed.stderr
    assert _tree(out) == reference  # every output, whole, and no temporary file left
    rerun = run_cleaner(["--format", "text", "-j", "2", "--output-dir", str(out), str(corpus)])
    assert rerun.returncode == 0 and _tree(out) == reference


@pytest.mark.slow
def test_two_runs_on_one_output_directory_both_succeed_or_one_is_refused(
    corpus: Path, tmp_path: Path
) -> None:
    _mixed_corpus(corpus)
    reference_dir = tmp_path / "reference"
    assert clean("--format", "text", "--output-dir", str(reference_dir), str(corpus)).exit_code == 0
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cleaner", "clean", "--no-progress", "--no-summary"]
    command += ["--format", "text", "--output-dir", str(out), str(corpus)]
    for _ in range(3):
        runs = [
            subprocess.Popen(command, stderr=subprocess.PIPE, text=True),
            subprocess.Popen(command, stderr=subprocess.PIPE, text=True),
        ]
        results = [(run.wait(timeout=120), run.communicate()[1]) for run in runs]
        for code, stderr in results:
            assert code == 0 or (code == 1 and "another cleaner run" in stderr), stderr
            assert "Errno" not in stderr and "Traceback" not in stderr
        assert 0 in [code for code, _ in results]
        assert _tree(out) == _tree(reference_dir)


# Resuming a big input -----------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_resume_cleans_only_the_chunks_of_a_big_input_that_a_run_left_undone(
    slow_rules: Path, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    monkeypatch.setattr("cleaner.batch.MIN_RANGE_BYTES", 2_000)  # several chunks
    records = [{"id": n, "text": ARTICLE.replace("tram", f"tram {n}")} for n in range(200)]
    records[150]["text"] = "a" * 5000 + "cb"
    path = write_records(corpus / "in.jsonl", records)
    out = tmp_path / "out"
    args = [
        "--site",
        "slow",
        "--rules",
        str(slow_rules),
        "-j",
        jobs,
        "--output-dir",
        str(out),
        str(path),
    ]
    first = clean(*args)
    assert first.exit_code == 1
    assert f"{out / 'in.jsonl'}: not written" in first.stderr
    assert [p.name for p in out.iterdir()] == [".in.jsonl.cleaner-chunks"]
    (slow_rules / "slow.toml").write_text(FIXED_RULES, encoding="utf-8")
    second = clean("--resume", *args)
    assert second.exit_code == 0, second.stderr
    redone = int(second.stderr.split("cleaner: ", 1)[1].split(" document(s)")[0])
    assert 0 < redone < 100  # the chunk of record 150, not the whole file
    reference = clean("--site", "slow", "--rules", str(slow_rules), str(path))
    assert (out / "in.jsonl").read_bytes() == reference.stdout_bytes
    assert [p.name for p in out.iterdir()] == ["in.jsonl"]


def test_resume_starts_a_big_input_again_when_it_changed(
    slow_rules: Path, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cleaner.batch.MIN_RANGE_BYTES", 2_000)
    records = [{"id": n, "text": ARTICLE} for n in range(100)]
    records[50]["text"] = "a" * 5000 + "cb"
    path = write_records(corpus / "in.jsonl", records)
    out = tmp_path / "out"
    args = ["--site", "slow", "--rules", str(slow_rules), "--output-dir", str(out), str(path)]
    assert clean(*args).exit_code == 1
    write_records(path, [{"id": n, "text": ARTICLE} for n in range(120)])
    second = clean("--resume", *args)
    assert second.exit_code == 0 and "cleaner: 120 document(s)" in second.stderr
    assert len((out / "in.jsonl").read_bytes().splitlines()) == 120


class _Interrupt(BaseException):
    """What a signal raises in a worker (its task's cancellation) or in the main process."""


@pytest.mark.parametrize("at", ["open", "fdopen"])
def test_an_output_interrupted_as_it_is_opened_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: str
) -> None:
    # A signal can arrive once the temporary file exists but before the block that removes
    # it has begun: right after os.open returns, or in os.fdopen.
    real_open = os.open

    def open_then_interrupt(path: str, flags: int, mode: int = 0o777) -> int:
        os.close(real_open(path, flags, mode))
        raise _Interrupt

    def interrupt(*args: object, **kwargs: object) -> object:
        raise _Interrupt

    if at == "open":
        monkeypatch.setattr(os, "open", open_then_interrupt)
    else:
        monkeypatch.setattr(os, "fdopen", interrupt)
    with pytest.raises(_Interrupt), AtomicFile(tmp_path / "out.txt"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_directory_interrupted_as_it_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mkdir = os.mkdir

    def mkdir_then_interrupt(path: str, mode: int = 0o777) -> None:
        real_mkdir(path, mode)
        raise _Interrupt

    monkeypatch.setattr(os, "mkdir", mkdir_then_interrupt)
    with pytest.raises(_Interrupt), AtomicDirectory(tmp_path / "tree"):
        pass
    assert list(tmp_path.iterdir()) == []
