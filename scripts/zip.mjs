// Reads back a ZIP archive such as the SCORM package (written by www/scorm-package.js), for
// the tests: every header, size and CRC-32 checked, with Node's zlib to inflate.

import { inflateRawSync } from "node:zlib";
import { crc32 } from "../www/scorm-package.js";

export { crc32 };

const STORED = 0;
const DEFLATED = 8;

/**
 * Reads a ZIP archive (any without ZIP64, encryption or data
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
