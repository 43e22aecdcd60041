/** guest-ping: nothing to do but answer. */
import type { AgentContext } from '../context';

export const pingHandlers = {
  qmp_guest_ping(_args: object, context: AgentContext): void {
    context.agent.log.debug('guest-ping called');
  },
};
