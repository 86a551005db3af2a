// Fetches every query URL once (sequentially; this also warms the server) and compares the
// answer's total with the in-process index's. Usage: node check_http.mjs BASE_URL URL_FILE
import { readFileSync } from 'node:fs';

const [base, file] = process.argv.slice(2);
const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
let bad = 0, errors = 0;
const t0 = performance.now();
for (const line of lines) {
  const [path, total] = line.split('\t');
  const res = await fetch(base + path);
  if (res.status !== 200) {
    errors++;
    if (errors <= 3) console.log(`  HTTP ${res.status} for ${path}: ${await res.text()}`);
    continue;
  }
  const body = await res.json();
  if (String(body.total) !== total) {
    bad++;
    if (bad <= 3) console.log(`  total ${body.total} != ${total} for ${path}`);
  }
}
const ms = performance.now() - t0;
console.log(`  ${lines.length} URLs checked over HTTP in ${(ms / 1000).toFixed(1)} s: ` +
  `${errors} errors, ${bad} totals differing from the in-process index`);
process.exit(errors || bad ? 1 : 0);
