import { describe, expect, test } from "bun:test";
import {
  boxList,
  type Layout,
  type LayoutSlot,
  lowerBoundOf,
  measureLayout,
  type PlannedMove,
  type PlanOptions,
  planReorganisation,
  pluralName,
} from "../src/modules/reorg/reorg.planner";

const RELAY = 1;
const SENSOR = 3;
const LED = 5;
const typeNames = new Map([
  [RELAY, "Relay"],
  [SENSOR, "Sensor"],
  [LED, "LED"],
]);

/** `spec` per box: one letter per slot, "." empty; R relay, S sensor, L LED, U untyped. */
function layoutOf(spec: Record<number, string>): Layout {
  const typeOf: Record<string, number | null> = { R: RELAY, S: SENSOR, L: LED, U: null };
  const slots: LayoutSlot[] = [];
  let n = 0;
  const boxes = Object.entries(spec).map(([boxNo, row]) => {
    [...row].forEach((ch, i) => {
      if (ch === ".") return;
      slots.push({
        boxNo: Number(boxNo),
        locNo: i + 1,
        partId: partIdOf(n++),
        qty: 1 + (n % 7),
        typeId: typeOf[ch]!,
      });
    });
    return { boxNo: Number(boxNo), capacity: row.length };
  });
  return { boxes, slots, typeNames };
}

function partIdOf(n: number) {
  const letters = (k: number) => String.fromCharCode(65 + (k % 26));
  return letters(n / 17576) + letters(n / 676) + letters(n / 26) + letters(n);
}

/** Applies moves one by one, checking each is valid then; answers the resulting slots. */
function applyInOrder(layout: Layout, moves: PlannedMove[]): LayoutSlot[] {
  const capacity = new Map(layout.boxes.map((box) => [box.boxNo, box.capacity]));
  const held = new Map(layout.slots.map((slot) => [`${slot.boxNo}-${slot.locNo}`, { ...slot }]));
  moves.forEach((move, index) => {
    expect(move.step).toBe(index + 1);
    const from = `${move.from.boxNo}-${move.from.locNo}`;
    const to = `${move.to.boxNo}-${move.to.locNo}`;
    const slot = held.get(from);
    expect(slot?.partId, `step ${move.step} takes from ${from}`).toBe(move.partId);
    expect(slot?.qty, `step ${move.step} moves the whole slot`).toBe(move.qty);
    expect(held.has(to), `step ${move.step} lands on a free slot ${to}`).toBe(false);
    expect(move.to.locNo).toBeGreaterThanOrEqual(1);
    expect(move.to.locNo).toBeLessThanOrEqual(capacity.get(move.to.boxNo)!);
    expect(move.reason).toStartWith(`Move ${move.qty} of ${move.partId} from ${from} to ${to} to `);
    held.delete(from);
    held.set(to, { ...slot!, boxNo: move.to.boxNo, locNo: move.to.locNo });
  });
  return [...held.values()];
}

function plan(layout: Layout, options: PlanOptions = {}) {
  const result = planReorganisation(layout, options);
  const after = applyInOrder(layout, result.moves);
  const scope = options.typeIds ? new Set(options.typeIds) : null;
  expect(measureLayout(layout.boxes, after, scope)).toEqual(result.metrics.after);
  return { ...result, after };
}

describe("rules", () => {
  test("a stray part goes to its type's box, in one plain sentence", () => {
    // Box 2: thirteen relays; box 3: eleven sensors and relay ABCD (20 of it) in slot 12.
    const layout = layoutOf({ 2: `${"R".repeat(13)}.......`, 3: `${"S".repeat(11)}.........` });
    const slots = [...layout.slots];
    slots.push({ boxNo: 3, locNo: 12, partId: "ABCD", qty: 20, typeId: RELAY });
    const result = plan({ ...layout, slots });
    expect(result.moves).toEqual([
      {
        step: 1,
        partId: "ABCD",
        qty: 20,
        typeId: RELAY,
        from: { boxNo: 3, locNo: 12 },
        to: { boxNo: 2, locNo: 14 },
        goal: "span",
        reason: "Move 20 of ABCD from 3-12 to 2-14 to keep all Relays in box 2",
      },
    ]);
    expect(result.metrics.before).toMatchObject({ boxesSpanned: 3, lowerBound: 2 });
    expect(result.metrics.after).toMatchObject({ boxesSpanned: 2, lowerBound: 2, gaps: 0 });
  });

  test("each type ends in as few boxes as could hold its slots", () => {
    // 12 relays and 6 sensors over three boxes of 10: relays need 2 boxes, sensors 1.
    const layout = layoutOf({ 1: "RSRSRS.R..", 2: "SRSRSR.R..", 3: "RRR.R....." });
    const result = plan(layout);
    expect(result.metrics.before).toMatchObject({ boxesSpanned: 5, lowerBound: 3 });
    expect(result.metrics.after).toMatchObject({
      boxesSpanned: 3,
      lowerBound: 3,
      excessBoxes: 0,
      typesAtLowerBound: 2,
      gaps: 0,
      splitRuns: 0,
    });
    const spans = new Map<number | null, Set<number>>();
    for (const slot of result.after) {
      spans.set(slot.typeId, (spans.get(slot.typeId) ?? new Set()).add(slot.boxNo));
    }
    expect(spans.get(RELAY)!.size).toBe(2);
    expect(spans.get(SENSOR)!.size).toBe(1);
  });

  test("the lower bound takes the largest boxes first", () => {
    expect(lowerBoundOf(0, [20, 10])).toBe(0);
    expect(lowerBoundOf(20, [20, 10])).toBe(1);
    expect(lowerBoundOf(25, [20, 10])).toBe(2);
    const layout = layoutOf({ 1: "R.........", 2: `R${".".repeat(19)}`, 3: "RRRRR" });
    // Seven relays fit one box (of 10 or of 20): lower bound 1. The box of 5 holds most
    // of them but cannot take them all, so they gather in the lowest box that can.
    const result = plan(layout);
    expect(result.metrics.before).toMatchObject({ boxesSpanned: 3, lowerBound: 1 });
    expect(result.metrics.after).toMatchObject({ boxesSpanned: 1 });
    expect(new Set(result.after.map((slot) => slot.boxNo))).toEqual(new Set([1]));
  });

  test("a box fills from slot 1 without gaps", () => {
    const layout = layoutOf({ 1: "..R.R...R." });
    const result = plan(layout);
    expect(result.metrics.before.gaps).toBe(6);
    expect(result.metrics.after.gaps).toBe(0);
    expect(result.moves.map((m) => m.reason.replace(/^Move \d+ of \w+ /, ""))).toEqual([
      "from 1-5 to 1-1 to fill box 1 from slot 1 without gaps",
      "from 1-9 to 1-2 to fill box 1 from slot 1 without gaps",
    ]);
    expect(result.after.map((slot) => slot.locNo).sort()).toEqual([1, 2, 3]);
  });

  test("a type's boxes fill one after another", () => {
    // 15 relays need two boxes of 10: the box holding most of them is filled first.
    const layout = layoutOf({ 1: "RRRRRR....", 2: "RRRRRRRRR." });
    const result = plan(layout);
    const perBox = (box: number) => result.after.filter((slot) => slot.boxNo === box).length;
    expect([perBox(1), perBox(2)]).toEqual([5, 10]);
    expect(result.moves[0]).toMatchObject({ goal: "fill", to: { boxNo: 2, locNo: 10 } });
    expect(result.moves[0]!.reason).toEndWith("to fill box 2 with Relays before box 1");
  });

  test("same-type parts sit together, through a cycle broken with one free slot", () => {
    // Relays and sensors alternate in a box with one free slot: swapping needs a detour.
    const layout = layoutOf({ 1: "RSRS." });
    const result = plan(layout);
    expect(result.metrics.before.splitRuns).toBe(2);
    expect(result.metrics.after).toMatchObject({ splitRuns: 0, gaps: 0 });
    expect(result.moves.map((m) => m.goal)).toEqual(["room", "together", "gaps"]);
    expect(result.moves[0]!.reason).toEndWith("to free 1-2 for Relays");
    const order = result.after.sort((a, b) => a.locNo - b.locNo).map((slot) => slot.typeId);
    expect(order).toEqual([RELAY, RELAY, SENSOR, SENSOR]);
  });

  test("chains: a type's box full of another type's parts is cleared through a free slot", () => {
    // Box 1 is meant for the relays but its last slot holds a sensor; box 2, meant for
    // the sensors, holds a relay; both are full, so one part waits in box 3.
    const layout = layoutOf({ 1: "RRRS", 2: "SSSR", 3: "...." });
    const result = plan(layout);
    // The stray relay makes way for the sensor that takes its slot, then goes home.
    expect(result.moves.map((m) => m.reason.replace(/^Move \d+ of \w+ /, ""))).toEqual([
      "from 2-4 to 3-1 to free 2-4 for Sensors",
      "from 1-4 to 2-4 to keep all Sensors in box 2",
      "from 3-1 to 1-4 to keep all Relays in box 1",
    ]);
    expect(result.moves.map((m) => m.goal)).toEqual(["room", "span", "span"]);
    expect(result.metrics.after).toMatchObject({ boxesSpanned: 2, excessBoxes: 0, gaps: 0 });
  });

  test("untyped parts are planned like a type of their own", () => {
    const layout = layoutOf({ 1: "U.R.", 2: "R.U." });
    const result = plan(layout);
    expect(result.metrics.after).toMatchObject({ boxesSpanned: 2, lowerBound: 2 });
    expect(result.moves.some((m) => m.reason.includes("untyped parts"))).toBe(true);
  });

  test("typeIds limits what moves and what is measured", () => {
    const layout = layoutOf({ 1: "RSLRSL....", 2: "LSRLSR...." });
    const result = plan(layout, { typeIds: [SENSOR] });
    expect(new Set(result.moves.map((m) => m.typeId))).toEqual(new Set([SENSOR]));
    expect(result.metrics.before).toMatchObject({ types: 1, boxesSpanned: 2, lowerBound: 1 });
    expect(result.metrics.after).toMatchObject({ types: 1, boxesSpanned: 1 });
    expect(result.homes).toEqual([{ typeId: SENSOR, boxes: [1] }]);
    // Fixed parts keep their slots; the sensors fill around them.
    for (const slot of layout.slots.filter((s) => s.typeId !== SENSOR)) {
      expect(result.after).toContainEqual(slot);
    }
  });

  test("a full layout cannot move anything", () => {
    const result = plan(layoutOf({ 1: "RSRS", 2: "SRSR" }));
    expect(result.moves).toEqual([]);
    expect(result.metrics.after).toEqual(result.metrics.before);
  });
});

describe("the move cap", () => {
  // Box 1 holds eight sensors; boxes 2–9 one relay and one sensor each: every move of a
  // stray part empties a box of its type.
  const layout = layoutOf({
    1: "SSSSSSSS..........",
    ...Object.fromEntries([2, 3, 4, 5, 6, 7, 8, 9].map((b) => [b, "RS......"])),
  });

  test("never more than maxMoves, each kept move emptying a box of a type", () => {
    const unlimited = plan(layout);
    expect(unlimited.metrics.idealMoves).toBe(unlimited.moves.length);
    expect(unlimited.moves.length).toBeGreaterThan(8);
    for (const maxMoves of [0, 1, 3, 8]) {
      const capped = plan(layout, { maxMoves });
      expect(capped.moves.length).toBe(maxMoves);
      expect(capped.metrics.idealMoves).toBe(unlimited.moves.length);
      expect(capped.metrics.after.boxesSpanned).toBe(capped.metrics.before.boxesSpanned - maxMoves);
      expect(capped.moves.every((m) => m.goal === "span")).toBe(true);
    }
    expect(plan(layout, { maxMoves: 0 }).metrics.after).toEqual(plan(layout).metrics.before);
  });

  test("a cap at or above what the plan needs changes nothing", () => {
    const unlimited = planReorganisation(layout);
    expect(planReorganisation(layout, { maxMoves: unlimited.moves.length })).toEqual(unlimited);
    expect(planReorganisation(layout, { maxMoves: 10_000 })).toEqual(unlimited);
  });
});

/** A seeded generator, so every run checks the same layouts. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function scatteredLayout(seed: number, boxes: number, fill: number, types: number): Layout {
  const next = random(seed);
  const list = Array.from({ length: boxes }, (_, i) => ({
    boxNo: i + 1,
    capacity: 4 + Math.floor(next() * 12),
  }));
  const free = list.flatMap((box) =>
    Array.from({ length: box.capacity }, (_, l) => ({ boxNo: box.boxNo, locNo: l + 1 })),
  );
  for (let i = free.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [free[i], free[j]] = [free[j]!, free[i]!];
  }
  const count = Math.min(free.length - 1, Math.round(free.length * fill));
  const slots = free.slice(0, count).map((slot, n) => ({
    ...slot,
    partId: partIdOf(Math.floor(n * 0.8)),
    qty: 1 + Math.floor(next() * 100),
    typeId: next() < 0.1 ? null : 1 + Math.floor(next() * types),
  }));
  return {
    boxes: list,
    slots,
    typeNames: new Map(Array.from({ length: types }, (_, i) => [i + 1, `Kind${i + 1}`])),
  };
}

describe("properties over scattered layouts", () => {
  const cases = [...Array(24).keys()].map((i) => ({
    seed: 1000 + i,
    boxes: 3 + (i % 7) * 3,
    fill: [0.3, 0.6, 0.85, 0.97, 1][i % 5]!,
    types: 1 + (i % 6),
  }));

  test("every move is valid when applied in step order, capped or not", () => {
    for (const c of cases) {
      const layout = scatteredLayout(c.seed, c.boxes, c.fill, c.types);
      for (const maxMoves of [null, 0, 1, 5, 50]) {
        const result = plan(layout, { maxMoves });
        if (maxMoves !== null) expect(result.moves.length).toBeLessThanOrEqual(maxMoves);
        expect(result.metrics.after.slotsUsed).toBe(layout.slots.length);
        expect(result.metrics.after.boxesSpanned).toBeLessThanOrEqual(
          result.metrics.before.boxesSpanned,
        );
      }
      plan(layout, { typeIds: [1] });
    }
  });

  test("unlimited plans reach the ideal layout, at the lower bound when room allows", () => {
    for (const c of cases) {
      const layout = scatteredLayout(c.seed, c.boxes, c.fill, c.types);
      const result = plan(layout);
      expect(result.metrics.after).toEqual(result.metrics.ideal);
      expect(result.metrics.after.gaps).toBe(0);
    }
    // Uniform boxes, half full: every type fits its lower bound, together, without gaps.
    for (const seed of [1, 2, 3]) {
      const layout = scatteredLayout(seed, 20, 0.5, 4);
      const uniform = { ...layout, boxes: layout.boxes.map((b) => ({ ...b, capacity: 15 })) };
      const result = plan(uniform);
      expect(result.metrics.after).toMatchObject({ excessBoxes: 0, gaps: 0, splitRuns: 0 });
    }
  });

  test("deterministic: the same layout in any order gives the same plan", () => {
    for (const c of cases.slice(0, 8)) {
      const layout = scatteredLayout(c.seed, c.boxes, c.fill, c.types);
      const shuffled = {
        ...layout,
        boxes: [...layout.boxes].reverse(),
        slots: [...layout.slots].sort((a, b) => a.partId.localeCompare(b.partId) || b.qty - a.qty),
      };
      for (const maxMoves of [null, 7]) {
        expect(planReorganisation(shuffled, { maxMoves })).toEqual(
          planReorganisation(layout, { maxMoves }),
        );
      }
    }
  });
});

describe("wording", () => {
  test("type names and box lists read as English", () => {
    const names = new Map([
      [1, "Relay"],
      [2, "Battery"],
      [3, "Mechanical"],
      [4, "Switch"],
      [5, "IC"],
      [6, "Tools"],
    ]);
    expect([1, 2, 3, 4, 5, 6, 7, null].map((id) => pluralName(id, names))).toEqual([
      "Relays",
      "Batteries",
      "Mechanical parts",
      "Switches",
      "ICs",
      "Tools",
      "type 7 parts",
      "untyped parts",
    ]);
    expect(boxList([2])).toBe("box 2");
    expect(boxList([2, 5])).toBe("boxes 2 and 5");
    expect(boxList([2, 3, 4, 5, 9, 11])).toBe("boxes 2–5, 9 and 11");
    expect(boxList([1, 3, 5, 7, 9, 11, 13])).toBe("7 boxes from 1 to 13");
  });
});
