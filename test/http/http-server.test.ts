import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import { startTestApp } from '../support/test-app.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let connector: RecordingConnector;

beforeAll(async () => {
  connector = await startRecordingConnector();
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

function messageActivity(text: string): Record<string, unknown> {
  const mention = '<at>Support</at>';
  return {
    type: 'message',
    id: 'msg-1',
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: '29:user-1', name: 'Ada Lovelace', aadObjectId: '00000000-0000-0000-0000-0000000000a1' },
    recipient: { id: '28:bot', name: 'Support' },
    conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1' },
    text: `${mention} ${text}`,
    entities: [{ type: 'mention', text: mention, mentioned: { id: '28:bot', name: 'Support' } }],
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Response> =>
  fetch(`${app.url}${path}`, { method: 'POST', headers, body });

describe('HTTP server', () => {
  it('serves /healthz with the store status', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; store: { ok: boolean; kind: string }; degraded: { part: string }[] };
    // The demo's first sync may still be running: that, and only that, is named as degraded.
    expect(body.status).toBe(body.degraded.length === 0 ? 'ok' : 'degraded');
    expect(body.degraded.filter((p) => p.part !== 'sync.firstSync')).toEqual([]);
    expect(body.store).toMatchObject({ ok: true, kind: 'embedded' });
  });

  it('answers a message activity through the connector', async () => {
    const before = connector.calls.length;
    const res = await post('/api/messages', JSON.stringify(messageActivity('hello there')));
    expect(res.status).toBe(200);
    await connector.waitFor(before + 1);
    const reply = connector.sent().at(-1) as { type?: string; attachments?: { contentType: string; content: { body: unknown[] } }[] };
    expect(reply?.type).toBe('message');
    // Text it does not understand gets help, not silence.
    expect(reply.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(reply.attachments?.[0]?.content)).toContain('triage here');
    expect(connector.calls.at(-1)?.path).toContain('/v3/conversations/a%3Apersonal-1/activities');
  });

  it('refuses bad JSON with 400 and no stack trace', async () => {
    const res = await post('/api/messages', '{"type": "message",');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toMatch(/Invalid JSON/);
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('refuses an oversized body with 413', async () => {
    const huge = JSON.stringify({ ...messageActivity('x'), text: 'x'.repeat(600 * 1024) });
    const res = await post('/api/messages', huge);
    expect(res.status).toBe(413);
    expect(await res.text()).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('refuses an activity that is not an activity with 4xx', async () => {
    const res = await post('/api/messages', JSON.stringify({ hello: 'world' }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('answers unknown routes with 404 without a stack trace', async () => {
    const res = await fetch(`${app.url}/nope/never`);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
    const del = await fetch(`${app.url}/healthz`, { method: 'DELETE' });
    expect(del.status).toBe(405);
  });
});

describe('HTTP server with bot authentication on', () => {
  it('rejects /api/messages without a token', async () => {
    const secured = await startTestApp({
      MicrosoftAppId: '00000000-0000-0000-0000-0000000000b0',
      MicrosoftAppPassword: 'x',
      MicrosoftAppTenantId: '00000000-0000-4000-8000-00000000a0a0',
      TAB_SSO_CLIENT_ID: '00000000-0000-4000-8000-0000000000c1',
      BOT_DOMAIN: 'lgd-support.test',
    });
    try {
      const res = await fetch(`${secured.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity('hi')),
      });
      expect(res.status).toBe(401);
    } finally {
      await secured.close();
    }
  });
});
