"""tensornotes: small tools for learning how PyTorch tensors behave.

Each module does one thing; the public names are re-exported here.
"""

from __future__ import annotations

from tensornotes.broadcasting import (
    BroadcastConflict,
    BroadcastExplanation,
    BroadcastStep,
    DimSize,
    MemoryReport,
    MemoryRow,
    Outcome,
    explain_broadcast,
    memory_report,
    parse_shape,
)
from tensornotes._device import device
from tensornotes._errors import TensorNotesError
from tensornotes.events import (
    Counterexample,
    Event,
    IdentityResult,
    Law,
    P,
    SampleSpace,
    check_identity,
    independent,
    laws,
    venn,
)
from tensornotes.gradients import (
    DescentComparison,
    DescentRun,
    GradientField,
    Kink,
    StationaryPoint,
    Trajectory,
    compare_descent,
    derivative,
    descend,
    gradient_field,
    himmelblau,
    kinks,
    plot_descent,
    plot_function_and_grad,
    plot_surface,
    stationary_points,
)
from tensornotes.shapes import ShapeError, check_shape, shapes

__all__ = [
    "BroadcastConflict",
    "BroadcastExplanation",
    "BroadcastStep",
    "Counterexample",
    "DescentComparison",
    "DescentRun",
    "DimSize",
    "Event",
    "GradientField",
    "IdentityResult",
    "Kink",
    "Law",
    "MemoryReport",
    "MemoryRow",
    "Outcome",
    "P",
    "SampleSpace",
    "ShapeError",
    "StationaryPoint",
    "TensorNotesError",
    "Trajectory",
    "check_identity",
    "check_shape",
    "compare_descent",
    "derivative",
    "descend",
    "device",
    "explain_broadcast",
    "gradient_field",
    "himmelblau",
    "independent",
    "kinks",
    "laws",
    "memory_report",
    "parse_shape",
    "plot_descent",
    "plot_function_and_grad",
    "plot_surface",
    "shapes",
    "stationary_points",
    "venn",
]

__version__ = "0.1.0"


def _present_as_public() -> None:
    """Name each public object after the package, where a reader imports it.

    Tracebacks and reprs then print ``tensornotes.ShapeError``, a path that
    works when typed back, rather than the private module that defines it.
    """
    for name in __all__:
        obj = globals()[name]
        if getattr(obj, "__module__", "").startswith("tensornotes."):
            obj.__module__ = __name__


_present_as_public()
