import { and, desc, eq, lt } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { ledgerTable } from "./ledger.table";

/** A part's ledger rows newest first, `limit + 1` of them, below `beforeId` when given. */
export function listLedgerOfPart(
  db: Db,
  params: { partId: string; beforeId?: number; limit: number },
) {
  return db
    .select({
      id: ledgerTable.id,
      deltaQty: ledgerTable.deltaQty,
      boxNo: ledgerTable.boxNo,
      locNo: ledgerTable.locNo,
      reason: ledgerTable.reason,
      refId: ledgerTable.refId,
      at: ledgerTable.at,
    })
    .from(ledgerTable)
    .where(
      and(
        eq(ledgerTable.partId, params.partId),
        params.beforeId === undefined ? undefined : lt(ledgerTable.id, params.beforeId),
      ),
    )
    .orderBy(desc(ledgerTable.id))
    .limit(params.limit + 1);
}
