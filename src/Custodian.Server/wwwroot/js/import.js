// Import a claim file: the server reads it (the CLI's readers) and claims it in batches, answering NDJSON while it
// runs; this view shows the progress, a table of the rows, and builds the report (dev_eui,status,error) from them.
import { ApiError, send } from "./api.js";
import { claimRefusal, plain } from "./problems.js";
import { $, el, say } from "./dom.js";

const HOME_NET_ID = "custodian.homeNetId";
// Beyond this many rows the table shows only the failed ones: the report has every row.
const TABLE_LIMIT = 1000;

let reportUrl = null;
let running = null; // the AbortController of the import under way

export function init() {
  $("#import-form").addEventListener("submit", (event) => { event.preventDefault(); run($("#import-form")); });
  $("#import-cancel").addEventListener("click", () => running?.abort());
}

export async function enter() {
  const homeNetId = $("#import-home-net-id");
  if (!homeNetId.value) homeNetId.value = localStorage.getItem(HOME_NET_ID) || "";
}

export async function reset() {
  running?.abort();
  $("#import-form").reset();
  clear();
}

function clear() {
  say($("#import-status"), "");
  say($("#import-error"), "");
  $("#import-results tbody").replaceChildren();
  $("#import-caption").textContent = "Results by row";
  setProgress(0, 1);
  if (reportUrl) URL.revokeObjectURL(reportUrl);
  reportUrl = null;
  $("#import-report").hidden = true;
}

function setProgress(done, total) {
  const bar = $("#import-progress");
  bar.max = Math.max(total, 1);
  bar.value = Math.min(done, bar.max);
}

async function run(form) {
  const file = form.elements.file.files[0];
  const home = {
    homeNetId: form.elements.homeNetId.value.trim().toUpperCase(),
    homeNsId: form.elements.homeNsId.value.trim(),
    asId: form.elements.asId.value.trim(),
  };
  clear();
  if (!file) return refuse("Choose a claim file (CSV or JSON).", form.elements.file);
  if (!home.homeNetId) return refuse("Type the NetID of the network that will serve the devices (6 hexadecimal characters).", form.elements.homeNetId);
  localStorage.setItem(HOME_NET_ID, home.homeNetId);

  const query = new URLSearchParams({ homeNetId: home.homeNetId, name: file.name });
  if (home.homeNsId) query.set("homeNsId", home.homeNsId);
  if (home.asId) query.set("asId", home.asId);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const cancel = $("#import-cancel");
  cancel.hidden = false;
  running = new AbortController();
  const { signal } = running;
  say($("#import-status"), `Importing ${file.name}…`);
  const rows = [];
  try {
    const response = await send("POST", `/claims/import?${query}`, { body: file, contentType: "text/plain", signal });
    for await (const line of lines(response.body, signal)) handle(line, rows, home);
  } catch (error) {
    if (signal.aborted) {
      cancelled(rows);
      return;
    }
    say($("#import-status"), "");
    // invalid_request is the file itself (no usable header, broken JSON): the server's words name the problem and line.
    say($("#import-error"), !(error instanceof ApiError) ? plain(error)
      : `The file was not imported: ${error.code === "invalid_request" ? error.detail : plain(error)}`);
  } finally {
    button.disabled = false;
    cancel.hidden = true;
    running = null;
    if (rows.length > 0) offerReport(rows, file.name);
  }
}

/** Stopped by Cancel: the rows the server answered are done (claims are not undone); the rest were not tried. */
function cancelled(rows) {
  const claimed = rows.filter((row) => row.status === "claimed").length;
  const already = rows.filter((row) => row.status === "already-claimed").length;
  say($("#import-status"), "");
  say($("#import-error"), `Import cancelled after ${rows.length} rows: ${claimed} claimed, ${already} already yours, `
    + `${rows.length - claimed - already} failed. Those claims stay; import the file again to finish the rest.`);
  showTable(rows);
}

function refuse(message, field) {
  say($("#import-error"), message);
  field.focus();
}

/** The NDJSON answer, one parsed line at a time, as it arrives. */
async function* lines(body, signal) {
  const reader = body.pipeThrough(new TextDecoderStream(), { signal }).getReader();
  let pending = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    let end;
    while ((end = pending.indexOf("\n")) >= 0) {
      const text = pending.slice(0, end).trim();
      pending = pending.slice(end + 1);
      if (text) yield JSON.parse(text);
    }
  }
  if (pending.trim()) yield JSON.parse(pending);
}

function handle(line, rows, home) {
  if (line.progress) {
    setProgress(line.progress.done, line.progress.total);
    say($("#import-status"), `Imported ${line.progress.done} of ${line.progress.total} rows…`);
  } else if (line.summary) {
    const s = line.summary;
    setProgress(s.total, s.total);
    say($("#import-status"), `Done: ${s.claimed} claimed, ${s.alreadyClaimed} already yours, ${s.failed} failed, of ${s.total} rows.`);
    showTable(rows);
  } else if (line.line !== undefined) {
    // A row (a failed one has an error too, so rows are told apart by their line first).
    rows.push({ ...line, reason: line.error ? reason(line.error, home) : "" });
    if (rows.length <= TABLE_LIMIT) $("#import-results tbody").append(tableRow(rows[rows.length - 1]));
  } else if (line.error) {
    say($("#import-error"), `The import stopped: ${line.error.detail || line.error.title}`);
  }
}

/** Why a row failed, in the words a single claim would get, without the "Not claimed:" every row would repeat. */
function reason(problem, home) {
  const error = new ApiError(problem.status || 400, problem);
  if (error.code === "invalid_field" || error.code === "invalid_request") return error.detail;
  return claimRefusal(error, home).replace(/^Not claimed: /, "").replace(/^./, (c) => c.toUpperCase());
}

const RESULTS = { claimed: "Claimed", "already-claimed": "Already yours", failed: "Failed" };

function tableRow(row) {
  const tr = el("tr", null, row.status === "failed" ? { class: "error" } : {});
  tr.append(
    el("td", String(row.line)),
    el("td", row.devEui || "—"),
    el("td", row.reason ? `${RESULTS[row.status]}: ${row.reason}` : RESULTS[row.status] || row.status));
  return tr;
}

/** A long import shows only its failed rows once done; a short one shows every row. */
function showTable(rows) {
  if (rows.length <= TABLE_LIMIT) {
    $("#import-caption").textContent = `Results by row: ${rows.length} rows.`;
    return;
  }
  const failed = rows.filter((row) => row.status === "failed");
  $("#import-results tbody").replaceChildren(...failed.slice(0, TABLE_LIMIT).map(tableRow));
  $("#import-caption").textContent = `Failed rows: ${failed.length} of ${rows.length} (the report has every row).`;
}

function csvField(text) {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The report the CLI writes (dev_eui,status,error, one line per row in file order), built here from the rows. */
function offerReport(rows, fileName) {
  const lines = ["dev_eui,status,error"];
  for (const row of rows) {
    const error = row.error ? `line ${row.line}: ${row.reason}` : "";
    lines.push([row.devEui || "", row.status, error].map(csvField).join(","));
  }
  reportUrl = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/csv" }));
  const link = $("#import-report");
  link.href = reportUrl;
  link.download = `${fileName.replace(/\.[^.]*$/, "")}-report.csv`;
  link.hidden = false;
}
