/** guest-file-open/close/read/write/seek/flush over the agent's FileTable. */
import type { AgentContext } from '../context';

type Whence = bigint | number | 'set' | 'cur' | 'end';

function whenceCode(whence: Whence): number {
  if (whence === 'set') return 0;
  if (whence === 'cur') return 1;
  if (whence === 'end') return 2;
  return Number(whence);
}

export const fileHandlers = {
  qmp_guest_file_open(args: { path: string; mode?: string }, context: AgentContext): bigint {
    const handle = context.agent.files.open(args.path, args.mode ?? 'r');
    context.agent.log.debug(`guest-file-open, handle: ${handle}`);
    return handle;
  },

  qmp_guest_file_close(args: { handle: bigint }, context: AgentContext): void {
    context.agent.files.close(args.handle);
  },

  qmp_guest_file_read(args: { handle: bigint; count?: bigint }, context: AgentContext) {
    const r = context.agent.files.read(args.handle, args.count);
    return { count: BigInt(r.count), 'buf-b64': r.base64, eof: r.eof };
  },

  qmp_guest_file_write(args: { handle: bigint; 'buf-b64': string; count?: bigint }, context: AgentContext) {
    const r = context.agent.files.write(args.handle, args['buf-b64'], args.count);
    return { count: BigInt(r.count), eof: r.eof };
  },

  qmp_guest_file_seek(args: { handle: bigint; offset: bigint; whence: Whence }, context: AgentContext) {
    const r = context.agent.files.seek(args.handle, args.offset, whenceCode(args.whence));
    return { position: BigInt(r.position), eof: r.eof };
  },

  qmp_guest_file_flush(args: { handle: bigint }, context: AgentContext): void {
    context.agent.files.flush(args.handle);
  },
};
