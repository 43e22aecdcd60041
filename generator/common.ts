/**
 * C naming helpers with QEMU's exact behaviour (scripts/qapi/common.py in
 * QEMU 10.0): `cName`, `camelToUpper`, `cEnumConst`. Pure functions.
 */

/** Identifiers `cName` protects with a `q_` prefix. */
const PROTECTED_WORDS: ReadonlySet<string> = new Set([
  // C89 keywords
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double',
  'else', 'enum', 'extern', 'float', 'for', 'goto', 'if', 'int', 'long', 'register',
  'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef',
  'union', 'unsigned', 'void', 'volatile', 'while',
  // C99 additions
  'inline', 'restrict', '_Bool', '_Complex', '_Imaginary',
  // C11 additions
  '_Alignas', '_Alignof', '_Atomic', '_Generic', '_Noreturn', '_Static_assert', '_Thread_local',
  // GCC extensions
  'asm', 'typeof',
  // C++ keywords and alternative tokens
  'bool', 'catch', 'class', 'const_cast', 'delete', 'dynamic_cast', 'explicit', 'false',
  'friend', 'mutable', 'namespace', 'new', 'operator', 'private', 'protected', 'public',
  'reinterpret_cast', 'static_cast', 'template', 'this', 'throw', 'true', 'try', 'typeid',
  'typename', 'using', 'virtual', 'wchar_t',
  'and', 'and_eq', 'bitand', 'bitor', 'compl', 'not', 'not_eq', 'or', 'or_eq', 'xor', 'xor_eq',
  // names commonly #defined by system headers
  'unix', 'errno', 'mips', 'sparc', 'i386', 'linux',
]);

const NON_IDENT_CHAR = /[^A-Za-z0-9_]/gu;

/** Only ASCII letters, digits and '_' (nothing for cName to replace). */
const IDENT = /^[A-Za-z0-9_]*$/;

/**
 * Map `name` to a valid C identifier: every character other than ASCII
 * letters, digits and '_' becomes '_'. With `protect`, C/C++ keywords,
 * polluted names and names starting with a digit get a `q_` prefix.
 */
export function cName(name: string, protect = true): string {
  // The same few thousand names come back again and again (checks, IR, every
  // backend), protected or not: the replace (a runtime call, some 4,000
  // instructions in unoptimised code) is made once per name.
  let mapped = mappedNames.get(name);
  if (mapped === undefined) {
    mapped = IDENT.test(name) ? name : name.replace(NON_IDENT_CHAR, '_');
    mappedNames.set(name, mapped);
  }
  if (!protect) return mapped;
  const first = mapped.charCodeAt(0);
  return (first >= 0x30 && first <= 0x39) || PROTECTED_WORDS.has(mapped) ? 'q_' + mapped : mapped;
}

const mappedNames = new Map<string, string>();

/** Whether UTF-16 unit `c` is an ASCII letter or digit. */
function isAsciiAlnum(c: number): boolean {
  const letter = c | 0x20;
  return (c >= 0x30 && c <= 0x39) || (letter >= 0x61 && letter <= 0x7a);
}

/**
 * Whether cName(name, false) starts with 'q_', the prefix QEMU keeps for
 * itself: a 'q', then a character that cName keeps as or makes '_'
 * (anything but an ASCII letter or digit). Decided from those two
 * characters, without mapping the name (a replace per name with '-' in it).
 */
export function cNameHasQPrefix(name: string): boolean {
  return name.length >= 2 && name.charCodeAt(0) === 0x71 && !isAsciiAlnum(name.charCodeAt(1));
}

/** Python's str.isupper() for a single character. */
function isUpper(ch: string): boolean {
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/**
 * Letters and digits beyond ASCII, made on first use: V8 builds the Unicode
 * classes of a regular expression as soon as it is created (about 2.5M
 * instructions, paid at start-up by a module-level literal), and QAPI names
 * are ASCII.
 */
let alnum: RegExp | undefined;

/**
 * Python's str.isalnum() for a single character (close enough for QAPI
 * names). ASCII is decided here, without the Unicode classes.
 */
function isAlnum(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 0x80) return isAsciiAlnum(c);
  alnum ??= /^[\p{L}\p{N}]$/u;
  return alnum.test(ch);
}

/**
 * Convert CamelCase to CAMEL_CASE the way QEMU 10.0 does, quirks included:
 * an '_' goes before the last of a run of upper-case characters that is
 * followed by a non-upper-case one (unless the run starts the name or an
 * alphanumeric does not precede it), and before an upper-case character
 * following an alphanumeric non-upper-case one. So `QGASeek` -> `QGA_SEEK`,
 * `IPv4Addr` -> `IPV4_ADDR`, `ENUM24_Name` -> `ENU_M24_NAME`.
 */
export function camelToUpper(name: string): string {
  const chars = Array.from(name);
  if (chars.length === 0) {
    return '';
  }
  let out = chars[0];
  let prevUpper = isUpper(chars[0]);
  for (let i = 1; i < chars.length; i++) {
    const ch = chars[i];
    const upper = isUpper(ch);
    if (upper !== prevUpper) {
      if (prevUpper) {
        const outChars = Array.from(out);
        if (outChars.length > 2 && isAlnum(outChars[outChars.length - 2])) {
          const last = outChars.pop() as string;
          out = outChars.join('') + '_' + last;
        }
      } else {
        const outChars = Array.from(out);
        if (isAlnum(outChars[outChars.length - 1])) {
          out += '_';
        }
      }
    }
    out += ch;
    prevUpper = upper;
  }
  return cName(out.toUpperCase()).replace(/^_+/, '');
}

/**
 * C enumeration constant for `memberName` of enum `typeName`: `prefix`
 * (verbatim) or camelToUpper(typeName), '_', then the unprotected c_name of
 * the member upper-cased.
 */
export function cEnumConst(typeName: string, memberName: string, prefix?: string | null): string {
  const head = prefix ?? camelToUpper(typeName);
  return head + '_' + cName(memberName, false).toUpperCase();
}
