"""Why a shape does not fit: :class:`ShapeError`, its message, the picture and the fix.

Only a failed check comes here. :func:`explain` re-runs the check slowly,
remembering where each name got its size, and writes the message: one
sentence that names the argument and the dim, the spec drawn over each shape
involved with ``^`` under the dims at fault, the shape that was expected and,
where one call (``unsqueeze``, ``squeeze``, ``.T``, ``permute``) makes every
check pass, that call.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from tensornotes._errors import TensorNotesError
from tensornotes._format import shape_text
from tensornotes._shape_match import Entry, fits_dtype, match, passes
from tensornotes._spec_parser import Arith, Binding, Fixed, Named, Spec, is_name

__all__ = ["ShapeError", "explain"]

# At most this many trial shapes are checked while looking for a fix, so that
# a call with many arguments still fails quickly.
_MAX_TRIALS = 2000
_MAX_SIZE = 2**63 - 1


class ShapeError(TensorNotesError):
    """A tensor's shape or dtype does not fit its spec.

    The message names the argument and the dim, says where a name got its size,
    shows the spec aligned over the shape and, where one is evident, the call
    that would fix it.

    Example:
        >>> import torch
        >>> from tensornotes import ShapeError, check_shape
        >>> issubclass(ShapeError, ValueError)
        True
        >>> check_shape(torch.zeros(3, 32, 32), "B C H W")
        Traceback (most recent call last):
        ...
        tensornotes.ShapeError: x has shape (3, 32, 32) but the spec "B C H W" needs 4 dims.
        ...
        Fix: write x.unsqueeze(0), of shape (1, 3, 32, 32), if the missing dim is B.
    """


def _number(n: int) -> str:
    # Python refuses to write integers of more than 4300 digits as text.
    if n.bit_length() > 10_000:
        return f"a number of about {int(n.bit_length() * 0.30103) + 1} digits"
    return str(n)


def _size(value: Binding) -> str:
    return shape_text(value) if isinstance(value, tuple) else _number(value)


def _dims(dims: Sequence[int]) -> str:
    if not dims:
        return "no dims"
    return f"dim {dims[0]}" if len(dims) == 1 else f"dims {dims[0]}-{dims[-1]}"


def _n_dims(n: int) -> str:
    return "1 dim" if n == 1 else f"{n} dims"


def _dtype_text(dtype: object) -> str:
    try:
        return f"dtype {dtype}"
    except Exception:  # an odd object's __str__ must not hide the message
        return f"a dtype of type {type(dtype).__name__}"


# --------------------------------------------------------------------------- the picture


def _columns(spec: Spec, shape: tuple[int, ...]) -> tuple[list[str], list[str], list[list[int]]]:
    """Labels, values and the dims under each column, the spec aligned over the shape."""
    nd = len(shape)
    if (spec.group is None and nd != spec.n_left) or nd < spec.n_dims:
        return list(spec.tokens), [str(s) for s in shape], [[i] for i in range(nd)]
    labels: list[str] = []
    values: list[str] = []
    dims: list[list[int]] = []
    for i in range(spec.n_left):
        labels.append(spec.tokens[i])
        values.append(str(shape[i]))
        dims.append([i])
    if spec.group is not None:
        group = list(range(spec.n_left, nd - spec.n_right))
        labels.append(spec.tokens[spec.n_left])
        values.append(shape_text(shape[spec.n_left : nd - spec.n_right]))
        dims.append(group)
        for j in range(spec.n_right):
            labels.append(spec.tokens[spec.n_left + 1 + j])
            values.append(str(shape[nd - spec.n_right + j]))
            dims.append([nd - spec.n_right + j])
    return labels, values, dims


def _picture(entry: Entry, marked: Collection[int], gap: int | None = None) -> list[str]:
    """The spec over the shape, right-aligned in columns, with ``^`` under marked dims."""
    assert entry.shape is not None
    labels, values, dims = _columns(entry.spec, entry.shape)
    if gap is not None and len(values) < len(labels):
        values.insert(gap, "")
        dims.insert(gap, [])
    n = max(len(labels), len(values))
    labels += [""] * (n - len(labels))
    values += [""] * (n - len(values))
    widths = [max(len(a), len(b), 1) for a, b in zip(labels, values, strict=True)]
    carets = [
        ("^" * w if i < len(dims) and dims[i] and set(dims[i]) & set(marked) else " " * w)
        for i, w in enumerate(widths)
    ]
    pad = " " * len(entry.name)
    rows = [
        f"  {entry.name} spec   "
        + " ".join(a.rjust(w) for a, w in zip(labels, widths, strict=True)),
        f"  {pad} shape  " + " ".join(b.rjust(w) for b, w in zip(values, widths, strict=True)),
    ]
    if marked:
        rows.append(f"  {pad}        " + " ".join(carets))
    return [r.rstrip() for r in rows]


# --------------------------------------------------------------------------- the sentence


@dataclass
class _Problem:
    """What the slow re-check found: the sentence, the entry at fault, the dims to mark."""

    header: str
    failing: int
    marks: dict[int, list[int]] = field(default_factory=dict)
    binder: int | None = None


class _Recheck:
    """The check run once more, slowly, remembering where each name was bound."""

    def __init__(self, entries: Sequence[Entry], known: Mapping[str, Binding]) -> None:
        self.entries = entries
        self.env: dict[str, Binding] = dict(known)
        # Where each name got its size: (entry, dims), or None when given as a keyword.
        self.where: dict[str, tuple[int, list[int]] | None] = dict.fromkeys(known)

    def origin(self, name: str) -> str:
        w = self.where[name]
        if w is None:
            return f"given as {name}={_size(self.env[name])}"
        return f"{self.entries[w[0]].name} has {_size(self.env[name])} at {_dims(w[1])}"

    def arith(self, k: int, dim: int, a: Arith, size: int) -> _Problem | None:
        name = self.entries[k].name
        missing = [n for n in a.names if n not in self.env]
        if missing:
            return _Problem(
                f"{a.text} at dim {dim} of {name} needs {' and '.join(missing)}, "
                "which no plain dim binds.",
                k,
                {k: [dim]},
            )
        want = a.evaluate(self.env)
        if want == size:
            return None
        values = ", ".join(f"{n}={_size(self.env[n])}" for n in a.names)
        sources = "; ".join(self.origin(n) for n in a.names)
        binders = [w for n in a.names if (w := self.where[n]) is not None]
        marks: dict[int, list[int]] = {k: [dim]}
        for b in binders:
            marks.setdefault(b[0], []).extend(b[1])
        binder = binders[0][0] if binders else None
        if want is None:
            return _Problem(
                f"{a.text} at dim {dim} of {name} divides by zero: {values} ({sources}).",
                k,
                marks,
                binder,
            )
        verb = "gives" if len(a.names) == 1 else "give"
        return _Problem(
            f"{a.text}: {name} has {size} at dim {dim}, but {values} {verb} "
            f"{a.text} = {_number(want)} ({sources}).",
            k,
            marks,
            binder,
        )

    def find(self) -> _Problem | None:
        deferred: list[tuple[int, int, Arith, int]] = []
        for k, e in enumerate(self.entries):
            if e.shape is None:
                continue
            problem = self._entry(k, e, e.shape, deferred)
            if problem is not None:
                return problem
            still = []
            for item in deferred:
                if all(n in self.env for n in item[2].names):
                    if (problem := self.arith(*item)) is not None:
                        return problem
                else:
                    still.append(item)
            deferred = still
        for item in deferred:
            if (problem := self.arith(*item)) is not None:
                return problem
        return None

    def _entry(
        self,
        k: int,
        e: Entry,
        shape: tuple[int, ...],
        deferred: list[tuple[int, int, Arith, int]],
    ) -> _Problem | None:
        spec, nd, env, where = e.spec, len(shape), self.env, self.where
        if e.dtype is not None and not fits_dtype(e.dtype, e.actual_dtype):
            has = "no dtype" if e.actual_dtype is None else _dtype_text(e.actual_dtype)
            return _Problem(f"{e.name} has {has} but its spec asks for {e.dtype.label}.", k)
        if spec.group is None and nd != spec.n_left:
            return _Problem(
                f'{e.name} has shape {shape_text(shape)} but the spec "{spec.text}" '
                f"needs {_n_dims(spec.n_left)}.",
                k,
            )
        if nd < spec.n_dims:
            return _Problem(
                f'{e.name} has shape {shape_text(shape)} but the spec "{spec.text}" '
                f"needs at least {_n_dims(spec.n_dims)}.",
                k,
            )
        if spec.star is not None:
            group_dims = list(range(spec.n_left, nd - spec.n_right))
            group = tuple(shape[spec.n_left : nd - spec.n_right])
            bound = env.get(spec.star)
            if bound is None:
                env[spec.star], where[spec.star] = group, (k, group_dims)
            elif bound != group:
                return self._bound_elsewhere(
                    f"*{spec.star}", k, group_dims, spec.star, shape_text(group)
                )
        for i, d in spec.items:
            dim = i % nd
            size = shape[i]
            if isinstance(d, Fixed) and size != d.size:
                to = d.text if d.text == str(d.size) else f"{d.text} = {d.size}"
                return _Problem(
                    f'{e.name} has {size} at dim {dim} but the spec "{spec.text}" '
                    f"fixes that dim to {to}.",
                    k,
                    {k: [dim]},
                )
            if isinstance(d, Named):
                bound = env.get(d.name)
                if bound is None:
                    env[d.name], where[d.name] = size, (k, [dim])
                elif bound != size:
                    return self._bound_elsewhere(d.name, k, [dim], d.name, str(size))
            if isinstance(d, Arith):
                deferred.append((k, dim, d, size))
        return None

    def _bound_elsewhere(
        self, head: str, k: int, dims: list[int], name: str, has: str
    ) -> _Problem:
        """The problem of a name whose size here differs from where it was bound."""
        w = self.where[name]
        marks = {k: list(dims)}
        if w is not None:
            marks.setdefault(w[0], []).extend(w[1])
        return _Problem(
            f"{head}: {self.origin(name)} (bound there), "
            f"{self.entries[k].name} has {has} at {_dims(dims)}.",
            k,
            marks,
            w[0] if w is not None else None,
        )


# --------------------------------------------------------------------------- the fix


def _inversions(perm: tuple[int, ...]) -> int:
    return sum(a > b for a, b in itertools.combinations(perm, 2))


def _candidates(entry: Entry) -> Iterator[tuple[str, tuple[int, ...], str, int | None]]:
    """Calls that might fix one argument, likeliest first.

    Each is ``(code, new shape, note, gap)``; ``gap`` is the dim an
    ``unsqueeze`` adds, so that the picture can leave a blank there.
    """
    assert entry.shape is not None
    shape, spec, name = entry.shape, entry.spec, entry.name
    nd = len(shape)
    if spec.group is not None:
        return
    if nd == spec.n_left - 1:
        for k in range(nd + 1):
            tok = spec.tokens[k]
            note = f"if the missing dim is {tok}" if is_name(tok) else ""
            yield f"{name}.unsqueeze({k})", (*shape[:k], 1, *shape[k:]), note, k
    if nd == spec.n_left + 1:
        for k in range(nd):
            if shape[k] == 1:
                yield f"{name}.squeeze({k})", shape[:k] + shape[k + 1 :], "", None
    if nd == spec.n_left and 2 <= nd <= 6:
        perms = sorted(itertools.permutations(range(nd)), key=lambda p: (_inversions(p), p))
        for perm in perms[1:]:
            code = f"{name}.T" if nd == 2 else f"{name}.permute({', '.join(map(str, perm))})"
            yield code, tuple(shape[p] for p in perm), "", None


def _suggest(
    entries: Sequence[Entry], known: Mapping[str, Binding], order: Sequence[int]
) -> tuple[int, str, int | None] | None:
    """The first candidate call that makes every check pass: ``(entry, "Fix: ...", gap)``."""
    trials = 0
    for k in order:
        entry = entries[k]
        if entry.shape is None or not entry.fixable:
            continue
        for code, new_shape, note, gap in _candidates(entry):
            trials += 1
            if trials > _MAX_TRIALS:
                return None
            trial = list(entries)
            trial[k] = Entry(entry.name, entry.spec, None, new_shape)
            if passes(trial, known):
                tail = f", {note}" if note else ", which fits"
                cond = f"if {entries[order[0]].name} is right, " if k != order[0] else ""
                return k, f"Fix: {cond}write {code}, of shape {shape_text(new_shape)}{tail}.", gap
    return None


def _expected(
    entries: Sequence[Entry], known: Mapping[str, Binding], failing: int
) -> tuple[int, ...] | None:
    """The shape the failing entry should have, given the entries before it, if it is clear."""
    env: dict[str, Binding] = dict(known)
    for e in entries[:failing]:
        if e.shape is not None:
            match(e.spec, e.shape, env, [])
    spec, shape = entries[failing].spec, entries[failing].shape
    assert shape is not None
    nd = len(shape)
    if (spec.group is None and nd != spec.n_left) or nd < spec.n_dims:
        return None
    out = list(shape)
    if spec.star is not None and isinstance(group := env.get(spec.star), tuple):
        out[spec.n_left : nd - spec.n_right] = group
    for i, d in spec.items:
        at = i if i >= 0 else len(out) + i
        if isinstance(d, Fixed):
            out[at] = d.size
        elif isinstance(d, Named):
            bound = env.setdefault(d.name, shape[i])
            out[at] = bound if isinstance(bound, int) else out[at]
        elif all(n in env for n in d.names) and (value := d.evaluate(env)) is not None:
            out[at] = value
        else:
            return None
    if not all(0 <= n <= _MAX_SIZE for n in out):
        return None
    return tuple(out)


def explain(entries: Sequence[Entry], known: Mapping[str, Binding]) -> ShapeError:
    """The error for values whose quick check failed: the sentence, pictures and a fix."""
    problem = _Recheck(entries, known).find()
    if problem is None:
        # Unreachable when the quick check failed; kept as a clear message, not an assert.
        return ShapeError("The shapes do not fit their specs.")
    lines = [problem.header]
    failing = problem.failing
    entry = entries[failing]
    wrong_dtype = entry.dtype is not None and not fits_dtype(entry.dtype, entry.actual_dtype)
    fix = None
    if not wrong_dtype:
        order = [failing] + [k for k in (problem.binder,) if k is not None and k != failing]
        order += [k for k in range(len(entries)) if k not in order]
        fix = _suggest(entries, known, order)
    for k in sorted(set(problem.marks) | {failing}):
        gap = fix[2] if fix is not None and fix[0] == k else None
        lines += _picture(entries[k], problem.marks.get(k, []), gap)
    if wrong_dtype:
        if entry.fixable and entry.dtype is not None:
            lines.append(f"Fix: write {entry.name}{entry.dtype.fix}.")
    else:
        expected = _expected(entries, known, failing)
        if (fix is None or fix[0] != failing) and expected not in (None, entry.shape):
            assert expected is not None
            lines.append(f"Expected: {entry.name} of shape {shape_text(expected)}.")
        if fix is not None:
            lines.append(fix[1])
    return ShapeError("\n".join(lines))
