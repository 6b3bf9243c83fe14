export { PortfolioPage } from './PortfolioPage';
export { ReleaseCalendar, findCollisions } from './ReleaseCalendar';
export type { Collision, CalendarRange } from './ReleaseCalendar';
export { CaughtBeforeProduction } from './CaughtBeforeProduction';
export type {
  MetricsQuery,
  PortfolioDataApi,
  PortfolioQuery,
  PortfolioSort,
  PortfolioWindow,
} from './types';
