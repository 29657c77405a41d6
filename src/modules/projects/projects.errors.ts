import { badRequest, conflict, notFound } from "../../lib/errors";
import { locationCode } from "../../lib/schemas";
import type { BuildShortage } from "./projects.schemas";

export const projectNotFound = (id: number) =>
  notFound("projects.not_found", `Project ${id} does not exist.`);

export const requirementNotFound = (projectId: number, id: number) =>
  notFound("projects.requirement_not_found", `Project ${projectId} has no requirement ${id}.`);

export const partAlreadyRequired = (projectId: number, partId: string) =>
  conflict(
    "projects.part_already_required",
    `Project ${projectId} already requires part ${partId}; change that requirement's requiredQty instead.`,
  );

const projectList = (projects: { id: number; name: string }[]) =>
  projects.map((project) => `${project.id} "${project.name}"`).join(", ");

/** For the parts feature: a part still required by projects cannot be deleted. */
export const partRequiredByProjects = (partId: string, projects: { id: number; name: string }[]) =>
  conflict(
    "parts.required_by_projects",
    `Part ${partId} is required by project(s) ${projectList(projects)}; remove those requirements first.`,
  );

export const shortfallTooLarge = (kits: number, what: string, shortfall: number, max: number) =>
  badRequest(
    "projects.shortfall_too_large",
    `For ${kits} kit(s) ${what} is short by ${shortfall}, more than one shopping-list item can ask for (${max}).`,
    [{ path: "kits", message: `Too many kits: a shortfall may be at most ${max}.` }],
  );

export const nothingToBuild = (projectId: number) =>
  conflict("projects.nothing_to_build", `Project ${projectId} has no requirements to build.`);

function describeShortage(shortage: BuildShortage) {
  const what = shortage.placeholder
    ? `placeholder ${shortage.placeholder.manufacturerCode}`
    : shortage.partId;
  return `${what} needs ${shortage.required}, has ${shortage.available}`;
}

/** Every short requirement at once, also as the `shortages` extension member. */
export const buildShort = (kits: number, shortages: BuildShortage[]) => {
  const placeholders = shortages.some((shortage) => shortage.placeholder)
    ? " Placeholders have no stock: link them to catalogued parts first."
    : "";
  return conflict(
    "projects.insufficient_stock",
    `Not enough stock to build ${kits} kit(s): ${shortages.map(describeShortage).join("; ")}.${placeholders}`,
    { shortages },
  );
};

export const pickForUnrequiredPart = (index: number, partId: string) =>
  badRequest(
    "projects.pick_not_required",
    `Pick ${index} takes part ${partId}, which the project does not require.`,
    [{ path: `picks.${index}.partId`, message: `The project does not require ${partId}.` }],
  );

export const picksDoNotAddUp = (mismatches: { partId: string; needed: number; picked: number }[]) =>
  badRequest(
    "projects.picks_do_not_add_up",
    `Picks must add up to each requirement × kits: ${mismatches
      .map((m) => `${m.partId} needs ${m.needed}, picks add up to ${m.picked}`)
      .join("; ")}.`,
    mismatches.map((m) => ({
      path: "picks",
      message: `Picks for ${m.partId} add up to ${m.picked}; the build needs ${m.needed}.`,
    })),
  );

export const pickSlotMismatch = (
  problems: { boxNo: number; locNo: number; partId: string; holds: string | null }[],
) =>
  conflict(
    "projects.pick_wrong_slot",
    `Picked slots do not hold the picked parts: ${problems
      .map(
        (p) =>
          `${locationCode(p.boxNo, p.locNo)} ${p.holds ? `holds ${p.holds}` : "is empty"}, not ${p.partId}`,
      )
      .join("; ")}.`,
  );

export const pickSlotsNotFound = (slots: { boxNo: number; locNo: number }[]) =>
  notFound(
    "locations.not_found",
    `Picked location(s) ${slots.map((s) => locationCode(s.boxNo, s.locNo)).join(", ")} do not exist.`,
  );

export const picksShort = (
  problems: { partId: string; boxNo: number; locNo: number; held: number; wanted: number }[],
) =>
  conflict(
    "projects.picked_slots_short",
    `Picked slots hold too little: ${problems
      .map(
        (p) =>
          `${locationCode(p.boxNo, p.locNo)} holds ${p.held} of ${p.partId}, picks take ${p.wanted}`,
      )
      .join("; ")}.`,
  );
