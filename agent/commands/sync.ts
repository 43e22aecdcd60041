/** guest-sync and guest-sync-delimited: echo the id; the delimited one asks for the 0xFF prefix. */
import type { AgentContext } from '../context';

export const syncHandlers = {
  qmp_guest_sync(args: { id: bigint }): bigint {
    return args.id;
  },
  qmp_guest_sync_delimited(args: { id: bigint }, context: AgentContext): bigint {
    context.request.delimitResponse();
    return args.id;
  },
};
