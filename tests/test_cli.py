"""The `tensornotes` command: entry points and the shared exit-status contract."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import tensornotes
from tensornotes.cli import _write, main


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tensornotes", "device"],
        capture_output=True,
        text=True,
        env={"TENSORNOTES_DEVICE": "cpu", "PATH": ""},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "cpu\n"


def test_device_error_is_a_message_and_status_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TENSORNOTES_DEVICE", "gpu")
    assert main(["device"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tensornotes device: TENSORNOTES_DEVICE='gpu' is not a device")
    assert "Traceback" not in err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    assert "usage: tensornotes" in capsys.readouterr().err


# --- broadcast: the exit status is the answer --------------------------------------------------


def test_broadcast_exit_status_and_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", "4,3,32,32", "3,1,1"]) == 0
    assert "broadcast to (4, 3, 32, 32)" in capsys.readouterr().out
    assert main(["broadcast", "4,3,32,32", "4,1,1"]) == 1
    assert "B.unsqueeze(-1)" in capsys.readouterr().out
    assert main(["broadcast", "4,3", "2,x"]) == 2
    err = capsys.readouterr().err
    assert "tensornotes broadcast: shape 2 is '2,x', which is not a shape" in err
    assert "Traceback" not in err


def test_broadcast_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", "--json", "2,3", "4"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["conflict"]["padded_dim"] == 1
    assert data["torch_message"].endswith("at non-singleton dimension 1")


def test_python_dash_m_broadcast() -> None:
    done = run_cli("broadcast", "3,1", "-5")
    assert done.returncode == 2
    assert "-5" in done.stderr
    assert "Traceback" not in done.stderr


# --- malformed input: status 2, one line on stderr, no traceback -------------------------------


def run_cli(
    *args: str | bytes, env: dict[str, str] | None = None, stdout: Any = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tensornotes", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TENSORNOTES_DEVICE": "cpu", **(env or {})},
        check=False,
        timeout=60,
    )


def assert_one_line_error(done: subprocess.CompletedProcess[str], command: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"tensornotes {command}: ")
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["9" * 5000], r"shape 1 is '9999.*is more than PyTorch can hold"),
        (["9223372036854775808"], r"'9223372036854775808' is more than PyTorch can hold"),
        (["-4,3", "3"], r"shape 1 is '-4,3', which is not a shape: '-4' is negative"),
        (["--json", "-4,3"], r"'-4' is negative"),
        (["3", "-(2, 3)"], r"shape 2 is '-\(2, 3\)', which is not a shape"),
        (["1"] * 65, r"explain_broadcast got 65 shapes; it compares at most 64 at once"),
        ([",".join(["1"] * 65)], r"has 65 dims; tensornotes explains shapes of at most 64"),
        (["3", "A\udcff"], r"shape 2 'A\\udcff' holds the byte 0xff, which is not text"),
    ],
)
def test_malformed_shapes_exit_2_with_one_line(
    args: list[str], match: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["broadcast", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert re.match(r"tensornotes broadcast: [^\n]*\n\Z", err)
    assert re.search(match, err), err


def test_the_largest_size_torch_holds_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["broadcast", str(2**63 - 1), "1"]) == 0
    assert "broadcast to (9223372036854775807,)" in capsys.readouterr().out


def test_undecodable_bytes_in_an_identity(capsys: pytest.CaptureFixture[str]) -> None:
    # Python hands undecodable bytes on as lone surrogates: b"A\xff" arrives as "A\udcff".
    assert main(["identity", "A\udcff", "A"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tensornotes identity: LHS 'A\\udcff' holds the byte 0xff")
    assert err.count("\n") == 1


def test_a_huge_constant_in_an_identity_is_no_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["identity", "P(A)*99999999999999999999", "P(A)"]) in (1, 2)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") <= 1


def test_an_unexpected_error_becomes_a_one_line_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(lhs: str, rhs: str) -> None:
        raise OverflowError("int too large to convert\nto C long")

    monkeypatch.setattr(tensornotes, "check_identity", broken)
    assert main(["identity", "A", "A"]) == 2
    err = capsys.readouterr().err
    assert err == "tensornotes identity: OverflowError: int too large to convert to C long\n"


def test_a_value_starting_with_a_dash_reaches_the_identity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["identity", "len(A)", "-2*len(A)"]) == 1
    assert "Counterexample" in capsys.readouterr().out


def test_unknown_options_are_still_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["broadcast", "--jsn", "3"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --jsn" in capsys.readouterr().err


@pytest.mark.parametrize("argv", ["broadcast 3", [b"broadcast"], ["broadcast", 3], 5])
def test_argv_must_be_a_list_of_strings(argv: object) -> None:
    with pytest.raises(TypeError, match=r"argv"):
        main(argv)  # type: ignore[arg-type]


# --- output that cannot be written -------------------------------------------------------------


def test_a_closed_pipe_exits_quietly() -> None:
    shapes = [",".join(["2"] * 60)] * 60
    child = subprocess.Popen(
        [sys.executable, "-m", "tensornotes", "broadcast", *shapes],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stderr is not None
    child.stdout.close()  # the reader goes away before the first byte
    err = child.stderr.read()
    child.stderr.close()
    assert child.wait(timeout=60) == 141
    assert err == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_a_message_and_status_2() -> None:
    with Path("/dev/full").open("w") as full:
        done = run_cli("broadcast", "4,3", "3", stdout=full)
    assert_one_line_error(done, "broadcast")
    assert "cannot write the output" in done.stderr


def test_an_ascii_terminal_gets_escapes() -> None:
    done = run_cli("identity", "A&B", "B&A", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.isascii()
    assert "holds for all events" in done.stdout


def test_write_escapes_what_the_encoding_cannot_show() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    _write(stream, "A \u2229 B, and \udcff\n")
    assert raw.getvalue() == b"A \\u2229 B, and \\udcff\n"
