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
from tensornotes.device import device
from tensornotes.errors import TensorNotesError
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
from tensornotes.shapes import ShapeError, check_shape, shapes

__all__ = [
    "BroadcastConflict",
    "BroadcastExplanation",
    "BroadcastStep",
    "Counterexample",
    "DimSize",
    "Event",
    "IdentityResult",
    "Law",
    "MemoryReport",
    "MemoryRow",
    "Outcome",
    "P",
    "SampleSpace",
    "ShapeError",
    "TensorNotesError",
    "check_identity",
    "check_shape",
    "device",
    "explain_broadcast",
    "independent",
    "laws",
    "memory_report",
    "parse_shape",
    "shapes",
    "venn",
]

__version__ = "0.1.0"
