// The served OpenAPI document describes exactly the server's route table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../support/stack.mjs';
import { API, client, routes } from './_lib.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// Path part of a server URL ("https://x/api/v1" -> "/api/v1", "/api/v1/" -> "/api/v1").
function serverPath(servers) {
  if (!Array.isArray(servers) || !servers.length) return null;
  let u = String(servers[0].url || '');
  if (/^[a-z]+:\/\//i.test(u)) u = new URL(u).pathname;
  return u.replace(/\/+$/, '');
}

// Template names are irrelevant for matching: /people/{id} == /people/{person_id}.
const norm = (p) => p.replace(/\{[^}]+\}/g, '{}');

// Set of "METHOD /full/path" from an OpenAPI document.
function operations(doc) {
  const out = new Map();
  const rootBase = serverPath(doc.servers) ?? '';
  for (const [p, item] of Object.entries(doc.paths || {})) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const base = serverPath(op.servers) ?? serverPath(item.servers) ?? rootBase;
      // A path that is already absolute from the origin (e.g. /healthz listed with
      // servers: [{url: "/"}]) keeps its own base.
      const full = (base + p).replace(/\/{2,}/g, '/');
      out.set(`${m.toUpperCase()} ${norm(full)}`, { path: p, full, op, item });
    }
  }
  return out;
}

let served;
test('GET /api/v1/openapi.json is OpenAPI 3.1 JSON', async () => {
  const r = await client().get(`${API}/openapi.json`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type'), /^application\/json/);
  served = r.json;
  assert.ok(served && typeof served === 'object', 'body is JSON');
  assert.match(String(served.openapi), /^3\.1\.\d+$/, `openapi version: ${served.openapi}`);
  assert.ok(served.info && served.info.title && served.info.version, 'info.title and info.version');
  assert.equal(served.info.version, '0.1.0', 'info.version is the server version');
  assert.ok(served.paths && Object.keys(served.paths).length > 0, 'has paths');
});

test('served document equals docs/openapi.json', async () => {
  assert.ok(served, 'previous test fetched the document');
  const file = JSON.parse(await readFile(path.join(REPO_ROOT, 'docs', 'openapi.json'), 'utf8'));
  assert.deepEqual(served, file);
});

test('(method, path) set equals `nccs routes` exactly', async () => {
  assert.ok(served, 'previous test fetched the document');
  const table = await routes();
  assert.ok(Array.isArray(table) && table.length > 0, 'nccs routes prints a non-empty array');
  const fromRoutes = new Set();
  for (const r of table) {
    assert.equal(typeof r.method, 'string');
    assert.equal(typeof r.path, 'string');
    assert.ok(Array.isArray(r.roles), `roles array for ${r.method} ${r.path}`);
    const key = `${r.method.toUpperCase()} ${norm(r.path)}`;
    assert.ok(!fromRoutes.has(key), `route listed once: ${key}`);
    fromRoutes.add(key);
  }
  const fromDoc = new Set(operations(served).keys());
  const missingInDoc = [...fromRoutes].filter((k) => !fromDoc.has(k)).sort();
  const extraInDoc = [...fromDoc].filter((k) => !fromRoutes.has(k)).sort();
  assert.deepEqual({ missingInDoc, extraInDoc }, { missingInDoc: [], extraInDoc: [] });
});

test('every documented route of API.md is in the route table', async () => {
  const table = new Set((await routes()).map((r) => `${r.method.toUpperCase()} ${norm(r.path)}`));
  const md = await readFile(path.join(REPO_ROOT, 'docs', 'API.md'), 'utf8');
  const rows = [...md.matchAll(/^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`([^`]+)`/gm)];
  assert.ok(rows.length >= 19, `API.md route rows found: ${rows.length}`);
  const missing = [];
  for (const [, m, p0] of rows) {
    let p = p0.split('?')[0];
    if (!p.startsWith('/healthz') && !p.startsWith('/api/')) p = API + p;
    if (!table.has(`${m} ${norm(p)}`)) missing.push(`${m} ${p}`);
  }
  assert.deepEqual(missing, [], 'routes in docs/API.md missing from `nccs routes`');
});

test('operations are well formed: responses, path parameters declared, unique operationIds', async () => {
  assert.ok(served, 'previous test fetched the document');
  const ids = new Set();
  for (const [key, { path: p, op, item }] of operations(served)) {
    assert.ok(op.responses && Object.keys(op.responses).length, `${key}: has responses`);
    const params = [...(item.parameters || []), ...(op.parameters || [])];
    for (const [, name] of p.matchAll(/\{([^}]+)\}/g)) {
      const decl = params.find((x) => x.in === 'path' && x.name === name);
      assert.ok(decl, `${key}: path parameter ${name} declared`);
      assert.equal(decl.required, true, `${key}: path parameter ${name} required`);
    }
    if (op.operationId) {
      assert.ok(!ids.has(op.operationId), `operationId ${op.operationId} unique`);
      ids.add(op.operationId);
    }
  }
});

test('route roles in `nccs routes` match API.md for the staff and seeker routes', async () => {
  const table = await routes();
  const roles = (m, p) => {
    const r = table.find((x) => x.method.toUpperCase() === m && norm(x.path) === norm(p));
    assert.ok(r, `${m} ${p} in route table`);
    return new Set(r.roles);
  };
  const staff = ['counselor', 'center_admin', 'central', 'sysadmin'];
  for (const p of [`${API}/people`, `${API}/people/{id}`, `${API}/people/{id}/audit`]) {
    const got = roles('GET', p);
    for (const s of staff) assert.ok(got.has(s), `${p} allows ${s}`);
    for (const s of ['seeker', 'facility_admin', 'facility_staff']) assert.ok(!got.has(s), `${p} denies ${s}`);
  }
  const views = roles('GET', `${API}/me/views`);
  assert.ok(views.has('seeker'), '/me/views allows seeker');
  for (const s of ['facility_admin', 'facility_staff', ...staff]) assert.ok(!views.has(s), `/me/views denies ${s}`);
});
