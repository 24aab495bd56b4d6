"""venn() and IdentityResult.plot(): the drawing convention and their arguments' errors."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import pytest

from tensornotes import SampleSpace, TensorNotesError, check_identity, venn

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.fixture
def die_events() -> tuple[object, object]:
    die = SampleSpace(range(1, 7))
    return die.event({1, 2, 3}), die.event({2, 4, 6})


def test_venn_draws_on_the_given_axes_and_returns_them(die_events: tuple) -> None:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    assert venn(*die_events, ax=ax) is ax
    assert check_identity("A - B", "A & ~B").plot(ax=ax) is ax


def test_ax_is_keyword_only_and_must_be_axes(die_events: tuple) -> None:
    with pytest.raises(TypeError, match=r"^ax must be a matplotlib Axes or None, not int 5;"):
        venn(*die_events, ax=5)  # type: ignore[arg-type]
    result = check_identity("A - B", "A ^ B")
    with pytest.raises(TypeError, match=r"^ax must be a matplotlib Axes or None, not str 'x'"):
        result.plot(ax="x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"takes 1 positional argument but 2 were given"):
        result.plot(None)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("names", "error", "message"),
    [
        (
            5,
            TypeError,
            r"^names must be a sequence of 2 strings such as \('A', 'B'\), not int 5\.",
        ),
        ("AB", TypeError, r"^names must be a sequence of 2 strings such as .* not str 'AB'\."),
        ([1, 2], TypeError, r"^names must hold strings, not int 1\."),
        (["A"], TensorNotesError, r"^names gives 1 names for 2 events\."),
    ],
)
def test_bad_names_are_named(
    die_events: tuple, names: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        venn(*die_events, names=names)  # type: ignore[arg-type]


def test_other_bad_arguments_are_named(die_events: tuple) -> None:
    with pytest.raises(TypeError, match=r"^title must be a string or None, not int\."):
        venn(*die_events, title=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^universe must be True or False, not str\."):
        venn(*die_events, universe="no")  # type: ignore[arg-type]
    with pytest.raises(TensorNotesError, match=r"^shade_color='nope' is not a matplotlib colour"):
        venn(*die_events, shade_color="nope")
    with pytest.raises(TensorNotesError, match=r"^shade_color=\[\[\]\] is not a matplotlib"):
        venn(*die_events, shade_color=[[]])  # type: ignore[arg-type]
    with pytest.raises(TensorNotesError, match=r"^labels=\['elements'\] is not one of"):
        venn(*die_events, labels=["elements"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^shade must be a string such as"):
        venn(*die_events, shade=5)  # type: ignore[arg-type]


def test_names_label_the_circles(die_events: tuple) -> None:
    ax = venn(*die_events, names=("low", "even"))
    assert {"low", "even"} <= {t.get_text() for t in ax.texts}


def test_a_crowded_region_shows_its_first_points_and_its_size() -> None:
    space = SampleSpace(range(1000))
    ax = venn(space.event(range(100)))
    texts = [t.get_text() for t in ax.texts]
    inside = next(t for t in texts if t.startswith("0, 1, 2"))
    assert inside.endswith("... (100 in all)")
    assert inside.count(",") == 9  # 9 points, then the count
    assert any(t.endswith("(900 in all)") for t in texts)


def test_venn_on_a_large_space_sorts_points_into_the_right_regions() -> None:
    space = SampleSpace(range(100_000))
    a, b = space.event(range(0, 100_000, 2)), space.event(range(0, 100_000, 3))
    ax = venn(a, b, labels="counts")
    counts = sorted(int(t.get_text()) for t in ax.texts if t.get_text().isdigit())
    assert counts == sorted([len(a - b), len(b - a), len(a & b), len(~(a | b))])


def test_plots_of_counting_identities() -> None:
    holds = check_identity("len(A | B)", "len(A) + len(B) - len(A & B)").plot()
    assert holds.get_title() == "len(A ∪ B) = len(A) + len(B) - len(A ∩ B)"
    assert not holds.images  # a count describes no one region to shade
    fails = check_identity("P(A | B)", "P(A) + P(B)").plot()
    assert fails.get_title() == "counterexample: P(A ∪ B) = 1\nbut P(A) + P(B) = 2"
