/**
 * Read the QLitObject literal of a QEMU-generated `*qapi-introspect.c` as
 * JSON, keeping only what `#if` conditions select for a set of defined
 * symbols. Used to compare our introspect.json with QEMU's own output.
 */
export type Lit = string | boolean | null | Lit[] | { [key: string]: Lit };

function evalCondition(expr: string, defined: ReadonlySet<string>): boolean {
  const js = expr.replace(/defined\((\w+)\)/g, (_m, sym: string) => (defined.has(sym) ? 'true' : 'false'));
  if (!/^[\s()!&|truefals]*$/.test(js)) throw new Error(`unexpected #if expression: ${expr}`);
  return Boolean(new Function(`return (${js});`)());
}

/** Preprocess `#if`/`#endif` (as qapi-gen emits them) and drop comments. */
function preprocess(text: string, defined: ReadonlySet<string>): string {
  const out: string[] = [];
  const stack: boolean[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.startsWith('#if ')) {
      stack.push(evalCondition(t.slice(4), defined));
    } else if (t.startsWith('#endif')) {
      stack.pop();
    } else if (t.startsWith('#')) {
      continue;
    } else if (stack.every(Boolean)) {
      out.push(line);
    }
  }
  return out.join('\n').replace(/\/\*[\s\S]*?\*\//g, '');
}

export function readQlit(text: string, defined: ReadonlySet<string>): Lit {
  const src = preprocess(text, defined);
  const start = src.indexOf('= QLIT_QLIST');
  if (start < 0) throw new Error('no QLIT_QLIST');
  const re =
    /QLIT_QLIST\(\(\(QLitObject\[\]\) \{|QLIT_QDICT\(\(\(QLitDictEntry\[\]\) \{|\{\}|\}\)\)|\{ "((?:[^"\\]|\\.)*)",|QLIT_QSTR\("((?:[^"\\]|\\.)*)"\)|QLIT_QNULL|QLIT_QBOOL\((true|false)\)|\},|,|;|\s+/y;
  re.lastIndex = start + 2;
  const tokens: { kind: string; text?: string }[] = [];
  while (re.lastIndex < src.length) {
    const at = re.lastIndex;
    const m = re.exec(src);
    if (!m) throw new Error(`unexpected text at ${at}: ${src.slice(at, at + 40)}`);
    const tok = m[0];
    if (tok === ';') break;
    if (/^\s+$/.test(tok) || tok === ',') continue;
    if (tok.startsWith('QLIT_QLIST')) tokens.push({ kind: 'list' });
    else if (tok.startsWith('QLIT_QDICT')) tokens.push({ kind: 'dict' });
    else if (tok === '{}') tokens.push({ kind: 'end-items' });
    else if (tok === '}))') tokens.push({ kind: 'close' });
    else if (tok === '},') tokens.push({ kind: 'end-entry' });
    else if (m[1] !== undefined) tokens.push({ kind: 'key', text: JSON.parse(`"${m[1]}"`) as string });
    else if (m[2] !== undefined) tokens.push({ kind: 'str', text: JSON.parse(`"${m[2]}"`) as string });
    else if (tok === 'QLIT_QNULL') tokens.push({ kind: 'null' });
    else tokens.push({ kind: 'bool', text: m[3] });
  }
  let i = 0;
  const value = (): Lit => {
    const t = tokens[i++];
    switch (t.kind) {
      case 'str':
        return t.text ?? '';
      case 'null':
        return null;
      case 'bool':
        return t.text === 'true';
      case 'list': {
        const arr: Lit[] = [];
        while (tokens[i].kind !== 'end-items') arr.push(value());
        i++;
        if (tokens[i++].kind !== 'close') throw new Error('list not closed');
        return arr;
      }
      case 'dict': {
        const obj: { [key: string]: Lit } = {};
        while (tokens[i].kind === 'key') {
          const key = tokens[i++].text ?? '';
          obj[key] = value();
          if (tokens[i++].kind !== 'end-entry') throw new Error(`dict entry ${key} not closed`);
        }
        if (tokens[i++].kind !== 'end-items') throw new Error('dict without terminator');
        if (tokens[i++].kind !== 'close') throw new Error('dict not closed');
        return obj;
      }
      default:
        throw new Error(`unexpected token ${t.kind}`);
    }
  };
  return value();
}
