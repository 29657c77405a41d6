import { badRequest, conflict, notFound } from "../../lib/errors";

export const typeNotFound = (id: number) =>
  notFound("types.not_found", `Type ${id} does not exist.`);

export const typeNameTaken = (name: string) =>
  conflict("types.name_taken", `A type named "${name}" already exists.`);

export const typeInUse = (id: number, parts?: number) =>
  conflict(
    "types.in_use",
    `Type ${id} is used by ${parts ?? "some"} part(s); give them another type first.`,
  );

/** An unknown type referenced from another resource's field. */
export const unknownTypeField = (field: string, id: number) =>
  badRequest("types.unknown", `Type ${id} does not exist.`, [
    { path: field, message: `Type ${id} does not exist.` },
  ]);
