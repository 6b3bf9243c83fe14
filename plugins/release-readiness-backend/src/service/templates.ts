import { NotFoundError } from '@backstage/errors';
import { templateReadPermission } from '@release-readiness/plugin-common';
import type { ReadinessRouter, RouterOptions } from './router';

/** `GET /templates`, `GET /templates/:name`. */
export function registerTemplateRoutes(
  router: ReadinessRouter,
  { httpAuth, service }: RouterOptions,
) {
  router.get('/templates', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await service.authorize(credentials, templateReadPermission);
    res.json({ items: service.templates });
  });

  router.get('/templates/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await service.authorize(credentials, templateReadPermission);
    const template = service.getTemplate(req.params.name);
    if (!template) {
      throw new NotFoundError(`No gate template named ${req.params.name}`);
    }
    res.json(template);
  });
}
