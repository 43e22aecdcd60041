import * as path from 'node:path';

/** Repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** `../shared` beside the project; QAPI_TS_SHARED overrides it. */
export const SHARED_DIR = path.resolve(process.env.QAPI_TS_SHARED ?? path.join(REPO_ROOT, '..', 'shared'));

/** QEMU 10.0 test data inside shared/. */
export const QEMU_DIR = path.join(SHARED_DIR, 'qemu-10.0');
export const QAPI_CASES_DIR = path.join(QEMU_DIR, 'tests', 'qapi-schema');
export const QGA_SCHEMA = path.join(QEMU_DIR, 'qga', 'qapi-schema.json');
export const QMP_SCHEMA = path.join(QEMU_DIR, 'qapi', 'qapi-schema.json');
export const EXPECTED_DIR = path.join(QEMU_DIR, 'expected');
