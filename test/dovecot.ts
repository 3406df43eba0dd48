// A real IMAP server for tests: Debian's dovecot, started from a temporary directory with a
// config file of its own (127.0.0.1 on a free port, plain passwords from a passwd-file,
// maildirs under the directory, no TLS, log to a file) and stopped with `doveadm stop`.
// A missing dovecot is a failure, never a skip: install it with apt-get install dovecot-imapd.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BINARIES = ['/usr/sbin/dovecot', '/usr/bin/doveadm'];

export type Dovecot = {
  host: string;
  port: number;
  /** Mail users made before the server started (dovecot re-reads its passwd-file at most once a second, so users added later could be refused for a moment). */
  users: { user: string; password: string }[];
  /** The server's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
};

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

/** Resolves once the server sends its IMAP greeting. */
async function greeted(port: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('data', (d) => { socket.destroy(); resolve(d.toString().startsWith('* OK')); });
      socket.once('error', () => resolve(false));
      socket.setTimeout(1000, () => { socket.destroy(); resolve(false); });
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export async function startDovecot(userCount = 20): Promise<Dovecot> {
  const missing = BINARIES.filter((b) => !fs.existsSync(b));
  if (missing.length) {
    throw new Error(`dovecot is not installed (${missing.join(', ')} missing): the IMAP tests need a real IMAP server. Install it with: apt-get install -y dovecot-imapd`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-dovecot-'));
  const port = await freePort();
  // As root, mail is kept by an unprivileged user (dovecot refuses mail access as uid 0);
  // otherwise by the user running the tests.
  const isRoot = process.getuid?.() === 0;
  const me = os.userInfo();
  const [uid, gid] = isRoot ? [65534, 65534] : [me.uid, me.gid];
  fs.chmodSync(dir, 0o755);
  const mail = path.join(dir, 'mail');
  fs.mkdirSync(mail, { mode: 0o777 });
  fs.chmodSync(mail, 0o777);
  const passwd = path.join(dir, 'passwd');
  const users = Array.from({ length: userCount }, (_, i) => ({ user: `user${i + 1}`, password: `pw-${randomUUID()}` }));
  fs.writeFileSync(passwd, users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''));
  const conf = path.join(dir, 'dovecot.conf');
  const logFile = path.join(dir, 'dovecot.log');
  fs.writeFileSync(conf, [
    'protocols = imap',
    'listen = 127.0.0.1',
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `instance_name = civitas-test-${port}`,
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    // A refused password is answered at once (the default waits two seconds).
    'auth_failure_delay = 0',
    `log_path = ${logFile}`,
    `info_log_path = ${logFile}`,
    ...(isRoot ? [] : [`default_login_user = ${me.username}`, `default_internal_user = ${me.username}`]),
    'first_valid_uid = 1',
    `mail_location = maildir:${mail}/%u`,
    'passdb {', '  driver = passwd-file', `  args = scheme=PLAIN username_format=%u ${passwd}`, '}',
    'userdb {', '  driver = passwd-file', `  args = username_format=%u ${passwd}`, `  default_fields = uid=${uid} gid=${gid} home=${mail}/%u`, '}',
    'service imap-login {', '  inet_listener imap {', '    address = 127.0.0.1', `    port = ${port}`, '  }', '  inet_listener imaps {', '    port = 0', '  }', '}',
    // No growing penalty for the wrong passwords the tests send on purpose from this address.
    'service anvil {', '  chroot =', '  unix_listener anvil-auth-penalty {', '    mode = 0', '  }', '}',
    'service imap-login {', '  chroot =', '}',
    '',
  ].join('\n'));
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  const stop = async () => {
    await run('/usr/bin/doveadm', ['-c', conf, 'stop'], { timeout: 10_000 }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // dovecot forks into the background; its daemons would hold pipes open, so no stdio is shared.
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('/usr/sbin/dovecot', ['-c', conf], { stdio: 'ignore' });
    child.once('error', () => resolve(-1));
    child.once('exit', resolve);
  });
  if (code !== 0) {
    const text = log();
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`dovecot did not start (exit code ${code}). Its log:\n${text}`);
  }
  if (!(await greeted(port, Date.now() + 15_000))) {
    const text = log();
    await stop();
    throw new Error(`dovecot started but never answered on 127.0.0.1:${port}. Its log:\n${text}`);
  }
  return {
    host: '127.0.0.1',
    port,
    users,
    log,
    stop,
  };
}
