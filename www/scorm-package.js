// The SCORM 1.2 package: imsmanifest.xml (one organization, one item, one resource that is a
// SCO), the launch link, checked, and a small ZIP writer (PKWARE's APPNOTE: local headers, a
// central directory and its end record; no ZIP64) with a CRC-32 of our own. Plain JavaScript,
// so that `make dist` (scripts/dist.mjs, deflating with Node's zlib) and the Embed dialog's
// download (www/share.js, deflating with the browser's CompressionStream) write the same
// package. The page's side of SCORM is www/scorm.js.

/** The page's files in the package (paths from the folder that holds index.html). */
export const PACKAGE_FILES = ["index.html", "www/app.js", "www/app.css", "www/favicon.svg", "www/pkg/backprop_lab_bg.wasm", "www/pkg/backprop_lab_scalar_bg.wasm"];
/** What is launched when SCORM_LAUNCH is not set: the practice panel alone, framed. */
export const DEFAULT_LAUNCH = "?panel=practice&embed=1";
/** The longest launch link accepted (learning platforms store the href in short columns). */
export const MAX_LAUNCH = 1000;

const escapeXml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * Checks the launch link's query (`?panel=practice&q=2b`): it must start with "?", name a
 * panel that exists (`panels`), and be short. Returns the query written out again by
 * URLSearchParams (so it holds only URL-safe characters), or throws with the reason.
 */
export function launchQuery(text, panels) {
  if (!text.startsWith("?")) throw new Error(`SCORM_LAUNCH must start with "?" (such as ${DEFAULT_LAUNCH}); it is ${JSON.stringify(text)}`);
  const params = new URLSearchParams(text);
  const panel = params.get("panel");
  if (panel !== null && !panels.includes(panel)) throw new Error(`SCORM_LAUNCH names panel=${panel}; the panels are ${panels.join(", ")}`);
  const query = `?${params.toString()}`;
  if (query.length > MAX_LAUNCH) throw new Error(`SCORM_LAUNCH is ${query.length} characters long; at most ${MAX_LAUNCH}`);
  return query;
}

/** A title for the package from its launch link: "Backprop Lab: practice 2b" and the like. */
export function launchTitle(query) {
  const params = new URLSearchParams(query);
  const bits = [params.get("panel"), params.get("q"), params.get("goal") && `goal ${params.get("goal")}`].filter(Boolean);
  return bits.length ? `Backprop Lab: ${bits.join(" ")}` : "Backprop Lab";
}

/** imsmanifest.xml for the page at index.html launched with `query`, listing `files`. */
export function scormManifest({ query, title, files, identifier = "backprop-lab" }) {
  const list = files.map((file) => `      <file href="${escapeXml(file)}"/>`).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${escapeXml(identifier)}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="${escapeXml(identifier)}-organization">
    <organization identifier="${escapeXml(identifier)}-organization">
      <title>${escapeXml(title)}</title>
      <item identifier="${escapeXml(identifier)}-item" identifierref="${escapeXml(identifier)}-page" isvisible="true">
        <title>${escapeXml(title)}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="${escapeXml(identifier)}-page" type="webcontent" adlcp:scormtype="sco" href="${escapeXml(`index.html${query}`)}">
${list}
    </resource>
  </resources>
</manifest>
`;
}

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** The CRC-32 (the polynomial ZIP and gzip use) of `bytes`. */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i += 1) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const STORED = 0;
const DEFLATED = 8;
/** Bit 11 of the flags: the names are UTF-8. */
const UTF8 = 0x0800;
const VERSION = 20;
const MAX_ENTRIES = 0xffff;
const MAX_SIZE = 0xffffffff;

/**
 * A ZIP archive (Uint8Array) of `entries` ([{ name, data }], data a Uint8Array or a string),
 * each deflated by `deflateRaw(bytes)` (async or not; raw deflate, RFC 1951) unless that does
 * not make it smaller, or stored when `deflateRaw` is null. Every entry is stamped with
 * `date` (fixed, so the same files give the same archive).
 */
export async function zip(entries, deflateRaw = null, date = new Date(Date.UTC(2026, 0, 1))) {
  if (entries.length > MAX_ENTRIES) throw new Error(`a ZIP without ZIP64 holds at most ${MAX_ENTRIES} entries`);
  const year = Math.min(2107, Math.max(1980, date.getUTCFullYear()));
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day = ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const encoder = new TextEncoder();
  const parts = [];
  const directory = [];
  let offset = 0;
  for (const { name, data } of entries) {
    if (!name || name.startsWith("/") || name.split("/").includes("..")) throw new Error(`not a relative path: ${name}`);
    const raw = typeof data === "string" ? encoder.encode(data) : data;
    const packed = deflateRaw ? new Uint8Array(await deflateRaw(raw)) : null;
    const [method, body] = packed && packed.length < raw.length ? [DEFLATED, packed] : [STORED, raw];
    const nameBytes = encoder.encode(name);
    const crc = crc32(raw);
    if (raw.length > MAX_SIZE || offset > MAX_SIZE) throw new Error("this writer does not make ZIP64 archives");
    // The fields both headers share, from "version needed" to the name's length.
    const shared = (view, at) => {
      view.setUint16(at, VERSION, true);
      view.setUint16(at + 2, UTF8, true);
      view.setUint16(at + 4, method, true);
      view.setUint16(at + 6, time, true);
      view.setUint16(at + 8, day, true);
      view.setUint32(at + 10, crc, true);
      view.setUint32(at + 14, body.length, true);
      view.setUint32(at + 18, raw.length, true);
      view.setUint16(at + 22, nameBytes.length, true);
    };
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    shared(local, 4); // the extra field's length (28) stays 0
    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, VERSION, true); // made by: MS-DOS attributes, version 2.0
    shared(central, 6); // extra and comment lengths, disk, attributes stay 0
    central.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), nameBytes, body);
    directory.push(new Uint8Array(central.buffer), nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directorySize = directory.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, directorySize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...directory, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of all) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The package: imsmanifest.xml for `query` and the page's files, `read(path)` giving each one's bytes. */
export async function scormPackage({ query, title, read, deflateRaw }) {
  const manifest = scormManifest({ query, title, files: PACKAGE_FILES });
  const files = [];
  for (const name of PACKAGE_FILES) files.push({ name, data: await read(name) });
  return zip([{ name: "imsmanifest.xml", data: manifest }, ...files], deflateRaw);
}
