// Loopback SMTP sink for tests.
//
// startSmtp({maildir}) -> {url, port, maildir, messages(), waitForMail(q), stop()}
//   Plain SMTP on 127.0.0.1 at an ephemeral port, no TLS, AUTH optional.
//   Every message is parsed with mailparser and kept in memory, and also
//   written as an .eml file into `maildir` (option, else env NCCS_TEST_MAILDIR,
//   else a fresh temp dir) so that other processes (the test files) can read
//   it with readMailbox(dir) / waitForMailIn(dir, q).
//
// A mail is {to: [addresses], subject, text, html, from, receivedAt, file}.
// `to` holds the envelope recipients and the To/Cc header addresses, lower-case.
//
// Queries q: {to, subjectIncludes, textIncludes, since (ms epoch), timeoutMs}.

import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { mkdtemp, mkdir, readdir, readFile, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ENVELOPE_HEADER = 'X-Nccs-Envelope-To';

function htmlToText(html) {
  return String(html || '')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>/gi, ' $1 ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

function addresses(field) {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  const out = [];
  for (const f of list) for (const v of f.value || []) if (v.address) out.push(v.address.toLowerCase());
  return out;
}

// Parses raw RFC 5322 bytes (as written by the sink) into a mail object.
export async function parseMail(raw, meta = {}) {
  const parsed = await simpleParser(raw);
  const to = new Set([...addresses(parsed.to), ...addresses(parsed.cc)]);
  const env = parsed.headers.get(ENVELOPE_HEADER.toLowerCase());
  if (env) for (const a of String(env).split(',')) if (a.trim()) to.add(a.trim().toLowerCase());
  for (const a of meta.envelopeTo || []) to.add(a.toLowerCase());
  const text = parsed.text || htmlToText(parsed.html);
  return {
    to: [...to],
    from: parsed.from ? parsed.from.text : '',
    subject: parsed.subject || '',
    text,
    html: parsed.html || '',
    headers: parsed.headers,
    receivedAt: meta.receivedAt || 0,
    file: meta.file || null,
  };
}

export function matches(mail, q = {}) {
  if (q.to && !mail.to.includes(String(q.to).toLowerCase())) return false;
  if (q.subjectIncludes && !mail.subject.includes(q.subjectIncludes)) return false;
  if (q.textIncludes && !mail.text.includes(q.textIncludes)) return false;
  if (q.since && mail.receivedAt < q.since) return false;
  return true;
}

// All mails in a maildir written by startSmtp, oldest first.
export async function readMailbox(dir) {
  let names;
  try { names = await readdir(dir); } catch (e) { if (e.code === 'ENOENT') return []; throw e; }
  names = names.filter((n) => n.endsWith('.eml')).sort();
  const out = [];
  for (const n of names) {
    const file = path.join(dir, n);
    const raw = await readFile(file);
    const receivedAt = Number(n.split('-')[0]) || 0;
    out.push(await parseMail(raw, { receivedAt, file }));
  }
  return out;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function pollFor(getAll, q) {
  const timeoutMs = q.timeoutMs ?? 15000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await getAll()).filter((m) => matches(m, q));
    if (found.length) return found[0];
    if (Date.now() >= deadline) {
      const err = new Error(`no mail matching ${JSON.stringify({ ...q, timeoutMs })} within ${timeoutMs} ms`);
      err.code = 'MAIL_TIMEOUT';
      throw err;
    }
    await sleep(50);
  }
}

// Waits for the first (oldest) mail in `dir` that matches q; returns it.
export function waitForMailIn(dir, q = {}) {
  return pollFor(() => readMailbox(dir), q);
}

// Returns the value of the first `token=` query parameter in a link in `text`.
export function extractToken(text) {
  const m = /[?&]token=([^\s&"'<>#)]+)/.exec(String(text || '').replace(/=\r?\n/g, ''));
  if (!m) return null;
  try { return decodeURIComponent(m[1]); } catch { return m[1]; }
}

// Returns the first http(s) link in text that contains `token=`.
export function extractLink(text) {
  const m = /https?:\/\/[^\s"'<>]*[?&]token=[^\s"'<>]+/.exec(String(text || ''));
  return m ? m[0] : null;
}

export async function startSmtp({ maildir } = {}) {
  maildir = maildir || process.env.NCCS_TEST_MAILDIR || await mkdtemp(path.join(tmpdir(), 'nccs-mail-'));
  await mkdir(maildir, { recursive: true });
  const store = [];
  let seq = 0;

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', async () => {
        try {
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          const body = Buffer.concat(chunks);
          // Keep the envelope in the file so other processes see Bcc recipients.
          const raw = Buffer.concat([
            Buffer.from(`${ENVELOPE_HEADER}: ${envelopeTo.join(', ')}\r\n`), body]);
          const receivedAt = Date.now();
          const name = `${receivedAt}-${String(process.pid)}-${String(++seq).padStart(6, '0')}.eml`;
          const file = path.join(maildir, name);
          await writeFile(file + '.tmp', raw);
          await rename(file + '.tmp', file); // readers never see half a file
          store.push(await parseMail(raw, { receivedAt, file, envelopeTo }));
          callback();
        } catch (e) {
          callback(e);
        }
      });
    },
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  server.on('error', () => {}); // client disconnects etc. must not crash the harness
  const { port } = server.server.address();

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    maildir,
    messages: () => store.slice(),
    waitForMail: (q = {}) => pollFor(async () => store, q),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
