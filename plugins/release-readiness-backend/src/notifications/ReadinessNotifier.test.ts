import { mockServices } from '@backstage/backend-test-utils';
import { ReadinessNotifier } from './ReadinessNotifier';

describe('ReadinessNotifier.later', () => {
  it('runs the work after the caller has gone on, and settles when it ends', async () => {
    const events: string[] = [];
    const notifier = new ReadinessNotifier(
      { send: async () => {} },
      mockServices.logger.mock(),
    );
    notifier.later('a change', async () => {
      events.push('notified');
    });
    events.push('answered');
    await notifier.settled();
    expect(events).toEqual(['answered', 'notified']);
  });

  it('logs work that fails, whether it throws at once or later', async () => {
    const logger = mockServices.logger.mock();
    const notifier = new ReadinessNotifier({ send: async () => {} }, logger);
    notifier.later('the catalog lookup', async () => {
      throw new Error('catalog unavailable');
    });
    notifier.later('a synchronous failure', () => {
      throw new Error('boom');
    });
    await expect(notifier.settled()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not notify for the catalog lookup: Error: catalog unavailable',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not notify for a synchronous failure: Error: boom',
    );
  });

  it('lets go of work that hangs past the timeout, and says so', async () => {
    const logger = mockServices.logger.mock();
    const notifier = new ReadinessNotifier({ send: async () => {} }, logger, {
      timeoutMs: 50,
    });
    notifier.later(
      'a hanging notification service',
      () => new Promise(() => {}),
    );
    await notifier.settled();
    expect(logger.warn).toHaveBeenCalledWith(
      'Notifications for a hanging notification service did not finish within 50 ms',
    );
  });

  it('still logs a send that fails inside a notification', async () => {
    const logger = mockServices.logger.mock();
    const notifier = new ReadinessNotifier(
      {
        send: async () => {
          throw new Error('notifications backend down');
        },
      },
      logger,
    );
    notifier.later('a decision', () =>
      notifier.decisionRecorded(
        {
          id: 'g1',
          entityRef: 'component:default/payment-gateway',
          release: '1.0.0',
        } as any,
        {
          id: 'd1',
          verdict: 'go',
          by: 'user:default/margaret-osei',
          reason: 'ok',
        } as any,
        ['group:default/payments'],
      ),
    );
    await notifier.settled();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /Could not send notification "GO: component:default\/payment-gateway 1.0.0"/,
      ),
    );
  });
});
