"""Which torch device the examples run on.

The gallery and the docs call :func:`device` instead of hard-coding ``"cpu"``
or ``"cuda"``, so the same scripts run on a laptop, on a GPU machine and on the
hosted docs builder. The choice comes from the environment variable
``TENSORNOTES_DEVICE``.
"""

from __future__ import annotations

import os

import torch

from tensornotes._errors import TensorNotesError

__all__ = ["ENV_VAR", "device"]

ENV_VAR = "TENSORNOTES_DEVICE"
"""The environment variable that picks the device: ``auto``, ``cpu``, ``cuda`` or ``mps``."""

_CHOICES = ("auto", "cpu", "cuda", "mps")


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def device() -> torch.device:
    """Return the torch device that the examples should use.

    ``TENSORNOTES_DEVICE`` decides:

    * ``auto`` (the default, also when unset or empty): CUDA if available,
      then Apple's MPS, then the CPU;
    * ``cpu``, ``cuda`` or ``mps``: exactly that device. ``cuda:N`` picks one GPU.

    The value is read on every call, so a change to the variable takes effect
    at once.

    Returns:
        The chosen :class:`torch.device`.

    Raises:
        TensorNotesError: if the variable names an unknown device, or a device
            that this machine does not have.

    Example:
        >>> import os
        >>> os.environ["TENSORNOTES_DEVICE"] = "cpu"
        >>> device()
        device(type='cpu')
        >>> os.environ["TENSORNOTES_DEVICE"] = "gpu"
        >>> device()
        Traceback (most recent call last):
        ...
        tensornotes.TensorNotesError: TENSORNOTES_DEVICE='gpu' is not a device ...
        >>> del os.environ["TENSORNOTES_DEVICE"]
    """
    raw = os.environ.get(ENV_VAR, "")
    choice = raw.strip().lower() or "auto"
    if choice == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")

    kind, _, index = choice.partition(":")
    if kind not in _CHOICES[1:] or (index and (kind != "cuda" or not index.isdigit())):
        raise TensorNotesError(
            f"{ENV_VAR}={raw!r} is not a device tensornotes knows; "
            "use one of 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'."
        )
    if kind == "cuda":
        if not torch.cuda.is_available():
            raise TensorNotesError(
                f"{ENV_VAR}={raw!r} asks for a CUDA GPU, but torch {torch.__version__} "
                "sees none on this machine; unset it or set it to 'auto' or 'cpu'."
            )
        count = torch.cuda.device_count()
        if index and int(index) >= count:
            raise TensorNotesError(
                f"{ENV_VAR}={raw!r} asks for GPU {index}, but this machine has "
                f"{count} (numbered 0 to {count - 1})."
            )
    if kind == "mps" and not _mps_available():
        raise TensorNotesError(
            f"{ENV_VAR}={raw!r} asks for Apple's MPS, but torch {torch.__version__} "
            "sees none on this machine; unset it or set it to 'auto' or 'cpu'."
        )
    return torch.device(choice)
