/** Shown where deciding on a gate or opening one is not allowed. */
export const NOT_ALLOWED_TO_DECIDE =
  'Only the gate owners or a release manager can decide.';
