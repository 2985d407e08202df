import fc from 'fast-check';
import { nextTs } from '../support/slack-payload-builders.js';

/** One field of a generated payload: a value the bot expects, or one of four ways to be wrong. */
export type Field<T> =
  | { readonly kind: 'valid'; readonly value: T }
  | { readonly kind: 'wrong-type'; readonly value: unknown }
  | { readonly kind: 'missing' }
  /** `unit` repeated `length` times, kept unexpanded so a counterexample prints short. */
  | { readonly kind: 'huge'; readonly unit: string; readonly length: number }
  | { readonly kind: 'weird'; readonly value: string };

/** Characters and sequences that break naive text handling. */
const ODD_TEXT = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\uffff',
  '\u{10ffff}',
  '<@UBOT>',
  '<!channel>',
  '<#C0|x>',
  '&amp;lt;',
  '\\',
  '"',
  '%00',
  '👩‍👩‍👧‍👦',
  '🇫🇷',
  'Z̷̢̛a̸l̵g̶o',
  '$(reboot)',
  '__proto__',
];

const HUGE_UNITS = ['a', 'é', '🧱', '\u0000', ' ', '<@UBOT>', '&lt;'];

const wrongJsonType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** A form field can only be a string, or repeated, which `querystring` turns into an array. */
const repeatedFormValue = fc.array(fc.string({ maxLength: 6 }), { minLength: 2, maxLength: 3 });

const weirdText = fc
  .tuple(
    fc.constantFrom(...ODD_TEXT),
    fc.array(fc.oneof(fc.constantFrom(...ODD_TEXT), fc.string({ unit: 'binary', maxLength: 6 })), {
      maxLength: 8,
    }),
  )
  .map(([first, rest]) => [first, ...rest].join(''));

function field<T>(
  valid: fc.Arbitrary<T>,
  options: { wrongType?: fc.Arbitrary<unknown>; validWeight?: number; missingWeight?: number } = {},
): fc.Arbitrary<Field<T>> {
  const variants: Array<fc.WeightedArbitrary<Field<T>>> = [
    {
      weight: options.validWeight ?? 6,
      arbitrary: valid.map((value) => ({ kind: 'valid' as const, value })),
    },
    {
      weight: 1,
      arbitrary: (options.wrongType ?? wrongJsonType).map((value) => ({
        kind: 'wrong-type' as const,
        value,
      })),
    },
    { weight: options.missingWeight ?? 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('huge' as const),
        unit: fc.constantFrom(...HUGE_UNITS),
        length: fc.integer({ min: 5_000, max: 60_000 }),
      }),
    },
    { weight: 1, arbitrary: weirdText.map((value) => ({ kind: 'weird' as const, value })) },
  ];
  return fc.oneof(...variants.filter((variant) => variant.weight > 0));
}

/** The value a field puts in the payload, with `valid` standing for what a valid field holds. */
function fieldValue<T>(f: Field<T>, valid: (value: T) => unknown, prefix = ''): unknown {
  switch (f.kind) {
    case 'valid':
      return valid(f.value);
    case 'wrong-type':
      return f.value;
    case 'missing':
      return undefined;
    case 'huge':
      return `${prefix}${f.unit.repeat(f.length)}`;
    case 'weird':
      return `${prefix}${f.value}`;
  }
}

const isAbsentOrWrongType = (f: Field<unknown>) => f.kind === 'missing' || f.kind === 'wrong-type';

/** An Events API delivery of an `app_mention` or `message` event with drawn fields. */
export interface EventCase {
  readonly shape: 'event';
  readonly eventType: 'app_mention' | 'message';
  /** Not `object`: the `event` itself is a wrong type or missing. */
  readonly event: 'object' | { readonly wrongType: unknown } | 'missing';
  readonly type: Field<string>;
  readonly user: Field<string>;
  readonly text: Field<string>;
  readonly ts: Field<true>;
  readonly channel: Field<string>;
  readonly threadTs: Field<string>;
  readonly channelType: Field<string>;
  readonly subtype: string | undefined;
  readonly botId: string | undefined;
  /** Fields other events carry, which Bolt inspects for every event. */
  readonly extras: Readonly<Record<string, unknown>>;
  readonly teamId: Field<string>;
  readonly authorizations: Field<unknown[]>;
  readonly eventId: Field<string>;
}

/** A slash command form body with drawn fields. */
export interface CommandCase {
  readonly shape: 'command';
  readonly command: Field<string>;
  readonly text: Field<string>;
  readonly userId: Field<string>;
  readonly channelId: Field<string>;
  readonly teamId: Field<string>;
  readonly triggerId: Field<string>;
  readonly responseUrl: Field<true>;
  readonly extras: Readonly<Record<string, string>>;
}

/** An interactivity `payload=` with a drawn type and fields. */
export interface InteractionCase {
  readonly shape: 'interaction';
  /** Not an object: the payload JSON itself is a number, string, array or null. */
  readonly payload: 'object' | { readonly notAnObject: unknown };
  readonly type: string;
  readonly actions: Field<unknown[]>;
  /** The message a button was on (a Retry button's failure notice). */
  readonly message: Field<Record<string, unknown>>;
  readonly view: Field<Record<string, unknown>>;
  readonly callbackId: Field<string>;
  readonly user: Field<Record<string, unknown>>;
  readonly team: Field<Record<string, unknown>>;
}

export type SlackCase = EventCase | CommandCase | InteractionCase;

/** A generated case as the bytes to sign and send, and whether the bot may answer it. */
export interface SlackRequest {
  readonly body: string;
  readonly contentType: 'application/json' | 'application/x-www-form-urlencoded';
  /**
   * `never` when a field the bot relies on (an event's type, user, ts, channel and text; a command's
   * command, text, user_id and channel_id) is missing or of the wrong type, when the post is not a
   * person's new post, and for every interactivity payload (a Retry click names a post that was never
   * stored); `maybe` otherwise: valid, huge or odd-text values the bot may legitimately answer.
   */
  readonly answerable: 'never' | 'maybe';
}

const slackTsLike = fc
  .tuple(fc.integer({ min: 1_500_000_000, max: 1_699_999_999 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([seconds, micros]) => `${seconds}.${String(micros).padStart(6, '0')}`);

/** An Events API delivery; `routedOnly` always carries an `event`. */
function eventCase(routedOnly: boolean): fc.Arbitrary<EventCase> {
  return fc.record({
    shape: fc.constant('event' as const),
    eventType: fc.constantFrom('app_mention' as const, 'message' as const),
    event: fc.oneof(
      { weight: 20, arbitrary: fc.constant('object' as const) },
      { weight: routedOnly ? 0 : 1, arbitrary: fc.constant('missing' as const) },
      { weight: 1, arbitrary: wrongJsonType.map((wrongType) => ({ wrongType })) },
    ),
    type: field(fc.constant('valid'), { validWeight: 12 }),
    user: field(fc.constantFrom('U0ALICE', 'U0BOB', 'W0ENTERPRISE')),
    text: field(fc.constantFrom('design a cache', 'how do we shard this?', 'design a job queue')),
    ts: field(fc.constant(true as const), { validWeight: 10 }),
    channel: field(fc.constantFrom('C0CHANNEL', 'D0DIRECT', 'G0GROUP')),
    threadTs: field(slackTsLike, { validWeight: 3, missingWeight: 6 }),
    channelType: field(fc.constantFrom('channel', 'group', 'im', 'mpim', 'app_home'), { missingWeight: 2 }),
    subtype: fc.option(
      fc.constantFrom('bot_message', 'message_changed', 'message_deleted', 'thread_broadcast', 'file_share'),
      { nil: undefined, freq: 6 },
    ),
    botId: fc.option(fc.constant('B0OTHER'), { nil: undefined, freq: 8 }),
    extras: fc.oneof(
      { weight: 4, arbitrary: fc.constant({}) },
      {
        weight: 1,
        arbitrary: fc.dictionary(
          fc.constantFrom(
            'item',
            'message',
            'previous_message',
            'assistant_thread',
            'channel_id',
            'blocks',
            'files',
          ),
          fc.jsonValue({ maxDepth: 2 }),
          { maxKeys: 2 },
        ),
      },
    ),
    teamId: field(fc.constant('T123')),
    authorizations: field(fc.constant([{ team_id: 'T123', user_id: 'UBOT', is_bot: true }])),
    eventId: field(fc.constant('valid')),
  });
}

/** A slash command; `routedOnly` keeps `command` matching the bot's `/architect` listener. */
function commandCase(routedOnly: boolean): fc.Arbitrary<CommandCase> {
  return fc.record({
    shape: fc.constant('command' as const),
    command: routedOnly
      ? // A repeated command still starts with the prefix the listener matches, so it reaches it.
        field(fc.constantFrom('/architect', '/architect-dev'), {
          wrongType: fc.constant(['/architect', '/other']),
          missingWeight: 0,
        })
      : field(fc.constantFrom('/architect', '/architect-dev', '/other'), { wrongType: repeatedFormValue }),
    text: field(fc.constantFrom('design a cache', 'design a job queue'), { wrongType: repeatedFormValue }),
    userId: field(fc.constantFrom('U0ALICE', 'U0BOB'), { wrongType: repeatedFormValue }),
    channelId: field(fc.constantFrom('C0CHANNEL', 'D0DIRECT'), { wrongType: repeatedFormValue }),
    teamId: field(fc.constant('T123'), { wrongType: repeatedFormValue }),
    triggerId: field(fc.constant('1.2.abc'), { wrongType: repeatedFormValue }),
    responseUrl: field(fc.constant(true as const), { wrongType: repeatedFormValue }),
    extras: fc.oneof(
      { weight: 6, arbitrary: fc.constant({}) },
      {
        weight: 1,
        arbitrary: fc.dictionary(
          fc.constantFrom(
            'is_enterprise_install',
            'enterprise_id',
            'api_app_id',
            'channel_name',
            ...(routedOnly ? [] : ['ssl_check', 'payload']),
          ),
          fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('1', 'true', 'null', '{}', '[]')),
          { maxKeys: 2 },
        ),
      },
    ),
  });
}

/** Types a listener of the bot acknowledges, given the fields Bolt matches on are strings. */
const ROUTED_INTERACTION_TYPES = [
  'block_actions',
  'interactive_message',
  'shortcut',
  'message_action',
  'view_submission',
];

/** Wrong types that are not arrays: Bolt takes an array's first element as the action. */
const wrongNonArrayType = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** What a Retry button carries: JSON naming a stored post, or anything else. */
const retryValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  wrongJsonType,
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
  fc
    .record({
      team: fc.constant('T123'),
      channel: fc.constant('C0CHANNEL'),
      thread: slackTsLike,
      post: slackTsLike,
    })
    .map((value) => JSON.stringify(value)),
);

/**
 * A button click. `actionIdRequired`: Bolt leaves an action without `action_id` unacknowledged,
 * which its HTTPReceiver answers only after 3 seconds.
 */
function action(actionIdRequired: boolean) {
  return fc.record(
    {
      type: fc.oneof(fc.constantFrom('button', 'static_select', 'overflow'), wrongJsonType),
      action_id: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('approve', 'unknown_button', 'architect_retry') },
        { weight: 1, arbitrary: wrongJsonType },
        { weight: 1, arbitrary: weirdText },
      ),
      block_id: fc.oneof(fc.constant('b1'), wrongJsonType),
      value: retryValue,
      action_ts: fc.oneof(fc.constant('1700000001.000001'), wrongJsonType),
    },
    { requiredKeys: actionIdRequired ? ['action_id'] : [] },
  );
}

function interactionCase(routedOnly: boolean): fc.Arbitrary<InteractionCase> {
  const types = routedOnly
    ? ROUTED_INTERACTION_TYPES
    : [
        ...ROUTED_INTERACTION_TYPES,
        'dialog_submission',
        'view_closed',
        'block_suggestion',
        'workflow_step_edit',
        'surprise_interaction',
      ];
  const anyElement = fc.oneof(
    { weight: 4, arbitrary: action(false) },
    { weight: 1, arbitrary: wrongJsonType },
  );
  const actionList = fc
    .tuple(routedOnly ? action(true) : anyElement, fc.array(anyElement, { maxLength: 2 }))
    .map(([first, rest]): unknown[] => [first, ...rest]);
  return fc.record({
    shape: fc.constant('interaction' as const),
    payload: routedOnly
      ? fc.constant('object' as const)
      : fc.oneof(
          { weight: 12, arbitrary: fc.constant('object' as const) },
          {
            weight: 1,
            arbitrary: fc
              .oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constant(null), fc.constant<unknown[]>([]))
              .map((notAnObject) => ({ notAnObject })),
          },
        ),
    type: fc.constantFrom(...types),
    actions: routedOnly
      ? field(actionList, { wrongType: wrongNonArrayType, missingWeight: 0 })
      : field(fc.oneof(actionList, fc.constant<unknown[]>([])), { missingWeight: 1 }),
    message: field(fc.record({ ts: slackTsLike, text: fc.constant('Something went wrong.') })),
    view: field(fc.record({ id: fc.constant('V1'), callback_id: fc.constantFrom('feedback', 'other') }), {
      missingWeight: routedOnly ? 0 : 1,
    }),
    callbackId: field(fc.constantFrom('architect_shortcut', 'other'), { missingWeight: routedOnly ? 0 : 1 }),
    user: field(fc.constant({ id: 'U0ALICE', team_id: 'T123' })),
    team: field(fc.constant({ id: 'T123', domain: 'acme' })),
  });
}

/**
 * Slack request shapes with drawn fields. `routedOnly` leaves out what no listener of the bot
 * acknowledges and Bolt leaves unanswered (no `event`, no `command`, an action without `action_id`,
 * a payload of a type the bot has no listener for): Bolt's HTTPReceiver answers those with 404 only
 * after 3 seconds, too slow for 150 runs, so only the Lambda run draws them.
 */
export function slackCase(options: { routedOnly: boolean }): fc.Arbitrary<SlackCase> {
  return fc.oneof(
    { weight: 3, arbitrary: eventCase(options.routedOnly) },
    { weight: 2, arbitrary: commandCase(options.routedOnly) },
    { weight: 2, arbitrary: interactionCase(options.routedOnly) },
  );
}

/**
 * The request a case stands for. `marker` goes into every text the bot could ask the model about, so
 * a model request can be traced to the case that caused it; `responseUrl` is the valid response_url.
 */
export function toSlackRequest(
  slackCase: SlackCase,
  context: { marker: string; responseUrl: string },
): SlackRequest {
  switch (slackCase.shape) {
    case 'event':
      return eventRequest(slackCase, context.marker);
    case 'command':
      return commandRequest(slackCase, context);
    case 'interaction':
      return interactionRequest(slackCase);
  }
}

function eventRequest(c: EventCase, marker: string): SlackRequest {
  const mentionPrefix = c.eventType === 'app_mention' ? '<@UBOT> ' : '';
  const ts = nextTs();
  const fields: Record<string, unknown> = {
    type: fieldValue(c.type, () => c.eventType),
    user: fieldValue(c.user, (value) => value),
    text: fieldValue(c.text, (value) => `${mentionPrefix}${marker} ${value}`, `${mentionPrefix}${marker} `),
    ts: fieldValue(c.ts, () => ts),
    event_ts: ts,
    thread_ts: fieldValue(c.threadTs, (value) => value),
    channel: fieldValue(c.channel, (value) => value),
    ...(c.eventType === 'message' ? { channel_type: fieldValue(c.channelType, (value) => value) } : {}),
    subtype: c.subtype,
    bot_id: c.botId,
    team: 'T123',
    ...c.extras,
  };
  const event = c.event === 'object' ? fields : c.event === 'missing' ? undefined : c.event.wrongType;
  const envelope = {
    token: 'legacy-verification-token',
    team_id: fieldValue(c.teamId, (value) => value),
    api_app_id: 'A0ARCHITECT',
    event,
    type: 'event_callback',
    event_id: fieldValue(c.eventId, () => `Ev${ts.replace('.', '')}`),
    event_time: 1_700_001_000,
    authorizations: fieldValue(c.authorizations, (value) => value),
  };
  return {
    body: JSON.stringify(envelope),
    contentType: 'application/json',
    answerable: isEventAnswerable(c) ? 'maybe' : 'never',
  };
}

function isEventAnswerable(c: EventCase): boolean {
  if (c.event !== 'object' || c.type.kind !== 'valid' || c.ts.kind !== 'valid') return false;
  if (isAbsentOrWrongType(c.user) || isAbsentOrWrongType(c.channel) || isAbsentOrWrongType(c.text))
    return false;
  if (c.threadTs.kind !== 'valid' && c.threadTs.kind !== 'missing') return false;
  if (c.botId !== undefined) return false;
  if (c.subtype !== undefined && c.subtype !== 'thread_broadcast' && c.subtype !== 'file_share') return false;
  if (c.eventType === 'app_mention') return true;
  if (c.channelType.kind !== 'valid' && c.channelType.kind !== 'missing') return false;
  // A channel message is only answered as a reply in one of the bot's threads; a DM always.
  const isDirect = c.channelType.kind === 'valid' && c.channelType.value === 'im';
  return isDirect || c.threadTs.kind === 'valid';
}

function commandRequest(c: CommandCase, context: { marker: string; responseUrl: string }): SlackRequest {
  const form = new URLSearchParams();
  const put = (name: string, value: unknown) => {
    if (value === undefined) return;
    for (const each of Array.isArray(value) ? value : [value]) form.append(name, String(each));
  };
  put('token', 'legacy-verification-token');
  put(
    'team_id',
    fieldValue(c.teamId, (value) => value),
  );
  put('team_domain', 'acme');
  put(
    'channel_id',
    fieldValue(c.channelId, (value) => value),
  );
  put(
    'user_id',
    fieldValue(c.userId, (value) => value),
  );
  // Huge and odd commands keep the prefix the listener matches, so they reach it.
  put(
    'command',
    fieldValue(c.command, (value) => value, '/architect'),
  );
  put(
    'text',
    fieldValue(c.text, (value) => `${context.marker} ${value}`, `${context.marker} `),
  );
  put('api_app_id', 'A0ARCHITECT');
  put(
    'response_url',
    fieldValue(c.responseUrl, () => context.responseUrl),
  );
  put(
    'trigger_id',
    fieldValue(c.triggerId, (value) => value),
  );
  for (const [name, value] of Object.entries(c.extras)) put(name, value);
  return {
    body: form.toString(),
    contentType: 'application/x-www-form-urlencoded',
    answerable: isCommandAnswerable(c) ? 'maybe' : 'never',
  };
}

function isCommandAnswerable(c: CommandCase): boolean {
  if (c.command.kind === 'wrong-type' || c.command.kind === 'missing') return false;
  if (c.command.kind === 'valid' && !c.command.value.startsWith('/architect')) return false;
  if ('ssl_check' in c.extras || 'payload' in c.extras) return false;
  return ![c.text, c.userId, c.channelId].some(isAbsentOrWrongType);
}

function interactionRequest(c: InteractionCase): SlackRequest {
  const payload =
    c.payload === 'object'
      ? {
          type: c.type,
          team: fieldValue(c.team, (value) => value),
          user: fieldValue(c.user, (value) => value),
          api_app_id: 'A0ARCHITECT',
          token: 'legacy-verification-token',
          trigger_id: '1.2.3',
          callback_id: fieldValue(c.callbackId, (value) => value),
          ...(c.type.startsWith('view_') ? { view: fieldValue(c.view, (value) => value) } : {}),
          ...(c.type === 'block_actions' || c.type === 'interactive_message'
            ? { actions: actionsOf(c.actions), message: fieldValue(c.message, (value) => value) }
            : {}),
        }
      : c.payload.notAnObject;
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: 'application/x-www-form-urlencoded',
    answerable: 'never',
  };
}

/** A huge action list is 500 to 6,000 buttons rather than one huge string. */
function actionsOf(actions: Field<unknown[]>): unknown {
  if (actions.kind !== 'huge') return fieldValue(actions, (value) => value);
  return Array.from({ length: Math.ceil(actions.length / 10) }, (_, index) => ({
    type: 'button',
    action_id: `button_${index}`,
    block_id: 'b1',
    action_ts: '1700000001.000001',
  }));
}
