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

__all__ = [
    "BroadcastConflict",
    "BroadcastExplanation",
    "BroadcastStep",
    "DimSize",
    "MemoryReport",
    "MemoryRow",
    "Outcome",
    "TensorNotesError",
    "device",
    "explain_broadcast",
    "memory_report",
    "parse_shape",
]

__version__ = "0.1.0"
