// A small ZIP writer and reader (PKWARE's APPNOTE: local headers, a central directory and its
// end record; no ZIP64, so at most 65,535 entries and 4 GiB), with Node's own zlib for the
// deflate ("deflate-raw") and a CRC-32 of our own. Used by scripts/dist.mjs for the SCORM
// package, and by the tests to read it back.

import { deflateRawSync, inflateRawSync } from "node:zlib";

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** The CRC-32 (the polynomial ZIP and gzip use) of `bytes`. */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A date as MS-DOS time and date (two seconds' resolution, years 1980–2107). */
function dosTime(date) {
  const year = Math.min(2107, Math.max(1980, date.getUTCFullYear()));
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

const STORED = 0;
const DEFLATED = 8;
/** Bit 11: the names are UTF-8. */
const UTF8 = 0x0800;
const VERSION = 20;
const MAX_ENTRIES = 0xffff;
const MAX_SIZE = 0xffffffff;

/**
 * A ZIP archive of `entries` ([{ name, data }], data a Buffer or string), each deflated
 * unless that would not make it smaller, all stamped with `date` (fixed, so builds repeat).
 */
export function zip(entries, date = new Date(Date.UTC(2026, 0, 1))) {
  if (entries.length > MAX_ENTRIES) throw new Error(`a ZIP without ZIP64 holds at most ${MAX_ENTRIES} entries`);
  const stamp = dosTime(date);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    if (!name || name.startsWith("/") || name.split("/").includes("..")) throw new Error(`not a relative path: ${name}`);
    const raw = Buffer.isBuffer(data) ? data : Buffer.from(data, "utf8");
    const packed = deflateRawSync(raw, { level: 9 });
    const [method, body] = packed.length < raw.length ? [DEFLATED, packed] : [STORED, raw];
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(raw);
    if (raw.length > MAX_SIZE || offset > MAX_SIZE) throw new Error("this writer does not make ZIP64 archives");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(stamp.time, 10);
    local.writeUInt16LE(stamp.date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION, 4); // made by: MS-DOS attributes, version 2.0
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(UTF8, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(stamp.time, 12);
    central.writeUInt16LE(stamp.date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal and external attributes: 0
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Reads a ZIP archive written by `zip` (or any without ZIP64, encryption or data
 * descriptors): [{ name, data, method }], checking every size, name and CRC-32 against both
 * headers. Throws on anything malformed.
 */
export function unzip(archive) {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || endAt + 22 > archive.length) throw new Error("no end of central directory record");
  const count = archive.readUInt16LE(endAt + 10);
  const size = archive.readUInt32LE(endAt + 12);
  let at = archive.readUInt32LE(endAt + 16);
  if (at + size !== endAt) throw new Error("the central directory does not end where its end record starts");
  const files = [];
  for (let i = 0; i < count; i += 1) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`central header ${i} has a wrong signature`);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const packedSize = archive.readUInt32LE(at + 20);
    const rawSize = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const skip = archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const localAt = archive.readUInt32LE(at + 42);
    const name = archive.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + skip;
    if (archive.readUInt32LE(localAt) !== 0x04034b50) throw new Error(`${name}: the local header has a wrong signature`);
    const same = [[8, method, 2], [14, crc, 4], [18, packedSize, 4], [22, rawSize, 4], [26, nameLength, 2]];
    for (const [field, value, width] of same) {
      const local = width === 2 ? archive.readUInt16LE(localAt + field) : archive.readUInt32LE(localAt + field);
      if (local !== value) throw new Error(`${name}: the local header differs from the central one at byte ${field}`);
    }
    if (archive.toString("utf8", localAt + 30, localAt + 30 + nameLength) !== name) throw new Error(`${name}: the names differ`);
    const start = localAt + 30 + nameLength + archive.readUInt16LE(localAt + 28);
    const body = archive.subarray(start, start + packedSize);
    const data = method === DEFLATED ? inflateRawSync(body) : method === STORED ? Buffer.from(body) : null;
    if (data === null) throw new Error(`${name}: unknown method ${method}`);
    if (data.length !== rawSize) throw new Error(`${name}: ${data.length} bytes, the header says ${rawSize}`);
    if (crc32(data) !== crc) throw new Error(`${name}: the CRC-32 does not match`);
    files.push({ name, data, method });
  }
  if (at !== endAt) throw new Error("bytes between the central directory and its end record");
  return files;
}
