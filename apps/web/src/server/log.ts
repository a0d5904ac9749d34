import 'server-only';
// The web app's process log (JSON lines, pino): API failures, audit write failures. Requests'
// lines carry the route and the request id; nothing here ever holds a secret or a request body.
import { createLogger, type Logger } from '@baton/engine';
import { webEnv } from './env';

let root: Logger | undefined;

export function serverLog(): Logger {
  return (root ??= createLogger('web', webEnv().logLevel));
}
