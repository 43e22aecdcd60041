#!/usr/bin/env node
'use strict';
/**
 * `npm start`: generate, build, start the guest agent on a local unix socket
 * (./tmp/qga.sock), show a short session, then keep the agent running and
 * say how to talk to it, until Ctrl-C.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const TMP = path.join(REPO, 'tmp');
const SOCK = path.join(TMP, 'qga.sock');
const STATE = path.join(TMP, 'qga-state');
const DEMO_FILE = path.join(TMP, 'demo.txt');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(title, args) {
  process.stdout.write(`\n== ${title}: npm ${args.join(' ')}\n`);
  const r = spawnSync(npm, args, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`\n${title} failed (status ${r.status})\n`);
    process.exit(r.status || 1);
  }
}

function connect(file, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.createConnection(file);
      s.once('connect', () => resolve(s));
      s.once('error', (e) => {
        if (Date.now() > deadline) reject(e);
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function lineReader(socket) {
  let buf = Buffer.alloc(0);
  const waiters = [];
  socket.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (let nl = buf.indexOf(10); nl >= 0 && waiters.length; nl = buf.indexOf(10)) {
      const line = buf.subarray(0, nl);
      buf = buf.subarray(nl + 1);
      waiters.shift()(line);
    }
  });
  return () => new Promise((resolve) => waiters.push(resolve));
}

function show(text, max = 400) {
  return text.length > max ? `${text.slice(0, max)} ... (${text.length} characters)` : text;
}

async function demo() {
  const socket = await connect(SOCK);
  const next = lineReader(socket);
  const call = async (request) => {
    const text = typeof request === 'string' ? request : JSON.stringify(request);
    process.stdout.write(`> ${show(text)}\n`);
    socket.write(text);
    const line = await next();
    const delimited = line[0] === 0xff;
    const answer = line.subarray(delimited ? 1 : 0).toString('latin1');
    process.stdout.write(`< ${delimited ? '[0xFF] ' : ''}${show(answer)}\n`);
    return JSON.parse(answer);
  };
  process.stdout.write('\n== a short session\n');
  await call({ execute: 'guest-sync', arguments: { id: 1234567890123 } });
  await call({ execute: 'guest-sync-delimited', arguments: { id: 42 } });
  await call({ execute: 'guest-info' });
  await call({ execute: 'guest-ping' });
  const text = 'Hello from the qapi-ts guest agent!\n';
  const h = (await call({ execute: 'guest-file-open', arguments: { path: DEMO_FILE, mode: 'w+' } })).return;
  await call({ execute: 'guest-file-write', arguments: { handle: h, 'buf-b64': Buffer.from(text).toString('base64') } });
  await call({ execute: 'guest-file-seek', arguments: { handle: h, offset: 0, whence: 'set' } });
  const r = await call({ execute: 'guest-file-read', arguments: { handle: h } });
  process.stdout.write(`  (buf-b64 decodes to ${JSON.stringify(Buffer.from(r.return['buf-b64'], 'base64').toString())})\n`);
  await call({ execute: 'guest-file-close', arguments: { handle: h } });
  socket.destroy();
}

async function main() {
  step('generate', ['run', 'generate']);
  step('build', ['run', 'build']);
  fs.mkdirSync(STATE, { recursive: true });

  process.stdout.write(`\n== starting the agent: bin/qga -m unix-listen -p ${path.relative(REPO, SOCK)} -t ${path.relative(REPO, STATE)}\n`);
  const agent = spawn(process.execPath, [path.join(REPO, 'bin', 'qga'), '-m', 'unix-listen', '-p', SOCK, '-t', STATE], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, QGA_CONF: process.env.QGA_CONF || path.join(TMP, 'qemu-ga.conf') },
  });
  agent.on('exit', (code, signal) => {
    process.stdout.write(`\nagent stopped (${signal || `status ${code}`})\n`);
    process.exit(code || 0);
  });
  const stop = () => agent.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    await demo();
  } catch (e) {
    process.stderr.write(`demo failed: ${e.message}\n`);
    stop();
    return;
  }

  const rel = path.relative(process.cwd(), SOCK) || SOCK;
  process.stdout.write(`
== the agent is running (pid ${agent.pid}) on ${SOCK}
Talk to it (one client at a time) with:
  socat - UNIX-CONNECT:${rel}
or, without socat:
  node -e "const s=require('net').connect('${rel}');process.stdin.pipe(s);s.pipe(process.stdout)"
then type for example {"execute":"guest-info"}
Press Ctrl-C to stop it.
`);
}

main();
