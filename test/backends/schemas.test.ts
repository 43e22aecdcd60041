/**
 * QEMU 10.0's guest-agent schema and full QMP schema: generate everything
 * into a fresh folder inside the project and type-check it with
 * `tsc --noEmit --strict` and `noUnusedLocals` (module node16, the
 * `qapi-ts:source` condition so that `qapi-ts/runtime` resolves to the
 * sources). Zero errors for both.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateFromFile } from '../../generator/backends/pipeline';
import { syncOutput } from '../../generator/backends/write';
import { QAPI_CASES_DIR, QGA_SCHEMA, QMP_SCHEMA, REPO_ROOT } from '../helpers/shared';

const OUT = path.join(REPO_ROOT, 'test', 'backends', 'out', 'schemas');
const LINUX = ['CONFIG_LINUX', 'CONFIG_POSIX', 'CONFIG_FSFREEZE', 'CONFIG_FSTRIM', 'HAVE_GETIFADDRS', 'CONFIG_LIBUDEV', 'HAVE_UTMPX', 'CONFIG_GETLOADAVG'];

const schemas = [
  { name: 'qga', file: QGA_SCHEMA, defines: LINUX, minCommands: 40 },
  // The full QMP schema, once with no symbols and once with a typical host set.
  { name: 'qmp', file: QMP_SCHEMA, defines: [], minCommands: 150 },
  { name: 'qmp-linux', file: QMP_SCHEMA, defines: ['CONFIG_LINUX', 'CONFIG_POSIX', 'CONFIG_KVM', 'CONFIG_VNC', 'CONFIG_SPICE', 'CONFIG_REPLICATION', 'CONFIG_SLIRP', 'TARGET_X86_64', 'TARGET_I386', 'CONFIG_BLKIO', 'CONFIG_LINUX_IO_URING', 'CONFIG_LINUX_AIO', 'CONFIG_VHOST_USER', 'CONFIG_VDUSE_BLK_EXPORT', 'CONFIG_FUSE', 'CONFIG_VHOST_USER_BLK_SERVER'], minCommands: 150 },
  // QEMU's positive test schemas: every corner of the language (names like
  // __org.qemu_x-Foo, unions of unions, alternates with lists, conditions).
  { name: 'qapi-schema-test', file: path.join(QAPI_CASES_DIR, 'qapi-schema-test.json'), defines: [], minCommands: 10 },
  // Types and no command: what a file imports shrinks to what it uses.
  { name: 'alternate-array', file: path.join(QAPI_CASES_DIR, 'alternate-array.json'), defines: [], minCommands: 0 },
  {
    name: 'qapi-schema-test-all',
    file: path.join(QAPI_CASES_DIR, 'qapi-schema-test.json'),
    defines: ['TEST_IF_ALT', 'TEST_IF_ALT_MEMBER', 'TEST_IF_CMD', 'TEST_IF_COND_1', 'TEST_IF_COND_2', 'TEST_IF_ENUM_MEMBER', 'TEST_IF_EVENT', 'TEST_IF_EVENT2', 'TEST_IF_EVT', 'TEST_IF_FEATURE_1', 'TEST_IF_FEATURE_2', 'TEST_IF_STRUCT', 'TEST_IF_STRUCT_MEMBER', 'TEST_IF_UNION'],
    minCommands: 10,
  },
  { name: 'doc-good', file: path.join(QAPI_CASES_DIR, 'doc-good.json'), defines: ['IFCOND', 'IFALL1', 'IFALL2', 'IFONE', 'IFTWO', 'IFSTR'], minCommands: 1 },
];

describe('generated code for QEMU 10.0 schemas type-checks', () => {
  beforeAll(() => {
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
  });

  it.each(schemas)('$name: writes .ts files, introspect.json and docs/index.html', ({ name, file, defines, minCommands }) => {
    const files = generateFromFile(file, { defines });
    syncOutput(path.join(OUT, name), files, false);
    const names = files.map((f) => f.path).sort();
    expect(names).toEqual([
      'client.gen.ts',
      'dispatch.gen.ts',
      'docs/index.html',
      'docs/index.md',
      'index.gen.ts',
      'introspect.json',
      'marshal.gen.ts',
      'types.gen.ts',
    ]);
    const dispatch = files.find((f) => f.path === 'dispatch.gen.ts')?.content ?? '';
    expect((dispatch.match(/^ {2}qmp_\w+: \(args: /gm) ?? []).length).toBeGreaterThanOrEqual(minCommands);
    // No `any` in generated code (comments aside).
    for (const f of files.filter((x) => x.path.endsWith('.ts'))) {
      const code = f.content
        .split('\n')
        .filter((l) => !/^\s*(\/\*\*|\*)/.test(l))
        .join('\n');
      expect(code).not.toMatch(/(:|<|\bas)\s*any\b/);
    }
  });

  it('tsc --noEmit --strict --noUnusedLocals reports no error over all of them', () => {
    fs.writeFileSync(
      path.join(OUT, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2022'],
            module: 'node16',
            moduleResolution: 'node16',
            customConditions: ['qapi-ts:source'],
            strict: true,
            // What strict projects add: generated files import nothing they do not use.
            noUnusedLocals: true,
            noEmit: true,
            skipLibCheck: true,
            types: ['node'],
          },
          include: ['**/*.ts'],
        },
        null,
        2,
      ),
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(OUT, 'tsconfig.json'), '--noEmit', '--strict'], {
      encoding: 'utf8',
      cwd: REPO_ROOT,
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 240_000);
});
