import { z } from 'zod';
import { accountRecordSchema, type AccountRecord } from '../../api/accounts/index.js';

/**
 * A backup is one NDJSON file: a header line naming the format and its version,
 * then one line per account, then one line per event (event-lines.ts), in global
 * order. Format 1 (exports before accounts travelled) is events only, no header.
 */
export const BACKUP_FORMAT = 'marquee-backup';
export const FORMAT_VERSION = 2;

export type BackupHeader = {
  readonly format: typeof BACKUP_FORMAT;
  readonly formatVersion: number;
  readonly exportedAt: string;
  /** Set for an incremental export: only events after this position. */
  readonly from?: string;
};

export const headerLine = (header: BackupHeader): string => `${JSON.stringify(header)}\n`;
export const accountLine = (account: AccountRecord): string => `${JSON.stringify({ account })}\n`;

const headerSchema = z.object({ format: z.literal(BACKUP_FORMAT), formatVersion: z.number().int().min(1) }).loose();
const accountLineSchema = z.strictObject({ account: accountRecordSchema });

/** The header of a backup's first line, or undefined when the line is an event (format 1). */
export const parseHeader = (json: unknown): { formatVersion: number } | undefined => {
  const h = headerSchema.safeParse(json);
  return h.success ? { formatVersion: h.data.formatVersion } : undefined;
};

/** An account line's record, undefined when the line is not an account; throws when it is one but malformed. */
export const parseAccountLine = (json: unknown): AccountRecord | undefined => {
  if (typeof json !== 'object' || json === null || !('account' in json)) return undefined;
  const parsed = accountLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'account'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.account;
};
