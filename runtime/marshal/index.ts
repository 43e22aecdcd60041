/** Helpers the generated marshallers and client stubs call (owned by the backends). */
export {};
