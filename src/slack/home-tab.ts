import type { webApi } from '@slack/bolt';
import type { HomeTabRequest, UserThreadSummary } from '../core/feedback.js';
import type { Log, ThreadStore } from '../core/ports.js';
import { homeView } from './home-view.js';

/** How many of a user's design threads the Home tab lists. */
export const HOME_THREAD_LIMIT = 10;

export interface HomeTabDependencies {
  readonly client: webApi.WebClient;
  readonly store: Pick<ThreadStore, 'recentUserThreads'>;
  readonly log: Log;
}

/**
 * Publishes the Home tab with the user's recent design threads (one Query, then one GetItem per
 * thread). A store failure shows the tab without the list; a failed publish is logged, never thrown:
 * the next opening publishes it again.
 */
export async function publishHomeTab(request: HomeTabRequest, deps: HomeTabDependencies): Promise<void> {
  const { teamId, userId } = request;
  let threads: UserThreadSummary[] | null = null;
  try {
    threads = await deps.store.recentUserThreads(teamId, userId, HOME_THREAD_LIMIT);
  } catch (error) {
    deps.log.warn('recent threads not read for the home tab', { team: teamId, user: userId, error });
  }
  try {
    await deps.client.views.publish({ user_id: userId, view: homeView(threads) });
    deps.log.info('home tab published', { team: teamId, user: userId, threads: threads?.length });
  } catch (error) {
    deps.log.warn('home tab not published', { team: teamId, user: userId, error });
  }
}
