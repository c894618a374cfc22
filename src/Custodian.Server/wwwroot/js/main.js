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
let current = null;

function start() {
  for (const view of Object.values(views)) view.init();
  $("#sign-in-form").addEventListener("submit", (event) => { event.preventDefault(); signIn(); });
  $("#sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", route);
  route();
}

function viewName() {
  const name = location.hash.replace(/^#/, "");
  return Object.hasOwn(views, name) ? name : FIRST_VIEW;
}

async function route() {
  const signedIn = Boolean(session.key);
  $("#nav").hidden = !signedIn;
  $("#sign-out").hidden = !signedIn;
  $("#view-sign-in").hidden = signedIn;
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
  try {
    // Any valid key may ask whether a JoinEUI is claimable: the cheapest way to learn that the key is known.
    await request("GET", "/join-euis/0000000000000000", { key });
  } catch (error) {
    say($("#sign-in-error"), error instanceof ApiError && error.code === "unauthenticated"
      ? "This API key is not accepted: it is mistyped, revoked or from another server."
      : plain(error));
    return;
  }
  session.key = key;
  input.value = "";
  if (!location.hash) location.hash = `#${FIRST_VIEW}`;
  await route();
  $(`#view-${current} h1`).focus();
}

async function signOut() {
  session.key = null;
  for (const view of Object.values(views)) await view.reset();
  await route();
  say($("#sign-in-status"), "Signed out. The API key is no longer kept in this browser.");
  $("#api-key").focus();
}

start();
