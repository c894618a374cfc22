// Claim a device: from the camera, a photo, or typed; the outcome said plainly.
import { ApiError, request, send } from "./api.js";
import { claimRefusal, plain } from "./problems.js";
import { CameraScanner, readImage } from "./qr-reader.js";
import { $, say } from "./dom.js";

const HOME_NET_ID = "custodian.homeNetId";

const camera = new CameraScanner("camera");

export function init() {
  const form = $("#claim-form");
  const homeNetId = $("#claim-home-net-id");
  homeNetId.value = localStorage.getItem(HOME_NET_ID) || "";
  form.addEventListener("submit", (event) => { event.preventDefault(); claim(form); });
  $("#scan-start").addEventListener("click", scan);
  $("#scan-stop").addEventListener("click", () => camera.stop());
  $("#qr-image").addEventListener("change", (event) => upload(event.target));
}

/** On sign-out: nothing of the last user stays on screen. */
export async function reset() {
  await camera.stop();
  for (const name of ["joinEui", "devEui", "claimCode"]) $("#claim-form").elements[name].value = "";
  outcome("", "");
  showDevice(null);
}

let photoUrl = null;

/** What the Device Repository says the scanned device is (vendor, model, region, photo), before it is claimed. */
async function showDevice(device) {
  const figure = $("#claim-device");
  const photo = $("#claim-device-photo");
  if (photoUrl) URL.revokeObjectURL(photoUrl);
  photoUrl = null;
  photo.hidden = true;
  photo.removeAttribute("src");
  figure.hidden = !device;
  if (!device) return;
  const details = [device.firmwareVersion && `firmware ${device.firmwareVersion}`,
    device.hardwareVersion && `hardware ${device.hardwareVersion}`, device.region].filter(Boolean).join(", ");
  $("#claim-device-text").textContent = `${device.vendorName} ${device.model}`
    + (device.description ? `: ${device.description}` : "") + (details ? ` (${details})` : "") + ".";
  if (!device.photo) return;
  try {
    // The photo needs the API key, which an <img> cannot send: fetched here and shown from a blob.
    const response = await send("GET", device.photo.replace(/^\/api\/v1/, ""));
    photoUrl = URL.createObjectURL(await response.blob());
    photo.src = photoUrl;
    photo.alt = `${device.vendorName} ${device.model}`;
    photo.hidden = false;
  } catch {
    // No photo is no loss: the name is shown.
  }
}

export async function leave() { await camera.stop(); }

function outcome(status, error) { say($("#claim-status"), status); say($("#claim-error"), error); }

async function scan() {
  outcome("Point the camera at the QR code on the device's label.", "");
  const view = $("#camera");
  view.hidden = false;
  setScanning(true);
  try {
    const text = await camera.start();
    if (text !== null) await fill(text);
    else outcome("", "");
  } catch (error) {
    outcome("", error.message);
  } finally {
    setScanning(false);
    view.hidden = true;
  }
}

function setScanning(on) {
  $("#scan-start").hidden = on;
  $("#scan-stop").hidden = !on;
  if (on) $("#scan-stop").focus();
}

async function upload(input) {
  const file = input.files && input.files[0];
  input.value = ""; // the same photo may be chosen again
  if (!file) return;
  outcome("Reading the QR code in the image…", "");
  try {
    await fill(await readImage("qr-file-reader", file));
  } catch (error) {
    outcome("", error.message);
  }
}

/** Fills the fields from a QR text, as the server reads it (every format it knows, not just TR005). */
async function fill(text) {
  let code;
  try {
    code = await request("POST", "/qr/parse", { body: { qr: text } });
  } catch (error) {
    outcome("", error instanceof ApiError && error.code === "invalid_field"
      ? "This QR code is not a LoRaWAN device label (TR005) this server can read."
      : plain(error));
    return;
  }
  const fields = $("#claim-form").elements;
  showDevice(code.device || null);
  fields.joinEui.value = code.joinEui || "";
  fields.devEui.value = code.devEui || "";
  fields.claimCode.value = code.claimCode || "";
  const missing = [!code.joinEui && "JoinEUI", !code.claimCode && "claim code"].filter(Boolean);
  const what = code.device ? `${code.device.vendorName} ${code.device.model}, DevEUI` : "DevEUI";
  outcome(
    `Read the label of ${what} ${code.devEui}.` + (missing.length ? ` It has no ${missing.join(" or ")}: type it in.` : " Press Claim to claim it."),
    "");
  (missing.length ? fields[code.joinEui ? "claimCode" : "joinEui"] : $("#claim-form button[type=submit]")).focus();
}

// Labels and other consoles write EUIs as 00-18-B2-…, 00:18:b2:… or with spaces: the API takes the bare hex.
function eui(text) { return text.replace(/[\s:-]/g, "").toUpperCase(); }

function read(form) {
  const value = (name) => form.elements[name].value.trim();
  return {
    joinEui: eui(value("joinEui")),
    devEui: eui(value("devEui")),
    claimCode: value("claimCode"),
    homeNetId: value("homeNetId").toUpperCase(),
    homeNsId: value("homeNsId") || undefined,
    asId: value("asId") || undefined,
  };
}

function missingField(claim) {
  if (!claim.joinEui) return ["joinEui", "Type the JoinEUI (16 hexadecimal characters, on the label)."];
  if (!claim.devEui) return ["devEui", "Type the DevEUI (16 hexadecimal characters, on the label)."];
  if (!claim.claimCode) return ["claimCode", "Type the claim code (on the label, or given with the device)."];
  if (!claim.homeNetId) return ["homeNetId", "Type the NetID of the network that will serve the device (6 hexadecimal characters)."];
  return null;
}

async function claim(form) {
  const asked = read(form);
  const missing = missingField(asked);
  if (missing) {
    outcome("", missing[1]);
    form.elements[missing[0]].focus();
    return;
  }
  localStorage.setItem(HOME_NET_ID, asked.homeNetId);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  outcome("Claiming…", "");
  try {
    const status = await request("POST", "/claims", { body: asked });
    const home = status.homeNsId ? `${status.homeNetId} (NSID ${status.homeNsId})` : status.homeNetId;
    outcome(`Claimed: device ${status.devEui} is yours, on home network ${home}.`, "");
    form.elements.claimCode.value = "";
  } catch (error) {
    outcome("", error instanceof ApiError ? claimRefusal(error, asked) : plain(error));
  } finally {
    button.disabled = false;
  }
}
