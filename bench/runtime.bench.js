'use strict';
/**
 * Wire codec throughput (in process, compiled code from dist/): framing and
 * parsing a 32 MiB guest-file-write request (one base64 string), encoding a
 * 48 MiB guest-file-read answer, and many small pipelined requests. Figures
 * are the best CPU time of a few runs, so a loaded machine hurts less.
 */
const path = require('node:path');
const { JsonStreamer, encodeLine } = require(path.join(__dirname, '..', 'dist', 'runtime', 'protocol.js'));

exports.description = 'JSON framing, parsing and encoding of large and pipelined messages';

function bestCpuMs(runs, f) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

function nullObject(entries) {
  return Object.assign(Object.create(null), entries);
}

exports.run = async function run(report) {
  const runs = process.env.BENCH_QUICK ? 2 : 5;
  const b64 = Buffer.alloc(24 * 1024 * 1024, 0x5a).toString('base64');
  const request = Buffer.from(`{"execute":"guest-file-write","arguments":{"handle":1000,"buf-b64":"${b64}"}}`, 'latin1');

  for (const [label, chunk] of [['one chunk', request.length], ['64 KiB chunks', 65536]]) {
    let parsed = false;
    const ms = bestCpuMs(runs, () => {
      const streamer = new JsonStreamer((m) => (parsed = m.ok && m.value.arguments['buf-b64'].length === b64.length));
      for (let o = 0; o < request.length; o += chunk) streamer.feed(request.subarray(o, o + chunk));
    });
    if (!parsed) throw new Error('the 32 MiB request did not parse');
    report({ metric: `parse 32 MiB guest-file-write (${label})`, value: 32 / (ms / 1000), unit: 'MiB/s' });
  }

  const data = Buffer.alloc(48 * 1024 * 1024, 0x33).toString('base64');
  const answer = nullObject({ return: nullObject({ count: 50331648n, 'buf-b64': data, eof: false }) });
  const ms = bestCpuMs(runs, () => encodeLine(answer));
  report({ metric: 'encode 48 MiB guest-file-read answer (64 MiB base64)', value: 64 / (ms / 1000), unit: 'MiB/s' });

  const n = 50000;
  const many = Buffer.from(Array.from({ length: n }, (_, i) => `{"execute":"guest-sync","arguments":{"id":${i}}}`).join(''));
  let count = 0;
  const pipelinedMs = bestCpuMs(runs, () => {
    count = 0;
    new JsonStreamer(() => count++).feed(many);
  });
  if (count !== n) throw new Error(`parsed ${count} of ${n} pipelined requests`);
  report({ metric: 'parse pipelined small requests', value: (n / pipelinedMs) * 1000, unit: 'msg/s' });
};
