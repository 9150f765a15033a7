// The petition in a frame on another site. Loaded twice, by different pages:
// - by the other site, from the snippet `<div data-firma-petition="slug"></div><script src=".../embed.js" async>`:
//   puts an iframe of the petition in each such element and sets its height when the frame asks;
// - by the page inside the frame (firma's embed.html), which tells the other site its height
//   and title.
(() => {
  const inFrame = document.documentElement.classList.contains("embedded");

  if (inFrame) {
    if (window.parent === window) return;
    // The content's own height, which shrinks too (scrollHeight never goes below the frame's),
    // and the title: nothing private, so any embedding page may read them.
    const report = () => {
      const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      window.parent.postMessage({ firmaHeight: height, firmaTitle: document.title }, "*");
    };
    new ResizeObserver(report).observe(document.body);
    window.addEventListener("load", report);
    return;
  }

  const script = document.currentScript;
  if (!script) return;
  const origin = new URL(script.src).origin;
  const frames = [];

  for (const holder of document.querySelectorAll("[data-firma-petition]")) {
    const slug = holder.dataset.firmaPetition;
    if (!/^[A-Za-z0-9_-]+$/.test(slug) || holder.querySelector("iframe")) continue;
    const language = holder.dataset.lang;
    // Without a language, firma sends the frame to the reader's own (their browser's).
    const path = /^[a-z]{2,3}(-[a-z0-9]+)?$/i.test(language || "")
      ? `/${language}/p/${slug}/embed/`
      : `/p/${slug}/embed/`;
    const url = new URL(path, origin);
    url.searchParams.set("source", holder.dataset.source || "embed");
    // A partner's embed code names it, so the signatures it brings are counted as its own.
    const via = holder.dataset.via || "";
    if (/^[a-z0-9_-]{1,40}$/.test(via)) url.searchParams.set("via", via);
    const frame = document.createElement("iframe");
    frame.src = url.href;
    // Until the frame tells its own title; a data-title on the element is kept instead.
    frame.title = holder.dataset.title || "Petition";
    if (holder.dataset.title) frame.dataset.titled = "";
    frame.style.width = "100%";
    frame.style.minHeight = "480px";
    frame.style.border = "0";
    holder.append(frame);
    frames.push(frame);
  }

  window.addEventListener("message", (event) => {
    // Only firma's own frames may resize themselves, and only to a sane height.
    if (event.origin !== origin) return;
    const frame = frames.find((candidate) => candidate.contentWindow === event.source);
    const height = Number(event.data?.firmaHeight);
    if (!frame || !Number.isFinite(height) || height <= 0 || height > 20000) return;
    frame.style.minHeight = "0";
    frame.style.height = `${Math.ceil(height)}px`;
    // Screen readers announce the frame by its title: the petition's, in its language.
    const title = event.data.firmaTitle;
    if (typeof title === "string" && title && !("titled" in frame.dataset)) {
      frame.title = title.slice(0, 200);
    }
  });
})();
