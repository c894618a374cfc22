// Reading QR codes in the page with html5-qrcode (vendor/html5-qrcode.min.js): from the camera, or from a photo.
// Only the text is read here; what it means is the server's to say (POST /api/v1/qr/parse).

function library() {
  const lib = window.__Html5QrcodeLibrary__;
  if (!lib) throw new Error("The QR code reader (vendor/html5-qrcode.min.js) did not load.");
  return lib;
}

function newReader(elementId) {
  const { Html5Qrcode, Html5QrcodeSupportedFormats } = library();
  // QR codes only: a TR005 label is a QR code, and fewer formats decode each frame faster.
  return new Html5Qrcode(elementId, { formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE], verbose: false });
}

/** The camera in element `elementId`: start() resolves with the first text read, or null when stopped. */
export class CameraScanner {
  constructor(elementId) {
    this.elementId = elementId;
    this.reader = null;
    this.finish = null;
  }

  get running() { return this.reader !== null; }

  async start() {
    await this.stop();
    const reader = newReader(this.elementId);
    this.reader = reader;
    const first = new Promise((resolve) => { this.finish = resolve; });
    try {
      await reader.start(
        { facingMode: "environment" }, // the back camera of a phone; any camera elsewhere
        { fps: 10 },
        (text) => { this.done(text); },
        () => { /* no code in this frame: keep looking */ });
    } catch (error) {
      this.reader = null;
      this.finish = null;
      throw new Error(cameraProblem(error));
    }
    const text = await first;
    await this.release(reader);
    return text;
  }

  async stop() { this.done(null); }

  done(text) {
    const finish = this.finish;
    this.finish = null;
    if (finish) finish(text);
  }

  async release(reader) {
    if (this.reader === reader) this.reader = null;
    try {
      if (reader.isScanning) await reader.stop();
      reader.clear();
    } catch {
      // Already stopped (the page was left mid-scan): nothing to release.
    }
  }
}

/** The text of the QR code in an image file, or an Error saying there is none. */
export async function readImage(elementId, file) {
  const reader = newReader(elementId);
  try {
    return await reader.scanFile(file, false);
  } catch {
    throw new Error("No QR code could be read in this image. Try a sharper photo, straight on, with the whole code in it.");
  } finally {
    try { reader.clear(); } catch { /* nothing was drawn */ }
  }
}

function cameraProblem(error) {
  const text = String(error && (error.name || error.message || error));
  if (/NotAllowed|Permission/i.test(text)) return "The camera may not be used: allow it for this site, or upload a photo of the QR code instead.";
  if (/NotFound|Overconstrained|no camera/i.test(text)) return "No camera was found: upload a photo of the QR code instead.";
  if (/NotReadable|in use/i.test(text)) return "The camera is in use by another application.";
  return "The camera could not be started: upload a photo of the QR code instead.";
}
