// The portal's own script: start GOV.UK Frontend's components.
// Every page works without it; it only improves them.
import { initAll } from "/static/build/govuk-frontend.min.js";

initAll();
