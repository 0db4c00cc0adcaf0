/**
 * `x-kubernetes-validations` CEL rules: compiled once with @bufbuild/cel, evaluated at every schema
 * node with `self` (and `oldSelf` for transition rules on update), failing with the messages of
 * apiextensions-apiserver's `schema/cel/validation.go`. Start with {@link compileRule} and {@link validateCel}.
 */
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import type { CelInput, CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { StatusCause } from '../errors/status.js';
import type { JSONSchemaProps, ValidationRule } from '../registry/types.js';
import { fieldError, NIL_PATH, OMIT } from './fieldError.js';
import type { FieldErrorType } from './fieldError.js';

type Program = (bindings: Record<string, CelInput>) => CelResult;

export interface CompiledRule {
  rule: ValidationRule;
  program?: Program;
  messageProgram?: Program;
  /** Why the rule (or its messageExpression) does not compile, in the server's words. */
  error?: string;
  usesOldSelf: boolean;
}

const env = celEnv({ funcs: strings });

/** Identifiers CEL resolves without a declaration: type names. */
const TYPE_IDENTS = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
  'dyn',
]);

interface ExprNode {
  exprKind: { case: string | undefined; value?: unknown };
}

/** Free identifiers of a parsed expression (comprehension variables are bound inside their loop). */
function freeIdents(expr: unknown, bound: Set<string>, out: Set<string>): void {
  if (expr === null || typeof expr !== 'object') return;
  const kind = (expr as ExprNode).exprKind;
  if (kind === undefined) return;
  const v = kind.value as Record<string, unknown> | undefined;
  if (v === undefined) return;
  switch (kind.case) {
    case 'identExpr': {
      const name = v['name'] as string;
      if (!bound.has(name)) out.add(name);
      return;
    }
    case 'comprehensionExpr': {
      freeIdents(v['iterRange'], bound, out);
      freeIdents(v['accuInit'], bound, out);
      const inner = new Set(bound);
      for (const k of ['iterVar', 'iterVar2', 'accuVar']) {
        const name = v[k];
        if (typeof name === 'string' && name !== '') inner.add(name);
      }
      for (const k of ['loopCondition', 'loopStep', 'result']) freeIdents(v[k], inner, out);
      return;
    }
    default:
      for (const child of Object.values(v)) {
        if (Array.isArray(child)) for (const c of child) walkAny(c, bound, out);
        else walkAny(child, bound, out);
      }
  }
}

/** Descends into messages that are not `Expr`s themselves (call args, list elements, map entries). */
function walkAny(node: unknown, bound: Set<string>, out: Set<string>): void {
  if (node === null || typeof node !== 'object') return;
  if ('exprKind' in node) {
    freeIdents(node, bound, out);
    return;
  }
  for (const child of Object.values(node)) {
    if (Array.isArray(child)) for (const c of child) walkAny(c, bound, out);
    else if (typeof child === 'object') walkAny(child, bound, out);
  }
}

function compileExpression(
  src: string,
  allowOldSelf: boolean,
): { program?: Program; error?: string; usesOldSelf: boolean } {
  try {
    const parsed = parse(src);
    const idents = new Set<string>();
    freeIdents(parsed.expr, new Set(TYPE_IDENTS), idents);
    const usesOldSelf = idents.has('oldSelf');
    for (const name of idents) {
      if (name === 'self' || (name === 'oldSelf' && allowOldSelf)) continue;
      return {
        error: `compilation failed: ERROR: <input>: undeclared reference to '${name}' (in container '')`,
        usesOldSelf,
      };
    }
    const run = plan(env, parsed) as unknown as Program;
    return { program: run, usesOldSelf };
  } catch (e) {
    return {
      error: `compilation failed: ERROR: ${e instanceof Error ? e.message : String(e)}`,
      usesOldSelf: false,
    };
  }
}

const ruleCache = new WeakMap<ValidationRule, CompiledRule>();

/** Compiles a rule and its messageExpression once per rule object. */
export function compileRule(rule: ValidationRule): CompiledRule {
  const cached = ruleCache.get(rule);
  if (cached) return cached;
  const main = compileExpression(rule.rule ?? '', true);
  const compiled: CompiledRule = { rule, usesOldSelf: main.usesOldSelf };
  if (main.program) compiled.program = main.program;
  if (main.error) compiled.error = main.error;
  if (rule.messageExpression !== undefined && rule.messageExpression !== '') {
    const msg = compileExpression(rule.messageExpression, true);
    if (msg.program) compiled.messageProgram = msg.program;
    else if (!compiled.error) compiled.error = `messageExpression ${msg.error ?? 'compilation failed'}`;
  }
  ruleCache.set(rule, compiled);
  return compiled;
}

/** A JSON value as CEL sees it under `schema`: objects as maps, integers as BigInt, `number` fields as doubles. */
export function toCel(value: unknown, schema: JSONSchemaProps | undefined): CelInput {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
  if (typeof value === 'number') {
    if (schema?.type === 'number' || !Number.isInteger(value)) return value;
    return BigInt(value);
  }
  if (typeof value === 'object') {
    const m = new Map<string, CelInput>();
    const props = schema?.properties;
    const extra = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      m.set(k, toCel(v, props?.[k] ?? extra));
    }
    return m;
  }
  return value as CelInput;
}

function ruleErrorString(rule: ValidationRule): string {
  return (rule.message ?? '').trim() !== '' ? (rule.message ?? '').trim() : rule.rule.trim();
}

function reasonType(reason: ValidationRule['reason']): FieldErrorType {
  return reason ?? 'FieldValueInvalid';
}

function normalizeFieldPath(p: string): string {
  return p
    .replace(/^\./, '')
    .replace(/\['((?:[^'\\]|\\.)*)'\]/g, (_m, key: string) => `[${key.replace(/\\(.)/g, '$1')}]`);
}

/** The message of a CEL evaluation error as cel-go words it. */
function evalErrorText(message: string): string {
  const m = /^field not found: (.*)$/.exec(message);
  if (m) return `no such key: ${m[1] ?? ''}`;
  return message;
}

function evaluateRules(
  s: JSONSchemaProps,
  obj: unknown,
  old: unknown,
  path: string | null,
  errs: StatusCause[],
): void {
  const rules = s['x-kubernetes-validations'];
  if (!rules || rules.length === 0) return;
  const here = path ?? NIL_PATH;
  const typeName = s.type ?? '';
  const bindings: Record<string, CelInput> = { self: toCel(obj, s) };
  if (old !== undefined && old !== null) bindings['oldSelf'] = toCel(old, s);
  for (const rule of rules) {
    const c = compileRule(rule);
    if (c.error !== undefined || !c.program) {
      errs.push(
        fieldError('FieldValueInvalid', here, typeName, `rule compile error: ${c.error ?? 'no program'}`),
      );
      continue;
    }
    if (c.usesOldSelf && bindings['oldSelf'] === undefined) continue; // transition rules need an old value
    let result: CelResult;
    try {
      result = c.program(bindings);
    } catch (e) {
      result = e instanceof Error ? (e as unknown as CelResult) : String(e);
    }
    if (result === true) continue;
    if (isCelError(result) || result instanceof Error) {
      const text = result.message;
      if (/no matching overload/.test(text)) {
        errs.push(
          fieldError(
            'FieldValueInvalid',
            here,
            typeName,
            `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`,
          ),
        );
      } else {
        errs.push(
          fieldError(
            'FieldValueInvalid',
            here,
            typeName,
            `${evalErrorText(text)} evaluating rule: ${ruleErrorString(rule)}`,
          ),
        );
      }
      continue;
    }
    if (typeof result !== 'boolean') {
      errs.push(
        fieldError(
          'FieldValueInvalid',
          here,
          typeName,
          `rule did not evaluate to a bool evaluating rule: ${ruleErrorString(rule)}`,
        ),
      );
      continue;
    }
    let at = path;
    if (rule.fieldPath) {
      const rel = normalizeFieldPath(rule.fieldPath);
      at = at === null ? rel : `${at}.${rel}`;
    }
    let detail: string | undefined;
    if (c.messageProgram) {
      try {
        const m = c.messageProgram(bindings);
        if (typeof m === 'string' && m.trim() !== '' && !/\n/.test(m.trim()) && m.trim().length <= 5120)
          detail = m.trim();
      } catch {
        // a failing messageExpression falls back to the static message, as the server does
      }
    }
    detail ??=
      (rule.message ?? '').trim() !== ''
        ? (rule.message ?? '').trim()
        : `failed rule: ${ruleErrorString(rule)}`;
    const value = s.type === 'object' || s.type === 'array' ? OMIT : obj;
    const type = reasonType(rule.reason);
    errs.push(
      type === 'FieldValueDuplicate'
        ? fieldError(type, at ?? NIL_PATH, value)
        : fieldError(type, at ?? NIL_PATH, value, detail),
    );
  }
}

/** The old element of a `x-kubernetes-list-type: map` list with the same key values, if any. */
function oldListItem(s: JSONSchemaProps, item: unknown, old: unknown): unknown {
  if (s['x-kubernetes-list-type'] !== 'map' || !Array.isArray(old)) return undefined;
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (item === null || typeof item !== 'object') return undefined;
  const rec = item as Record<string, unknown>;
  return old.find(
    (o) =>
      o !== null &&
      typeof o === 'object' &&
      keys.every((k) => JSON.stringify((o as Record<string, unknown>)[k]) === JSON.stringify(rec[k])),
  );
}

/** Runs every rule of the schema tree over `obj` (and `old` on update). `path` null is the root. */
export function validateCel(
  s: JSONSchemaProps,
  obj: unknown,
  old: unknown,
  path: string | null,
  errs: StatusCause[],
): void {
  if (obj === null || obj === undefined) return;
  evaluateRules(s, obj, old, path, errs);
  for (const sub of s.allOf ?? []) validateCel(sub, obj, old, path, errs);
  if (Array.isArray(obj)) {
    const items = s.items;
    if (!items) return;
    obj.forEach((item, i) =>
      validateCel(items, item, oldListItem(s, item, old), `${path ?? ''}[${i}]`, errs),
    );
    return;
  }
  if (typeof obj !== 'object') return;
  const rec = obj as Record<string, unknown>;
  const oldRec =
    old !== null && typeof old === 'object' && !Array.isArray(old)
      ? (old as Record<string, unknown>)
      : undefined;
  const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (extra) {
    for (const [k, v] of Object.entries(rec)) validateCel(extra, v, oldRec?.[k], `${path ?? ''}[${k}]`, errs);
  }
  const props = s.properties;
  if (props) {
    for (const [k, v] of Object.entries(rec)) {
      const sub = props[k];
      if (sub) validateCel(sub, v, oldRec?.[k], path === null ? k : `${path}.${k}`, errs);
    }
  }
}

/** Whether any node of the tree carries rules (so trees without rules skip the CEL walk). */
export function hasRules(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  if ((s['x-kubernetes-validations'] ?? []).length > 0) return true;
  if (hasRules(s.items)) return true;
  if (typeof s.additionalProperties === 'object' && hasRules(s.additionalProperties)) return true;
  if ((s.allOf ?? []).some(hasRules)) return true;
  return Object.values(s.properties ?? {}).some(hasRules);
}
