// Copy buttons beside the donation details. The details are plain text that people can select
// and copy by hand; where the browser lets a page write to the clipboard, a button does it.
const RESET_AFTER_MS = 2000;

function label(button, text, term) {
  button.textContent = text;
  // Several buttons say "Copy": their accessible names tell which detail each one copies.
  if (term) button.setAttribute("aria-label", `${text}: ${term}`);
}

if (navigator.clipboard?.writeText) {
  for (const value of document.querySelectorAll("[data-copy]")) {
    const labels = value.closest("[data-copy-label]")?.dataset;
    if (!labels) continue;
    const term = value.closest("dd")?.previousElementSibling?.textContent.trim();
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    label(button, labels.copyLabel, term);
    button.addEventListener("click", async () => {
      // data-copy holds the value without its grouping spaces when they would get in the way.
      const text = value.dataset.copy || value.textContent.trim();
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        // Refused (a permission, an old browser): select it, for the person to copy.
        getSelection().selectAllChildren(value);
        return;
      }
      label(button, labels.copiedLabel, term);
      setTimeout(() => label(button, labels.copyLabel, term), RESET_AFTER_MS);
    });
    value.after(button);
  }
}
