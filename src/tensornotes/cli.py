"""The ``tensornotes`` command.

Thin by design: it parses the arguments, calls one of the package's public
functions and prints what it returns. Each subcommand's exit status is part of
its interface:

- 0: success (the shapes broadcast, the identity holds);
- 1: a negative answer (the shapes do not broadcast, the identity fails);
- 2: malformed input, or output that cannot be written, with a one-line
  message ``tensornotes <command>: ...`` on stderr and never a traceback;
- 141 (128 + SIGPIPE): the reader of the output went away, as with
  ``tensornotes broadcast ... | head -c1``; nothing more is printed, as a Unix
  tool stopped by SIGPIPE prints nothing; 130 on Ctrl-C.

Output that the terminal's encoding cannot show (``PYTHONIOENCODING=ascii``)
is written with backslash escapes such as ``\\u2229`` instead.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Sequence
from typing import TextIO

from tensornotes._errors import TensorNotesError
from tensornotes._validation import describe

__all__ = ["main"]

_COMMANDS = ("device", "broadcast", "identity")
_OPTIONS = ("-h", "--help", "--json")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _plain_text(value: str, name: str) -> str:
    """Refuse an argument holding bytes that are not text in the terminal's encoding.

    Python passes such bytes on as lone surrogates (``'A\\udcff'`` for ``A`` and
    the byte 0xff); they can neither be parsed nor printed.
    """
    found = _SURROGATE.search(value)
    if found is not None:
        bad = found.group()
        byte = "a lone surrogate"
        if "\udc80" <= bad <= "\udcff":  # how Python passes on an undecodable byte
            byte = f"the byte 0x{ord(bad) - 0xDC00:02x}"
        raise TensorNotesError(
            f"{name} {describe(value)} holds {byte}, which is not text in the terminal's "
            "encoding; type it again in plain characters."
        )
    return value


def _cmd_device(args: argparse.Namespace) -> tuple[int, str]:
    from tensornotes import device

    return 0, str(device())


def _cmd_broadcast(args: argparse.Namespace) -> tuple[int, str]:
    import json

    from tensornotes import explain_broadcast, parse_shape
    from tensornotes._broadcast import check_operand_count

    check_operand_count(len(args.shapes))
    shapes = [
        parse_shape(_plain_text(text, f"shape {i + 1}"), f"shape {i + 1}")
        for i, text in enumerate(args.shapes)
    ]
    explanation = explain_broadcast(*shapes)
    text = json.dumps(explanation.to_dict(), indent=2) if args.json else str(explanation)
    return (0 if explanation.ok else 1), text


def _cmd_identity(args: argparse.Namespace) -> tuple[int, str]:
    from tensornotes import check_identity

    result = check_identity(_plain_text(args.lhs, "LHS"), _plain_text(args.rhs, "RHS"))
    return (0 if result.holds else 1), str(result)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tensornotes",
        description="Explain what PyTorch does with your tensors.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_device = sub.add_parser(
        "device", help="print the torch device the examples use (see TENSORNOTES_DEVICE)"
    )
    p_device.set_defaults(func=_cmd_device)

    p_broadcast = sub.add_parser(
        "broadcast",
        help="explain whether and how shapes broadcast, e.g. 4,3,32,32 3,1,1",
        description="Explain, dim by dim, how PyTorch broadcasts these shapes. "
        "Exit status: 0 if they broadcast, 1 if not, 2 if a shape is malformed.",
    )
    p_broadcast.add_argument(
        "shapes", nargs="+", metavar="SHAPE", help="a shape such as 4,3,32,32; () is 0-d"
    )
    p_broadcast.add_argument("--json", action="store_true", help="print the fields as JSON")
    p_broadcast.set_defaults(func=_cmd_broadcast)

    p_identity = sub.add_parser(
        "identity",
        help='decide an identity between events, e.g. "(A|B)&C" "(A&C)|(B&C)"',
        description="Decide whether LHS = RHS holds for all events of every sample space; "
        "if not, print a concrete counterexample. Operators: | & ~ - ^; counts with "
        "len(...) or P(...). Exit status: 0 if it holds, 1 if not, 2 if malformed.",
    )
    p_identity.add_argument("lhs", metavar="LHS", help='the left side, e.g. "(A|B)&C"')
    p_identity.add_argument("rhs", metavar="RHS", help='the right side, e.g. "(A&C)|(B&C)"')
    p_identity.set_defaults(func=_cmd_identity)

    return parser


def _dashes_as_values(argv: list[str]) -> list[str]:
    """Pass values that start with ``-`` (``-4,3``, ``-2*len(A)``) to the subcommand.

    argparse reads them as unknown options and then complains that the
    arguments are missing; moved behind a ``--``, they reach the subcommand,
    whose own checks give the real reason (a negative size, say). Options
    (``-h``, ``--json``, anything starting ``--``) keep their place before it.
    """
    start = next((i for i, arg in enumerate(argv) if arg in _COMMANDS), None)
    if start is None or "--" in argv[start:]:
        return argv
    rest = argv[start + 1 :]

    def is_option(arg: str) -> bool:
        return arg in _OPTIONS or arg.startswith("--")

    if not any(arg.startswith("-") and len(arg) > 1 and not is_option(arg) for arg in rest):
        return argv
    options = [arg for arg in rest if is_option(arg)]
    values = [arg for arg in rest if not is_option(arg)]
    return [*argv[: start + 1], *options, "--", *values]


def _write(stream: TextIO, text: str) -> None:
    """Write and flush ``text``, escaping what the stream's encoding cannot encode."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        pass
    stream.write(text)
    stream.flush()


def _silence_stdout() -> None:
    """Point standard output at the null device, so the flush at exit cannot fail again."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        fd = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


def _fail(command: str, message: str) -> int:
    """Print the one-line message ``tensornotes <command>: ...`` on stderr; return 2."""
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    with contextlib.suppress(OSError, ValueError):
        _write(sys.stderr, f"tensornotes {command}: {line}\n")
    return 2


def _emit(command: str, text: str, status: int) -> int:
    try:
        _write(sys.stdout, text + "\n")
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except OSError as exc:
        _silence_stdout()
        return _fail(command, f"cannot write the output: {exc.strerror or exc}")
    return status


def _arguments(argv: Sequence[str] | None) -> list[str]:
    if argv is None:
        return sys.argv[1:]
    if isinstance(argv, str | bytes) or not isinstance(argv, Sequence):
        raise TypeError(
            f"argv must be a list of strings such as ['broadcast', '4,3', '3'], got "
            f"{describe(argv)} of type {type(argv).__name__}."
        )
    for i, arg in enumerate(argv):
        if not isinstance(arg, str):
            raise TypeError(
                f"argv[{i}] is {describe(arg)} of type {type(arg).__name__}; every "
                "argument must be a string."
            )
    return list(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Malformed arguments that argparse itself rejects (an unknown subcommand or
    option) raise :class:`SystemExit` with status 2 after printing the usage;
    every other error becomes a one-line message on stderr and status 2.

    Raises:
        TypeError: if ``argv`` is not a list of strings.

    Example:
        >>> import os
        >>> os.environ["TENSORNOTES_DEVICE"] = "cpu"
        >>> main(["device"])
        cpu
        0
        >>> del os.environ["TENSORNOTES_DEVICE"]
    """
    arguments = _arguments(argv)
    parser = _build_parser()
    try:
        args = parser.parse_args(_dashes_as_values(arguments))
    except SystemExit:
        # --help into a closed pipe or a full disk must not fail again at exit.
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            _silence_stdout()
        raise
    command: str = args.command
    try:
        status, text = args.func(args)
    except KeyboardInterrupt:
        return 130
    except TensorNotesError as exc:
        return _fail(command, str(exc))
    except Exception as exc:  # no input may end in a traceback; name what went wrong
        return _fail(command, f"{type(exc).__name__}: {exc}")
    return _emit(command, text, status)
