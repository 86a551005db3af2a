// Starts a throw-away PostgreSQL (tests/support/pg.mjs: loopback only, fsync off), writes its
// URL to the file named by the first argument, and stops it (removing its directory) on SIGTERM
// or SIGINT. Used by bench/search/run.sh.
import { writeFileSync } from 'node:fs';
import { startPostgres } from '../../tests/support/pg.mjs';

const out = process.argv[2];
const pg = await startPostgres({ database: 'nccs_bench' });
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
writeFileSync(out, pg.url + '\n');
setInterval(() => {}, 1 << 30);
