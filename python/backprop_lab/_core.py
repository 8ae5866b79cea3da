"""The Backprop Lab core (the same Rust crate as the page, built for WebAssembly with the C ABI
of src/capi.rs) run in wasmtime, so Python computes exactly what the page computes.

One module instance serves every lab of the process; a lab is a handle into it. Every call is
synchronous and fast (a training call is bounded by the core's per-call work limit)."""

from __future__ import annotations

import struct
import threading
from importlib import resources

import numpy as np
import wasmtime

_LOCK = threading.Lock()
_INSTANCE: "_Core | None" = None


class _Core:
    def __init__(self) -> None:
        engine = wasmtime.Engine()
        wasm = resources.files(__package__).joinpath("core.wasm").read_bytes()
        module = wasmtime.Module(engine, wasm)
        self.store = wasmtime.Store(engine)
        instance = wasmtime.Instance(self.store, module, [])
        exports = instance.exports(self.store)
        self.memory = exports["memory"]
        self.fn = {name: exports[name] for name in (
            "bl_input", "bl_output_ptr", "bl_output_len", "bl_lab_new", "bl_lab_free", "bl_set",
            "bl_train", "bl_reset", "bl_import", "bl_names", "bl_numbers", "bl_array",
            "bl_backward")}

    def write(self, data: bytes) -> None:
        pointer = self.fn["bl_input"](self.store, len(data))
        if pointer == 0 and len(data) > 0:
            raise ValueError(f"the call's input is too long ({len(data)} bytes)")
        self.memory.write(self.store, data, pointer)

    def output(self) -> bytes:
        pointer = self.fn["bl_output_ptr"](self.store)
        length = self.fn["bl_output_len"](self.store)
        return bytes(self.memory.read(self.store, pointer, pointer + length))

    def call(self, name: str, *args) -> bytes:
        """Calls an export; its result bytes, or ValueError with the core's message."""
        code = self.fn[name](self.store, *args)
        out = self.output()
        if code != 0:
            raise ValueError(out.decode("utf-8"))
        return out


def core() -> _Core:
    global _INSTANCE
    with _LOCK:
        if _INSTANCE is None:
            _INSTANCE = _Core()
        return _INSTANCE


def numbers(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype="<f8").astype(np.float64)


def pack(values) -> bytes:
    array = np.ascontiguousarray(values, dtype=np.float64).ravel()
    return array.astype("<f8").tobytes()


# The order of bl_numbers' result (src/capi.rs).
NUMBER_FIELDS = ("steps", "hidden", "inputs", "learning_rate", "seed", "count", "noise",
                 "init_scale", "constant", "mini_batch", "max_steps_per_call", "generation",
                 "train_loss", "test_loss")


class Lab:
    """One training lab in the core: every method is one call of src/capi.rs."""

    def __init__(self) -> None:
        self.core = core()
        with _LOCK:
            self.handle = int(numbers(self.core.call("bl_lab_new"))[0])

    def free(self) -> None:
        if self.handle is not None:
            with _LOCK:
                self.core.fn["bl_lab_free"](self.core.store, self.handle)
            self.handle = None

    def __del__(self) -> None:
        try:
            self.free()
        except Exception:
            pass

    def set(self, key: str, text: str = "", number: float = 0.0) -> None:
        key_bytes, text_bytes = key.encode(), text.encode()
        with _LOCK:
            self.core.write(key_bytes + text_bytes)
            self.core.call("bl_set", self.handle, len(key_bytes), len(text_bytes), float(number))

    def train(self, steps: int) -> tuple[str, str]:
        """One call of at most max_steps_per_call steps: (outcome, message)."""
        with _LOCK:
            text = self.core.call("bl_train", self.handle, float(steps)).decode()
        outcome, _, message = text.partition("\n")
        return outcome, message

    def reset(self) -> None:
        with _LOCK:
            self.core.call("bl_reset", self.handle)

    def import_weights(self, m: int, h: int, activation: str, a, b) -> None:
        name = activation.encode()
        with _LOCK:
            self.core.write(name + pack(a) + pack(b))
            self.core.call("bl_import", self.handle, float(m), float(h), len(name))

    def names(self) -> dict[str, str]:
        with _LOCK:
            text = self.core.call("bl_names", self.handle).decode()
        return dict(line.split("=", 1) for line in text.splitlines())

    def numbers(self) -> dict[str, float]:
        with _LOCK:
            values = numbers(self.core.call("bl_numbers", self.handle))
        return dict(zip(NUMBER_FIELDS, (float(v) for v in values)))

    def array(self, name: str) -> np.ndarray:
        with _LOCK:
            self.core.write(name.encode())
            return numbers(self.core.call("bl_array", self.handle, len(name.encode())))

    def backward(self, x, y: float) -> np.ndarray:
        values = pack(x)
        with _LOCK:
            self.core.write(values)
            return numbers(self.core.call("bl_backward", self.handle, len(values) // 8, float(y)))


def as_bits(value: float) -> str:
    """A float's IEEE 754 bits in hex, as tests/fixtures/known_points.json writes them."""
    return struct.pack(">d", value).hex()
