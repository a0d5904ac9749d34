export { main, parseArgs, flowFiles, expressionCommand } from './main';
