/** Backend: decoders and encoders (marshal.gen.ts). */
import type { Ir, IrEnum, IrMember, IrStruct, IrType, IrUnion } from '../ir/types';
import {
  access,
  decodeExpr,
  decoderName,
  encodeExpr,
  encoderName,
  fileName,
  membersDecoderName,
  membersEncoderName,
  moduleRef,
  preamble,
  str,
  type OutputFile,
} from './common';
import { render } from './render';

function memberViews(members: readonly IrMember[]) {
  return members.map((m, index) => {
    const lit = str(m.name);
    const get = access('v', m.name, lit);
    const encode = encodeExpr(m.type, get, '');
    return {
      index,
      optional: m.optional,
      nameLit: lit,
      decode: m.optional ? '' : decodeExpr(m.type, `m.member(o, ${lit})`, 'g', lit, ''),
      decodePresent: m.optional ? decodeExpr(m.type, `v${index}`, 'g', lit, '') : '',
      assign: access('r', m.name, lit),
      get,
      encode,
      encodeOpt: encode,
    };
  });
}

function requiredInit(members: readonly IrMember[]): string {
  return members
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => !m.optional)
    .map(({ m, i }) => `${m.key}: m${i}`)
    .join(', ');
}

function structView(t: IrStruct) {
  return {
    ts: t.ts,
    baseTs: t.ts,
    decoder: decoderName(t.ts),
    membersDecoder: membersDecoderName(t.ts),
    encoder: encoderName(t.ts),
    membersEncoder: membersEncoderName(t.ts),
    keys: t.members.map((m) => str(m.name)).join(', '),
    members: memberViews(t.members),
    required: requiredInit(t.members),
    union: false,
  };
}

function unionView(t: IrUnion, enums: ReadonlyMap<string, IrEnum>) {
  const tagIndex = t.baseMembers.indexOf(t.tag);
  const tagEnum = enums.get(t.tag.type.qapi);
  const covered = new Set(t.variants.map((v) => v.value));
  const needsDefault = !tagEnum || tagEnum.values.some((v) => !covered.has(v.name));
  return {
    ts: t.ts,
    baseTs: t.base.ts,
    decoder: decoderName(t.ts),
    membersDecoder: membersDecoderName(t.ts),
    encoder: encoderName(t.ts),
    membersEncoder: membersEncoderName(t.ts),
    keys: t.baseMembers.map((m) => str(m.name)).join(', '),
    members: memberViews(t.baseMembers),
    required: requiredInit(t.baseMembers),
    union: true,
    tagIndex,
    tagKey: t.tag.key,
    tagLit: str(t.tag.name),
    needsDefault,
    variants: t.variants.map((v) => ({
      valueLit: str(v.value),
      branchDecoder: v.branch ? membersDecoderName(v.branch.ts) : null,
      branchEncoder: v.branch ? membersEncoderName(v.branch.ts) : null,
    })),
  };
}

const QTYPE_ORDER = ['qnull', 'qbool', 'qstring', 'qnum', 'qlist', 'qdict'];

export function marshalBackend(ir: Ir): OutputFile[] {
  const wanted = (t: IrType): boolean => ir.marshalled.has(t.qapi);
  const enumsByName = new Map<string, IrEnum>();
  for (const t of ir.types) if (t.kind === 'enum') enumsByName.set(t.qapi, t);

  const enums = ir.types
    .filter((t): t is IrEnum => t.kind === 'enum' && wanted(t))
    .map((t) => ({
      ts: t.ts,
      setName: `${t.ts}_VALUES`,
      decoder: decoderName(t.ts),
      values: t.values.map((v) => str(v.name)).join(', '),
    }));
  const objects = ir.types
    .filter((t) => (t.kind === 'struct' || t.kind === 'union') && wanted(t))
    .map((t) => (t.kind === 'struct' ? structView(t) : unionView(t as IrUnion, enumsByName)));
  const alternates = ir.types
    .filter((t) => t.kind === 'alternate' && wanted(t))
    .map((t) => {
      if (t.kind !== 'alternate') throw new Error('unreachable');
      const sorted = [...t.branches].sort((a, b) => QTYPE_ORDER.indexOf(a.qtype) - QTYPE_ORDER.indexOf(b.qtype));
      return {
        ts: t.ts,
        nameLit: str(t.qapi),
        decoder: decoderName(t.ts),
        encoder: encoderName(t.ts),
        branches: sorted.map((b, i) => {
          let test: string | null;
          switch (b.qtype) {
            case 'qnull':
              test = 'v === null';
              break;
            case 'qbool':
              test = "typeof v === 'boolean'";
              break;
            case 'qstring':
              test = "typeof v === 'string'";
              break;
            case 'qnum':
              test = b.type.kind === 'int64' && b.type.repr === 'bigint' ? "typeof v === 'bigint'" : "typeof v === 'number'";
              break;
            case 'qlist':
              test = 'Array.isArray(v)';
              break;
            default:
              test = null;
          }
          return {
            qtype: b.qtype,
            decode: decodeExpr(b.type, 'v', 'f', 'n', ''),
            test: i === sorted.length - 1 ? null : test,
            encode: encodeExpr(b.type, 'v', ''),
          };
        }),
      };
    });

  const content = render('marshal.hbs', {
    preamble: preamble(ir),
    schemaName: ir.schemaName,
    typesModule: moduleRef(ir, 'types.gen'),
    // Every decoder and encoder uses all three imports; a file without any uses none.
    hasCode: enums.length + objects.length + alternates.length > 0,
    enums,
    objects,
    alternates,
  });
  return [{ path: fileName(ir, 'marshal.gen.ts'), content }];
}
