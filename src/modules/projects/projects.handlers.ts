import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import { buildProject, shortagesToShoppingList } from "./kits.service";
import * as routes from "./projects.routes";
import * as service from "./projects.service";

export function createProjectsRouter({ db }: Deps) {
  return createRouter()
    .openapi(routes.listProjectsRoute, async (c) =>
      c.json(await service.listProjects(db, c.req.valid("query")), 200),
    )
    .openapi(routes.createProjectRoute, async (c) => {
      const project = await service.createProject(db, c.req.valid("json"));
      c.header("Location", `/api/v1/projects/${project.id}`);
      return c.json(project, 201);
    })
    .openapi(routes.getProjectRoute, async (c) => {
      const { projectId } = c.req.valid("param");
      return c.json(await service.getProject(db, projectId, c.req.valid("query").kits), 200);
    })
    .openapi(routes.updateProjectRoute, async (c) => {
      const { projectId } = c.req.valid("param");
      return c.json(await service.updateProject(db, projectId, c.req.valid("json")), 200);
    })
    .openapi(routes.deleteProjectRoute, async (c) => {
      await service.deleteProject(db, c.req.valid("param").projectId);
      return c.body(null, 204);
    })
    .openapi(routes.createRequirementRoute, async (c) => {
      const { projectId } = c.req.valid("param");
      const requirement = await service.createRequirement(db, projectId, c.req.valid("json"));
      c.header("Location", `/api/v1/projects/${projectId}/requirements/${requirement.id}`);
      return c.json(requirement, 201);
    })
    .openapi(routes.getRequirementRoute, async (c) => {
      const { projectId, requirementId } = c.req.valid("param");
      const { kits } = c.req.valid("query");
      return c.json(await service.getRequirement(db, projectId, requirementId, kits), 200);
    })
    .openapi(routes.updateRequirementRoute, async (c) => {
      const { projectId, requirementId } = c.req.valid("param");
      const patch = c.req.valid("json");
      return c.json(await service.updateRequirement(db, projectId, requirementId, patch), 200);
    })
    .openapi(routes.deleteRequirementRoute, async (c) => {
      const { projectId, requirementId } = c.req.valid("param");
      await service.deleteRequirement(db, projectId, requirementId);
      return c.body(null, 204);
    })
    .openapi(routes.shortagesToShoppingListRoute, async (c) => {
      const { projectId } = c.req.valid("param");
      const kits = c.req.valid("json").kits ?? 1;
      return c.json(await shortagesToShoppingList(db, projectId, kits), 200);
    })
    .openapi(routes.buildProjectRoute, async (c) => {
      const { projectId } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      return c.json(await buildProject(db, projectId, c.req.valid("json"), key), 200);
    });
}
