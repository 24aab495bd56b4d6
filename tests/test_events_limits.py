"""Events at scale and at the edges: independence by one pass, a million points, odd points.

The independence check is compared with its definition, every group of two
or more events multiplied out with Fractions, on random small spaces.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tensornotes import Event, P, SampleSpace, TensorNotesError, independent


def independent_by_definition(*events: Event) -> bool:
    """Every group of two or more events, one by one, with Fractions."""
    for size in range(2, len(events) + 1):
        for group in itertools.combinations(events, size):
            meet, product = group[0], Fraction(1)
            for e in group:
                meet, product = meet & e, product * P(e)
            if P(meet) != product:
                return False
    return True


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda size: st.lists(st.sets(st.integers(0, size - 1)), min_size=2, max_size=5).map(
            lambda sets: (size, sets)
        )
    )
)
def test_independence_agrees_with_the_definition(case: tuple[int, list[set[int]]]) -> None:
    size, sets = case
    space = SampleSpace(range(size))
    events = [space.event(s) for s in sets]
    assert independent(*events) == independent_by_definition(*events)


def test_independent_coins_and_trivial_events() -> None:
    space = SampleSpace(range(1 << 10))
    coins = [space.event(lambda w, i=i: w >> i & 1) for i in range(10)]
    assert independent(*coins)
    assert not independent(*coins, coins[0] ^ coins[1])
    assert independent(*[space.certain] * 40, *[space.impossible] * 40)
    assert not independent(*coins[:3], coins[0])  # an event of probability 1/2 twice


def test_independent_refuses_too_many_informative_events() -> None:
    space = SampleSpace(range(1 << 17))
    coins = [space.event(lambda w, i=i: w >> i & 1) for i in range(17)]
    with pytest.raises(
        TensorNotesError,
        match=r"^independent\(\) got 17 events whose probability is neither 0 nor 1; it checks "
        r"at most 16",
    ):
        independent(*coins)


# --- Large spaces and odd points ----------------------------------------------------------


def test_a_space_of_a_million_points_and_one_is_refused() -> None:
    with pytest.raises(TensorNotesError, match=r"^points has more than 1000000 sample points"):
        SampleSpace(range(10**6 + 1))
    with pytest.raises(TensorNotesError, match=r"^points has more than 1000000 sample points"):
        SampleSpace(itertools.count())


def test_large_events_list_and_print_in_order() -> None:
    space = SampleSpace(range(10**5))
    evens = space.event(range(0, 10**5, 2))
    assert evens == space.event(lambda w: w % 2 == 0)
    assert list(evens) == list(range(0, 10**5, 2))
    assert list(space.certain) == list(range(10**5))
    assert str(evens).endswith(", ... (50000 in all)}")
    assert 99_998 in evens
    assert 99_999 not in evens


def test_a_listing_that_never_ends_is_refused() -> None:
    die = SampleSpace(range(1, 7))
    with pytest.raises(TensorNotesError, match=r"^spec lists more than 1000000 points"):
        die.event(itertools.repeat(1))


@pytest.mark.parametrize(
    "make",
    [
        lambda torch: torch.arange(3),
        lambda torch: torch.zeros(3, device="meta"),
        lambda torch: torch.zeros(3).to_sparse(),
        lambda torch: torch.nested.nested_tensor([torch.zeros(2), torch.zeros(3)]),
    ],
    ids=["dense", "meta", "sparse", "nested"],
)
def test_tensors_as_points_or_specs_are_refused_with_a_hint(make: object) -> None:
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nested tensors are a prototype
        tensor = make(torch)  # type: ignore[operator]
    with pytest.raises(TypeError, match=r"^points is a torch\.Tensor.*pass points\.tolist\(\)"):
        SampleSpace(tensor)
    with pytest.raises(TypeError, match=r"^spec is a torch\.Tensor.*pass spec\.tolist\(\)"):
        SampleSpace(range(3)).event(tensor)


def test_a_predicate_without_a_truth_value() -> None:
    import torch

    die = SampleSpace(range(1, 7))
    with pytest.raises(
        TypeError, match=r"^spec returned Tensor .* for the sample point 1, which is neither"
    ):
        die.event(lambda w: torch.tensor([w, w]))


def test_an_unhashable_point_inside_a_tuple() -> None:
    with pytest.raises(TypeError, match=r"^sample point \(1, \[2\]\) is unhashable \(tuple\)"):
        SampleSpace([(1, [2])])
