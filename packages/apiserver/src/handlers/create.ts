/**
 * POST: create an object (201), or a dry run of it; namespaces, names, defaults and validation are the
 * write path's (`write.ts`).
 *
 * Start with {@link handleCreate}.
 */
import { forbidden, methodNotAllowed } from '../errors/status.js';
import { decodeObject, mediaType, readBody, unsupportedBody } from '../http/body.js';
import { decodeProtobufObject, PROTOBUF } from '../http/protobuf.js';
import type { KObject } from '../storage/storedObject.js';
import type { RequestContext } from './context.js';
import { sendObject } from './get.js';
import { validateWriteOptions } from './options.js';
import { checkDuplicateFields } from './fieldValidation.js';
import { commitCreate, prepareCreate } from './write.js';

export async function handleCreate(ctx: RequestContext): Promise<void> {
  if (ctx.subresource !== '') throw methodNotAllowed();
  const type = mediaType(ctx.req);
  if (type !== 'application/json' && type !== 'application/yaml' && type !== PROTOBUF)
    throw unsupportedBody(type);
  const raw = await readBody(ctx.req);
  const body: KObject | undefined =
    type === PROTOBUF ? decodeProtobufObject(raw) : decodeObject(raw, type, ctx.info.kind);
  if (!body) throw unsupportedBody(type);
  if (type === 'application/json') checkDuplicateFields(ctx, raw.toString('utf8'));
  validateWriteOptions(ctx, 'CreateOptions');
  // A terminating CRD drops create from its verbs; forbidCreateAdmission refuses with the object's name.
  if (ctx.info.crdName && !ctx.info.verbs.includes('create'))
    throw forbidden(
      ctx.info.plural,
      ctx.info.group,
      body.metadata?.name ?? '',
      'create not allowed while custom resource definition is terminating',
    );
  const obj = prepareCreate(ctx, body);
  const stored = commitCreate(ctx, obj);
  sendObject(ctx, 201, stored);
}
