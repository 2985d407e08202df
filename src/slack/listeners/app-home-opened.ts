import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { UserThreadSummary } from '../../core/feedback.js';
import { slackId } from '../../core/slack-identifiers.js';
import type { FeedbackDependencies } from '../feedback-dependencies.js';
import { isTeamAllowed } from '../hand-off-request.js';
import { homeView } from '../home-view.js';
import { appHomeOpenedEventSchema } from '../slack-payloads.js';

type HomeArgs = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** How many of a user's design threads the Home tab lists. */
export const HOME_THREAD_LIMIT = 10;

/**
 * The App Home tab opened: publish the home view with the user's recent design threads (one Query,
 * then one GetItem per thread). A store failure shows the tab without the list; a failed publish is
 * logged, never thrown.
 */
export function createAppHomeOpenedListener(
  deps: Pick<FeedbackDependencies, 'store' | 'log' | 'allowedTeamIds'>,
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
    const teamId = team.data;
    let threads: UserThreadSummary[] | null = null;
    try {
      threads = await deps.store.recentUserThreads(teamId, userId, HOME_THREAD_LIMIT);
    } catch (error) {
      deps.log.warn('recent threads not read for the home tab', { team: teamId, user: userId, error });
    }
    try {
      await client.views.publish({ user_id: userId, view: homeView(threads) });
      deps.log.info('home tab published', { team: teamId, user: userId, threads: threads?.length });
    } catch (error) {
      deps.log.warn('home tab not published', { team: teamId, user: userId, error });
    }
  };
}
