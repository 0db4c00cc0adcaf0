import { describe, expect, test } from '@jest/globals';
import * as fc from 'fast-check';
import { StatusError } from '../errors/status.js';
import { parseLabelSelector } from './labelSelector.js';

function errorOf(text: string): StatusError {
  try {
    parseLabelSelector(text);
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

/** What running fn came to: its string result ('ok' for none), a StatusError's code, or the other error's text. */
function outcome(fn: () => unknown): string {
  try {
    const r = fn();
    return typeof r === 'string' ? r : 'ok';
  } catch (e) {
    return e instanceof StatusError ? String(e.code) : String(e);
  }
}

describe('parseLabelSelector: matching', () => {
  const labels = { app: 'web', tier: 'front', n: '7' };
  test.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (db,web)', true],
    ['app in (db)', false],
    ['app notin (db)', true],
    ['missing notin (db)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['n>5', true],
    ['n<5', false],
    ['app>1', false],
    ['missing<100', false],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['  app = web , tier in ( front , back ) ', true],
    ['app in (in,notin,web)', true],
    ['missing=', false],
    ['app in (web,)', true],
  ])('%j matches: %s', (text, want) => {
    expect(parseLabelSelector(text).matches(labels)).toBe(want);
  });

  test('undefined labels behave like no labels', () => {
    expect(parseLabelSelector('!a').matches(undefined)).toBe(true);
    expect(parseLabelSelector('a').matches(undefined)).toBe(false);
    expect(parseLabelSelector('a notin (b)').matches(undefined)).toBe(true);
  });

  test('empty and toString', () => {
    expect(parseLabelSelector('').empty).toBe(true);
    expect(parseLabelSelector('  ').empty).toBe(true);
    const s = parseLabelSelector('z in (b,a,b), !y, x==1, w>3, a');
    expect(s.empty).toBe(false);
    expect(s.toString()).toBe('a,w>3,x==1,!y,z in (a,b)');
  });

  test('prefixed keys', () => {
    expect(parseLabelSelector('app.kubernetes.io/name=x').matches({ 'app.kubernetes.io/name': 'x' })).toBe(
      true,
    );
  });
});

describe('parseLabelSelector: errors are 400 with the server text', () => {
  test.each([
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a,', "found '', expected: identifier after ','"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a==(', "unable to parse requirement: found '(', expected: identifier"],
    [
      'a>x',
      `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      'a=b$',
      `unable to parse requirement: values[0][a]: Invalid value: "b$": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    [
      'a$=b',
      `unable to parse requirement: <nil>: Invalid value: "a$": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
    [
      'Ex/a=b',
      `unable to parse requirement: <nil>: Invalid value: "Ex/a": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ])('%j', (text, message) => {
    const err = errorOf(text);
    expect(err.code).toBe(400);
    expect(err.status.reason).toBe('BadRequest');
    expect(err.status.message).toBe(message);
  });

  test('Gt/Lt values must be valid label values, so negatives are rejected', () => {
    expect(errorOf('n>-1').status.message).toContain('values[0][n]: Invalid value: "-1"');
  });

  test('(,,) is rejected as by the Go parser', () => {
    expect(errorOf('a in (,,)').status.message).toBe(
      "unable to parse requirement: found ')', expected: ',', or identifier",
    );
  });

  test('over-long values', () => {
    expect(errorOf(`a=${'x'.repeat(64)}`).status.message).toContain('must be no more than 63 characters');
  });
});

describe('parseLabelSelector: properties', () => {
  test('any text yields a selector or a 400, never another error', () => {
    const alphabet = fc.constantFrom(...'ab1=!(),<> in notin/.-_$'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(alphabet).map((a) => a.join('')),
        ),
        (text) => {
          const result = outcome(() => typeof parseLabelSelector(text).matches({ a: 'b' }));
          expect(result).toMatch(/^(boolean|400)$/);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('toString parses back to an equivalent selector', () => {
    const key = fc.constantFrom('a', 'b', 'x.io/c');
    const val = fc.constantFrom('', '1', 'v', '30');
    const req = fc.oneof(
      fc.tuple(key, fc.constantFrom('=', '==', '!='), val).map(([k, o, v]) => `${k}${o}${v}`),
      fc
        .tuple(
          key,
          fc.constantFrom('in', 'notin'),
          fc.array(fc.constantFrom('1', 'v', '30'), { minLength: 1 }),
        )
        .map(([k, o, vs]) => `${k} ${o} (${vs.join(',')})`),
      key.map((k) => `!${k}`),
      key,
    );
    const labels = fc.dictionary(key, val);
    fc.assert(
      fc.property(fc.array(req, { maxLength: 4 }), labels, (reqs, ls) => {
        const s = parseLabelSelector(reqs.join(','));
        const again = parseLabelSelector(s.toString());
        expect(again.toString()).toBe(s.toString());
        expect(again.matches(ls)).toBe(s.matches(ls));
      }),
    );
  });
});
