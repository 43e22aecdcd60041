/** One protocol session (runtime/session.ts) per connection, over one dispatcher. */
import type { Dispatcher } from '../runtime/dispatch/dispatcher';
import { ProtocolSession } from '../runtime/session';
import type { PeerFactory } from './transports/types';

export function sessionFactory<H, C>(dispatcher: Dispatcher<H, C>): PeerFactory {
  const dispatch = dispatcher.dispatch.bind(dispatcher);
  return (sink) =>
    new ProtocolSession({
      dispatch,
      write: sink.write,
      pause: sink.pause,
      resume: sink.resume,
      // A peer that left with answers unread: drop them, keep serving.
      onWriteError: () => undefined,
    });
}
