/**
 * Go-compatible JSON error texts: the syntax errors Go's `encoding/json` scanner reports (`invalid character
 * '}' looking for beginning of object key string`, `unexpected end of JSON input`) and the type names of its
 * `cannot unmarshal <type> into ...` errors, because the real server echoes them to clients.
 *
 * Start with {@link goJsonSyntaxError}.
 */

const END = 'unexpected end of JSON input';

class SyntaxFailure extends Error {}

/** Go's `quoteChar`: `'x'`, `'\''`, `'"'`, or a Go-quoted escape such as `'\x01'`. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const s = String.fromCharCode(c);
  if (c === 0x07) return `'\\a'`;
  if (c === 0x08) return `'\\b'`;
  if (c === 0x0c) return `'\\f'`;
  if (c === 0x0a) return `'\\n'`;
  if (c === 0x0d) return `'\\r'`;
  if (c === 0x09) return `'\\t'`;
  if (c === 0x0b) return `'\\v'`;
  if (c === 0x5c) return `'\\\\'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // Bytes from 0x80 are read by Go as the rune of the same number (Latin-1); the unprintable ones
  // (C1 controls, no-break space, soft hyphen) are escaped.
  if (c >= 0x80 && (c < 0xa0 || c === 0xad)) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${s}'`;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** A scanner over bytes that throws the first error in Go's wording. */
class Scanner {
  private i = 0;
  constructor(private readonly b: Uint8Array) {}

  private peek(): number {
    if (this.i >= this.b.length) throw new SyntaxFailure(END);
    return this.b[this.i] as number;
  }

  private fail(c: number, context: string): never {
    throw new SyntaxFailure(`invalid character ${quoteChar(c)} ${context}`);
  }

  private skipSpace(): void {
    while (this.i < this.b.length && isSpace(this.b[this.i] as number)) this.i++;
  }

  document(): void {
    this.skipSpace();
    this.value();
    this.skipSpace();
    if (this.i < this.b.length) this.fail(this.b[this.i] as number, 'after top-level value');
  }

  private value(): void {
    const c = this.peek();
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    if (c === 0x2d || isDigit(c)) return this.number();
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return this.literal('false');
    if (c === 0x6e) return this.literal('null');
    this.fail(c, 'looking for beginning of value');
  }

  private object(): void {
    this.i++;
    this.skipSpace();
    if (this.peek() === 0x7d) {
      this.i++;
      return;
    }
    for (;;) {
      const k = this.peek();
      if (k !== 0x22) this.fail(k, 'looking for beginning of object key string');
      this.string();
      this.skipSpace();
      const colon = this.peek();
      if (colon !== 0x3a) this.fail(colon, 'after object key');
      this.i++;
      this.skipSpace();
      this.value();
      this.skipSpace();
      const next = this.peek();
      this.i++;
      if (next === 0x7d) return;
      if (next !== 0x2c) this.fail(next, 'after object key:value pair');
      this.skipSpace();
    }
  }

  private array(): void {
    this.i++;
    this.skipSpace();
    if (this.peek() === 0x5d) {
      this.i++;
      return;
    }
    for (;;) {
      this.skipSpace();
      this.value();
      this.skipSpace();
      const next = this.peek();
      this.i++;
      if (next === 0x5d) return;
      if (next !== 0x2c) this.fail(next, 'after array element');
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.peek();
      this.i++;
      if (c === 0x22) return;
      if (c < 0x20) this.fail(c, 'in string literal');
      if (c !== 0x5c) continue;
      const e = this.peek();
      this.i++;
      if (e === 0x75) {
        for (let n = 0; n < 4; n++) {
          const h = this.peek();
          if (!isHex(h)) this.fail(h, 'in \\u hexadecimal character escape');
          this.i++;
        }
      } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
        this.fail(e, 'in string escape code');
      }
    }
  }

  /** Consumes a number; what follows it is judged by the enclosing value, as in Go. */
  private number(): void {
    if (this.peek() === 0x2d) {
      this.i++;
      const d = this.peek();
      if (!isDigit(d)) this.fail(d, 'in numeric literal');
    }
    if (this.peek() === 0x30) this.i++;
    else while (this.i < this.b.length && isDigit(this.b[this.i] as number)) this.i++;
    if (this.i < this.b.length && this.b[this.i] === 0x2e) {
      this.i++;
      const d = this.peek();
      if (!isDigit(d)) this.fail(d, 'after decimal point in numeric literal');
      while (this.i < this.b.length && isDigit(this.b[this.i] as number)) this.i++;
    }
    if (this.i < this.b.length && (this.b[this.i] === 0x65 || this.b[this.i] === 0x45)) {
      this.i++;
      const s = this.peek();
      if (s === 0x2b || s === 0x2d) this.i++;
      const d = this.peek();
      if (!isDigit(d)) this.fail(d, 'in exponent of numeric literal');
      while (this.i < this.b.length && isDigit(this.b[this.i] as number)) this.i++;
    }
  }

  private literal(word: string): void {
    this.i++;
    for (let n = 1; n < word.length; n++) {
      const c = this.peek();
      const want = word.charCodeAt(n);
      if (c !== want) this.fail(c, `in literal ${word} (expecting ${quoteChar(want)})`);
      this.i++;
    }
  }
}

/** The error Go's `json.Unmarshal` reports for malformed input, or undefined when the JSON is well formed. */
export function goJsonSyntaxError(body: Uint8Array | string): string | undefined {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  try {
    new Scanner(bytes).document();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxFailure) return e.message;
    throw e;
  }
}

/** The name Go's decoder uses for a JSON value's type in `cannot unmarshal <type> into ...`. */
export function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'object') return 'object';
  return typeof v === 'number' ? 'number' : 'string';
}

/** apiserver's `summarizeData`: what a decode error echoes of the body (JSON text or hex, 30 bytes). */
export function summarizeBody(body: Uint8Array): string {
  if (body.length === 0) return '<empty>';
  const head = Buffer.from(body.subarray(0, 30));
  const more = body.length > 30 ? ' ...' : '';
  if (body[0] === 0x7b) return `${head.toString('utf8')}${more}`;
  return `${head.toString('hex')}${more}`;
}
