import type { CardReaders } from './callers.service';
import { recentCallsOf } from '../calls/calls.service';

/**
 * The parts of the landing card that other domains own (open tickets, recent calls), read
 * through their own services so that the card never duplicates their rules.
 */
export const cardReaders: CardReaders = {
	recentCalls: recentCallsOf
};
