// The training lab's animation loop: each frame trains as many steps as fit its budget, then
// draws one plot or rewrites the numbers, and learns from the frame's measured cost how many
// steps the next one can afford. training.js owns the plots and the controls.

/** What a call to train costs besides its steps, in steps: after the steps the lab works out
 * the train and test losses for the history (a pass over the training points and one over
 * the test points, half as many). */
const CALL_COST_IN_STEPS = 1.5;
/** A training frame's callback (steps, one plot, the numbers) aims to stay within this. */
const FRAME_BUDGET_MS = 5;
/** The whole training frame, the callback and then the browser's layout, paint and
 * rasterisation of what it drew, aims to end within this, so that a 120 Hz display (8.3 ms
 * a frame) keeps up: where the browser's part is large (canvases rasterised in software, a
 * high pixel ratio, the numbers rewritten), the frame trains fewer steps. */
const FRAME_TARGET_MS = 7;
/** A frame's browser work after its callback counts as at most this in the estimates (a
 * frame delayed by something else, such as a garbage collection, says little of the next). */
const AFTER_CALLBACK_MOST_MS = 12;
/** Kept free of steps in each frame, for the estimates' error. */
const FRAME_MARGIN_MS = 0.7;
/** While training runs, the numbers under the plots are rewritten at most this often: each
 * rewrite costs the page a layout, and nobody reads numbers that change 60 times a second. */
const TEXT_INTERVAL_MS = 100;
/** A call takes at most this many times the steps of the one before, so a first estimate of
 * the cost of a step (timers are coarse) cannot make one call run long. */
const SLICE_GROWTH = 4;
/** While training runs, one plot is drawn per frame: the fit every other frame (30 times a
 * second at 60 Hz), the others in turn between; a frame that rewrites the numbers (10 times a
 * second) draws no plot, since rewriting text makes the browser lay out and paint the page and
 * copy every canvas. */
const TURNS = ["fit", "loss", "fit", "gradients", "fit", "saturation"];

/**
 * The loop for `lab`. `stepsPerFrame()` is the most steps a frame may take (the slider);
 * `paint(kind)` draws the plot `kind` ("fit", "loss", …) or, for "text", rewrites the numbers;
 * `stopped(message)` runs when training had to stop (the lab's message says why);
 * `changed(playing)` when the loop starts or stops. Returns { playing, speed (steps per
 * second, measured over half a second), setPlaying(on), train(count, budget), resetCost() }.
 */
export function trainingLoop(lab, { stepsPerFrame, paint, stopped, changed }) {
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  let playing = false;
  let frameHandle = 0;
  const speed = { since: performance.now(), steps: 0, perSecond: NaN };
  let turn = 0;
  let lastDraw = 0;
  let lastText = 0;
  /** Milliseconds per step; the rest of a frame's callback by the frame's kind (the plot it
   * draws, or "text" where it rewrites the numbers instead); and the browser's work after the
   * callback by kind. Learned as the lab runs (a step's cost is measured on a single step
   * first, whenever the settings change). */
  const cost = { step: null, lastSteps: 1, rest: { fit: 2, loss: 2, gradients: 2, saturation: 2, text: 2 }, after: {} };

  /**
   * Trains up to `count` steps within about `budget` ms, in one call sized by the measured
   * cost of a step. Returns the steps taken, or -1 if training had to stop.
   */
  function train(count, budget) {
    const affordable = cost.step === null ? 1 : Math.floor(budget / cost.step - CALL_COST_IN_STEPS);
    const steps = Math.max(1, Math.min(count, lab.maxStepsPerCall, affordable, SLICE_GROWTH * cost.lastSteps));
    cost.lastSteps = steps;
    const started = performance.now();
    const status = lab.train(steps);
    const measured = Math.max(1e-5, (performance.now() - started) / (steps + CALL_COST_IN_STEPS));
    cost.step = cost.step === null ? measured : 0.7 * cost.step + 0.3 * measured;
    if (status !== "trained") {
      stopped(lab.message);
      return -1;
    }
    speed.steps += steps;
    return steps;
  }

  const timeFrame = frameTimer(cost.after);

  function frame() {
    const started = performance.now();
    // With reduced motion the plots follow at 2 frames a second; training goes on at full speed.
    const drawing = !reducedMotion.matches || started - lastDraw > 500;
    const text = drawing && started - lastText >= TEXT_INTERVAL_MS;
    const kind = !drawing ? "none" : text ? "text" : TURNS[turn];
    // Steps get what is left of the callback's budget once the plot or the numbers are paid
    // for, and of the whole frame's target once the browser's part after the callback is too.
    const rest = cost.rest[kind] ?? 0;
    const left = Math.min(FRAME_BUDGET_MS - rest, FRAME_TARGET_MS - rest - (cost.after[kind] ?? 2));
    const ok = train(stepsPerFrame(), Math.max(0.5, left - FRAME_MARGIN_MS)) >= 0;
    const now = performance.now();
    const training = now - started;
    measureSpeed(speed, now);
    if (drawing) {
      if (text) lastText = now;
      else turn = (turn + 1) % TURNS.length;
      paint(kind);
      lastDraw = now;
      cost.rest[kind] = 0.8 * cost.rest[kind] + 0.2 * (performance.now() - started - training);
    }
    timeFrame(started, kind);
    if (!ok) {
      setPlaying(false);
      return;
    }
    frameHandle = requestAnimationFrame(frame);
  }

  function setPlaying(on) {
    playing = on;
    cancelAnimationFrame(frameHandle);
    if (on) {
      speed.since = performance.now();
      speed.steps = 0;
      frameHandle = requestAnimationFrame(frame);
    }
    changed(on);
  }

  return {
    get playing() { return playing; },
    speed,
    setPlaying,
    train,
    /** The settings changed: a step's cost is measured again. */
    resetCost() {
      cost.step = null;
      cost.lastSteps = 1;
    },
  };
}

/** Every half second, the steps per second since the last measurement. */
function measureSpeed(speed, now) {
  if (now - speed.since > 500) {
    speed.perSecond = (1000 * speed.steps) / (now - speed.since);
    speed.since = now;
    speed.steps = 0;
  }
}

/**
 * `timeFrame(started, kind)`, called at the end of a frame's callback. A frame's main-thread
 * work does not end with its callback. The browser then lays out and paints the page, and
 * where canvases are drawn in software (no GPU) it rasterises the plots' paths only then. A
 * message posted from the callback is handled after all of that, so its handler sees the
 * whole frame: the time after the callback is learned for the frame's kind (`after[kind]`),
 * rising fast and falling slowly, since a frame that runs long is what a student sees. make
 * bench reads the frames' times too.
 */
function frameTimer(after) {
  let frameEnd = null;
  return (started, kind) => {
    if (!frameEnd) {
      frameEnd = new MessageChannel();
      frameEnd.port1.onmessage = ({ data }) => {
        const whole = performance.now() - data.started;
        const afterCallback = Math.min(AFTER_CALLBACK_MOST_MS, whole - data.callback);
        const known = after[data.kind] ?? afterCallback;
        after[data.kind] = known + (afterCallback > known ? 0.5 : 0.1) * (afterCallback - known);
        window.backpropLab.frames?.push({ callback: data.callback, whole });
      };
    }
    frameEnd.port2.postMessage({ started, kind, callback: performance.now() - started });
  };
}
