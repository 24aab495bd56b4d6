"""tensornotes.device(): the choice, and the wording of its errors."""

from __future__ import annotations

import pytest
import torch

import tensornotes
from tensornotes import TensorNotesError, device


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("TENSORNOTES_DEVICE", raising=False)
    return monkeypatch


def _no_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)


@pytest.mark.parametrize("value", [None, "", "auto", " AUTO "])
def test_auto_falls_back_to_cpu(env: pytest.MonkeyPatch, value: str | None) -> None:
    _no_gpu(env)
    if value is not None:
        env.setenv("TENSORNOTES_DEVICE", value)
    assert device() == torch.device("cpu")


def test_auto_prefers_cuda_then_mps(env: pytest.MonkeyPatch) -> None:
    env.setattr(torch.cuda, "is_available", lambda: True)
    assert device() == torch.device("cuda")
    env.setattr(torch.cuda, "is_available", lambda: False)
    env.setattr(torch.backends.mps, "is_available", lambda: True)
    assert device() == torch.device("mps")


def test_explicit_cpu(env: pytest.MonkeyPatch) -> None:
    env.setenv("TENSORNOTES_DEVICE", "cpu")
    assert device() == torch.device("cpu")
    assert torch.zeros(2, device=device()).device.type == "cpu"


def test_reads_the_variable_on_every_call(env: pytest.MonkeyPatch) -> None:
    env.setenv("TENSORNOTES_DEVICE", "cpu")
    assert device().type == "cpu"
    env.setenv("TENSORNOTES_DEVICE", "nonsense")
    with pytest.raises(TensorNotesError):
        device()


class TestMessages:
    @pytest.mark.parametrize("value", ["gpu", "cuda:x", "cpu:0", "tpu"])
    def test_unknown_device_names_the_variable_and_value(
        self, env: pytest.MonkeyPatch, value: str
    ) -> None:
        env.setenv("TENSORNOTES_DEVICE", value)
        with pytest.raises(
            TensorNotesError,
            match=rf"^TENSORNOTES_DEVICE='{value}' is not a device tensornotes knows; "
            r"use one of 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'\.$",
        ):
            device()

    def test_missing_cuda(self, env: pytest.MonkeyPatch) -> None:
        _no_gpu(env)
        env.setenv("TENSORNOTES_DEVICE", "cuda")
        with pytest.raises(
            TensorNotesError,
            match=r"^TENSORNOTES_DEVICE='cuda' asks for a CUDA GPU, but torch \S+ sees none "
            r"on this machine; unset it or set it to 'auto' or 'cpu'\.$",
        ):
            device()

    def test_missing_mps(self, env: pytest.MonkeyPatch) -> None:
        _no_gpu(env)
        env.setenv("TENSORNOTES_DEVICE", "mps")
        with pytest.raises(
            TensorNotesError, match=r"^TENSORNOTES_DEVICE='mps' asks for Apple's MPS"
        ):
            device()

    def test_gpu_index_out_of_range(self, env: pytest.MonkeyPatch) -> None:
        env.setattr(torch.cuda, "is_available", lambda: True)
        env.setattr(torch.cuda, "device_count", lambda: 2)
        env.setenv("TENSORNOTES_DEVICE", "cuda:2")
        with pytest.raises(
            TensorNotesError,
            match=r"^TENSORNOTES_DEVICE='cuda:2' asks for GPU 2, but this machine has 2 "
            r"\(numbered 0 to 1\)\.$",
        ):
            device()

    def test_is_a_value_error(self) -> None:
        assert issubclass(TensorNotesError, ValueError)


def test_public_names_are_exported() -> None:
    for name in tensornotes.__all__:
        assert hasattr(tensornotes, name), name


class TestDeviceArgument:
    """A ``device=`` argument goes through the same check as the variable."""

    def test_names_and_objects(self, env: pytest.MonkeyPatch) -> None:
        from tensornotes._device import check_device

        _no_gpu(env)
        assert check_device(None) is None
        assert check_device("cpu") == torch.device("cpu")
        assert check_device(" CPU ") == torch.device("cpu")
        assert check_device(torch.device("cpu")) == torch.device("cpu")
        assert check_device(torch.device("cpu", 0)) == torch.device("cpu")
        assert check_device("auto") == torch.device("cpu")

    @pytest.mark.parametrize("value", ["gpu", "meta", "cuda:x", "cpu:0", ""])
    def test_unknown_names_the_argument(self, value: str) -> None:
        from tensornotes._device import check_device

        with pytest.raises(
            TensorNotesError,
            match=rf"^device='{value}' is not a device tensornotes knows; "
            r"use one of 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'\.$",
        ):
            check_device(value)

    def test_missing_cuda_says_what_to_pass(self, env: pytest.MonkeyPatch) -> None:
        from tensornotes._device import check_device

        _no_gpu(env)
        with pytest.raises(
            TensorNotesError,
            match=r"^device='cuda:0' asks for a CUDA GPU, but torch \S+ sees none on this "
            r"machine; pass device='cpu', or leave it out\.$",
        ):
            check_device(torch.device("cuda", 0))

    @pytest.mark.parametrize("value", [5, 1.5, b"cpu", ["cpu"], None.__class__])
    def test_a_non_name_is_a_type_error(self, value: object) -> None:
        from tensornotes._device import check_device

        with pytest.raises(TypeError, match=r"^device must be a device name such as 'cpu'"):
            check_device(value)

    def test_a_long_value_is_shortened(self, env: pytest.MonkeyPatch) -> None:
        env.setenv("TENSORNOTES_DEVICE", "x" * 1000)
        with pytest.raises(TensorNotesError) as info:
            device()
        assert len(str(info.value)) < 200
