import { readFileSync, existsSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { isIanaZone, lgdMappingSchema, type LgdMapping } from './lgd/lgd-mapping.js';
import { TRIAGE_DECIDERS, type TriageDeciders } from './domain/triage-decision.js';
import { SEED_GUIDELINES, type Guidelines } from './domain/guidelines.js';
import type { DutyTimes } from './domain/duties.js';
import { DEFAULT_HOLIDAY_REGION, holidayRegionProblem } from './calendar/bank-holidays.js';

/** Environment as read: process.env, or a test's own record. */
export type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMsi'] as const;

/** The app's whole configuration, parsed once at start-up and frozen. */
export interface AppConfig {
  /** True in production (`NODE_ENV=production` or running in Azure App Service). */
  readonly production: boolean;
  /** True when no LGD is configured: the simulator runs in-process with the replay. */
  readonly demo: boolean;
  /**
   * `open`: no identity configured: no token checks, and the server listens on loopback only.
   * `checked`: an identity is configured (IDENTITY_VARS): every door checks tokens, demo or not.
   */
  readonly mode: AppMode;
  /** The tab API's Teams SSO token check: whose tokens, for which app; null in open mode. */
  readonly sso: SsoConfig | null;
  /** Application Insights connection string (a secret: redacted in logs); unset: no telemetry. */
  readonly appInsightsConnectionString: string | undefined;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly mongodb: { readonly uri: string | undefined; readonly dbName: string | undefined };
  readonly bot: {
    readonly appId: string | undefined;
    readonly appPassword: string | undefined;
    readonly appType: (typeof APP_TYPES)[number];
    readonly tenantId: string | undefined;
    /** Bot Framework token validation is on exactly when an app id is configured. */
    readonly authEnabled: boolean;
    /** Where Bot Framework channel tokens come from and where the bot gets its own: Microsoft's public cloud unless configured (sovereign clouds, tests). */
    readonly channelAuth: BotChannelAuth;
  };
  readonly lgd: {
    readonly url: string | undefined;
    readonly username: string;
    readonly password: string;
    readonly groups: readonly string[];
    readonly timeoutMs: number;
    readonly mapping: LgdMapping;
  };
  readonly sync: {
    /** Seconds between polls of LGD. */
    readonly pollSeconds: number;
    /** How far back each poll looks before its cursor, to cover LGD's clock quirks. */
    readonly overlapMinutes: number;
    /** Log the LGD writes the outbox would make and make none. */
    readonly dryRun: boolean;
    /** How long LGD may still be working on a write whose answer was lost: it is looked for (and resent only when not found) after this. */
    readonly writeSettleSeconds: number;
    /** Note prefixes that count as triage decisions. */
    readonly approvedWords: readonly string[];
    readonly projectWords: readonly string[];
    /** Whose LGD notes count as triage decisions: any analyst, or only the analysts the team knows. */
    readonly deciders: TriageDeciders;
  };
  readonly teams: {
    /** E-mail addresses / UPNs of the lead developers and scrum masters who may always triage. */
    readonly leads: readonly string[];
    /** Rota seed used until the rota is edited in the app: each range's Operations Lead. */
    readonly rotaSeed: readonly { from: string; to: string; lead: string }[];
    /** Link to a ticket in LGD's web UI; `{key}` and `{id}` are replaced. Unset: Web Access's own open.rails page. */
    readonly ticketLink: string | null;
    /** Time zone of working days, "today" and the rota. */
    readonly timeZone: string;
    /** Whose bank holidays are not working days: COUNTRY-REGION as the holiday library names it (GB-ENG: England and Wales). */
    readonly holidayRegion: string;
    /** LGD resolution category (title) a Project decision resolves with; unset: one named like "project", else the first. */
    readonly projectCategory: string | null;
    /** The team's name in the sign-off of what customers read ("— Jane Smith, LGSS IT Digital"). */
    readonly signOff: string;
  };
  /** The seed's guidelines (owned tickets, user updates, long work), the seed's numbers unless configured. */
  readonly guidelines: Guidelines;
  /** Where "Project" tickets go, and whom each area's project work is handed to. */
  readonly backlog: BacklogConfig;
  /** When the daily duty passes run on working days (HH:MM in TEAM_TIME_ZONE). */
  readonly duties: DutyTimes;
  /** The demo's replay of the real incident log. */
  readonly replay: {
    /** How many times faster than real time the future part plays (0 = frozen). */
    readonly speed: number;
  };
}

/** Open: no identity, no token checks, loopback only. Checked: every door checks tokens. */
export type AppMode = 'open' | 'checked';

/** Teams SSO for the tab's API: tokens of one tenant, for one Entra app registration. */
export interface SsoConfig {
  /** Client id of the tab's SSO app registration (`TAB_SSO_CLIENT_ID`): a v2 token's audience. */
  readonly clientId: string;
  /** The team's Entra tenant (`MicrosoftAppTenantId`): tokens of any other tenant are refused. */
  readonly tenantId: string;
  /** Public host name Teams reaches the app at (`BOT_DOMAIN`): a v1 token's audience is `api://<host>/<clientId>`. */
  readonly host: string;
  /** Entra sign-in authority (`TAB_SSO_LOGIN_URL`), without a trailing slash: the tenant's keys are at `<it>/<tenant>/discovery/v2.0/keys`. */
  readonly loginUrl: string;
}

/**
 * The variables that together configure the app's identity: all set, the app runs checked (every
 * door checks tokens); none set, it runs open on loopback; some set, it does not start.
 */
export const IDENTITY_VARS = ['MicrosoftAppId', 'MicrosoftAppTenantId', 'TAB_SSO_CLIENT_ID', 'BOT_DOMAIN'] as const;

/** True for an address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** botbuilder's channel authentication group, each named as botbuilder names it. */
export interface BotChannelAuth {
  /** OpenID metadata of the keys that sign tokens sent to the bot (`ToBotFromChannelOpenIdMetadataUrl`). */
  readonly openIdMetadataUrl: string;
  /** The `iss` of those tokens (`ToBotFromChannelTokenIssuer`). */
  readonly tokenIssuer: string;
  /** OpenID metadata for Emulator tokens (`ToBotFromEmulatorOpenIdMetadataUrl`). */
  readonly emulatorOpenIdMetadataUrl: string;
  /** Login URL the bot gets its own tokens from (`ToChannelFromBotLoginUrl`). */
  readonly loginUrl: string;
  /** Scope of the bot's own tokens (`ToChannelFromBotOAuthScope`). */
  readonly oAuthScope: string;
  /** Bot Framework token service (`OAuthUrl`). */
  readonly oAuthUrl: string;
  /** Caller id set on authenticated activities (`CallerId`). */
  readonly callerId: string;
}

/** Azure DevOps Boards as the project backlog. */
export interface AzureDevOpsConfig {
  /** Organisation URL, e.g. https://dev.azure.com/contoso. */
  readonly organizationUrl: string;
  readonly project: string;
  readonly workItemType: string;
  /** Area path for new work items; the project's default when null. */
  readonly areaPath: string | null;
  /** Personal access token (secret). */
  readonly token: string;
}

/** The backlog port's choice: Azure DevOps when configured, the built-in backlog otherwise. */
export interface BacklogConfig {
  readonly kind: 'builtin' | 'azure-devops';
  readonly azureDevOps: AzureDevOpsConfig | null;
  /** Seed of the areas and their Programme Delivery Manager / Digital Services Architect contacts. */
  readonly areas: readonly { readonly area: string; readonly contacts: readonly string[] }[];
}

/** One environment variable: how to parse it and what to tell a person who got it wrong. */
interface Var<T> {
  schema: z.ZodType<T>;
  fix: string;
}

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const commaList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .refine((a) => a.length > 0, 'must name at least one');

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((s) => s === 'true' || s === '1' || s === 'yes');

const jsonText = z.string().transform((s, ctx) => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
    return z.NEVER;
  }
});

/** A time of day as HH:MM (24-hour). */
const clockTime = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, 24-hour')
    .default(fallback);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A DNS host name with an optional port: labels of letters, digits and hyphens. */
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;

const httpUrl = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .default(fallback);

const VARS = {
  NODE_ENV: {
    // Read in any case: NODE_ENV=PRODUCTION must not start without bot authentication.
    schema: optionalText.transform((s) => s?.toLowerCase()),
    fix: 'set NODE_ENV to "production" or "development", or leave it unset',
  },
  WEBSITE_SITE_NAME: { schema: optionalText, fix: 'set by Azure App Service; leave it alone' },
  PORT: { schema: port.default(3978), fix: 'set PORT to a port number between 1 and 65535 (default 3978; 0 picks a free port)' },
  HOST: {
    schema: optionalText,
    fix: 'set HOST to an interface address such as 127.0.0.1, or 0.0.0.0 when an identity is configured (open mode listens on loopback only)',
  },
  DATA_DIR: { schema: z.string().trim().min(1).default('./data'), fix: 'set DATA_DIR to a writable folder (default ./data)' },
  MONGODB_URI: {
    schema: optionalText.refine((s) => s === undefined || /^mongodb(\+srv)?:\/\//.test(s), 'must start with mongodb:// or mongodb+srv://'),
    fix: 'set MONGODB_URI to a connection string like mongodb://user:pass@host:27017/db, or unset it to use the embedded store',
  },
  MONGODB_DB: { schema: optionalText, fix: 'set MONGODB_DB to a database name, or leave it unset to use the one in MONGODB_URI' },
  LOG_LEVEL: { schema: z.enum(LOG_LEVELS).default('info'), fix: `set LOG_LEVEL to one of ${LOG_LEVELS.join(', ')}` },
  MicrosoftAppId: { schema: optionalText, fix: 'set MicrosoftAppId to the Azure Bot registration\'s app (client) id' },
  MicrosoftAppPassword: { schema: optionalText, fix: 'set MicrosoftAppPassword to the app registration\'s client secret' },
  MicrosoftAppType: {
    schema: z.enum(APP_TYPES).default('MultiTenant'),
    fix: `set MicrosoftAppType to one of ${APP_TYPES.join(', ')}`,
  },
  MicrosoftAppTenantId: {
    schema: optionalText.refine((s) => s === undefined || GUID.test(s), 'must be a GUID').transform((s) => s?.toLowerCase()),
    fix: 'set MicrosoftAppTenantId to your Entra tenant id, a GUID (`az account show --query tenantId -o tsv`): the bot\'s tenant, and the only tenant whose Teams SSO tokens the tab API accepts',
  },
  TAB_SSO_CLIENT_ID: {
    schema: optionalText.refine((s) => s === undefined || GUID.test(s), 'must be a GUID').transform((s) => s?.toLowerCase()),
    fix: 'set TAB_SSO_CLIENT_ID to the client id (a GUID) of the tab\'s SSO app registration that infra/create-sso-app.sh made (AAD_APP_CLIENT_ID in infra/env/.env.<env>)',
  },
  BOT_DOMAIN: {
    schema: optionalText
      .transform((s) => s?.toLowerCase())
      .refine((s) => s === undefined || (s.length <= 253 && HOST_NAME.test(s)), 'must be a host name without https:// or a path'),
    fix: 'set BOT_DOMAIN to the public host name Teams reaches the app at, e.g. lgdsupport-dev-abc123.azurewebsites.net or a dev tunnel\'s host (infra/deploy.sh writes it to infra/env/.env.<env>); the tab\'s SSO resource is api://<BOT_DOMAIN>/<TAB_SSO_CLIENT_ID>, as in the manifest',
  },
  TAB_SSO_LOGIN_URL: {
    schema: httpUrl('https://login.microsoftonline.com').transform((s) => s.replace(/\/+$/, '')),
    fix: 'set TAB_SSO_LOGIN_URL to the Entra sign-in authority of your cloud, e.g. https://login.microsoftonline.us, or unset it for the public cloud (the tenant\'s keys are read from <it>/<tenant>/discovery/v2.0/keys)',
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    schema: optionalText,
    fix: 'set APPLICATIONINSIGHTS_CONNECTION_STRING to the Application Insights resource\'s connection string, or unset it for no telemetry',
  },
  ToBotFromChannelOpenIdMetadataUrl: {
    schema: httpUrl('https://login.botframework.com/v1/.well-known/openidconfiguration'),
    fix: 'set ToBotFromChannelOpenIdMetadataUrl to the Bot Framework OpenID metadata URL of your cloud, or unset it for the public cloud',
  },
  ToBotFromChannelTokenIssuer: {
    schema: httpUrl('https://api.botframework.com'),
    fix: 'set ToBotFromChannelTokenIssuer to the issuer of Bot Framework channel tokens in your cloud, or unset it for the public cloud',
  },
  ToBotFromEmulatorOpenIdMetadataUrl: {
    schema: httpUrl('https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration'),
    fix: 'set ToBotFromEmulatorOpenIdMetadataUrl to the Emulator OpenID metadata URL of your cloud, or unset it for the public cloud',
  },
  ToChannelFromBotLoginUrl: {
    schema: httpUrl('https://login.microsoftonline.com/botframework.com'),
    fix: 'set ToChannelFromBotLoginUrl to the login URL the bot gets its tokens from in your cloud, or unset it for the public cloud',
  },
  ToChannelFromBotOAuthScope: {
    schema: httpUrl('https://api.botframework.com'),
    fix: 'set ToChannelFromBotOAuthScope to the Bot Framework scope of your cloud, or unset it for the public cloud',
  },
  OAuthUrl: {
    schema: httpUrl('https://api.botframework.com'),
    fix: 'set OAuthUrl to the Bot Framework token service URL of your cloud, or unset it for the public cloud',
  },
  CallerId: {
    schema: z.string().trim().min(1).default('urn:botframework:azure'),
    fix: 'set CallerId to the caller id of your cloud (urn:botframework:azure in the public cloud), or unset it',
  },
  LGD_URL: {
    schema: optionalText.refine((s) => s === undefined || /^https?:\/\/[^\s]+$/.test(s), 'must be an http(s) URL'),
    fix: 'set LGD_URL to the Web Access base URL, e.g. https://lgd.example/ServiceDesk.WebAccess, or unset it for the demo simulator',
  },
  LGD_USERNAME: { schema: optionalText, fix: 'set LGD_USERNAME to the service account LGD writes as' },
  LGD_PASSWORD: { schema: optionalText, fix: 'set LGD_PASSWORD to the service account\'s password' },
  LGD_GROUPS: { schema: commaList.default(['LGSS-IT-Digital']), fix: 'set LGD_GROUPS to a comma list of support group titles (default LGSS-IT-Digital)' },
  LGD_TIMEOUT_MS: { schema: positiveInt.default(15_000), fix: 'set LGD_TIMEOUT_MS to a whole number of milliseconds (default 15000)' },
  LGD_POLL_SECONDS: { schema: positiveInt.default(30), fix: 'set LGD_POLL_SECONDS to a whole number of seconds (default 30)' },
  LGD_SYNC_OVERLAP_MINUTES: {
    schema: z.coerce.number().int().min(0).max(24 * 60).default(65),
    fix: 'set LGD_SYNC_OVERLAP_MINUTES to whole minutes, at least 60 to cover the hour the clocks go back (default 65)',
  },
  LGD_DRY_RUN: { schema: bool.default(false), fix: 'set LGD_DRY_RUN to true or false' },
  LGD_WRITE_SETTLE_SECONDS: {
    schema: z.coerce.number().int().min(0).max(3600).default(120),
    fix: 'set LGD_WRITE_SETTLE_SECONDS to whole seconds from 0 to 3600: how long LGD may still be working on a write whose answer was lost (default 120, over ASP.NET\'s 110-second request limit)',
  },
  TRIAGE_APPROVED_WORDS: { schema: commaList.default(['Approved']), fix: 'set TRIAGE_APPROVED_WORDS to a comma list of note prefixes (default Approved)' },
  TRIAGE_PROJECT_WORDS: { schema: commaList.default(['Project']), fix: 'set TRIAGE_PROJECT_WORDS to a comma list of note prefixes (default Project)' },
  TRIAGE_DECIDERS: {
    schema: z.string().trim().toLowerCase().pipe(z.enum(TRIAGE_DECIDERS)).default('analysts'),
    fix: 'set TRIAGE_DECIDERS to "analysts" (any LGD analyst\'s note can decide) or "team" (only leads\' and mapped people\'s notes)',
  },
  TEAM_SIGN_OFF: {
    schema: z.string().trim().min(1).max(100).regex(/^[^\r\n]+$/, 'must be one line').default('LGSS IT Digital'),
    fix: 'set TEAM_SIGN_OFF to the team name customers read under a message, e.g. LGSS IT Digital (one line, at most 100 characters)',
  },
  LEADS: {
    schema: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be e-mail addresses / UPNs')))
      .default([]),
    fix: 'set LEADS to a comma list of the lead developers\' and scrum masters\' e-mail addresses / UPNs',
  },
  ROTA: {
    schema: jsonText
      .pipe(
        z.array(
          z.object({
            from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD'),
            to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD'),
            lead: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'lead is an e-mail address / UPN'),
          }),
        ),
      )
      .optional(),
    fix: 'set ROTA to JSON like [{"from":"2026-12-01","to":"2026-12-05","lead":"ann@example.org"}], or leave it unset and use the bot\'s "rota set" command',
  },
  LGD_TICKET_URL: {
    schema: optionalText.refine((s) => s === undefined || /^https?:\/\/\S+$/.test(s), 'must be an http(s) URL template'),
    fix: 'set LGD_TICKET_URL to a link template for a ticket in LGD, with {key} (record GUID) and/or {id} (number)',
  },
  PROJECT_RESOLUTION_CATEGORY: {
    schema: optionalText,
    fix: 'set PROJECT_RESOLUTION_CATEGORY to the title of the LGD resolution category used when a ticket is decided as project work',
  },
  TEAM_TIME_ZONE: {
    schema: z.string().trim().refine(isIanaZone, 'is not a time zone this server knows').default('Europe/London'),
    fix: 'set TEAM_TIME_ZONE to an IANA time zone such as Europe/London (see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)',
  },
  HOLIDAY_REGION: {
    schema: z
      .string()
      .trim()
      .toUpperCase()
      .default(DEFAULT_HOLIDAY_REGION)
      .superRefine((s, ctx) => {
        const problem = holidayRegionProblem(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    fix: 'set HOLIDAY_REGION to whose bank holidays the team keeps: GB-ENG (England and Wales, the default), GB-SCT (Scotland) or GB-NIR (Northern Ireland)',
  },
  GUIDELINE_MAX_OWNED: {
    schema: z.coerce.number().int().min(1).max(50).default(SEED_GUIDELINES.maxOwned),
    fix: `set GUIDELINE_MAX_OWNED to how many tickets a developer should own at most at a time, a whole number from 1 to 50 (default ${SEED_GUIDELINES.maxOwned}, the support process's)`,
  },
  GUIDELINE_UPDATE_WORKING_DAYS: {
    schema: z.coerce.number().int().min(1).max(20).default(SEED_GUIDELINES.updateEveryWorkingDays),
    fix: `set GUIDELINE_UPDATE_WORKING_DAYS to how many working days may pass at most between updates to a user, a whole number from 1 to 20 (default ${SEED_GUIDELINES.updateEveryWorkingDays}: every working day)`,
  },
  GUIDELINE_LONG_WORK_DAYS: {
    schema: z.coerce.number().int().min(1).max(60).default(SEED_GUIDELINES.longWorkDays),
    fix: `set GUIDELINE_LONG_WORK_DAYS to after how many working days owned work is raised with the Operations Lead, a whole number from 1 to 60 (default ${SEED_GUIDELINES.longWorkDays})`,
  },
  DUTY_UPDATE_NUDGE_AT: {
    schema: clockTime('14:00'),
    fix: 'set DUTY_UPDATE_NUDGE_AT to the time of day (HH:MM, 24-hour, in TEAM_TIME_ZONE) owners are asked to update their users (default 14:00)',
  },
  DUTY_HAND_BACK_AT: {
    schema: clockTime('16:00'),
    fix: 'set DUTY_HAND_BACK_AT to the time of day (HH:MM, 24-hour, in TEAM_TIME_ZONE) owners off support tomorrow are asked to hand back (default 16:00)',
  },
  DUTY_CUT_OFF_AT: {
    schema: clockTime('17:30'),
    fix: 'set DUTY_CUT_OFF_AT to the time of day (HH:MM, 24-hour, in TEAM_TIME_ZONE) what is still held is reported to the Operations Lead (default 17:30)',
  },
  DEMO_REPLAY_SPEED: {
    schema: z.coerce.number().min(0).max(10_000).default(1),
    fix: 'set DEMO_REPLAY_SPEED to how many times faster than real time the demo replays (default 1; 0 freezes it)',
  },
  LGD_MAPPING: {
    schema: jsonText.optional(),
    fix: 'set LGD_MAPPING to a JSON object overriding LGD class/action/attribute names (see README), or unset it',
  },
  AREAS: {
    schema: jsonText
      .pipe(
        z
          .array(
            z.object({
              area: z.string().trim().min(1, 'area must not be empty'),
              contacts: z.array(z.string().trim().toLowerCase().regex(/^[^@\s]+@[^@\s]+$/, 'contacts are e-mail addresses / UPNs')),
            }),
          )
          .refine((a) => new Set(a.map((x) => x.area.toLowerCase())).size === a.length, 'names an area twice'),
      )
      .optional(),
    fix: 'set AREAS to JSON like [{"area":"Adult Social Care","contacts":["pdm@example.org"]}], or leave it unset and set areas from chat ("area set <name> contacts <e-mails>")',
  },
  AZURE_DEVOPS_ORG_URL: {
    schema: optionalText
      .refine((s) => s === undefined || /^https?:\/\/\S+$/.test(s), 'must be an http(s) URL')
      .transform((s) => s?.replace(/\/+$/, '')),
    fix: 'set AZURE_DEVOPS_ORG_URL to your organisation\'s URL, e.g. https://dev.azure.com/contoso, or unset it for the built-in backlog',
  },
  AZURE_DEVOPS_PROJECT: { schema: optionalText, fix: 'set AZURE_DEVOPS_PROJECT to the Azure DevOps project whose Boards take project work' },
  AZURE_DEVOPS_WORK_ITEM_TYPE: {
    schema: z.string().trim().min(1).default('Product Backlog Item'),
    fix: 'set AZURE_DEVOPS_WORK_ITEM_TYPE to a work item type of the project (default Product Backlog Item; User Story in Agile projects)',
  },
  AZURE_DEVOPS_AREA_PATH: { schema: optionalText, fix: 'set AZURE_DEVOPS_AREA_PATH to an area path such as Project\\Team, or unset it for the project\'s default' },
  AZURE_DEVOPS_TOKEN: {
    schema: optionalText,
    fix: 'set AZURE_DEVOPS_TOKEN to a personal access token with the Work Items (Read & write) scope',
  },
} satisfies Record<string, Var<unknown>>;

type Parsed = { [K in keyof typeof VARS]: z.output<(typeof VARS)[K]['schema']> };

/** Demo credentials the in-process simulator accepts; never used against a real LGD. */
export const DEMO_LGD_CREDENTIALS = { username: 'lgd.service', password: 'lgd-simulator' } as const;

const SECRET_VARS = new Set(['MONGODB_URI', 'MicrosoftAppPassword', 'LGD_PASSWORD', 'AZURE_DEVOPS_TOKEN', 'APPLICATIONINSIGHTS_CONNECTION_STRING']);

function describe(name: string, value: string | undefined): string {
  if (value === undefined) return 'it is not set';
  if (SECRET_VARS.has(name)) return 'value hidden';
  return value.length > 40 ? `got "${value.slice(0, 40)}…"` : `got "${value}"`;
}

/**
 * Parses the configuration from an environment record; throws a ConfigError naming every bad
 * variable and how to fix it.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(VARS) as [keyof typeof VARS, Var<unknown>][]) {
    const raw = env[name];
    const r = v.schema.safeParse(raw === undefined || raw.trim() === '' ? undefined : raw);
    if (r.success) out[name] = r.data;
    else problems.push(`${name}: ${r.error.issues[0]?.message ?? 'invalid'} (${describe(name, raw)}). Fix: ${v.fix}.`);
  }
  const p = out as Parsed;
  const production = p.NODE_ENV === 'production' || p.WEBSITE_SITE_NAME !== undefined;

  if (problems.length === 0) {
    const need = (cond: boolean, msg: string): void => {
      if (!cond) problems.push(msg);
    };
    identityProblems(p, production, problems);
    if (p.MicrosoftAppId) {
      if (p.MicrosoftAppType === 'UserAssignedMsi')
        need(!p.MicrosoftAppPassword, 'MicrosoftAppPassword: must be empty when MicrosoftAppType is UserAssignedMsi. Fix: unset it; the managed identity authenticates.');
      else need(!!p.MicrosoftAppPassword, `MicrosoftAppPassword: required with MicrosoftAppId for ${p.MicrosoftAppType}. Fix: set the app registration's client secret.`);
    }
    if (p.LGD_URL) {
      need(!!p.LGD_USERNAME, 'LGD_USERNAME: required when LGD_URL is set. Fix: set the service account name.');
      need(!!p.LGD_PASSWORD, 'LGD_PASSWORD: required when LGD_URL is set. Fix: set the service account password.');
    } else if (production) {
      problems.push('LGD_URL: not set, so the demo simulator would run, which is refused in production. Fix: set LGD_URL, LGD_USERNAME and LGD_PASSWORD.');
    }
  }

  let mapping: LgdMapping | undefined;
  if (problems.length === 0) {
    const m = lgdMappingSchema.safeParse(p.LGD_MAPPING ?? {});
    if (m.success) mapping = m.data;
    else {
      const issue = m.error.issues[0];
      problems.push(`LGD_MAPPING: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'is invalid'}. Fix: ${VARS.LGD_MAPPING.fix}.`);
    }
  }

  const backlog = problems.length === 0 ? backlogConfig(p, problems) : undefined;

  if (problems.length > 0 || !mapping || !backlog) {
    throw new ConfigError(`Configuration is invalid:\n  - ${problems.join('\n  - ')}`);
  }

  const demo = p.LGD_URL === undefined;
  const sso = ssoConfig(p);
  return deepFreeze({
    production,
    demo,
    mode: sso ? 'checked' : 'open',
    sso,
    appInsightsConnectionString: p.APPLICATIONINSIGHTS_CONNECTION_STRING,
    port: p.PORT,
    host: p.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    dataDir: p.DATA_DIR,
    logLevel: p.LOG_LEVEL,
    mongodb: { uri: p.MONGODB_URI, dbName: p.MONGODB_DB },
    bot: {
      appId: p.MicrosoftAppId,
      appPassword: p.MicrosoftAppPassword,
      appType: p.MicrosoftAppType,
      tenantId: p.MicrosoftAppTenantId,
      authEnabled: sso !== null,
      channelAuth: {
        openIdMetadataUrl: p.ToBotFromChannelOpenIdMetadataUrl,
        tokenIssuer: p.ToBotFromChannelTokenIssuer,
        emulatorOpenIdMetadataUrl: p.ToBotFromEmulatorOpenIdMetadataUrl,
        loginUrl: p.ToChannelFromBotLoginUrl,
        oAuthScope: p.ToChannelFromBotOAuthScope,
        oAuthUrl: p.OAuthUrl,
        callerId: p.CallerId,
      },
    },
    lgd: {
      url: p.LGD_URL,
      username: p.LGD_USERNAME ?? DEMO_LGD_CREDENTIALS.username,
      password: p.LGD_PASSWORD ?? DEMO_LGD_CREDENTIALS.password,
      groups: p.LGD_GROUPS,
      timeoutMs: p.LGD_TIMEOUT_MS,
      mapping,
    },
    sync: {
      pollSeconds: p.LGD_POLL_SECONDS,
      overlapMinutes: p.LGD_SYNC_OVERLAP_MINUTES,
      dryRun: p.LGD_DRY_RUN,
      writeSettleSeconds: p.LGD_WRITE_SETTLE_SECONDS,
      approvedWords: p.TRIAGE_APPROVED_WORDS,
      projectWords: p.TRIAGE_PROJECT_WORDS,
      deciders: p.TRIAGE_DECIDERS,
    },
    guidelines: { maxOwned: p.GUIDELINE_MAX_OWNED, updateEveryWorkingDays: p.GUIDELINE_UPDATE_WORKING_DAYS, longWorkDays: p.GUIDELINE_LONG_WORK_DAYS },
    backlog,
    duties: { updateNudgeAt: p.DUTY_UPDATE_NUDGE_AT, handBackAt: p.DUTY_HAND_BACK_AT, cutOffAt: p.DUTY_CUT_OFF_AT },
    replay: { speed: p.DEMO_REPLAY_SPEED },
    teams: {
      leads: p.LEADS,
      rotaSeed: (p.ROTA ?? []).map((r) => ({ ...r, lead: r.lead.toLowerCase() })),
      ticketLink: p.LGD_TICKET_URL ?? null,
      timeZone: p.TEAM_TIME_ZONE,
      holidayRegion: p.HOLIDAY_REGION,
      projectCategory: p.PROJECT_RESOLUTION_CATEGORY ?? null,
      signOff: p.TEAM_SIGN_OFF,
    },
  });
}

/**
 * The one definition of "identity configured": every IDENTITY_VARS variable set. Some but not all
 * set: each missing one is a problem. None set: open mode, refused in production and on a HOST
 * other than loopback (nothing would check who calls).
 */
function identityProblems(p: Parsed, production: boolean, problems: string[]): void {
  const set = IDENTITY_VARS.filter((name) => p[name] !== undefined);
  const all = IDENTITY_VARS.join(', ');
  if (set.length === IDENTITY_VARS.length) return;
  if (set.length > 0) {
    for (const name of IDENTITY_VARS.filter((n) => p[n] === undefined))
      problems.push(
        `${name}: required because ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set (an identity is all of ${all}). Fix: ${VARS[name].fix}; or unset ${set.join(', ')} to run open (no token checks, loopback only, never in production).`,
      );
    return;
  }
  if (production) {
    problems.push(
      `MicrosoftAppId: not set, so no identity is configured and nothing would check tokens, which is refused in production. Fix: set ${all} (and MicrosoftAppType, and MicrosoftAppPassword unless the type is UserAssignedMsi), or run without NODE_ENV=production for the demo.`,
    );
  } else if (p.HOST !== undefined && !isLoopbackHost(p.HOST)) {
    problems.push(
      `HOST: "${p.HOST.slice(0, 60)}" is not a loopback address, and no identity is configured (open mode: no token checks), so anyone who can reach this machine could use the app unchecked. Fix: unset HOST (the default 127.0.0.1 is loopback) or set 127.0.0.1; to listen on other interfaces, configure an identity (${all}) so that every door checks tokens.`,
    );
  }
}

/** The tab API's token check settings when an identity is configured; null in open mode. */
function ssoConfig(p: Parsed): SsoConfig | null {
  const { TAB_SSO_CLIENT_ID: clientId, MicrosoftAppTenantId: tenantId, BOT_DOMAIN: host, MicrosoftAppId: appId } = p;
  if (!clientId || !tenantId || !host || !appId) return null;
  return { clientId, tenantId, host, loginUrl: p.TAB_SSO_LOGIN_URL };
}

/** Azure DevOps when its organisation URL, project and token are all set; built-in when none is; otherwise a problem per missing one. */
function backlogConfig(p: Parsed, problems: string[]): BacklogConfig | undefined {
  const required = { AZURE_DEVOPS_ORG_URL: p.AZURE_DEVOPS_ORG_URL, AZURE_DEVOPS_PROJECT: p.AZURE_DEVOPS_PROJECT, AZURE_DEVOPS_TOKEN: p.AZURE_DEVOPS_TOKEN };
  const set = Object.keys(required).filter((k) => required[k as keyof typeof required] !== undefined);
  const areas = p.AREAS ?? [];
  const { AZURE_DEVOPS_ORG_URL: organizationUrl, AZURE_DEVOPS_PROJECT: project, AZURE_DEVOPS_TOKEN: token } = required;
  if (organizationUrl && project && token) {
    const azureDevOps = { organizationUrl, project, token, workItemType: p.AZURE_DEVOPS_WORK_ITEM_TYPE, areaPath: p.AZURE_DEVOPS_AREA_PATH ?? null };
    return { kind: 'azure-devops', azureDevOps, areas };
  }
  if (set.length === 0 && p.AZURE_DEVOPS_AREA_PATH === undefined) return { kind: 'builtin', azureDevOps: null, areas };
  const given = set.length > 0 ? set.join(', ') : 'AZURE_DEVOPS_AREA_PATH';
  for (const name of Object.keys(required) as (keyof typeof required)[]) {
    if (required[name] === undefined)
      problems.push(`${name}: required for the Azure DevOps backlog, because ${given} is set. Fix: ${VARS[name].fix}, or unset every AZURE_DEVOPS_* variable for the built-in backlog.`);
  }
  return undefined;
}

/**
 * Reads `.env` (if present) under process-environment precedence: a variable already in the
 * environment wins over the file.
 */
export function envWithDotenv(env: Env = process.env, path = '.env'): Env {
  if (!existsSync(path)) return env;
  let fromFile: Record<string, string>;
  try {
    fromFile = parseDotenv(readFileSync(path));
  } catch (err) {
    throw new ConfigError(`The file ${path} could not be read (${(err as Error).message}). Fix: make it readable or remove it.`);
  }
  return { ...fromFile, ...env };
}

const REDACTED = '***';

/** The configuration as it may be logged: secrets replaced, URI credentials masked. */
export function redactConfig(cfg: AppConfig): unknown {
  const maskUri = (u: string | undefined): string | undefined => u?.replace(/\/\/([^@/]*)@/, `//${REDACTED}@`);
  return {
    ...cfg,
    mongodb: { ...cfg.mongodb, uri: maskUri(cfg.mongodb.uri) },
    appInsightsConnectionString: cfg.appInsightsConnectionString ? REDACTED : undefined,
    bot: { ...cfg.bot, appPassword: cfg.bot.appPassword ? REDACTED : undefined },
    lgd: { ...cfg.lgd, password: REDACTED, mapping: '(see LGD_MAPPING)' },
    backlog: { ...cfg.backlog, azureDevOps: cfg.backlog.azureDevOps && { ...cfg.backlog.azureDevOps, token: REDACTED } },
  };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
