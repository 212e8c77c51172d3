/** Any 8-4-4-4-12 hex id, whatever its version: what PostgreSQL's uuid type and EventStoreDB's event ids accept. */
export const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
