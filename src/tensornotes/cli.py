"""The ``tensornotes`` command.

Thin by design: it parses the arguments, calls one of the package's modules and
prints what it returns. Each subcommand's exit status is part of its interface:
0 for success, 1 for a negative answer, 2 for malformed input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tensornotes._errors import TensorNotesError

__all__ = ["main"]


def _cmd_device(args: argparse.Namespace) -> int:
    from tensornotes._device import device

    print(device())
    return 0


def _cmd_broadcast(args: argparse.Namespace) -> int:
    import json

    from tensornotes.broadcasting import explain_broadcast, parse_shape

    shapes = [parse_shape(text, f"shape {i + 1}") for i, text in enumerate(args.shapes)]
    explanation = explain_broadcast(*shapes)
    if args.json:
        print(json.dumps(explanation.to_dict(), indent=2))
    else:
        print(explanation)
    return 0 if explanation.ok else 1


def _cmd_identity(args: argparse.Namespace) -> int:
    from tensornotes.events import check_identity

    result = check_identity(args.lhs, args.rhs)
    print(result)
    return 0 if result.holds else 1


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Example:
        >>> import os
        >>> os.environ["TENSORNOTES_DEVICE"] = "cpu"
        >>> main(["device"])
        cpu
        0
        >>> del os.environ["TENSORNOTES_DEVICE"]
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except TensorNotesError as exc:
        print(f"tensornotes {args.command}: {exc}", file=sys.stderr)
        return 2
    return status
