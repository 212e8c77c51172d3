import { DomainError } from './errors.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds of an ISO 8601 time with a zone; invalid-input naming the field otherwise. */
export const timeMs = (field: string, value: unknown): number => {
  const ms = typeof value === 'string' && ISO.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw new DomainError('invalid-input', `${field} must be an ISO 8601 time with a zone, e.g. 2027-03-01T19:30:00Z.`, {
      field,
    });
  }
  return ms;
};

export const isoAt = (ms: number): string => new Date(ms).toISOString();

export const requireText = (field: string, value: unknown, max: number, allowEmpty = false): void => {
  if (typeof value !== 'string' || (!allowEmpty && value.trim() === '') || value.length > max) {
    const what = allowEmpty ? 'a text' : 'a non-empty text';
    throw new DomainError('invalid-input', `${field} must be ${what} of at most ${max} characters.`, { field });
  }
};

export const requireInt = (field: string, value: unknown, min: number, max: number): void => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new DomainError('invalid-input', `${field} must be a whole number from ${min} to ${max}.`, { field });
  }
};

export const requireId = (field: string, value: unknown): void => requireText(field, value, 200);

export const CURRENCY = /^[A-Z]{3}$/;

/** Array.isArray without its `any[]` narrowing: the value keeps its declared element type for the checks that follow. */
export const isList = (value: unknown): boolean => Array.isArray(value);
