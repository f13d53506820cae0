import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envWithDotenv, loadConfig, redactConfig } from '../bot/config.js';
import { ConfigError } from '../bot/errors.js';

/** An identity: the bot's app and tenant, the tab's SSO app, the public host (checked mode). */
const bot = {
  MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
  MicrosoftAppPassword: 's3cret-bot',
  MicrosoftAppTenantId: '00000000-0000-4000-8000-0000000000a1',
  TAB_SSO_CLIENT_ID: '00000000-0000-4000-8000-0000000000c1',
  BOT_DOMAIN: 'lgd-support.example.org',
};
const lgd = { LGD_URL: 'https://lgd.example/ServiceDesk.WebAccess', LGD_USERNAME: 'svc', LGD_PASSWORD: 'p@ss-lgd' };

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs the demo with no configuration at all', () => {
    const c = loadConfig({});
    expect(c.demo).toBe(true);
    expect(c.production).toBe(false);
    expect(c.port).toBe(3978);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe('./data');
    expect(c.mongodb.uri).toBeUndefined();
    expect(c.bot.authEnabled).toBe(false);
    expect(c.lgd.groups).toEqual(['LGSS-IT-Digital']);
    expect(c.lgd.mapping.classes.incident).toBe('IncidentManagement.Incident');
    expect(Object.isFrozen(c.lgd.groups)).toBe(true);
  });

  it('parses real settings', () => {
    const c = loadConfig({ ...bot, ...lgd, PORT: '8080', LGD_GROUPS: 'A, B ,,C', MONGODB_URI: 'mongodb://u:pw@db:27017/x', LOG_LEVEL: 'debug' });
    expect(c.demo).toBe(false);
    expect(c.port).toBe(8080);
    expect(c.lgd.groups).toEqual(['A', 'B', 'C']);
    expect(c.bot.authEnabled).toBe(true);
    expect(c.logLevel).toBe('debug');
  });

  it('reads who may decide triage and the sign-off customers read, and names a bad value', () => {
    const d = loadConfig({});
    expect(d.sync.deciders).toBe('analysts');
    expect(d.teams.signOff).toBe('LGSS IT Digital');
    const c = loadConfig({ TRIAGE_DECIDERS: ' Team ', TEAM_SIGN_OFF: ' Digital Services ' });
    expect(c.sync.deciders).toBe('team');
    expect(c.teams.signOff).toBe('Digital Services');
    expect(() => loadConfig({ TRIAGE_DECIDERS: 'everyone' })).toThrow(/TRIAGE_DECIDERS: .*Fix: set TRIAGE_DECIDERS to "analysts"/);
    expect(() => loadConfig({ TEAM_SIGN_OFF: 'x'.repeat(101) })).toThrow(/TEAM_SIGN_OFF: .*Fix: set TEAM_SIGN_OFF/);
  });

  it('names every malformed variable with its fix', () => {
    const e = errorOf(() => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', LGD_URL: 'ftp://x' }));
    expect(e.message).toMatch(/PORT: .*Fix: set PORT/);
    expect(e.message).toMatch(/LOG_LEVEL: .*Fix: set LOG_LEVEL to one of fatal/);
    expect(e.message).toMatch(/LGD_URL: must be an http\(s\) URL/);
  });

  it('never echoes a secret in an error', () => {
    const e = errorOf(() => loadConfig({ MONGODB_URI: 'postgres://admin:hunter2@db' }));
    expect(e.message).toMatch(/MONGODB_URI: must start with mongodb/);
    expect(e.message).not.toContain('hunter2');
  });

  it('refuses production without bot authentication or a real LGD', () => {
    const e = errorOf(() => loadConfig({ NODE_ENV: 'production' }));
    expect(e.message).toMatch(/MicrosoftAppId: not set.*refused in production/);
    expect(e.message).toMatch(/LGD_URL: not set/);
    expect(() => loadConfig({ WEBSITE_SITE_NAME: 'lgd-support-app', ...lgd })).toThrow(/MicrosoftAppId/);
    const ok = loadConfig({ NODE_ENV: 'production', ...bot, ...lgd });
    expect(ok.production).toBe(true);
    expect(ok.host).toBe('0.0.0.0');
  });

  it('checks botbuilder app-type combinations', () => {
    expect(() => loadConfig({ ...bot, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: undefined })).toThrow(/MicrosoftAppTenantId: required/);
    expect(() => loadConfig({ ...bot, MicrosoftAppType: 'UserAssignedMsi' })).toThrow(/must be empty/);
    expect(() => loadConfig({ MicrosoftAppId: 'x' })).toThrow(/MicrosoftAppPassword: required/);
    expect(() => loadConfig({ MicrosoftAppType: 'Whatever' })).toThrow(/MicrosoftAppType/);
  });

  it('requires LGD credentials with LGD_URL', () => {
    expect(() => loadConfig({ LGD_URL: lgd.LGD_URL })).toThrow(/LGD_USERNAME: required[\s\S]*LGD_PASSWORD: required/);
  });

  it('overrides LGD names from LGD_MAPPING and rejects a bad one', () => {
    const c = loadConfig({ LGD_MAPPING: JSON.stringify({ classes: { note: 'Custom.Note' }, dateFormat: 'MM/dd/yyyy HH:mm' }) });
    expect(c.lgd.mapping.classes.note).toBe('Custom.Note');
    expect(c.lgd.mapping.classes.assignment).toBe('IncidentManagement.Assignment');
    expect(c.lgd.mapping.dateFormat).toBe('MM/dd/yyyy HH:mm');
    expect(() => loadConfig({ LGD_MAPPING: '{nope' })).toThrow(/LGD_MAPPING: is not valid JSON/);
    expect(() => loadConfig({ LGD_MAPPING: '{"pageSize": -1}' })).toThrow(/LGD_MAPPING: pageSize/);
  });
});

describe('time zones and the production switch', () => {
  it('refuses an unknown TEAM_TIME_ZONE at start-up, naming the variable and the fix', () => {
    const e = errorOf(() => loadConfig({ TEAM_TIME_ZONE: 'Mars/Olympus_Mons' }));
    expect(e.message).toMatch(/TEAM_TIME_ZONE: is not a time zone this server knows \(got "Mars\/Olympus_Mons"\)\. Fix: set TEAM_TIME_ZONE to an IANA time zone/);
    expect(e).not.toBeInstanceOf(RangeError);
    expect(loadConfig({ TEAM_TIME_ZONE: 'America/New_York' }).teams.timeZone).toBe('America/New_York');
    expect(loadConfig({}).teams.timeZone).toBe('Europe/London');
  });

  it('refuses an unknown timeZone inside LGD_MAPPING, naming LGD_MAPPING and the field', () => {
    const e = errorOf(() => loadConfig({ ...bot, ...lgd, LGD_MAPPING: JSON.stringify({ timeZone: 'Mars/Olympus_Mons' }) }));
    expect(e.message).toMatch(/LGD_MAPPING: timeZone is not an IANA time zone/);
    expect(loadConfig({ LGD_MAPPING: JSON.stringify({ timeZone: 'America/New_York' }) }).lgd.mapping.timeZone).toBe('America/New_York');
  });

  it.each(['PRODUCTION', 'Production', ' production '])('reads NODE_ENV=%j as production: no start without bot authentication', (value) => {
    const e = errorOf(() => loadConfig({ NODE_ENV: value, ...lgd }));
    expect(e.message).toMatch(/MicrosoftAppId: not set.*refused in production/);
    const ok = loadConfig({ NODE_ENV: value, ...bot, ...lgd });
    expect(ok.production).toBe(true);
    expect(ok.bot.authEnabled).toBe(true);
  });

  it('keeps development and test as not production', () => {
    for (const value of ['development', 'DEVELOPMENT', 'test']) expect(loadConfig({ NODE_ENV: value }).production).toBe(false);
  });
});

describe('the working calendar and the guidelines', () => {
  it("keeps England and Wales's bank holidays and the seed's numbers unless told otherwise", () => {
    const c = loadConfig({});
    expect(c.teams.holidayRegion).toBe('GB-ENG');
    expect(c.guidelines).toEqual({ maxOwned: 3, updateEveryWorkingDays: 1, longWorkDays: 3 });
  });

  it('takes another UK region and other numbers', () => {
    expect(loadConfig({ HOLIDAY_REGION: 'gb-sct' }).teams.holidayRegion).toBe('GB-SCT');
    expect(loadConfig({ HOLIDAY_REGION: 'GB-NIR' }).teams.holidayRegion).toBe('GB-NIR');
    const c = loadConfig({ GUIDELINE_MAX_OWNED: '5', GUIDELINE_UPDATE_WORKING_DAYS: '2', GUIDELINE_LONG_WORK_DAYS: '10' });
    expect(c.guidelines).toEqual({ maxOwned: 5, updateEveryWorkingDays: 2, longWorkDays: 10 });
  });

  it('refuses an unknown HOLIDAY_REGION at start-up, naming the variable and the fix', () => {
    const e = errorOf(() => loadConfig({ HOLIDAY_REGION: 'GB-XYZ' }));
    expect(e.message).toMatch(/HOLIDAY_REGION: names a region the holiday library does not know; GB has .*GB-ENG.* \(got "GB-XYZ"\)\. Fix: set HOLIDAY_REGION to whose bank holidays the team keeps: GB-ENG/);
    expect(errorOf(() => loadConfig({ HOLIDAY_REGION: 'England' })).message).toMatch(/HOLIDAY_REGION: must be a country code and a region, e.g. GB-ENG/);
  });

  it('refuses guidelines that are not whole numbers in range, naming each variable', () => {
    const e = errorOf(() => loadConfig({ GUIDELINE_MAX_OWNED: '0', GUIDELINE_UPDATE_WORKING_DAYS: 'daily', GUIDELINE_LONG_WORK_DAYS: '2.5' }));
    expect(e.message).toMatch(/GUIDELINE_MAX_OWNED: .*\(got "0"\)\. Fix: set GUIDELINE_MAX_OWNED to how many tickets/);
    expect(e.message).toMatch(/GUIDELINE_UPDATE_WORKING_DAYS: .*\(got "daily"\)/);
    expect(e.message).toMatch(/GUIDELINE_LONG_WORK_DAYS: .*\(got "2.5"\)/);
  });

  it('waits 120 s for a write whose answer was lost unless told otherwise, and refuses a settle time that is not whole seconds up to an hour', () => {
    expect(loadConfig({}).sync.writeSettleSeconds).toBe(120);
    expect(loadConfig({ LGD_WRITE_SETTLE_SECONDS: '0' }).sync.writeSettleSeconds).toBe(0);
    expect(loadConfig({ LGD_WRITE_SETTLE_SECONDS: '300' }).sync.writeSettleSeconds).toBe(300);
    for (const bad of ['-1', '2m', '1.5', '3601']) {
      expect(() => loadConfig({ LGD_WRITE_SETTLE_SECONDS: bad })).toThrow(new RegExp(`LGD_WRITE_SETTLE_SECONDS: .*\\(got "${bad.replace('.', '\\.')}"\\)\\. Fix: set LGD_WRITE_SETTLE_SECONDS to whole seconds`));
    }
  });

  it('reads the duty times, 14:00, 16:00 and 17:30 unless configured, and refuses one that is not HH:MM', () => {
    expect(loadConfig({}).duties).toEqual({ updateNudgeAt: '14:00', handBackAt: '16:00', cutOffAt: '17:30' });
    expect(loadConfig({ DUTY_UPDATE_NUDGE_AT: '09:30', DUTY_HAND_BACK_AT: '15:00', DUTY_CUT_OFF_AT: '18:00' }).duties).toEqual({
      updateNudgeAt: '09:30',
      handBackAt: '15:00',
      cutOffAt: '18:00',
    });
    const e = errorOf(() => loadConfig({ DUTY_UPDATE_NUDGE_AT: '2pm', DUTY_CUT_OFF_AT: '24:00' }));
    expect(e.message).toMatch(/DUTY_UPDATE_NUDGE_AT: must be a time of day as HH:MM, 24-hour \(got "2pm"\)\. Fix: set DUTY_UPDATE_NUDGE_AT/);
    expect(e.message).toMatch(/DUTY_CUT_OFF_AT: .*\(got "24:00"\)/);
  });
});

describe('redactConfig', () => {
  it('hides every secret', () => {
    const c = loadConfig({ ...bot, ...lgd, MONGODB_URI: 'mongodb://admin:hunter2@db:27017/x' });
    const text = JSON.stringify(redactConfig(c));
    for (const secret of ['hunter2', 's3cret-bot', 'p@ss-lgd']) expect(text).not.toContain(secret);
    expect(text).toContain('mongodb://***@db:27017/x');
  });
});

describe('envWithDotenv', () => {
  it('reads .env under the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const path = join(dir, '.env');
    writeFileSync(path, 'PORT=4000\nLOG_LEVEL=warn\n');
    const env = envWithDotenv({ LOG_LEVEL: 'error' }, path);
    expect(env.PORT).toBe('4000');
    expect(env.LOG_LEVEL).toBe('error');
    expect(envWithDotenv({ A: '1' }, join(dir, 'missing.env'))).toEqual({ A: '1' });
  });
});

describe('backlog configuration', () => {
  const ado = { AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/contoso/', AZURE_DEVOPS_PROJECT: 'Digital Projects', AZURE_DEVOPS_TOKEN: 'pat-hunter3' };

  it('uses the built-in backlog with no Azure DevOps settings', () => {
    const c = loadConfig({});
    expect(c.backlog).toEqual({ kind: 'builtin', azureDevOps: null, areas: [] });
  });

  it('uses Azure DevOps when organisation URL, project and token are all set', () => {
    const c = loadConfig(ado);
    expect(c.backlog.kind).toBe('azure-devops');
    expect(c.backlog.azureDevOps).toEqual({
      organizationUrl: 'https://dev.azure.com/contoso',
      project: 'Digital Projects',
      token: 'pat-hunter3',
      workItemType: 'Product Backlog Item',
      areaPath: null,
    });
    const custom = loadConfig({ ...ado, AZURE_DEVOPS_WORK_ITEM_TYPE: 'User Story', AZURE_DEVOPS_AREA_PATH: 'Digital Projects\\Place' });
    expect(custom.backlog.azureDevOps).toMatchObject({ workItemType: 'User Story', areaPath: 'Digital Projects\\Place' });
  });

  it('names the missing Azure DevOps settings when only some are set, without echoing the token', () => {
    const e = errorOf(() => loadConfig({ AZURE_DEVOPS_TOKEN: ado.AZURE_DEVOPS_TOKEN }));
    expect(e.message).toMatch(/AZURE_DEVOPS_ORG_URL: required for the Azure DevOps backlog, because AZURE_DEVOPS_TOKEN is set/);
    expect(e.message).toMatch(/AZURE_DEVOPS_PROJECT: required/);
    expect(e.message).not.toMatch(/AZURE_DEVOPS_TOKEN: required/);
    expect(e.message).not.toContain('pat-hunter3');
    expect(() => loadConfig({ AZURE_DEVOPS_AREA_PATH: 'X' })).toThrow(/AZURE_DEVOPS_TOKEN: required/);
    expect(() => loadConfig({ ...ado, AZURE_DEVOPS_ORG_URL: 'dev.azure.com/contoso' })).toThrow(/AZURE_DEVOPS_ORG_URL: must be an http\(s\) URL/);
  });

  it('parses AREAS and refuses a bad one', () => {
    const c = loadConfig({ AREAS: '[{"area": " Adult Social Care ", "contacts": ["PDM@Example.org"]}]' });
    expect(c.backlog.areas).toEqual([{ area: 'Adult Social Care', contacts: ['pdm@example.org'] }]);
    expect(() => loadConfig({ AREAS: '[{"area": "", "contacts": []}]' })).toThrow(/AREAS: area must not be empty.*Fix: set AREAS/);
    expect(() => loadConfig({ AREAS: '[{"area": "A", "contacts": ["not-an-address"]}]' })).toThrow(/AREAS: contacts are e-mail addresses/);
    expect(() => loadConfig({ AREAS: '[{"area": "A", "contacts": []}, {"area": "a", "contacts": []}]' })).toThrow(/AREAS: names an area twice/);
    expect(() => loadConfig({ AREAS: '{"area": "A"}' })).toThrow(/AREAS: /);
  });

  it('redacts the Azure DevOps token', () => {
    const text = JSON.stringify(redactConfig(loadConfig(ado)));
    expect(text).not.toContain('pat-hunter3');
    expect(text).toContain('"token":"***"');
    expect(text).toContain('https://dev.azure.com/contoso');
  });
});
