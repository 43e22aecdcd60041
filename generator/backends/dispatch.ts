/** Backends: dispatch table and handler interface (dispatch.gen.ts), client stubs (client.gen.ts), barrel (index.gen.ts). */
import type { Ir, IrCommand } from '../ir/types';
import {
  MEMBER_INDENT,
  commentBlock,
  decodeExpr,
  docComment,
  encodeExpr,
  encoderName,
  fileName,
  membersDecoderName,
  moduleRef,
  namespacesUsed,
  preamble,
  str,
  tsType,
  type OutputFile,
} from './common';
import { render } from './render';

function argsType(c: IrCommand): string {
  return c.args ? `T.${c.args.ts}` : 'm.NoArgs';
}

function retType(c: IrCommand): string {
  return c.ret ? tsType(c.ret, 'T.') : 'void';
}

function commandComment(c: IrCommand): string {
  const extra: string[] = [];
  if (c.cond) extra.push(`Condition: ${c.cond}`);
  if (c.features.some((f) => f.name === 'deprecated')) extra.push('@deprecated');
  const other = c.features.filter((f) => f.name !== 'deprecated').map((f) => f.name);
  if (other.length > 0) extra.push(`Features: ${other.join(', ')}`);
  const comment = docComment(c.doc, [`Command \`${c.qapi}\`.`, ...extra], MEMBER_INDENT);
  return comment !== '' ? comment : commentBlock(`Command \`${c.qapi}\`.`, MEMBER_INDENT);
}

export function dispatchBackend(ir: Ir): OutputFile[] {
  const commands = ir.commands
    .filter((c) => c.gen)
    .map((c) => ({
      comment: commandComment(c),
      handler: c.handler,
      nameLit: str(c.qapi),
      argsType: argsType(c),
      retType: retType(c),
      successResponse: c.successResponse,
      allowOob: c.allowOob,
      allowPreconfig: c.allowPreconfig,
      features: c.features.map((f) => str(f.name)).join(', '),
      argsDecoder: c.args ? `${membersDecoderName(c.args.ts)}` : null,
      hasRet: c.ret !== null,
      encodeRet: c.ret ? encodeExpr(c.ret, 'r', 'M.') : '',
    }));
  // Every command's call uses `m` (m.rootFrame); `M` decodes arguments and encodes results.
  const code = commands.flatMap((c) => [c.argsType, c.retType, c.encodeRet, c.argsDecoder === null ? '' : 'M.', 'm.']);
  const content = render('dispatch.hbs', {
    preamble: preamble(ir),
    schemaName: ir.schemaName,
    typesModule: moduleRef(ir, 'types.gen'),
    marshalModule: moduleRef(ir, 'marshal.gen'),
    uses: namespacesUsed(code),
    commands,
  });
  return [{ path: fileName(ir, 'dispatch.gen.ts'), content }];
}

export function clientBackend(ir: Ir): OutputFile[] {
  const commands = ir.commands.map((c) => {
    const params = c.args ? `args: T.${c.args.ts}${c.args.allOptional ? ' = {}' : ''}` : '';
    return {
      comment: commandComment(c),
      method: c.method,
      nameLit: str(c.qapi),
      params,
      retType: retType(c),
      hasRet: c.ret !== null,
      argsExpr: c.args ? `M.${encoderName(c.args.ts)}(args)` : 'undefined',
      options: c.successResponse ? '' : ', { successResponse: false }',
      decodeRet: c.ret ? decodeExpr(c.ret, 'r', 'null', 'null', 'M.') : '',
    };
  });
  const client = render('client.hbs', {
    preamble: preamble(ir),
    schemaName: ir.schemaName,
    typesModule: moduleRef(ir, 'types.gen'),
    marshalModule: moduleRef(ir, 'marshal.gen'),
    uses: namespacesUsed(commands.flatMap((c) => [c.params, c.retType, c.argsExpr, c.decodeRet])),
    commands,
  });
  const index = render('index.hbs', {
    preamble: preamble(ir),
    schemaName: ir.schemaName,
    typesModule: moduleRef(ir, 'types.gen'),
    marshalModule: moduleRef(ir, 'marshal.gen'),
    dispatchModule: moduleRef(ir, 'dispatch.gen'),
    clientModule: moduleRef(ir, 'client.gen'),
  });
  return [
    { path: fileName(ir, 'client.gen.ts'), content: client },
    { path: fileName(ir, 'index.gen.ts'), content: index },
  ];
}
