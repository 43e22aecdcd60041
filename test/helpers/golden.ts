/**
 * What the golden cases' behaviour tests (test/golden/<case>/behaviour.test.ts)
 * share: running a command of a generated table from JSON argument text, as
 * the agent does, and comparing answers as JSON.
 */
import { encodeJson, parseJson, QmpError, type CommandTable, type JsonObject } from 'qapi-ts/runtime';

/** Run command `name` of `table` on `argsText` (JSON text); the answer as JSON text. */
export async function runCommand<H, C>(table: CommandTable<H, C>, handlers: H, name: string, argsText: string, context: C): Promise<string> {
  const entry = table.find((e) => e.name === name);
  if (!entry) throw new Error(`no command ${name}`);
  return encodeJson(await entry.call(handlers, parseJson(argsText) as JsonObject, context));
}

/** The message of the GenericError that `attempt` fails with; a test failure when it succeeds. */
export async function genericErrorOf(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (e) {
    expect(e).toBeInstanceOf(QmpError);
    expect((e as QmpError).errorClass).toBe('GenericError');
    return (e as QmpError).message;
  }
  throw new Error('succeeded where an error was expected');
}

/** Same JSON value (member order is free on the wire; integers compare exactly as bigints). */
export function expectJson(actual: string, expected: string): void {
  expect(parseJson(actual)).toEqual(parseJson(expected));
}
