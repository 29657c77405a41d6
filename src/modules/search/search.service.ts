import { locationCode } from "../../lib/schemas";
import type { Db } from "../../platform/db";
import { thumbnailPath } from "../documents/documents.objects";
import * as repo from "./search.repo";
import type { SearchHitDto, SearchParams } from "./search.schemas";

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export function searchTerms(q: string): repo.SearchTerms {
  const lower = q.toLowerCase();
  return {
    raw: q,
    lower,
    upper: q.toUpperCase(),
    contains: `%${escapeLike(lower)}%`,
    startsWith: `${escapeLike(lower)}%`,
  };
}

export async function searchParts(db: Db, params: SearchParams) {
  const rows = await repo.searchParts(db, searchTerms(params.q), params.limit);
  const items: SearchHitDto[] = rows.map((row) => ({
    id: row.id,
    manufacturerCode: row.manufacturerCode,
    manufacturer: row.manufacturer,
    description: row.description,
    typeName: row.typeName,
    tags: row.tags,
    totalQty: row.totalQty,
    locations: row.locations.map(({ boxNo, locNo, qty }) => ({
      boxNo,
      locNo,
      code: locationCode(boxNo, locNo),
      qty,
    })),
    thumbnailUrl:
      row.coverDocumentId && row.coverHasThumbnails ? thumbnailPath(row.coverDocumentId) : null,
    score: Math.round(row.score * 1000) / 1000,
  }));
  return { items };
}
