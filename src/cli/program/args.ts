import { UsageError } from './context.js';

export type OptionSpec = Readonly<Record<string, 'string' | 'boolean'>>;

export type ParsedArgs = {
  readonly options: Readonly<Record<string, string | true | undefined>>;
  readonly positionals: readonly string[];
  readonly help: boolean;
};

/**
 * `--name value`, `--name=value`, `--flag`, `-h`/`--help`, and `--` to end the
 * options. Anything else that starts with `-` is an error, so a typo never
 * passes silently as a value.
 */
export const parseArgs = (args: readonly string[], spec: OptionSpec): ParsedArgs => {
  const options: Record<string, string | true> = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option --${name}`);
    if (name in options) throw new UsageError(`option --${name} is given twice`);
    if (kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`option --${name} takes no value`);
      options[name] = true;
      continue;
    }
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--')))
      throw new UsageError(`option --${name} needs a value`);
    options[name] = value;
  }
  return { options, positionals, help };
};

export const stringOption = (parsed: ParsedArgs, name: string): string | undefined => {
  const v = parsed.options[name];
  return typeof v === 'string' ? v : undefined;
};

export const requiredOption = (parsed: ParsedArgs, name: string): string => {
  const v = stringOption(parsed, name);
  if (v === undefined) throw new UsageError(`option --${name} is required`);
  return v;
};

export const choiceOption = <T extends string>(parsed: ParsedArgs, name: string, choices: readonly T[], fallback: T): T => {
  const v = stringOption(parsed, name);
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v))
    throw new UsageError(`option --${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(v)})`);
  return v as T;
};

export const noPositionals = (parsed: ParsedArgs): void => {
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`);
};
