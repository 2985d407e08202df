import { readFile } from 'node:fs/promises';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';

/** slackapi/manifest-schema v0.5.0, copied unchanged (see its README). */
// A copy of slackapi/manifest-schema v0.5.0 (MIT, see its LICENSE), so the test needs nothing outside the repo.
const SCHEMA_DIR = new URL('./fixtures/slack/manifest-schema/', import.meta.url);
/** The URLs the top-level schema `$ref`s the versioned schemas by. */
const VERSIONED_SCHEMA_IDS = {
  'manifest.schema.1.0.0.json':
    'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.1.0.0.json',
  'manifest.schema.2.0.0.json':
    'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.2.0.0.json',
} as const;

/** The parts of a v1 manifest these tests look at; every field is optional, as in the schema. */
interface ManifestView {
  display_information?: { name?: string };
  features?: {
    app_home?: {
      home_tab_enabled?: boolean;
      messages_tab_enabled?: boolean;
      messages_tab_read_only_enabled?: boolean;
    };
    slash_commands?: { command: string; url?: string }[];
  };
  oauth_config?: { scopes?: { bot?: string[] } };
  settings?: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string };
  };
}

async function readJson(url: URL): Promise<unknown> {
  return JSON.parse(await readFile(url, 'utf8'));
}

async function readSchema(url: URL): Promise<AnySchemaObject> {
  const schema = await readJson(url);
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new Error(`${url.pathname} is not a JSON schema object`);
  }
  return schema;
}

async function buildManifestValidator(): Promise<ValidateFunction<ManifestView>> {
  // strictTypes off: the schema puts keywords such as `required` and `minItems` beside no `type`, which is valid
  // JSON Schema but makes Ajv log a warning for each.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats.default(ajv);
  ajv.addKeyword('_note');
  // The schema spells `background_color`'s pattern as `regex`, which JSON Schema does not know; enforce it.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (regex: string, data: string) => new RegExp(regex).test(data),
  });
  for (const [file, id] of Object.entries(VERSIONED_SCHEMA_IDS)) {
    ajv.addSchema(await readSchema(new URL(`schemas/${file}`, SCHEMA_DIR)), id);
  }
  return ajv.compile<ManifestView>(await readSchema(new URL('manifest.schema.json', SCHEMA_DIR)));
}

let validate: ValidateFunction<ManifestView>;
let manifest: ManifestView;

beforeAll(async () => {
  validate = await buildManifestValidator();
  const data = await readJson(new URL('../manifest.json', import.meta.url));
  if (!validate(data)) {
    throw new Error(
      `manifest.json is not a valid Slack app manifest: ${JSON.stringify(validate.errors, null, 2)}`,
    );
  }
  manifest = data;
});

describe('manifest.json', () => {
  it('is valid against the Slack app manifest schema', () => {
    expect(validate(manifest)).toBe(true);
    expect(validate.errors).toBeNull();
  });

  it('defines the /architect slash command, delivered to /slack/events', () => {
    const command = manifest.features?.slash_commands?.find((c) => c.command === '/architect');

    expect(command).toBeDefined();
    expect(command?.url).toMatch(/^https:\/\/.+\/slack\/events$/);
  });

  it('sends every request to a URL ending in /slack/events', () => {
    const urls = [
      manifest.settings?.event_subscriptions?.request_url,
      manifest.settings?.interactivity?.request_url,
      ...(manifest.features?.slash_commands ?? []).map((c) => c.url),
    ];

    expect(urls).toHaveLength(3);
    for (const url of urls) {
      expect(url).toMatch(/^https:\/\/.+\/slack\/events$/);
    }
  });

  it('subscribes to mentions and to messages in channels, private channels, group DMs and DMs', () => {
    expect(manifest.settings?.event_subscriptions?.bot_events).toEqual(
      expect.arrayContaining([
        'app_mention',
        'message.channels',
        'message.groups',
        'message.im',
        'message.mpim',
      ]),
    );
  });

  it('requests the history scope each message event needs', () => {
    const scopes = manifest.oauth_config?.scopes?.bot ?? [];
    const messageEvents = (manifest.settings?.event_subscriptions?.bot_events ?? []).filter((e) =>
      e.startsWith('message.'),
    );

    expect(messageEvents).not.toHaveLength(0);
    for (const event of messageEvents) {
      expect(scopes).toContain(`${event.slice('message.'.length)}:history`);
    }
  });

  it('requests the scopes for mentions, posting and the slash command', () => {
    expect(manifest.oauth_config?.scopes?.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands']),
    );
  });

  it('requests the scopes "Open as canvas" needs (canvases, and files for the Markdown fallback), and no reads of them', () => {
    const scopes = manifest.oauth_config?.scopes?.bot ?? [];
    expect(scopes).toEqual(expect.arrayContaining(['canvases:write', 'files:write']));
    expect(scopes).not.toContain('canvases:read');
    expect(scopes).not.toContain('files:read');
  });

  it('turns interactivity on', () => {
    expect(manifest.settings?.interactivity?.is_enabled).toBe(true);
  });

  it('turns the Home tab on and subscribes to app_home_opened, which needs no extra scope', () => {
    expect(manifest.features?.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.settings?.event_subscriptions?.bot_events).toContain('app_home_opened');
    // views.open, views.publish and chat.getPermalink need only the bot token: no scope beyond these
    // (canvases and files are for "Open as canvas").
    expect([...(manifest.oauth_config?.scopes?.bot ?? [])].sort()).toEqual([
      'app_mentions:read',
      'canvases:write',
      'channels:history',
      'chat:write',
      'commands',
      'files:write',
      'groups:history',
      'im:history',
      'mpim:history',
    ]);
  });

  it('lets users message the bot from the Messages tab', () => {
    expect(manifest.features?.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });
});

describe('the manifest validator', () => {
  it('rejects a manifest without display_information', () => {
    const { display_information: _removed, ...broken } = manifest;

    expect(validate(broken)).toBe(false);
  });

  it('rejects a background colour that is not a hex colour', () => {
    const broken = {
      ...manifest,
      display_information: { ...manifest.display_information, background_color: 'blue' },
    };

    expect(validate(broken)).toBe(false);
  });
});
