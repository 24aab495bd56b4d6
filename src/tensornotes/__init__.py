"""tensornotes: small tools for learning how PyTorch tensors behave.

Each module does one thing; the public names are re-exported here.
"""

from __future__ import annotations

from tensornotes._broadcast import (
    BroadcastConflict,
    BroadcastExplanation,
    BroadcastStep,
    DimSize,
    Outcome,
    explain_broadcast,
    parse_shape,
)
from tensornotes._derivatives import Kink, derivative, kinks
from tensornotes._descent import (
    DescentComparison,
    DescentOutcome,
    DescentRun,
    Trajectory,
    compare_descent,
    descend,
)
from tensornotes._device import device
from tensornotes._errors import TensorNotesError
from tensornotes._events import Event, P, SampleSpace, independent
from tensornotes._gradient_plots import plot_descent, plot_function_and_grad, plot_surface
from tensornotes._identities import Counterexample, IdentityResult, check_identity
from tensornotes._laws import Law, laws
from tensornotes._memory_report import MemoryReport, MemoryRow, memory_report
from tensornotes._shape_checker import ShapeError, check_shape, shapes
from tensornotes._stationary import StationaryPoint, stationary_points
from tensornotes._surfaces import GradientField, gradient_field, himmelblau
from tensornotes._venn import venn

__all__ = [
    "BroadcastConflict",
    "BroadcastExplanation",
    "BroadcastStep",
    "Counterexample",
    "DescentComparison",
    "DescentOutcome",
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
