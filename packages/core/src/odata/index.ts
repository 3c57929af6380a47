/** The OData query pipeline: lexer -> parser -> validation -> frozen AST (ast.ts). */
export * from './ast.js';
export * from './entities.js';
export { parseODataQuery, type ODataParams, type ParseODataOptions } from './query.js';
export { parseFilter, MAX_FILTER_LENGTH, MAX_FILTER_DEPTH, type SyntaxNode, type SyntaxLiteral, type SyntaxName } from './parser.js';
export { validateFilter, resolveField, type ResolvedField } from './validate.js';
export { tokenize, normaliseDateTime, type Token, type TokenKind } from './lexer.js';
