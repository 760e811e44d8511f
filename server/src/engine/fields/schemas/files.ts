// Which files may be schemas, by name: the engine looks for them, the language server re-analyses a project when one
// changes, and the editor extension watches them. No dependency, so the extension's bundle can share it.

/** Schema languages with an extension of their own: Prisma, GraphQL SDL, SQL. */
export const SCHEMA_EXTENSIONS = ['prisma', 'graphql', 'graphqls', 'gql', 'sql'] as const;
/** Documents that may hold an OpenAPI schema (their content decides). */
export const SCHEMA_DOCUMENT_EXTENSIONS = ['yaml', 'yml', 'json'] as const;
