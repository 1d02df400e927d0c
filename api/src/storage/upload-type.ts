import { inflateRawSync } from 'node:zlib';

/** The types evidence may be, by what their bytes say. */
export const UPLOAD_TYPES = {
  PDF: { contentType: 'application/pdf', extensions: ['pdf'] },
  XLSX: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  PNG: { contentType: 'image/png', extensions: ['png'] },
  JPEG: { contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
} as const;
export type UploadType = keyof typeof UPLOAD_TYPES;

/** Why bytes are refused; each has its Refusal of the same name in errors.ts. */
export type UploadProblem = 'EVIDENCE_EMPTY' | 'EVIDENCE_TOO_LARGE' | 'EVIDENCE_TYPE_UNSUPPORTED' | 'EVIDENCE_TYPE_MISMATCH' | 'EVIDENCE_ACTIVE_CONTENT' | 'EVIDENCE_ARCHIVE_SUSPICIOUS';

export class UploadRefused extends Error {
  constructor(
    readonly problem: UploadProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface ArchiveLimits {
  /** The most every entry together may unpack to. */
  maxUnpackedBytes: number;
  /** The most one entry may grow when unpacked. */
  maxRatio: number;
}

const startsWith = (bytes: Buffer, signature: number[]) => signature.every((b, i) => bytes[i] === b);

// Markup a browser would run or render: refused in any file, even one whose first bytes say otherwise
// (a polyglot), because a sniffing client could still take the file for a page.
const MARKUP = /<\s*(script|html|svg|iframe|object|embed|body|head|meta|!doctype)\b|javascript:/i;

/**
 * The entries of a ZIP archive, read from its central directory only (nothing is unpacked): their
 * names and the sizes they declare. Refused when the directory is missing or malformed, uses ZIP64
 * (a spreadsheet of evidence never needs it), or declares more than the limits allow.
 */
export function zipEntries(bytes: Buffer, limits: ArchiveLimits): Array<{ name: string; compressed: number; unpacked: number }> {
  const bad = (why: string) => new UploadRefused('EVIDENCE_ARCHIVE_SUSPICIOUS', `The spreadsheet’s archive is refused: ${why}`);
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= from; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw bad('no central directory');
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  const offset = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw bad('ZIP64');
  if (offset + size > end) throw bad('the central directory lies outside the file');
  if (count > 10_000) throw bad('too many entries');
  const entries: Array<{ name: string; compressed: number; unpacked: number }> = [];
  let total = 0;
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== 0x02014b50) throw bad('a malformed central directory');
    const compressed = bytes.readUInt32LE(at + 20);
    const unpacked = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    if (compressed === 0xffffffff || unpacked === 0xffffffff) throw bad('ZIP64');
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    total += unpacked;
    if (total > limits.maxUnpackedBytes) throw bad(`it says it unpacks to more than ${limits.maxUnpackedBytes} bytes`);
    // Small parts compress well by nature; past 1 MB unpacked, a ratio above the limit is a bomb's mark.
    if (unpacked > 1024 * 1024 && unpacked > limits.maxRatio * Math.max(compressed, 1)) throw bad(`${name} grows more than ${limits.maxRatio} times`);
    entries.push({ name, compressed, unpacked });
    at += 46 + skip;
  }
  return entries;
}

/**
 * Unpacks one entry of a ZIP archive whose central directory `zipEntries` accepted, stopping at the
 * size it declared: a part that lies about its size cannot grow past it.
 */
export function unpackEntry(bytes: Buffer, name: string, limits: ArchiveLimits): Buffer | null {
  const entry = zipEntries(bytes, limits).find((e) => e.name === name);
  if (!entry) return null;
  let at = 0;
  while ((at = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), at)) >= 0) {
    const nameLength = bytes.readUInt16LE(at + 26);
    if (bytes.subarray(at + 30, at + 30 + nameLength).toString('utf8') === name) {
      const method = bytes.readUInt16LE(at + 8);
      const start = at + 30 + nameLength + bytes.readUInt16LE(at + 28);
      const data = bytes.subarray(start, start + entry.compressed);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(entry.unpacked, 1) });
      throw new UploadRefused('EVIDENCE_ARCHIVE_SUSPICIOUS', `${name} is packed in an unknown way`);
    }
    at += 4;
  }
  return null;
}

/** What the bytes are, by their first bytes and (for a spreadsheet) the archive's parts; never by a name. */
export function sniff(bytes: Buffer, limits: ArchiveLimits): UploadType {
  if (bytes.length === 0) throw new UploadRefused('EVIDENCE_EMPTY', 'The file is empty');
  const head = bytes.subarray(0, 1024).toString('latin1');
  if (MARKUP.test(head)) throw new UploadRefused('EVIDENCE_ACTIVE_CONTENT', 'The file holds web markup or script, which is never taken');
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'PDF';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'PNG';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'JPEG';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const names = new Set(zipEntries(bytes, limits).map((e) => e.name));
    if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) return 'XLSX';
  }
  throw new UploadRefused('EVIDENCE_TYPE_UNSUPPORTED', 'Only PDF, XLSX, PNG and JPEG files are taken');
}

/**
 * Checks an upload: its size, what its bytes are, and that neither its name's extension nor the
 * type its sender declared claims anything else (a file lying about its type is refused).
 */
export function checkUpload(bytes: Buffer, claim: { fileName: string; declaredType?: string | null }, limits: ArchiveLimits & { maxBytes: number }): UploadType {
  if (bytes.length > limits.maxBytes) throw new UploadRefused('EVIDENCE_TOO_LARGE', `The file is larger than ${limits.maxBytes} bytes`);
  const type = sniff(bytes, limits);
  const extension = /\.([a-z0-9]+)$/i.exec(claim.fileName)?.[1]?.toLowerCase();
  const declared = claim.declaredType?.split(';')[0].trim().toLowerCase();
  const expected = UPLOAD_TYPES[type];
  if (!extension || !(expected.extensions as readonly string[]).includes(extension)) {
    throw new UploadRefused('EVIDENCE_TYPE_MISMATCH', `The file is ${type}, but its name says otherwise`);
  }
  if (declared && declared !== 'application/octet-stream' && declared !== expected.contentType) {
    throw new UploadRefused('EVIDENCE_TYPE_MISMATCH', `The file is ${type}, but it was declared ${declared}`);
  }
  return type;
}
