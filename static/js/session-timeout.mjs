// The warning before a signed-in session ends (WCAG 2.2.1 Timing Adjustable).
// The server ends a session after a time without requests (the idle limit) and
// a fixed time after signing in (the absolute limit): portal/auth/sessions.py.
// A while before either (data-session-warn-seconds), this opens the dialog in
// templates/components/session_timeout.html. Before the idle limit, "Stay
// signed in" (or Escape) asks the server for more time; the absolute limit
// cannot move, so that dialog only says so. If nobody acts, the page goes to
// sign-in, where the server says why. Without JavaScript nothing changes: the
// server's limits apply all the same.
//
// Times are kept as this browser's clock readings (Date.now()); the server
// only ever says "in so many seconds", so the two clocks need not agree.

const ACTIVITY_KEY = "portal-last-activity"; // shared by this site's tabs: a busy tab keeps an idle one signed in
const ENDS_KEY = "portal-session-ends";
const IDLE_HEADER = "Portal-Session-Idle-Ends-In";
const STEP_MS = 15_000; // the countdown text changes at most this often: screen readers read each change
const GRACE_MS = 2_000; // by then the server has surely ended the session, so sign-in says why

const body = document.body;
const dialog = document.getElementById("session-timeout");

function read(key) {
  try {
    return Number(localStorage.getItem(key)) || 0;
  } catch (error) {
    return 0; // storage blocked: this tab keeps its own time
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, String(value));
  } catch (error) {
    // Storage full or blocked: this tab keeps its own time.
  }
}

// "2 minutes", "1 minute and 45 seconds", "30 seconds".
function inWords(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(minutes === 1 ? "1 minute" : `${minutes} minutes`);
  if (rest || !minutes) parts.push(rest === 1 ? "1 second" : `${rest} seconds`);
  return parts.join(" and ");
}

function start() {
  const data = body.dataset;
  const idleMs = Number(data.sessionIdleSeconds) * 1000;
  const warnMs = Number(data.sessionWarnSeconds) * 1000;
  const heading = dialog.querySelector("h2");
  const countdown = dialog.querySelector("[data-session-countdown]");
  const problem = dialog.querySelector("[data-session-problem]");
  const stayButton = dialog.querySelector("[data-session-stay]");
  const token = document.querySelector('meta[name="csrf-token"]').content;

  // When the server last counted activity, and when the session ends however busy.
  let activeAt = Date.now() + Number(data.sessionIdleEndsInSeconds) * 1000 - idleMs;
  let endsAt = Date.now() + Number(data.sessionEndsInSeconds) * 1000;
  let timer = null;
  let shown = null; // "idle" or "absolute" while the dialog is open
  let closedAbsolute = false; // "Close" on the absolute warning: not shown again
  let returnFocusTo = null;
  let leaving = false;
  let asking = false; // a "Stay signed in" request on its way

  const goToSignIn = () => {
    if (leaving) return;
    leaving = true;
    clearTimeout(timer);
    const here = window.location.pathname + window.location.search;
    window.location.assign(`${data.sessionSignInUrl}?next=${encodeURIComponent(here)}`);
  };

  const say = (text) => {
    problem.textContent = "";
    if (!text) return;
    const line = document.createElement("p");
    line.className = "govuk-error-message";
    line.textContent = text;
    problem.appendChild(line);
  };

  const show = (kind, leftMs) => {
    // Whole seconds, then down to a 15-second step: never more time than there is.
    const seconds = Math.round(leftMs / 1000);
    const step = STEP_MS / 1000;
    const words = inWords(seconds >= step ? seconds - (seconds % step) : seconds);
    if (seconds > 0 && countdown.textContent !== words) countdown.textContent = words;
    if (shown === kind) return;
    for (const part of dialog.querySelectorAll("[data-session-for]")) {
      part.hidden = part.dataset.sessionFor !== kind;
    }
    if (!dialog.open) {
      returnFocusTo = document.activeElement;
      dialog.showModal();
    }
    shown = kind;
    heading.focus();
  };

  const hide = () => {
    shown = null;
    say("");
    if (dialog.open) dialog.close();
  };

  // Work out where we are, and wake again at the next moment anything changes.
  const plan = () => {
    clearTimeout(timer);
    if (leaving) return;
    const now = Date.now();
    const idleEnd = activeAt + idleMs;
    const kind = endsAt <= idleEnd ? "absolute" : "idle";
    const end = Math.min(idleEnd, endsAt);
    const left = end - now;
    let wait;
    if (left <= -GRACE_MS) {
      goToSignIn();
      return;
    }
    if (left > warnMs) {
      hide();
      wait = left - warnMs;
    } else {
      if (kind === "absolute" && closedAbsolute) hide();
      else show(kind, left);
      // The next 15-second step of the countdown, or the end.
      wait = left > 0 ? left % STEP_MS || STEP_MS : left + GRACE_MS;
      if (left > 0 && wait < 50) wait += STEP_MS;
      if (left > 0 && wait > left) wait = left + GRACE_MS;
    }
    timer = setTimeout(plan, Math.min(wait, 2 ** 31 - 1));
  };

  // The server counted activity: its idle limit is now this far away.
  const heard = (idleEndsInSeconds) => {
    const at = Date.now() + idleEndsInSeconds * 1000 - idleMs;
    if (at > activeAt) activeAt = at;
    if (activeAt > read(ACTIVITY_KEY)) write(ACTIVITY_KEY, activeAt);
    plan();
  };

  const stay = async () => {
    if (asking) return;
    asking = true;
    say("");
    let response;
    try {
      // Asked as htmx asks, so that a session already over answers 401, not a page.
      response = await fetch(data.sessionKeepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": token, "HX-Request": "true" },
      });
    } catch (error) {
      say("Sorry, we could not reach the portal. Check your internet connection, then try again.");
      plan(); // the dialog stays (or comes back, after Escape)
      return;
    } finally {
      asking = false;
    }
    if (response.status !== 204) {
      goToSignIn(); // already signed out: sign-in says why
      return;
    }
    heard(Number(response.headers.get(IDLE_HEADER) ?? idleMs / 1000));
  };

  const closeAbsolute = () => {
    closedAbsolute = true;
    hide();
  };

  stayButton.addEventListener("click", stay);
  dialog.querySelector("[data-session-close]").addEventListener("click", closeAbsolute);
  // Escape: stay signed in (or, before the absolute limit, close). The browser
  // may close the dialog itself; the "close" handler puts focus back.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (shown === "absolute") closeAbsolute();
    else stay();
  });
  dialog.addEventListener("close", () => {
    shown = null;
    const target = returnFocusTo;
    returnFocusTo = null;
    if (target && target.isConnected && typeof target.focus === "function") target.focus();
  });

  // Every answer from the server to this page (autosaves too) says how long is left.
  document.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail && event.detail.xhr;
    const left = xhr ? xhr.getResponseHeader(IDLE_HEADER) : null;
    if (left) heard(Number(left));
  });
  // Another tab talked to the server, or signed in afresh.
  window.addEventListener("storage", (event) => {
    const at = Number(event.newValue);
    if (!at) return;
    if (event.key === ACTIVITY_KEY && at > activeAt) {
      activeAt = at;
      plan();
    } else if (event.key === ENDS_KEY && Math.abs(at - endsAt) > 5000) {
      endsAt = at;
      closedAbsolute = false;
      plan();
    }
  });
  // Timers sleep with the computer and in background tabs: look again on return.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") plan();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) plan();
  });

  // This page load was activity; another tab's may be newer.
  activeAt = Math.max(activeAt, read(ACTIVITY_KEY));
  write(ACTIVITY_KEY, activeAt);
  write(ENDS_KEY, endsAt);
  plan();
}

if (dialog && body.dataset.sessionIdleSeconds && typeof dialog.showModal === "function") {
  start();
}
