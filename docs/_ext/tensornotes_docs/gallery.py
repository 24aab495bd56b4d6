"""Hooks that sphinx-gallery calls around each example."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

SEED = 0


def reset_state(gallery_conf: dict[str, Any], fname: str) -> None:
    """Start every example from the same state, whatever ran before it.

    Seeds torch, Python's ``random`` and NumPy, and undoes any change an earlier
    example made to torch's default device or dtype. Examples still seed
    explicitly, so they give the same numbers when run on their own. Also
    records the PyTorch version and device the example runs with, for the line
    under its title (:mod:`tensornotes_docs.provenance`).
    """
    import numpy as np
    import torch

    torch.set_default_device(None)
    torch.set_default_dtype(torch.float32)
    torch.manual_seed(SEED)
    random.seed(SEED)
    np.random.seed(SEED)

    import tensornotes
    from tensornotes_docs.provenance import record_run

    record_run(Path(fname).name, torch.__version__, str(tensornotes.device()))
