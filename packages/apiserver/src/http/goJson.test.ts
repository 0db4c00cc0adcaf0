import { describe, expect, test } from '@jest/globals';
import { goJsonSyntaxError, summarizeBody } from './goJson.js';

// Texts observed from kube-apiserver v1.37.2 for the same bodies.
describe('goJsonSyntaxError', () => {
  test.each([
    ['', 'unexpected end of JSON input'],
    ['{"apiVersion": "v1", "kind": ', 'unexpected end of JSON input'],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['nope', "invalid character 'o' in literal null (expecting 'u')"],
    ['{"a":1} x', "invalid character 'x' after top-level value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":1.x}', "invalid character 'x' after decimal point in numeric literal"],
    ['{"a":[1 2]}', "invalid character '2' after array element"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":-}', "invalid character '}' in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ['\u0000\u0001', "invalid character '\\x00' looking for beginning of value"],
    ['{"a":"x\u0001"}', "invalid character '\\x01' in string literal"],
  ])('%j → %s', (body, message) => {
    expect(goJsonSyntaxError(body)).toBe(message);
  });

  test('bytes from 0x80 are named as Latin-1 runes, unprintable ones escaped', () => {
    expect(goJsonSyntaxError(Uint8Array.of(0x9e))).toBe(
      "invalid character '\\u009e' looking for beginning of value",
    );
  });

  test('well-formed JSON has no error', () => {
    expect(goJsonSyntaxError(' {"a":[1,-2.5e+3,true,false,null,"\\u00e9\\n"],"b":{}} ')).toBeUndefined();
  });
});

describe('summarizeBody', () => {
  test('empty, JSON text (cut at 30 bytes) or hex', () => {
    expect(summarizeBody(Buffer.alloc(0))).toBe('<empty>');
    expect(summarizeBody(Buffer.from('{"a":1}'))).toBe('{"a":1}');
    expect(summarizeBody(Buffer.from('{"apiVersion":"v1","kind":"ConfigMap"}'))).toBe(
      '{"apiVersion":"v1","kind":"Con ...',
    );
    expect(summarizeBody(Buffer.from('[1,2,3]'))).toBe('5b312c322c335d');
  });
});
