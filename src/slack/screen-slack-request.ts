import { isValidSlackRequest } from '@slack/bolt';

/** What to do with a request before Bolt sees it. */
export type Screening =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 400 | 401 | 415; readonly reason: string };

export interface SlackRequestToScreen {
  readonly rawBody: string;
  readonly contentType: string | undefined;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  readonly signingSecret: string;
  readonly nowMs?: number;
}

const ENVELOPE_TYPES = new Set(['event_callback', 'url_verification', 'app_rate_limited']);

/**
 * Checks a Slack request before Bolt routes it: the signature (401), then the shape of what Bolt's
 * routing reads (400/415), so no request, signed or not, can make Bolt throw, answer 5xx, or route
 * an event that Slack would never send (a mention in an envelope of another type, a JSON body
 * sent as text/plain). Bolt still does its own signature check afterwards.
 */
export function screenSlackRequest(request: SlackRequestToScreen): Screening {
  const { rawBody, signature, timestamp } = request;
  const signed =
    signature !== undefined &&
    timestamp !== undefined &&
    /^\d{1,12}$/.test(timestamp) &&
    isValidSlackRequest({
      signingSecret: request.signingSecret,
      body: rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      ...(request.nowMs === undefined ? {} : { nowMilliseconds: request.nowMs }),
    });
  if (!signed) return refuse(401, 'bad or missing signature');

  const mediaType = request.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return screenEnvelope(parseJson(rawBody));
  if (mediaType === 'application/x-www-form-urlencoded') return screenForm(new URLSearchParams(rawBody));
  return refuse(415, `unexpected content type ${mediaType ?? '(none)'}`);
}

function screenEnvelope(body: unknown): Screening {
  if (!isObject(body) || typeof body.type !== 'string') return refuse(400, 'not a Slack envelope');
  if (!ENVELOPE_TYPES.has(body.type)) return refuse(400, `unknown envelope type`);
  if (body.type !== 'event_callback') return OK;
  const { event, authorizations } = body;
  if (!isObject(event) || typeof event.type !== 'string')
    return refuse(400, 'event_callback without an event');
  if ('channel' in event && typeof event.channel !== 'string' && !isObject(event.channel)) {
    return refuse(400, 'event.channel of the wrong type');
  }
  if ('item' in event && !isObject(event.item)) return refuse(400, 'event.item of the wrong type');
  if (authorizations !== undefined && !(Array.isArray(authorizations) && authorizations.every(isObject))) {
    return refuse(400, 'authorizations of the wrong type');
  }
  return OK;
}

function screenForm(form: URLSearchParams): Screening {
  if (form.has('ssl_check')) return OK;
  const payload = form.get('payload');
  if (payload !== null) return screenInteraction(parseJson(payload));
  if (form.get('command')) return OK;
  return refuse(400, 'form body without a command or payload');
}

function screenInteraction(payload: unknown): Screening {
  if (!isObject(payload) || typeof payload.type !== 'string')
    return refuse(400, 'not an interaction payload');
  if (!isObject(payload.user) || typeof payload.user.id !== 'string')
    return refuse(400, 'interaction without a user');
  const { actions, callback_id: callbackId, view } = payload;
  if (actions !== undefined) {
    const valid =
      Array.isArray(actions) &&
      actions.every((action) => isObject(action) && typeof action.action_id === 'string');
    if (!valid) return refuse(400, 'actions of the wrong shape');
  }
  if (callbackId !== undefined && typeof callbackId !== 'string')
    return refuse(400, 'callback_id of the wrong type');
  if (
    view !== undefined &&
    (!isObject(view) || ('callback_id' in view && typeof view.callback_id !== 'string'))
  ) {
    return refuse(400, 'view of the wrong shape');
  }
  if (payload.type === 'block_actions' && actions === undefined)
    return refuse(400, 'block_actions without actions');
  return OK;
}

const OK: Screening = { ok: true };

function refuse(status: 400 | 401 | 415, reason: string): Screening {
  return { ok: false, status, reason };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
