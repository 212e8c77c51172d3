/** The slice of a pino logger the read side uses, so tests can pass a silent one. */
export type Log = {
  readonly debug: (obj: object, msg: string) => void;
  readonly info: (obj: object, msg: string) => void;
  readonly warn: (obj: object, msg: string) => void;
  readonly error: (obj: object, msg: string) => void;
};
