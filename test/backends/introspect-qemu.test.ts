/**
 * introspect.json equals what QEMU's own generator compiles into qemu-ga /
 * QEMU (qapi-introspect.c, with its #if conditions evaluated for the same
 * symbols). QEMU's source tree comes from QEMU_SRC (test/setup/global.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateFromFile } from '../../generator/backends/pipeline';
import { QAPI_CASES_DIR, QGA_SCHEMA, QMP_SCHEMA, REPO_ROOT } from '../helpers/shared';
import { qemuSource } from '../helpers/oracles';
import { readQlit } from './helpers/qlit';

const QEMU_SRC = qemuSource();
const QAPI_GEN = path.join(QEMU_SRC, 'scripts', 'qapi-gen.py');
const GOLDEN_NESTING = path.join(REPO_ROOT, 'test', 'golden', 'nesting', 'schema.json');
const LINUX = ['CONFIG_LINUX', 'CONFIG_POSIX', 'CONFIG_FSFREEZE', 'CONFIG_FSTRIM', 'HAVE_GETIFADDRS', 'CONFIG_LIBUDEV', 'HAVE_UTMPX', 'CONFIG_GETLOADAVG'];

describe("introspect.json against QEMU's qapi-gen.py", () => {
  const cases = [
    { name: 'qga, Linux symbols', schema: QGA_SCHEMA, prefix: 'qga-', defines: LINUX },
    { name: 'qga, Windows symbols', schema: QGA_SCHEMA, prefix: 'qga-', defines: ['CONFIG_WIN32'] },
    { name: 'QMP, no symbols', schema: QMP_SCHEMA, prefix: '', defines: [] },
    { name: 'QMP, some symbols', schema: QMP_SCHEMA, prefix: '', defines: ['CONFIG_LINUX', 'CONFIG_POSIX', 'CONFIG_VNC', 'CONFIG_SPICE', 'CONFIG_REPLICATION', 'TARGET_X86_64'] },
    { name: 'golden nesting, its own symbol', schema: GOLDEN_NESTING, prefix: '', defines: ['CONFIG_ACL'] },
    { name: 'golden nesting, the other symbol', schema: GOLDEN_NESTING, prefix: '', defines: ['CONFIG_LINKS'] },
    { name: "QEMU's qapi-schema-test, no symbols", schema: path.join(QAPI_CASES_DIR, 'qapi-schema-test.json'), prefix: '', defines: [] },
    {
      name: "QEMU's qapi-schema-test, every symbol",
      schema: path.join(QAPI_CASES_DIR, 'qapi-schema-test.json'),
      prefix: '',
      defines: ['TEST_IF_ALT', 'TEST_IF_ALT_MEMBER', 'TEST_IF_CMD', 'TEST_IF_COND_1', 'TEST_IF_COND_2', 'TEST_IF_ENUM_MEMBER', 'TEST_IF_EVENT', 'TEST_IF_EVENT2', 'TEST_IF_EVT', 'TEST_IF_FEATURE_1', 'TEST_IF_FEATURE_2', 'TEST_IF_STRUCT', 'TEST_IF_STRUCT_MEMBER', 'TEST_IF_UNION'],
    },
  ];
  const generated = new Map<string, string>();

  it.each(cases)('$name', ({ schema, prefix, defines }) => {
    let c = generated.get(schema);
    if (!c) {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'qapi-ts-qemu-'));
      const r = spawnSync('python3', [QAPI_GEN, '-o', out, '-p', prefix, schema], {
        encoding: 'utf8',
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      });
      expect(r.stderr).toBe('');
      c = fs.readFileSync(path.join(out, `${prefix}qapi-introspect.c`), 'utf8');
      generated.set(schema, c);
    }
    const theirs = readQlit(c, new Set(defines));
    const files = generateFromFile(schema, { defines, backends: ['introspect'] });
    const ours = JSON.parse(files[0].content) as unknown;
    expect(Array.isArray(theirs) && theirs.length).toBeGreaterThan(10);
    expect(ours).toEqual(theirs);
  }, 120_000);
});
