export { choiceOption, noPositionals, parseArgs, requiredOption, stringOption } from './args.js';
export { CliError, UsageError } from './context.js';
export type { CliCommand, CliContext } from './context.js';
