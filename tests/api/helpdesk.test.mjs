// The central help desk (ヘルプデスク, docs/API.md "Help desk"): prefectural centers open tickets,
// central staff answer. Opening (center staff only, the caller's prefecture), the ticket's
// members and labels, list scoping (counselor13 sees Tokyo only, counselor27 gets 404 on a Tokyo
// ticket, central and sysadmin see all), filters and paging, newest activity first; replies
// change the status (central → answered, center → open) and a central reply mails the opener;
// closing (either side) and the 409s after it; bad input on every write (malformed, oversize,
// missing, wrong type, unknown category, invalid UTF-8) leaves the database unchanged; HTML and
// SQL text is stored verbatim and returned as data.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  API, demo, client, assertError, counts, stableCounts, diffCounts, mailsTo, waitMail, sleep, JP_RE, DEMO,
} from './_lib.mjs';
import { assertField, allPages, tag } from './_notif.mjs';

const SQL = "'; DROP TABLE helpdesk_tickets;--";
const HTML = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const TICKET_KEYS = ['id', 'prefecture', 'category', 'subject', 'status', 'opened_at', 'opened_by', 'updated_at',
  'closed_at', 'reply_count', 'imported'];
const DETAIL_KEYS = [...TICKET_KEYS, 'description', 'replies', 'can_reply', 'can_close'];
const T = '/helpdesk/tickets';

let c13, a13, c27, central, sysadmin, fac13, staff13, nurse13;

before(async () => {
  [c13, a13, c27, central, sysadmin, fac13, staff13, nurse13] = await Promise.all(
    ['counselor13', 'admin13', 'counselor27', 'central', 'sysadmin', 'facility13', 'staff13', 'nurse13'].map((n) => demo(n)));
});

const body = (over = {}) => ({ category: 'applications', subject: `紹介状の出力について ${tag()}`, description: '紹介状のPDFが開けません。\n手順を教えてください。', ...over });
const open = (c, json) => c.post(`${API}${T}`, json);
const get = (c, id) => c.get(`${API}${T}/${id}`);
const reply = (c, id, text) => c.post(`${API}${T}/${id}/replies`, { body: text });
const close = (c, id) => c.req('POST', `${API}${T}/${id}/close`);

function assertTicket(t, detail = true) {
  for (const k of detail ? DETAIL_KEYS : TICKET_KEYS) assert.ok(k in t, `Ticket has ${k}: ${JSON.stringify(t).slice(0, 300)}`);
  assert.equal(typeof t.id, 'number');
  assert.match(t.prefecture.code, /^\d\d$/);
  assert.match(t.prefecture.name, JP_RE);
  assert.equal(typeof t.category.code, 'string');
  assert.match(t.category.label, JP_RE);
  assert.ok(['open', 'answered', 'closed'].includes(t.status.code), t.status.code);
  assert.match(t.status.label, JP_RE);
  assert.equal(typeof t.opened_at, 'number');
  assert.equal(typeof t.updated_at, 'number');
  assert.equal(typeof t.reply_count, 'number');
  if (detail) {
    assert.ok(Array.isArray(t.replies));
    assert.equal(t.replies.length, t.reply_count);
    for (const r of t.replies) {
      for (const k of ['id', 'author', 'side', 'body', 'at']) assert.ok(k in r, `reply has ${k}`);
      assert.ok(['center', 'central'].includes(r.side));
    }
  } else {
    assert.ok(!('description' in t) && !('replies' in t), 'list items carry no description or replies');
  }
  return t;
}

async function openOk(c, json = body()) {
  const r = await open(c, json);
  assert.equal(r.status, 201, `open a ticket: ${r.text.slice(0, 400)}`);
  return assertTicket(r.json.ticket);
}

test('center staff open a ticket for their own prefecture; its members, labels and opener', async () => {
  const b = body({ category: 'reports_data' });
  const t = await openOk(c13, b);
  assert.equal(t.prefecture.code, '13');
  assert.equal(t.prefecture.name, '東京都');
  assert.deepEqual(t.category, { code: 'reports_data', label: '統計・データ出力' });
  assert.deepEqual(t.status, { code: 'open', label: '回答待ち' });
  assert.equal(t.subject, b.subject);
  assert.equal(t.description, b.description, 'newlines kept in the description');
  assert.deepEqual(t.opened_by, { id: c13.user.id, name: c13.user.name });
  assert.equal(t.reply_count, 0);
  assert.deepEqual(t.replies, []);
  assert.equal(t.closed_at, null);
  assert.equal(t.imported, false);
  assert.equal(t.can_reply, true);
  assert.equal(t.can_close, true);
  assert.ok(Math.abs(t.opened_at - Date.now() / 1000) < 600, 'opened_at is now (Unix seconds)');
  assert.equal(t.updated_at, t.opened_at);
  const g = await get(c13, t.id);
  assert.equal(g.status, 200, g.text.slice(0, 300));
  assert.deepEqual(g.json.ticket, t, 'GET returns what POST returned');

  const t27 = await openOk(c27, body({ category: 'fault' }));
  assert.equal(t27.prefecture.code, '27', 'the ticket is the caller\'s prefecture (Osaka)');
  const ta = await openOk(a13, body({ category: 'wish' }));
  assert.equal(ta.prefecture.code, '13', 'a center admin opens for their center too');
  assert.equal(ta.opened_by.id, a13.user.id);

  // Only center staff open tickets: central answers, sysadmin reads, the others are not staff.
  const before = await stableCounts();
  for (const c of [central, sysadmin, fac13, staff13, nurse13]) assertError(await open(c, body()), 403, 'auth.forbidden');
  assertError(await open(client(), body()), 401, 'auth.required');
  assert.deepEqual(diffCounts(before, await counts()), {}, 'nothing written by the refused requests');
});

test('every category of /ref can be chosen and comes back with its label', async () => {
  const ref = (await client().get(`${API}/ref`)).json;
  assert.ok(Array.isArray(ref.helpdesk_categories) && ref.helpdesk_categories.length === 13, 'the 13 categories of DESIGN.md §6');
  assert.deepEqual(ref.helpdesk_statuses.map((s) => s.code), ['open', 'answered', 'closed']);
  for (const cat of ref.helpdesk_categories) {
    const t = await openOk(c13, body({ category: cat.code, subject: `分類 ${cat.name}` }));
    assert.deepEqual(t.category, { code: cat.code, label: cat.name });
  }
});

test('scope: counselor13 sees Tokyo only, counselor27 gets 404 on a Tokyo ticket, central and sysadmin see all', async () => {
  const t13 = await openOk(c13);
  const t27 = await openOk(c27);
  const l13 = await allPages(c13, `${API}${T}`);
  assert.ok(l13.items.length > 0);
  for (const x of l13.items) assertTicket(x, false);
  assert.ok(l13.items.every((x) => x.prefecture.code === '13'), 'counselor13 lists only Tokyo tickets');
  assert.ok(l13.items.some((x) => x.id === t13.id) && !l13.items.some((x) => x.id === t27.id));
  const la = await allPages(a13, `${API}${T}`);
  assert.deepEqual(la.items.map((x) => x.id).sort(), l13.items.map((x) => x.id).sort(), 'admin13 sees what counselor13 sees');
  const l27 = await allPages(c27, `${API}${T}`);
  assert.ok(l27.items.every((x) => x.prefecture.code === '27'));
  assert.ok(l27.items.some((x) => x.id === t27.id) && !l27.items.some((x) => x.id === t13.id));
  for (const c of [central, sysadmin]) {
    const all = await allPages(c, `${API}${T}`);
    assert.ok(all.items.some((x) => x.id === t13.id) && all.items.some((x) => x.id === t27.id), 'central and sysadmin see both');
    assert.equal(all.items.length, all.total);
  }

  // Out of scope looks exactly like missing, for every route on {id}.
  const a = await get(c27, t13.id);
  const m = await get(c27, 987654321);
  assertError(a, 404, 'resource.not_found');
  assert.equal(a.text, m.text, 'same answer as for a missing ticket');
  const before = await stableCounts();
  assertError(await reply(c27, t13.id, '他県からの返信'), 404, 'resource.not_found');
  assertError(await close(c27, t13.id), 404, 'resource.not_found');
  assertError(await get(c13, t27.id), 404, 'resource.not_found');
  assertError(await reply(c13, t27.id, '他県からの返信'), 404, 'resource.not_found');
  assert.deepEqual(diffCounts(before, await counts()), {}, 'nothing written out of scope');

  // sysadmin reads everything but never writes; facility accounts and nurses see nothing.
  const s = await get(sysadmin, t13.id);
  assert.equal(s.status, 200);
  assert.equal(s.json.ticket.can_reply, false);
  assert.equal(s.json.ticket.can_close, false);
  assertError(await reply(sysadmin, t13.id, '管理者の返信'), 403, 'auth.forbidden');
  assertError(await close(sysadmin, t13.id), 403, 'auth.forbidden');
  for (const c of [fac13, staff13, nurse13]) {
    assertError(await c.get(`${API}${T}`), 403, 'auth.forbidden');
    assertError(await get(c, t13.id), 403, 'auth.forbidden');
    assertError(await reply(c, t13.id, 'x'), 403, 'auth.forbidden');
    assertError(await close(c, t13.id), 403, 'auth.forbidden');
  }
  assertError(await client().get(`${API}${T}`), 401, 'auth.required');
  assert.deepEqual(diffCounts(before, await counts()), {}, 'nothing written by the refused requests');
});

test('filters: status, category, prefecture (central; center staff stay in their prefecture); bad parameters 400', async () => {
  const cat = 'hardware_network';
  const a = await openOk(c13, body({ category: cat }));
  const b = await openOk(c27, body({ category: cat }));
  assert.equal((await reply(central, b.id, '回答します')).status, 201);
  const byCat = await allPages(central, `${API}${T}?category=${cat}`);
  assert.ok(byCat.items.every((x) => x.category.code === cat));
  assert.ok(byCat.items.some((x) => x.id === a.id) && byCat.items.some((x) => x.id === b.id));
  const answered = await allPages(central, `${API}${T}?status=answered&category=${cat}`);
  assert.ok(answered.items.every((x) => x.status.code === 'answered'));
  assert.ok(answered.items.some((x) => x.id === b.id) && !answered.items.some((x) => x.id === a.id));
  const osaka = await allPages(central, `${API}${T}?prefecture=27`);
  assert.ok(osaka.items.every((x) => x.prefecture.code === '27') && osaka.items.some((x) => x.id === b.id));
  const tokyoOnly = await c13.get(`${API}${T}?prefecture=27`);
  assert.equal(tokyoOnly.status, 200);
  assert.equal(tokyoOnly.json.total, 0, 'counselor13 asking for Osaka gets nothing (the filter only narrows)');
  assert.deepEqual(tokyoOnly.json.items, []);
  const own = await allPages(c13, `${API}${T}?prefecture=13&category=${cat}`);
  assert.ok(own.items.some((x) => x.id === a.id));
  for (const q of ['status=pending', 'category=nope', `category=${encodeURIComponent(SQL)}`, 'prefecture=48', 'prefecture=1',
    'page=0', 'per_page=101', 'per_page=abc', 'page=-1']) {
    assertError(await central.get(`${API}${T}?${q}`), 400, 'request.bad_parameter');
  }
});

test('paging and order: newest activity first, total over all pages', async () => {
  const first = await openOk(c13);
  await sleep(1100); // updated_at has second resolution
  const second = await openOk(c13);
  let page1 = (await c13.get(`${API}${T}?per_page=2`)).json;
  assert.deepEqual(page1.items.map((x) => x.id).slice(0, 2), [second.id, first.id], 'newest first');
  await sleep(1100);
  assert.equal((await reply(central, first.id, '先に作られた問い合わせへの回答')).status, 201);
  page1 = (await c13.get(`${API}${T}?per_page=2`)).json;
  assert.deepEqual(page1.items.map((x) => x.id), [first.id, second.id], 'a reply moves the ticket to the top');
  assert.equal(page1.page, 1);
  assert.equal(page1.per_page, 2);
  const items = [];
  for (let p = 1; p <= 200; p++) {
    const r = await c13.get(`${API}${T}?per_page=3&page=${p}`);
    assert.equal(r.status, 200);
    items.push(...r.json.items);
    if (!r.json.items.length) break;
  }
  assert.equal(items.length, page1.total, 'total equals the items over all pages');
  assert.equal(new Set(items.map((x) => x.id)).size, items.length, 'no ticket twice');
  for (let i = 1; i < items.length; i++) {
    const [p, q] = [items[i - 1], items[i]];
    assert.ok(p.updated_at > q.updated_at || (p.updated_at === q.updated_at && p.id > q.id), 'ordered by updated_at, then id, descending');
  }
});

test('replies: central answers (answered, the opener is mailed), the center replies (open again, no mail)', async () => {
  const t = await openOk(c13, body({ subject: `メール確認 ${tag()}` }));
  const since = Date.now() - 1000;
  const r1 = await reply(central, t.id, 'ご確認ありがとうございます。\n次の手順をお試しください。');
  assert.equal(r1.status, 201, r1.text.slice(0, 300));
  const a = assertTicket(r1.json.ticket);
  assert.deepEqual(a.status, { code: 'answered', label: '回答済み' });
  assert.equal(a.reply_count, 1);
  assert.equal(a.replies[0].side, 'central');
  assert.deepEqual(a.replies[0].author, { id: central.user.id, name: central.user.name });
  assert.equal(a.replies[0].body, 'ご確認ありがとうございます。\n次の手順をお試しください。');
  assert.ok(a.updated_at >= t.updated_at);

  const mail = await waitMail({ to: DEMO.counselor13, since, textIncludes: t.subject });
  assert.match(mail.subject, /ヘルプデスク/);
  assert.ok(mail.text.includes(`/center/helpdesk/${t.id}`), `the mail links the ticket: ${mail.text}`);
  assert.ok(mail.text.includes(c13.user.name), 'addressed to the opener by name');

  const r2 = await reply(a13, t.id, '試しましたが、まだ開けません。');
  assert.equal(r2.status, 201, r2.text.slice(0, 300));
  const b = r2.json.ticket;
  assert.deepEqual(b.status, { code: 'open', label: '回答待ち' }, 'a center reply opens it again');
  assert.equal(b.reply_count, 2);
  assert.equal(b.replies[1].side, 'center');
  assert.equal(b.replies[1].author.id, a13.user.id, 'any center staff of the prefecture may reply');
  assert.ok(b.replies[0].id < b.replies[1].id, 'replies oldest first');

  const r3 = await reply(central, t.id, '別の手順をご案内します。');
  assert.equal(r3.json.ticket.status.code, 'answered');
  assert.equal(r3.json.ticket.reply_count, 3);
  await sleep(1500); // let the job worker deliver anything queued
  const toCentral = (await mailsTo(DEMO.central, since)).filter((m) => m.text.includes(t.subject));
  assert.deepEqual(toCentral, [], 'no mail to central for a center reply');
  const toOpener = (await mailsTo(DEMO.counselor13, since)).filter((m) => m.text.includes(t.subject));
  assert.equal(toOpener.length, 2, 'one mail to the opener per central reply');
  assert.deepEqual((await mailsTo(DEMO.admin13, since)).filter((m) => m.text.includes(t.subject)), [],
    'only the opener is mailed');
  const list = await allPages(c13, `${API}${T}?status=open`);
  assert.ok(!list.items.some((x) => x.id === t.id), 'an answered ticket is not in status=open');
  const listed = (await allPages(central, `${API}${T}?status=answered`)).items.find((x) => x.id === t.id);
  assert.equal(listed.reply_count, 3);
});

test('close: either side closes; closing again and replying after it are 409 with nothing written', async () => {
  const t = await openOk(c13);
  const c = await close(c13, t.id);
  assert.equal(c.status, 200, c.text.slice(0, 300));
  const x = assertTicket(c.json.ticket);
  assert.deepEqual(x.status, { code: 'closed', label: '完了' });
  assert.equal(typeof x.closed_at, 'number');
  assert.equal(x.can_reply, false);
  assert.equal(x.can_close, false);
  const before = await stableCounts();
  const again = assertError(await close(c13, t.id), 409, 'helpdesk.closed');
  assert.match(again.message, /完了/);
  const late = assertError(await reply(central, t.id, '遅れた回答'), 409, 'helpdesk.closed');
  assert.match(late.message, /完了/);
  assertError(await reply(c13, t.id, '追加の質問'), 409, 'helpdesk.closed');
  assertError(await close(central, t.id), 409, 'helpdesk.closed');
  assert.deepEqual(diffCounts(before, await counts()), {}, 'nothing written by the 409s');
  const g = (await get(c13, t.id)).json.ticket;
  assert.equal(g.status.code, 'closed');
  assert.equal(g.closed_at, x.closed_at, 'closed_at unchanged');
  assert.equal(g.reply_count, 0);

  const u = await openOk(c27);
  assert.equal((await reply(central, u.id, '回答')).status, 201);
  const byCentral = await close(central, u.id);
  assert.equal(byCentral.status, 200, 'central closes too');
  assert.equal(byCentral.json.ticket.status.code, 'closed');
  // A body on close is refused (it takes none), before anything is written.
  const v = await openOk(c13);
  const b2 = await stableCounts();
  assertField(await c13.post(`${API}${T}/${v.id}/close`, { reason: 'x' }), 'reason', 'reason.unknown');
  assert.deepEqual(diffCounts(b2, await counts()), {});
  assert.equal((await get(c13, v.id)).json.ticket.status.code, 'open');
  assert.equal((await c13.post(`${API}${T}/${v.id}/close`, {})).status, 200, 'an empty object is fine');
});

test('hostile text is stored verbatim and returned as data', async () => {
  const subject = `${HTML} ${SQL}`.slice(0, 100);
  const description = `${HTML}\n${SQL}\n=cmd|' /C calc'!A0\njavascript:alert(1)`;
  const t = await openOk(c13, body({ subject, description }));
  assert.equal(t.subject, subject);
  assert.equal(t.description, description);
  const r = await reply(central, t.id, `${SQL}\n${HTML}`);
  assert.equal(r.status, 201);
  assert.equal(r.json.ticket.replies[0].body, `${SQL}\n${HTML}`);
  const g = await get(c13, t.id);
  assert.match(g.headers.get('content-type'), /^application\/json/);
  assert.equal(g.json.ticket.subject, subject);
  const listed = (await allPages(central, `${API}${T}?prefecture=13`)).items.find((x) => x.id === t.id);
  assert.equal(listed.subject, subject);
  // The tables are still there.
  assert.equal((await central.get(`${API}${T}?per_page=1`)).status, 200);
});

test('text is NFKC-normalised and trimmed; blank is missing', async () => {
  const t = await openOk(c13, body({ subject: '  ＡＢＣ　ｶﾅの件  ', description: '  内容です  ' }));
  assert.equal(t.subject, 'ABC カナの件');
  const before = await stableCounts();
  const r = await open(c13, body({ subject: '   ', description: '\n\n' }));
  const fe = assertField(r, 'subject', 'subject.missing');
  assert.ok(fe.description.includes('description.missing'), `every field at once: ${JSON.stringify(fe)}`);
  assertField(await reply(central, t.id, ' \n '), 'body', 'body.missing');
  assert.deepEqual(diffCounts(before, await counts()), {});
});

// ---- bad input --------------------------------------------------------------------------------

const LONG = 'あ'.repeat(10000);
function badCases(valid, strings) {
  const raw = (s) => ({ raw: s });
  const cases = [
    ['truncated JSON', raw(JSON.stringify(valid).slice(0, -3)), [400], 'request.malformed_json'],
    ['not JSON', raw('category=other&subject=x'), [400], 'request.malformed_json'],
    ['top-level array', raw(JSON.stringify([valid])), [400], 'request.malformed_json'],
    ['duplicate key', raw(JSON.stringify(valid).replace(/^\{/, `{"${strings[0]}":"dup",`)), [400], 'request.malformed_json'],
    ['unknown key', { json: { ...valid, status: 'closed' } }, [422], 'status.unknown'],
    ['privilege key', { json: { ...valid, prefecture: '27' } }, [422], 'prefecture.unknown'],
    ['empty object', { json: {} }, [422], strings.map((f) => `${f}.missing`)],
    ['oversize body (64 KiB)', { json: { ...valid, [strings[0]]: 'x'.repeat(64 * 1024) } }, [413], 'request.too_large'],
  ];
  for (const f of strings) {
    cases.push([`${f}: number`, { json: { ...valid, [f]: 12345 } }, [422], `${f}.type`]);
    cases.push([`${f}: null`, { json: { ...valid, [f]: null } }, [422], [`${f}.type`, `${f}.missing`]]);
    cases.push([`${f}: array`, { json: { ...valid, [f]: ['x'] } }, [422], `${f}.type`]);
    cases.push([`${f}: object`, { json: { ...valid, [f]: { a: 1 } } }, [422], `${f}.type`]);
    cases.push([`${f}: boolean`, { json: { ...valid, [f]: true } }, [422], `${f}.type`]);
    cases.push([`${f}: 10,000 characters`, { json: { ...valid, [f]: LONG } }, [422, 413], `${f}.too_long`]);
    cases.push([`${f}: huge number`, raw(JSON.stringify({ ...valid, [f]: 'MARK' }).replace('"MARK"', '1e400')), [400, 422], null]);
    cases.push([`${f}: 2^64`, raw(JSON.stringify({ ...valid, [f]: 'MARK' }).replace('"MARK"', '18446744073709551616')), [400, 422], null]);
    const [pre, post] = JSON.stringify({ ...valid, [f]: 'MARK' }).split('"MARK"');
    const badUtf8 = Buffer.concat([Buffer.from(pre), Buffer.from([0x22, 0x61, 0xff, 0xc3, 0x28, 0x22]), Buffer.from(post)]);
    cases.push([`${f}: invalid UTF-8`, { raw: badUtf8 }, [400], 'request.malformed_json']);
    cases.push([`${f}: NUL`, raw(JSON.stringify({ ...valid, [f]: 'MARK' }).replace('"MARK"', '"a\\u0000b"')), [400, 422], null]);
    cases.push([`${f}: lone surrogate`, raw(JSON.stringify({ ...valid, [f]: 'MARK' }).replace('"MARK"', '"a\\ud800b"')), [400, 422], null]);
    cases.push([`${f}: control character`, { json: { ...valid, [f]: 'a\u0007b' } }, [422], `${f}.invalid`]);
  }
  return cases;
}

async function runBad(c, path, valid, strings, extra = []) {
  const before = await stableCounts();
  const problems = [];
  for (const [what, k, statuses, codes] of [...badCases(valid, strings), ...extra]) {
    const opts = k.raw !== undefined ? { body: k.raw, headers: { 'content-type': 'application/json' } } : { json: k.json };
    const r = await c.req('POST', path, opts);
    try {
      assert.ok(statuses.includes(r.status), `status ${r.status}, want ${statuses}`);
      if (r.status === 422) {
        const e = assertError(r, 422, 'validation.failed');
        const got = e.fields.map((x) => x.code);
        for (const f of e.fields) assert.match(f.message, JP_RE);
        if (codes) {
          const want = [].concat(codes);
          if (what === 'empty object') for (const w of want) assert.ok(got.includes(w), `${w} in ${got}`);
          else assert.ok(want.some((w) => got.includes(w)), `one of ${want} in ${got}`);
        }
      } else {
        const e = assertError(r, r.status);
        if (codes && typeof codes === 'string') assert.equal(e.code, codes);
      }
    } catch (err) {
      problems.push(`${what}: ${err.message.split('\n')[0]} — ${r.text.slice(0, 200)}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(diffCounts(before, await counts()), {}, 'database unchanged by the rejected requests');
}

test('bad input: POST /helpdesk/tickets', async () => {
  const valid = { category: 'other', subject: '件名', description: '内容' };
  await runBad(c13, `${API}${T}`, valid, ['category', 'subject', 'description'], [
    ['unknown category', { json: { ...valid, category: 'nope' } }, [422], 'category.invalid'],
    ['category label instead of code', { json: { ...valid, category: 'その他' } }, [422], 'category.invalid'],
    ['category SQL', { json: { ...valid, category: SQL } }, [422], 'category.invalid'],
    ['subject of 101 characters', { json: { ...valid, subject: 'あ'.repeat(101) } }, [422], 'subject.too_long'],
    ['subject with a newline', { json: { ...valid, subject: '一行目\n二行目' } }, [422], 'subject.invalid'],
    ['description of 4001 characters', { json: { ...valid, description: 'あ'.repeat(4001) } }, [422], 'description.too_long'],
    ['every field wrong at once', { json: { category: 1, subject: 'あ'.repeat(101), description: [] } }, [422], null],
  ]);
  const all = await open(c13, { category: 1, subject: 'あ'.repeat(101), description: [] });
  const fe = assertField(all, 'category', 'category.type');
  assert.deepEqual(Object.keys(fe).sort(), ['category', 'description', 'subject'], 'every field error at once');
  // The limits themselves are accepted.
  const ok = await openOk(c13, { ...valid, subject: 'あ'.repeat(100), description: 'あ'.repeat(4000) });
  assert.equal(ok.subject.length, 100);
  assert.equal(ok.description.length, 4000);
});

test('bad input: POST /helpdesk/tickets/{id}/replies (central and center side)', async () => {
  const t = await openOk(c13);
  for (const c of [central, c13]) {
    await runBad(c, `${API}${T}/${t.id}/replies`, { body: '返信' }, ['body'], [
      ['body of 4001 characters', { json: { body: 'あ'.repeat(4001) } }, [422], 'body.too_long'],
    ]);
  }
  const g = (await get(c13, t.id)).json.ticket;
  assert.equal(g.status.code, 'open', 'status unchanged by the rejected replies');
  assert.equal(g.reply_count, 0);
  const ok = await reply(central, t.id, 'あ'.repeat(4000));
  assert.equal(ok.status, 201, 'a reply of 4000 characters is accepted');
  // Bad ids in the path.
  const before = await stableCounts();
  for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999999', '%27%20OR%201=1']) {
    for (const r of [await reply(central, id, 'x'), await get(central, id), await close(central, id)]) {
      assert.ok([400, 404].includes(r.status), `id ${id}: ${r.status}`);
      assertError(r, r.status);
    }
  }
  assert.deepEqual(diffCounts(before, await counts()), {});
  assertError(await get(central, 987654321), 404, 'resource.not_found');
  assertError(await close(central, 987654321), 404, 'resource.not_found');
});

test('a write without the CSRF token or with another content type is refused and writes nothing', async () => {
  const t = await openOk(c13);
  const before = await stableCounts();
  assertError(await c13.req('POST', `${API}${T}`, { json: body(), csrf: false }), 403, 'auth.csrf');
  assertError(await c13.req('POST', `${API}${T}/${t.id}/replies`, { json: { body: 'x' }, csrf: false }), 403, 'auth.csrf');
  assertError(await c13.req('POST', `${API}${T}/${t.id}/close`, { csrf: false }), 403, 'auth.csrf');
  const form = await c13.req('POST', `${API}${T}`, { body: 'category=other', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assertError(form, 415);
  assert.deepEqual(diffCounts(before, await counts()), {});
});
