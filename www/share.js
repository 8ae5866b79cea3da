// The Share button (copies a link to what is on screen) and the Embed dialog (writes the
// iframe snippet for one panel, with chosen controls hidden).

import { controlName, fieldsetSlug } from "./controls.js";
import { shareUrl } from "./state.js";

async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Copied.";
  } catch {
    status.textContent = "Copying is not allowed here: select the text and copy it yourself.";
  }
  setTimeout(() => { status.textContent = ""; }, 4000);
}

function embedSnippet(panel, hide, title) {
  const src = shareUrl({ panel, embed: true, hide });
  const host = new URL("www/embed-host.js", new URL(".", window.location.href)).toString();
  return `<iframe src="${src}" title="Backprop Lab: ${title}" style="width: 100%; height: 640px; border: 0" loading="lazy"></iframe>\n`
    + `<script src="${host}" defer></script>`;
}

export function mountSharing(shown, view) {
  const status = document.getElementById("share-status");
  document.getElementById("share-page").addEventListener("click", () => copy(shareUrl(view), status));

  const dialog = document.getElementById("embed-dialog");
  const hideBox = document.getElementById("embed-hide");
  const code = document.getElementById("embed-code");
  let current = null;
  const refresh = () => {
    const hide = [...hideBox.querySelectorAll("input:checked")].map((box) => box.value);
    code.value = embedSnippet(current.dataset.panel, hide, current.querySelector("h2").textContent);
  };
  hideBox.addEventListener("change", refresh);
  document.getElementById("embed-copy").addEventListener("click", () => copy(code.value, document.getElementById("embed-status")));

  if (view.embed) return; // an embedded panel offers no further embedding
  for (const section of shown) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small embed-button";
    button.textContent = "Embed";
    button.setAttribute("aria-label", `Embed the ${section.querySelector("h2").textContent} panel`);
    button.addEventListener("click", () => {
      current = section;
      hideBox.querySelectorAll("label").forEach((label) => label.remove());
      const option = (value, text, nested) => {
        const label = document.createElement("label");
        label.className = nested ? "check nested" : "check";
        const box = Object.assign(document.createElement("input"), { type: "checkbox", value });
        label.append(box, ` ${text}`);
        hideBox.append(label);
      };
      // Each group of controls, and under it each control on its own.
      for (const fieldset of section.querySelectorAll("fieldset")) {
        option(fieldsetSlug(fieldset), `${fieldset.querySelector("legend").textContent} (all)`, false);
        for (const control of fieldset.querySelectorAll("[data-state]")) {
          option(control.dataset.state, controlName(control), true);
        }
      }
      refresh();
      dialog.showModal();
    });
    section.querySelector(".panel-head").append(button);
  }
}
