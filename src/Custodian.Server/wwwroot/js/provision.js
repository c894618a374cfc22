// Provision a batch of devices (makers): consecutive DevEUIs through POST /api/v1/devices/batch, then the manifest
// (the CLI's columns) and a printable A4 sheet of the server's QR labels, both built here as files to download.
import { request, send } from "./api.js";
import { plain } from "./problems.js";
import { $, el, say } from "./dom.js";

export const MAX_COUNT = 1000;
const EUI = /^[0-9A-F]{16}$/;
const MANIFEST_COLUMNS = ["dev_eui", "join_eui", "mac_version", "app_key", "nwk_key", "claim_authentication_code", "qr_code"];
const LABEL_FETCHES = 4; // label requests in flight at once

let urls = [];

export function init() {
  $("#provision-form").addEventListener("submit", (event) => { event.preventDefault(); provision($("#provision-form")); });
}

export async function reset() {
  $("#provision-form").reset();
  clear();
}

function clear() {
  say($("#provision-status"), "");
  say($("#provision-error"), "");
  $("#provision-failures").replaceChildren();
  $("#provision-downloads").hidden = true;
  for (const url of urls) URL.revokeObjectURL(url);
  urls = [];
}

function read(form) {
  const value = (name) => form.elements[name].value.replace(/[\s:-]/g, "").toUpperCase(); // 00-18-B2-… as on labels
  return { joinEui: value("joinEui"), firstDevEui: value("firstDevEui"), count: Number(form.elements.count.value), macVersion: form.elements.macVersion.value };
}

function problem(batch) {
  if (!EUI.test(batch.joinEui)) return ["joinEui", "Type the JoinEUI: 16 hexadecimal characters."];
  if (!EUI.test(batch.firstDevEui)) return ["firstDevEui", "Type the first DevEUI: 16 hexadecimal characters."];
  if (!Number.isInteger(batch.count) || batch.count < 1 || batch.count > MAX_COUNT) return ["count", `The number of devices is 1 to ${MAX_COUNT}.`];
  if (BigInt(`0x${batch.firstDevEui}`) + BigInt(batch.count - 1) > 0xFFFFFFFFFFFFFFFFn) return ["count", "The DevEUIs would run past FFFFFFFFFFFFFFFF."];
  return null;
}

function devEuis(first, count) {
  const start = BigInt(`0x${first}`);
  return Array.from({ length: count }, (_, i) => (start + BigInt(i)).toString(16).toUpperCase().padStart(16, "0"));
}

async function provision(form) {
  clear();
  const batch = read(form);
  const wrong = problem(batch);
  if (wrong) {
    say($("#provision-error"), wrong[1]);
    form.elements[wrong[0]].focus();
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  say($("#provision-status"), `Provisioning ${batch.count} devices…`);
  try {
    const devices = devEuis(batch.firstDevEui, batch.count).map((devEui) => ({ joinEui: batch.joinEui, devEui, macVersion: batch.macVersion }));
    const { results } = await request("POST", "/devices/batch", { body: { devices } });
    const created = results.filter((result) => result.status === "created");
    showFailures(results.filter((result) => result.status !== "created"));
    if (created.length === 0) {
      say($("#provision-status"), "");
      say($("#provision-error"), "No device was provisioned.");
      return;
    }
    say($("#provision-status"), `Provisioned ${created.length} of ${batch.count} devices. Fetching their labels…`);
    const labels = await fetchLabels(created);
    offer(created, labels, batch);
    say($("#provision-status"), `Provisioned ${created.length} of ${batch.count} devices. Download the manifest and the label sheet now: the keys are not shown again.`);
  } catch (error) {
    say($("#provision-status"), "");
    say($("#provision-error"), plain(error));
  } finally {
    button.disabled = false;
  }
}

function showFailures(failed) {
  $("#provision-failures").replaceChildren(...failed.map((result) =>
    el("li", `${result.devEui || `Item ${result.index + 1}`}: not provisioned: ${result.error?.detail || result.error?.title || "refused"}`)));
}

/** Each device's SVG label from the server, a few requests at a time, in the devices' order. */
async function fetchLabels(devices) {
  const labels = new Array(devices.length);
  let next = 0;
  async function worker() {
    while (next < devices.length) {
      const i = next++;
      const response = await send("GET", `/devices/${devices[i].devEui}/label.svg`);
      labels[i] = await response.text();
    }
  }
  await Promise.all(Array.from({ length: Math.min(LABEL_FETCHES, devices.length) }, worker));
  return labels;
}

function csvField(text) {
  const value = text ?? "";
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function manifest(devices) {
  const lines = [MANIFEST_COLUMNS.join(",")];
  for (const d of devices) {
    lines.push([d.devEui, d.joinEui, d.macVersion || "", d.appKey, d.nwkKey, d.claimCode, d.qr].map(csvField).join(","));
  }
  return `${lines.join("\n")}\n`;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function base64(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** One HTML file to print: the grid of the CLI's label sheet (A4, 38 × 50 mm cells), each label an embedded SVG. */
function sheet(devices, labels, title) {
  const cells = devices.map((d, i) =>
    `<div class="label"><img src="data:image/svg+xml;base64,${base64(labels[i])}" alt="Label of device ${escapeHtml(d.devEui)}"/></div>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 10mm; }
body { margin: 0; font-family: sans-serif; color: #000; background: #fff; }
h1 { font-size: 12pt; margin: 0 0 4mm; }
.labels { font-size: 0; line-height: 0; }
.label { display: inline-block; box-sizing: border-box; width: 38mm; height: 50mm; padding: 2mm; vertical-align: top; text-align: center; break-inside: avoid; page-break-inside: avoid; }
.label img { max-width: 100%; max-height: 100%; }
footer { font-size: 9pt; margin-top: 4mm; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="labels">
${cells.join("\n")}
</div>
<footer><p>${devices.length} ${devices.length === 1 ? "label" : "labels"}</p></footer>
</body>
</html>
`;
}

function offer(devices, labels, batch) {
  const name = `${batch.joinEui}-${devices[0].devEui}`;
  const title = `Labels: ${devices.length} devices of JoinEUI ${batch.joinEui} from DevEUI ${devices[0].devEui}`;
  const files = [
    ["#provision-manifest", `manifest-${name}.csv`, manifest(devices), "text/csv"],
    ["#provision-labels", `labels-${name}.html`, sheet(devices, labels, title), "text/html"],
  ];
  for (const [selector, fileName, text, type] of files) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    urls.push(url);
    const link = $(selector);
    link.href = url;
    link.download = fileName;
  }
  $("#provision-downloads").hidden = false;
}
