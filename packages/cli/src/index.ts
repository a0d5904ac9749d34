export { main, parseArgs, flowFiles } from './main';
