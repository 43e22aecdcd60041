/**
 * guest-info: the version and every registered command with its enabled
 * state and success-response flag, newest registration first (qemu-ga
 * prepends each command to its list).
 */
import type { AgentContext } from '../context';

export interface GuestAgentCommandInfoShape {
  name: string;
  enabled: boolean;
  'success-response': boolean;
}

export const infoHandlers = {
  qmp_guest_info(_args: object, context: AgentContext): { version: string; supported_commands: GuestAgentCommandInfoShape[] } {
    const { commands, filter, version } = context.agent;
    const supported: GuestAgentCommandInfoShape[] = [];
    for (let i = commands.length - 1; i >= 0; i--) {
      const c = commands[i];
      supported.push({ name: c.name, enabled: filter.isEnabled(c.name), 'success-response': c.successResponse });
    }
    return { version, supported_commands: supported };
  },
};
