// Writes precompressed siblings (.gz and .br) next to every compressible
// file in the build output, so `nccs serve` can send them when the client
// accepts them. Uses only node's zlib. Usage: node scripts/compress.mjs dist
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = process.argv[2] || 'dist';
const exts = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map', '.webmanifest', '.xml']);

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else yield p;
  }
}

let files = 0, raw = 0, gz = 0, br = 0;
for await (const file of walk(root)) {
  if (!exts.has(extname(file))) continue;
  const data = await readFile(file);
  const g = gzipSync(data, { level: 9 });
  const b = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  await writeFile(file + '.gz', g);
  await writeFile(file + '.br', b);
  files++; raw += data.length; gz += g.length; br += b.length;
}
console.log(`compress: ${files} files, ${raw} bytes raw, ${gz} gzip, ${br} brotli`);
