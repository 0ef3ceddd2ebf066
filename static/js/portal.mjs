// The portal's own script: start GOV.UK Frontend's components, and keep focus
// sensible after htmx swaps. Every page works without it; it only improves them.
import { initAll } from "/static/build/govuk-frontend.min.js";

initAll();

// After htmx swaps in new content that asks for focus (a heading marked
// data-autofocus, such as the view of two clashing texts), move focus there
// so keyboard and screen reader users land on what changed.
document.body.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.elt;
  const wanted = target && (target.matches("[data-autofocus]") ? target : target.querySelector("[data-autofocus]"));
  if (wanted) {
    wanted.focus();
  }
});
