// The practice panel's small building blocks, shared by its parts: elements made in one call,
// hints given one at a time, and the checked/wrong line under an answer.

/** Text with "h × m" and "∂L/∂z1" kept on one line. */
export const keepWhole = (text) => text.replace(/ × /g, "\u00a0×\u00a0").replace(/\/∂/g, "/\u2060∂");

/** An element with properties, attributes (`attrs`) and children. */
export function element(tag, { attrs = {}, ...props } = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Hints one at a time, then the answer (drawn by `showAnswer(box)`), in `container`. */
export function hints(container, list, showAnswer) {
  const shown = element("ol", { className: "hints" });
  const button = element("button", { type: "button", className: "small", textContent: `Hint 1 of ${list.length}` });
  const answer = element("button", { type: "button", className: "small", textContent: "Show the answer", hidden: true });
  const answerBox = element("div", { className: "answer", hidden: true });
  let next = 0;
  button.addEventListener("click", () => {
    shown.append(element("li", { textContent: list[next] }));
    next += 1;
    if (next < list.length) button.textContent = `Hint ${next + 1} of ${list.length}`;
    else {
      button.hidden = true;
      answer.hidden = false;
    }
  });
  answer.addEventListener("click", () => {
    showAnswer(answerBox);
    answerBox.hidden = false;
    answer.hidden = true;
  });
  container.append(element("div", { className: "hint-row" }, button, answer), shown, answerBox);
}

/** The core's verdict on an answer, marked right or wrong. */
export function feedback(box, result) {
  box.textContent = result.right ? `✓ ${result.message}` : result.message;
  box.classList.toggle("good", result.right);
  box.classList.toggle("bad", !result.right);
}

/** No verdict (the answer changed since it was checked). */
export function clearFeedback(box) {
  box.textContent = "";
  box.classList.remove("good", "bad");
}
