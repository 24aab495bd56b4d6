"""Matching shapes against parsed specs: the quick yes-or-no test, with no explanation.

:func:`match` binds one shape's dims into a shared dict of names; arithmetic
whose names are not bound yet waits in a list until :func:`resolve`.
:func:`passes` runs both over several values, as a decorated call does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tensornotes._spec_parser import Arith, Binding, DtypeRule, Fixed, Named, Spec

__all__ = ["Deferred", "Entry", "fits_dtype", "match", "passes", "resolve"]

Deferred = list[tuple[Arith, int]]
"""Arithmetic dims waiting for their names, each with the size it must equal."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One checked value: what messages call it, its spec and dtype rule, what it has.

    ``shape`` is ``None`` for an argument that was ``None`` and is skipped;
    ``fixable`` is false for return values, which a caller cannot reshape.
    """

    name: str
    spec: Spec
    dtype: DtypeRule | None
    shape: tuple[int, ...] | None
    actual_dtype: object = None
    fixable: bool = True


def fits_dtype(rule: DtypeRule, dtype: object) -> bool:
    """Whether ``dtype`` is one the rule allows; an unhashable oddity simply is not."""
    try:
        return dtype in rule.allowed
    except TypeError:
        return False


def match(spec: Spec, shape: Sequence[int], env: dict[str, Binding], deferred: Deferred) -> bool:
    """Check one shape against one spec, binding names into ``env``."""
    plain = spec.plain
    if plain is not None:
        if len(shape) != len(plain):
            return False
        for name, size in zip(plain, shape, strict=True):
            if name is not None and env.setdefault(name, size) != size:
                return False
        return all(shape[i] == size for i, size in spec.fixed) if spec.fixed else True
    nd = len(shape)
    if spec.group is None:
        if nd != spec.n_left:
            return False
    elif nd < spec.n_left + spec.n_right:
        return False
    elif spec.star is not None:
        group = tuple(shape[spec.n_left : nd - spec.n_right])
        bound = env.get(spec.star)
        if bound is None:
            env[spec.star] = group
        elif bound != group:
            return False
    for i, dim in spec.items:
        size = shape[i]
        if isinstance(dim, Named):
            bound = env.get(dim.name)
            if bound is None:
                env[dim.name] = size
            elif bound != size:
                return False
        elif isinstance(dim, Fixed):
            if size != dim.size:
                return False
        elif all(n in env for n in dim.names):
            if dim.evaluate(env) != size:
                return False
        else:
            deferred.append((dim, size))
    return True


def resolve(deferred: Deferred, env: Mapping[str, Binding]) -> bool:
    """Whether every waiting arithmetic dim now has its names and its size."""
    return all(all(n in env for n in a.names) and a.evaluate(env) == size for a, size in deferred)


def passes(entries: Sequence[Entry], known: Mapping[str, Binding]) -> bool:
    """Whether the shapes of all ``entries`` fit their specs together (dtypes aside)."""
    env = dict(known)
    deferred: Deferred = []
    for e in entries:
        if e.shape is not None and not match(e.spec, e.shape, env, deferred):
            return False
    return resolve(deferred, env)
