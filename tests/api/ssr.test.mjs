// The public offer page as the server sends it: <title>, meta description and schema.org
// JobPosting JSON-LD in the HTML, escaped against injection; 404 for offers that are not
// published. Runs a second server on the shared database with a small web directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, stopServer, ARTIFACTS_DIR } from '../support/stack.mjs';
import { API, BIN, DB_URL, demo } from './_lib.mjs';

const TEMPLATE = `<!doctype html>
<html lang="ja">
  <head>
    <meta charset="utf-8" />
    <meta name="description" content="generic description" />
    <title>ナースセンター</title>
  </head>
  <body><div id="app"></div></body>
</html>
`;

let dir, server, logFile;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nccs-ssr-'));
  await writeFile(path.join(dir, 'index.html'), TEMPLATE);
  logFile = path.join(ARTIFACTS_DIR, `server-ssr-${process.pid}.log`);
  server = await startServer({ bin: BIN, dbUrl: DB_URL, listen: '127.0.0.1:0', logFile, args: ['--web', dir] });
});
after(async () => {
  if (server) await stopServer(server, { logFile });
  if (dir) await rm(dir, { recursive: true, force: true });
});

function fiscalYear() {
  const jst = new Date(Date.now() + 9 * 3600 * 1000);
  return jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1;
}

const jsonLd = (html) => {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'JSON-LD present');
  return JSON.parse(m[1]);
};

test('a published offer: title, description and JobPosting JSON-LD in the HTML', async () => {
  const no = `13-${fiscalYear()}-000001`;
  const r = await fetch(`${server.baseUrl}/offers/${no}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  const html = await r.text();
  const api = await (await fetch(`${server.baseUrl}${API}/offers/${no}`)).json();
  const title = api.offer.body.title;
  assert.ok(html.includes(`<title>${title}｜${api.offer.facility.name}`), html.slice(0, 400));
  assert.equal((html.match(/<title>/g) || []).length, 1, 'one title');
  assert.ok(!html.includes('generic description'), 'the generic description is replaced');
  assert.match(html, new RegExp(`<meta name="description" content="[^"]*${no}`));
  const ld = jsonLd(html);
  assert.equal(ld['@type'], 'JobPosting');
  assert.equal(ld.title, title);
  assert.equal(ld.identifier.value, no);
  assert.equal(ld.hiringOrganization.name, api.offer.facility.name);
  assert.equal(ld.jobLocation.address.addressCountry, 'JP');
  assert.equal(ld.baseSalary.currency, 'JPY');
  assert.equal(ld.baseSalary.value.minValue, api.offer.body.wage.base_min);
  assert.match(ld.validThrough, /^\d{4}-\d{2}-\d{2}$/);
});

test('not published or unknown: 404 with the plain app', async () => {
  for (const no of [`13-${fiscalYear()}-999999`, 'nonsense', '13-2026-00000%3Cb%3E']) {
    const r = await fetch(`${server.baseUrl}/offers/${no}`);
    assert.equal(r.status, 404, no);
    const html = await r.text();
    assert.ok(html.includes('<title>ナースセンター</title>'), no);
    assert.ok(!html.includes('application/ld+json'), no);
  }
});

test('hostile text in an offer is escaped in the title, description and JSON-LD', async () => {
  const fac = await demo('facility13');
  const counselor = await demo('counselor13');
  const me = await fac.me();
  const fid = me.json.user.facility_id;
  const mine = await fac.get(`${API}/facilities/${fid}/offers`);
  const published = mine.json.items.find((o) => o.status === 'published');
  const base = (await fac.get(`${API}/job-offers/${published.id}`)).json.offer.body;
  const evil = '</script><script>alert(1)</script>"<b>&';
  const created = await fac.req('POST', `${API}/facilities/${fid}/offers`, {
    json: { ...base, title: `看護師 ${evil}`, duties: { ...base.duties, description: `病棟 ${evil}` } },
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.offer.id;
  assert.equal((await fac.req('POST', `${API}/job-offers/${id}/submit`)).status, 200);
  const pub = await counselor.req('POST', `${API}/job-offers/${id}/review`, { json: { decision: 'publish' } });
  assert.equal(pub.status, 200, pub.text);
  const no = pub.json.offer.offer_no;
  const html = await (await fetch(`${server.baseUrl}/offers/${no}`)).text();
  assert.ok(!html.includes('<script>alert(1)'), 'no executable script injected');
  assert.ok(!html.includes('<b>'), 'no markup injected');
  assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&lt;b&gt;&amp;'), 'escaped in the title');
  assert.equal((html.match(/<\/script>/g) || []).length, 1, 'only the JSON-LD block closes a script');
  const ld = jsonLd(html);
  assert.ok(ld.title.endsWith(evil), 'the JSON-LD keeps the text exactly');
  const close = await fac.req('POST', `${API}/job-offers/${id}/close`, { json: { reason: 'withdrawn' } });
  assert.equal(close.status, 200);
  assert.equal((await fetch(`${server.baseUrl}/offers/${no}`)).status, 404, 'closed offers are gone');
});
