import { badRequest, conflict, notFound } from "../../lib/errors";

export const itemNotFound = (id: number) =>
  notFound("shopping.not_found", `Shopping-list item ${id} does not exist.`);

export const itemAlreadyReceived = (id: number) =>
  conflict("shopping.already_received", `Shopping-list item ${id} has already been received.`);

export const descriptionRequired = () =>
  badRequest("shopping.description_required", "An item without a part needs a description.", [
    { path: "description", message: "Required when partId is not given." },
  ]);

export const locationsDoNotAddUp = (qty: number, sum: number) =>
  badRequest(
    "shopping.locations_do_not_add_up",
    `The locations add up to ${sum}, but qty is ${qty}.`,
    [
      {
        path: "locations",
        message: `Quantities must add up to qty (${qty}); they add up to ${sum}.`,
      },
    ],
  );

export const noFreeSlot = (id: number) =>
  conflict(
    "shopping.no_free_location",
    `There is no free location to receive item ${id} into; add a box or give locations.`,
  );

export const suggestedSlotsTaken = (id: number, attempts: number) =>
  conflict(
    "shopping.suggested_locations_taken",
    `Concurrent changes took each of the ${attempts} free locations suggested for item ${id}; retry, or give locations.`,
  );
