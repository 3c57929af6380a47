/**
 * Recursive-descent parser for `$filter` (hand-written; see lexer.ts for why). It produces a
 * positional syntax tree: names are still as the client spelled them and literals untyped against
 * the entity. validate.ts turns that tree into the frozen, canonical AST of ast.ts.
 *
 * Grammar (keywords case-insensitive, `not` binds tighter than `and`, `and` tighter than `or`):
 *   or      := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | primary
 *   primary := '(' or ')' | call [('eq'|'ne') bool] | name '/' 'any' '(' var ':' lambda ')'
 *            | name cmp literal | name 'in' '(' literal (',' literal)* ')'
 *   call    := ('startswith'|'endswith'|'contains') '(' name ',' literal ')'
 *   lambda  := var 'eq' literal | ('startswith'|'endswith'|'contains') '(' var ',' literal ')' [('eq'|'ne') bool]
 */
import type { ComparisonOperator, StringFunction } from './ast.js';
import { DomainError } from '../errors.js';
import { syntaxError, tokenize, type Token } from './lexer.js';

/** Longest `$filter` accepted (8 KB), checked before tokenizing. */
export const MAX_FILTER_LENGTH = 8192;
/** Deepest nesting of parentheses / `not` accepted; bounds the parser's recursion. */
export const MAX_FILTER_DEPTH = 32;

export interface SyntaxName {
  readonly name: string;
  readonly position: number;
}

export type SyntaxLiteral =
  | { readonly kind: 'string'; readonly value: string; readonly position: number }
  | { readonly kind: 'number'; readonly value: number; readonly position: number; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly position: number }
  | { readonly kind: 'null'; readonly position: number }
  | { readonly kind: 'datetime'; readonly value: string; readonly position: number; readonly text: string };

export type SyntaxNode =
  | { readonly kind: 'compare'; readonly op: ComparisonOperator; readonly field: SyntaxName; readonly value: SyntaxLiteral; readonly position: number }
  | { readonly kind: 'in'; readonly field: SyntaxName; readonly values: readonly SyntaxLiteral[]; readonly position: number }
  | { readonly kind: 'and' | 'or'; readonly left: SyntaxNode; readonly right: SyntaxNode }
  | { readonly kind: 'not'; readonly operand: SyntaxNode }
  | { readonly kind: 'function'; readonly name: StringFunction; readonly field: SyntaxName; readonly value: SyntaxLiteral; readonly position: number }
  | { readonly kind: 'any'; readonly field: SyntaxName; readonly op: 'eq' | StringFunction; readonly value: SyntaxLiteral; readonly negated: boolean; readonly position: number };

const COMPARISON_OPS: readonly string[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] satisfies ComparisonOperator[];
const FUNCTIONS: readonly string[] = ['startswith', 'endswith', 'contains'] satisfies StringFunction[];
const OPTION = '$filter';

/** Parses `$filter` text into a positional syntax tree; throws ODataError on any syntax problem. */
export function parseFilter(text: string): SyntaxNode {
  if (text.length > MAX_FILTER_LENGTH) {
    throw new DomainError('ODataError', `$filter is too long: ${text.length} characters, at most ${MAX_FILTER_LENGTH}`, { details: { option: OPTION } });
  }
  const parser = new FilterParser(tokenize(text, OPTION));
  const node = parser.parseOr(0);
  parser.expectEnd();
  return node;
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'end of input';
  if (token.kind === 'string') return `string literal '${token.text.replaceAll("'", "''")}'`;
  return `token '${token.text}'`;
}

class FilterParser {
  readonly #tokens: Token[];
  #at = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parseOr(depth: number): SyntaxNode {
    let left = this.#parseAnd(depth);
    while (this.#keyword('or')) {
      this.#at++;
      left = { kind: 'or', left, right: this.#parseAnd(depth) };
    }
    return left;
  }

  expectEnd(): void {
    const token = this.#peek();
    if (token.kind !== 'end') this.#unexpected(token);
  }

  #parseAnd(depth: number): SyntaxNode {
    let left = this.#parseUnary(depth);
    while (this.#keyword('and')) {
      this.#at++;
      left = { kind: 'and', left, right: this.#parseUnary(depth) };
    }
    return left;
  }

  #parseUnary(depth: number): SyntaxNode {
    const token = this.#peek();
    if (depth >= MAX_FILTER_DEPTH) syntaxError(OPTION, token.position, `expression is nested deeper than ${MAX_FILTER_DEPTH} levels`);
    if (this.#keyword('not')) {
      this.#at++;
      return { kind: 'not', operand: this.#parseUnary(depth + 1) };
    }
    return this.#parsePrimary(depth);
  }

  #parsePrimary(depth: number): SyntaxNode {
    const token = this.#next();
    if (token.kind === '(') {
      const inner = this.parseOr(depth + 1);
      this.#expect(')');
      return inner;
    }
    if (token.kind !== 'identifier') this.#unexpected(token, 'expected a property name, a function or (');
    const lower = token.text.toLowerCase();
    if (this.#peek().kind === '(') {
      if (!FUNCTIONS.includes(lower)) syntaxError(OPTION, token.position, `unknown function '${token.text}'`);
      return this.#parseCall(token, lower as StringFunction);
    }
    const field: SyntaxName = { name: token.text, position: token.position };
    if (this.#peek().kind === '/') {
      this.#at++;
      return this.#parseAny(field);
    }
    const opToken = this.#next();
    const op = opToken.kind === 'identifier' ? opToken.text.toLowerCase() : '';
    if (op === 'in') return { kind: 'in', field, values: this.#parseList(), position: opToken.position };
    if (!COMPARISON_OPS.includes(op)) this.#unexpected(opToken, 'expected a comparison operator');
    return { kind: 'compare', op: op as ComparisonOperator, field, value: this.#parseLiteral(), position: opToken.position };
  }

  /** `startswith(field, 'x')`, optionally followed by `eq true|false` / `ne true|false`. */
  #parseCall(nameToken: Token, name: StringFunction): SyntaxNode {
    this.#expect('(');
    const arg = this.#next();
    if (arg.kind !== 'identifier') this.#unexpected(arg, 'expected a property name');
    this.#expect(',');
    const value = this.#parseLiteral();
    this.#expect(')');
    const node: SyntaxNode = { kind: 'function', name, field: { name: arg.text, position: arg.position }, value, position: nameToken.position };
    return this.#parseBooleanSuffix() ? node : { kind: 'not', operand: node };
  }

  /** Consumes an optional `eq true` / `ne false` (true) or `eq false` / `ne true` (false). */
  #parseBooleanSuffix(): boolean {
    if (!this.#keyword('eq') && !this.#keyword('ne')) return true;
    const op = this.#next().text.toLowerCase();
    const value = this.#next();
    const lower = value.kind === 'identifier' ? value.text.toLowerCase() : '';
    if (lower !== 'true' && lower !== 'false') this.#unexpected(value, 'expected true or false');
    return (op === 'eq') === (lower === 'true');
  }

  /** After `name/`: `any(t: t eq 'x')` or `any(t: startswith(t,'x'))`. */
  #parseAny(field: SyntaxName): SyntaxNode {
    const any = this.#next();
    if (any.kind !== 'identifier' || any.text.toLowerCase() !== 'any') this.#unexpected(any, 'expected any');
    this.#expect('(');
    const variable = this.#next();
    if (variable.kind !== 'identifier') this.#unexpected(variable, 'expected a lambda variable');
    this.#expect(':');
    const head = this.#next();
    const lower = head.kind === 'identifier' ? head.text.toLowerCase() : '';
    let node: SyntaxNode;
    if (FUNCTIONS.includes(lower) && this.#peek().kind === '(') {
      this.#expect('(');
      this.#expectVariable(variable);
      this.#expect(',');
      const value = this.#parseLiteral();
      this.#expect(')');
      const positive = this.#parseBooleanSuffix();
      node = { kind: 'any', field, op: lower as StringFunction, value, negated: !positive, position: head.position };
    } else {
      if (head.kind !== 'identifier' || head.text !== variable.text) this.#unexpected(head, `expected the lambda variable '${variable.text}'`);
      const op = this.#next();
      if (op.kind !== 'identifier' || op.text.toLowerCase() !== 'eq') this.#unexpected(op, 'expected eq');
      node = { kind: 'any', field, op: 'eq', value: this.#parseLiteral(), negated: false, position: op.position };
    }
    this.#expect(')');
    return node;
  }

  #expectVariable(variable: Token): void {
    const token = this.#next();
    if (token.kind !== 'identifier' || token.text !== variable.text) this.#unexpected(token, `expected the lambda variable '${variable.text}'`);
  }

  #parseList(): SyntaxLiteral[] {
    this.#expect('(');
    const values = [this.#parseLiteral()];
    while (this.#peek().kind === ',') {
      this.#at++;
      values.push(this.#parseLiteral());
    }
    this.#expect(')');
    return values;
  }

  #parseLiteral(): SyntaxLiteral {
    const token = this.#next();
    const position = token.position;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text, position };
      case 'number':
        return { kind: 'number', value: token.value as number, position, text: token.text };
      case 'datetime':
        return { kind: 'datetime', value: token.value as string, position, text: token.text };
      case 'identifier': {
        const lower = token.text.toLowerCase();
        if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true', position };
        if (lower === 'null') return { kind: 'null', position };
      }
    }
    return this.#unexpected(token, 'expected a literal');
  }

  #keyword(word: string): boolean {
    const token = this.#peek();
    return token.kind === 'identifier' && token.text.toLowerCase() === word;
  }

  #expect(kind: Token['kind']): Token {
    const token = this.#next();
    if (token.kind !== kind) this.#unexpected(token, `expected '${kind}'`);
    return token;
  }

  #peek(): Token {
    return this.#tokens[this.#at];
  }

  #next(): Token {
    const token = this.#tokens[this.#at];
    if (token.kind !== 'end') this.#at++;
    return token;
  }

  #unexpected(token: Token, expected?: string): never {
    return syntaxError(OPTION, token.position, `unexpected ${describe(token)}${expected ? ` (${expected})` : ''}`);
  }
}
