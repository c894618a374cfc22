// The console's shell: sign in and out, and one view at a time chosen by the URL fragment (#claim, #devices, …).
import { ApiError, request, session } from "./api.js";
import { plain } from "./problems.js";
import { $, say } from "./dom.js";
import * as claim from "./claim.js";
import * as devices from "./devices.js";
import * as importFile from "./import.js";
import * as provision from "./provision.js";

// Each view: init() once, enter() when shown, leave() when another is shown, reset() on sign-out.
const views = { claim, devices, import: importFile, provision };
const FIRST_VIEW = "claim";
// Views a key without the right could only fail in, so they are not offered to it.
const NEEDS = { import: "devices:claim", provision: "devices:provision" };
let current = null;

async function start() {
  for (const view of Object.values(views)) view.init();
  $("#sign-in-form").addEventListener("submit", (event) => { event.preventDefault(); signIn(); });
  $("#sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", route);
  showFirstRun();
  // A reload keeps the key (sessionStorage) but asks again who it is: rights may have changed.
  if (session.key) session.me = await who(session.key).catch(() => session.me);
  route();
}

function allowed(name) { return !NEEDS[name] || session.can(NEEDS[name]); }

function viewName() {
  const name = location.hash.replace(/^#/, "");
  return Object.hasOwn(views, name) && allowed(name) ? name : FIRST_VIEW;
}

function who(key) { return request("GET", "/me", { key }); }

/** Who is signed in, in the header: the key's name and its tenant. */
function showWho() {
  const me = session.me;
  const whoami = $("#whoami");
  whoami.hidden = !me;
  whoami.textContent = me ? `${me.tenant.name} (${me.tenant.id}) · key ${me.apiKey.name}` : "";
  for (const [name, right] of Object.entries(NEEDS)) $(`#nav-${name}`).hidden = !session.can(right);
}

/** On a first start, where the generated admin key is (the server says only where, never the key). */
async function showFirstRun() {
  try {
    const response = await fetch("/console/first-run", { headers: { Accept: "application/json" } });
    const answer = response.ok ? await response.json() : {};
    $("#first-run-file").textContent = answer.adminKeyFile || "";
    $("#first-run").hidden = !answer.adminKeyFile;
  } catch {
    // An older server or a network hiccup: the page works without the hint.
  }
}

async function route() {
  const signedIn = Boolean(session.key);
  $("#nav").hidden = !signedIn;
  $("#sign-out").hidden = !signedIn;
  $("#view-sign-in").hidden = signedIn;
  showWho();
  const next = signedIn ? viewName() : null;
  if (current && current !== next && views[current].leave) await views[current].leave();
  for (const name of Object.keys(views)) $(`#view-${name}`).hidden = name !== next;
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.getAttribute("href") === `#${next}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const entering = next !== current;
  current = next;
  if (next && entering && views[next].enter) await views[next].enter();
  document.title = next ? `${$(`#view-${next} h1`).textContent} · Custodian` : "Sign in · Custodian";
}

async function signIn() {
  const input = $("#api-key");
  const key = input.value.trim();
  say($("#sign-in-status"), "");
  if (!key) {
    say($("#sign-in-error"), "Type or paste your API key.");
    input.focus();
    return;
  }
  say($("#sign-in-error"), "");
  let me;
  try {
    // Any valid key may ask who it is: that also proves the key is known.
    me = await who(key);
  } catch (error) {
    say($("#sign-in-error"), error instanceof ApiError && error.code === "unauthenticated"
      ? "This API key is not accepted: it is mistyped, revoked or from another server."
      : plain(error));
    return;
  }
  session.key = key;
  session.me = me;
  input.value = "";
  if (!location.hash) location.hash = `#${FIRST_VIEW}`;
  await route();
  $(`#view-${current} h1`).focus();
}

async function signOut() {
  session.key = null;
  session.me = null;
  for (const view of Object.values(views)) await view.reset();
  await route();
  say($("#sign-in-status"), "Signed out. The API key is no longer kept in this browser.");
  showFirstRun();
  $("#api-key").focus();
}

start();
