import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Paths pino blanks in every log line, wherever a secret could travel. */
const REDACT = [
  'password',
  '*.password',
  '*.*.password',
  'appPassword',
  '*.appPassword',
  'Ecom_User_Password',
  '*.Ecom_User_Password',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
];

/** The one root logger: JSON in production, pretty otherwise; components take child loggers. */
export function createLogger(opts: { level: LevelWithSilent; pretty: boolean }): Logger {
  return pino({
    level: opts.level,
    redact: { paths: REDACT, censor: '***' },
    ...(opts.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
