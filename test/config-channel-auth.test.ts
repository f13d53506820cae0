/**
 * botbuilder's channel-auth group as configuration: Microsoft's public cloud by default, each
 * setting overridable (sovereign clouds, the tests' local issuer), a malformed one named with its fix.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.js';
import { ConfigError } from '../bot/errors.js';

describe('bot channel authentication settings', () => {
  it('default to the public cloud', () => {
    expect(loadConfig({}).bot.channelAuth).toEqual({
      openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      tokenIssuer: 'https://api.botframework.com',
      emulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
      loginUrl: 'https://login.microsoftonline.com/botframework.com',
      oAuthScope: 'https://api.botframework.com',
      oAuthUrl: 'https://api.botframework.com',
      callerId: 'urn:botframework:azure',
    });
  });

  it('take each value from its variable', () => {
    const c = loadConfig({
      ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.us',
      ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration',
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.us',
      OAuthUrl: 'https://tokengcch.botframework.azure.us',
      CallerId: 'urn:botframework:azureusgov',
    }).bot.channelAuth;
    expect(c.tokenIssuer).toBe('https://api.botframework.us');
    expect(c.openIdMetadataUrl).toBe('https://login.botframework.azure.us/v1/.well-known/openidconfiguration');
    expect(c.callerId).toBe('urn:botframework:azureusgov');
    expect(c.oAuthUrl).toBe('https://tokengcch.botframework.azure.us');
  });

  it('refuse a value that is not a URL, naming the variable and the fix', () => {
    expect(() => loadConfig({ ToBotFromChannelOpenIdMetadataUrl: 'login.botframework.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ ToBotFromChannelOpenIdMetadataUrl: 'login.botframework.com' })).toThrow(
      /ToBotFromChannelOpenIdMetadataUrl: must be an http\(s\) URL \(got "login\.botframework\.com"\)\. Fix: set ToBotFromChannelOpenIdMetadataUrl/,
    );
  });
});
