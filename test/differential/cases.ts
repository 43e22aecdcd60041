/**
 * The differential battery: the same bytes go to qemu-ga and to ours, the
 * answers are compared (see intended-differences.ts for what may differ).
 * Strings are written as latin1: '\xff' is the byte 0xFF; use utf8() for text.
 */
import type { Case, CaseContext } from './case';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const ping = '{"execute":"guest-ping"}';
const sync = (id: string | number) => `{"execute":"guest-sync","arguments":{"id":${id}}}`;
const withId = (id: string) => `{"execute":"guest-ping","id":${id}}`;
const h = (f: (handle: string) => string) => (ctx: CaseContext) => f(ctx.handle.toString());
const nested = (depth: number) => `{"execute":"guest-ping","id":${'['.repeat(depth)}${']'.repeat(depth)}}`;

export const cases: readonly Case[] = [
  // ---- framing ----
  { group: 'framing', name: 'ping', send: [ping] },
  { group: 'framing', name: 'ping with whitespace around', send: [' \r\n\t{ "execute" : "guest-ping" }\n\n'] },
  { group: 'framing', name: 'two messages in one write', send: [ping + sync(1)] },
  { group: 'framing', name: 'CR LF TAB between messages', send: [`${ping}\r\n\t ${sync(2)}\n`] },
  { group: 'framing', name: 'single-quoted request', send: [`{'execute':'guest-ping','id':'a"b'}`] },
  { group: 'framing', name: "escaped apostrophe in single quotes", send: [`{'execute':'guest-ping','id':'it\\'s'}`] },
  { group: 'framing', name: 'escaped quote in double quotes', send: [withId('"a\\"b\\\\c\\/d"')] },
  { group: 'framing', name: 'unicode escapes echoed', send: [withId('"\\u00e9\\u20AC\\ud83d\\ude00\\u0001\\u007f"')] },
  { group: 'framing', name: 'raw UTF-8 echoed', send: [utf8(withId('"é€😀"'))] },
  { group: 'framing', name: 'named escapes echoed', send: [withId('"\\b\\f\\n\\r\\t"')] },
  { group: 'framing', name: 'empty object', send: ['{}'] },
  { group: 'framing', name: 'array instead of object', send: ['[]'] },
  { group: 'framing', name: 'number at top level', send: ['42 '] },
  { group: 'framing', name: 'string at top level', send: ['"guest-ping"'] },
  { group: 'framing', name: 'keywords at top level', send: ['null true false '] },

  // ---- JSON errors ----
  { group: 'json-errors', name: 'duplicate key', send: ['{"execute":"guest-ping","execute":"guest-ping"}'] },
  { group: 'json-errors', name: 'missing colon', send: ['{"execute" "guest-ping"}'] },
  { group: 'json-errors', name: 'expected separator in dict', send: ['{"execute":"guest-ping" "id":1}'] },
  { group: 'json-errors', name: 'expected separator in list', send: [withId('[1 2]')] },
  { group: 'json-errors', name: 'key is not a string', send: ['{1:"guest-ping"}'] },
  { group: 'json-errors', name: 'missing value', send: ['{"execute":}'] },
  { group: 'json-errors', name: 'trailing comma in list', send: [withId('[1,]')] },
  { group: 'json-errors', name: 'trailing comma in dict', send: ['{"execute":"guest-ping",}'] },
  { group: 'json-errors', name: 'invalid keyword', send: ['{"execute":tru}'] },
  { group: 'json-errors', name: 'long invalid keyword is truncated', send: [`{"execute":${'x'.repeat(2000)}}`] },
  { group: 'json-errors', name: 'invalid escape', send: [withId('"\\x41"')] },
  { group: 'json-errors', name: 'lone high surrogate', send: [withId('"\\ud800"')] },
  { group: 'json-errors', name: 'high surrogate then non-surrogate', send: [withId('"\\ud800\\u0041"')] },
  { group: 'json-errors', name: 'lone low surrogate', send: [withId('"\\uDC00"')] },
  { group: 'json-errors', name: 'short unicode escape', send: [withId('"\\u12"')] },
  { group: 'json-errors', name: 'noncharacter escape', send: [withId('"\\uFFFF"')] },
  { group: 'json-errors', name: 'invalid UTF-8 byte', send: [withId('"a\xc3"')] },
  { group: 'json-errors', name: 'overlong UTF-8', send: [withId('"\xc1\xbf"')] },
  { group: 'json-errors', name: 'UTF-8 surrogate', send: [withId('"\xed\xa0\x80"')] },
  { group: 'json-errors', name: 'modified UTF-8 NUL (C0 80) accepted', send: [withId('"a\xc0\x80b"')] },
  { group: 'json-errors', name: 'control character in string', send: ['{"execute":"guest\x01ping"}'] },
  { group: 'json-errors', name: 'stray text quoting a noncharacter', send: ['{"id":"a\xef\xbf\xbf\x01"}'] },
  { group: 'json-errors', name: 'stray text quoting C0 80', send: ['{"id":"\xc0\x80\x01"}'] },
  { group: 'json-errors', name: 'stray text quoting broken UTF-8', send: ['{"id":"\xc3\x28\xf0\x9f\x98\xf8\x88\x80\x80\x80\x01"}'] },
  { group: 'json-errors', name: 'stray text quoting valid UTF-8', send: [Buffer.concat([utf8('{"id":"é😀'), Buffer.from([1]), utf8('"}')])] },
  { group: 'json-errors', name: 'stray uppercase keyword', send: ['TRUE' + ping] },
  { group: 'json-errors', name: 'leading zero', send: [withId('01')] },
  { group: 'json-errors', name: 'minus without digits', send: [withId('-x')] },
  { group: 'json-errors', name: 'interpolation is not accepted', send: [withId('%d')] },
  { group: 'json-errors', name: 'stray closing brace', send: ['}' + ping] },
  { group: 'json-errors', name: 'stray closing bracket', send: [']' + ping] },
  { group: 'json-errors', name: 'byte 0xFE', send: ['\xfe' + ping] },
  { group: 'json-errors', name: 'UTF-8 BOM before a message', send: ['\xef\xbb\xbf' + ping] },
  { group: 'json-errors', name: 'mismatched brackets [}]', send: ['[}]' + ping] },
  { group: 'json-errors', name: 'mismatched {]', send: ['{]' + ping] },

  // ---- dispatch errors ----
  { group: 'dispatch', name: 'execute is a number', send: ['{"execute":1,"id":1}'] },
  { group: 'dispatch', name: 'execute is an object', send: ['{"execute":{}}'] },
  { group: 'dispatch', name: 'arguments is a list', send: ['{"execute":"guest-ping","arguments":[],"id":2}'] },
  { group: 'dispatch', name: 'arguments is a string', send: ['{"execute":"guest-ping","arguments":"x"}'] },
  { group: 'dispatch', name: 'unexpected member', send: ['{"execute":"guest-ping","foo":1}'] },
  { group: 'dispatch', name: 'exec-oob is unexpected', send: ['{"exec-oob":"guest-ping"}'] },
  { group: 'dispatch', name: 'lacks execute', send: ['{"arguments":{},"id":3}'] },
  { group: 'dispatch', name: 'only an id', send: ['{"id":4}'] },
  { group: 'dispatch', name: 'unknown command', send: ['{"execute":"guest-nope","id":5}'] },
  { group: 'dispatch', name: 'empty command name', send: ['{"execute":""}'] },
  { group: 'dispatch', name: 'disabled command', send: ['{"execute":"guest-shutdown","id":6}'] },
  { group: 'dispatch', name: 'disabled is checked before arguments', send: ['{"execute":"guest-set-time","arguments":{"time":"x"}}'] },
  { group: 'dispatch', name: 'unknown is checked before arguments', send: ['{"execute":"guest-nope","arguments":{"a":1}}'] },
  { group: 'dispatch', name: 'several bad members: QDict order decides', send: ['{"bogus":1,"execute":2}'] },
  { group: 'dispatch', name: 'bad execute, arguments and extra member', send: ['{"execute":1,"arguments":2,"foo":3}'] },
  { group: 'dispatch', name: 'bad arguments and unexpected member', send: ['{"zzz":1,"arguments":[],"execute":"guest-ping"}'] },

  // ---- argument errors ----
  { group: 'arguments', name: 'missing parameter', send: ['{"execute":"guest-sync"}'] },
  { group: 'arguments', name: 'string for an int', send: [sync('"1"')] },
  { group: 'arguments', name: 'double for an int', send: [sync('1.0')] },
  { group: 'arguments', name: 'boolean for an int', send: [sync('true')] },
  { group: 'arguments', name: 'null for an int', send: [sync('null')] },
  { group: 'arguments', name: 'int beyond uint64 is a double', send: [sync('18446744073709551616')] },
  { group: 'arguments', name: 'unexpected parameter', send: ['{"execute":"guest-sync","arguments":{"id":1,"extra":2}}'] },
  { group: 'arguments', name: 'missing reported before unexpected', send: ['{"execute":"guest-sync","arguments":{"extra":2}}'] },
  { group: 'arguments', name: 'parameters for a command without any', send: ['{"execute":"guest-ping","arguments":{"x":1}}'] },
  { group: 'arguments', name: 'guest-file-open without path', send: ['{"execute":"guest-file-open","arguments":{"mode":"r"}}'] },
  { group: 'arguments', name: 'guest-file-open mode is a number', send: ['{"execute":"guest-file-open","arguments":{"path":"/nonexistent","mode":1}}'] },
  { group: 'arguments', name: 'guest-file-read handle is a string', send: ['{"execute":"guest-file-read","arguments":{"handle":"1000"}}'] },
  { group: 'arguments', name: 'guest-file-seek whence not in enum', send: ['{"execute":"guest-file-seek","arguments":{"handle":1,"offset":0,"whence":"middle"}}'] },
  { group: 'arguments', name: 'guest-file-seek whence is a list', send: ['{"execute":"guest-file-seek","arguments":{"handle":1,"offset":0,"whence":[]}}'] },
  { group: 'arguments', name: 'nested: arg[1] not a string', profile: 'exec', send: ['{"execute":"guest-exec","arguments":{"path":"/nonexistent/qga-diff","arg":["a",2]}}'] },
  { group: 'arguments', name: 'nested: arg not a list', profile: 'exec', send: ['{"execute":"guest-exec","arguments":{"path":"/nonexistent/qga-diff","arg":"a"}}'] },
  { group: 'arguments', name: 'nested: env[0] not a string', profile: 'exec', send: ['{"execute":"guest-exec","arguments":{"path":"/nonexistent/qga-diff","env":[null]}}'] },
  { group: 'arguments', name: 'nested: capture-output not an alternate value', profile: 'exec', send: ['{"execute":"guest-exec","arguments":{"path":"/nonexistent/qga-diff","capture-output":"sideways"}}'] },
  { group: 'arguments', name: 'nested: path missing', profile: 'exec', send: ['{"execute":"guest-exec","arguments":{"arg":[]}}'] },

  // ---- ids of every JSON type ----
  { group: 'ids', name: 'id int', send: [withId('1')] },
  { group: 'ids', name: 'id negative', send: [withId('-9223372036854775808')] },
  { group: 'ids', name: 'id uint64 max', send: [withId('18446744073709551615')] },
  { group: 'ids', name: 'id beyond uint64', send: [withId('18446744073709551616')] },
  { group: 'ids', name: 'id fraction', send: [withId('1.5')] },
  { group: 'ids', name: 'id 0.1', send: [withId('0.1')] },
  { group: 'ids', name: 'id -0.0', send: [withId('-0.0')] },
  { group: 'ids', name: 'id exponent', send: [withId('25E-1')] },
  { group: 'ids', name: 'id 1E400', send: [withId('1E400')] },
  { group: 'ids', name: 'id string', send: [withId('"abc"')] },
  { group: 'ids', name: 'id null', send: [withId('null')] },
  { group: 'ids', name: 'id true', send: [withId('true')] },
  { group: 'ids', name: 'id false', send: [withId('false')] },
  { group: 'ids', name: 'id nested list', send: [withId('[1,[2,[]],"x"]')] },
  { group: 'ids', name: 'id object', send: [withId('{"b":{"c":null},"a":[1]}')] },
  { group: 'ids', name: 'id echoed on error', send: ['{"execute":"guest-nope","id":{"k":"v"}}'] },
  { group: 'ids', name: 'id echoed on argument error', send: ['{"execute":"guest-sync","id":"x"}'] },
  { group: 'ids', name: 'no id on JSON error', send: ['{"execute":"guest-ping","id":1,,}'] },
  { group: 'ids', name: 'no id when not an object', send: ['[{"execute":"guest-ping","id":1}]'] },

  // ---- 0xFF resynchronisation ----
  { group: 'resync', name: '0xFF then guest-sync-delimited', send: ['\xff{"execute":"guest-sync-delimited","arguments":{"id":123}}'] },
  { group: 'resync', name: 'half message, 0xFF, delimited sync', send: ['{"execute":"guest-sync","arguments":{"id":', '\xff{"execute":"guest-sync-delimited","arguments":{"id":5}}'] },
  { group: 'resync', name: 'several 0xFF bytes', send: ['\xff\xff\xff' + ping] },
  { group: 'resync', name: '0xFF inside a string', send: ['{"execute":"guest-p\xffing"}' + ping] },
  { group: 'resync', name: 'guest-sync-delimited without 0xFF', send: ['{"execute":"guest-sync-delimited","arguments":{"id":-1}}'] },
  { group: 'resync', name: 'failed guest-sync-delimited is not delimited', send: ['{"execute":"guest-sync-delimited","arguments":{"id":"x"}}'] },
  {
    group: 'resync', name: 'half message from the previous connection', resync: true,
    previousConnection: ['{"execute":"guest-sync","arguments":{"id":'], send: [ping],
  },
  { group: 'resync', name: 'guest-sync-delimited with an id member', send: ['{"execute":"guest-sync-delimited","arguments":{"id":9},"id":"req"}'] },

  // ---- limits ----
  { group: 'limits', name: 'nesting 1024 is accepted', send: [nested(1023)] },
  { group: 'limits', name: 'nesting 1025 is refused', resync: true, send: [nested(1025)] },
  { group: 'limits', name: 'a 1 MiB id string is echoed', send: [withId(`"${'A'.repeat(1 << 20)}"`)] },
  { group: 'limits', name: 'over-long string token', resync: true, send: ['{"execute":"guest-ping","id":"', Buffer.alloc(64 * 1024 * 1024 + 16, 0x61), '"}', ping] },
  { group: 'limits', name: 'too many tokens', resync: true, send: [`{"execute":"guest-ping","id":[${'1,'.repeat(1 << 20)}1]}`, ping] },

  // ---- pipelining ----
  { group: 'pipelining', name: '50 pings in one write', send: [Array.from({ length: 50 }, (_, i) => withId(String(i))).join('')] },
  { group: 'pipelining', name: 'successes and errors interleaved', send: [ping + '{"execute":"nope"}' + sync(7) + '[]' + '{"execute":"guest-shutdown"}' + sync(8)] },
  { group: 'pipelining', name: 'JSON errors between requests', send: [sync(1) + '}' + sync(2) + '\xff' + sync(3) + '{"a" 1}' + sync(4)] },
  { group: 'pipelining', name: '200 syncs in one write', send: [Array.from({ length: 200 }, (_, i) => sync(i)).join('')] },

  // ---- split writes ----
  { group: 'split', name: 'ping one byte at a time', gapMs: 2, send: ping.split('') },
  { group: 'split', name: 'split inside an escape', gapMs: 5, send: ['{"execute":"guest-ping","id":"a\\', 'u00e9"}'] },
  { group: 'split', name: 'split inside a number', gapMs: 5, send: ['{"execute":"guest-sync","arguments":{"id":1234', '5678}}'] },
  { group: 'split', name: 'split inside a keyword', gapMs: 5, send: ['{"execute":"guest-ping","id":tr', 'ue}'] },
  { group: 'split', name: 'split between 0xFF and the message', gapMs: 5, send: ['\xff', '{"execute":"guest-sync-delimited","arguments":{"id":1}}'] },
  { group: 'split', name: 'split inside a UTF-8 sequence', gapMs: 5, send: [Buffer.from('{"execute":"guest-ping","id":"\xe2\x82', 'latin1'), Buffer.from('\xac"}', 'latin1')] },

  // ---- protocol commands ----
  { group: 'commands', name: 'guest-sync', send: [sync('18446744073709551615')] },
  { group: 'commands', name: 'guest-sync negative', send: [sync('-5')] },
  { group: 'commands', name: 'guest-ping with empty arguments', send: ['{"execute":"guest-ping","arguments":{}}'] },
  { group: 'commands', name: 'guest-info', send: ['{"execute":"guest-info"}'] },

  // ---- guest-file-* on temp files ----
  { group: 'files', name: 'open a missing file', absent: ['missing'], send: ['{"execute":"guest-file-open","arguments":{"path":"${DIR}/missing"}}'] },
  { group: 'files', name: 'open with a bad mode', files: { f: 'x' }, send: ['{"execute":"guest-file-open","arguments":{"path":"${DIR}/f","mode":"rw"}}'] },
  {
    group: 'files', name: 'open, read, read to eof, close', files: { a: 'hello world\n' },
    send: [
      '{"execute":"guest-file-open","arguments":{"path":"${DIR}/a"}}',
      h((x) => `{"execute":"guest-file-read","arguments":{"handle":${x},"count":12}}`),
      h((x) => `{"execute":"guest-file-read","arguments":{"handle":${x}}}`),
      h((x) => `{"execute":"guest-file-close","arguments":{"handle":${x}}}`),
    ],
  },
  {
    group: 'files', name: 'write, flush, seek, read back', absent: ['w'],
    send: [
      '{"execute":"guest-file-open","arguments":{"path":"${DIR}/w","mode":"w+"}}',
      h((x) => `{"execute":"guest-file-write","arguments":{"handle":${x},"buf-b64":"aGVsbG8gd29ybGQ="}}`),
      h((x) => `{"execute":"guest-file-flush","arguments":{"handle":${x}}}`),
      h((x) => `{"execute":"guest-file-seek","arguments":{"handle":${x},"offset":0,"whence":"set"}}`),
      h((x) => `{"execute":"guest-file-read","arguments":{"handle":${x},"count":5}}`),
      h((x) => `{"execute":"guest-file-seek","arguments":{"handle":${x},"offset":-3,"whence":"end"}}`),
      h((x) => `{"execute":"guest-file-read","arguments":{"handle":${x}}}`),
      h((x) => `{"execute":"guest-file-seek","arguments":{"handle":${x},"offset":2,"whence":1}}`),
      h((x) => `{"execute":"guest-file-close","arguments":{"handle":${x}}}`),
    ],
  },
  {
    group: 'files', name: 'write with count and append mode', files: { ap: 'abc' },
    send: [
      '{"execute":"guest-file-open","arguments":{"path":"${DIR}/ap","mode":"a+"}}',
      h((x) => `{"execute":"guest-file-write","arguments":{"handle":${x},"buf-b64":"MTIzNDU=","count":3}}`),
      h((x) => `{"execute":"guest-file-seek","arguments":{"handle":${x},"offset":0,"whence":0}}`),
      h((x) => `{"execute":"guest-file-read","arguments":{"handle":${x}}}`),
      h((x) => `{"execute":"guest-file-close","arguments":{"handle":${x}}}`),
    ],
  },
  {
    group: 'files', name: 'count beyond the buffer, invalid base64, oversize read', files: { b: 'data' },
    send: [
      '{"execute":"guest-file-open","arguments":{"path":"${DIR}/b","mode":"r+"}}',
      h((x) => `{"execute":"guest-file-write","arguments":{"handle":${x},"buf-b64":"YQ==","count":5}}`),
      h((x) => `{"execute":"guest-file-write","arguments":{"handle":${x},"buf-b64":"!!!"}}`),
      h((x) => `{"execute":"guest-file-read","arguments":{"handle":${x},"count":${48 * 1024 * 1024 + 1}}}`),
      h((x) => `{"execute":"guest-file-read","arguments":{"handle":${x},"count":-1}}`),
      h((x) => `{"execute":"guest-file-close","arguments":{"handle":${x}}}`),
    ],
  },
  {
    group: 'files', name: 'unknown and closed handles', files: { c: 'c' },
    send: [
      '{"execute":"guest-file-read","arguments":{"handle":999999}}',
      '{"execute":"guest-file-open","arguments":{"path":"${DIR}/c"}}',
      h((x) => `{"execute":"guest-file-close","arguments":{"handle":${x}}}`),
      h((x) => `{"execute":"guest-file-close","arguments":{"handle":${x}}}`),
      h((x) => `{"execute":"guest-file-seek","arguments":{"handle":${x},"offset":0,"whence":"set"}}`),
    ],
  },
  {
    group: 'files', name: 'unpadded base64 is decoded, not truncated', absent: ['u'],
    send: [
      '{"execute":"guest-file-open","arguments":{"path":"${DIR}/u","mode":"w+"}}',
      h((x) => `{"execute":"guest-file-write","arguments":{"handle":${x},"buf-b64":"aGVsbG8"}}`),
      h((x) => `{"execute":"guest-file-seek","arguments":{"handle":${x},"offset":0,"whence":"set"}}`),
      h((x) => `{"execute":"guest-file-read","arguments":{"handle":${x}}}`),
      h((x) => `{"execute":"guest-file-close","arguments":{"handle":${x}}}`),
    ],
  },
  {
    group: 'files', name: 'read-only handle refuses writes', files: { ro: 'ro' },
    send: [
      '{"execute":"guest-file-open","arguments":{"path":"${DIR}/ro","mode":"r"}}',
      h((x) => `{"execute":"guest-file-write","arguments":{"handle":${x},"buf-b64":"YQ=="}}`),
      h((x) => `{"execute":"guest-file-close","arguments":{"handle":${x}}}`),
    ],
  },
];
