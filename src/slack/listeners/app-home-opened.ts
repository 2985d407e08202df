import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { slackId } from '../../core/slack-identifiers.js';
import type { FeedbackDependencies } from '../feedback-dependencies.js';
import { isTeamAllowed } from '../hand-off-request.js';
import { publishHomeTab } from '../home-tab.js';
import { appHomeOpenedEventSchema } from '../slack-payloads.js';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/**
 * The App Home tab opened: publish the home view with the user's recent design threads. Where the
 * ack waits for the listener (Lambda), the tab is handed off to the worker (`handOffHomeTab`), so
 * the reads and the rendering never hold the ack; locally Bolt has acked already, and it is
 * published here.
 */
export function createAppHomeOpenedListener(
  deps: Pick<FeedbackDependencies, 'store' | 'log' | 'allowedTeamIds' | 'handOffHomeTab'>,
) {
  return async ({ event, body, client, context }: HomeArgs): Promise<void> => {
    const parsed = appHomeOpenedEventSchema.safeParse(event);
    if (!parsed.success || parsed.data.tab !== 'home') return;
    const userId = parsed.data.user;
    const team = slackId.safeParse(context.teamId ?? body.team_id);
    // Another workspace's tab gets nothing from this one's store (and no view).
    if (!team.success || !isTeamAllowed(deps, team.data)) {
      deps.log.info('home tab not published for this workspace', { user: userId });
      return;
    }
    const request = {
      teamId: team.data,
      userId,
      openingId: parsed.data.event_ts ?? body.event_id,
    };
    if (!deps.handOffHomeTab) {
      await publishHomeTab(request, { client, store: deps.store, log: deps.log });
      return;
    }
    try {
      await deps.handOffHomeTab(request);
    } catch (error) {
      // The tab keeps what it showed last; the next opening tries again.
      deps.log.warn('home tab not handed off', { team: request.teamId, user: userId, error });
    }
  };
}
