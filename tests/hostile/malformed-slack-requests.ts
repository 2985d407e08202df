import {
  CHANNEL_ID,
  eventEnvelope,
  mentionEvent,
  slashCommandBody,
  TEAM_ID,
  USER_ID,
} from '../support/slack-payload-builders.js';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** One signed request Slack would never send as it is. */
export interface MalformedRequest {
  readonly name: string;
  readonly body: string;
  /** Undefined: no `Content-Type` header at all. */
  readonly contentType: string | undefined;
  /** A word in the request's text, to find model requests it caused; absent when it carries no text. */
  readonly marker?: string;
  /**
   * `never`: the bot must not ask the model anything because of it. `at-most-once`: a person's
   * post with odd but possible text, which the bot may answer, once.
   */
  readonly answered: 'never' | 'at-most-once';
  /** For `url_verification`: the challenge the answer must echo. */
  readonly challenge?: string;
}

/** Each request's marker is `hostile<index>word`, so no marker is a prefix of another. */
const marker = (index: number) => `hostile${index}word`;

const envelopeWithEvent = (event: unknown) => JSON.stringify({ ...eventEnvelope({}), event });

const mentionWith = (fields: Record<string, unknown>, text: string) =>
  JSON.stringify(eventEnvelope({ ...mentionEvent(text), ...fields }));

const commandWithout = (field: string, text: string) => {
  const form = new URLSearchParams(slashCommandBody(text));
  form.delete(field);
  return form.toString();
};

const interaction = (payload: Record<string, unknown>) =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

const interactionBase = {
  team: { id: TEAM_ID, domain: 'acme' },
  user: { id: USER_ID, team_id: TEAM_ID },
  api_app_id: 'A0ARCHITECT',
  token: 'legacy-verification-token',
  trigger_id: '1.2.3',
  container: { type: 'message', message_ts: '1700000000.000100', channel_id: CHANNEL_ID },
  channel: { id: CHANNEL_ID, name: 'backend' },
};

const button = (index: number) => ({
  type: 'button',
  action_id: `button_${index}`,
  block_id: `block_${index}`,
  action_ts: '1700000001.000001',
});

/** Every C0 control character but NUL, DEL and the C1 controls. */
const CONTROL_CHARACTERS = [
  ...Array.from({ length: 31 }, (_, code) => String.fromCharCode(code + 1)),
  '\u007f',
  ...Array.from({ length: 32 }, (_, code) => String.fromCharCode(code + 0x80)),
].join('');

/** 51,200 bytes of UTF-8: a four-byte emoji, over and over. */
const FIFTY_KB_OF_EMOJI = '🧱'.repeat(12_800);

/**
 * The named hostile cases, each signed correctly by the caller so it passes signature verification
 * and reaches Bolt. Markers go in the text the bot would otherwise ask the model about.
 */
export function malformedRequests(): MalformedRequest[] {
  const cases: Array<(index: number) => MalformedRequest> = [
    (i) => ({
      name: 'bad JSON under application/json',
      body: `{"type":"event_callback","event":{"type":"app_mention","text":"<@UBOT> design a ${marker(i)}`,
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a JSON array of envelopes',
      body: JSON.stringify([eventEnvelope(mentionEvent(`<@UBOT> design a ${marker(i)} service`))]),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    () => ({ name: 'a JSON number', body: '42', contentType: JSON_TYPE, answered: 'never' }),
    (i) => ({
      name: 'a JSON string',
      body: JSON.stringify(`<@UBOT> design a ${marker(i)} service`),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    () => ({ name: 'JSON null', body: 'null', contentType: JSON_TYPE, answered: 'never' }),
    () => {
      const { event: _left, ...withoutEvent } = eventEnvelope(mentionEvent('<@UBOT> hello'));
      return {
        name: 'an event_callback without event',
        body: JSON.stringify(withoutEvent),
        contentType: JSON_TYPE,
        answered: 'never',
      };
    },
    (i) => ({
      name: 'an event that is a string',
      body: envelopeWithEvent(`<@UBOT> design a ${marker(i)} service`),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    () => ({
      name: 'an event that is null',
      body: envelopeWithEvent(null),
      contentType: JSON_TYPE,
      answered: 'never',
    }),
    (i) => ({
      name: 'an event that is an array',
      body: envelopeWithEvent([mentionEvent(`<@UBOT> design a ${marker(i)} service`)]),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    () => ({
      name: 'a mention whose text is a number',
      body: mentionWith({ text: 42 }, ''),
      contentType: JSON_TYPE,
      answered: 'never',
    }),
    (i) => ({
      name: 'a mention whose ts is an object',
      body: mentionWith({ ts: { seconds: 1700001000 } }, `<@UBOT> design a ${marker(i)} service`),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a mention without channel',
      body: mentionWith({ channel: undefined }, `<@UBOT> design a ${marker(i)} service`),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a mention whose user is an array',
      body: mentionWith({ user: [USER_ID, 'U0BOB'] }, `<@UBOT> design a ${marker(i)} service`),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a mention whose channel is null',
      body: mentionWith({ channel: null }, `<@UBOT> design a ${marker(i)} service`),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a mention whose item is a number',
      body: mentionWith({ item: 7 }, `<@UBOT> design a ${marker(i)} service`),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'at-most-once',
    }),
    () => ({
      name: 'an envelope of an unknown type',
      body: JSON.stringify({
        token: 'legacy-verification-token',
        team_id: TEAM_ID,
        api_app_id: 'A0ARCHITECT',
        type: 'surprise_callback',
        event_id: 'EvSURPRISE',
        event_time: 1700001000,
      }),
      contentType: JSON_TYPE,
      answered: 'never',
    }),
    (i) => ({
      name: 'an unknown envelope with a mention',
      body: JSON.stringify({
        ...eventEnvelope(mentionEvent(`<@UBOT> design a ${marker(i)} service`)),
        type: 'surprise_callback',
      }),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'an event of an unknown type',
      body: JSON.stringify(
        eventEnvelope({ ...mentionEvent(`<@UBOT> design a ${marker(i)} service`), type: 'surprise_event' }),
      ),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'url_verification',
      body: JSON.stringify({
        token: 'legacy-verification-token',
        challenge: `challenge-${marker(i)}`,
        type: 'url_verification',
      }),
      contentType: JSON_TYPE,
      answered: 'never',
      challenge: `challenge-${marker(i)}`,
    }),
    (i) => ({
      name: 'a form body without command',
      body: commandWithout('command', `design a ${marker(i)} service`),
      contentType: FORM_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a slash command without user_id',
      body: commandWithout('user_id', `design a ${marker(i)} service`),
      contentType: FORM_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a slash command without channel_id',
      body: commandWithout('channel_id', `design a ${marker(i)} service`),
      contentType: FORM_TYPE,
      marker: marker(i),
      answered: 'never',
    }),
    () => ({
      name: 'payload= that is not JSON',
      body: new URLSearchParams({ payload: '{"type":"block_actions","actions":[' }).toString(),
      contentType: FORM_TYPE,
      answered: 'never',
    }),
    () => ({
      name: 'payload=null',
      body: new URLSearchParams({ payload: 'null' }).toString(),
      contentType: FORM_TYPE,
      answered: 'never',
    }),
    () => ({
      name: 'an interaction of an unknown type',
      body: interaction({ ...interactionBase, type: 'surprise_interaction' }),
      contentType: FORM_TYPE,
      answered: 'never',
    }),
    () => ({
      name: 'block_actions without actions',
      body: interaction({ ...interactionBase, type: 'block_actions' }),
      contentType: FORM_TYPE,
      answered: 'never',
    }),
    () => ({
      name: 'block_actions with 5,000 actions',
      body: interaction({
        ...interactionBase,
        type: 'block_actions',
        actions: Array.from({ length: 5_000 }, (_, index) => button(index)),
      }),
      contentType: FORM_TYPE,
      answered: 'never',
    }),
    (i) => ({
      name: 'a mention full of control characters',
      body: JSON.stringify(
        eventEnvelope(mentionEvent(`<@UBOT> ${marker(i)} ${CONTROL_CHARACTERS.repeat(20)} design a cache`)),
      ),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'at-most-once',
    }),
    (i) => ({
      name: 'a mention full of NUL characters',
      body: JSON.stringify(
        eventEnvelope(mentionEvent(`<@UBOT> ${marker(i)} design\u0000a${'\u0000'.repeat(2_000)}cache`)),
      ),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'at-most-once',
    }),
    (i) => ({
      name: 'a mention with lone surrogates',
      body: JSON.stringify(
        eventEnvelope(mentionEvent(`<@UBOT> ${marker(i)} design \ud800 a \udfff cache \udbff`)),
      ),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'at-most-once',
    }),
    (i) => ({
      name: 'a mention with 50 KB of emoji',
      body: JSON.stringify(eventEnvelope(mentionEvent(`<@UBOT> ${marker(i)} ${FIFTY_KB_OF_EMOJI}`))),
      contentType: JSON_TYPE,
      marker: marker(i),
      answered: 'at-most-once',
    }),
    () => ({
      name: 'an empty body under application/json',
      body: '',
      contentType: JSON_TYPE,
      answered: 'never',
    }),
    () => ({
      name: 'an empty body under form encoding',
      body: '',
      contentType: FORM_TYPE,
      answered: 'never',
    }),
    () => ({
      name: 'an empty body without Content-Type',
      body: '',
      contentType: undefined,
      answered: 'never',
    }),
    (i) => ({
      name: 'a slash command sent as text/plain',
      body: slashCommandBody(`design a ${marker(i)} service`),
      contentType: 'text/plain',
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a form Content-Type with a charset',
      body: slashCommandBody(`design a ${marker(i)} service`),
      contentType: `${FORM_TYPE}; charset=utf-8`,
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a multipart/form-data body',
      body: [
        '--hostile',
        'Content-Disposition: form-data; name="command"',
        '',
        '/architect',
        '--hostile',
        'Content-Disposition: form-data; name="text"',
        '',
        `design a ${marker(i)} service`,
        '--hostile--',
        '',
      ].join('\r\n'),
      contentType: 'multipart/form-data; boundary=hostile',
      marker: marker(i),
      answered: 'never',
    }),
    (i) => ({
      name: 'a mention sent as text/plain',
      body: JSON.stringify(eventEnvelope(mentionEvent(`<@UBOT> design a ${marker(i)} service`))),
      contentType: 'text/plain',
      marker: marker(i),
      answered: 'never',
    }),
  ];
  return cases.map((build, index) => build(index));
}
