// Work that can take longer than a frame runs in slices, one per animation frame, with its
// progress on the page and a Cancel button, so the page never freezes.

/** Milliseconds of work per slice, leaving the rest of the frame to the browser. */
export const SLICE_MS = 8;

/**
 * Calls `slice(SLICE_MS)` once per animation frame until it returns { finished: true }; each
 * call returns { progress (0 to 1), finished }. While it runs, `status` shows "label: 40%" and
 * a Cancel button; it is hidden again when the work ends (it keeps a message if a slice
 * throws). Returns { done, cancel }: `done` resolves to the last result, or null if cancelled
 * (then `onCancel` has run).
 */
export function runInSlices({ slice, status, label, onCancel = () => {} }) {
  let cancelled = false;
  let frame = 0;
  const text = document.createElement("span");
  const button = Object.assign(document.createElement("button"), { type: "button", className: "small", textContent: "Cancel" });
  status.replaceChildren(text, " ", button);
  status.hidden = false;
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const cancel = () => {
    if (cancelled) return;
    cancelled = true;
    cancelAnimationFrame(frame);
    status.replaceChildren();
    status.hidden = true;
    onCancel();
    finish(null);
  };
  button.addEventListener("click", cancel);
  const run = () => {
    if (cancelled) return;
    let result;
    try {
      result = slice(SLICE_MS);
    } catch (error) {
      status.replaceChildren(`${label}: stopped (${error.message})`);
      finish(null);
      return;
    }
    if (result.finished) {
      status.replaceChildren();
      status.hidden = true;
      finish(result);
      return;
    }
    text.textContent = `${label}: ${Math.floor(100 * result.progress)}%`;
    frame = requestAnimationFrame(run);
  };
  text.textContent = `${label}: 0%`;
  frame = requestAnimationFrame(run);
  return { done, cancel };
}
