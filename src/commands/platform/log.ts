/**
 * The slice of a pino logger Marquee's parts log through. A part names the
 * methods it uses (`Pick<Log, 'warn'>`), so a test can pass a small one.
 */
export type Log = {
  readonly debug: (obj: object, msg: string) => void;
  readonly info: (obj: object, msg: string) => void;
  readonly warn: (obj: object, msg: string) => void;
  readonly error: (obj: object, msg: string) => void;
};
