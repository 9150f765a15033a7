// Starts the ALTCHA proof-of-work widget with firma's own worker and translated texts.
// The widget is created here, after its texts are registered, so that it speaks the page's
// language from its first paint.
import "./vendor/altcha/altcha.min.js";

const settings = JSON.parse(document.getElementById("altcha-settings").textContent);
const language = document.documentElement.lang;
globalThis.$altcha.algorithms.set("SHA-256", () => new Worker(settings.worker));
globalThis.$altcha.i18n.set(language, settings.strings);

for (const slot of document.querySelectorAll("[data-altcha-challenge]")) {
  const widget = document.createElement("altcha-widget");
  widget.setAttribute("challenge", slot.dataset.altchaChallenge);
  widget.setAttribute("name", "altcha");
  widget.setAttribute("auto", "onload");
  widget.setAttribute("language", language);
  slot.append(widget);
}
