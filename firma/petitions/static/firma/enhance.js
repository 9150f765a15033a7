// The petition page without JavaScript is complete; this adds four things to it.
// 1. The signing form checks itself before it is sent, with the server's own words (from the
//    page) and the same markup as the server's error summary and messages.
// 2. The count follows the signatures as they are confirmed, asking the API less and less
//    often (10 seconds, doubling to 2 minutes), and not at all while the page is hidden.
// 3. The page is the same for every reader (any cache may keep it), so the site that sent
//    this reader here is put into the form's hidden `referrer` by the browser; the server
//    keeps only a host name.
// 4. The organisation's fields show only to those who sign on behalf of one, and the
//    individual's own organisation / position field only to individuals.

const FIRST_DELAY_MS = 10_000;
const LONGEST_DELAY_MS = 120_000;

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function checkTheForm(form, messages) {
  const inputs = Object.keys(messages.fields)
    .map((id) => document.getElementById(id))
    .filter((input) => input?.form === form);

  function problem(input) {
    const words = messages.fields[input.id];
    if (input.closest("[hidden]")) return ""; // not asked of this signer
    if (input.validity.valueMissing || (input.required && !input.value.trim())) {
      return words.valueMissing;
    }
    if (input.validity.typeMismatch) return words.typeMismatch;
    return "";
  }

  function show(input, message) {
    const field = input.closest(".field");
    const id = `${input.id}_error`;
    document.getElementById(id)?.remove();
    field.classList.toggle("invalid", Boolean(message));
    if (!message) {
      input.removeAttribute("aria-describedby");
      input.removeAttribute("aria-invalid");
      return;
    }
    field.querySelector("label").after(element("p", { class: "error", id }, message));
    input.setAttribute("aria-describedby", id);
    input.setAttribute("aria-invalid", "true");
  }

  function summarise(problems) {
    form.querySelector("#error-summary")?.remove();
    const summary = element("div", {
      class: "error-summary",
      role: "alert",
      tabindex: "-1",
      id: "error-summary",
    });
    summary.append(element("h3", {}, messages.summary));
    const list = element("ul");
    for (const [input, message] of problems) {
      const item = element("li");
      item.append(element("a", { href: `#${input.id}` }, message));
      list.append(item);
    }
    summary.append(list);
    form.prepend(summary); // where the server puts its own summary
    summary.focus();
  }

  for (const input of inputs) {
    // Told once they leave a field, then corrected as they type: never scolded mid-word.
    input.addEventListener("blur", () => {
      if (input.value || input.closest(".invalid")) show(input, problem(input));
    });
    input.addEventListener("input", () => {
      if (input.closest(".invalid")) show(input, problem(input));
    });
  }

  form.addEventListener("submit", (event) => {
    const problems = [];
    for (const input of inputs) {
      const message = problem(input);
      show(input, message);
      if (message) problems.push([input, message]);
    }
    if (problems.length) {
      event.preventDefault();
      summarise(problems);
    }
  });
}

function followTheCount(box) {
  const number = box.querySelector(".number");
  const unit = box.querySelector(".unit");
  const words = JSON.parse(box.dataset.words);
  const plural = new Intl.PluralRules(document.documentElement.lang);
  const progress = box.querySelector("progress");
  const goal = Number(box.dataset.goal) || 0;
  // The server's grouping of digits, as in "1.234.567": the same in this page's language.
  const separator = box.dataset.sample.replace(/\d/g, "").charAt(0);
  let shown = Number(number.textContent.replace(/\D/g, ""));
  let delay = FIRST_DELAY_MS;
  let timer = null;

  function format(count) {
    return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  async function ask() {
    timer = null;
    try {
      const response = await fetch(box.dataset.live, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const count = (await response.json()).signature_count;
        if (Number.isInteger(count) && count !== shown) {
          shown = count;
          number.textContent = format(count);
          unit.textContent = words[plural.select(count)] ?? unit.textContent;
          if (progress && goal) progress.value = Math.min(100, Math.floor((count * 100) / goal));
        }
      }
    } catch {
      // Offline for a moment: the next attempt comes later, like any other.
    }
    delay = Math.min(delay * 2, LONGEST_DELAY_MS);
    plan();
  }

  function plan() {
    if (!document.hidden && timer === null) timer = setTimeout(ask, delay);
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else {
      delay = FIRST_DELAY_MS;
      plan();
    }
  });
  plan();
}

const form = document.querySelector(".signing form");
const messages = document.getElementById("validation-messages");
if (form && messages) checkTheForm(form, JSON.parse(messages.textContent));

function noteTheReferrer(form) {
  const field = form.elements.namedItem("referrer");
  if (!field || field.value || !document.referrer) return;
  try {
    const host = new URL(document.referrer).hostname;
    if (host && host !== location.hostname) field.value = host;
  } catch {
    // Not a URL: nothing to note.
  }
}

if (form) noteTheReferrer(form);

function askWhatFits(form) {
  const choices = form.querySelectorAll('input[name="signing_as"]');
  const group = form.querySelector(".organisation-fields");
  const own = form.elements.namedItem("organization")?.closest(".field");
  if (!choices.length || !group) return;
  function update() {
    const organisation = form.querySelector('input[name="signing_as"]:checked')?.value === "organisation";
    group.hidden = !organisation;
    if (own) own.hidden = organisation;
  }
  for (const choice of choices) choice.addEventListener("change", update);
  update();
}

if (form) askWhatFits(form);

const count = document.querySelector(".count[data-live]");
if (count) followTheCount(count);
