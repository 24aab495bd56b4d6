"""The `tensornotes` command: entry points and the shared exit-status contract."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tensornotes.cli import main


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
