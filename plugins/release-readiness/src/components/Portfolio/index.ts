export { PortfolioPage } from './PortfolioPage';
export { ReleaseCalendar, findCollisions } from './ReleaseCalendar';
export type { Collision, CalendarRange } from './ReleaseCalendar';
export { CaughtBeforeProduction } from './CaughtBeforeProduction';
export type { PortfolioDataApi } from './usePortfolioApi';
