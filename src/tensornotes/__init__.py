"""tensornotes: small tools for learning how PyTorch tensors behave.

Each module does one thing; the public names are re-exported here.
"""

from __future__ import annotations

from tensornotes.device import device
from tensornotes.errors import TensorNotesError

__all__ = [
    "TensorNotesError",
    "device",
]

__version__ = "0.1.0"
