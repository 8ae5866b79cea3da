"""The Python package against the page's own answers: the same core gives the same bits, bad
values raise ValueError with the page's messages, and the arrays have the worksheet's shapes."""

import json
import pathlib
import struct

import numpy as np
import pytest

from backprop_lab import Explorer, TrainingLab
from backprop_lab._core import Lab

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures"
KNOWN = json.loads((FIXTURES / "known_points.json").read_text())


def bits(value: float) -> str:
    return struct.pack(">d", value).hex()


def numpy_backward(A, b, x, y, activation):
    """An independent backward pass, written from the worksheet: z1 = Ax, z2 = σ(z1),
    z3 = bᵀz2, z4 = y − z3, L = z4²."""
    z1 = A @ x
    if activation == "sigmoid":
        z2 = 1 / (1 + np.exp(-z1))
        slope = z2 * (1 - z2)
    elif activation == "tanh":
        z2 = np.tanh(z1)
        slope = 1 - z2**2
    elif activation == "relu":
        z2 = np.maximum(z1, 0)
        slope = (z1 > 0).astype(float)
    else:
        raise AssertionError(activation)
    z3 = b @ z2
    z4 = y - z3
    db = -2 * z4 * z2
    dz1 = -2 * z4 * b * slope
    return {"z1": z1, "z2": z2, "z3": z3, "z4": z4, "L": z4**2, "db": db, "dA": np.outer(dz1, x)}


def test_the_default_lab_after_1000_steps_has_the_pages_losses_bit_for_bit():
    lab = TrainingLab()
    lab.step(1000)
    want = KNOWN["training"]
    assert lab.step_count == want["steps"]
    assert bits(lab.train_loss) == want["train_loss"]
    assert bits(lab.test_loss) == want["test_loss"]
    history = lab.loss_history
    assert history.shape[1] == 3 and history[-1, 0] == 1000
    assert bits(history[-1, 1]) == want["train_loss"]


@pytest.mark.parametrize("case", KNOWN["sample"], ids=lambda c: f"{c['shape']}-{c['seed']}")
def test_a_seed_gives_the_pages_training_points_bit_for_bit(case):
    lab = TrainingLab(data=case["shape"], count=case["count"], noise=case["noise"], seed=case["seed"])
    assert [bits(v) for v in lab.X[:5, 0]] == case["x"]
    assert [bits(v) for v in lab.y[:5]] == case["y"]


def test_shapes_follow_the_worksheet():
    lab = TrainingLab(h=5, count=40)
    assert lab.A.shape == (5, 2) and lab.b.shape == (5,)
    assert lab.X.shape == (40, 2) and np.all(lab.X[:, 1] == 1.0)
    assert lab.y.shape == (40,)
    assert lab.A.dtype == np.float64
    bare = TrainingLab(h=3, constant=False)
    assert bare.A.shape == (3, 1) and bare.X.shape == (100, 1)
    with pytest.raises(ValueError):
        lab.A[0, 0] = 1.0  # a copy, read-only: writing to it cannot look like changing the lab


@pytest.mark.parametrize("make, message", [
    (lambda: TrainingLab(h=0), "the number of hidden units must be a whole number from 1 to 64, got 0"),
    (lambda: TrainingLab(h=2.5), "the number of hidden units must be a whole number from 1 to 64, got 2.5"),
    (lambda: TrainingLab(seed=-1), "the seed must be a whole number from 0 to 999999, got −1"),  # the page writes a minus sign
    (lambda: TrainingLab(activation="swish"), "swish"),
    (lambda: TrainingLab(data="spiral"), 'or "custom"'),
    (lambda: TrainingLab(batch="huge"), 'unknown batch mode "huge"; valid modes are "full", "mini", "single"'),
])
def test_bad_settings_raise_the_pages_message(make, message):
    with pytest.raises(ValueError) as raised:
        make()
    assert message in str(raised.value)


def test_a_refused_change_leaves_the_lab_as_it_was():
    lab = TrainingLab()
    lab.step(10)
    A, log = lab.A.copy(), list(lab._log)
    for bad in [lambda: setattr(lab, "h", 65), lambda: setattr(lab, "lr", -1.0),
                lambda: setattr(lab, "activation", "cosine"), lambda: setattr(lab, "lr", "fast"),
                lambda: lab.set_weights(np.full((8, 2), 2000.0), np.zeros(8)),
                lambda: lab.set_weights(np.zeros((8, 3)), np.zeros(8)),
                lambda: lab.set_weights(np.zeros((8, 2)), np.zeros(7)),
                lambda: lab.step(-1)]:
        with pytest.raises(ValueError):
            bad()
    assert np.array_equal(lab.A, A) and lab.step_count == 10 and lab._log == log


def test_weights_out_of_range_get_the_pages_message():
    lab = TrainingLab(h=2)
    with pytest.raises(ValueError, match=r"every weight must be within ±1000, got 2000"):
        lab.set_weights([[2000.0, 0.0], [0.0, 0.0]], [0.0, 0.0])


def test_set_weights_round_trips_exactly_and_starts_a_new_run():
    lab = TrainingLab(h=6)
    lab.step(25)
    rng = np.random.default_rng(3)
    A, b = rng.normal(size=(6, 2)), rng.normal(size=6)
    lab.set_weights(A, b)
    assert np.array_equal(lab.A, A) and np.array_equal(lab.b, b)
    assert lab.step_count == 0
    lab.set_weights(rng.normal(size=(3, 2)), rng.normal(size=3))  # another h
    assert lab.h == 3 and lab.A.shape == (3, 2)


def test_settings_read_back_and_lr_keeps_the_weights():
    lab = TrainingLab(h=4, lr=0.1, activation="tanh", seed=7, data="bump")
    assert (lab.h, lab.lr, lab.activation, lab.seed, lab.data) == (4, 0.1, "tanh", 7, "bump")
    lab.step(5)
    A = lab.A.copy()
    lab.lr = 0.5
    assert np.array_equal(lab.A, A) and lab.step_count == 5
    lab.h = 6
    assert lab.A.shape == (6, 2) and lab.step_count == 0


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_the_explorer_matches_a_numpy_backward_pass(activation):
    lab = TrainingLab(h=7, activation=activation, seed=11)
    lab.step(40)
    for x, y in [(0.5, 0.2), (-2.25, 1.0), (3.0, -0.7)]:
        g = Explorer(lab).backward(x, y)
        want = numpy_backward(lab.A, lab.b, np.array([x, 1.0]), y, activation)
        assert np.array_equal(g.x, [x, 1.0])
        assert g.dA.shape == (7, 2) and g.db.shape == (7,) and g.z1.shape == (7,)
        for name in ("z1", "z2", "db", "dA"):
            np.testing.assert_allclose(getattr(g, name), want[name], rtol=1e-12, atol=1e-14)
        assert g.L == pytest.approx(want["L"], rel=1e-12, abs=1e-15)
        assert g.L == g.z4**2 and g.dz4 == 2 * g.z4 and g.dz3 == -2 * g.z4


def test_the_explorer_takes_the_networks_whole_input_and_refuses_bad_examples():
    lab = TrainingLab(h=3)
    explorer = Explorer(lab)
    assert np.array_equal(explorer.backward([0.5, 1.0], 0.2).dA, explorer.backward(0.5, 0.2).dA)
    with pytest.raises(ValueError, match="x and y must be numbers from −10 to 10"):
        explorer.backward(11.0, 0.0)
    with pytest.raises(ValueError, match="x and y must be numbers from −10 to 10"):
        explorer.backward(0.0, float("nan"))
    with pytest.raises(ValueError, match="x must be one number"):
        explorer.backward([1.0, 2.0, 3.0], 0.0)


def test_replaying_the_log_gives_the_same_network_bit_for_bit():
    # The widget replays the log on its own copy of the core; here a second core lab does.
    from backprop_lab import _apply
    lab = TrainingLab(h=5, lr=1.0, seed=4)
    lab.step(30)
    lab.lr = 0.2
    lab.step(7)
    lab.reset()
    lab.step(3)
    lab.set_weights(lab.A * 0.5, lab.b)
    lab.step(11)
    copy = Lab()
    for op in lab._log:
        _apply(copy, op)
    assert copy.array("A").tobytes() == lab.A.tobytes()
    assert copy.numbers()["steps"] == lab.step_count == 11


def test_ops_from_the_widget_are_replayed_and_a_stale_batch_is_refused():
    lab = TrainingLab()
    sent = []
    lab.send = lambda content, buffers=None: sent.append(content)
    base = len(lab._log)
    lab._from_widget(lab, {"kind": "ops", "base": base, "ops": [["train", 3], ["set", "hidden", "", 4], ["train", 2]]}, [])
    assert lab.step_count == 2 and lab.h == 4 and len(lab._log) == base + 3
    lab._from_widget(lab, {"kind": "ops", "base": base, "ops": [["train", 5]]}, [])
    assert sent == [{"kind": "conflict"}] and lab.step_count == 2


def test_play_and_pause_pressed_in_the_widget_reach_python():
    lab = TrainingLab()
    lab._from_widget(lab, {"kind": "playing", "value": True}, [])
    assert lab._playing is True
    lab.pause()
    assert lab._playing is False


def test_a_run_that_blows_up_stops_with_the_pages_explanation_as_a_warning():
    lab = TrainingLab(lr=10.0)
    with pytest.warns(RuntimeWarning) as caught:
        loss = lab.step(2000)
    assert np.isfinite(loss) and np.all(np.isfinite(lab.A))
    assert lab.step_count < 2000
    message = str(caught[0].message)
    assert "learning rate" in message.lower(), message
