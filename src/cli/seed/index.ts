export { seedCommand } from './seed-command.js';
export { syntheticCatalogue } from './synthetic.js';
