export { fold } from './decider.js';
export type { Decider } from './decider.js';
export { DomainError } from './errors.js';
export type { DomainErrorCode } from './errors.js';
export { emptyPMap, hashKey, pget, phas, premove, pset, pvalues } from './persistent-map.js';
export type { PMap } from './persistent-map.js';
export { foldText, performerId } from './text.js';
export { CURRENCY, isList, isoAt, requireId, requireInt, requireText, timeMs } from './validation.js';
