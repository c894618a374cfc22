// The owner's devices: its claims page by page, searched, unclaimed (optionally with a new claim code, shown once).
import { ApiError, request, session } from "./api.js";
import { plain } from "./problems.js";
import { $, el, say, when } from "./dom.js";

export const PAGE_SIZE = 50;
const DEV_EUI = /^[0-9A-F]{16}$/;

let claims = [];   // loaded so far, in DevEUI order
let next = null;   // the `after` of the next page, null on the last
let unclaiming = null;
let loads = 0;     // a reload supersedes pages still on their way, so no page is listed twice
let loaded = false; // an empty list is only news once the first page has come

export function init() {
  $("#devices-search").addEventListener("submit", (event) => { event.preventDefault(); search(); });
  $("#devices-filter").addEventListener("input", render);
  $("#devices-more").addEventListener("click", more);
  $("#devices-refresh").addEventListener("click", load);
  $("#unclaim-confirm").addEventListener("click", confirmUnclaim);
  $("#unclaim-cancel").addEventListener("click", () => $("#unclaim-dialog").close());
  $("#unclaim-dialog").addEventListener("close", () => {
    if (unclaiming) $(`[data-dev-eui="${unclaiming}"]`)?.focus();
    unclaiming = null;
  });
}

export async function enter() { await load(); }

// A new claim code is shown once: leaving the view takes it off the screen.
export async function leave() { say($("#devices-status"), ""); }

export async function reset() {
  loads++;
  loaded = false;
  claims = [];
  next = null;
  $("#devices-filter").value = "";
  say($("#devices-status"), "");
  say($("#devices-error"), "");
  render();
}

async function load() {
  loads++;
  loaded = false;
  claims = [];
  next = null;
  say($("#devices-status"), "");
  await page(null);
}

async function more() { await page(next); }

async function page(after) {
  const load = loads;
  say($("#devices-error"), "");
  try {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (after) query.set("after", after);
    const answer = await request("GET", `/claims?${query}`);
    if (load !== loads) return;
    claims.push(...answer.claims);
    next = answer.next;
    loaded = true;
  } catch (error) {
    say($("#devices-error"), plain(error));
  }
  render();
}

function matches(claim, text) {
  if (!text) return true;
  const home = `${claim.homeNetId} ${claim.homeNsId || ""}`;
  return [claim.devEui, claim.joinEui, home].some((value) => value.toUpperCase().includes(text));
}

function render() {
  const text = $("#devices-filter").value.trim().toUpperCase();
  const shown = claims.filter((claim) => matches(claim, text));
  $("#devices-table tbody").replaceChildren(...shown.map(row));
  $("#devices-more").hidden = next === null;
  // A first-time owner learns what to do next instead of looking at an empty table.
  const empty = loaded && claims.length === 0;
  $("#devices-empty").hidden = !empty;
  $("#devices-empty-import").hidden = !session.can("devices:claim");
  $("#devices-table").hidden = empty;
  const more = next === null ? "" : " More are on the server: load them, or search a whole DevEUI.";
  $("#devices-caption").textContent = text
    ? `Claimed devices: ${shown.length} of ${claims.length} loaded match “${text}”.${more}`
    : `Claimed devices: ${claims.length}${next === null ? "" : " loaded"}.${more}`;
}

function row(claim) {
  const tr = el("tr");
  // data-label: a phone shows each row as a card, every value under its column's name (app.css).
  tr.append(
    el("th", claim.devEui, { scope: "row", "data-label": "DevEUI" }),
    el("td", claim.joinEui, { "data-label": "JoinEUI" }),
    el("td", state(claim), { "data-label": "State" }),
    el("td", claim.homeNsId ? `${claim.homeNetId} (NSID ${claim.homeNsId})` : claim.homeNetId, { "data-label": "Home network" }),
    el("td", when(claim.lastJoinAt), { "data-label": "Last join" }));
  const button = el("button", "Unclaim", { type: "button", class: "secondary", "aria-label": `Unclaim ${claim.devEui}`, "data-dev-eui": claim.devEui });
  button.addEventListener("click", () => askUnclaim(claim.devEui));
  const cell = el("td");
  cell.append(button);
  tr.append(cell);
  return tr;
}

// Every listed device is claimed; one another Join Server holds (claim routing) says which.
function state(claim) {
  return claim.joinServer && claim.joinServer !== "local" ? `Claimed at Join Server ${claim.joinServer}` : "Claimed";
}

/** A whole DevEUI not among the loaded pages is looked up on the server. */
async function search() {
  const text = $("#devices-filter").value.trim().toUpperCase();
  render();
  if (!DEV_EUI.test(text) || claims.some((claim) => claim.devEui === text)) return;
  say($("#devices-error"), "");
  try {
    const claim = await request("GET", `/claims/${text}`);
    claims.push(claim);
    claims.sort((a, b) => a.devEui.localeCompare(b.devEui));
    render();
  } catch (error) {
    say($("#devices-error"), error instanceof ApiError && error.code === "device_not_found"
      ? `You have not claimed a device ${text}.`
      : plain(error));
  }
}

function askUnclaim(devEui) {
  unclaiming = devEui;
  $("#unclaim-title").textContent = `Unclaim ${devEui}?`;
  $("#unclaim-new-code").checked = false;
  $("#unclaim-dialog").showModal();
}

async function confirmUnclaim() {
  const devEui = unclaiming;
  const rotate = $("#unclaim-new-code").checked;
  $("#unclaim-dialog").close();
  say($("#devices-status"), "");
  say($("#devices-error"), "");
  try {
    const answer = await request("DELETE", `/claims/${devEui}?newClaimCode=${rotate}`);
    claims = claims.filter((claim) => claim.devEui !== devEui);
    render();
    showUnclaimed(devEui, answer && answer.claimCode);
    $("#devices-title").focus();
  } catch (error) {
    say($("#devices-error"), plain(error));
  }
}

function showUnclaimed(devEui, code) {
  const status = $("#devices-status");
  if (!code) {
    say(status, `Unclaimed ${devEui}.`);
    return;
  }
  // Shown this once: no call returns it again, and this page forgets it on leaving the view.
  status.replaceChildren(
    `Unclaimed ${devEui}. Its new claim code, shown only this once: `,
    el("code", code, { class: "secret" }),
    ". Give it to the next owner with the device.");
}
