/**
 * The reorganisation planner: a pure, deterministic function from a layout (boxes, their
 * stocked slots, each slot's part and type) to a list of moves and before/after metrics.
 * No database, no clock, no randomness: the same layout and options give the same plan.
 * Rules and invariants: README.md in this folder.
 */

export interface LayoutBox {
  boxNo: number;
  /** Slots 1..capacity. */
  capacity: number;
}

/** A stocked slot: one part, a positive quantity. */
export interface LayoutSlot {
  boxNo: number;
  locNo: number;
  partId: string;
  qty: number;
  typeId: number | null;
}

export interface Layout {
  boxes: readonly LayoutBox[];
  slots: readonly LayoutSlot[];
  /** Type names for the move sentences; a missing name reads "type 7". */
  typeNames: ReadonlyMap<number, string>;
}

export interface PlanOptions {
  /** At most this many moves; null or undefined = as many as reaching the ideal layout takes. */
  maxMoves?: number | null;
  /** Only parts of these types move (and count in the metrics); default every type and untyped parts. */
  typeIds?: readonly number[] | null;
}

export interface SlotRef {
  boxNo: number;
  locNo: number;
}

/** Which goal a move serves; `room` frees a slot for a later move of another part. */
export type MoveGoal = "span" | "fill" | "gaps" | "together" | "room";

export interface PlannedMove {
  /** 1-based; applying the moves in step order keeps every step valid. */
  step: number;
  partId: string;
  /** The whole quantity of the `from` slot. */
  qty: number;
  typeId: number | null;
  from: SlotRef;
  to: SlotRef;
  goal: MoveGoal;
  /** One plain sentence, e.g. "Move 20 of ABCD from 3-12 to 2-14 to keep all Relays in box 2". */
  reason: string;
}

export interface LayoutMetrics {
  /** Summed over the planned types: boxes holding at least one slot of the type. */
  boxesSpanned: number;
  /** Summed over the planned types: fewest boxes that could hold the type's slots. */
  lowerBound: number;
  /** boxesSpanned − lowerBound. */
  excessBoxes: number;
  /** Planned types (with stock) that span exactly their lower bound. */
  typesAtLowerBound: number;
  /** Planned types with stock. */
  types: number;
  /** Stocked slots of the planned types. */
  slotsUsed: number;
  /** Over all boxes: empty slots that come before an occupied slot of the same box. */
  gaps: number;
  /** Summed over planned types and boxes: runs of the type's slots in a box beyond the first. */
  splitRuns: number;
  /** Boxes holding any stock. */
  boxesUsed: number;
}

export interface TypeLayoutStats {
  typeId: number | null;
  slotsUsed: number;
  /** Distinct parts stocked. */
  parts: number;
  /** Box numbers holding the type, ascending. */
  boxes: number[];
  boxesSpanned: number;
  lowerBound: number;
}

export interface PlanMetrics {
  before: LayoutMetrics;
  /** After applying every move of this plan. */
  after: LayoutMetrics;
  /** The layout the planner aims for (reached when `idealMoves` ≤ maxMoves). */
  ideal: LayoutMetrics;
  /** Moves the unlimited plan takes to reach the ideal layout. */
  idealMoves: number;
}

export interface ReorgPlanResult {
  moves: PlannedMove[];
  metrics: PlanMetrics;
  /** The boxes each planned type is meant to live in, in fill order. */
  homes: { typeId: number | null; boxes: number[] }[];
}

/** Plans the moves for `layout`. Pure and deterministic. */
export function planReorganisation(layout: Layout, options: PlanOptions = {}): ReorgPlanResult {
  const maxMoves = options.maxMoves ?? null;
  const scope = options.typeIds ? new Set(options.typeIds) : null;
  const full = new Board(layout, scope);
  full.schedule(null);
  const idealMoves = full.log.length;
  const ideal = measureLayout(layout.boxes, full.currentSlots(), scope);
  let chosen = full;
  if (maxMoves !== null && idealMoves > maxMoves) {
    chosen = new Board(layout, scope);
    chosen.schedule(maxMoves);
  }
  return {
    moves: chosen.moves(),
    metrics: {
      before: measureLayout(layout.boxes, layout.slots, scope),
      after: chosen === full ? ideal : measureLayout(layout.boxes, chosen.currentSlots(), scope),
      ideal,
      idealMoves,
    },
    homes: chosen.homeSummary(),
  };
}

// ---------------------------------------------------------------------------------------
// Metrics

/** Fewest boxes whose capacities add up to `slots`, taking the largest boxes first. */
export function lowerBoundOf(slots: number, capacitiesDesc: readonly number[]): number {
  let sum = 0;
  let boxes = 0;
  for (const capacity of capacitiesDesc) {
    if (sum >= slots) break;
    sum += capacity;
    boxes++;
  }
  return boxes;
}

const descending = (boxes: readonly LayoutBox[]) =>
  boxes.map((box) => box.capacity).sort((a, b) => b - a);

/** Per type (ascending id, untyped last): slots, parts, boxes spanned and the lower bound. */
export function typeStats(
  boxes: readonly LayoutBox[],
  slots: readonly LayoutSlot[],
): TypeLayoutStats[] {
  const capacities = descending(boxes);
  const byType = new Map<
    number | null,
    { slots: number; parts: Set<string>; boxes: Set<number> }
  >();
  for (const slot of slots) {
    let entry = byType.get(slot.typeId);
    if (!entry) {
      entry = { slots: 0, parts: new Set(), boxes: new Set() };
      byType.set(slot.typeId, entry);
    }
    entry.slots++;
    entry.parts.add(slot.partId);
    entry.boxes.add(slot.boxNo);
  }
  return [...byType.entries()]
    .sort(([a], [b]) => compareTypeIds(a, b))
    .map(([typeId, entry]) => ({
      typeId,
      slotsUsed: entry.slots,
      parts: entry.parts.size,
      boxes: [...entry.boxes].sort((a, b) => a - b),
      boxesSpanned: entry.boxes.size,
      lowerBound: lowerBoundOf(entry.slots, capacities),
    }));
}

/** The metrics of a layout; `scope` limits the per-type figures to those types. */
export function measureLayout(
  boxes: readonly LayoutBox[],
  slots: readonly LayoutSlot[],
  scope: ReadonlySet<number> | null = null,
): LayoutMetrics {
  const inScope = (typeId: number | null) =>
    scope === null || (typeId !== null && scope.has(typeId));
  const stats = typeStats(boxes, slots).filter((s) => inScope(s.typeId));
  const boxesSpanned = sum(stats.map((s) => s.boxesSpanned));
  const lowerBound = sum(stats.map((s) => s.lowerBound));
  const perBox = new Map<number, LayoutSlot[]>();
  for (const slot of slots) {
    const list = perBox.get(slot.boxNo);
    if (list) list.push(slot);
    else perBox.set(slot.boxNo, [slot]);
  }
  let gaps = 0;
  let splitRuns = 0;
  for (const list of perBox.values()) {
    list.sort((a, b) => a.locNo - b.locNo);
    gaps += list[list.length - 1]!.locNo - list.length;
    const runs = new Map<number | null, number>();
    list.forEach((slot, i) => {
      if (i > 0 && list[i - 1]!.typeId === slot.typeId) return;
      runs.set(slot.typeId, (runs.get(slot.typeId) ?? 0) + 1);
    });
    for (const [typeId, count] of runs) if (inScope(typeId)) splitRuns += count - 1;
  }
  return {
    boxesSpanned,
    lowerBound,
    excessBoxes: boxesSpanned - lowerBound,
    typesAtLowerBound: stats.filter((s) => s.boxesSpanned === s.lowerBound).length,
    types: stats.length,
    slotsUsed: sum(stats.map((s) => s.slotsUsed)),
    gaps,
    splitRuns,
    boxesUsed: perBox.size,
  };
}

function sum(values: number[]) {
  return values.reduce((total, value) => total + value, 0);
}

/** Type ids ascending, untyped (null) last. */
function compareTypeIds(a: number | null, b: number | null) {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

// ---------------------------------------------------------------------------------------
// The board: the layout as flat arrays, with the ideal target and counters kept current.

/** A slot's target: a group index (≥ 0), or one of these. */
const TARGET_EMPTY = -1;
const TARGET_FIXED = -2;
const NONE = -1;
/** How many parts a chain of displacements may pass through before using a free slot. */
const MAX_CHAIN = 8;

/** A box a group is meant to live in, with how many of its slots the group gets there. */
interface Home {
  box: number;
  reserved: number;
  /** Slots meant for the group that are empty now. */
  emptyHoles: number;
  /** Slots meant for the group that hold another group's part now. */
  wrongHoles: number;
}

interface LoggedMove {
  item: number;
  from: number;
  to: number;
  goal: MoveGoal;
  /** For `room` moves: the group the freed slot is meant for. */
  forGroup: number;
}

interface Unit {
  items: number[];
  /** Span units must lower the summed boxes spanned; the others must not raise it. */
  span: boolean;
}

class Board {
  private readonly boxNos: number[];
  private readonly offset: number[];
  private readonly capacity: number[];
  private readonly slotBox: Int32Array;
  private readonly occupant: Int32Array;
  private readonly target: Int32Array;
  /** Per box: empty slots meant to stay empty (room to park a part). */
  private readonly freeRoom: Int32Array;
  private readonly items: LayoutSlot[];
  private readonly pos: Int32Array;
  private readonly group: Int32Array;
  private readonly groupTypeIds: (number | null)[];
  private readonly planned: boolean[];
  /** Per group: box → how many of its slots the box holds now. */
  private readonly counts: Map<number, number>[];
  private readonly homes: Home[][];
  private readonly homeAt = new Map<number, Home>();
  private readonly emptyHoles: Int32Array;
  private span = 0;
  readonly log: LoggedMove[] = [];
  private parked: number[] = [];
  /** Per group, the sentence part naming its home boxes ("box 2", "boxes 2–5"). */
  private readonly homeBoxText = new Map<number, string>();

  constructor(
    private readonly layout: Layout,
    scope: ReadonlySet<number> | null,
  ) {
    const boxes = [...layout.boxes].sort((a, b) => a.boxNo - b.boxNo);
    this.boxNos = boxes.map((box) => box.boxNo);
    this.capacity = boxes.map((box) => box.capacity);
    this.offset = [];
    let total = 0;
    for (const box of boxes) {
      this.offset.push(total);
      total += box.capacity;
    }
    this.slotBox = new Int32Array(total);
    boxes.forEach((box, b) => {
      this.slotBox.fill(b, this.offset[b]!, this.offset[b]! + box.capacity);
    });
    this.occupant = new Int32Array(total).fill(NONE);
    this.target = new Int32Array(total).fill(TARGET_EMPTY);
    this.freeRoom = new Int32Array(boxes.length);

    const boxIndex = new Map(this.boxNos.map((boxNo, b) => [boxNo, b]));
    this.items = [...layout.slots].sort((a, b) => a.boxNo - b.boxNo || a.locNo - b.locNo);
    this.groupTypeIds = [...new Set(this.items.map((slot) => slot.typeId))].sort(compareTypeIds);
    const groupOf = new Map(this.groupTypeIds.map((typeId, g) => [typeId, g]));
    this.planned = this.groupTypeIds.map(
      (typeId) => scope === null || (typeId !== null && scope.has(typeId)),
    );
    this.counts = this.groupTypeIds.map(() => new Map());
    this.homes = this.groupTypeIds.map(() => []);
    this.emptyHoles = new Int32Array(this.groupTypeIds.length);
    this.pos = new Int32Array(this.items.length);
    this.group = new Int32Array(this.items.length);
    this.items.forEach((slot, i) => {
      const b = boxIndex.get(slot.boxNo);
      if (b === undefined || slot.locNo < 1 || slot.locNo > this.capacity[b]!) {
        throw new Error(`Slot ${slot.boxNo}-${slot.locNo} is outside the layout's boxes.`);
      }
      const s = this.offset[b]! + slot.locNo - 1;
      if (this.occupant[s] !== NONE) throw new Error(`Slot ${slot.boxNo}-${slot.locNo} twice.`);
      const g = groupOf.get(slot.typeId)!;
      this.occupant[s] = i;
      this.pos[i] = s;
      this.group[i] = g;
      this.bump(g, b, 1);
      if (!this.planned[g]) this.target[s] = TARGET_FIXED;
    });
    this.chooseHomes();
    this.layBlocks();
    for (let s = 0; s < total; s++) this.count(s, this.occupant[s]!, 1);
  }

  // --- The ideal layout ----------------------------------------------------------------

  /**
   * Gives every planned group the fewest boxes that can hold its slots (largest groups
   * first), preferring boxes that already hold most of it, then lower box numbers.
   */
  private chooseHomes() {
    const B = this.boxNos.length;
    const avail = this.capacity.map((capacity, b) => {
      let fixed = 0;
      for (let s = this.offset[b]!; s < this.offset[b]! + capacity; s++) {
        if (this.target[s] === TARGET_FIXED) fixed++;
      }
      return capacity - fixed;
    });
    const sizes = this.groupTypeIds.map((_, g) => this.sizeOf(g));
    const order = this.groupTypeIds
      .map((_, g) => g)
      .filter((g) => this.planned[g])
      .sort((a, b) => sizes[b]! - sizes[a]! || a - b);
    for (const g of order) {
      const need = sizes[g]!;
      const byAvail = [...Array(B).keys()]
        .filter((b) => avail[b]! > 0)
        .sort((a, b) => avail[b]! - avail[a]! || a - b);
      const k = lowerBoundOf(
        need,
        byAvail.map((b) => avail[b]!),
      );
      const here = (b: number) => this.counts[g]!.get(b) ?? 0;
      const candidates = [...byAvail].sort((a, b) => here(b) - here(a) || a - b);
      const chosen: number[] = [];
      const taken = new Set<number>();
      let capacity = 0;
      for (const c of candidates) {
        if (capacity >= need || chosen.length >= k) break;
        let left = need - capacity - avail[c]!;
        let slotsLeft = k - chosen.length - 1;
        for (const b of byAvail) {
          if (left <= 0 || slotsLeft <= 0) break;
          if (b === c || taken.has(b)) continue;
          left -= avail[b]!;
          slotsLeft--;
        }
        if (left > 0) continue;
        chosen.push(c);
        taken.add(c);
        capacity += avail[c]!;
      }
      for (const b of byAvail) {
        if (capacity >= need) break;
        if (taken.has(b)) continue;
        chosen.push(b);
        taken.add(b);
        capacity += avail[b]!;
      }
      // Fill order: where most of the group already sits first, so fewest parts move.
      chosen.sort((a, b) => here(b) - here(a) || a - b);
      let remaining = need;
      for (const b of chosen) {
        const reserved = Math.min(avail[b]!, remaining);
        if (reserved === 0) continue;
        remaining -= reserved;
        avail[b]! -= reserved;
        const home: Home = { box: b, reserved, emptyHoles: 0, wrongHoles: 0 };
        this.homes[g]!.push(home);
        this.homeAt.set(g * B + b, home);
      }
    }
  }

  /**
   * In each box the groups meant for it take consecutive runs of its free-to-use slots
   * from slot 1 (the group already sitting lowest first); the rest stays empty.
   */
  private layBlocks() {
    const B = this.boxNos.length;
    const groupsIn: { g: number; home: Home; lowest: number }[][] = this.boxNos.map(() => []);
    this.homes.forEach((homes, g) => {
      for (const home of homes) groupsIn[home.box]!.push({ g, home, lowest: Infinity });
    });
    for (let b = 0; b < B; b++) {
      const blocks = groupsIn[b]!;
      if (blocks.length === 0) continue;
      const start = this.offset[b]!;
      const end = start + this.capacity[b]!;
      for (const block of blocks) {
        for (let s = start; s < end; s++) {
          const o = this.occupant[s]!;
          if (o !== NONE && this.group[o] === block.g) {
            block.lowest = s;
            break;
          }
        }
      }
      blocks.sort((x, y) => x.lowest - y.lowest || x.g - y.g);
      let s = start;
      for (const block of blocks) {
        let left = block.home.reserved;
        while (left > 0) {
          if (this.target[s] !== TARGET_FIXED) {
            this.target[s] = block.g;
            left--;
          }
          s++;
        }
      }
    }
  }

  private sizeOf(g: number) {
    let n = 0;
    for (const count of this.counts[g]!.values()) n += count;
    return n;
  }

  // --- State changes -------------------------------------------------------------------

  private bump(g: number, b: number, delta: number) {
    const counts = this.counts[g]!;
    const before = counts.get(b) ?? 0;
    const after = before + delta;
    if (after === 0) counts.delete(b);
    else counts.set(b, after);
    if (!this.planned[g]) return;
    if (before === 0 && after > 0) this.span++;
    if (before > 0 && after === 0) this.span--;
  }

  /** Adds (`delta` 1) or removes (−1) what occupant `item` of slot `s` means for the counters. */
  private count(s: number, item: number, delta: number) {
    const t = this.target[s]!;
    if (t >= 0) {
      const home = this.homeAt.get(t * this.boxNos.length + this.slotBox[s]!)!;
      if (item === NONE) {
        home.emptyHoles += delta;
        this.emptyHoles[t]! += delta;
      } else if (this.group[item] !== t) home.wrongHoles += delta;
    } else if (t === TARGET_EMPTY && item === NONE) this.freeRoom[this.slotBox[s]!]! += delta;
  }

  private setOccupant(s: number, item: number) {
    this.count(s, this.occupant[s]!, -1);
    this.occupant[s] = item;
    this.count(s, item, 1);
  }

  private shift(item: number, to: number) {
    const from = this.pos[item]!;
    this.setOccupant(from, NONE);
    this.setOccupant(to, item);
    this.pos[item] = to;
    const g = this.group[item]!;
    this.bump(g, this.slotBox[from]!, -1);
    this.bump(g, this.slotBox[to]!, 1);
  }

  private record(item: number, to: number, room: boolean) {
    const from = this.pos[item]!;
    const g = this.group[item]!;
    const fromBox = this.slotBox[from]!;
    const toBox = this.slotBox[to]!;
    let goal: MoveGoal;
    if (room) goal = "room";
    else if (!this.isHome(g, fromBox)) goal = "span";
    else if (fromBox !== toBox) goal = "fill";
    else goal = this.target[from] === TARGET_EMPTY ? "gaps" : "together";
    this.log.push({ item, from, to, goal, forGroup: room ? this.target[from]! : NONE });
    this.shift(item, to);
    if (room) this.parked.push(item);
  }

  private undo(mark: number) {
    while (this.log.length > mark) {
      const move = this.log.pop()!;
      this.shift(move.item, move.from);
    }
    this.parked = [];
  }

  private isHome(g: number, b: number) {
    return this.homeAt.has(g * this.boxNos.length + b);
  }

  private misplaced(item: number) {
    return this.planned[this.group[item]!]! && this.target[this.pos[item]!] !== this.group[item];
  }

  // --- Finding slots -------------------------------------------------------------------

  private slotsOf(b: number) {
    return { start: this.offset[b]!, end: this.offset[b]! + this.capacity[b]! };
  }

  /** An empty slot meant for `g`: in the part's own box, else where `g` already is, else any. */
  private emptyHoleFor(g: number, fromBox: number): number {
    if (this.emptyHoles[g] === 0) return NONE;
    const homes = this.homes[g]!;
    const own = this.homeAt.get(g * this.boxNos.length + fromBox);
    const home =
      (own && own.emptyHoles > 0 ? own : undefined) ??
      homes.find((h) => h.emptyHoles > 0 && this.counts[g]!.has(h.box)) ??
      homes.find((h) => h.emptyHoles > 0)!;
    const { start, end } = this.slotsOf(home.box);
    for (let s = start; s < end; s++) {
      if (this.target[s] === g && this.occupant[s] === NONE) return s;
    }
    throw new Error("Counted an empty slot that is not there.");
  }

  /**
   * A slot meant for `g` that holds another group's part, preferring one whose part can
   * go straight to an empty slot of its own and whose group is not already in the chain.
   */
  private wrongHoleFor(g: number, chain: ReadonlySet<number>): number {
    let fallback = NONE;
    let outside = NONE;
    for (const home of this.homes[g]!) {
      if (home.wrongHoles === 0) continue;
      const { start, end } = this.slotsOf(home.box);
      for (let s = start; s < end; s++) {
        if (this.target[s] !== g) continue;
        const o = this.occupant[s]!;
        if (o === NONE || this.group[o] === g) continue;
        const u = this.group[o]!;
        if (fallback === NONE) fallback = s;
        if (chain.has(u)) continue;
        if (this.emptyHoles[u]! > 0) return s;
        if (outside === NONE) outside = s;
      }
    }
    return outside !== NONE ? outside : fallback;
  }

  /**
   * An empty slot to park a part of group `u` in: a slot meant to stay empty in a box
   * that already holds `u` (no box added to its span), else any such slot, else any
   * empty slot at all. NONE when the layout is full.
   */
  private parkingFor(u: number): number {
    const B = this.boxNos.length;
    let best = NONE;
    for (let b = 0; b < B; b++) {
      if (this.freeRoom[b] === 0) continue;
      if (this.counts[u]!.has(b)) {
        best = b;
        break;
      }
      if (best === NONE) best = b;
    }
    if (best !== NONE) {
      const { start, end } = this.slotsOf(best);
      for (let s = start; s < end; s++) {
        if (this.target[s] === TARGET_EMPTY && this.occupant[s] === NONE) return s;
      }
    }
    for (let s = 0; s < this.occupant.length; s++) {
      if (this.occupant[s] === NONE) return s;
    }
    return NONE;
  }

  // --- Scheduling ----------------------------------------------------------------------

  /**
   * Puts a misplaced part into a slot meant for its group. When every such slot holds
   * another part, that part is placed first (a chain); a chain that would come back to a
   * group already in it, or grows too long, parks its last part in a free slot. Records
   * nothing when it fails (no empty slot anywhere).
   */
  private place(item: number, chain: ReadonlySet<number> = new Set()): boolean {
    const g = this.group[item]!;
    const hole = this.emptyHoleFor(g, this.slotBox[this.pos[item]!]!);
    if (hole !== NONE) {
      this.record(item, hole, false);
      return true;
    }
    const wrong = this.wrongHoleFor(g, chain);
    if (wrong === NONE) return false;
    const occupant = this.occupant[wrong]!;
    const u = this.group[occupant]!;
    const deeper = new Set(chain).add(g);
    let cleared = false;
    if (!chain.has(u) && deeper.size < MAX_CHAIN) cleared = this.place(occupant, deeper);
    if (!cleared) {
      const parking = this.parkingFor(u);
      if (parking === NONE) return false;
      this.record(occupant, parking, true);
    }
    this.record(item, wrong, false);
    return true;
  }

  private runUnit(unit: Unit): boolean {
    for (const item of unit.items) {
      if (this.misplaced(item) && !this.place(item)) return false;
    }
    while (this.parked.length > 0) {
      const item = this.parked.shift()!;
      if (this.misplaced(item) && !this.place(item)) return false;
    }
    return true;
  }

  /**
   * Units in priority order: emptying a box of a group that should not be there, the
   * cheapest (fewest slots) first, since each emptied box lowers the group's span by
   * one; then every other misplaced part (filling home boxes in order, closing gaps,
   * bringing a group's slots together), in box/slot order.
   */
  private units(): Unit[] {
    const B = this.boxNos.length;
    const evacuations = new Map<number, number[]>();
    const rest: number[] = [];
    this.items.forEach((_, item) => {
      if (!this.misplaced(item)) return;
      const g = this.group[item]!;
      const b = this.slotBox[this.pos[item]!]!;
      if (this.isHome(g, b)) rest.push(item);
      else {
        const key = g * B + b;
        const list = evacuations.get(key);
        if (list) list.push(item);
        else evacuations.set(key, [item]);
      }
    });
    const spanUnits = [...evacuations.entries()]
      .sort(([ka, a], [kb, b]) => a.length - b.length || ka - kb)
      .map(([, items]) => ({ items, span: true }));
    return [...spanUnits, ...rest.map((item) => ({ items: [item], span: false }))];
  }

  /**
   * Runs the units. Unlimited (`budget` null): all of them, reaching the ideal layout
   * whenever the layout has one free slot. With a budget: a unit is kept only when it
   * fits the moves left and improves the layout (a span unit lowers the summed boxes
   * spanned, any other unit does not raise it); otherwise it is undone and skipped.
   */
  schedule(budget: number | null) {
    // A full layout has no slot to move anything to.
    if (this.items.length === this.occupant.length) return;
    for (const unit of this.units()) {
      if (budget !== null && this.log.length >= budget) break;
      const mark = this.log.length;
      const spanBefore = this.span;
      const ok = this.runUnit(unit);
      const kept =
        ok &&
        (budget === null ||
          (this.log.length <= budget &&
            (unit.span ? this.span < spanBefore : this.span <= spanBefore)));
      if (!kept) this.undo(mark);
    }
  }

  // --- Output --------------------------------------------------------------------------

  currentSlots(): LayoutSlot[] {
    return this.items.map((slot, i) => {
      const s = this.pos[i]!;
      const b = this.slotBox[s]!;
      return { ...slot, boxNo: this.boxNos[b]!, locNo: s - this.offset[b]! + 1 };
    });
  }

  homeSummary() {
    return this.homes.flatMap((homes, g) =>
      this.planned[g]
        ? [{ typeId: this.groupTypeIds[g]!, boxes: homes.map((h) => this.boxNos[h.box]!) }]
        : [],
    );
  }

  moves(): PlannedMove[] {
    return this.log.map((move, index) => {
      const slot = this.items[move.item]!;
      const from = this.ref(move.from);
      const to = this.ref(move.to);
      const why = this.why(move, this.group[move.item]!, from, to);
      return {
        step: index + 1,
        partId: slot.partId,
        qty: slot.qty,
        typeId: slot.typeId,
        from,
        to,
        goal: move.goal,
        reason: `Move ${slot.qty} of ${slot.partId} from ${code(from)} to ${code(to)} ${why}`,
      };
    });
  }

  private ref(s: number): SlotRef {
    const b = this.slotBox[s]!;
    return { boxNo: this.boxNos[b]!, locNo: s - this.offset[b]! + 1 };
  }

  private why(move: LoggedMove, g: number, from: SlotRef, to: SlotRef): string {
    const names = (group: number) => pluralName(this.groupTypeIds[group]!, this.layout.typeNames);
    switch (move.goal) {
      case "span": {
        let homes = this.homeBoxText.get(g);
        if (homes === undefined) {
          homes = boxList(this.homes[g]!.map((h) => this.boxNos[h.box]!).sort((a, b) => a - b));
          this.homeBoxText.set(g, homes);
        }
        return `to keep all ${names(g)} in ${homes}`;
      }
      case "fill":
        return `to fill box ${to.boxNo} with ${names(g)} before box ${from.boxNo}`;
      case "gaps":
        return `to fill box ${to.boxNo} from slot 1 without gaps`;
      case "together":
        return `to keep the ${names(g)} in box ${to.boxNo} together`;
      case "room":
        return `to free ${code(from)} for ${names(move.forGroup)}`;
    }
  }
}

const code = (slot: SlotRef) => `${slot.boxNo}-${slot.locNo}`;

/** "Relays", "Batteries", "Mechanical parts", "untyped parts". */
export function pluralName(typeId: number | null, names: ReadonlyMap<number, string>): string {
  if (typeId === null) return "untyped parts";
  const name = names.get(typeId);
  if (name === undefined) return `type ${typeId} parts`;
  if (/s$/i.test(name)) return name;
  if (/(x|ch|sh)$/i.test(name)) return `${name}es`;
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  if (/al$/i.test(name)) return `${name} parts`;
  return `${name}s`;
}

/** "box 2", "boxes 2 and 5", "boxes 2–5, 9 and 11", "16 boxes from 2 to 40". */
export function boxList(boxes: readonly number[]): string {
  if (boxes.length === 1) return `box ${boxes[0]}`;
  const parts: string[] = [];
  for (let i = 0; i < boxes.length; ) {
    let j = i;
    while (j + 1 < boxes.length && boxes[j + 1] === boxes[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${boxes[i]}–${boxes[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(boxes[k]));
    i = j + 1;
  }
  if (parts.length > 6) return `${boxes.length} boxes from ${boxes[0]} to ${boxes.at(-1)}`;
  if (parts.length === 1) return `boxes ${parts[0]}`;
  return `boxes ${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
