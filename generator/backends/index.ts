/** All backends: IR -> files. */
import type { Ir } from '../ir/types';
import type { OutputFile } from './common';
import { clientBackend, dispatchBackend } from './dispatch';
import { docsBackend, introspectBackend } from './docs';
import { marshalBackend } from './marshal';
import { typesBackend } from './types';

export type { OutputFile } from './common';

export const BACKENDS = {
  types: typesBackend,
  marshal: marshalBackend,
  dispatch: dispatchBackend,
  client: clientBackend,
  introspect: introspectBackend,
  docs: docsBackend,
} as const;

export type BackendName = keyof typeof BACKENDS;

/** Run the backends (all by default) over the IR. */
export function runBackends(ir: Ir, which: readonly BackendName[] = Object.keys(BACKENDS) as BackendName[]): OutputFile[] {
  return which.flatMap((name) => BACKENDS[name](ir));
}
