/** The script tag's weight: raw, gzip -9 and brotli (quality 11) bytes of `sdk/dist/lb.js`. */
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { REPO_ROOT } from './processes.ts';

export function measureScriptSize(): { raw: number; gzip: number; brotli: number } | null {
  const file = `${REPO_ROOT}sdk/dist/lb.js`;
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  return {
    raw: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).byteLength,
  };
}
