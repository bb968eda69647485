import type { z } from 'zod';
import type { FeedRailFilter as FeedRailFilterSchema } from '../../shared/contract';

export type FeedRailFilter = z.infer<typeof FeedRailFilterSchema>;
