// The REST API v1 as the console calls it: the bearer key of the session, JSON in and out, problems as ApiError.

const KEY_STORAGE = "custodian.apiKey";
const ME_STORAGE = "custodian.me";

/** A problem answer (RFC 7807) of the server: `code` is the stable error code, `retryAfter` seconds on a 429. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = problem.code || "";
    this.detail = problem.detail || "";
    this.retryAfter = Number.isFinite(problem.retryAfter) ? problem.retryAfter : null;
  }
}

export const session = {
  // sessionStorage: the key lives as long as this tab, never on disk beyond it, never in another tab.
  get key() { return sessionStorage.getItem(KEY_STORAGE); },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  },
  /** GET /me of the key: {tenant:{id,name}, apiKey:{id,name}, rights[]}, or null. */
  get me() {
    try { return JSON.parse(sessionStorage.getItem(ME_STORAGE)); } catch { return null; }
  },
  set me(value) {
    if (value) sessionStorage.setItem(ME_STORAGE, JSON.stringify(value));
    else sessionStorage.removeItem(ME_STORAGE);
  },
  /** Whether the signed-in key holds a right (admin holds every one). */
  can(right) {
    const rights = this.me?.rights || [];
    return rights.includes("admin") || rights.includes(right);
  },
};

/** Sends a request; answers the parsed JSON (null for 204), or throws ApiError. */
export async function request(method, path, { body, key = session.key, signal } = {}) {
  const response = await send(method, path, { body, key, signal });
  if (response.status === 204) return null;
  return response.json();
}

/** Sends a request and answers the Response itself (for streams and files), or throws ApiError. */
export async function send(method, path, { body, key = session.key, signal, contentType } = {}) {
  const headers = { Accept: "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  let payload;
  if (body instanceof Blob || typeof body === "string") {
    payload = body;
    headers["Content-Type"] = contentType || "application/octet-stream";
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(`/api/v1${path}`, { method, headers, body: payload, signal });
  if (!response.ok) throw new ApiError(response.status, await readProblem(response));
  return response;
}

async function readProblem(response) {
  const text = await response.text();
  try {
    const problem = JSON.parse(text);
    if (problem && typeof problem === "object") {
      if (problem.retryAfter == null) problem.retryAfter = Number(response.headers.get("Retry-After")) || null;
      return problem;
    }
  } catch {
    // Not JSON (a proxy's page, say): the status alone says what happened.
  }
  return { title: `HTTP ${response.status}`, detail: "" };
}
