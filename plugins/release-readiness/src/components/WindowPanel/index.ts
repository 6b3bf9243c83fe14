export {
  WindowPanel,
  type WindowPanelProps,
  type WindowWithNext,
} from './WindowPanel';
