"""Time check_identity against sympy's satisfiable(Not(Equivalent(lhs, rhs))).

Two workloads, both decided by each tool in the same run:

* the law catalogue, ``tensornotes.laws()`` (its identities between events;
  the counting laws have no sympy counterpart and are left out);
* random expressions of 4, 10 and 16 variables. Each is paired once with an
  equivalent rewrite (complements pushed down to the names by De Morgan's
  laws: the identity holds) and once with a copy in which one operator is
  changed (it usually fails).

Targets: at least 10x faster than sympy on the catalogue, and under 1 s for
16 variables. The catalogue is timed twice: warm, as a loop of calls runs
(check_identity reuses a side it has parsed, sympy its expression cache), and
cold, with both caches cleared before every identity.

Run: ``.venv/bin/python benchmarks/identities.py`` (about a minute: sympy needs
most of it for 16 variables).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

import sympy
from sympy.core.cache import clear_cache
from sympy.logic.boolalg import Boolean

from tensornotes import _event_parser as ex
from tensornotes import check_identity, laws
from tensornotes._identity_sides import _parse_side

# No ^ in the random expressions: sympy's satisfiable converts to CNF, where each
# Xor doubles the size, and 16 variables would not finish. The catalogue keeps it.
_OPS = ("|", "&", "-")


def to_sympy(expr: ex.SetExpr, symbols: dict[str, sympy.Symbol]) -> Boolean:
    """The same expression as a sympy Boolean: membership of one sample point."""
    if isinstance(expr, ex.Var):
        return symbols.setdefault(expr.name, sympy.Symbol(expr.name))
    if isinstance(expr, ex.Const):
        return sympy.true if expr.certain else sympy.false
    if isinstance(expr, ex.Complement):
        return sympy.Not(to_sympy(expr.operand, symbols))
    left, right = to_sympy(expr.left, symbols), to_sympy(expr.right, symbols)
    if expr.op == "|":
        return sympy.Or(left, right)
    if expr.op == "&":
        return sympy.And(left, right)
    if expr.op == "-":
        return sympy.And(left, sympy.Not(right))
    return sympy.Xor(left, right)


def to_text(expr: ex.SetExpr) -> str:
    """The expression as a string for check_identity, fully parenthesised."""
    if isinstance(expr, ex.Var):
        return expr.name
    if isinstance(expr, ex.Const):
        return "Omega" if expr.certain else "Empty"
    if isinstance(expr, ex.Complement):
        return f"~{to_text(expr.operand)}"
    return f"({to_text(expr.left)} {expr.op} {to_text(expr.right)})"


def random_expr(rng: random.Random, names: list[str], leaves: int) -> ex.SetExpr:
    """A random expression with ``leaves`` names; every name is used at least once."""
    pool = names + [rng.choice(names) for _ in range(leaves - len(names))]
    rng.shuffle(pool)
    nodes: list[ex.SetExpr] = [ex.Var(n) for n in pool]
    nodes = [ex.Complement(n) if rng.random() < 0.3 else n for n in nodes]
    while len(nodes) > 1:
        i = rng.randrange(len(nodes) - 1)
        node: ex.SetExpr = ex.SetBin(rng.choice(_OPS), nodes[i], nodes[i + 1])
        if rng.random() < 0.2:
            node = ex.Complement(node)
        nodes[i : i + 2] = [node]
    return nodes[0]


def push_complements(expr: ex.SetExpr, negate: bool = False) -> ex.SetExpr:
    """An equivalent expression in which ~ applies to names only (De Morgan)."""
    if isinstance(expr, ex.Var):
        return ex.Complement(expr) if negate else expr
    if isinstance(expr, ex.Const):
        return ex.Const(expr.certain != negate)
    if isinstance(expr, ex.Complement):
        return push_complements(expr.operand, not negate)
    left, right = expr.left, expr.right
    if expr.op == "-":  # A - B = A & ~B
        return push_complements(ex.SetBin("&", left, ex.Complement(right)), negate)
    if expr.op == "^":  # ~(A ^ B) = ~A ^ B
        return ex.SetBin("^", push_complements(left, negate), push_complements(right))
    op = expr.op if not negate else ("&" if expr.op == "|" else "|")
    return ex.SetBin(op, push_complements(left, negate), push_complements(right, negate))


def mutate(expr: ex.SetExpr, rng: random.Random) -> ex.SetExpr:
    """Change one binary operator, chosen at random, into another."""
    binaries: list[ex.SetBin] = []

    def collect(node: ex.SetExpr) -> None:
        if isinstance(node, ex.SetBin):
            binaries.append(node)
            collect(node.left)
            collect(node.right)
        elif isinstance(node, ex.Complement):
            collect(node.operand)

    collect(expr)
    target = rng.choice(binaries)
    new_op = rng.choice([op for op in _OPS if op != target.op])

    def rebuild(node: ex.SetExpr) -> ex.SetExpr:
        if node is target:
            return ex.SetBin(new_op, node.left, node.right)  # type: ignore[union-attr]
        if isinstance(node, ex.SetBin):
            return ex.SetBin(node.op, rebuild(node.left), rebuild(node.right))
        if isinstance(node, ex.Complement):
            return ex.Complement(rebuild(node.operand))
        return node

    return rebuild(expr)


def best_of(func: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def sympy_holds(lhs: Boolean, rhs: Boolean) -> bool:
    return sympy.satisfiable(sympy.Not(sympy.Equivalent(lhs, rhs))) is False


def main() -> int:
    ok = True
    set_laws = [law for law in laws() if "len(" not in law.lhs and "P(" not in law.lhs]
    pairs = []
    for law in set_laws:
        symbols: dict[str, sympy.Symbol] = {}
        lhs = ex.parse(law.lhs, argname="lhs")
        rhs = ex.parse(law.rhs, argname="rhs")
        pairs.append((law, to_sympy(lhs, symbols), to_sympy(rhs, symbols)))  # type: ignore[arg-type]

    for law, slhs, srhs in pairs:
        if check_identity(law.lhs, law.rhs).holds != sympy_holds(slhs, srhs):
            print(f"DISAGREE on {law}")
            ok = False

    def run_ours(cold: bool) -> None:
        for law, _, _ in pairs:
            if cold:
                _parse_side.cache_clear()
            check_identity(law.lhs, law.rhs)

    def run_sympy(cold: bool) -> None:
        for _, a, b in pairs:
            if cold:
                clear_cache()
            sympy_holds(a, b)

    print(f"law catalogue: {len(pairs)} identities between events, all decided per run")
    print(f"  {'':26} {'check_identity':>14} {'sympy':>10} {'ratio':>8}")
    for cold, label in ((False, "warm (as called in a loop)"), (True, "cold (caches cleared)")):
        ours = best_of(lambda cold=cold: run_ours(cold), 20)
        theirs = best_of(lambda cold=cold: run_sympy(cold), 5)
        ratio = theirs / ours
        print(f"  {label:26} {ours * 1e3:11.2f} ms {theirs * 1e3:7.2f} ms {ratio:7.1f}x")
        ok &= ratio >= 10
    print("  target: check_identity at least 10x faster than sympy")

    rng = random.Random(14)
    print("\nrandom expressions (leaves = 3 x variables); seconds for one decision")
    header = ("vars", "pair", "verdict", "check_identity", "sympy", "ratio")
    print("  {:>4} {:>9} {:>7} {:>15} {:>10} {:>8}".format(*header))
    for n in (4, 10, 16):
        names = [chr(ord("A") + i) for i in range(n)]
        expr = random_expr(rng, names, 3 * n)
        changed = mutate(expr, rng)
        while check_identity(to_text(expr), to_text(changed)).holds:
            changed = mutate(expr, rng)
        for label, other in (("rewrite", push_complements(expr)), ("mutation", changed)):
            left, right = to_text(expr), to_text(other)
            result = check_identity(left, right)
            symbols = {}
            slhs, srhs = to_sympy(expr, symbols), to_sympy(other, symbols)
            if result.holds != sympy_holds(slhs, srhs):
                print(f"DISAGREE on {left} = {right}")
                ok = False
            t_ours = best_of(lambda left=left, right=right: check_identity(left, right), 5)
            t_sympy = best_of(lambda slhs=slhs, srhs=srhs: sympy_holds(slhs, srhs), 1)
            verdict = "holds" if result.holds else "fails"
            print(
                f"  {n:>4} {label:>9} {verdict:>7} {t_ours:>15.5f} {t_sympy:>10.5f} "
                f"{t_sympy / t_ours:>7.0f}x"
            )
            if n == 16:
                ok &= t_ours < 1.0
    print("  target: under 1 s for 16 variables")
    print("\nall targets met" if ok else "\nA TARGET WAS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
