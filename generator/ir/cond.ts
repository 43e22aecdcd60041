/** `if` conditions: evaluation against defined symbols, and display text. */
import type { IfCond } from '../schema/model';

/** True when `cond` holds for the set of defined symbols (null: unconditional). */
export function evalCond(cond: IfCond | null, defined: ReadonlySet<string>): boolean {
  if (cond === null) return true;
  if (typeof cond === 'string') return defined.has(cond);
  // Loops, not every/some with a closure: a closure capturing `defined`
  // made every call allocate, even the many that return above.
  if ('all' in cond) {
    for (let i = 0; i < cond.all.length; i++) if (!evalCond(cond.all[i], defined)) return false;
    return true;
  }
  if ('any' in cond) {
    for (let i = 0; i < cond.any.length; i++) if (evalCond(cond.any[i], defined)) return true;
    return false;
  }
  return !evalCond(cond.not, defined);
}

/** Human-readable condition: `A and (B or not C)`. */
export function condText(cond: IfCond | null): string | null {
  if (cond === null) return null;
  return render(cond, true);
}

function render(cond: IfCond, top: boolean): string {
  if (typeof cond === 'string') return cond;
  if ('not' in cond) return `not ${render(cond.not, false)}`;
  const [op, parts] = 'all' in cond ? ['and', cond.all] : ['or', cond.any];
  const text = parts.map((c) => render(c, false)).join(` ${op} `);
  return top || parts.length < 2 ? text : `(${text})`;
}
