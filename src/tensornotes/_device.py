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

__all__ = ["ENV_VAR", "check_device", "device"]

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
    return _choose(raw, raw.strip().lower() or "auto", ENV_VAR, _ENV_FIX)


_ENV_FIX = "unset it or set it to 'auto' or 'cpu'"
_ARG_FIX = "pass device='cpu', or leave it out"


def _choose(raw: str, choice: str, label: str, fix: str) -> torch.device:
    """Turn a device name into a :class:`torch.device` this machine has, or explain why not.

    ``label`` names where the value came from (the variable or the argument)
    and ``fix`` says what to do instead, so both callers share every rule.
    """
    if choice == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")

    raw = raw if len(raw) <= 60 else raw[:57] + "..."
    kind, _, index = choice.partition(":")
    if kind not in _CHOICES[1:] or (index and (kind != "cuda" or not index.isdigit())):
        raise TensorNotesError(
            f"{label}={raw!r} is not a device tensornotes knows; "
            "use one of 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'."
        )
    if kind == "cuda":
        if not torch.cuda.is_available():
            raise TensorNotesError(
                f"{label}={raw!r} asks for a CUDA GPU, but torch {torch.__version__} "
                f"sees none on this machine; {fix}."
            )
        count = torch.cuda.device_count()
        if index and int(index) >= count:
            raise TensorNotesError(
                f"{label}={raw!r} asks for GPU {index}, but this machine has "
                f"{count} (numbered 0 to {count - 1})."
            )
    if kind == "mps" and not _mps_available():
        raise TensorNotesError(
            f"{label}={raw!r} asks for Apple's MPS, but torch {torch.__version__} "
            f"sees none on this machine; {fix}."
        )
    return torch.device(choice)


def check_device(value: object, name: str = "device") -> torch.device | None:
    """Check a ``device=`` argument with the same rules as :func:`device`.

    ``None`` stays ``None`` (the caller's default); a string or a
    :class:`torch.device` must name a device of this machine: ``'auto'``,
    ``'cpu'``, ``'cuda'``, ``'cuda:N'`` or ``'mps'``.

    Raises:
        TypeError: if ``value`` is neither a string nor a :class:`torch.device`.
        TensorNotesError: if it names an unknown device, such as ``'meta'``,
            or one this machine does not have.

    Example:
        >>> check_device("cpu"), check_device(None)
        (device(type='cpu'), None)
        >>> check_device("nope")
        Traceback (most recent call last):
        ...
        tensornotes.TensorNotesError: device='nope' is not a device tensornotes knows; ...
    """
    if value is None:
        return None
    if isinstance(value, torch.device):
        raw = str(value)
        keep_index = value.type == "cuda" and value.index is not None
        choice = raw if keep_index else value.type
    elif isinstance(value, str):
        raw = value
        choice = value.strip().lower()
    else:
        try:
            shown = repr(value)
        except Exception:  # a broken __repr__ must not hide the real message
            shown = f"<{type(value).__name__} object>"
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise TypeError(
            f"{name} must be a device name such as 'cpu' or 'cuda', or a torch.device, "
            f"but got {shown} of type {type(value).__name__}."
        )
    return _choose(raw, choice, name, _ARG_FIX)
