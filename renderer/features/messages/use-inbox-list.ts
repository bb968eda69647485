import type { EventName } from '../../../shared/contract/events';
import type { Result } from '../../../shared/errors';
import { useFlashEvent, useOnReconnect, useQuery } from '../../app/hooks';
import type { Query } from '../../app/hooks';

/**
 * A list (conversations, channels) loaded from main and reloaded whenever `event` says it changed.
 * It also reloads after the browser-mode socket comes back, since events sent meanwhile were lost.
 */
export function useInboxList<T>(load: () => Promise<Result<T>>, event: EventName): Query<T> {
  const list = useQuery(load);
  const { reload } = list;
  useOnReconnect(reload);
  useFlashEvent(event, () => reload());
  return list;
}
