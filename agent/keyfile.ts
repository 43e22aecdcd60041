/**
 * The subset of GLib's key-file format qemu-ga uses for its configuration
 * (`[general]`) and its state file (`[global] fd_counter=N`): groups,
 * `key=value` lines, `#` comments, GLib's string escapes (`\s \n \t \r \\`)
 * and booleans (`true`/`false`/`1`/`0`). Errors carry GLib's wording.
 */

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

/** group -> key -> raw (still escaped) value; later duplicates win, as in GLib. */
export type KeyFile = Map<string, Map<string, string>>;

export function parseKeyFile(text: string): KeyFile {
  const groups: KeyFile = new Map();
  let current: Map<string, string> | null = null;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const trimmed = line.replace(/^[ \t]+/, '');
    if (trimmed === '' || trimmed.startsWith('#')) {
      continue;
    }
    if (trimmed.startsWith('[')) {
      const end = trimmed.indexOf(']');
      if (end === -1 || trimmed.slice(end + 1).trim() !== '') {
        throw new KeyFileError(`Key file contains line “${line}” which is not a key-value pair, group, or comment`);
      }
      const name = trimmed.slice(1, end);
      current = groups.get(name) ?? new Map();
      groups.set(name, current);
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (eq <= 0) {
      throw new KeyFileError(`Key file contains line “${line}” which is not a key-value pair, group, or comment`);
    }
    if (current === null) {
      throw new KeyFileError('Key file does not start with a group');
    }
    const key = trimmed.slice(0, eq).replace(/[ \t]+$/, '');
    const value = trimmed.slice(eq + 1).replace(/^[ \t]+/, '');
    if (key.includes('[')) {
      continue; // a localised key (key[locale]); qemu-ga never reads them
    }
    current.set(key, value);
  }
  return groups;
}

export function hasKey(file: KeyFile, group: string, key: string): boolean {
  return file.get(group)?.has(key) ?? false;
}

/** g_key_file_get_string: the value with GLib's escapes undone. */
export function getString(file: KeyFile, group: string, key: string): string {
  const raw = file.get(group)?.get(key);
  if (raw === undefined) {
    throw new KeyFileError(`Key file does not have key “${key}” in group “${group}”`);
  }
  return unescapeValue(raw);
}

/** g_key_file_get_boolean. */
export function getBoolean(file: KeyFile, group: string, key: string): boolean {
  const raw = file.get(group)?.get(key);
  if (raw === undefined) {
    throw new KeyFileError(`Key file does not have key “${key}” in group “${group}”`);
  }
  const value = raw.replace(/[ \t]+$/, '');
  if (value === 'true' || value === '1') {
    return true;
  }
  if (value === 'false' || value === '0') {
    return false;
  }
  throw new KeyFileError(`Key file contains key “${key}” which has a value that cannot be interpreted.`);
}

/** g_key_file_get_integer (decimal, optional sign). */
export function getInteger(file: KeyFile, group: string, key: string): bigint {
  const raw = file.get(group)?.get(key);
  if (raw === undefined) {
    throw new KeyFileError(`Key file does not have key “${key}” in group “${group}”`);
  }
  const value = raw.trim();
  if (!/^[+-]?\d+$/.test(value)) {
    throw new KeyFileError(`Value “${value}” cannot be interpreted as a number.`);
  }
  return BigInt(value);
}

export function unescapeValue(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = raw[++i];
    switch (next) {
      case 's':
        out += ' ';
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '\\':
        out += '\\';
        break;
      case undefined:
        throw new KeyFileError(`Key file contains escape character at end of line`);
      default:
        throw new KeyFileError(`Key file contains invalid escape sequence “\\${next}”`);
    }
  }
  return out;
}

/** g_key_file_set_string's escaping: leading spaces as `\s`, control characters and `\`. */
export function escapeValue(value: string): string {
  let out = '';
  let leading = true;
  for (const ch of value) {
    if (ch === ' ' && leading) {
      out += '\\s';
      continue;
    }
    leading = false;
    switch (ch) {
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\\':
        out += '\\\\';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** g_key_file_to_data for one or more groups, entries as given (values already escaped). */
export function formatKeyFile(groups: ReadonlyArray<[string, ReadonlyArray<[string, string]>]>): string {
  return groups
    .map(([name, entries]) => `[${name}]\n` + entries.map(([k, v]) => `${k}=${v}\n`).join(''))
    .join('\n');
}
