// Names for the controls that Django's admin widgets leave without one, as they appear:
// the date and time inputs of a date-time field, the selects of a tabular inline, the
// search icon of the two-box selector and a changelist's search box.
function name(control, text) {
  if (!control.labels?.length && !control.hasAttribute("aria-label") && text) {
    control.setAttribute("aria-label", text.replace(/[:\s]+$/, "").trim());
  }
}

function fieldLabel(control) {
  const row = control.closest(".form-row, .fieldBox, .flex-container");
  return row?.querySelector("label")?.textContent.trim() ?? "";
}

function mend(root) {
  for (const input of root.querySelectorAll(".datetime input")) {
    const part = input.previousSibling?.textContent ?? input.previousElementSibling?.textContent;
    name(input, `${fieldLabel(input)} ${part ?? ""}`);
  }
  for (const cell of root.querySelectorAll(".tabular td[class*='field-']")) {
    const field = [...cell.classList].find((c) => c.startsWith("field-")).slice(6);
    const header = cell.closest("table")?.querySelector(`th.column-${field}`);
    for (const control of cell.querySelectorAll("select, input:not([type=hidden]), textarea")) {
      name(control, header?.textContent);
    }
  }
  for (const icon of root.querySelectorAll(".search-label-icon[aria-label]")) {
    icon.setAttribute("role", "img");
  }
  const search = root.querySelector("#searchbar");
  if (search) {
    search.setAttribute("aria-label", search.form?.querySelector("[type=submit]")?.value ?? "");
  }
}

// Then the widgets that scripts add later: the two-box selector, a new inline row.
document.addEventListener("DOMContentLoaded", () => {
  mend(document);
  new MutationObserver((changes) => {
    const parents = new Set(changes.map((change) => change.target));
    for (const parent of parents) if (parent.nodeType === 1) mend(parent);
  }).observe(document.body, { childList: true, subtree: true });
});
