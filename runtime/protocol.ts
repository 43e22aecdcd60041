/** Wire protocol: JSON codec, framing, dispatch, sessions (owned by the agent runtime). */
export {};
