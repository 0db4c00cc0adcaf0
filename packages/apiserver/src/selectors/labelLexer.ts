/**
 * The label selector lexer: splits selector text into tokens exactly as apimachinery's `labels.Lexer`
 * does (greedy operator symbols, `in`/`notin` keywords, everything else an identifier). Start with {@link lex}.
 */

export enum Tok {
  Error,
  End,
  ClosePar,
  Comma,
  Not,
  DoubleEquals,
  Equals,
  Greater,
  Identifier,
  In,
  Less,
  NotEquals,
  NotIn,
  OpenPar,
}

const SYMBOLS: Record<string, Tok> = {
  ')': Tok.ClosePar,
  ',': Tok.Comma,
  '!': Tok.Not,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.Greater,
  in: Tok.In,
  '<': Tok.Less,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
};

const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch);

export interface Item {
  tok: Tok;
  lit: string;
}

/** Splits the text into tokens the way the Go lexer does (greedy operators, keywords in/notin). */
export function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos] ?? '')) pos++;
    if (pos >= s.length) {
      items.push({ tok: Tok.End, lit: '' });
      return items;
    }
    if (isSpecial(s[pos] ?? '')) {
      let buffer = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos] ?? '')) {
        buffer += s[pos];
        const tok = Object.hasOwn(SYMBOLS, buffer) ? SYMBOLS[buffer] : undefined;
        if (tok !== undefined) {
          last = { tok, lit: buffer };
          pos++;
        } else if (last !== undefined) {
          break;
        } else {
          pos++;
        }
      }
      // The Go lexer reports an unknown symbol run (e.g. `=>`... only when nothing matched) as an error token.
      items.push(last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let buffer = '';
    while (pos < s.length && !isSpecial(s[pos] ?? '') && !isSpace(s[pos] ?? '')) buffer += s[pos++];
    const keyword = buffer === 'in' ? Tok.In : buffer === 'notin' ? Tok.NotIn : undefined;
    items.push({ tok: keyword ?? Tok.Identifier, lit: buffer });
  }
}
