// `bun run seed:demo`: fills an empty database (DATABASE_URL, or the embedded one in
// DATA_DIR) with a small, plausible inventory through the services, so the ledger and
// every rule hold as if a person had typed it in: a few hundred parts of every default
// type in about twenty boxes, tags, sellers with links, and some later removals and moves.
import type { Deps } from "../deps";
import { createBox } from "../modules/boxes/boxes.service";
import type { PartCreate, StockSlot } from "../modules/parts/parts.schemas";
import { createPart } from "../modules/parts/parts.service";
import { moveStock, removeStock } from "../modules/stock/stock.service";
import { listTypes } from "../modules/types/types.service";
import { extraWords, type Family, families, packages, sellers, valuesOf } from "./catalogue";
import { assertEmptyInventory, runSeed } from "./seed-support";

const BOX_CAPACITY = 30;
/** Variants per family: the value lists of resistors and capacitors give them more. */
const VARIANTS: Record<Family["values"], number> = { resistance: 16, capacitance: 9, other: 4 };

/** A small deterministic random source (mulberry32), so every demo database is the same. */
function randomSource(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)]! };
}

export interface DemoSeedResult {
  parts: number;
  boxes: number;
}

/** Seeds an empty database; throws NotEmptyError when anything is already there. */
export async function seedDemo(deps: Pick<Deps, "db" | "newPartId">): Promise<DemoSeedResult> {
  const { db } = deps;
  await assertEmptyInventory(db);
  const random = randomSource(20_260_101);
  const typeIds = new Map((await listTypes(db)).items.map((type) => [type.name, type.id]));

  // Slots are handed out box by box per type; a type whose box is full gets the next box.
  const openBoxes = new Map<string, { boxNo: number; next: number; count: number }>();
  let boxes = 0;
  async function nextSlot(type: string) {
    let box = openBoxes.get(type);
    if (!box || box.next > BOX_CAPACITY) {
      const count = (box?.count ?? 0) + 1;
      const created = await createBox(db, {
        description: count === 1 ? `${type}s` : `${type}s ${count}`,
        capacity: BOX_CAPACITY,
        designatedTypeId: typeIds.get(type) ?? null,
      });
      boxes++;
      box = { boxNo: created.boxNo, next: 1, count };
      openBoxes.set(type, box);
    }
    return { boxNo: box.boxNo, locNo: box.next++ };
  }

  const created: { id: string; type: string; stock: StockSlot[] }[] = [];
  for (const family of families) {
    const values = valuesOf(family.values);
    const step = Math.max(1, Math.floor(values.length / VARIANTS[family.values]));
    for (let index = 0; index < values.length; index += step) {
      const value = values[index]!;
      const pkg = random.pick(packages);
      const seller = random.pick(sellers);
      const suffix = value.replace(/[ .]/g, "").toUpperCase();
      const code =
        family.values === "other" && index === 0 ? family.code : `${family.code}-${suffix}`;
      const stocked = random.next() < 0.9 ? 1 + (random.next() < 0.3 ? 1 : 0) : 0;
      const stock: StockSlot[] = [];
      for (let slot = 0; slot < stocked; slot++) {
        stock.push({ ...(await nextSlot(family.type)), qty: 5 + random.int(200) });
      }
      const input: PartCreate = {
        description: `${family.description} ${value} ${pkg}`,
        manufacturerCode: code,
        manufacturer: family.manufacturer,
        typeId: typeIds.get(family.type) ?? null,
        tags: random.next() < 0.5 ? [pkg, value, random.pick(extraWords)] : [pkg, value],
        package: pkg,
        seller: seller.name,
        sellerLink: `${seller.link}${encodeURIComponent(code)}`,
        initialStock: stock,
      };
      const part = await createPart(deps, input);
      created.push({ id: part.id, type: family.type, stock });
    }
  }

  // Later life of the stock: some was used, some moved to a fresh slot of the same type.
  for (const [index, { id, type, stock }] of created.entries()) {
    const first = stock[0];
    if (!first) continue;
    if (index % 5 === 0 && first.qty > 1) {
      const qty = 1 + random.int(first.qty - 1);
      await removeStock(db, id, { removals: [{ boxNo: first.boxNo, locNo: first.locNo, qty }] });
    } else if (index % 17 === 0) {
      const target = await nextSlot(type);
      await moveStock(db, id, {
        from: { boxNo: first.boxNo, locNo: first.locNo },
        to: [{ ...target, qty: first.qty }],
      });
    }
  }
  return { parts: created.length, boxes };
}

if (import.meta.main) {
  await runSeed(async (deps) => {
    const result = await seedDemo(deps);
    return `seeded the demo inventory: ${result.parts} parts in ${result.boxes} boxes`;
  });
}
