// Small DOM helpers shared by the views.

export const $ = (selector, root = document) => root.querySelector(selector);

/** Puts a sentence into a live region (role=status or alert), so assistive technology reads it out. */
export function say(region, text) { region.textContent = text || ""; }

/** An element with text content and attributes, e.g. el("td", "0018B2…", { class: "eui" }). */
export function el(tag, text, attributes = {}) {
  const element = document.createElement(tag);
  if (text !== undefined && text !== null) element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** A timestamp of the API (ISO 8601) in the reader's locale, or `none` when absent. */
export function when(iso, none = "Never") {
  return iso ? new Date(iso).toLocaleString() : none;
}
