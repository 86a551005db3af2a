// A local mail catcher for `make run`: accepts SMTP on loopback, stores each message as an .eml
// file and prints its subject and any links, so a developer can follow verification mails.
// Usage: node tools/dev-mail.mjs --port 2525 --dir var/mail
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const port = Number(arg('--port', '2525'));
const dir = arg('--dir', 'var/mail');
mkdirSync(dir, { recursive: true });
let n = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, done) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const file = join(dir, `${Date.now()}-${++n}.eml`);
      writeFileSync(file, raw);
      const mail = await simpleParser(raw);
      const links = (mail.text || '').match(/https?:\/\/\S+/g) || [];
      console.log(`mail to ${mail.to?.text}: ${mail.subject}\n  ${links.join('\n  ')}`);
      done();
    });
  },
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
