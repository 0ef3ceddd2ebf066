// Autosave for every editor form marked data-autosave (see portal/autosave.py).
// htmx does the saving (after a pause in typing, when the box loses focus);
// this script makes sure nothing typed is lost:
// - a copy of the text is kept in this browser until the server has it;
// - a failed save (no network, server restarting) is retried with back-off;
// - the person is warned before leaving a page with unsaved text;
// - "Add to statement" buttons put a sentence in at the cursor, or at the end
//   as its own paragraph when no cursor was placed.

const RETRY_SECONDS = [2, 4, 8, 15, 30];

function setUp(form) {
  // Each editor form names its own status line, so a page may hold several.
  if (form.dataset.autosaveReady) return;
  form.dataset.autosaveReady = "yes";
  const field = form.querySelector("textarea");
  const status = document.getElementById(form.dataset.autosaveStatus || "autosave-status");
  if (!field || !status) return;
  const key = `autosave:${form.action}`;
  let dirty = false;
  let typedDuringSave = false;
  let attempt = 0;
  let retryTimer = null;

  const remember = () => {
    try {
      localStorage.setItem(key, JSON.stringify({ text: field.value, at: new Date().toISOString() }));
      return true;
    } catch (error) {
      // Storage full or blocked: the text is still in the page.
      return false;
    }
  };
  const forget = () => {
    try {
      localStorage.removeItem(key);
    } catch (error) {
      // Nothing to do.
    }
  };
  const say = (text, isError) => {
    status.innerHTML = "";
    const line = document.createElement("p");
    line.className = isError ? "govuk-error-message portal-autosave-status__message" : "govuk-body-s portal-autosave-status__message";
    line.textContent = text;
    status.appendChild(line);
  };

  offerRecovery(form, field, key);

  field.addEventListener("input", () => {
    dirty = true;
    typedDuringSave = true;
    remember();
  });

  form.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt === form) typedDuringSave = false;
  });

  // Signed out (a time limit passed): the portal sends the whole page to sign
  // in (401 with HX-Redirect), and the text is offered back afterwards from
  // this browser's copy. So leaving needs no "leave this page?" question,
  // unless the browser could not keep the copy. Runs before htmx follows the redirect.
  form.addEventListener("htmx:beforeOnLoad", (event) => {
    if (event.detail.elt !== form || !event.detail.xhr || event.detail.xhr.status !== 401) return;
    if (remember()) {
      dirty = false;
      say("Not saved: you were signed out. Your text is kept in this browser. Sign in again to get it back.", true);
    } else {
      say("Not saved: you were signed out. Copy your text somewhere safe, then sign in again.", true);
    }
  });

  form.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt !== form) return;
    const code = event.detail.xhr ? event.detail.xhr.status : 0;
    if (code === 401) return; // said above
    if (code === 409) {
      // Two texts clashed: the server kept this one and shows both side by side.
      dirty = false;
      forget();
      return;
    }
    if (event.detail.successful) {
      attempt = 0;
      // Saved, unless the server said why not, or more was typed meanwhile
      // (the queued save will carry that).
      if (!typedDuringSave && !status.querySelector(".govuk-error-message")) {
        dirty = false;
        forget();
      }
      return;
    }
    if (code === 0 || code === 429 || code >= 500) {
      const wait = RETRY_SECONDS[Math.min(attempt, RETRY_SECONDS.length - 1)];
      attempt += 1;
      say(`Not saved yet: the portal cannot be reached. Your text is still here. Trying again in ${wait} seconds.`, true);
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => window.htmx.trigger(form, "autosave:retry"), wait * 1000);
      return;
    }
    if (code === 413) {
      say("Not saved: the text is far too long to send. Make it shorter. The text you saved before is safe.", true);
      return;
    }
    say("Not saved. Reload the page to carry on; your text is kept in this browser.", true);
  });

  window.addEventListener("beforeunload", (event) => {
    if (dirty && form.isConnected) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // A normal form submission (Save without htmx, Send) carries the text itself.
  form.addEventListener("submit", () => {
    dirty = false;
  });

  // Where "Add to statement" puts a sentence: at the cursor once the person has
  // placed one in the box; until then, at the end as a paragraph of its own
  // (a box never clicked reports its cursor at the very start, #14.9).
  let cursorPlaced = false;
  for (const type of ["pointerup", "keyup", "select", "input"]) {
    field.addEventListener(type, () => {
      cursorPlaced = true;
    });
  }
  document.querySelectorAll(`[data-insert-text][form="${form.id}"]`).forEach((button) => {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      insertSentence(field, button.dataset.insertText, cursorPlaced);
      cursorPlaced = true;
    });
  });
}

function insertSentence(field, sentence, atCursor) {
  if (!atCursor) {
    const text = field.value.replace(/\s+$/, "");
    field.value = text ? `${text}\n\n${sentence}` : sentence;
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    window.htmx.trigger(field.form, "autosave:retry");
    return;
  }
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  const before = field.value.slice(0, start);
  const after = field.value.slice(end);
  const gap = before && !/\s$/.test(before) ? " " : "";
  const tail = after && !/^\s/.test(after) ? " " : "";
  field.value = `${before}${gap}${sentence}${tail}${after}`;
  const caret = (before + gap + sentence).length;
  field.focus();
  field.setSelectionRange(caret, caret);
  field.dispatchEvent(new Event("input", { bubbles: true }));
  // Save straight away rather than after the pause.
  window.htmx.trigger(field.form, "autosave:retry");
}

function offerRecovery(form, field, key) {
  const notice = form.parentElement.querySelector("[data-autosave-recover]");
  let kept = null;
  try {
    kept = JSON.parse(localStorage.getItem(key) || "null");
  } catch (error) {
    kept = null;
  }
  if (!notice || !kept || typeof kept.text !== "string" || kept.text === field.value) return;
  notice.hidden = false;
  const when = notice.querySelector("[data-autosave-recover-when]");
  if (when) when.textContent = new Date(kept.at).toLocaleString("en-GB");
  notice.querySelector("[data-autosave-recover-button]").addEventListener("click", () => {
    field.value = kept.text;
    notice.hidden = true;
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));
    window.htmx.trigger(form, "autosave:retry");
  });
}

document.querySelectorAll("form[data-autosave]").forEach(setUp);
// Editors that htmx brings in later (the update's paragraphs after a move) get the same care.
document.addEventListener("htmx:load", (event) => {
  const root = event.detail.elt;
  if (!(root instanceof Element)) return;
  if (root.matches("form[data-autosave]")) setUp(root);
  root.querySelectorAll("form[data-autosave]").forEach(setUp);
});
