export {
  windowOccurrences,
  windowAt,
  nextOccurrence,
  MAX_WINDOW_OCCURRENCES,
  type WindowOccurrence,
} from './occurrences';
export { validateWindow } from './validate';
export { windowApplies, exceptionApproved, missingApprovers } from './scope';
export { exceptionCounts, countingExceptions } from './exceptionCounts';
export { nextAllowedSlot, type AllowedSlot } from './nextAllowed';
export { upcomingWindow } from './upcoming';
