import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

/** One file of a zip archive, decompressed. */
export interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly content: Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * Reads every file of a (non-Zip64) zip archive such as a Lambda deployment package, so tests need no `unzip`
 * binary. Sizes and offsets come from the central directory, which stays right when entries use data descriptors.
 * Format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (sections 4.3.7, 4.3.12, 4.3.16).
 */
export async function readZipEntries(path: string): Promise<ZipEntry[]> {
  const zip = await readFile(path);
  const end = findEndOfCentralDirectory(zip, path);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error(`${path}: bad central directory header at byte ${offset}`);
    }
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;

    if (zip.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) {
      throw new Error(`${path}: bad local header for ${name}`);
    }
    const dataStart =
      localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    const content = method === DEFLATED ? inflateRawSync(data) : method === STORED ? Buffer.from(data) : null;
    if (content === null) throw new Error(`${path}: ${name} uses compression method ${method}`);
    if (content.length !== size)
      throw new Error(`${path}: ${name} inflated to ${content.length}, not ${size}`);
    entries.push({ name, compressedSize, content });
  }
  return entries;
}

function findEndOfCentralDirectory(zip: Buffer, path: string): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end of the file.
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset -= 1) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  throw new Error(`${path} is not a zip archive (no end of central directory record)`);
}
