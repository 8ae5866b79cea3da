"""Backprop Lab in Jupyter: the page's training lab and backprop explorer as widgets, with the
weights as NumPy arrays.

    from backprop_lab import TrainingLab, Explorer
    lab = TrainingLab(h=8, lr=0.3, activation="sigmoid", seed=1, data="sine")
    lab                      # the lab's plots and controls, from the page's own code
    lab.step(1000)           # trains in Python, as the page would: the same core, the same bits
    lab.A, lab.b             # NumPy float64 arrays of shape (h, m) and (h,)
    g = Explorer(lab).backward(0.5, 0.2)
    g.dA, g.db, g.z1, g.L    # the explorer's forward values and gradients

Python computes with the same Rust core as the page (built for WebAssembly with the C ABI of
src/capi.rs, run in wasmtime), so a cell never waits for the browser. The widget's own copy
of the core replays what Python did (an ordered log of settings, training calls and weights),
and what the student does in the widget (Play, the sliders) is sent back and replayed in
Python, so both hold the same network, bit for bit.
"""

from __future__ import annotations

import pathlib
import warnings
from dataclasses import dataclass

import anywidget
import numpy as np
import traitlets

from ._core import Lab

__all__ = ["TrainingLab", "Explorer", "Backward"]
__version__ = "0.1.0"

_HERE = pathlib.Path(__file__).parent
_ESM = _HERE / "widget.js"
_CSS = _HERE / "widget.css"

# The lab's settings Python may set, by the keyword the constructor takes and the name the
# core (src/capi.rs) and the widget's ops use.
_NUMBER_SETTINGS = {"h": "hidden", "lr": "learning_rate", "seed": "seed", "count": "count",
                    "noise": "noise", "init_scale": "init_scale"}
_TEXT_SETTINGS = {"activation": "activation", "data": "data"}


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


class TrainingLab(anywidget.AnyWidget):
    """The training lab: the worksheet's network f(x) = bᵀσ(Ax) trained on 1-D data by
    gradient descent on the mean squared loss.

    Settings (each checked by the core; a bad value raises ValueError with the page's own
    message and changes nothing): ``h`` hidden units (1 to 64), ``lr`` the learning rate (0.001
    to 10; the widget's slider offers the page's values and stays put for others), ``activation`` ("sigmoid", "relu", "tanh",
    "leaky_relu", "softplus"), ``seed`` (0 to 999,999), ``data`` ("sine", "step", "abs",
    "quadratic", "bump"), ``count`` training points (10 to 500), ``noise`` (0 to 0.5),
    ``constant`` (x = [x, 1], so m = 2; else m = 1), ``batch`` ("full", "single", or an int k
    for mini-batches of k points).
    """

    _esm = _ESM
    _css = _CSS
    _view = traitlets.Unicode("training").tag(sync=True)
    # Every change to the lab in order: ["set", name, text, number], ["train", steps],
    # ["import", m, h, activation, A, b], ["reset"]. The widget replays it on its own core.
    _log = traitlets.List().tag(sync=True)
    # Python's play() and pause() for the widget's Play button.
    _playing = traitlets.Bool(False).tag(sync=True)

    def __init__(self, h: int = 8, lr: float = 0.3, activation: str = "sigmoid", seed: int = 1,
                 data: str = "sine", *, count: int = 100, noise: float = 0.1,
                 constant: bool = True, batch: str | int = "full", init_scale: float = 1.0,
                 **kwargs) -> None:
        lab = Lab()
        ops = [["set", "data", _text(data), 0.0], ["set", "count", "", _number(count)],
               ["set", "noise", "", _number(noise)], ["set", "seed", "", _number(seed)],
               ["set", "constant", "", 1.0 if constant else 0.0], ["set", "hidden", "", _number(h)],
               ["set", "activation", _text(activation), 0.0],
               ["set", "init_scale", "", _number(init_scale)],
               ["set", "learning_rate", "", _number(lr)], list(_batch_op(batch))]
        try:
            for op in ops:
                _apply(lab, op)
        except ValueError:
            lab.free()
            raise
        self._lab = lab
        self._explorers: list[Explorer] = []
        super().__init__(_log=ops, **kwargs)
        self.on_msg(self._from_widget)
        self.observe(self._tell_explorers, names="_log")

    # ----- reading the state -----
    @property
    def A(self) -> np.ndarray:
        """A copy of A, shape (h, m)."""
        n = self._lab.numbers()
        return _read_only(self._lab.array("A").reshape(int(n["hidden"]), int(n["inputs"])))

    @property
    def b(self) -> np.ndarray:
        """A copy of b, shape (h,)."""
        return _read_only(self._lab.array("b"))

    @property
    def X(self) -> np.ndarray:
        """The training inputs as the network sees them, shape (n, m): [x, 1] per row with the
        constant input."""
        m = int(self._lab.numbers()["inputs"])
        return _read_only(self._lab.array("X").reshape(-1, m))

    @property
    def y(self) -> np.ndarray:
        """The training targets, shape (n,)."""
        return _read_only(self._lab.array("y"))

    @property
    def X_test(self) -> np.ndarray:
        m = int(self._lab.numbers()["inputs"])
        return _read_only(self._lab.array("test_X").reshape(-1, m))

    @property
    def y_test(self) -> np.ndarray:
        return _read_only(self._lab.array("test_y"))

    @property
    def step_count(self) -> int:
        return int(self._lab.numbers()["steps"])

    @property
    def train_loss(self) -> float:
        """The mean loss on the training points now."""
        return self._lab.numbers()["train_loss"]

    @property
    def test_loss(self) -> float:
        return self._lab.numbers()["test_loss"]

    @property
    def loss_history(self) -> np.ndarray:
        """The run's sampled losses, shape (k, 3): step, train loss, test loss (the loss
        plot's points; thinned to at most 1,000 rows on long runs)."""
        columns = [self._lab.array(name) for name in ("history_steps", "history_train", "history_test")]
        return _read_only(np.column_stack(columns))

    # ----- settings -----
    def _setting(self, name: str):
        names, numbers = self._lab.names(), self._lab.numbers()
        if name in _TEXT_SETTINGS:
            return names[_TEXT_SETTINGS[name]]
        value = numbers[_NUMBER_SETTINGS[name]]
        return value if name in ("lr", "noise", "init_scale") else int(value)

    def _do(self, op: list) -> None:
        """Applies one op to the core (ValueError, nothing changed, if refused) and logs it
        for the widget."""
        _apply(self._lab, op)
        self._log = self._log + [op]

    h = property(lambda self: self._setting("h"), lambda self, v: self._do(["set", "hidden", "", _number(v)]))
    lr = property(lambda self: self._setting("lr"), lambda self, v: self._do(["set", "learning_rate", "", _number(v)]))
    seed = property(lambda self: self._setting("seed"), lambda self, v: self._do(["set", "seed", "", _number(v)]))
    count = property(lambda self: self._setting("count"), lambda self, v: self._do(["set", "count", "", _number(v)]))
    noise = property(lambda self: self._setting("noise"), lambda self, v: self._do(["set", "noise", "", _number(v)]))
    activation = property(lambda self: self._setting("activation"), lambda self, v: self._do(["set", "activation", _text(v), 0.0]))
    data = property(lambda self: self._setting("data"), lambda self, v: self._do(["set", "data", _text(v), 0.0]))

    # ----- acting -----
    def step(self, n: int = 1) -> float:
        """Trains n steps, as the page's lab does, and returns the mean training loss. If the
        loss blows up, training stops there with the run's best weights restored, as on the
        page, and a RuntimeWarning gives the page's explanation."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"the number of steps must be a whole number from 0 up, got {n!r}")
        left = int(n)
        ops = []
        try:
            while left > 0:
                most = int(self._lab.numbers()["max_steps_per_call"])
                steps = min(left, most)
                outcome, message = self._lab.train(steps)
                ops.append(["train", steps])
                if outcome == "no-data":
                    raise ValueError("there are no training points")
                if outcome == "diverged":
                    warnings.warn(message, RuntimeWarning, stacklevel=2)
                    break
                left -= steps
        finally:
            if ops:
                self._log = self._log + ops
        return self.train_loss

    def reset(self) -> None:
        """Fresh weights from the seed; the data stay."""
        self._do(["reset"])

    def set_weights(self, A, b) -> None:
        """Starts a new run from these weights (as importing a weights file on the page does):
        A of shape (h, m), b of shape (h,), every weight within ±1000. h may differ from the
        lab's (1 to 64); m must be 1 or 2 (2: the constant input)."""
        A = np.asarray(A, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if A.ndim != 2:
            raise ValueError(f"A must be a matrix of shape (h, m), got an array of shape {A.shape}")
        if b.shape != (A.shape[0],):
            raise ValueError(f"b must have shape ({A.shape[0]},) to match A's h = {A.shape[0]}, got {b.shape}")
        h, m = A.shape
        self._do(["import", m, h, self.activation, A.ravel().tolist(), b.tolist()])

    def play(self) -> None:
        """Starts training in the widget (the page's Play button); the weights come back to
        Python a few times a second."""
        self._playing = True

    def pause(self) -> None:
        self._playing = False

    # ----- the widget -----
    def _from_widget(self, _widget, content, _buffers) -> None:
        """Ops the student made in the widget (Play, the sliders), sent with how many of the
        log's ops the widget had applied first: replayed here if the log has not moved on
        meanwhile, else refused (the widget says so)."""
        if isinstance(content, dict) and content.get("kind") == "playing":
            self.set_trait("_playing", bool(content.get("value")))
            return
        if not isinstance(content, dict) or content.get("kind") != "ops":
            return
        ops, base = content.get("ops"), content.get("base")
        if not isinstance(ops, list) or base != len(self._log):
            self.send({"kind": "conflict"})
            return
        done = []
        try:
            for op in ops:
                _apply(self._lab, op)
                done.append(op)
        except (ValueError, TypeError, IndexError):
            self.send({"kind": "conflict"})
        if done:
            self._log = self._log + done

    def _tell_explorers(self, change) -> None:
        for explorer in self._explorers:
            explorer._log = change["new"]

    def __del__(self) -> None:
        lab = getattr(self, "_lab", None)
        if lab is not None:
            lab.free()


@dataclass(frozen=True)
class Backward:
    """One example's pass: x as the network sees it (m), z1, z2 (h), z3, z4, L, and the
    gradients dz4, dz3 (numbers), dz2, dz1, db (h) and dA (h, m)."""
    x: np.ndarray
    y: float
    z1: np.ndarray
    z2: np.ndarray
    z3: float
    z4: float
    L: float
    dz4: float
    dz3: float
    dz2: np.ndarray
    dz1: np.ndarray
    db: np.ndarray
    dA: np.ndarray


class Explorer(anywidget.AnyWidget):
    """The backprop explorer on a lab's network: the computation graph with the numbers of one
    example's forward and backward pass."""

    _esm = _ESM
    _css = _CSS
    _view = traitlets.Unicode("backprop").tag(sync=True)
    _log = traitlets.List().tag(sync=True)
    # The example the graph shows, [x, y] (x the data's x), or [] for the page's first point.
    _example = traitlets.List().tag(sync=True)

    def __init__(self, lab: TrainingLab, **kwargs) -> None:
        if not isinstance(lab, TrainingLab):
            raise ValueError("Explorer(lab) needs a TrainingLab")
        self.lab = lab
        super().__init__(_log=list(lab._log), **kwargs)
        lab._explorers.append(self)

    def backward(self, x, y: float) -> Backward:
        """The forward values and gradients for the example (x, y) on the lab's current
        weights. x is the data's x (one number; the constant 1 is appended when the lab uses
        it) or the network's whole input (m numbers). The widget shows this pass."""
        x_values = np.atleast_1d(np.asarray(x, dtype=np.float64))
        if x_values.ndim != 1:
            raise ValueError(f"x must be a number or a vector, got an array of shape {x_values.shape}")
        y = float(y)
        out = self.lab._lab.backward(x_values, y)
        n = self.lab._lab.numbers()
        h, m = int(n["hidden"]), int(n["inputs"])
        parts, at = {}, 0
        for name, size in (("x", m), ("z1", h), ("z2", h), ("z3", 1), ("z4", 1), ("L", 1),
                           ("dz4", 1), ("dz3", 1), ("dz2", h), ("dz1", h), ("db", h), ("dA", h * m)):
            parts[name] = out[at:at + size]
            at += size
        if x_values.size == 1:
            self._example = [float(x_values[0]), y]
        scalars = {name: float(parts[name][0]) for name in ("z3", "z4", "L", "dz4", "dz3")}
        arrays = {name: _read_only(parts[name].copy()) for name in ("x", "z1", "z2", "dz2", "dz1", "db")}
        return Backward(y=y, dA=_read_only(parts["dA"].reshape(h, m).copy()), **arrays, **scalars)


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"expected a number, got {value!r}")
    return float(value)


def _text(value) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a name (a string), got {value!r}")
    return value


def _batch_op(batch) -> tuple:
    if isinstance(batch, str):
        return ("set", "batch", batch, 0.0)
    return ("set", "batch", "mini", _number(batch))


def _apply(lab: Lab, op: list) -> None:
    """One op of the log on a core lab (the widget's replay does the same in JavaScript)."""
    kind = op[0] if op else None
    if kind == "set":
        _, key, text, number = op
        lab.set(str(key), _text(text), _number(number))
    elif kind == "train":
        outcome, _message = lab.train(int(op[1]))
        # A diverged or empty run is part of the log as it happened; the page shows its message.
        del outcome
    elif kind == "import":
        _, m, h, activation, a, b = op
        lab.import_weights(int(m), int(h), _text(activation), a, b)
    elif kind == "reset":
        lab.reset()
    else:
        raise ValueError(f"unknown op {op!r}")
