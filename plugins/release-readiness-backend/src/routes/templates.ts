import { NotFoundError } from '@backstage/errors';
import { templateReadPermission } from '@release-readiness/plugin-common';
import type { ReadinessRouter, RouterOptions } from './types';

/** `GET /templates`, `GET /templates/:name`. */
export function registerTemplateRoutes(
  router: ReadinessRouter,
  { httpAuth, domain: { access } }: RouterOptions,
) {
  router.get('/templates', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await access.authorize(credentials, templateReadPermission);
    res.json({ items: access.templates });
  });

  router.get('/templates/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await access.authorize(credentials, templateReadPermission);
    const template = access.getTemplate(req.params.name);
    if (!template) {
      throw new NotFoundError(`No gate template named ${req.params.name}`);
    }
    res.json(template);
  });
}
