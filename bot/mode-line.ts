import { IDENTITY_VARS, type AppConfig } from './config.js';
import { ssoAudiences } from './api/sso-token-check.js';

/** The one start-up line that says which mode the server runs in, what checks tokens, and where it listens. */
export function modeLine(config: AppConfig, listening: { host: string; port: number }): string {
  const where = `${listening.host.includes(':') ? `[${listening.host}]` : listening.host}:${listening.port}`;
  const lgd = config.demo ? 'LGD is the demo simulator' : 'LGD is real';
  if (!config.sso) {
    return `OPEN mode: no identity configured (${IDENTITY_VARS.join(', ')}), so no door checks tokens: BOT AUTHENTICATION IS OFF on /api/messages, and /api/* takes the person X-Demo-Person names; listening on loopback only, ${where}; ${lgd}. Demo and local use only.`;
  }
  const { v2, v1 } = ssoAudiences(config.sso);
  return `CHECKED mode${config.production ? ' (production)' : ''}: every door checks tokens: Bot Framework tokens for app ${config.bot.appId ?? ''} on /api/messages, Teams SSO tokens of tenant ${config.sso.tenantId} for ${v2} or ${v1} on /api/*; listening on ${where}; ${lgd}.`;
}
