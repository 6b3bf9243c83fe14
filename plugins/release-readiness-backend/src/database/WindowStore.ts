import { ReleaseWindow } from '@release-readiness/plugin-common';

/** Release windows created through the API. */
export interface WindowStore {
  listWindows(): Promise<ReleaseWindow[]>;
  createWindow(options: {
    window: Omit<ReleaseWindow, 'source'>;
    actor: string;
  }): Promise<ReleaseWindow>;
}
