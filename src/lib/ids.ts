import { randomInt } from "node:crypto";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A random 4-letter part id; uniqueness is enforced by inserting and retrying. */
export function randomPartId(): string {
  let id = "";
  for (let i = 0; i < 4; i++) id += LETTERS[randomInt(LETTERS.length)];
  return id;
}

export const PART_ID_PATTERN = /^[A-Za-z]{4}$/;
