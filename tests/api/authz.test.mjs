// Authorisation matrix: every route x every demo role (and anonymous) x scope.
//
// To cover a new route, add one entry to ROUTES below. Each entry expands into
// one MATRIX row per role and target:
//   {route: 'GET /api/v1/people/{id}', as: 'counselor13', target: 'nurse27', expect: 404}
// `expect` in ROUTES is either a status for everybody, an object
// {anonymous, signedIn, staff, <role name>, ...} (most specific wins), or a
// function (as, target) -> status. `{id}` is replaced by the target's person id
// (`missing` is an id that does not exist). Rows with `fresh: true` use a new
// session (for routes that end it). The last test fails when `nccs routes`
// lists a route that has no rows here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API, client, demo, freshDemo, routes, uniqueEmail, DEMO, DEMO_ROLE } from './_lib.mjs';

export const ROLES = ['anonymous', 'sysadmin', 'central', 'admin13', 'counselor13', 'counselor27',
  'facility13', 'staff13', 'facility27', 'nurse13', 'nurse27'];
const STAFF = ['sysadmin', 'central', 'admin13', 'counselor13', 'counselor27'];
const SEEKERS = ['nurse13', 'nurse27'];
const PREF = { admin13: '13', counselor13: '13', counselor27: '27', nurse13: '13', nurse27: '27' };

// Staff route on a person: anonymous 401, non-staff 403, staff of another
// prefecture 404 (as if it did not exist), national staff everything.
function personScoped(as, target) {
  if (as === 'anonymous') return 401;
  if (!STAFF.includes(as)) return 403;
  if (target === 'missing') return 404;
  if (PREF[as] && PREF[as] !== PREF[target]) return 404;
  return 200;
}

// Facility routes: `roles` may use the route at all (others signed in: 403); the facility's own
// logins and staff of its prefecture (national staff: any) pass the scope check and get `ok`;
// everyone else allowed by role gets 404, as if the facility did not exist.
const FACILITY_OF = { facility13: 'fac13', staff13: 'fac13', facility27: 'fac27' };
function facilityScoped(roles, ok) {
  return (as, target) => {
    if (as === 'anonymous') return 401;
    if (!roles.includes(DEMO_ROLE[as])) return 403;
    if (target === 'missing') return 404;
    if (FACILITY_OF[as]) return FACILITY_OF[as] === target ? ok : 404;
    if (PREF[as]) return `fac${PREF[as]}` === target ? ok : 404;
    return ok; // central, sysadmin
  };
}
const FAC_TARGETS = ['fac13', 'fac27', 'missing'];
// An offer is scoped like its facility: off13 belongs to fac13, off27 to fac27.
const OFFER_TARGETS = ['off13', 'off27', 'missing'];
const offerScoped = (roles, ok) => (as, target) =>
  facilityScoped(roles, ok)(as, target === 'missing' ? 'missing' : target.replace('off', 'fac'));
const FAC_READERS = ['facility_admin', 'facility_staff', 'counselor', 'center_admin', 'central', 'sysadmin'];

// Applications: the nurse, the case's center (by prefecture), central staff and sysadmin; the
// facility only once referred; everyone else 404 as if it did not exist. ok: status in scope.
const APP_TARGETS = ['app13q', 'app27r', 'missing'];
const APP_OF = { app13q: { nurse: 'nurse13', pref: '13', referred: false }, app27r: { nurse: 'nurse27', pref: '27', referred: true } };
const appScoped = (ok) => (as, target) => {
  if (as === 'anonymous') return 401;
  if (target === 'missing') return 404;
  const a = APP_OF[target];
  const okFor = typeof ok === 'function' ? ok(target) : ok;
  if (as === 'sysadmin' || as === 'central') return okFor;
  if (SEEKERS.includes(as)) return as === a.nurse ? okFor : 404;
  if (FACILITY_OF[as]) return a.referred && FACILITY_OF[as] === 'fac27' ? okFor : 404;
  return PREF[as] === a.pref ? okFor : 404;
};

export const ROUTES = [
  { route: 'GET /healthz', expect: 200 },
  { route: 'GET /api/v1/version', expect: 200 },
  { route: 'GET /api/v1/openapi.json', expect: 200 },
  { route: 'GET /api/v1/ref', expect: 200 },
  { route: 'GET /api/v1/ref/municipalities', query: '?prefecture=13', expect: 200 },
  { route: 'GET /api/v1/centers', expect: 200 },
  // Access statistics beacon: public, a session only gives the role (tests/api/access.test.mjs).
  { route: 'POST /api/v1/views', body: () => ({ path: '/' }), expect: 204 },
  { route: 'GET /api/v1/offers', query: '?q=%E7%9C%8B%E8%AD%B7', expect: 200 },
  // The demo data publishes Tokyo's first offer of the current fiscal year.
  { route: 'GET /api/v1/offers/{offer_no}', path: () => `/api/v1/offers/13-${fiscalYear()}-000001`, expect: 200 },
  { route: 'POST /api/v1/auth/register', body: () => ({}), expect: 422 },
  { route: 'POST /api/v1/auth/verify', body: () => ({ token: 'bogus-token-for-matrix' }), expect: 410 },
  { route: 'POST /api/v1/auth/login', body: () => ({ email: uniqueEmail('matrix'), password: 'wrong-password-1' }), expect: 401 },
  { route: 'POST /api/v1/auth/logout', fresh: true, expect: { anonymous: 401, signedIn: 204 } },
  { route: 'POST /api/v1/auth/password-reset', body: () => ({ email: uniqueEmail('matrix') }), expect: 202 },
  { route: 'POST /api/v1/auth/password-reset/complete', body: () => ({ token: 'bogus-token-for-matrix', password: 'valid-password-123' }), expect: 410 },
  { route: 'GET /api/v1/me', expect: { anonymous: 401, signedIn: 200 } },
  // Empty bodies: a signed-in caller passes authorisation and fails validation.
  { route: 'POST /api/v1/me/password', body: () => ({}), expect: { anonymous: 401, signedIn: 422 } },
  { route: 'POST /api/v1/me/email', body: () => ({}), expect: { anonymous: 401, signedIn: 422 } },
  { route: 'GET /api/v1/me/views', expect: { anonymous: 401, signedIn: 403, nurse13: 200, nurse27: 200 } },
  { route: 'GET /api/v1/people', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'GET /api/v1/people/{id}', targets: ['nurse13', 'nurse27', 'missing'], expect: personScoped },
  { route: 'GET /api/v1/people/{id}/audit', targets: ['nurse13', 'nurse27', 'missing'], expect: personScoped },
  // Job seekers: own profile for seekers; staff on a person as for /people/{id}; counter
  // registration by the prefectures' center staff only. Writes fail validation (no change).
  // Applications (応募・紹介): creation by nurses (own) and center staff (proposal); everyone
  // signed in lists their scope; a case is seen as appScoped says. Writes fail validation.
  { route: 'POST /api/v1/applications', body: () => ({}), expect: { anonymous: 401, signedIn: 403, nurse13: 422, nurse27: 422, admin13: 422, counselor13: 422, counselor27: 422 } },
  { route: 'GET /api/v1/applications', expect: { anonymous: 401, signedIn: 200 } },
  { route: 'GET /api/v1/applications/{id}', targets: APP_TARGETS, expect: appScoped(200) },
  { route: 'POST /api/v1/applications/{id}/events', targets: APP_TARGETS, body: () => ({}), expect: appScoped(422) },
  { route: 'GET /api/v1/applications/{id}/letter.pdf', targets: APP_TARGETS, expect: appScoped((t) => (APP_OF[t].referred ? 200 : 409)) },
  { route: 'GET /api/v1/me/seeker', expect: { anonymous: 401, signedIn: 403, nurse13: 200, nurse27: 200 } },
  { route: 'PUT /api/v1/me/seeker', body: () => ({}), expect: { anonymous: 401, signedIn: 403, nurse13: 422, nurse27: 422 } },
  { route: 'POST /api/v1/me/seeker/renew', body: () => ({ zzz: 1 }), expect: { anonymous: 401, signedIn: 403, nurse13: 422, nurse27: 422 } },
  { route: 'POST /api/v1/me/seeker/pause', body: () => ({ zzz: 1 }), expect: { anonymous: 401, signedIn: 403, nurse13: 422, nurse27: 422 } },
  // Saved searches: the nurse's own only (another's id looks missing: 404). The mail links work
  // without a session: a bogus token is 410 for everybody.
  { route: 'GET /api/v1/me/saved-searches', expect: { anonymous: 401, signedIn: 403, nurse13: 200, nurse27: 200 } },
  { route: 'POST /api/v1/me/saved-searches', body: () => ({}), expect: { anonymous: 401, signedIn: 403, nurse13: 422, nurse27: 422 } },
  { route: 'PATCH /api/v1/me/saved-searches/{id}', path: () => '/api/v1/me/saved-searches/987654321', body: () => ({ notify: false }), expect: { anonymous: 401, signedIn: 403, nurse13: 404, nurse27: 404 } },
  { route: 'DELETE /api/v1/me/saved-searches/{id}', path: () => '/api/v1/me/saved-searches/987654321', expect: { anonymous: 401, signedIn: 403, nurse13: 404, nurse27: 404 } },
  { route: 'POST /api/v1/unsubscribe', body: () => ({ token: 'bogus-token-for-matrix' }), expect: 410 },
  { route: 'POST /api/v1/seeker-renewal', body: () => ({ token: 'bogus-token-for-matrix' }), expect: 410 },
  { route: 'GET /api/v1/people/{id}/seeker', targets: ['nurse13', 'nurse27', 'missing'], expect: personScoped },
  { route: 'PUT /api/v1/people/{id}/seeker', targets: ['nurse13', 'nurse27', 'missing'], body: () => ({}), expect: (as, t) => { const s = personScoped(as, t); return s === 200 ? 422 : s; } },
  { route: 'POST /api/v1/seekers', body: () => ({}), expect: { anonymous: 401, signedIn: 403, admin13: 422, counselor13: 422, counselor27: 422 } },
  { route: 'GET /api/v1/facilities', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'GET /api/v1/facilities/{id}', targets: FAC_TARGETS, expect: facilityScoped(FAC_READERS, 200) },
  // Writes are sent with bodies that pass authorisation and then fail validation or the state
  // check, so the matrix changes nothing.
  { route: 'PATCH /api/v1/facilities/{id}', targets: FAC_TARGETS, body: () => ({}), expect: facilityScoped(['facility_admin'], 422) },
  { route: 'POST /api/v1/facilities/{id}/submit', targets: FAC_TARGETS, expect: facilityScoped(['facility_admin'], 409) },
  { route: 'POST /api/v1/facilities/{id}/review', targets: FAC_TARGETS, body: () => ({}), expect: facilityScoped(['counselor', 'center_admin'], 422) },
  { route: 'GET /api/v1/facilities/{id}/history', targets: FAC_TARGETS, expect: facilityScoped(FAC_READERS, 200) },
  { route: 'GET /api/v1/facilities/{id}/staff', targets: FAC_TARGETS, expect: facilityScoped(['facility_admin', 'counselor', 'center_admin', 'central', 'sysadmin'], 200) },
  { route: 'POST /api/v1/facilities/{id}/staff', targets: FAC_TARGETS, body: () => ({}), expect: facilityScoped(['facility_admin'], 422) },
  // Job offers: same scope rules as their facility (targets are the demo facilities' published
  // offers). Writes fail validation or the state check, except extend (idempotent) and copy (adds
  // a draft).
  { route: 'POST /api/v1/job-offers/check', body: () => ({ title: '看護師募集' }), expect: { anonymous: 401, signedIn: 403, facility13: 200, staff13: 200, facility27: 200, staff: 200 } },
  { route: 'GET /api/v1/job-offers', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'GET /api/v1/facilities/{id}/offers', targets: FAC_TARGETS, expect: facilityScoped(FAC_READERS, 200) },
  { route: 'POST /api/v1/facilities/{id}/offers', targets: FAC_TARGETS, body: () => ({ positions: 'many' }), expect: facilityScoped(['facility_admin', 'facility_staff'], 422) },
  { route: 'GET /api/v1/job-offers/{id}', targets: OFFER_TARGETS, expect: offerScoped(FAC_READERS, 200) },
  { route: 'PUT /api/v1/job-offers/{id}', targets: OFFER_TARGETS, body: () => ({ title: 5 }), expect: offerScoped(['facility_admin', 'facility_staff'], 422) },
  { route: 'POST /api/v1/job-offers/{id}/submit', targets: OFFER_TARGETS, expect: offerScoped(['facility_admin', 'facility_staff'], 409) },
  { route: 'POST /api/v1/job-offers/{id}/review', targets: OFFER_TARGETS, body: () => ({}), expect: offerScoped(['counselor', 'center_admin'], 422) },
  { route: 'POST /api/v1/job-offers/{id}/close', targets: OFFER_TARGETS, body: () => ({}), expect: offerScoped(['facility_admin', 'facility_staff'], 422) },
  { route: 'POST /api/v1/job-offers/{id}/extend', targets: OFFER_TARGETS, expect: offerScoped(['facility_admin', 'facility_staff'], 200) },
  { route: 'POST /api/v1/job-offers/{id}/copy', targets: OFFER_TARGETS, expect: offerScoped(['facility_admin', 'facility_staff'], 201) },
  { route: 'GET /api/v1/job-offers/{id}/history', targets: OFFER_TARGETS, expect: offerScoped(FAC_READERS, 200) },
  // Matching: a nurse's own matches (the demo nurses have profiles; any published offer can be
  // explained); staff on a nurse as for /people/{id}; an offer's candidates for staff in the
  // offer's scope (center staff: their prefecture's offers).
  { route: 'GET /api/v1/me/matches', expect: { anonymous: 401, signedIn: 403, nurse13: 200, nurse27: 200 } },
  { route: 'GET /api/v1/me/matches/{id}', targets: ['off13', 'off27'], expect: { anonymous: 401, signedIn: 403, nurse13: 200, nurse27: 200 } },
  { route: 'GET /api/v1/people/{id}/matches', targets: ['nurse13', 'nurse27', 'missing'], expect: personScoped },
  { route: 'GET /api/v1/offers/{id}/candidates', targets: OFFER_TARGETS, expect: offerScoped(['counselor', 'center_admin', 'central', 'sysadmin'], 200) },
];

// The fiscal year (April–March) of today in JST.
function fiscalYear() {
  const jst = new Date(Date.now() + 9 * 3600 * 1000);
  return jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1;
}

function expectFor(spec, as, target) {
  const e = spec.expect;
  if (typeof e === 'number') return e;
  if (typeof e === 'function') return e(as, target);
  if (as in e) return e[as];
  if (STAFF.includes(as) && 'staff' in e) return e.staff;
  if (as !== 'anonymous' && 'signedIn' in e) return e.signedIn;
  throw new Error(`no expectation for ${spec.route} as ${as}`);
}

// Error code that goes with a denial status on a protected route.
const DENIAL_CODE = { 401: 'auth.required', 403: 'auth.forbidden', 404: 'resource.not_found' };

export const MATRIX = ROUTES.flatMap((spec) => (spec.targets || [null]).flatMap((target) => ROLES.map((as) => {
  const expect = expectFor(spec, as, target);
  const protectedRoute = typeof spec.expect !== 'number';
  return {
    route: spec.route, as, target, expect,
    code: protectedRoute ? DENIAL_CODE[expect] : undefined,
    query: spec.query || '', body: spec.body, fresh: !!spec.fresh, path: spec.path,
  };
})));

// Person ids of the demo seekers, found through the staff listing.
const personIds = {};
// Facility ids of the demo facilities, from their admins' accounts.
async function facilityId(target) {
  const admin = { fac13: 'facility13', fac27: 'facility27' }[target];
  const me = await (await demo(admin)).me();
  assert.ok(me.json?.user?.facility_id, `${admin} has a facility`);
  return me.json.user.facility_id;
}

// The first published offer of a demo facility, from its admin's offer list.
const offerIds = {};
async function offerId(target) {
  if (offerIds[target]) return offerIds[target];
  const admin = { off13: 'facility13', off27: 'facility27' }[target];
  const c = await demo(admin);
  const fid = await facilityId(target.replace('off', 'fac'));
  const r = await c.get(`${API}/facilities/${fid}/offers`);
  assert.equal(r.status, 200, r.text);
  const o = r.json.items.find((x) => x.status === 'published');
  assert.ok(o, `${admin}'s facility has a published demo offer`);
  offerIds[target] = o.id;
  return o.id;
}

// The demo cases (src/cli/seed_demo_apps.c) on the Osaka offer: app27r of nurse27, referred by
// center 27; app13q of nurse13, a request waiting for center 13 (not referred).
const appIds = {};
async function appId(target) {
  if (target === 'missing') return 987654321;
  if (appIds[target]) return appIds[target];
  const nurse = { app27r: 'nurse27', app13q: 'nurse13' }[target];
  const state = { app27r: 'referred', app13q: 'requested' }[target];
  const sid = await personId(nurse);
  const r = await (await demo('central')).get(`${API}/applications?seeker_id=${sid}&per_page=100`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const a = r.json.items.filter((x) => x.state === state && x.offer.prefecture === '27').sort((x, y) => x.id - y.id)[0];
  assert.ok(a, `demo case ${target}: ${r.text.slice(0, 300)}`);
  appIds[target] = a.id;
  return a.id;
}
async function personId(target) {
  if (target === 'missing') {
    const known = await personId('nurse13');
    return typeof known === 'number' || /^\d+$/.test(String(known)) ? '987654321' : 'no-such-person';
  }
  if (personIds[target]) return personIds[target];
  const central = await demo('central');
  const email = DEMO[target];
  let found;
  const q = await central.get(`${API}/people?q=${encodeURIComponent(email)}&per_page=50`);
  if (q.status === 200) found = q.json.items.find((p) => p.email === email);
  for (let page = 1; !found && page <= 20; page++) {
    const r = await central.get(`${API}/people?page=${page}&per_page=100`);
    assert.equal(r.status, 200, `central lists people: ${r.text.slice(0, 300)}`);
    found = r.json.items.find((p) => p.email === email);
    if (!r.json.items.length) break;
  }
  assert.ok(found, `person ${email} found through GET /people (Person needs an email)`);
  personIds[target] = found.id;
  return found.id;
}

async function sessionFor(as, fresh) {
  if (as === 'anonymous') return client();
  return fresh ? freshDemo(as) : demo(as);
}

async function runRow(row) {
  const [method, pattern] = row.route.split(' ');
  let path = row.path ? row.path() : pattern;
  if (path.includes('{id}')) {
    const t = String(row.target);
    const id = t.startsWith('fac') ? await facilityId(t) : t.startsWith('off') ? await offerId(t)
      : t.startsWith('app') ? await appId(t) : await personId(t);
    path = path.replace('{id}', encodeURIComponent(id));
  }
  const c = await sessionFor(row.as, row.fresh);
  const opts = {};
  if (row.body) opts.json = row.body();
  const r = await c.req(method, path + row.query, opts);
  let problem = null;
  if (r.status !== row.expect) problem = `got ${r.status}`;
  else if (row.code && !(r.json && r.json.error && r.json.error.code === row.code)) problem = `code ${r.json && r.json.error && r.json.error.code}, want ${row.code}`;
  return { problem, r };
}

// One test per (route, target), all roles inside; failures are listed together.
for (const spec of ROUTES) {
  for (const target of spec.targets || [null]) {
    test(`matrix ${spec.route}${target ? ` target=${target}` : ''}`, async () => {
      const rows = MATRIX.filter((r) => r.route === spec.route && r.target === target);
      const bad = [];
      for (const row of rows) {
        const { problem, r } = await runRow(row);
        if (problem) bad.push(`${row.as}: want ${row.expect}${row.code ? ` ${row.code}` : ''}, ${problem} ${r.text.slice(0, 160)}`);
      }
      assert.deepEqual(bad, []);
    });
  }
}

test('demo accounts have the roles and scopes of API.md', async () => {
  const bad = [];
  for (const name of ROLES.filter((r) => r !== 'anonymous')) {
    const me = await (await demo(name)).me();
    const u = me.json && me.json.user;
    if (!u) { bad.push(`${name}: /me ${me.status}`); continue; }
    if (u.email !== DEMO[name]) bad.push(`${name}: email ${u.email}`);
    if (u.role !== DEMO_ROLE[name]) bad.push(`${name}: role ${u.role}, want ${DEMO_ROLE[name]}`);
    const pref = /13$/.test(name) ? '13' : /27$/.test(name) ? '27' : null;
    if (pref && u.prefecture !== pref) bad.push(`${name}: prefecture ${u.prefecture}, want ${pref}`);
    if (name.startsWith('facility') || name.startsWith('staff')) {
      if (u.facility_id === null || u.facility_id === undefined) bad.push(`${name}: no facility_id`);
    } else if (u.facility_id !== null) bad.push(`${name}: facility_id ${u.facility_id}, want null`);
  }
  const f13 = (await (await demo('facility13')).me()).json.user;
  const s13 = (await (await demo('staff13')).me()).json.user;
  const f27 = (await (await demo('facility27')).me()).json.user;
  if (f13.facility_id !== s13.facility_id) bad.push('staff13 is not in facility13\'s facility');
  if (f13.facility_id === f27.facility_id) bad.push('facility27 shares facility13\'s facility');
  assert.deepEqual(bad, []);
});

test('out of scope looks exactly like missing', async () => {
  const c27 = await demo('counselor27');
  const a = await c27.get(`${API}/people/${encodeURIComponent(await personId('nurse13'))}`);
  const b = await c27.get(`${API}/people/${encodeURIComponent(await personId('missing'))}`);
  assert.equal(a.status, 404);
  assert.equal(a.text, b.text, 'same body');
});

test('people listing is scoped to the prefecture', async () => {
  const n13 = await personId('nurse13');
  const n27 = await personId('nurse27');
  const all = async (name) => {
    const c = await demo(name);
    const ids = [];
    let total;
    for (let page = 1; page <= 50; page++) {
      const r = await c.get(`${API}/people?page=${page}&per_page=100`);
      assert.equal(r.status, 200, `${name}: ${r.text.slice(0, 200)}`);
      assert.equal(typeof r.json.total, 'number', 'total is a number');
      total = r.json.total;
      for (const p of r.json.items) {
        ids.push(p.id);
        if (PREF[name] && 'prefecture' in p) assert.equal(p.prefecture, PREF[name], `${name} sees only prefecture ${PREF[name]}`);
      }
      if (ids.length >= total || !r.json.items.length) break;
    }
    assert.equal(ids.length, total, `${name}: total equals the number of items over all pages`);
    return ids;
  };
  const c13 = await all('counselor13');
  const c27 = await all('counselor27');
  const cen = await all('central');
  assert.ok(c13.includes(n13) && !c13.includes(n27), 'counselor13 sees nurse13, not nurse27');
  assert.ok(c27.includes(n27) && !c27.includes(n13), 'counselor27 sees nurse27, not nurse13');
  assert.ok(cen.includes(n13) && cen.includes(n27), 'central sees both');
  const a13 = await all('admin13');
  assert.deepEqual([...a13].sort(), [...c13].sort(), 'center_admin 13 sees the same people as counselor 13');
  for (const [name, ids] of [['counselor13', c13], ['central', cen]]) {
    const users = await (await demo(name)).get(`${API}/people?per_page=100`);
    for (const p of users.json.items) {
      for (const k of Object.keys(p)) assert.doesNotMatch(k, /pass|hash|token/i, `${name}: Person has no secret field ${k}`);
    }
    assert.ok(ids.length > 0);
  }
});

test('every route in `nccs routes` has matrix rows for every role', async () => {
  const table = await routes();
  const norm = (p) => p.replace(/\{[^}]+\}/g, '{}');
  const missing = [];
  for (const r of table) {
    const key = `${r.method.toUpperCase()} ${norm(r.path)}`;
    const rows = MATRIX.filter((m) => { const [mm, pp] = m.route.split(' '); return `${mm} ${norm(pp)}` === key; });
    const roles = new Set(rows.map((m) => m.as));
    const lacking = ROLES.filter((x) => !roles.has(x));
    if (lacking.length) missing.push(`${key}: ${lacking.length === ROLES.length ? 'no rows' : `no rows for ${lacking}`}`);
  }
  assert.deepEqual(missing, [], 'add these routes to ROUTES in tests/api/authz.test.mjs');
});

// =================================================================================================
// Notifications (届出) and casework (相談員の業務): the matrix rows of the new routes. Appended
// block with its own runner, because the targets are records made for it (once, lazily): a
// notification of nurse13 routed to 13 (n13) and of nurse27 routed to 27 (n27), a pending proxy
// filing of facility13 (p13), their first-contact tasks (t13, t27), consultations of counselor13
// and counselor27 (con13, con27), an upload of facility13 (up13; read through facility27's path as
// up13via27), and the staff accounts counselor13 / counselor27 (s13, s27). The rows are added to
// MATRIX so that the route-coverage test above sees them. Writes carry bodies that pass
// authorisation and then fail validation (422) or name an unknown token (410): nothing changes.
// =================================================================================================
import { notifBody as cwBody } from './_notif.mjs';

let cwTargets = null;
function cwSetupTargets() {
  cwTargets ||= (async () => {
    const [n13, n27, fac13, c13, c27] = await Promise.all(['nurse13', 'nurse27', 'facility13', 'counselor13', 'counselor27'].map((n) => demo(n)));
    const file = async (c, path, body) => {
      const r = await c.post(path, body);
      assert.equal(r.status, 201, `matrix setup ${path}: ${r.text.slice(0, 300)}`);
      return r.json.notification ?? r.json.consultation ?? r.json.upload;
    };
    const fid13 = fac13.user.facility_id;
    const t = {};
    t.n13 = (await file(n13, `${API}/notifications`, cwBody({ holder: { address_prefecture: '13' } }))).id;
    t.n27 = (await file(n27, `${API}/notifications`, cwBody({ holder: { address_prefecture: '27', address: '大阪市北区1-1' } }))).id;
    t.p13 = (await file(fac13, `${API}/facilities/${fid13}/notifications`, cwBody())).id;
    const taskOf = async (c, nid) => {
      for (let page = 1; page <= 40; page++) {
        const r = await c.get(`${API}/tasks?kind=notification&page=${page}&per_page=100`);
        assert.equal(r.status, 200, r.text.slice(0, 200));
        const x = r.json.items.find((y) => y.notification_id === nid);
        if (x) return x.id;
        if (!r.json.items.length) break;
      }
      throw new Error(`matrix setup: no task for notification ${nid}`);
    };
    t.t13 = await taskOf(c13, t.n13);
    t.t27 = await taskOf(c27, t.n27);
    const con = { client_kind: 'other', client_name: '認可確認', channel: 'phone', category: 'other', summary: '認可の確認用', consulted_on: new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10) };
    t.con13 = (await file(c13, `${API}/consultations`, con)).id;
    t.con27 = (await file(c27, `${API}/consultations`, con)).id;
    const up = await fac13.req('POST', `${API}/facilities/${fid13}/notification-uploads?filename=matrix.csv`, {
      body: Buffer.from('氏名,フリガナ,生年月日,郵便番号,住所都道府県,住所,免許種別,籍登録番号,登録年月日,届出事由,事由発生日,離職前の就業場所,就業状況\r\n=1+1,マトリクス,1990-05-01,1600023,13,新宿区1,kangoshi,1,2012-04-01,left_job,2026-01-05,hospital,not_working\r\n'),
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(up.status, 201, `matrix setup upload: ${up.text.slice(0, 300)}`);
    t.up13 = up.json.upload.id;
    t.s13 = c13.user.id;
    t.s27 = c27.user.id;
    t.fac13 = fid13;
    t.fac27 = await facilityId('fac27');
    return t;
  })();
  return cwTargets;
}

const CW_PREF = { admin13: '13', counselor13: '13', counselor27: '27' };
const targetPref = (t) => (/27$/.test(t) ? '27' : '13');
// Records of a center (tasks, consultations, staff): `roles` may use the route; center staff only
// within their prefecture (else 404); central and sysadmin everywhere.
const centerScoped = (roles, ok) => (as, target) => {
  if (as === 'anonymous') return 401;
  if (!roles.includes(DEMO_ROLE[as])) return 403;
  if (target === 'missing') return 404;
  if (CW_PREF[as]) return CW_PREF[as] === targetPref(target) ? ok : 404;
  return ok;
};
// Notifications: the holder, the filing facility (proxy only), the routed prefecture's staff,
// central and sysadmin; `roles` limits who may use the route at all.
const NOTIF_OF = { n13: { holder: 'nurse13', pref: '13' }, n27: { holder: 'nurse27', pref: '27' }, p13: { fac: 'fac13', pref: '13' } };
const notifScoped = (roles, ok) => (as, target) => {
  if (as === 'anonymous') return 401;
  if (!roles.includes(DEMO_ROLE[as])) return 403;
  if (target === 'missing') return 404;
  const n = NOTIF_OF[target];
  if (as === 'central' || as === 'sysadmin') return ok;
  if (SEEKERS.includes(as)) return n.holder === as ? ok : 404;
  if (FACILITY_OF[as]) return n.fac === FACILITY_OF[as] ? ok : 404;
  return PREF[as] === n.pref ? ok : 404;
};
const ALL_ROLES = ['seeker', 'facility_admin', 'facility_staff', 'counselor', 'center_admin', 'central', 'sysadmin'];
const STAFF_ROLES = ['counselor', 'center_admin', 'central', 'sysadmin'];
const CENTER_ROLES = ['counselor', 'center_admin'];
const UPLOAD_CSV = () => Buffer.from('氏名,フリガナ,生年月日,郵便番号,住所都道府県,住所,免許種別,籍登録番号,登録年月日,届出事由,事由発生日,離職前の就業場所,就業状況\r\n');
const id = (t, k) => (k === 'missing' ? 987654321 : t[k]);

export const CW_ROUTES = [
  { route: 'POST /api/v1/notifications', body: () => ({}), expect: { anonymous: 422, signedIn: 403, nurse13: 422, nurse27: 422 } },
  { route: 'POST /api/v1/center/notifications', body: () => ({}), expect: { anonymous: 401, signedIn: 403, admin13: 422, counselor13: 422, counselor27: 422 } },
  { route: 'POST /api/v1/facilities/{id}/notifications', targets: FAC_TARGETS, body: () => ({}), path: (t, k) => `/api/v1/facilities/${id(t, k)}/notifications`, expect: facilityScoped(['facility_admin', 'facility_staff'], 422) },
  { route: 'GET /api/v1/facilities/{id}/notifications', targets: FAC_TARGETS, path: (t, k) => `/api/v1/facilities/${id(t, k)}/notifications`, expect: facilityScoped(FAC_READERS, 200) },
  { route: 'POST /api/v1/facilities/{id}/notification-uploads', targets: FAC_TARGETS, raw: UPLOAD_CSV, path: (t, k) => `/api/v1/facilities/${id(t, k)}/notification-uploads`, expect: facilityScoped(['facility_admin', 'facility_staff'], 422) },
  { route: 'GET /api/v1/facilities/{id}/notification-uploads', targets: FAC_TARGETS, path: (t, k) => `/api/v1/facilities/${id(t, k)}/notification-uploads`, expect: facilityScoped(FAC_READERS, 200) },
  { route: 'GET /api/v1/facilities/{id}/notification-uploads/{upload_id}/report.csv', targets: ['up13', 'up13via27', 'missing'],
    path: (t, k) => (k === 'up13' ? `/api/v1/facilities/${t.fac13}/notification-uploads/${t.up13}/report.csv`
      : k === 'up13via27' ? `/api/v1/facilities/${t.fac27}/notification-uploads/${t.up13}/report.csv`
        : `/api/v1/facilities/${t.fac13}/notification-uploads/987654321/report.csv`),
    expect: (as, k) => facilityScoped(FAC_READERS, k === 'up13' ? 200 : 404)(as, k === 'up13via27' ? 'fac27' : 'fac13') },
  { route: 'GET /api/v1/me/notifications', expect: { anonymous: 401, signedIn: 403, nurse13: 200, nurse27: 200 } },
  { route: 'GET /api/v1/notifications', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'GET /api/v1/notifications/{id}', targets: ['n13', 'n27', 'p13', 'missing'], path: (t, k) => `/api/v1/notifications/${id(t, k)}`, expect: notifScoped(ALL_ROLES, 200) },
  { route: 'PUT /api/v1/notifications/{id}', targets: ['n13', 'n27', 'missing'], body: () => ({}), path: (t, k) => `/api/v1/notifications/${id(t, k)}`, expect: notifScoped(['seeker', ...CENTER_ROLES], 422) },
  { route: 'POST /api/v1/notifications/{id}/consent', targets: ['p13', 'missing'], body: () => ({}), path: (t, k) => `/api/v1/notifications/${id(t, k)}/consent`, expect: notifScoped(CENTER_ROLES, 422) },
  { route: 'POST /api/v1/notification-confirmations/lookup', body: () => ({ token: 'bogus-token-for-matrix' }), expect: 410 },
  { route: 'POST /api/v1/notification-confirmations', body: () => ({ token: 'bogus-token-for-matrix' }), expect: 410 },
  { route: 'GET /api/v1/exports/notifications.csv', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'GET /api/v1/tasks', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'GET /api/v1/tasks/{id}', targets: ['t13', 't27', 'missing'], path: (t, k) => `/api/v1/tasks/${id(t, k)}`, expect: centerScoped(STAFF_ROLES, 200) },
  { route: 'POST /api/v1/tasks/{id}/assign', targets: ['t13', 't27', 'missing'], body: () => ({}), path: (t, k) => `/api/v1/tasks/${id(t, k)}/assign`, expect: centerScoped(CENTER_ROLES, 422) },
  { route: 'POST /api/v1/tasks/{id}/done', targets: ['t13', 't27', 'missing'], body: () => ({}), path: (t, k) => `/api/v1/tasks/${id(t, k)}/done`, expect: centerScoped(CENTER_ROLES, 422) },
  { route: 'GET /api/v1/center-settings', expect: { anonymous: 401, signedIn: 403, admin13: 200, counselor13: 200, counselor27: 200 } },
  { route: 'PUT /api/v1/center-settings', body: () => ({}), expect: { anonymous: 401, signedIn: 403, admin13: 422 } },
  { route: 'GET /api/v1/staff', expect: { anonymous: 401, signedIn: 403, admin13: 200, counselor13: 200, counselor27: 200 } },
  { route: 'PUT /api/v1/staff/{id}/grants', targets: ['s13', 's27', 'missing'], body: () => ({}), path: (t, k) => `/api/v1/staff/${id(t, k)}/grants`, expect: centerScoped(['center_admin'], 422) },
  { route: 'POST /api/v1/consultations', body: () => ({}), expect: { anonymous: 401, signedIn: 403, admin13: 422, counselor13: 422, counselor27: 422 } },
  { route: 'GET /api/v1/consultations', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'GET /api/v1/consultations/{id}', targets: ['con13', 'con27', 'missing'], path: (t, k) => `/api/v1/consultations/${id(t, k)}`, expect: centerScoped(STAFF_ROLES, 200) },
  { route: 'GET /api/v1/exports/consultations.csv', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'GET /api/v1/people/{id}/timeline', targets: ['nurse13', 'nurse27', 'missing'], person: true, expect: personScoped },
  { route: 'GET /api/v1/me/timeline', expect: { anonymous: 401, signedIn: 403, nurse13: 200, nurse27: 200 } },
  { route: 'GET /api/v1/people/{id}/duplicates', targets: ['nurse13', 'nurse27', 'missing'], person: true, expect: personScoped },
  { route: 'POST /api/v1/people/{id}/merge', targets: ['nurse13', 'nurse27', 'missing'], person: true, body: () => ({}),
    expect: (as, t) => (as === 'sysadmin' ? 403 : ((s) => (s === 200 ? 422 : s))(personScoped(as, t))) },
  { route: 'POST /api/v1/people/{id}/handover', targets: ['nurse13', 'nurse27', 'missing'], person: true, body: () => ({}),
    expect: (as, t) => (as === 'sysadmin' ? 403 : ((s) => (s === 200 ? 422 : s))(personScoped(as, t))) },
];

const CW_MATRIX = CW_ROUTES.flatMap((spec) => (spec.targets || [null]).flatMap((target) => ROLES.map((as) => {
  const expect = expectFor(spec, as, target);
  return { route: spec.route, as, target, expect, code: typeof spec.expect !== 'number' ? DENIAL_CODE[expect] : undefined };
})));
MATRIX.push(...CW_MATRIX);

async function cwPath(spec, target) {
  const [, pattern] = spec.route.split(' ');
  if (spec.person) return pattern.replace('{id}', encodeURIComponent(await personId(target)));
  if (spec.path) return spec.path(await cwSetupTargets(), target);
  return pattern;
}

for (const spec of CW_ROUTES) {
  for (const target of spec.targets || [null]) {
    test(`matrix ${spec.route}${target ? ` target=${target}` : ''}`, async () => {
      const path = await cwPath(spec, target);
      const bad = [];
      for (const row of CW_MATRIX.filter((r) => r.route === spec.route && r.target === target)) {
        const c = row.as === 'anonymous' ? client() : await demo(row.as);
        const opts = spec.raw ? { body: spec.raw(), headers: { 'content-type': 'text/csv' } } : spec.body ? { json: spec.body() } : {};
        const r = await c.req(spec.route.split(' ')[0], path, opts);
        let problem = null;
        if (r.status !== row.expect) problem = `got ${r.status}`;
        else if (row.code && r.json?.error?.code !== row.code) problem = `code ${r.json?.error?.code}, want ${row.code}`;
        if (problem) bad.push(`${row.as}: want ${row.expect}${row.code ? ` ${row.code}` : ''}, ${problem} ${r.text.slice(0, 160)}`);
      }
      assert.deepEqual(bad, []);
    });
  }
}

// =================================================================================================
// Help desk (ヘルプデスク): the matrix rows of its routes. Targets made once, lazily: an open ticket
// of counselor13 (hd13) and of counselor27 (hd27), and a closed one of each (hdclosed13,
// hdclosed27). Replies carry an empty body (422 after authorisation); close is sent to the closed
// tickets (409 after authorisation), so the matrix writes nothing.
// =================================================================================================
let hdTargets = null;
function hdSetupTargets() {
  hdTargets ||= (async () => {
    const [c13, c27] = await Promise.all([demo('counselor13'), demo('counselor27')]);
    const open = async (c, closed) => {
      const r = await c.post(`${API}/helpdesk/tickets`, { category: 'other', subject: '認可の確認', description: '認可の確認用' });
      assert.equal(r.status, 201, `matrix setup help desk: ${r.text.slice(0, 300)}`);
      const tid = r.json.ticket.id;
      if (closed) {
        const x = await c.req('POST', `${API}/helpdesk/tickets/${tid}/close`);
        assert.equal(x.status, 200, `matrix setup close: ${x.text.slice(0, 300)}`);
      }
      return tid;
    };
    return { hd13: await open(c13, false), hd27: await open(c27, false), hdclosed13: await open(c13, true), hdclosed27: await open(c27, true) };
  })();
  return hdTargets;
}
const HD_WRITERS = ['counselor', 'center_admin', 'central'];
const hdPath = (suffix) => (t, k) => `/api/v1/helpdesk/tickets/${id(t, k)}${suffix}`;
export const HD_ROUTES = [
  { route: 'GET /api/v1/helpdesk/tickets', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'POST /api/v1/helpdesk/tickets', body: () => ({}), expect: { anonymous: 401, signedIn: 403, admin13: 422, counselor13: 422, counselor27: 422 } },
  { route: 'GET /api/v1/helpdesk/tickets/{id}', targets: ['hd13', 'hd27', 'missing'], path: hdPath(''), expect: centerScoped(STAFF_ROLES, 200) },
  { route: 'POST /api/v1/helpdesk/tickets/{id}/replies', targets: ['hd13', 'hd27', 'missing'], body: () => ({}), path: hdPath('/replies'), expect: centerScoped(HD_WRITERS, 422) },
  { route: 'POST /api/v1/helpdesk/tickets/{id}/close', targets: ['hdclosed13', 'hdclosed27', 'missing'], path: hdPath('/close'), expect: centerScoped(HD_WRITERS, 409) },
];
const HD_MATRIX = HD_ROUTES.flatMap((spec) => (spec.targets || [null]).flatMap((target) => ROLES.map((as) => {
  const expect = expectFor(spec, as, target);
  return { route: spec.route, as, target, expect, code: DENIAL_CODE[expect] };
})));
MATRIX.push(...HD_MATRIX);

for (const spec of HD_ROUTES) {
  for (const target of spec.targets || [null]) {
    test(`matrix ${spec.route}${target ? ` target=${target}` : ''}`, async () => {
      const path = spec.path ? spec.path(await hdSetupTargets(), target) : spec.route.split(' ')[1];
      const bad = [];
      for (const row of HD_MATRIX.filter((r) => r.route === spec.route && r.target === target)) {
        const c = row.as === 'anonymous' ? client() : await demo(row.as);
        const r = await c.req(spec.route.split(' ')[0], path, spec.body ? { json: spec.body() } : {});
        let problem = null;
        if (r.status !== row.expect) problem = `got ${r.status}`;
        else if (row.code && r.json?.error?.code !== row.code) problem = `code ${r.json?.error?.code}, want ${row.code}`;
        else if (row.expect === 409 && r.json?.error?.code !== 'helpdesk.closed') problem = `code ${r.json?.error?.code}, want helpdesk.closed`;
        if (problem) bad.push(`${row.as}: want ${row.expect}${row.code ? ` ${row.code}` : ''}, ${problem} ${r.text.slice(0, 160)}`);
      }
      assert.deepEqual(bad, []);
    });
  }
}

// =================================================================================================
// Statistics and reports: the matrix rows of the report routes. Targets are tables with a scope
// in the query: new_ids in the caller's default scope (center staff: their prefecture; central
// and sysadmin: national), new_ids of prefecture 27, the Tokyo ledger (names people: no sysadmin),
// the national access table (center staff may not read site-wide figures), an unknown table. A
// build of central's (rb) is the target of the build routes: only its requester sees it.
// =================================================================================================
const RP_TARGETS = ['own', 'pref27', 'ledger13', 'access', 'unknown'];
const RP_QUERY = { own: 'new_ids', pref27: 'new_ids?prefecture=27', ledger13: 'ledger_offers?prefecture=13', access: 'access_job', unknown: 'no_such_table' };
const CENTER_STAFF = ['admin13', 'counselor13', 'counselor27'];
const rpScoped = (as, target) => {
  if (as === 'anonymous') return 401;
  if (!STAFF.includes(as)) return 403;
  if (target === 'unknown') return 404;
  if (as === 'central') return 200;
  if (as === 'sysadmin') return target === 'ledger13' ? 403 : 200;
  if (target === 'access') return 403;
  if (target === 'pref27') return PREF[as] === '27' ? 200 : 403;
  if (target === 'ledger13') return PREF[as] === '13' ? 200 : 403;
  return 200;
};
let rpBuild = null;
function rpSetup() {
  rpBuild ||= (async () => {
    const c = await demo('central');
    const r = await c.post(`${API}/report-builds`, { fiscal_year: 2025, format: 'zip' });
    assert.equal(r.status, 202, `matrix setup report build: ${r.text.slice(0, 300)}`);
    for (let i = 0; i < 300; i++) {
      const s = await c.get(`${API}/report-builds/${r.json.id}`);
      if (s.json.state === 'done') return { rb: r.json.id };
      assert.notEqual(s.json.state, 'failed', 'report build failed');
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('report build did not finish');
  })();
  return rpBuild;
}
const rbScoped = (as, target) => {
  if (as === 'anonymous') return 401;
  if (!STAFF.includes(as)) return 403;
  return as === 'central' && target === 'rb' ? 200 : 404;
};
export const RP_ROUTES = [
  { route: 'GET /api/v1/reports', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
  { route: 'GET /api/v1/reports/{name}', targets: RP_TARGETS, path: (k) => `/api/v1/reports/${RP_QUERY[k].replace('?', '?fiscal_year=2025&').replace(/^([a-z_]+)$/, '$1?fiscal_year=2025')}`, expect: rpScoped },
  { route: 'GET /api/v1/reports/{name}/csv', targets: ['own', 'pref27', 'ledger13'], path: (k) => `/api/v1/reports/${RP_QUERY[k].replace(/^([a-z_]+)/, '$1/csv')}`, expect: rpScoped },
  { route: 'GET /api/v1/reports/{name}/xlsx', targets: ['own', 'access', 'ledger13'], path: (k) => `/api/v1/reports/${RP_QUERY[k].replace(/^([a-z_]+)/, '$1/xlsx')}`, expect: rpScoped },
  { route: 'POST /api/v1/report-builds', body: () => ({}), expect: { anonymous: 401, signedIn: 403, staff: 422 } },
  { route: 'GET /api/v1/report-builds/{id}', targets: ['rb', 'missing'], build: true, path: (k, t) => `/api/v1/report-builds/${k === 'rb' ? t.rb : 987654321}`, expect: rbScoped },
  { route: 'GET /api/v1/report-builds/{id}/file', targets: ['rb', 'missing'], build: true, path: (k, t) => `/api/v1/report-builds/${k === 'rb' ? t.rb : 987654321}/file`, expect: rbScoped },
  { route: 'GET /api/v1/exports/offers.xlsx', expect: { anonymous: 401, signedIn: 403, staff: 200 } },
];
const RP_MATRIX = RP_ROUTES.flatMap((spec) => (spec.targets || [null]).flatMap((target) => ROLES.map((as) => {
  const expect = expectFor(spec, as, target);
  return { route: spec.route, as, target, expect, code: expect === 404 ? undefined : DENIAL_CODE[expect] };
})));
MATRIX.push(...RP_MATRIX);

for (const spec of RP_ROUTES) {
  for (const target of spec.targets || [null]) {
    test(`matrix ${spec.route}${target ? ` target=${target}` : ''}`, async () => {
      const path = spec.path ? spec.path(target, spec.build ? await rpSetup() : null) : spec.route.split(' ')[1];
      const bad = [];
      for (const row of RP_MATRIX.filter((r) => r.route === spec.route && r.target === target)) {
        const c = row.as === 'anonymous' ? client() : await demo(row.as);
        const r = await c.req(spec.route.split(' ')[0], path, spec.body ? { json: spec.body() } : {});
        let problem = null;
        if (r.status !== row.expect) problem = `got ${r.status}`;
        else if (row.code && r.json?.error?.code !== row.code) problem = `code ${r.json?.error?.code}, want ${row.code}`;
        else if (row.expect === 404 && target === 'unknown' && r.json?.error?.code !== 'report.unknown') problem = `code ${r.json?.error?.code}, want report.unknown`;
        if (problem) bad.push(`${row.as}: want ${row.expect}${row.code ? ` ${row.code}` : ''}, ${problem} ${r.text.slice(0, 160)}`);
      }
      assert.deepEqual(bad, []);
    });
  }
}
