import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

export const API_TYPES_FILE = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));

const HEADER = `/**
 * Generated from the server's OpenAPI document by \`npm run web:api-types\`; do not edit.
 * web/test/api-types.test.ts fails when this file and the server disagree.
 */

`;

/** The TypeScript types of an OpenAPI document, as openapi-fetch reads them. */
export const apiTypesFrom = async (doc: unknown): Promise<string> => {
  // The servers entry names whatever PUBLIC_URL the document came from: not part of the types.
  const { servers: _servers, ...rest } = doc as OpenAPI3;
  return HEADER + astToString(await openapiTS(rest as OpenAPI3));
};
