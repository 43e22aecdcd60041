/** All backends: IR -> files. */
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
