"""The expression parser of :func:`tensornotes.check_identity`: text to a typed tree, never run.

:func:`parse` reads a string such as ``"(A | B) & C"`` with :func:`ast.parse`
and accepts only a whitelist of node types: event names, the operators
``| & ~ - ^``, and for counting identities ``len(...)``, ``P(...)``, ``+``,
``-``, ``*`` and whole numbers. Anything else (a call, an attribute, a
subscript, a string literal, ``**``) is refused with a message naming the
construct, so a string like ``"__import__('os').system('x')"`` is never run.

Names are ASCII: Python folds look-alike letters into one (``"Ａ"`` and ``"𝐀"``
both read as ``A``), so a name written with any other character is refused
rather than silently merged with another. ``Ω`` and ``∅`` are the two
symbols accepted.

The tree's nodes are small frozen dataclasses (:class:`Var`, :class:`SetBin`,
:class:`Count`, ...); :func:`to_math` writes a tree back in set notation.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from tensornotes._errors import TensorNotesError
from tensornotes._validation import text_argument

MAX_LENGTH = 2000
"""Longest expression text accepted, in characters."""

MAX_DEPTH = 200
"""Most operations nested one inside another (a chain ``A | B | C`` nests one per operator)."""

_WORD = re.compile(r"\w+")

VARIABLE = re.compile(r"[A-Z](_?[0-9]+)?")
CERTAIN_NAMES = ("Ω", "Omega")
IMPOSSIBLE_NAMES = ("∅", "Empty")
_IMPOSSIBLE_IDENTIFIER = "Empty"

SetOp = Literal["|", "&", "-", "^"]
NumOp = Literal["+", "-", "*"]
Measure = Literal["len", "P"]

_SET_OPS: dict[type[ast.operator], SetOp] = {
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.Sub: "-",
    ast.BitXor: "^",
}
_NUM_OPS: dict[type[ast.operator], NumOp] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
_MATH_SET = {"|": "∪", "&": "∩", "-": "−", "^": "△"}
_ASSOCIATIVE = ("|", "&", "^")


@dataclass(frozen=True)
class Var:
    """An event named in the expression, such as ``A``."""

    name: str


@dataclass(frozen=True)
class Const:
    """The certain event Ω (``True``) or the impossible event ∅ (``False``)."""

    certain: bool


@dataclass(frozen=True)
class Complement:
    """The complement of an event, written ``~X``."""

    operand: SetExpr


@dataclass(frozen=True)
class SetBin:
    """Union, intersection, difference or symmetric difference of two events."""

    op: SetOp
    left: SetExpr
    right: SetExpr
    grouped: bool = field(default=False, compare=False)
    """Whether the text put this operation in parentheses; kept for printing only."""


@dataclass(frozen=True)
class Count:
    """``len(X)`` (how many sample points) or ``P(X)`` (their share of Ω)."""

    measure: Measure
    operand: SetExpr


@dataclass(frozen=True)
class Number:
    """A whole number in a counting identity."""

    value: int


@dataclass(frozen=True)
class Neg:
    """The negative of a number expression."""

    operand: NumExpr


@dataclass(frozen=True)
class NumBin:
    """Sum, difference or product of two number expressions."""

    op: NumOp
    left: NumExpr
    right: NumExpr


SetExpr = Var | Const | Complement | SetBin
NumExpr = Count | Number | Neg | NumBin
Expr = SetExpr | NumExpr

_ALLOWED = (
    "event names (A, B, C1, ...), Ω or Omega, ∅ or Empty, the operators "
    "| & ~ - ^ and parentheses; in counting identities also len(...), P(...), "
    "+, -, * and whole numbers"
)


def _describe(node: ast.AST) -> str:
    """Name a syntax node the way a learner would recognise it."""
    names: dict[type[ast.AST], str] = {
        ast.Call: "a function call",
        ast.Attribute: "an attribute access",
        ast.Subscript: "a subscript",
        ast.Lambda: "a lambda",
        ast.Compare: "a comparison",
        ast.BoolOp: "'and'/'or'",
        ast.IfExp: "an if-expression",
        ast.NamedExpr: "an assignment",
        ast.JoinedStr: "an f-string",
    }
    if isinstance(node, ast.Constant):
        return f"the constant {node.value!r}"
    if isinstance(node, ast.BinOp):
        symbols = {ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**"}
        symbols.update({ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@"})
        return f"the operator {symbols.get(type(node.op), '?')}"
    if isinstance(node, ast.UnaryOp):
        return "the unary operator " + {ast.Not: "not", ast.USub: "-", ast.UAdd: "+"}.get(
            type(node.op), "?"
        )
    return names.get(type(node), f"{type(node).__name__} syntax")


def _is_numeric(node: ast.AST) -> bool:
    """Whether ``node`` reads as a number: a count, a whole number, or arithmetic on one."""
    if isinstance(node, ast.Call) or (isinstance(node, ast.Constant) and type(node.value) is int):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return True
    if isinstance(node, ast.BinOp) and type(node.op) in _NUM_OPS:
        return _is_numeric(node.left) or _is_numeric(node.right)
    return False


class _Parser:
    def __init__(self, text: str, source: str, argname: str) -> None:
        self.text = text
        self.argname = argname
        # ast counts columns in UTF-8 bytes, and lines as the tokenizer does.
        self.source = source.encode()
        self.line_starts = [0] + [m.end() for m in re.finditer(rb"\r\n|\r|\n", self.source)]

    def grouped(self, node: ast.expr) -> bool:
        """Whether ``node`` sits inside its own pair of parentheses in the source."""
        if node.end_lineno is None or node.end_col_offset is None:
            return False
        start = self.line_starts[node.lineno - 1] + node.col_offset
        end = self.line_starts[node.end_lineno - 1] + node.end_col_offset
        before, after = self.source[:start].rstrip(), self.source[end:].lstrip()
        return before.endswith(b"(") and after.startswith(b")")

    def fail(self, why: str) -> TensorNotesError:
        return TensorNotesError(f"{self.argname} {self.text!r} {why}; use only {_ALLOWED}.")

    def any(self, node: ast.AST) -> Expr:
        return self.number(node) if _is_numeric(node) else self.event(node)

    def event(self, node: ast.AST) -> SetExpr:
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            return Complement(self.event(node.operand))
        if isinstance(node, ast.BinOp) and type(node.op) in _SET_OPS:
            return SetBin(
                _SET_OPS[type(node.op)],
                self.event(node.left),
                self.event(node.right),
                self.grouped(node),
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            raise self.fail(
                "uses +, which the notes write for the union of two disjoint events; "
                "between events write | for the union"
            )
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            raise self.fail("uses 'not'; write ~X for the complement of X")
        raise self.fail(f"contains {_describe(node)}, which is not an operation on events")

    def name(self, name: str) -> SetExpr:
        if name in CERTAIN_NAMES:
            return Const(True)
        if name in IMPOSSIBLE_NAMES:
            return Const(False)
        if VARIABLE.fullmatch(name):
            return Var(name)
        raise TensorNotesError(
            f"{self.argname} {self.text!r} uses the unknown name {name!r}; name events "
            "with a capital letter and optional digits (A, B, C1), and write Ω or Omega "
            "for the sample space and ∅ or Empty for the impossible event."
        )

    def number(self, node: ast.AST) -> NumExpr:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return Number(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return Neg(self.number(node.operand))
        if isinstance(node, ast.BinOp) and type(node.op) in _NUM_OPS:
            return NumBin(_NUM_OPS[type(node.op)], self.number(node.left), self.number(node.right))
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Name)
                and func.id in ("len", "P")
                and len(node.args) == 1
                and not node.keywords
            ):
                measure: Measure = "len" if func.id == "len" else "P"
                return Count(measure, self.event(node.args[0]))
            raise self.fail(
                "contains a function call other than len(X) or P(X) of one event, "
                "and only those two are understood"
            )
        outside = (isinstance(node, ast.BinOp) and type(node.op) not in _SET_OPS) or (
            isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.Invert)
        )
        if isinstance(node, (ast.Name, ast.BinOp, ast.UnaryOp)) and not outside:
            raise self.fail(
                "mixes events and numbers; an event X counts as a number only inside "
                "len(X) or P(X)"
            )
        raise self.fail(f"contains {_describe(node)}, which is not part of a counting identity")


def _check_characters(text: str, argname: str) -> None:
    """Refuse lone surrogates, and names that Python would fold into another name."""
    try:
        text.encode()
    except UnicodeEncodeError as exc:
        char = text[exc.start]
        raise TensorNotesError(
            f"{argname} {text!r} contains the lone surrogate {char!r} (U+{ord(char):04X}), "
            "which is not a character: the text was not valid UTF-8 where it came from; "
            "write the expression in plain text."
        ) from None
    if text.isascii():
        return
    for word in _WORD.findall(text):
        if word.isascii() or word in CERTAIN_NAMES:
            continue
        raise TensorNotesError(
            f"{argname} {text!r} writes the name {word!r} with characters outside ASCII, which "
            f"Python reads as {unicodedata.normalize('NFKC', word)!r}: look-alike letters "
            "would silently name one event. Write event names in ASCII letters and digits "
            "(A, B, C1); Ω and ∅ are the only other symbols."
        )


def _depth(tree: ast.AST) -> int:
    """How deeply the expression nodes of ``tree`` nest, found without recursion."""
    deepest, stack = 0, [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr):
            depth += 1
            deepest = max(deepest, depth)
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))
    return deepest


def parse(text: str, *, argname: str) -> Expr:
    """Parse ``text`` into an expression tree, checking every node against the whitelist.

    Args:
        text: the expression, e.g. ``"(A | B) & ~C"`` or ``"len(A | B)"``: at
            most 2,000 characters and 200 operations nested one inside another.
        argname: the argument's name, quoted in error messages.

    Raises:
        TypeError: if ``text`` is not a string.
        TensorNotesError: for text that is empty, too long, too deeply nested,
            not Python syntax, a name that is not ASCII (other than Ω and ∅),
            or a name or construct outside the whitelist.
    """
    text = text_argument(
        text, argname, example="'(A | B) & C'", what="an expression", limit=MAX_LENGTH
    )
    _check_characters(text, argname)
    source = text.replace("∅", _IMPOSSIBLE_IDENTIFIER).strip()
    if not source:
        raise TensorNotesError(
            f"{argname} {text!r} is empty; write an expression such as 'A | B'."
        )
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise TensorNotesError(
            f"{argname} {text!r} is not a well-formed expression ({exc.msg}); use only {_ALLOWED}."
        ) from None
    except ValueError as exc:  # a null byte, or an integer of too many digits
        raise TensorNotesError(
            f"{argname} {text!r} is not a well-formed expression ({exc}); use only {_ALLOWED}."
        ) from None
    except (RecursionError, MemoryError):
        raise TensorNotesError(f"{argname} {text!r} is nested too deeply to parse.") from None
    # Each level of nesting takes at least one character, so short text needs no walk.
    depth = _depth(tree.body) if len(source) > MAX_DEPTH else 0
    if depth > MAX_DEPTH:
        raise TensorNotesError(
            f"{argname} nests {depth} operations one inside another; at most {MAX_DEPTH} "
            "are accepted (a chain such as A | B | C nests one per operator)."
        )
    return _Parser(text, source, argname).any(tree.body)


def operations(expr: Expr) -> int:
    """How many set operations (``~``, ``|``, ``&``, ``-``, ``^``) evaluating ``expr`` takes."""
    count, stack = 0, [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, SetBin):
            count += 1
            stack += (node.left, node.right)
        elif isinstance(node, NumBin):
            stack += (node.left, node.right)
        elif isinstance(node, (Complement, Count, Neg)):
            count += isinstance(node, Complement)
            stack.append(node.operand)
    return count


def variables(expr: Expr) -> list[str]:
    """The event names in ``expr``, in order of first appearance."""
    found: dict[str, None] = {}

    def walk(node: Expr) -> None:
        if isinstance(node, Var):
            found[node.name] = None
        elif isinstance(node, (Complement, Count, Neg)):
            walk(node.operand)
        elif isinstance(node, (SetBin, NumBin)):
            walk(node.left)
            walk(node.right)

    walk(expr)
    return list(found)


def measure_of(expr: Expr) -> Measure | None:
    """``None`` for an event expression, else ``"len"`` or ``"P"``.

    Raises:
        TensorNotesError: if one expression mixes ``len`` and ``P``.
    """
    measures: set[Measure] = set()

    def walk(node: Expr) -> None:
        if isinstance(node, Count):
            measures.add(node.measure)
        elif isinstance(node, Neg):
            walk(node.operand)
        elif isinstance(node, NumBin):
            walk(node.left)
            walk(node.right)

    walk(expr)
    if not isinstance(expr, (Count, Number, Neg, NumBin)):
        return None
    if len(measures) > 1:
        raise TensorNotesError(
            "an expression mixes len(...) and P(...); count with one of them throughout."
        )
    return measures.pop() if measures else None


def linear_terms(expr: NumExpr) -> list[tuple[int, SetExpr | None]]:
    """Expand a number expression into ``(coefficient, event)`` terms; ``None`` is a constant.

    Raises:
        TensorNotesError: for a product of two counts (not linear in the counts).
    """
    if isinstance(expr, Number):
        return [(expr.value, None)]
    if isinstance(expr, Count):
        return [(1, expr.operand)]
    if isinstance(expr, Neg):
        return [(-c, e) for c, e in linear_terms(expr.operand)]
    left = linear_terms(expr.left)
    right = linear_terms(expr.right)
    if expr.op == "+":
        return left + right
    if expr.op == "-":
        return left + [(-c, e) for c, e in right]
    if all(e is None for _, e in left):
        factor = sum(c for c, _ in left)
        return [(factor * c, e) for c, e in right]
    if all(e is None for _, e in right):
        factor = sum(c for c, _ in right)
        return [(factor * c, e) for c, e in left]
    raise TensorNotesError(
        f"the product {to_math(expr)} multiplies two counts; an identity of counts may "
        "multiply a count only by a whole number."
    )


def _set_math(expr: SetExpr, parent: str | None, left: bool = False) -> str:
    if isinstance(expr, Var):
        return expr.name
    if isinstance(expr, Const):
        return "Ω" if expr.certain else "∅"
    if isinstance(expr, Complement):
        inner = _set_math(expr.operand, None)
        simple = isinstance(expr.operand, (Var, Const, Complement))
        return inner + "ᶜ" if simple else f"({inner})ᶜ"
    text = (
        f"{_set_math(expr.left, expr.op, True)} {_MATH_SET[expr.op]} "
        f"{_set_math(expr.right, expr.op)}"
    )
    # A chain such as A ∪ B ∪ C reads left to right, as Python groups it; any
    # other nesting, and any parentheses the text had, are written out.
    chain = left and parent == expr.op and expr.op in _ASSOCIATIVE and not expr.grouped
    return text if parent is None or chain else f"({text})"


def _num_math(expr: NumExpr, parent: str | None, right: bool) -> str:
    if isinstance(expr, Number):
        return str(expr.value)
    if isinstance(expr, Count):
        return f"{expr.measure}({_set_math(expr.operand, None)})"
    if isinstance(expr, Neg):
        return f"-{_num_math(expr.operand, '*', True)}"
    text = (
        f"{_num_math(expr.left, expr.op, False)} {expr.op} {_num_math(expr.right, expr.op, True)}"
    )
    if expr.op != "*" and (parent == "*" or (parent == "-" and right)):
        return f"({text})"
    return text


def to_math(expr: Expr) -> str:
    """Write ``expr`` in set notation: ``(A ∪ B) ∩ Cᶜ``, ``len(A ∪ B)``."""
    if isinstance(expr, (Count, Number, Neg, NumBin)):
        return _num_math(expr, None, False)
    return _set_math(expr, None)
